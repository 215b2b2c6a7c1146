// SPDX-License-Identifier: LGPL-2.1-or-later
#include "sample_report.h"

#include <stdio.h>
#include "rstrtmgr/rstrtmgr_ext.h"

static const WCHAR *error_name(DWORD error)
{
    switch (error) {
    case ERROR_SUCCESS: return L"ERROR_SUCCESS";
    case ERROR_INVALID_HANDLE: return L"ERROR_INVALID_HANDLE";
    case ERROR_MORE_DATA: return L"ERROR_MORE_DATA";
    case ERROR_BAD_ARGUMENTS: return L"ERROR_BAD_ARGUMENTS";
    case ERROR_ACCESS_DENIED: return L"ERROR_ACCESS_DENIED";
    case ERROR_SESSION_CREDENTIAL_CONFLICT: return L"ERROR_SESSION_CREDENTIAL_CONFLICT";
    case ERROR_CANCELLED: return L"ERROR_CANCELLED";
    case ERROR_REQUEST_OUT_OF_SEQUENCE: return L"ERROR_REQUEST_OUT_OF_SEQUENCE";
    case ERROR_FAIL_NOACTION_REBOOT: return L"ERROR_FAIL_NOACTION_REBOOT";
    case ERROR_FAIL_SHUTDOWN: return L"ERROR_FAIL_SHUTDOWN";
    case ERROR_FAIL_RESTART: return L"ERROR_FAIL_RESTART";
    case ERROR_MAX_SESSIONS_REACHED: return L"ERROR_MAX_SESSIONS_REACHED";
    case ERROR_CALL_NOT_IMPLEMENTED: return L"ERROR_CALL_NOT_IMPLEMENTED";
    default: return L"error";
    }
}

void sample_step(const WCHAR *step, DWORD result)
{
    wprintf(L"%-34ls -> %lu (%ls)\n", step, (unsigned long)result, error_name(result));
    fflush(stdout);
}

static const WCHAR *type_name(RM_APP_TYPE type)
{
    switch (type) {
    case RmMainWindow: return L"main window";
    case RmOtherWindow: return L"other window";
    case RmService: return L"service";
    case RmExplorer: return L"explorer";
    case RmConsole: return L"console";
    case RmCritical: return L"critical";
    default: return L"unknown";
    }
}

void sample_print_apps(const RM_PROCESS_INFO *apps, UINT count, DWORD reboot_reasons)
{
    wprintf(L"    %u application(s) use the files; reboot reasons 0x%lx\n", count,
            (unsigned long)reboot_reasons);
    for (UINT i = 0; i < count; i++)
        wprintf(L"    - pid %lu \"%ls\" (%ls%ls%ls)%ls\n", (unsigned long)apps[i].Process.dwProcessId,
                apps[i].strAppName, type_name(apps[i].ApplicationType),
                apps[i].strServiceShortName[0] ? L", service " : L"",
                apps[i].strServiceShortName, apps[i].bRestartable ? L", restartable" : L"");
    fflush(stdout);
}
