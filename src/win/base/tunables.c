// SPDX-License-Identifier: LGPL-2.1-or-later
#include "base/tunables.h"

#include <stdlib.h>

#ifndef SPI_GETHUNGAPPTIMEOUT
#define SPI_GETHUNGAPPTIMEOUT 0x0078
#endif
#ifndef SPI_GETWAITTOKILLSERVICETIMEOUT
#define SPI_GETWAITTOKILLSERVICETIMEOUT 0x007C
#endif

/* Windows' defaults when the system says nothing (RM_SHUTDOWN_TYPE, HungAppTimeout). */
#define HUNG_APP_DEFAULT_MS 5000u
#define SERVICE_DEFAULT_MS 20000u
/* The documented 30 s for an application is this many HungAppTimeouts (B-TIME-2). */
#define APP_GRACE_IN_HUNG_TIMEOUTS 6u

static const struct {
    const WCHAR *variable;
    DWORD max_ms;
} overrides[RM_TUNABLE_COUNT] = {
    [RM_TUNABLE_LOCK_TIMEOUT] = { L"RSTRTMGR_LOCK_TIMEOUT_MS", 60000 },
    [RM_TUNABLE_APP_TIMEOUT] = { L"RSTRTMGR_APP_TIMEOUT_MS", 600000 },
    [RM_TUNABLE_SERVICE_TIMEOUT] = { L"RSTRTMGR_SERVICE_TIMEOUT_MS", 600000 },
    [RM_TUNABLE_MESSAGE_TIMEOUT] = { L"RSTRTMGR_MESSAGE_TIMEOUT_MS", 60000 },
    [RM_TUNABLE_WOW64_HELPER_TIMEOUT] = { L"RSTRTMGR_WOW64_HELPER_TIMEOUT_MS", 60000 },
};

/* A decimal count of milliseconds; 0 if text is not one. */
static DWORD parse_ms(const WCHAR *text)
{
    WCHAR *end;
    unsigned long value = wcstoul(text, &end, 10);
    return end != text && value <= MAXDWORD ? (DWORD)value : 0;
}

/* The calling process's variable, if set and shorter than cch units. */
static BOOL read_variable(const WCHAR *name, WCHAR *text, DWORD cch)
{
    DWORD length = GetEnvironmentVariableW(name, text, cch);
    return length && length < cch;
}

static BOOL override_ms(rm_tunable which, DWORD *out)
{
    WCHAR text[16];
    if (!read_variable(overrides[which].variable, text, ARRAYSIZE(text)))
        return FALSE;
    DWORD value = parse_ms(text);
    *out = value > overrides[which].max_ms ? overrides[which].max_ms : value;
    return TRUE;
}

static BOOL switched_off(const WCHAR *variable)
{
    WCHAR text[8];
    return read_variable(variable, text, ARRAYSIZE(text)) && _wcsicmp(text, L"off") == 0;
}

BOOL rm_tunable_wow64_helper_off(void)
{
    return switched_off(L"RSTRTMGR_WOW64_HELPER");
}

BOOL rm_tunable_wow64_tebs_allowed(void)
{
    WCHAR text[16];
    return !switched_off(L"RSTRTMGR_WOW64_TEBS") && !rm_tunable_wow64_helper_off() &&
           !read_variable(L"RSTRTMGR_FAULT_WOW64_HELPER", text, ARRAYSIZE(text));
}

DWORD rm_tunable_fault_hang_pid(void)
{
    WCHAR text[16];
    return read_variable(L"RSTRTMGR_FAULT_HANG_IDENTIFY", text, ARRAYSIZE(text))
               ? (DWORD)wcstoul(text, NULL, 0)
               : 0;
}

/* The value as the registry holds it now (a decimal string, or a DWORD); 0 if absent. */
static DWORD registry_ms(HKEY root, const WCHAR *key, const WCHAR *name)
{
    BYTE data[64];
    DWORD type = 0, size = sizeof(data) - sizeof(WCHAR);
    if (RegGetValueW(root, key, name, RRF_RT_REG_SZ | RRF_RT_REG_DWORD | RRF_NOEXPAND, &type,
                     data, &size) != ERROR_SUCCESS)
        return 0;
    if (type == REG_DWORD)
        return *(DWORD *)data;
    data[size] = data[size + 1] = 0;
    return parse_ms((const WCHAR *)data);
}

/* Read at each call, so a changed setting applies to the next call: the registry value
 * the page names, else what SystemParametersInfo reports, else Windows' default. */
static DWORD system_ms(HKEY root, const WCHAR *key, const WCHAR *name, UINT spi, DWORD fallback)
{
    DWORD value = registry_ms(root, key, name);
    if (value == 0 && (!SystemParametersInfoW(spi, 0, &value, 0) || value == 0))
        value = fallback;
    return value;
}

static DWORD hung_app_ms(void)
{
    return system_ms(HKEY_CURRENT_USER, L"Control Panel\\Desktop", L"HungAppTimeout",
                     SPI_GETHUNGAPPTIMEOUT, HUNG_APP_DEFAULT_MS);
}

DWORD rm_tunable_ms(rm_tunable which)
{
    DWORD value;
    if (override_ms(which, &value))
        return value;
    switch (which) {
    case RM_TUNABLE_LOCK_TIMEOUT:
        return 10000;
    case RM_TUNABLE_WOW64_HELPER_TIMEOUT:
        return 5000; /* a process start and one query per process, with room to spare */
    case RM_TUNABLE_MESSAGE_TIMEOUT:
        value = hung_app_ms();
        return value > overrides[which].max_ms ? overrides[which].max_ms : value;
    case RM_TUNABLE_APP_TIMEOUT:
        value = hung_app_ms();
        return value > overrides[which].max_ms / APP_GRACE_IN_HUNG_TIMEOUTS
                   ? overrides[which].max_ms
                   : value * APP_GRACE_IN_HUNG_TIMEOUTS;
    case RM_TUNABLE_SERVICE_TIMEOUT:
        value = system_ms(HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Control",
                          L"WaitToKillServiceTimeout", SPI_GETWAITTOKILLSERVICETIMEOUT,
                          SERVICE_DEFAULT_MS);
        return value > overrides[which].max_ms ? overrides[which].max_ms : value;
    default:
        return 0;
    }
}
