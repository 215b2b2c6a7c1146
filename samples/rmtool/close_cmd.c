// SPDX-License-Identifier: LGPL-2.1-or-later
/* See close_cmd.h. LGPL-2.1-or-later. */
#include "close_cmd.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "exit_codes.h"
#include "output.h"
#include "query.h"
#include "report.h"
#include "rstrtmgr/rstrtmgr_ext.h"

/* After RmShutdown returns, how long a closed process may take to be gone for good. */
#define EXIT_GRACE_MS 2000u

/* ---- progress display (the status callback has no context argument) -------------- */

static const wchar_t *progress_label;
static BOOL progress_line_open;

/* RM_WRITE_STATUS_CALLBACK: default calling convention, not WINAPI. */
static void show_progress(UINT percent)
{
    if (err_is_console()) {
        err_printf(L"\r%ls %3u%%", progress_label, percent);
        progress_line_open = percent < 100;
        if (!progress_line_open)
            err_printf(L"\n");
    } else {
        err_printf(L"%ls %u%%\n", progress_label, percent);
    }
}

static RM_WRITE_STATUS_CALLBACK progress_for(const rmtool_options *options, const wchar_t *label)
{
    progress_label = label;
    progress_line_open = FALSE;
    return options->no_progress ? NULL : show_progress;
}

static void end_progress(void)
{
    if (progress_line_open)
        err_printf(L"\n");
    progress_line_open = FALSE;
}

/* ---- what became of each process after RmShutdown -------------------------------- */

static BOOL same_time(const FILETIME *a, const FILETIME *b)
{
    return a->dwLowDateTime == b->dwLowDateTime && a->dwHighDateTime == b->dwHighDateTime;
}

static const wchar_t *process_state(const RM_UNIQUE_PROCESS *unique, DWORD deadline)
{
    FILETIME created, exited, kernel, user;
    HANDLE process = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                                 unique->dwProcessId);
    const wchar_t *state = L"still running";
    if (!process)
        return GetLastError() == ERROR_INVALID_PARAMETER ? L"closed" : L"unknown";
    if (GetProcessTimes(process, &created, &exited, &kernel, &user) &&
        !same_time(&created, &unique->ProcessStartTime)) {
        state = L"closed"; /* the pid now belongs to another process */
    } else {
        DWORD now = GetTickCount();
        DWORD wait = (LONG)(deadline - now) > 0 ? deadline - now : 0;
        if (WaitForSingleObject(process, wait) == WAIT_OBJECT_0)
            state = L"closed";
    }
    CloseHandle(process);
    return state;
}

static const wchar_t *service_state(const wchar_t *name)
{
    SC_HANDLE manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    SC_HANDLE service = manager ? OpenServiceW(manager, name, SERVICE_QUERY_STATUS) : NULL;
    SERVICE_STATUS status;
    const wchar_t *state = L"unknown";
    if (service && QueryServiceStatus(service, &status))
        state = status.dwCurrentState == SERVICE_STOPPED ? L"stopped" : L"still running";
    if (service)
        CloseServiceHandle(service);
    if (manager)
        CloseServiceHandle(manager);
    return state;
}

static void report_after_shutdown(const RM_PROCESS_INFO *apps, UINT count)
{
    DWORD deadline = GetTickCount() + EXIT_GRACE_MS;
    for (UINT i = 0; i < count; i++) {
        const wchar_t *state = apps[i].ApplicationType == RmService &&
                                       apps[i].strServiceShortName[0]
                                   ? service_state(apps[i].strServiceShortName)
                                   : process_state(&apps[i].Process, deadline);
        out_printf(L"  %-14ls %-8lu %ls\n", state, (unsigned long)apps[i].Process.dwProcessId,
                   apps[i].strAppName);
    }
}

/* ---- cycle: between shutdown and restart ----------------------------------------- */

static void sleep_unless_cancelled(DWORD milliseconds)
{
    DWORD start = GetTickCount();
    while (!query_cancelled() && GetTickCount() - start < milliseconds) {
        DWORD left = milliseconds - (GetTickCount() - start);
        Sleep(left < 100 ? left : 100);
    }
}

static void wait_for_enter(void)
{
    HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
    char byte;
    DWORD got;
    err_printf(L"The applications are closed. Press Enter to restart them.\n");
    if (!input || input == INVALID_HANDLE_VALUE)
        return;
    /* A line, or the end of input (a script's stdin from /dev/null). */
    while (!query_cancelled() && ReadFile(input, &byte, 1, &got, NULL) && got == 1 &&
           byte != '\n')
        ;
}

static int run_command(const wchar_t *command_line)
{
    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    DWORD exit_code = 1;
    wchar_t *mutable_line = _wcsdup(command_line); /* CreateProcessW may write to it */

    ZeroMemory(&startup, sizeof(startup));
    startup.cb = sizeof(startup);

    if (!mutable_line ||
        !CreateProcessW(NULL, mutable_line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &process)) {
        err_printf(L"rmtool: --run: cannot start \"%ls\" (%lu)\n", command_line,
                   (unsigned long)GetLastError());
        free(mutable_line);
        return RMTOOL_RUN_FAILED;
    }
    free(mutable_line);
    WaitForSingleObject(process.hProcess, INFINITE);
    GetExitCodeProcess(process.hProcess, &exit_code);
    CloseHandle(process.hThread);
    CloseHandle(process.hProcess);
    if (exit_code != 0) {
        err_printf(L"rmtool: --run: \"%ls\" exited with %lu\n", command_line,
                   (unsigned long)exit_code);
        return RMTOOL_RUN_FAILED;
    }
    return RMTOOL_OK;
}

static int between_shutdown_and_restart(const rmtool_options *options)
{
    int code = RMTOOL_OK;
    if (options->run_command)
        code = run_command(options->run_command);
    if (options->wait_given)
        sleep_unless_cancelled(options->wait_ms);
    else if (!options->run_command)
        wait_for_enter();
    return code;
}

/* ---- the command ------------------------------------------------------------------ */

static int shutdown_exit(DWORD error)
{
    switch (error) {
    case ERROR_SUCCESS: return RMTOOL_OK;
    case ERROR_FAIL_SHUTDOWN: return RMTOOL_SHUTDOWN_FAILED;
    case ERROR_FAIL_NOACTION_REBOOT: return RMTOOL_REBOOT_NEEDED;
    default: return query_failure_exit(error);
    }
}

/* Restarts what RmShutdown closed; returns the exit code of the restart step. */
static int restart(rm_query *query, const rmtool_options *options)
{
    DWORD error = RmRestart(query->session, 0, progress_for(options, L"restarting"));
    end_progress();
    if (error == ERROR_SUCCESS) {
        out_printf(L"Restarted the applications.\n");
        return RMTOOL_OK;
    }
    err_printf(L"rmtool: RmRestart: %lu %ls\n", (unsigned long)error, query_error_name(error));
    return error == ERROR_FAIL_RESTART ? RMTOOL_RESTART_FAILED : query_failure_exit(error);
}

static int close_in_session(rm_query *query, const rmtool_options *options)
{
    ULONG flags = (options->force ? RmForceShutdown : 0) |
                  (options->only_registered ? RmShutdownOnlyRegistered : 0);
    RM_PROCESS_INFO *before;
    UINT count;
    DWORD error = query_list(query);
    int code, step_code;

    if (error != ERROR_SUCCESS)
        return query_failure_exit(error);
    report_table(query->apps, query->count, query->reboot_reasons);
    if (query->reboot_reasons) {
        err_printf(L"rmtool: only a reboot frees these files; nothing was closed.\n");
        return RMTOOL_REBOOT_NEEDED;
    }
    if (query->count == 0) {
        out_printf(L"Nothing to close.\n");
        return RMTOOL_OK;
    }
    /* Kept to tell, afterwards, which of them are gone. */
    count = query->count;
    before = malloc(count * sizeof(*before));
    if (!before)
        return RMTOOL_RM_ERROR;
    memcpy(before, query->apps, count * sizeof(*before));

    error = RmShutdown(query->session, flags, progress_for(options, L"closing"));
    end_progress();
    if (error != ERROR_SUCCESS)
        err_printf(L"rmtool: RmShutdown: %lu %ls\n", (unsigned long)error,
                   query_error_name(error));
    report_after_shutdown(before, count);
    free(before);
    code = shutdown_exit(error);

    /* cycle restarts whatever was closed, even after a partial or cancelled shutdown:
     * applications must not be left down. */
    if (options->command != CMD_CYCLE ||
        (error != ERROR_SUCCESS && error != ERROR_FAIL_SHUTDOWN && error != ERROR_CANCELLED))
        return code;
    step_code = between_shutdown_and_restart(options);
    if (code == RMTOOL_OK)
        code = step_code;
    step_code = restart(query, options);
    if (code == RMTOOL_OK)
        code = step_code;
    if (code == RMTOOL_OK && query_cancelled())
        code = RMTOOL_CANCELLED;
    return code;
}

int close_command(const rmtool_options *options)
{
    rm_query query;
    int code = query_start(&query, options);
    if (code == RMTOOL_OK)
        code = close_in_session(&query, options);
    query_end(&query);
    return code;
}
