// SPDX-License-Identifier: LGPL-2.1-or-later
/* See query.h. Uses the public Restart Manager API only. LGPL-2.1-or-later. */
#include "query.h"

#include <stdlib.h>

#include "exit_codes.h"
#include "output.h"
#include "rstrtmgr/rstrtmgr_ext.h"
#include "tree_register.h"

/* The list may grow between the two RmGetList calls; give up after this many. */
#define LIST_ATTEMPTS 5

/* The session the console control handler cancels: the handler runs on another thread. */
static volatile LONG cancel_session = -1;
static volatile LONG cancel_requested;

const wchar_t *query_error_name(DWORD error)
{
    switch (error) {
    case ERROR_SUCCESS: return L"ERROR_SUCCESS";
    case ERROR_ACCESS_DENIED: return L"ERROR_ACCESS_DENIED (a directory was registered?)";
    case ERROR_INVALID_HANDLE: return L"ERROR_INVALID_HANDLE";
    case ERROR_OUTOFMEMORY: return L"ERROR_OUTOFMEMORY";
    case ERROR_WRITE_FAULT: return L"ERROR_WRITE_FAULT";
    case ERROR_SEM_TIMEOUT: return L"ERROR_SEM_TIMEOUT";
    case ERROR_BAD_ARGUMENTS: return L"ERROR_BAD_ARGUMENTS";
    case ERROR_MORE_DATA: return L"ERROR_MORE_DATA";
    case ERROR_FAIL_NOACTION_REBOOT: return L"ERROR_FAIL_NOACTION_REBOOT";
    case ERROR_FAIL_SHUTDOWN: return L"ERROR_FAIL_SHUTDOWN";
    case ERROR_FAIL_RESTART: return L"ERROR_FAIL_RESTART";
    case ERROR_MAX_SESSIONS_REACHED: return L"ERROR_MAX_SESSIONS_REACHED";
    case ERROR_REQUEST_OUT_OF_SEQUENCE: return L"ERROR_REQUEST_OUT_OF_SEQUENCE";
    case ERROR_CANCELLED: return L"ERROR_CANCELLED";
    case ERROR_SESSION_CREDENTIAL_CONFLICT: return L"ERROR_SESSION_CREDENTIAL_CONFLICT";
    case ERROR_CALL_NOT_IMPLEMENTED: return L"ERROR_CALL_NOT_IMPLEMENTED";
    default: return L"error";
    }
}

int query_failure_exit(DWORD error)
{
    return error == ERROR_CANCELLED ? RMTOOL_CANCELLED : RMTOOL_RM_ERROR;
}

static void report_failure(const wchar_t *call, DWORD error)
{
    err_printf(L"rmtool: %ls failed: %lu %ls\n", call, (unsigned long)error,
               query_error_name(error));
}

static BOOL WINAPI on_console_control(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
        return FALSE;
    InterlockedExchange(&cancel_requested, 1);
    if (cancel_session != -1)
        RmCancelCurrentTask((DWORD)cancel_session);
    return TRUE; /* handled: the main thread reports the cancellation and ends the session */
}

void query_install_cancel_handler(void)
{
    SetConsoleCtrlHandler(on_console_control, TRUE);
}

BOOL query_cancelled(void)
{
    return cancel_requested != 0;
}

/* RM_UNIQUE_PROCESS of a running pid (its creation time guards against pid reuse). */
static BOOL unique_process(DWORD pid, RM_UNIQUE_PROCESS *out)
{
    FILETIME exit_time, kernel_time, user_time;
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    BOOL ok;
    if (!process)
        return FALSE;
    out->dwProcessId = pid;
    ok = GetProcessTimes(process, &out->ProcessStartTime, &exit_time, &kernel_time, &user_time);
    CloseHandle(process);
    return ok;
}

int query_start(rm_query *query, const rmtool_options *options)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1] = {0};
    RM_UNIQUE_PROCESS *processes = NULL;
    DWORD error;

    ZeroMemory(query, sizeof(*query));
    if (options->pid_count && !(processes = calloc(options->pid_count, sizeof(*processes)))) {
        report_failure(L"allocating the process list", ERROR_OUTOFMEMORY);
        return RMTOOL_RM_ERROR;
    }
    for (UINT i = 0; i < options->pid_count; i++) {
        if (!unique_process(options->pids[i], &processes[i])) {
            err_printf(L"rmtool: --pid %lu: no such process, or it cannot be queried (%lu)\n",
                       (unsigned long)options->pids[i], (unsigned long)GetLastError());
            free(processes);
            return RMTOOL_RM_ERROR;
        }
    }

    error = RmStartSession(&query->session, 0, key);
    if (error != ERROR_SUCCESS) {
        report_failure(L"RmStartSession", error);
        free(processes);
        return RMTOOL_RM_ERROR;
    }
    query->started = TRUE;
    InterlockedExchange(&cancel_session, (LONG)query->session);

    error = RmRegisterResources(query->session, options->file_count,
                                (LPCWSTR *)options->files, options->pid_count, processes,
                                options->service_count, (LPCWSTR *)options->services);
    free(processes);
    if (error != ERROR_SUCCESS) {
        report_failure(L"RmRegisterResources", error);
        return RMTOOL_RM_ERROR;
    }
    for (UINT i = 0; i < options->directory_count; i++) {
        const wchar_t *failed_call = NULL;
        error = tree_register(query->session, options->directories[i], !options->no_progress,
                              &failed_call);
        if (error != ERROR_SUCCESS) {
            if (failed_call)
                report_failure(failed_call, error);
            return query_failure_exit(error);
        }
    }
    return RMTOOL_OK;
}

DWORD query_list(rm_query *query)
{
    UINT needed = 0, count = 0;
    DWORD reasons = 0, error = ERROR_MORE_DATA;

    for (int attempt = 0; attempt < LIST_ATTEMPTS && error == ERROR_MORE_DATA; attempt++) {
        count = query->capacity;
        error = RmGetList(query->session, &needed, &count, query->apps, &reasons);
        if (error == ERROR_MORE_DATA) {
            /* Room for a few more: the list may grow before the next call. */
            RM_PROCESS_INFO *bigger = realloc(query->apps, (needed + 4) * sizeof(*bigger));
            if (!bigger) {
                error = ERROR_OUTOFMEMORY;
                break;
            }
            query->apps = bigger;
            query->capacity = needed + 4;
        }
    }
    if (error != ERROR_SUCCESS) {
        report_failure(L"RmGetList", error);
        query->count = 0;
        return error;
    }
    query->count = count;
    query->reboot_reasons = reasons;
    return ERROR_SUCCESS;
}

typedef DWORD(WINAPI *get_evidence_fn)(DWORD, UINT *, UINT *, RMX_EVIDENCE *);

BOOL query_evidence(rm_query *query)
{
    HMODULE dll = GetModuleHandleW(L"rstrtmgr.dll");
    get_evidence_fn get_evidence =
        dll ? (get_evidence_fn)(void *)GetProcAddress(dll, "RmxGetEvidence") : NULL;
    UINT needed = 0, count = query->count;
    free(query->evidence);
    query->evidence = NULL;
    if (!get_evidence || query->count == 0)
        return get_evidence != NULL;
    RMX_EVIDENCE *evidence = calloc(query->count, sizeof(*evidence));
    /* One entry per listed process, in the list's order: anything else is not this list. */
    if (!evidence || get_evidence(query->session, &needed, &count, evidence) != ERROR_SUCCESS ||
        count != query->count) {
        free(evidence);
        return FALSE;
    }
    for (UINT i = 0; i < count; i++)
        if (evidence[i].Process.dwProcessId != query->apps[i].Process.dwProcessId) {
            free(evidence);
            return FALSE;
        }
    query->evidence = evidence;
    return TRUE;
}

void query_end(rm_query *query)
{
    InterlockedExchange(&cancel_session, -1);
    if (query->started) {
        DWORD error = RmEndSession(query->session);
        if (error != ERROR_SUCCESS)
            report_failure(L"RmEndSession", error);
    }
    free(query->apps);
    free(query->evidence);
    ZeroMemory(query, sizeof(*query));
}
