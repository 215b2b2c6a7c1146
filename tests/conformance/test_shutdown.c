// SPDX-License-Identifier: LGPL-2.1-or-later
/* Conformance of RmShutdown (docs/behaviour.md B-SHUT-*, B-CANCEL-*, B-TIME-*) against real
 * processes under Wine: window applications that accept, refuse or hang, console
 * applications, a service with a dependent service, RmShutdownOnlyRegistered and reboot
 * reasons, cancellation from another thread and joined handles. RmRestart: test_restart;
 * the filter functions: test_filters. */
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
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "session_calls.h"
#include "shutdown_calls.h"

/* ---- arguments and sequence (B-SHUT-1, B-RESTART-1) ------------------------------------- */

static void test_flags_and_sequence(void **state)
{
    DWORD handle;
    (void)state;
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(handle, 0x4, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmShutdown(handle, RmForceShutdown | 0x2, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRestart(handle, 1, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_REQUEST_OUT_OF_SEQUENCE);
    /* Nothing registered: a shutdown with nothing to do succeeds and reports 100. */
    seen_status.count = 0;
    assert_int_equal(RmShutdown(handle, RmForceShutdown, record_status), ERROR_SUCCESS);
    assert_status_increasing_to_100();
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_INVALID_HANDLE);
}

/* ---- window applications (B-SHUT-2, B-SHUT-3, B-SHUT-5, B-TIME-1) --------------------------------------------- */

static void test_accepting_app_closes(void **state)
{
    wchar_t log[RMT_PATH_CCH], file[RMT_PATH_CCH], extra[RMT_ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process app;
    DWORD handle, exit_code = 99;
    (void)state;
    rmt_test_file(L"accept.dat", file);
    _snwprintf(extra, RMT_ARGS_CCH, L"--hold \"%ls\"", file);
    spawn_window_app(L"accept.log", extra, log, &app);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &app);
    register_file(handle, file);

    seen_status.count = 0;
    double start = rmt_now_ms();
    assert_int_equal(RmShutdown(handle, 0, record_status), ERROR_SUCCESS);
    print_message("RmShutdown of one accepting app: %.0f ms\n", rmt_now_ms() - start);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_exit_code(&app, &exit_code));
    assert_int_equal(exit_code, RMH_EXIT_OK); /* it closed itself, not terminated */
    assert_status_increasing_to_100();
    rmt_must_read_log(log, text, sizeof(text));
    assert_non_null(strstr(text, "QUERYENDSESSION lParam=0x00000001")); /* ENDSESSION_CLOSEAPP */
    assert_non_null(strstr(text, "ENDSESSION wParam=1 lParam=0x00000001"));
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* One refusal and the shutdown is off for every GUI application (docs/behaviour.md
 * B-SHUT-3; test_documented quotes the statement); RmRestart after it is allowed. */
static void test_refusing_app_stays_without_force(void **state)
{
    wchar_t log[RMT_PATH_CCH], other_log[RMT_PATH_CCH];
    char text[LOG_BYTES];
    rmt_process refusing, accepting;
    DWORD handle;
    (void)state;
    spawn_window_app(L"refuse.log", L"--on-query refuse", log, &refusing);
    spawn_window_app(L"accept-beside.log", NULL, other_log, &accepting);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &refusing);
    register_process(handle, &accepting);

    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_FAIL_SHUTDOWN);
    assert_true(rmt_is_running(&refusing));
    assert_true(rmt_is_running(&accepting)); /* all or none */
    rmt_must_read_log(log, text, sizeof(text));
    assert_non_null(strstr(text, "QUERYENDSESSION lParam=0x00000001"));
    assert_null(strstr(text, "ENDSESSION wParam=1"));
    long status = listed_status(handle, refusing.pid);
    print_message("refusing app after RmShutdown: RmGetList AppStatus 0x%lx\n", status);
    assert_int_equal(status, RmStatusRunning | RmStatusErrorOnStop);

    /* RmRestart after a failed RmShutdown is allowed (Inno's retry path): nothing was
     * shut down, so nothing is started. */
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_true(rmt_is_running(&accepting));
}

static void test_refusing_app_forced(void **state)
{
    wchar_t log[RMT_PATH_CCH];
    rmt_process app;
    DWORD handle;
    (void)state;
    set_timeouts(L"3000", L"1000");
    spawn_window_app(L"refuse-forced.log", L"--on-query refuse --ignore-close", log, &app);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &app);
    assert_shutdown_within(handle, RmForceShutdown, ERROR_SUCCESS, 3000.0,
                           "forced shutdown of a refusing app");
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_hung_app_bounded(void **state)
{
    wchar_t log[RMT_PATH_CCH];
    rmt_process hung;
    DWORD handle, exit_code = 0;
    (void)state;
    set_timeouts(L"3000", L"1000");
    spawn_window_app(L"hang.log", L"--on-query hang", log, &hung);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &hung);

    /* Without force: not answering within the message timeout is a refusal. */
    assert_shutdown_within(handle, 0, ERROR_FAIL_SHUTDOWN, 1000.0, "hung app, no force");
    assert_true(rmt_is_running(&hung));

    /* With force: terminated once the grace period is over. */
    assert_shutdown_within(handle, RmForceShutdown, ERROR_SUCCESS, 3000.0, "hung app, forced");
    assert_true(rmt_wait_exit(&hung, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_exit_code(&hung, &exit_code));
    assert_int_equal(exit_code, ERROR_FAIL_SHUTDOWN); /* our termination code */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- console applications (B-SHUT-5, B-SHUT-6) ------------------------------------------------ */

static void test_console_app_forced(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process polite, stubborn;
    DWORD handle, exit_code = 99;
    (void)state;
    set_timeouts(L"3000", L"1000");
    rmt_test_path(L"console.log", log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" --on-ctrl exit", log);
    rmt_must_spawn_ex(L"rm_console_app.exe", args, CREATE_NEW_CONSOLE, &polite);
    rmt_must_spawn_ex(L"rm_console_app.exe", L"--on-ctrl ignore", CREATE_NEW_CONSOLE, &stubborn);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &polite);
    register_process(handle, &stubborn);

    double start = rmt_now_ms();
    assert_int_equal(RmShutdown(handle, RmForceShutdown, NULL), ERROR_SUCCESS);
    double took = rmt_now_ms() - start;
    assert_true(rmt_wait_exit(&polite, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_wait_exit(&stubborn, RMT_EXIT_TIMEOUT_MS));
    rmt_assert_lt(took, 3000.0 + SLACK_MS);
    assert_true(rmt_exit_code(&polite, &exit_code));
    rmt_must_read_log(log, text, sizeof(text));
    print_message("console apps, forced: %.0f ms; the one that exits on Ctrl+C ended with %lu "
                  "(%s)\n", took, (unsigned long)exit_code,
                  strstr(text, "CTRL 0") ? "it got Ctrl+C" : "terminated: no Ctrl+C possible");
    if (exit_code != RMH_EXIT_OK && exit_code != ERROR_FAIL_SHUTDOWN)
        fail_msg("exit code %lu, expected %d (it exited) or %d (terminated)",
                 (unsigned long)exit_code, RMH_EXIT_OK, ERROR_FAIL_SHUTDOWN);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* close-console PID START_LOW START_HIGH: without a console of its own (a GUI installer's
 * situation), shuts the console app down without force; exits with RmShutdown's result. */
static int child_close_console(int arg_count, wchar_t **args)
{
    DWORD handle;
    (void)arg_count;
    RM_UNIQUE_PROCESS target = { wcstoul(args[0], NULL, 10),
                                 { wcstoul(args[1], NULL, 10), wcstoul(args[2], NULL, 10) } };
    FreeConsole();
    DWORD error = start_session(&handle);
    if (error == ERROR_SUCCESS)
        error = RmRegisterResources(handle, 0, NULL, 1, &target, 0, NULL);
    if (error == ERROR_SUCCESS)
        error = RmShutdown(handle, 0, NULL);
    RmEndSession(handle);
    return (int)error;
}

static void test_console_app_ctrl_c_from_consoleless_caller(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process app;
    DWORD exit_code = 99, app_exit = 99;
    (void)state;
    rmt_test_path(L"console-polite.log", log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" --on-ctrl exit", log);
    rmt_must_spawn_ex(L"rm_console_app.exe", args, CREATE_NEW_CONSOLE, &app);
    _snwprintf(args, RMT_ARGS_CCH, L"--child close-console %lu %lu %lu", (unsigned long)app.pid,
               (unsigned long)app.start_time.dwLowDateTime,
               (unsigned long)app.start_time.dwHighDateTime);
    double start = rmt_now_ms();
    assert_true(rmt_run_self(args, 60000, &exit_code));
    print_message("console app closed by a console-less caller: %.0f ms\n", rmt_now_ms() - start);
    assert_int_equal(exit_code, ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_exit_code(&app, &app_exit));
    assert_int_equal(app_exit, RMH_EXIT_OK); /* it handled the event and exited */
    rmt_must_read_log(log, text, sizeof(text));
    assert_non_null(strstr(text, "CTRL 0 CTRL_C_EVENT"));
}

/* ---- services (B-SHUT-8, B-RESTART-2) -------------------------------------------------------- */

static BOOL last_write(const wchar_t *path, ULONGLONG *time)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &data))
        return FALSE;
    *time = (ULONGLONG)data.ftLastWriteTime.dwHighDateTime << 32 | data.ftLastWriteTime.dwLowDateTime;
    return TRUE;
}

static BOOL service_state(SC_HANDLE service, DWORD *state)
{
    SERVICE_STATUS status;
    if (!QueryServiceStatus(service, &status))
        return FALSE;
    *state = status.dwCurrentState;
    return TRUE;
}

static void test_service_with_dependent(void **state)
{
    wchar_t base_name[64], dependent_name[64], base_log[RMT_PATH_CCH], dependent_log[RMT_PATH_CCH];
    wchar_t args[RMT_ARGS_CCH], dependencies[80];
    char text[LOG_BYTES];
    SC_HANDLE base, dependent;
    DWORD handle, current = 0;
    ULONGLONG base_time = 0, dependent_time = 0;
    (void)state;
    assert_true(rmt_service_name(base_name, 64));
    assert_true(rmt_service_name(dependent_name, 64));
    rmt_test_path(L"base-service.log", base_log);
    rmt_test_path(L"dependent-service.log", dependent_log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\"", base_log);
    assert_true(rmt_service_install(base_name, args, &base));
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\"", dependent_log);
    assert_true(rmt_service_install(dependent_name, args, &dependent));
    /* dependent depends on base: a multi-sz. */
    memset(dependencies, 0, sizeof(dependencies));
    wcscpy(dependencies, base_name);
    assert_true(ChangeServiceConfigW(dependent, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE,
                                     SERVICE_NO_CHANGE, NULL, NULL, NULL, dependencies, NULL,
                                     NULL, NULL));
    assert_true(rmt_service_start_wait(base, RMT_SERVICE_TIMEOUT_MS));
    assert_true(rmt_service_start_wait(dependent, RMT_SERVICE_TIMEOUT_MS));

    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    LPCWSTR services[1] = { base_name };
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 1, services), ERROR_SUCCESS);
    seen_status.count = 0;
    assert_int_equal(RmShutdown(handle, 0, record_status), ERROR_SUCCESS);
    assert_status_increasing_to_100();
    assert_true(service_state(base, &current));
    assert_int_equal(current, SERVICE_STOPPED);
    assert_true(service_state(dependent, &current));
    assert_int_equal(current, SERVICE_STOPPED); /* stopped too: it depends on base */
    rmt_must_read_log(dependent_log, text, sizeof(text));
    assert_int_equal(count_lines_with(text, "STOP"), 1);
    assert_true(last_write(base_log, &base_time) && last_write(dependent_log, &dependent_time));
    rmt_assert_le(dependent_time, base_time); /* the dependent stopped first */

    seen_status.count = 0;
    assert_int_equal(RmRestart(handle, 0, record_status), ERROR_SUCCESS);
    assert_status_increasing_to_100();
    assert_true(service_state(base, &current));
    assert_int_equal(current, SERVICE_RUNNING);
    assert_true(service_state(dependent, &current));
    assert_int_equal(current, SERVICE_RUNNING);
    rmt_must_read_log(base_log, text, sizeof(text));
    assert_int_equal(count_lines_with(text, "RUNNING"), 2);
    assert_true(last_write(base_log, &base_time) && last_write(dependent_log, &dependent_time));
    rmt_assert_le(base_time, dependent_time); /* base started first */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);

    assert_true(rmt_service_delete(dependent));
    assert_true(rmt_service_delete(base));
}

/* ---- RmShutdownOnlyRegistered and reboot reasons (B-SHUT-7, B-SHUT-9) --------------------- */

static void test_only_registered_refuses_everything(void **state)
{
    wchar_t log[RMT_PATH_CCH];
    char text[LOG_BYTES];
    rmt_process window, console;
    DWORD handle;
    (void)state;
    spawn_window_app(L"only-registered.log", NULL, log, &window);
    rmt_must_spawn(L"rm_console_app.exe", NULL, &console); /* not restartable: no main window */
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &window);
    register_process(handle, &console);
    assert_int_equal(RmShutdown(handle, RmShutdownOnlyRegistered | RmForceShutdown, NULL),
                     ERROR_FAIL_SHUTDOWN);
    Sleep(300);
    assert_true(rmt_is_running(&window)); /* nothing was shut down */
    assert_true(rmt_is_running(&console));
    rmt_must_read_log(log, text, sizeof(text));
    assert_null(strstr(text, "QUERYENDSESSION"));
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_reboot_reason_means_no_action(void **state)
{
    wchar_t file[RMT_PATH_CCH], log[RMT_PATH_CCH], extra[RMT_ARGS_CCH];
    rmt_process app;
    DWORD handle;
    (void)state;
    rmt_test_file(L"mine.dat", file);
    _snwprintf(extra, RMT_ARGS_CCH, L"--hold \"%ls\"", file);
    spawn_window_app(L"reboot.log", extra, log, &app);
    HANDLE mine = CreateFileW(file, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, 0, NULL);
    assert_true(mine != INVALID_HANDLE_VALUE);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_file(handle, file);
    /* The caller itself uses the file (RmRebootReasonDetectedSelf): nothing is done. */
    assert_int_equal(RmShutdown(handle, RmForceShutdown, NULL), ERROR_FAIL_NOACTION_REBOOT);
    CloseHandle(mine);
    assert_true(rmt_is_running(&app));
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- cancellation and joined handles (B-SESSION-6, B-CANCEL-1) --------------------------------- */

static void test_cancel_hung_shutdown(void **state)
{
    wchar_t log[RMT_PATH_CCH];
    rmt_process hung;
    DWORD handle, cancelled = 0xFFFFFFFF;
    (void)state;
    set_timeouts(L"60000", L"30000"); /* would take a minute without the cancel */
    spawn_window_app(L"cancel.log", L"--on-query hang", log, &hung);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &hung);
    HANDLE canceller = rmt_cancel_later(handle, 500);
    assert_non_null(canceller);
    double start = rmt_now_ms();
    assert_int_equal(RmShutdown(handle, RmForceShutdown, NULL), ERROR_CANCELLED);
    double took = rmt_now_ms() - start;
    print_message("RmShutdown cancelled after %.0f ms\n", took);
    rmt_assert_lt(took, 500.0 + SLACK_MS);
    assert_true(rmt_cancel_result(canceller, 10000, &cancelled));
    assert_int_equal(cancelled, ERROR_SUCCESS);
    assert_true(rmt_is_running(&hung)); /* cancelled before the grace period ended */
    /* The next call runs normally (the cancel event is reset as a task starts). */
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_joined_handle_conflicts(void **state)
{
    DWORD primary, joined, needed = 0;
    WCHAR key[RMT_KEY_CCH] = {0};
    RM_UNIQUE_PROCESS process = { 1, { 1, 1 } };
    (void)state;
    assert_int_equal(RmStartSession(&primary, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&joined, key), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(joined, 0, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmRestart(joined, 0, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmAddFilter(joined, NULL, &process, NULL, RmNoRestart),
                     ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmRemoveFilter(joined, NULL, &process, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmGetFilterList(joined, NULL, 0, &needed), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(primary), ERROR_SUCCESS);
}

/* ---- entry ---------------------------------------------------------------------------- */

static const rmt_child_role child_roles[] = {
    { L"close-console", 3, child_close_console },
};

RMT_MAIN("tests", child_roles, NULL, NULL,
         shutdown_test(test_flags_and_sequence),
         shutdown_test(test_accepting_app_closes),
         shutdown_test(test_refusing_app_stays_without_force),
         shutdown_test(test_refusing_app_forced),
         shutdown_test(test_hung_app_bounded),
         shutdown_test(test_console_app_forced),
         shutdown_test(test_console_app_ctrl_c_from_consoleless_caller),
         shutdown_test(test_service_with_dependent),
         shutdown_test(test_only_registered_refuses_everything),
         shutdown_test(test_reboot_reason_means_no_action),
         shutdown_test(test_cancel_hung_shutdown),
         shutdown_test(test_joined_handle_conflicts))
