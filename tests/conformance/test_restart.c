// SPDX-License-Identifier: LGPL-2.1-or-later
/* Conformance of RmRestart (docs/behaviour.md B-RESTART-*, B-TIME-6) against real processes
 * under Wine: a window application closed and started again with its registered command
 * line, one of the other architecture, and no handle or thread left behind by a shutdown,
 * a filter and a restart. */
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
#include "rmt_measure.h"
#include "session_calls.h"
#include "shutdown_calls.h"

/* ---- restart (B-RESTART-4, B-RESTART-9) ---------------------------------------------------------------- */

/* The n-th (1-based) "START " line of a log, copied into out. */
static BOOL start_line(const char *log, int n, char *out, size_t size)
{
    const char *at = log;
    for (int i = 0; i < n; i++) {
        at = strstr(i ? at + 1 : at, "START ");
        if (!at)
            return FALSE;
    }
    size_t length = strcspn(at, "\r\n");
    if (length >= size)
        length = size - 1;
    memcpy(out, at, length);
    out[length] = 0;
    return TRUE;
}

static void test_restart_window_app(void **state)
{
    wchar_t log[RMT_PATH_CCH], file[RMT_PATH_CCH], extra[RMT_ARGS_CCH];
    char text[LOG_BYTES], first[1024], second[1024];
    rmt_process app, restarted;
    DWORD handle;
    (void)state;
    rmt_test_file(L"restart.dat", file);
    rmt_test_path(L"restart.log", log);
    /* Windows relaunches with the registered arguments, Wine (no restart registry) with
     * the original command line: both carry the marker and the same log and file. */
    _snwprintf(extra, RMT_ARGS_CCH,
               L"--hold \"%ls\" " RESTARTED_LIFETIME
               L" --register-restart \"--title restart-marker --log \\\"%ls\\\" --hold \\\"%ls\\\" "
               RESTARTED_LIFETIME L"\"",
               file, log, file);
    spawn_window_app(L"restart.log", extra, log, &app);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_file(handle, file);
    assert_int_equal(RmShutdown(handle, RmShutdownOnlyRegistered, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));

    seen_status.count = 0;
    assert_int_equal(RmRestart(handle, 0, record_status), ERROR_SUCCESS);
    assert_status_increasing_to_100();
    assert_true(find_user_of(file, app.pid, &restarted));
    rmt_must_read_log(log, text, sizeof(text));
    assert_true(start_line(text, 1, first, sizeof(first)));
    assert_true(start_line(text, 2, second, sizeof(second)));
    print_message("restarted as: %s\n", second);
    assert_non_null(strstr(second, "restart-marker"));
    long status = listed_status(handle, restarted.pid);
    print_message("restarted app: RmGetList AppStatus 0x%lx\n", status);
    /* It runs again and was restarted (B-GETLIST-11, B-GETLIST-12). */
    assert_int_equal(status, RmStatusRunning | RmStatusRestarted);
    /* Restarted once: a second RmRestart has nothing left to do. */
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    rmt_kill(&restarted);
}

static void test_restart_other_architecture(void **state)
{
    wchar_t program[RMT_PATH_CCH], log[RMT_PATH_CCH], file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    char text[LOG_BYTES], first[1024], second[1024];
    rmt_process app, restarted;
    DWORD handle;
    (void)state;
    if (!rmt_other_arch_file(L"rm_gui_app.exe", program, RMT_PATH_CCH)) {
        print_message("other architecture's rm_gui_app.exe not built: skipped\n");
        skip();
    }
    rmt_test_file(L"cross.dat", file);
    rmt_test_path(L"cross.log", log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" --hold \"%ls\" " RESTARTED_LIFETIME, log, file);
    rmt_must_spawn(program, args, &app);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_file(handle, file);
    DWORD error = RmShutdown(handle, RmShutdownOnlyRegistered, NULL);
    if (!rmt_can_read_other_arch()) {
        /* Its start-up command line cannot be read: not restartable, so not shut down. */
        print_message("no NtWow64ReadVirtualMemory64 here: a 64-bit app is not restartable "
                      "from 32-bit code\n");
        assert_int_equal(error, ERROR_FAIL_SHUTDOWN);
        assert_true(rmt_is_running(&app));
        assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
        return;
    }
    assert_int_equal(error, ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(find_user_of(file, app.pid, &restarted));
    rmt_must_read_log(log, text, sizeof(text));
    assert_true(start_line(text, 1, first, sizeof(first)));
    assert_true(start_line(text, 2, second, sizeof(second)));
    assert_string_equal(first, second); /* the command line it was started with */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    rmt_kill(&restarted);
}

/* ---- no leaks (B-TIME-6) ---------------------------------------------------------------- */

static void test_no_handle_or_thread_leaks(void **state)
{
    wchar_t log[RMT_PATH_CCH], file[RMT_PATH_CCH];
    wchar_t console_args[RMT_ARGS_CCH], extra[RMT_ARGS_CCH];
    rmt_process accepting, hung, console, relaunched;
    DWORD handle;
    (void)state;
    set_timeouts(L"1500", L"500");
    rmt_test_file(L"leak.dat", file);
    _snwprintf(extra, RMT_ARGS_CCH, L"--hold \"%ls\" " RESTARTED_LIFETIME, file);
    spawn_window_app(L"leak-accept.log", extra, log, &accepting);
    spawn_window_app(L"leak-hang.log", L"--on-query hang", log, &hung);
    rmt_test_path(L"leak-console.log", log);
    _snwprintf(console_args, RMT_ARGS_CCH, L"--log \"%ls\"", log);
    rmt_must_spawn_ex(L"rm_console_app.exe", console_args, CREATE_NEW_CONSOLE, &console);
    /* A first session warms up what the system allocates once (window station, SCM...). */
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);

    unsigned long threads_before, handles_before, threads_after, handles_after;
    assert_true(rmt_thread_count(&threads_before));
    assert_true(rmt_table_handle_count(&handles_before));
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &accepting);
    register_process(handle, &hung);
    register_process(handle, &console);
    RM_UNIQUE_PROCESS unique = accepting.unique, hung_unique = hung.unique;
    assert_int_equal(RmAddFilter(handle, NULL, &unique, NULL, RmNoRestart), ERROR_SUCCESS);
    /* Terminated, and not to be relaunched (it would hang again, outside the test's job). */
    assert_int_equal(RmAddFilter(handle, NULL, &hung_unique, NULL, RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(handle, RmForceShutdown, NULL), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(handle, NULL, &unique, NULL), ERROR_SUCCESS);
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    if (find_user_of(file, accepting.pid, &relaunched))
        rmt_kill(&relaunched); /* relaunched: the filter was gone by then */
    assert_true(rmt_table_handle_count(&handles_after));
    assert_true(rmt_thread_count(&threads_after));
    print_message("handles %lu -> %lu, threads %lu -> %lu\n", handles_before, handles_after,
                  threads_before, threads_after);
    assert_int_equal(threads_after, threads_before);
    if (handles_after > handles_before)
        fail_msg("handles %lu -> %lu: %lu left open", handles_before, handles_after,
                 handles_after - handles_before);
}

RMT_MAIN_CASES("tests", NULL, NULL,
         shutdown_test(test_restart_window_app),
         shutdown_test(test_restart_other_architecture),
         shutdown_test(test_no_handle_or_thread_leaks))
