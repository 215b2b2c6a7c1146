// SPDX-License-Identifier: LGPL-2.1-or-later
/* The other architecture's build of the helpers, and whether this process can look into
 * processes of the other bitness. */
#include "rmt_internal.h"

#include <wchar.h>

BOOL rmt_other_arch_file(const wchar_t *file_name, wchar_t *out, size_t cch)
{
#ifdef _WIN64
    const wchar_t *mine = L"\\x86_64\\bin", *theirs = L"i686";
#else
    const wchar_t *mine = L"\\i686\\bin", *theirs = L"x86_64";
#endif
    wchar_t dir[RMT_PATH_CCH];
    if (cch)
        out[0] = L'\0';
    if (!rmt_exe_dir(dir, RMT_PATH_CCH))
        return FALSE;
    size_t length = wcslen(dir), suffix = wcslen(mine);
    if (length < suffix || _wcsicmp(dir + length - suffix, mine) != 0)
        return FALSE;
    dir[length - suffix] = L'\0';
    int written = swprintf(out, cch, L"%ls\\%ls\\bin\\%ls", dir, theirs, file_name);
    return written > 0 && (size_t)written < cch &&
           GetFileAttributesW(out) != INVALID_FILE_ATTRIBUTES;
}

#ifndef _WIN64
/* The calling process's variable says "off". */
static BOOL switched_off(const wchar_t *variable)
{
    wchar_t value[8];
    DWORD length = GetEnvironmentVariableW(variable, value, 8);
    return length && length < 8 && _wcsicmp(value, L"off") == 0;
}
#endif

BOOL rmt_can_read_other_arch(void)
{
#ifdef _WIN64
    return TRUE;
#else
    /* The read exists on Windows and Wine 8; where the PEB is comes from the system or,
     * without NtWow64QueryInformationProcess64 (Wine 8), from one of the process's
     * threads' TEBs (B-WOW64-7, unless RSTRTMGR_WOW64_TEBS=off) or the DLL's 64-bit half
     * beside it (src/win/process/wow64_helper.h); RSTRTMGR_WOW64_HELPER=off turns both
     * off. */
    wchar_t helper[RMT_PATH_CCH];
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    if (!GetProcAddress(ntdll, "NtWow64ReadVirtualMemory64"))
        return FALSE;
    if (GetProcAddress(ntdll, "NtWow64QueryInformationProcess64"))
        return TRUE;
    if (switched_off(L"RSTRTMGR_WOW64_HELPER"))
        return FALSE;
    if (!switched_off(L"RSTRTMGR_WOW64_TEBS"))
        return TRUE;
    return rmt_exe_path(L"rstrtmgr_wow64.exe", helper, RMT_PATH_CCH) &&
           GetFileAttributesW(helper) != INVALID_FILE_ATTRIBUTES;
#endif
}
