// SPDX-License-Identifier: LGPL-2.1-or-later
/* Microsoft's statements on shutting applications down and restarting them, the cases of
 * test_documented (the table and the other statements: test_documented.c); each case
 * quotes the statement and its page, and the docs/behaviour.md rule it backs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <tlhelp32.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "rmt_dynamic_api.h"
#include "session_calls.h"
#include "documented.h"

/* Whether this process is attached to a console (AttachConsole refuses a second one). */
static BOOL has_console(void)
{
    return !AttachConsole(ATTACH_PARENT_PROCESS) && GetLastError() == ERROR_ACCESS_DENIED;
}

/* ---- item 5: console applications get CTRL_C_EVENT ---------------------------------
 * "The Restart Manager sends a CTRL_C_EVENT notification to console applications that
 * must be shut down and restarted."
 *   — Guidelines for Applications, learn.microsoft.com/windows/win32/rstmgr/
 *     guidelines-for-applications (docs/behaviour.md B-SHUT-6)
 * Also when the installer itself runs in a console (a console installer, a script). */
void test_console_app_gets_ctrl_c_from_console_caller(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process app;
    DWORD handle, app_exit = 99;
    (void)state;
    if (!has_console())
        assert_true(AllocConsole());
    assert_true(has_console());
    rmt_test_path(L"console-caller.log", log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" --on-ctrl exit", log);
    rmt_must_spawn_ex(L"rm_console_app.exe", args, CREATE_NEW_CONSOLE, &app);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &app);
    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_exit_code(&app, &app_exit));
    assert_int_equal(app_exit, RMH_EXIT_OK); /* it handled the event and exited itself */
    rmt_must_read_log(log, text, sizeof(text));
    assert_non_null(strstr(text, "CTRL 0 CTRL_C_EVENT"));
    assert_true(has_console()); /* the caller kept its console */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- item 3: polite shutdown is all or none ---------------------------------------
 * "If any GUI application responds to a WM_QUERYENDSESSION message by returning a value
 * of FALSE, the shutdown is canceled. However, if the shutdown is forced, the application
 * is terminated regardless."
 *   — Guidelines for Applications, learn.microsoft.com/windows/win32/rstmgr/
 *     guidelines-for-applications (docs/behaviour.md B-SHUT-3) */
static void spawn_logged(const wchar_t *exe, const wchar_t *log, const wchar_t *extra,
                         DWORD flags, rmt_process *out)
{
    wchar_t args[RMT_ARGS_CCH];
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" %ls", log, extra ? extra : L"");
    rmt_must_spawn_ex(exe, args, flags, out);
}

void test_one_refusal_cancels_the_whole_shutdown(void **state)
{
    wchar_t refusing_log[RMT_PATH_CCH], accepting_log[RMT_PATH_CCH], console_log[RMT_PATH_CCH];
    char text[LOG_BYTES];
    rmt_process refusing, accepting, console;
    DWORD handle;
    (void)state;
    rmt_test_path(L"refusing.log", refusing_log);
    rmt_test_path(L"accepting.log", accepting_log);
    rmt_test_path(L"console.log", console_log);
    spawn_logged(L"rm_gui_app.exe", refusing_log, L"--on-query refuse", 0, &refusing);
    spawn_logged(L"rm_gui_app.exe", accepting_log, NULL, 0, &accepting);
    spawn_logged(L"rm_console_app.exe", console_log, L"--on-ctrl exit", CREATE_NEW_CONSOLE,
                 &console);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &accepting);
    register_process(handle, &refusing);
    register_process(handle, &console);

    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_FAIL_SHUTDOWN);
    Sleep(500); /* anything wrongly ended has had time to go */
    assert_true(rmt_is_running(&refusing));
    assert_true(rmt_is_running(&accepting)); /* asked, agreed, yet not ended */
    assert_true(rmt_is_running(&console));   /* never asked: the shutdown was off */
    rmt_must_read_log(accepting_log, text, sizeof(text));
    assert_non_null(strstr(text, "QUERYENDSESSION lParam=0x00000001"));
    assert_null(strstr(text, "ENDSESSION wParam=1"));
    assert_non_null(strstr(text, "ENDSESSION wParam=0")); /* told the session goes on */
    rmt_must_read_log(console_log, text, sizeof(text));
    assert_null(strstr(text, "CTRL"));
    /* Status bits combine (B-GETLIST-12): still running, and it could not be stopped. */
    assert_int_equal(listed_status(handle, refusing.pid), RmStatusRunning | RmStatusErrorOnStop);
    assert_int_equal(listed_status(handle, accepting.pid), RmStatusRunning);

    /* Forced: the refusing one is terminated regardless, the others closed. */
    SetEnvironmentVariableW(L"RSTRTMGR_APP_TIMEOUT_MS", L"2000");
    assert_int_equal(RmShutdown(handle, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&refusing, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_wait_exit(&accepting, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_wait_exit(&console, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- item 4: phase order -------------------------------------------------------------
 * "The Restart Manager stops applications in the following order, and after the
 * applications have been updated, restarts applications that have been registered for
 * restart in the reverse order. 1. GUI applications 2. Console applications 3. Windows
 * services 4. Windows explorer"  (Explorer: tests/unit/test_shutdown_order.c; Wine's
 * explorer.exe is its desktop process, not one to close)
 *   — About Restart Manager, learn.microsoft.com/windows/win32/rstmgr/about-restart-manager
 *     (docs/behaviour.md B-SHUT-4, B-RESTART-2)
 * All three log into one file, so its lines are in the order things happened. The GUI
 * application is slow to answer: run all at once, it would be last. */
/* The first line at or after from that starts with prefix and contains word (may be
 * NULL), or NULL. */
static const char *find_line(const char *from, const char *prefix, const char *word)
{
    for (const char *line = from; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        if (strncmp(line, prefix, strlen(prefix)) == 0) {
            if (!word)
                return line;
            for (const char *at = strstr(line, word); at; at = NULL)
                if ((size_t)(at - line) < length)
                    return line;
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

/* Ends the copies of a helper Restart Manager started (not in the test's job). */
static void kill_relaunched(const wchar_t *exe, DWORD except_pid)
{
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W entry = { .dwSize = sizeof(entry) };
    if (snapshot == INVALID_HANDLE_VALUE)
        return;
    for (BOOL more = Process32FirstW(snapshot, &entry); more; more = Process32NextW(snapshot, &entry)) {
        rmt_process found;
        if (_wcsicmp(entry.szExeFile, exe) == 0 && entry.th32ProcessID != except_pid &&
            rmt_open_process(entry.th32ProcessID, &found))
            rmt_kill(&found);
    }
    CloseHandle(snapshot);
}

void test_gui_then_console_then_services(void **state)
{
    wchar_t log[RMT_PATH_CCH], name[64], args[RMT_ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process gui, console;
    SC_HANDLE service;
    DWORD handle;
    (void)state;
    if (!has_console())
        assert_true(AllocConsole()); /* so the console app gets its Ctrl+C (item 5) */
    rmt_test_path(L"order.log", log);
    spawn_logged(L"rm_gui_app.exe", log, L"--query-delay-ms 700 --lifetime-ms 60000", 0, &gui);
    spawn_logged(L"rm_console_app.exe", log, L"--on-ctrl exit", CREATE_NEW_CONSOLE, &console);
    assert_true(rmt_service_name(name, 64));
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\"", log);
    assert_true(rmt_service_install(name, args, &service));
    assert_true(rmt_service_start_wait(service, RMT_SERVICE_TIMEOUT_MS));
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    LPCWSTR services[1] = { name };
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 1, services), ERROR_SUCCESS);
    register_process(handle, &console);
    register_process(handle, &gui);

    DWORD shutdown = RmShutdown(handle, 0, NULL);
    rmt_must_read_log(log, text, sizeof(text));
    print_message("log after RmShutdown:\n%s", text);
    assert_int_equal(shutdown, ERROR_SUCCESS);
    const char *ended = find_line(text, "ENDSESSION wParam=1", NULL);
    const char *ctrl = find_line(text, "CTRL 0", NULL);
    const char *stop = find_line(text, "STOP", NULL);
    assert_non_null(ended);
    assert_non_null(ctrl);
    assert_non_null(stop);
    /* Offsets in the log: the order things happened. */
    rmt_assert_lt(ended - text, ctrl - text); /* GUI before console */
    rmt_assert_lt(ctrl - text, stop - text);  /* console before services */

    /* Restart in reverse: the service before the GUI application. */
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    const char *gui_start = NULL, *running = NULL;
    for (int i = 0; i < 100 && !gui_start; i++) {
        rmt_must_read_log(log, text, sizeof(text));
        stop = find_line(text, "STOP", NULL);
        gui_start = stop ? find_line(stop, "START ", "rm_gui_app") : NULL;
        if (!gui_start)
            Sleep(100);
    }
    print_message("log after RmRestart:\n%s", stop ? stop : "");
    kill_relaunched(L"rm_gui_app.exe", gui.pid);
    running = stop ? find_line(stop, "RUNNING", NULL) : NULL;
    assert_non_null(running);
    assert_non_null(gui_start);
    rmt_assert_lt(running - text, gui_start - text);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_true(rmt_service_delete(service));
}

/* ---- item 6: restart registration read after the answer, full length --------------
 * "For a Windows application that is being updated, the last opportunity to call this
 * function is while processing the WM_QUERYENDSESSION message." and, of pwzCommandline,
 * "The maximum size of the command line that you can specify is RESTART_MAX_CMD_LINE
 * characters."
 *   — RegisterApplicationRestart function, learn.microsoft.com/windows/win32/api/winbase/
 *     nf-winbase-registerapplicationrestart (docs/behaviour.md B-RESTART-3, B-RESTART-4)
 * Needs GetApplicationRestartSettings; Wine answers E_NOTIMPL (it keeps no registration),
 * so under Wine the case cannot be produced and is skipped, saying so. */
static BOOL restart_registry_works(void)
{
    WCHAR line[RESTART_MAX_CMD_LINE + 1];
    DWORD length = RESTART_MAX_CMD_LINE + 1, flags = 0;
    if (FAILED(RegisterApplicationRestart(L"--probe", 0)))
        return FALSE;
    HRESULT got = GetApplicationRestartSettings(GetCurrentProcess(), line, &length, &flags);
    UnregisterApplicationRestart();
    return got == S_OK;
}

void test_late_full_length_registration_is_used(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[RMT_ARGS_CCH], registered[RESTART_MAX_CMD_LINE + 1];
    char text[LOG_BYTES], title[RESTART_MAX_CMD_LINE + 1];
    rmt_process app;
    DWORD handle;
    (void)state;
    if (!restart_registry_works())
        rmt_case_not_here("GetApplicationRestartSettings is not implemented (Wine: E_NOTIMPL): "
                          "no restart registration can be produced");
    rmt_test_path(L"late.log", log);
    /* --log "<log>" --lifetime-ms 60000 --title xxx...xZ, RESTART_MAX_CMD_LINE units. */
    int used = _snwprintf(registered, RESTART_MAX_CMD_LINE + 1,
                          L"--log \"%ls\" --lifetime-ms 60000 --title ", log);
    rmt_assert_gt(used, 0);
    rmt_assert_lt(used, RESTART_MAX_CMD_LINE - 1);
    for (int i = used; i < RESTART_MAX_CMD_LINE - 1; i++)
        registered[i] = L'x';
    registered[RESTART_MAX_CMD_LINE - 1] = L'Z';
    registered[RESTART_MAX_CMD_LINE] = 0;
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" --register-restart-on-query \"%ls\"", log,
               registered);
    rmt_must_spawn_ex(L"rm_gui_app.exe", args, 0, &app);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &app);
    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    WideCharToMultiByte(CP_UTF8, 0, registered + used, -1, title, sizeof(title), NULL, NULL);
    const char *relaunched = NULL;
    for (int i = 0; i < 100 && !relaunched; i++, Sleep(100)) {
        rmt_must_read_log(log, text, sizeof(text));
        relaunched = strstr(text, title); /* the whole title, ending in Z */
    }
    kill_relaunched(L"rm_gui_app.exe", app.pid);
    assert_non_null(strstr(text, "REGISTER 0x00000000"));
    assert_non_null(relaunched);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- item 8: status after the fact --------------------------------------------------
 * "ERROR_FAIL_SHUTDOWN 351: Some applications could not be shut down. The AppStatus of the
 * RM_PROCESS_INFO structures returned by the RmGetList function contain updated status
 * information." (RmShutdown) and "ERROR_FAIL_RESTART 352: One or more applications could
 * not be restarted. The RM_PROCESS_INFO structures that are returned by the RmGetList
 * function contain updated status information." (RmRestart)
 *   — learn.microsoft.com/windows/win32/api/restartmanager/nf-restartmanager-rmshutdown,
 *     .../nf-restartmanager-rmrestart; RM_APP_STATUS is "a bit mask"
 *     (.../ns-restartmanager-rm_process_info, AppStatus) (docs/behaviour.md B-GETLIST-11,
 *     B-GETLIST-12)
 * The session's applications are reported after the fact, also once they no longer run. */
void test_status_after_shutdown_and_restart(void **state)
{
    wchar_t log_a[RMT_PATH_CCH], log_m[RMT_PATH_CCH], log_n[RMT_PATH_CCH];
    rmt_process closed, kept, not_restarted;
    DWORD handle;
    (void)state;
    rmt_test_path(L"closed.log", log_a);
    rmt_test_path(L"kept.log", log_m);
    rmt_test_path(L"not-restarted.log", log_n);
    spawn_logged(L"rm_gui_app.exe", log_a, L"--lifetime-ms 60000", 0, &closed);
    spawn_logged(L"rm_gui_app.exe", log_m, NULL, 0, &kept);
    spawn_logged(L"rm_gui_app.exe", log_n, NULL, 0, &not_restarted);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &closed);
    register_process(handle, &kept);
    register_process(handle, &not_restarted);
    RM_UNIQUE_PROCESS kept_id = kept.unique, not_restarted_id = not_restarted.unique;
    assert_int_equal(RmAddFilter(handle, NULL, &kept_id, NULL, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, &not_restarted_id, NULL, RmNoRestart),
                     ERROR_SUCCESS);

    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&closed, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_wait_exit(&not_restarted, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(listed_status(handle, closed.pid), RmStatusStopped); /* though gone */
    assert_int_equal(listed_status(handle, not_restarted.pid), RmStatusStopped);
    assert_int_equal(listed_status(handle, kept.pid), RmStatusRunning | RmStatusShutdownMasked);

    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(listed_status(handle, not_restarted.pid),
                     RmStatusStopped | RmStatusRestartMasked);
    /* The relaunched application is reported with RmStatusRestarted. */
    RM_PROCESS_INFO apps[16];
    UINT needed = 0, count = 16;
    DWORD reasons = 0;
    assert_int_equal(RmGetList(handle, &needed, &count, apps, &reasons), ERROR_SUCCESS);
    long restarted = -1;
    for (UINT i = 0; i < count; i++)
        if (apps[i].AppStatus & RmStatusRestarted)
            restarted = (long)apps[i].AppStatus;
    kill_relaunched(L"rm_gui_app.exe", kept.pid);
    assert_int_equal(restarted & RmStatusRestarted, RmStatusRestarted);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- item 7: never relaunched with more rights than the application had -------------
 * "The RmRestart function does not restart any applications that run with elevated
 * privileges. Even if the application was shutdown by Restart Manager." "The RmRestart
 * function does not restart any application that does not run as the currently logged-on
 * user." "When the Restart Manager shuts down and restarts a console application, the
 * application is restarted in a new console."
 *   — RmRestart function, Remarks, learn.microsoft.com/windows/win32/api/restartmanager/
 *     nf-restartmanager-rmrestart (docs/behaviour.md B-RESTART-5, B-RESTART-6, B-RESTART-7)
 * Under Wine every process runs elevated, the shell too, and as one user: what can be
 * produced is an unelevated application (started with the test's linked token) closed
 * and restarted by an elevated caller — it must come back unelevated, never with the
 * caller's token. Another user, an elevated application beside an unelevated shell, and
 * the new console (Wine keeps no console registrations to restart) are decided by
 * src/core/relaunch_rights.c, tested natively (tests/unit/test_relaunch_rights.c). */
static rm_fact token_elevation(HANDLE process)
{
    HANDLE token;
    TOKEN_ELEVATION elevation;
    DWORD size;
    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return RM_FACT_UNKNOWN;
    BOOL ok = GetTokenInformation(token, TokenElevation, &elevation, sizeof(elevation), &size);
    CloseHandle(token);
    return !ok ? RM_FACT_UNKNOWN : elevation.TokenIsElevated ? RM_FACT_YES : RM_FACT_NO;
}

/* This process's unelevated twin token, as a primary token; NULL if there is none. */
static HANDLE unelevated_token(void)
{
    HANDLE own, primary = NULL;
    TOKEN_LINKED_TOKEN linked;
    DWORD size;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &own))
        return NULL;
    if (GetTokenInformation(own, TokenLinkedToken, &linked, sizeof(linked), &size)) {
        if (!DuplicateTokenEx(linked.LinkedToken, MAXIMUM_ALLOWED, NULL, SecurityImpersonation,
                              TokenPrimary, &primary))
            primary = NULL;
        CloseHandle(linked.LinkedToken);
    }
    CloseHandle(own);
    return primary;
}

/* The one process running exe other than except_pid, adopted; FALSE if none in 10 s. */
static BOOL find_relaunched(const wchar_t *exe, DWORD except_pid, rmt_process *out)
{
    for (int attempt = 0; attempt < 100; attempt++, Sleep(100)) {
        HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
        PROCESSENTRY32W entry = { .dwSize = sizeof(entry) };
        BOOL found = FALSE;
        for (BOOL more = Process32FirstW(snapshot, &entry); more && !found;
             more = Process32NextW(snapshot, &entry))
            found = _wcsicmp(entry.szExeFile, exe) == 0 && entry.th32ProcessID != except_pid &&
                    rmt_open_process(entry.th32ProcessID, out);
        CloseHandle(snapshot);
        if (found)
            return TRUE;
    }
    return FALSE;
}

void test_elevated_caller_restarts_unelevated_app_unelevated(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process app, relaunched;
    RM_PROCESS_INFO entry;
    DWORD handle, reasons;
    (void)state;
    HANDLE token = token_elevation(GetCurrentProcess()) == RM_FACT_YES ? unelevated_token() : NULL;
    if (!token)
        rmt_case_not_here("this caller is not elevated or has no unelevated linked token");
    rmt_test_path(L"unelevated.log", log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" --lifetime-ms 60000", log);
    BOOL spawned = rmt_spawn_as(token, L"rm_gui_app.exe", args, &app);
    CloseHandle(token);
    assert_true(spawned);
    assert_int_equal(token_elevation(app.process), RM_FACT_NO);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &app);
    listed_entry(handle, app.pid, &entry, &reasons);
    assert_int_equal(entry.bRestartable, TRUE); /* same user, not elevated */

    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(find_relaunched(L"rm_gui_app.exe", app.pid, &relaunched));
    rm_fact relaunched_elevation = token_elevation(relaunched.process);
    rmt_kill(&relaunched);
    assert_int_equal(relaunched_elevation, RM_FACT_NO); /* not the caller's elevated token */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

