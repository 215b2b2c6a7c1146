// SPDX-License-Identifier: LGPL-2.1-or-later
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

rm_phase rm_entry_phase(int is_service, int app_type)
{
    return is_service ? RM_PHASE_SERVICE : rm_shutdown_phase(app_type);
}

size_t rm_restart_order(const rm_restart_item *items, size_t count, size_t *order)
{
    size_t written = 0;
    for (int step = 0; step < RM_PHASE_COUNT; step++) {
        rm_phase phase = rm_restart_phase(step);
        for (size_t n = 0; n < count; n++) {
            size_t i = phase == RM_PHASE_SERVICE ? count - 1 - n : n;
            if (items[i].awaiting_restart && items[i].phase == phase)
                order[written++] = i;
        }
    }
    return written;
}
