// SPDX-License-Identifier: LGPL-2.1-or-later
/* Installing, starting, stopping and deleting rm_service.exe services in the Wine
 * prefix' SCM. The SCM offers no portable wait, so these poll QueryServiceStatusEx,
 * always against a deadline. */
#include "rmt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define POLL_INTERVAL_MS 20

static BOOL query_status(SC_HANDLE service, SERVICE_STATUS_PROCESS *status)
{
    DWORD needed;
    if (QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)status, sizeof(*status),
                             &needed))
        return TRUE;
    rmt_report("QueryServiceStatusEx", NULL);
    return FALSE;
}

/* Polls until the service reaches wanted (TRUE) or the deadline (FALSE). When waiting
 * for SERVICE_RUNNING, SERVICE_STOPPED means the start failed: FALSE at once. */
static BOOL wait_for_state(SC_HANDLE service, DWORD wanted, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    SERVICE_STATUS_PROCESS status;
    for (;;) {
        if (!query_status(service, &status))
            return FALSE;
        if (status.dwCurrentState == wanted)
            return TRUE;
        if (wanted == SERVICE_RUNNING && status.dwCurrentState == SERVICE_STOPPED) {
            fprintf(stderr, "rm_test_support: service stopped while starting (exit %lu/%lu)\n",
                    (unsigned long)status.dwWin32ExitCode,
                    (unsigned long)status.dwServiceSpecificExitCode);
            return FALSE;
        }
        if (GetTickCount() - start >= timeout_ms) {
            fprintf(stderr, "rm_test_support: service in state %lu, not %lu, after %lu ms\n",
                    (unsigned long)status.dwCurrentState, (unsigned long)wanted,
                    (unsigned long)timeout_ms);
            return FALSE;
        }
        Sleep(POLL_INTERVAL_MS);
    }
}

BOOL rmt_service_name(wchar_t *out, size_t cch)
{
    return rmt_unique_name(L"rmt_svc", out, cch);
}

/* Removes a leftover of an earlier, aborted run. TRUE if no service is called name. */
static BOOL remove_stale_service(SC_HANDLE manager, const wchar_t *name)
{
    SC_HANDLE stale = OpenServiceW(manager, name, SERVICE_ALL_ACCESS);
    if (!stale)
        return GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST;
    return rmt_service_delete(stale);
}

BOOL rmt_service_install(const wchar_t *name, const wchar_t *args, SC_HANDLE *out)
{
    wchar_t exe_path[RMT_PATH_CCH];
    wchar_t *binary_path;
    size_t cch;
    SC_HANDLE manager;

    *out = NULL;
    if (!rmt_exe_path(L"rm_service.exe", exe_path, RMT_PATH_CCH))
        return FALSE;
    cch = wcslen(exe_path) + (args ? wcslen(args) : 0) + 8;
    binary_path = malloc(cch * sizeof(wchar_t));
    if (!binary_path)
        return FALSE;
    swprintf(binary_path, cch, L"\"%ls\"%ls%ls", exe_path, args ? L" " : L"",
             args ? args : L"");

    manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    if (!manager) {
        rmt_report("OpenSCManager", NULL);
    } else {
        if (remove_stale_service(manager, name)) {
            *out = CreateServiceW(manager, name, name, SERVICE_ALL_ACCESS,
                                  SERVICE_WIN32_OWN_PROCESS, SERVICE_DEMAND_START,
                                  SERVICE_ERROR_IGNORE, binary_path, NULL, NULL, NULL, NULL,
                                  NULL);
            if (!*out)
                rmt_report("CreateService", binary_path);
        }
        CloseServiceHandle(manager);
    }
    free(binary_path);
    return *out != NULL;
}

BOOL rmt_service_start_wait(SC_HANDLE service, DWORD timeout_ms)
{
    if (!StartServiceW(service, 0, NULL) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
        rmt_report("StartService", NULL);
        return FALSE;
    }
    return wait_for_state(service, SERVICE_RUNNING, timeout_ms);
}

/* After SERVICE_STOPPED the process may still be exiting; wait for it too, so the
 * next step sees no trace of the service. */
static BOOL wait_process_exit(HANDLE process, DWORD start, DWORD timeout_ms)
{
    DWORD elapsed = GetTickCount() - start;
    if (!process)
        return TRUE;
    if (WaitForSingleObject(process, elapsed < timeout_ms ? timeout_ms - elapsed : 0) ==
        WAIT_OBJECT_0)
        return TRUE;
    fprintf(stderr, "rm_test_support: service process still alive after SERVICE_STOPPED\n");
    return FALSE;
}

BOOL rmt_service_stop_wait(SC_HANDLE service, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    SERVICE_STATUS_PROCESS status;
    SERVICE_STATUS ignored;
    HANDLE process = NULL;
    BOOL ok;

    if (!query_status(service, &status))
        return FALSE;
    if (status.dwCurrentState == SERVICE_STOPPED)
        return TRUE;
    if (status.dwProcessId)
        process = OpenProcess(SYNCHRONIZE, FALSE, status.dwProcessId);
    /* A service still starting cannot accept STOP yet: retry until the deadline. */
    while (!ControlService(service, SERVICE_CONTROL_STOP, &ignored) &&
           GetLastError() == ERROR_SERVICE_CANNOT_ACCEPT_CTRL &&
           GetTickCount() - start < timeout_ms)
        Sleep(POLL_INTERVAL_MS);
    ok = wait_for_state(service, SERVICE_STOPPED, timeout_ms) &&
         wait_process_exit(process, start, timeout_ms);
    if (process)
        CloseHandle(process);
    return ok;
}

BOOL rmt_service_delete(SC_HANDLE service)
{
    BOOL ok;
    if (!rmt_service_stop_wait(service, RMT_SERVICE_TIMEOUT_MS))
        fprintf(stderr, "rm_test_support: deleting a service that did not stop\n");
    ok = DeleteService(service);
    if (!ok)
        rmt_report("DeleteService", NULL);
    CloseServiceHandle(service);
    return ok;
}

DWORD rmt_service_pid(const wchar_t *name)
{
    SC_HANDLE manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    SC_HANDLE service = manager ? OpenServiceW(manager, name, SERVICE_QUERY_STATUS) : NULL;
    SERVICE_STATUS_PROCESS status;
    DWORD pid = 0;
    if (service && query_status(service, &status) && status.dwCurrentState != SERVICE_STOPPED)
        pid = status.dwProcessId;
    if (service)
        CloseServiceHandle(service);
    if (manager)
        CloseServiceHandle(manager);
    return pid;
}
