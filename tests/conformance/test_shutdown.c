/* Conformance of RmShutdown, RmRestart and the filter functions (docs/behaviour.md
 * B-SHUT-*, B-RESTART-*, B-FILTER-*, B-CANCEL-*, B-TIME-*) against real processes under Wine: window applications that accept, refuse
 * or hang, console applications, a service with a dependent service, restart of a
 * closed application, filters, cancellation from another thread and joined handles. */
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
#include "session_calls.h"

#define KEY_CCH (CCH_RM_SESSION_KEY + 1)
#define ARGS_CCH (RMT_PATH_CCH * 4)
#define LOG_BYTES 8192
/* Helpers restarted by the DLL are not in the test's job: they end themselves. */
#define RESTARTED_LIFETIME L"--lifetime-ms 60000"
/* Slack for Wine's process start-up and scheduling on a loaded machine. */
#define SLACK_MS 4000.0

static wchar_t temp_dir[RMT_PATH_CCH];

/* ---- plumbing ------------------------------------------------------------------ */

static void set_timeouts(const wchar_t *app_ms, const wchar_t *message_ms)
{
    SetEnvironmentVariableW(L"RSTRTMGR_APP_TIMEOUT_MS", app_ms);
    SetEnvironmentVariableW(L"RSTRTMGR_MESSAGE_TIMEOUT_MS", message_ms);
}

static int setup(void **state)
{
    (void)state;
    return rmt_fixture_setup(temp_dir, RMT_PATH_CCH);
}

static int teardown(void **state)
{
    (void)state;
    set_timeouts(NULL, NULL);
    return rmt_fixture_teardown(temp_dir);
}

static void spawn(const wchar_t *exe, const wchar_t *args, rmt_process *out)
{
    if (!rmt_spawn(exe, args, out))
        fail_msg("could not start %ls %ls", exe, args ? args : L"");
}

static void temp_path(const wchar_t *name, wchar_t *out)
{
    assert_true(rmt_path_join(temp_dir, name, out, RMT_PATH_CCH));
}

/* A window app logging to log (made a unique name in temp_dir), extra args appended. */
static void spawn_window_app(const wchar_t *log_name, const wchar_t *extra, wchar_t *log,
                             rmt_process *out)
{
    wchar_t args[ARGS_CCH];
    temp_path(log_name, log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" %ls", log, extra ? extra : L"");
    spawn(L"rm_gui_app.exe", args, out);
}

static void register_file(DWORD handle, const wchar_t *file)
{
    LPCWSTR files[1] = { file };
    assert_int_equal(RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
}

static int count_lines_with(const char *log, const char *needle)
{
    int count = 0;
    for (const char *at = strstr(log, needle); at; at = strstr(at + 1, needle))
        count++;
    return count;
}

static void read_log(const wchar_t *path, char *buffer)
{
    assert_true(rmt_read_log(path, buffer, LOG_BYTES));
}

/* The status callback has no context: what it saw is kept here for the running test. */
static struct {
    UINT values[128];
    int count;
} seen_status;

static void record_status(UINT percent)
{
    if (seen_status.count < 128)
        seen_status.values[seen_status.count++] = percent;
}

static void assert_status_increasing_to_100(void)
{
    assert_true(seen_status.count > 0);
    for (int i = 1; i < seen_status.count; i++)
        if (seen_status.values[i] <= seen_status.values[i - 1])
            fail_msg("status %u after %u", seen_status.values[i], seen_status.values[i - 1]);
    assert_int_equal(seen_status.values[seen_status.count - 1], 100);
}

/* RmShutdown(handle, flags) returns expected within bound_ms (plus SLACK_MS); how long it
 * took is printed after what. */
static void assert_shutdown_within(DWORD handle, ULONG flags, DWORD expected, double bound_ms,
                                   const char *what)
{
    double start = rmt_now_ms();
    assert_int_equal(RmShutdown(handle, flags, NULL), expected);
    double took = rmt_now_ms() - start;
    print_message("%s: %.0f ms\n", what, took);
    assert_true(took < bound_ms + SLACK_MS);
}

/* The process now using file, other than old_pid, adopted so the test can end it. */
static BOOL find_user_of(const wchar_t *file, DWORD old_pid, rmt_process *out)
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
    wchar_t log[RMT_PATH_CCH], file[RMT_PATH_CCH], extra[ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process app;
    DWORD handle, exit_code = 99;
    (void)state;
    assert_true(rmt_make_file(temp_dir, L"accept.dat", file, RMT_PATH_CCH));
    _snwprintf(extra, ARGS_CCH, L"--hold \"%ls\"", file);
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
    read_log(log, text);
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
    read_log(log, text);
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
    wchar_t log[RMT_PATH_CCH], args[ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process polite, stubborn;
    DWORD handle, exit_code = 99;
    (void)state;
    set_timeouts(L"3000", L"1000");
    temp_path(L"console.log", log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" --on-ctrl exit", log);
    if (!rmt_spawn_ex(L"rm_console_app.exe", args, CREATE_NEW_CONSOLE, &polite))
        fail_msg("could not start the console app");
    if (!rmt_spawn_ex(L"rm_console_app.exe", L"--on-ctrl ignore", CREATE_NEW_CONSOLE, &stubborn))
        fail_msg("could not start the console app");
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &polite);
    register_process(handle, &stubborn);

    double start = rmt_now_ms();
    assert_int_equal(RmShutdown(handle, RmForceShutdown, NULL), ERROR_SUCCESS);
    double took = rmt_now_ms() - start;
    assert_true(rmt_wait_exit(&polite, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_wait_exit(&stubborn, RMT_EXIT_TIMEOUT_MS));
    assert_true(took < 3000.0 + SLACK_MS);
    assert_true(rmt_exit_code(&polite, &exit_code));
    read_log(log, text);
    print_message("console apps, forced: %.0f ms; the one that exits on Ctrl+C ended with %lu "
                  "(%s)\n", took, (unsigned long)exit_code,
                  strstr(text, "CTRL 0") ? "it got Ctrl+C" : "terminated: no Ctrl+C possible");
    assert_true(exit_code == RMH_EXIT_OK || exit_code == ERROR_FAIL_SHUTDOWN);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* close-console PID START_LOW START_HIGH: without a console of its own (a GUI installer's
 * situation), shuts the console app down without force; exits with RmShutdown's result. */
static int child_close_console(int argc, wchar_t **argv)
{
    DWORD handle;
    if (argc < 5)
        return 100;
    RM_UNIQUE_PROCESS target = { wcstoul(argv[2], NULL, 10),
                                 { wcstoul(argv[3], NULL, 10), wcstoul(argv[4], NULL, 10) } };
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
    wchar_t log[RMT_PATH_CCH], args[ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process app;
    DWORD exit_code = 99, app_exit = 99;
    (void)state;
    temp_path(L"console-polite.log", log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" --on-ctrl exit", log);
    if (!rmt_spawn_ex(L"rm_console_app.exe", args, CREATE_NEW_CONSOLE, &app))
        fail_msg("could not start the console app");
    _snwprintf(args, ARGS_CCH, L"--child close-console %lu %lu %lu", (unsigned long)app.pid,
               (unsigned long)app.start_time.dwLowDateTime,
               (unsigned long)app.start_time.dwHighDateTime);
    double start = rmt_now_ms();
    assert_true(rmt_run_self(args, 60000, &exit_code));
    print_message("console app closed by a console-less caller: %.0f ms\n", rmt_now_ms() - start);
    assert_int_equal(exit_code, ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_exit_code(&app, &app_exit));
    assert_int_equal(app_exit, RMH_EXIT_OK); /* it handled the event and exited */
    read_log(log, text);
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
    wchar_t args[ARGS_CCH], dependencies[80];
    char text[LOG_BYTES];
    SC_HANDLE base, dependent;
    DWORD handle, current = 0;
    ULONGLONG base_time = 0, dependent_time = 0;
    (void)state;
    assert_true(rmt_service_name(base_name, 64));
    assert_true(rmt_service_name(dependent_name, 64));
    temp_path(L"base-service.log", base_log);
    temp_path(L"dependent-service.log", dependent_log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\"", base_log);
    assert_true(rmt_service_install(base_name, args, &base));
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\"", dependent_log);
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
    read_log(dependent_log, text);
    assert_int_equal(count_lines_with(text, "STOP"), 1);
    assert_true(last_write(base_log, &base_time) && last_write(dependent_log, &dependent_time));
    assert_true(dependent_time <= base_time); /* the dependent stopped first */

    seen_status.count = 0;
    assert_int_equal(RmRestart(handle, 0, record_status), ERROR_SUCCESS);
    assert_status_increasing_to_100();
    assert_true(service_state(base, &current));
    assert_int_equal(current, SERVICE_RUNNING);
    assert_true(service_state(dependent, &current));
    assert_int_equal(current, SERVICE_RUNNING);
    read_log(base_log, text);
    assert_int_equal(count_lines_with(text, "RUNNING"), 2);
    assert_true(last_write(base_log, &base_time) && last_write(dependent_log, &dependent_time));
    assert_true(base_time <= dependent_time); /* base started first */
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
    spawn(L"rm_console_app.exe", NULL, &console); /* not restartable: no main window */
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &window);
    register_process(handle, &console);
    assert_int_equal(RmShutdown(handle, RmShutdownOnlyRegistered | RmForceShutdown, NULL),
                     ERROR_FAIL_SHUTDOWN);
    Sleep(300);
    assert_true(rmt_is_running(&window)); /* nothing was shut down */
    assert_true(rmt_is_running(&console));
    read_log(log, text);
    assert_null(strstr(text, "QUERYENDSESSION"));
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_reboot_reason_means_no_action(void **state)
{
    wchar_t file[RMT_PATH_CCH], log[RMT_PATH_CCH], extra[ARGS_CCH];
    rmt_process app;
    DWORD handle;
    (void)state;
    assert_true(rmt_make_file(temp_dir, L"mine.dat", file, RMT_PATH_CCH));
    _snwprintf(extra, ARGS_CCH, L"--hold \"%ls\"", file);
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
    wchar_t log[RMT_PATH_CCH], file[RMT_PATH_CCH], extra[ARGS_CCH];
    char text[LOG_BYTES], first[1024], second[1024];
    rmt_process app, restarted;
    DWORD handle;
    (void)state;
    assert_true(rmt_make_file(temp_dir, L"restart.dat", file, RMT_PATH_CCH));
    temp_path(L"restart.log", log);
    /* Windows relaunches with the registered arguments, Wine (no restart registry) with
     * the original command line: both carry the marker and the same log and file. */
    _snwprintf(extra, ARGS_CCH,
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
    read_log(log, text);
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
    wchar_t program[RMT_PATH_CCH], log[RMT_PATH_CCH], file[RMT_PATH_CCH], args[ARGS_CCH];
    char text[LOG_BYTES], first[1024], second[1024];
    rmt_process app, restarted;
    DWORD handle;
    (void)state;
    if (!rmt_other_arch_file(L"rm_gui_app.exe", program, RMT_PATH_CCH)) {
        print_message("other architecture's rm_gui_app.exe not built: skipped\n");
        skip();
    }
    assert_true(rmt_make_file(temp_dir, L"cross.dat", file, RMT_PATH_CCH));
    temp_path(L"cross.log", log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" --hold \"%ls\" " RESTARTED_LIFETIME, log, file);
    spawn(program, args, &app);
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
    read_log(log, text);
    assert_true(start_line(text, 1, first, sizeof(first)));
    assert_true(start_line(text, 2, second, sizeof(second)));
    assert_string_equal(first, second); /* the command line it was started with */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    rmt_kill(&restarted);
}

/* ---- filters (B-SHUT-10, B-RESTART-10, B-FILTER-*) ------------------------------------------------------ */

static void test_filters_mask_shutdown_and_restart(void **state)
{
    wchar_t masked_log[RMT_PATH_CCH], copy_log[RMT_PATH_CCH], source[RMT_PATH_CCH];
    wchar_t copy[RMT_PATH_CCH], args[ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process masked, no_restart;
    DWORD handle;
    (void)state;
    spawn_window_app(L"masked.log", NULL, masked_log, &masked);
    /* A private copy of the program, so a filter on its file names only this process. */
    assert_true(rmt_exe_path(L"rm_gui_app.exe", source, RMT_PATH_CCH));
    temp_path(L"no-restart-app.exe", copy);
    assert_true(CopyFileW(source, copy, FALSE));
    temp_path(L"no-restart.log", copy_log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" " RESTARTED_LIFETIME, copy_log);
    spawn(copy, args, &no_restart);

    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &masked);
    register_process(handle, &no_restart);
    RM_UNIQUE_PROCESS unique = masked.unique;
    assert_int_equal(RmAddFilter(handle, NULL, &unique, NULL, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, copy, NULL, NULL, RmNoRestart), ERROR_SUCCESS);

    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&no_restart, RMT_EXIT_TIMEOUT_MS));
    Sleep(300);
    assert_true(rmt_is_running(&masked)); /* RmNoShutdown */
    read_log(masked_log, text);
    assert_null(strstr(text, "QUERYENDSESSION"));
    long status = listed_status(handle, masked.pid);
    print_message("masked app: RmGetList AppStatus 0x%lx\n", status);
    assert_int_equal(status, RmStatusRunning | RmStatusShutdownMasked); /* B-GETLIST-12 */

    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    Sleep(1000);
    read_log(copy_log, text);
    assert_int_equal(count_lines_with(text, "START "), 1); /* RmNoRestart: not relaunched */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_filter_arguments(void **state)
{
    DWORD handle;
    RM_UNIQUE_PROCESS process = { GetCurrentProcessId(), { 1, 2 } };
    (void)state;
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, NULL, NULL, RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(handle, L"C:\\a.exe", &process, NULL, RmNoRestart),
                     ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, L"svc", RmNoRestart), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, RmInvalidFilterAction),
                     ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, (RM_FILTER_ACTION)3),
                     ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(handle, NULL, NULL, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(handle, L"C:\\a.exe", NULL, L"svc"), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRemoveFilter(handle, NULL, &process, NULL), ERROR_FILE_NOT_FOUND);
    DWORD needed = 77;
    assert_int_equal(RmGetFilterList(handle, NULL, 0, NULL), ERROR_MORE_DATA);
    assert_int_equal(RmGetFilterList(handle, NULL, 8, &needed), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetFilterList(handle, NULL, 0, &needed), ERROR_SUCCESS);
    assert_int_equal(needed, 0); /* no filters */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, RmNoRestart), ERROR_INVALID_HANDLE);
    assert_int_equal(RmRemoveFilter(handle, NULL, &process, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmGetFilterList(handle, NULL, 0, &needed), ERROR_INVALID_HANDLE);
}

/* Checks a chain from RmGetFilterList: every link and string pointer inside the buffer. */
static int walk_filters(const BYTE *buffer, DWORD size, const RM_FILTER_INFO **out, int max)
{
    int count = 0;
    DWORD offset = 0;
    for (;;) {
        assert_true(count < max);
        assert_true(offset + sizeof(RM_FILTER_INFO) <= size);
        const RM_FILTER_INFO *info = (const RM_FILTER_INFO *)(buffer + offset);
        out[count++] = info;
        if (info->FilterTrigger != RmFilterTriggerProcess) {
            const BYTE *text = (const BYTE *)info->strFilename;
            assert_true(text >= buffer + offset + sizeof(RM_FILTER_INFO) && text < buffer + size);
            assert_true(text + (wcslen(info->strFilename) + 1) * sizeof(WCHAR) <= buffer + size);
        }
        if (info->cbNextOffset == 0)
            return count;
        assert_true(info->cbNextOffset >= sizeof(RM_FILTER_INFO));
        offset += info->cbNextOffset;
    }
}

static void test_filter_list_contents(void **state)
{
    DWORD handle, needed = 0;
    RM_UNIQUE_PROCESS process = { 4242, { 0x11111111, 0x01D00000 } };
    const RM_FILTER_INFO *infos[8];
    (void)state;
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, L"C:\\Program Files\\App\\app.exe", NULL, NULL,
                                 RmNoRestart), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, NULL, L"SomeService", RmNoShutdown), ERROR_SUCCESS);
    /* The same trigger again (another spelling of the service): only the action changes. */
    assert_int_equal(RmAddFilter(handle, NULL, NULL, L"SOMESERVICE", RmNoRestart), ERROR_SUCCESS);

    assert_int_equal(RmGetFilterList(handle, NULL, 0, &needed), ERROR_MORE_DATA);
    assert_true(needed >= 3 * sizeof(RM_FILTER_INFO));
    BYTE *buffer = malloc(needed + 16);
    memset(buffer, 0xCD, needed + 16);
    DWORD again = 0;
    assert_int_equal(RmGetFilterList(handle, buffer, needed - 1, &again), ERROR_MORE_DATA);
    assert_int_equal(again, needed);
    assert_int_equal(RmGetFilterList(handle, buffer, needed, &again), ERROR_SUCCESS);
    assert_int_equal(buffer[needed], 0xCD); /* nothing written past it */
    assert_int_equal(walk_filters(buffer, needed, infos, 8), 3);
    /* In the order they were added, strings as the caller spelled them. */
    assert_int_equal(infos[0]->FilterTrigger, RmFilterTriggerFile);
    assert_int_equal(infos[0]->FilterAction, RmNoRestart);
    assert_string_equal(infos[0]->strFilename, L"C:\\Program Files\\App\\app.exe");
    assert_int_equal(infos[1]->FilterTrigger, RmFilterTriggerProcess);
    assert_int_equal(infos[1]->FilterAction, RmNoShutdown);
    assert_memory_equal(&infos[1]->Process, &process, sizeof(process));
    assert_int_equal(infos[2]->FilterTrigger, RmFilterTriggerService);
    assert_int_equal(infos[2]->FilterAction, RmNoRestart); /* updated */
    assert_string_equal(infos[2]->strServiceShortName, L"SomeService");

    /* Removing: by another spelling of the same file, then again (gone). */
    assert_int_equal(RmRemoveFilter(handle, L"c:\\program files\\app\\APP.EXE", NULL, NULL),
                     ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(handle, L"C:\\Program Files\\App\\app.exe", NULL, NULL),
                     ERROR_FILE_NOT_FOUND);
    assert_int_equal(RmGetFilterList(handle, buffer, needed, &again), ERROR_SUCCESS);
    assert_true(again < needed);
    assert_int_equal(walk_filters(buffer, again, infos, 8), 2);
    assert_int_equal(infos[0]->FilterTrigger, RmFilterTriggerProcess);
    assert_int_equal(RmRemoveFilter(handle, NULL, &process, NULL), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(handle, NULL, NULL, L"someservice"), ERROR_SUCCESS);
    assert_int_equal(RmGetFilterList(handle, NULL, 0, &again), ERROR_SUCCESS);
    assert_int_equal(again, 0);
    free(buffer);
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
    assert_true(took < 500.0 + SLACK_MS);
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
    WCHAR key[KEY_CCH] = {0};
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

static int run_child(int argc, wchar_t **argv)
{
    if (!wcscmp(argv[1], L"close-console"))
        return child_close_console(argc, argv);
    fprintf(stderr, "unknown child role %ls\n", argv[1]);
    return 101;
}

/* ---- no leaks (B-TIME-6) ---------------------------------------------------------------- */

static DWORD own_thread_count(void)
{
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 entry = { .dwSize = sizeof(entry) };
    DWORD count = 0;
    assert_true(snapshot != INVALID_HANDLE_VALUE);
    for (BOOL more = Thread32First(snapshot, &entry); more; more = Thread32Next(snapshot, &entry))
        count += entry.th32OwnerProcessID == GetCurrentProcessId();
    CloseHandle(snapshot);
    return count;
}

/* Handles this process holds, from the system-wide handle table (Wine's
 * GetProcessHandleCount always says 0). */
typedef struct handle_entry {
    PVOID object;
    ULONG_PTR process_id;
    ULONG_PTR handle_value;
    ULONG granted_access;
    USHORT creator_back_trace_index;
    USHORT object_type_index;
    ULONG handle_attributes;
    ULONG reserved;
} handle_entry;

typedef NTSTATUS (NTAPI *query_system_fn)(ULONG, PVOID, ULONG, PULONG);

static DWORD own_handle_count(void)
{
    query_system_fn query = (query_system_fn)(void *)GetProcAddress(
        GetModuleHandleW(L"ntdll.dll"), "NtQuerySystemInformation");
    ULONG size = 1 << 20, needed = 0;
    BYTE *buffer = NULL;
    NTSTATUS status;
    assert_non_null(query);
    do {
        free(buffer);
        buffer = malloc(size);
        assert_non_null(buffer);
        status = query(64 /* SystemExtendedHandleInformation */, buffer, size, &needed);
        size = needed > size ? needed + 65536 : size * 2;
    } while (status == (NTSTATUS)0xC0000004);
    assert_int_equal(status, 0);
    ULONG_PTR total = *(ULONG_PTR *)buffer;
    const handle_entry *entries = (const handle_entry *)(buffer + 2 * sizeof(ULONG_PTR));
    DWORD count = 0;
    for (ULONG_PTR i = 0; i < total; i++)
        count += entries[i].process_id == GetCurrentProcessId();
    free(buffer);
    return count;
}

static void test_no_handle_or_thread_leaks(void **state)
{
    wchar_t log[RMT_PATH_CCH], console_args[ARGS_CCH], file[RMT_PATH_CCH], extra[ARGS_CCH];
    rmt_process accepting, hung, console, relaunched;
    DWORD handle;
    (void)state;
    set_timeouts(L"1500", L"500");
    assert_true(rmt_make_file(temp_dir, L"leak.dat", file, RMT_PATH_CCH));
    _snwprintf(extra, ARGS_CCH, L"--hold \"%ls\" " RESTARTED_LIFETIME, file);
    spawn_window_app(L"leak-accept.log", extra, log, &accepting);
    spawn_window_app(L"leak-hang.log", L"--on-query hang", log, &hung);
    temp_path(L"leak-console.log", log);
    _snwprintf(console_args, ARGS_CCH, L"--log \"%ls\"", log);
    if (!rmt_spawn_ex(L"rm_console_app.exe", console_args, CREATE_NEW_CONSOLE, &console))
        fail_msg("could not start the console app");
    /* A first session warms up what the system allocates once (window station, SCM...). */
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);

    DWORD threads_before = own_thread_count();
    DWORD handles_before = own_handle_count();
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
    DWORD handles_after = own_handle_count();
    DWORD threads_after = own_thread_count();
    print_message("handles %lu -> %lu, threads %lu -> %lu\n", (unsigned long)handles_before,
                  (unsigned long)handles_after,
                  (unsigned long)threads_before, (unsigned long)threads_after);
    assert_int_equal(threads_after, threads_before);
    assert_true(handles_after <= handles_before);
}

int wmain(int argc, wchar_t **argv)
{
    if (argc > 2 && !wcscmp(argv[1], L"--child"))
        return run_child(argc - 1, argv + 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_flags_and_sequence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accepting_app_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusing_app_stays_without_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusing_app_forced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hung_app_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_console_app_forced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_console_app_ctrl_c_from_consoleless_caller, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_service_with_dependent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_registered_refuses_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reboot_reason_means_no_action, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart_window_app, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart_other_architecture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_mask_shutdown_and_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_list_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_hung_shutdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joined_handle_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_handle_or_thread_leaks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
