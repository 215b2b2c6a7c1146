/* Time bounds. Windows' values by default; tests shorten them through environment
 * variables (documented in README "Configuration"). */
#ifndef RM_WIN_TUNABLES_H
#define RM_WIN_TUNABLES_H

#include <windows.h>

typedef enum rm_tunable {
    RM_TUNABLE_LOCK_TIMEOUT,      /* RSTRTMGR_LOCK_TIMEOUT_MS: session-table mutex wait */
    RM_TUNABLE_COUNT
} rm_tunable;

DWORD rm_tunable_ms(rm_tunable which);

#endif
