/* The order in which RmShutdown acts on the affected applications and RmRestart brings
 * them back (docs/behaviour.md B-SHUT-4): GUI applications, then console applications,
 * then services, Explorer last; restart in the reverse order, Explorer first. Within a
 * phase everything runs at once. GUI applications and Explorer are all asked
 * (WM_QUERYENDSESSION) before anything is ended, so that one refusal leaves every
 * application running (B-SHUT-3). Plain C11, no Windows. */
#ifndef RM_CORE_SHUTDOWN_ORDER_H
#define RM_CORE_SHUTDOWN_ORDER_H

/* RM_APP_TYPE's values. */
enum {
    RM_TYPE_UNKNOWN = 0, RM_TYPE_MAIN_WINDOW = 1, RM_TYPE_OTHER_WINDOW = 2,
    RM_TYPE_SERVICE = 3, RM_TYPE_EXPLORER = 4, RM_TYPE_CONSOLE = 5, RM_TYPE_CRITICAL = 1000,
};

typedef enum rm_phase {
    RM_PHASE_GUI,       /* window applications, and those that can only be forced */
    RM_PHASE_CONSOLE,
    RM_PHASE_SERVICE,
    RM_PHASE_EXPLORER,
    RM_PHASE_COUNT
} rm_phase;

/* The shutdown phase of an application of this RM_APP_TYPE. */
rm_phase rm_shutdown_phase(int app_type);

/* The phase RmRestart handles step-th (0 first, up to RM_PHASE_COUNT - 1). */
rm_phase rm_restart_phase(int step);

/* Whether the phase's applications are asked in the first, common query round. */
int rm_phase_is_queried(rm_phase phase);

#endif
