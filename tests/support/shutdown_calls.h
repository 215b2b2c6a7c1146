// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the RmShutdown, RmRestart and filter tests (test_shutdown, test_restart,
 * test_filters) share: the DLL's waits for the test, a logging window application, the
 * status callback's record, a bounded shutdown and the process a restart started.
 * Header-only like session_calls.h (compiled against the program's binding of the Rm*
 * names); include after cmocka.h, rm_test_support.h and session_calls.h. */
#ifndef RM_SHUTDOWN_CALLS_H
#define RM_SHUTDOWN_CALLS_H

#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* Log buffers of the helpers these tests read. */
#define LOG_BYTES 8192
/* Helpers restarted by the DLL are not in the test's job: they end themselves. */
#define RESTARTED_LIFETIME L"--lifetime-ms 60000"
/* Slack for Wine's process start-up and scheduling on a loaded machine. */
#define SLACK_MS 4000.0

/* How long the DLL waits for an application to end, and for one message's answer
 * (NULL: its defaults, as the teardown sets them back). */
static inline void set_timeouts(const wchar_t *app_ms, const wchar_t *message_ms)
{
    SetEnvironmentVariableW(L"RSTRTMGR_APP_TIMEOUT_MS", app_ms);
    SetEnvironmentVariableW(L"RSTRTMGR_MESSAGE_TIMEOUT_MS", message_ms);
}

/* The fixture's teardown, with the DLL's waits back to their defaults. */
static inline int shutdown_teardown(void **state)
{
    set_timeouts(NULL, NULL);
    return rmt_teardown(state);
}

#define shutdown_test(test) cmocka_unit_test_setup_teardown(test, rmt_setup, shutdown_teardown)

/* A window app logging to log (log_name in the fixture's directory), extra args appended. */
static inline void spawn_window_app(const wchar_t *log_name, const wchar_t *extra, wchar_t *log,
                                    rmt_process *out)
{
    wchar_t args[RMT_ARGS_CCH];
    rmt_test_path(log_name, log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" %ls", log, extra ? extra : L"");
    rmt_must_spawn(L"rm_gui_app.exe", args, out);
}

static inline void register_file(DWORD handle, const wchar_t *file)
{
    LPCWSTR files[1] = { file };
    assert_int_equal(RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
}

static inline int count_lines_with(const char *log, const char *needle)
{
    int count = 0;
    for (const char *at = strstr(log, needle); at; at = strstr(at + 1, needle))
        count++;
    return count;
}

/* The status callback has no context: what it saw is kept here for the running test. */
static __attribute__((unused)) struct {
    UINT values[128];
    int count;
} seen_status;

static inline void record_status(UINT percent)
{
    if (seen_status.count < 128)
        seen_status.values[seen_status.count++] = percent;
}

static inline void assert_status_increasing_to_100(void)
{
    if (seen_status.count == 0)
        fail_msg("the status callback was never called");
    for (int i = 1; i < seen_status.count; i++)
        if (seen_status.values[i] <= seen_status.values[i - 1])
            fail_msg("status %u after %u", seen_status.values[i], seen_status.values[i - 1]);
    assert_int_equal(seen_status.values[seen_status.count - 1], 100);
}

/* RmShutdown(handle, flags) returns expected within bound_ms (plus SLACK_MS); how long it
 * took is printed after what. */
static inline void assert_shutdown_within(DWORD handle, ULONG flags, DWORD expected,
                                          double bound_ms, const char *what)
{
    double start = rmt_now_ms();
    assert_int_equal(RmShutdown(handle, flags, NULL), expected);
    double took = rmt_now_ms() - start;
    print_message("%s: %.0f ms\n", what, took);
    if (took >= bound_ms + SLACK_MS)
        fail_msg("%s took %.0f ms, bound %.0f ms", what, took, bound_ms + SLACK_MS);
}

/* The process now using file, other than old_pid, adopted so the test can end it. */
static inline BOOL find_user_of(const wchar_t *file, DWORD old_pid, rmt_process *out)
{
    DWORD handle;
    RM_PROCESS_INFO apps[8];
    UINT needed = 0, count = 8;
    DWORD reasons = 0;
    BOOL found = FALSE;
    for (int attempt = 0; attempt < 100 && !found; attempt++) {
        assert_int_equal(start_session(&handle), ERROR_SUCCESS);
        register_file(handle, file);
        count = 8;
        if (RmGetList(handle, &needed, &count, apps, &reasons) == ERROR_SUCCESS)
            for (UINT i = 0; i < count && !found; i++)
                if (apps[i].Process.dwProcessId != old_pid)
                    found = rmt_open_process(apps[i].Process.dwProcessId, out);
        RmEndSession(handle);
        if (!found)
            Sleep(100);
    }
    return found;
}

#endif
