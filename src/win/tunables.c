#include "tunables.h"

#include <stdlib.h>

static const struct {
    const WCHAR *variable;
    DWORD default_ms;
    DWORD max_ms;
} tunables[RM_TUNABLE_COUNT] = {
    [RM_TUNABLE_LOCK_TIMEOUT] = { L"RSTRTMGR_LOCK_TIMEOUT_MS", 10000, 60000 },
    /* Windows' documented bounds: applications within 30 s, services after 20 s. */
    [RM_TUNABLE_APP_TIMEOUT] = { L"RSTRTMGR_APP_TIMEOUT_MS", 30000, 600000 },
    [RM_TUNABLE_SERVICE_TIMEOUT] = { L"RSTRTMGR_SERVICE_TIMEOUT_MS", 20000, 600000 },
    /* The system's own "not responding" threshold for windows. */
    [RM_TUNABLE_MESSAGE_TIMEOUT] = { L"RSTRTMGR_MESSAGE_TIMEOUT_MS", 5000, 60000 },
};

DWORD rm_tunable_ms(rm_tunable which)
{
    WCHAR text[16];
    DWORD length = GetEnvironmentVariableW(tunables[which].variable, text, ARRAYSIZE(text));
    if (length == 0 || length >= ARRAYSIZE(text))
        return tunables[which].default_ms;
    unsigned long value = wcstoul(text, NULL, 10);
    return value > tunables[which].max_ms ? tunables[which].max_ms : (DWORD)value;
}
