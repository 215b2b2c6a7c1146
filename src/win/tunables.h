/* Time bounds. Windows' values by default; tests shorten them through environment
 * variables (documented in README "Configuration"). */
#ifndef RM_WIN_TUNABLES_H
#define RM_WIN_TUNABLES_H

#include <windows.h>

typedef enum rm_tunable {
    RM_TUNABLE_LOCK_TIMEOUT,      /* RSTRTMGR_LOCK_TIMEOUT_MS: session-table mutex wait */
    RM_TUNABLE_APP_TIMEOUT,       /* RSTRTMGR_APP_TIMEOUT_MS: an application's grace period
                                     to close before RmForceShutdown terminates it */
    RM_TUNABLE_SERVICE_TIMEOUT,   /* RSTRTMGR_SERVICE_TIMEOUT_MS: a service's stop or start */
    RM_TUNABLE_MESSAGE_TIMEOUT,   /* RSTRTMGR_MESSAGE_TIMEOUT_MS: one shutdown message's
                                     answer; no answer in time = not responding */
    RM_TUNABLE_COUNT
} rm_tunable;

DWORD rm_tunable_ms(rm_tunable which);

#endif
