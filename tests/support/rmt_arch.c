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

BOOL rmt_can_read_other_arch(void)
{
#ifdef _WIN64
    return TRUE;
#else
    /* The read exists on Windows and Wine 8; where the PEB is comes from the system or,
     * without NtWow64QueryInformationProcess64 (Wine 8), from the DLL's 64-bit half
     * beside it (src/win/process/wow64_helper.h). */
    wchar_t helper[RMT_PATH_CCH], off[8];
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    if (!GetProcAddress(ntdll, "NtWow64ReadVirtualMemory64"))
        return FALSE;
    if (GetProcAddress(ntdll, "NtWow64QueryInformationProcess64"))
        return TRUE;
    DWORD length = GetEnvironmentVariableW(L"RSTRTMGR_WOW64_HELPER", off, 8);
    if (length && length < 8 && _wcsicmp(off, L"off") == 0)
        return FALSE;
    return rmt_exe_path(L"rstrtmgr_wow64.exe", helper, RMT_PATH_CCH) &&
           GetFileAttributesW(helper) != INVALID_FILE_ATTRIBUTES;
#endif
}
