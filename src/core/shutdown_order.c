#include "shutdown_order.h"

rm_phase rm_shutdown_phase(int app_type)
{
    switch (app_type) {
    case RM_TYPE_CONSOLE: return RM_PHASE_CONSOLE;
    case RM_TYPE_SERVICE: return RM_PHASE_SERVICE;
    case RM_TYPE_EXPLORER: return RM_PHASE_EXPLORER;
    default: return RM_PHASE_GUI; /* main/other window, unknown (forced only) */
    }
}

rm_phase rm_restart_phase(int step)
{
    if (step < 0 || step >= RM_PHASE_COUNT)
        return RM_PHASE_COUNT;
    return (rm_phase)(RM_PHASE_COUNT - 1 - step);
}

int rm_phase_is_queried(rm_phase phase)
{
    return phase == RM_PHASE_GUI || phase == RM_PHASE_EXPLORER;
}
