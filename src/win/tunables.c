#include "tunables.h"

#include <stdlib.h>

static const struct {
    const WCHAR *variable;
    DWORD default_ms;
    DWORD max_ms;
} tunables[RM_TUNABLE_COUNT] = {
    [RM_TUNABLE_LOCK_TIMEOUT] = { L"RSTRTMGR_LOCK_TIMEOUT_MS", 10000, 60000 },
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
