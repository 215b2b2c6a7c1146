// SPDX-License-Identifier: LGPL-2.1-or-later
/* Proves, under Wine, that the helper programs start and signal readiness and do what
 * their options say, and that rm_test_support drives them, before any conformance
 * test relies on either. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rm_test_support.h"

#define MESSAGE_TIMEOUT_MS 5000
#define HANG_PROBE_TIMEOUT_MS 1000

/* --- helpers of the tests ---------------------------------------------------------- */

/* Opening without sharing fails with a sharing violation exactly while someone holds
 * the file. */
static DWORD open_exclusive_error(const wchar_t *path)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return GetLastError();
    CloseHandle(file);
    return ERROR_SUCCESS;
}

static void assert_log_contains(const wchar_t *log_path, const char *needle)
{
    char text[8192];
    assert_true(rmt_read_log(log_path, text, sizeof(text)));
    if (!strstr(text, needle))
        fail_msg("log lacks \"%s\"; it reads:\n%s", needle, text);
}

static void assert_exited_with(rmt_process *p, DWORD expected)
{
    DWORD exit_code = 0xdeadbeef;
    assert_true(rmt_wait_exit(p, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_exit_code(p, &exit_code));
    assert_int_equal(exit_code, expected);
    rmt_close(p);
}

/* Starts rm_gui_app with args and finds its window by pid and title. */
static HWND spawn_gui_app(const wchar_t *title, const wchar_t *more_args, rmt_process *p)
{
    wchar_t args[RMT_ARGS_CCH];
    HWND window;
    swprintf(args, RMT_ARGS_CCH, L"--title \"%ls\" %ls", title, more_args);
    assert_true(rmt_spawn(L"rm_gui_app.exe", args, p));
    window = rmt_find_window(p->pid, title);
    assert_non_null(window);
    return window;
}

/* rm_gui_app titled title answering WM_QUERYENDSESSION with on_query, logging to
 * log_name in the fixture's directory (its path in log_path); its window. */
static HWND spawn_logged_gui_app(const wchar_t *title, const wchar_t *on_query,
                                 const wchar_t *log_name, wchar_t *log_path, rmt_process *p)
{
    wchar_t args[RMT_ARGS_CCH];
    rmt_test_path(log_name, log_path);
    swprintf(args, RMT_ARGS_CCH, L"--on-query %ls --log \"%ls\"", on_query, log_path);
    return spawn_gui_app(title, args, p);
}

/* Sends as Restart Manager does: bounded, so a hung window cannot stall the test. */
static BOOL send_bounded(HWND window, UINT message, WPARAM wparam, LPARAM lparam,
                         UINT timeout_ms, DWORD_PTR *result)
{
    *result = 0xdeadbeef;
    return SendMessageTimeoutW(window, message, wparam, lparam, SMTO_NORMAL, timeout_ms,
                               result) != 0;
}

/* WM_QUERYENDSESSION as Restart Manager sends it (ENDSESSION_CLOSEAPP): the answer. */
static DWORD_PTR query_end_session(HWND window)
{
    DWORD_PTR result;
    assert_true(send_bounded(window, WM_QUERYENDSESSION, 0, ENDSESSION_CLOSEAPP,
                             MESSAGE_TIMEOUT_MS, &result));
    return result;
}

static BOOL process_has_module(DWORD pid, const wchar_t *module_path)
{
    MODULEENTRY32W module = {0};
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, pid);
    BOOL found = FALSE;
    module.dwSize = sizeof(module);
    assert_true(snapshot != INVALID_HANDLE_VALUE);
    for (BOOL more = Module32FirstW(snapshot, &module); more && !found;
         more = Module32NextW(snapshot, &module))
        found = _wcsicmp(module.szExePath, module_path) == 0;
    CloseHandle(snapshot);
    return found;
}

/* --- fixtures ---------------------------------------------------------------------- */

/* The library's fixture for the group (rmt_setup), its teardown's steps checked. */
static int remove_temp_dir(void **state)
{
    (void)state;
    return rmt_kill_all() && rmt_remove_dir(rmt_test_dir) ? 0 : -1;
}

/* A failed assertion skips a test's own cleanup: end whatever it left running. */
static int kill_leftovers(void **state)
{
    (void)state;
    return rmt_kill_all() ? 0 : -1;
}

/* --- GUI application ----------------------------------------------------------------- */

static void test_gui_app_accepts_and_ends_on_endsession(void **state)
{
    wchar_t log_path[RMT_PATH_CCH];
    rmt_process app;
    DWORD_PTR result;
    (void)state;

    HWND window = spawn_logged_gui_app(L"rmt accept", L"accept", L"gui_accept.log", log_path,
                                       &app);
    assert_int_equal(query_end_session(window), TRUE);
    assert_true(send_bounded(window, WM_ENDSESSION, TRUE, ENDSESSION_CLOSEAPP,
                             MESSAGE_TIMEOUT_MS, &result));
    assert_exited_with(&app, RMH_EXIT_OK);

    assert_log_contains(log_path, "START \"");
    assert_log_contains(log_path, "rm_gui_app.exe\" --title \"rmt accept\" --on-query accept");
    assert_log_contains(log_path, "QUERYENDSESSION lParam=0x00000001\n");
    assert_log_contains(log_path, "ENDSESSION wParam=1 lParam=0x00000001\n");
}

static void test_gui_app_refuses_and_closes_on_wm_close(void **state)
{
    wchar_t log_path[RMT_PATH_CCH];
    rmt_process app;
    DWORD_PTR result;
    (void)state;

    HWND window = spawn_logged_gui_app(L"rmt refuse", L"refuse", L"gui_refuse.log", log_path,
                                       &app);
    assert_int_equal(query_end_session(window), FALSE);
    assert_true(rmt_is_running(&app));
    assert_true(send_bounded(window, WM_CLOSE, 0, 0, MESSAGE_TIMEOUT_MS, &result));
    assert_exited_with(&app, RMH_EXIT_OK);
    assert_log_contains(log_path, "CLOSE\n");
}

static void test_gui_app_hangs_in_queryendsession(void **state)
{
    rmt_process app;
    DWORD_PTR result;
    HWND window;
    (void)state;

    window = spawn_gui_app(L"rmt hang", L"--on-query hang", &app);
    SetLastError(0);
    assert_false(send_bounded(window, WM_QUERYENDSESSION, 0, ENDSESSION_CLOSEAPP,
                              HANG_PROBE_TIMEOUT_MS, &result));
    assert_int_equal(GetLastError(), ERROR_TIMEOUT);
    assert_true(rmt_is_running(&app));
    assert_true(rmt_kill(&app));
}

static void test_gui_app_ignores_close(void **state)
{
    rmt_process app;
    DWORD_PTR result;
    HWND window;
    (void)state;

    window = spawn_gui_app(L"rmt stubborn", L"--ignore-close", &app);
    assert_true(send_bounded(window, WM_CLOSE, 0, 0, MESSAGE_TIMEOUT_MS, &result));
    /* WM_CLOSE has been handled; a later message still reaching the window shows it
     * was ignored. */
    assert_true(send_bounded(window, WM_NULL, 0, 0, MESSAGE_TIMEOUT_MS, &result));
    assert_true(IsWindow(window));
    assert_true(rmt_is_running(&app));
    assert_true(rmt_kill(&app));
}

static void test_gui_app_holds_file_and_registers_restart(void **state)
{
    wchar_t held[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process app;
    (void)state;

    rmt_test_file(L"gui_held.txt", held);
    swprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\" --register-restart \"--title restarted\"", held);
    spawn_gui_app(L"rmt holder", args, &app);
    assert_int_equal(open_exclusive_error(held), ERROR_SHARING_VIOLATION);
    assert_true(rmt_kill(&app));
    assert_int_equal(open_exclusive_error(held), ERROR_SUCCESS);
}

/* --- console application, file holder, DLL loader ----------------------------------- */

static void test_console_app_starts_and_holds_file(void **state)
{
    wchar_t held[RMT_PATH_CCH], log_path[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process app;
    (void)state;

    rmt_test_file(L"console_held.txt", held);
    rmt_test_path(L"console.log", log_path);
    swprintf(args, RMT_ARGS_CCH, L"--on-ctrl ignore --hold \"%ls\" --log \"%ls\"", held, log_path);
    assert_true(rmt_spawn(L"rm_console_app.exe", args, &app));
    assert_int_equal(open_exclusive_error(held), ERROR_SHARING_VIOLATION);
    assert_log_contains(log_path, "rm_console_app.exe\" --on-ctrl ignore");
    assert_true(rmt_kill(&app));
}

static void test_console_app_exits_on_ctrl_c(void **state)
{
    wchar_t log_path[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process app;
    DWORD exit_code = 0;
    (void)state;

    rmt_test_path(L"console_ctrl.log", log_path);
    swprintf(args, RMT_ARGS_CCH, L"--on-ctrl exit --log \"%ls\"", log_path);
    assert_true(rmt_spawn_ex(L"rm_console_app.exe", args, CREATE_NEW_CONSOLE, &app));
    swprintf(args, RMT_ARGS_CCH, L"--child ctrl-c %lu", (unsigned long)app.pid);
    assert_true(rmt_run_self(args, RMT_READY_TIMEOUT_MS, &exit_code));
    assert_int_equal(exit_code, 0);
    assert_exited_with(&app, RMH_EXIT_OK);
    assert_log_contains(log_path, "CTRL 0 CTRL_C_EVENT\n");
}

static void test_file_holder_holds_without_sharing(void **state)
{
    wchar_t held[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process holder;
    HANDLE shared_open;
    (void)state;

    rmt_test_file(L"holder_held.txt", held);
    swprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\" --share none --access write", held);
    assert_true(rmt_spawn(L"rm_file_holder.exe", args, &holder));
    assert_int_equal(open_exclusive_error(held), ERROR_SHARING_VIOLATION);
    /* --share none: even a fully sharing open is refused. */
    shared_open = CreateFileW(held, GENERIC_READ,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, 0, NULL);
    assert_true(shared_open == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_SHARING_VIOLATION);
    assert_true(rmt_kill(&holder));
}

static void test_file_holder_creates_and_holds_pattern(void **state)
{
    wchar_t prefix[RMT_PATH_CCH], path[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process holder;
    (void)state;

    rmt_test_path(L"bench_", prefix);
    swprintf(args, RMT_ARGS_CCH, L"--hold-count 3 --hold-pattern \"%ls\" --share read", prefix);
    assert_true(rmt_spawn(L"rm_file_holder.exe", args, &holder));
    for (int n = 0; n < 3; n++) {
        swprintf(path, RMT_PATH_CCH, L"%ls%04d.dat", prefix, n);
        assert_int_equal(open_exclusive_error(path), ERROR_SHARING_VIOLATION);
    }
    swprintf(path, RMT_PATH_CCH, L"%ls0003.dat", prefix);
    assert_int_equal(GetFileAttributesW(path), INVALID_FILE_ATTRIBUTES);
    assert_true(rmt_kill(&holder));
}

static void test_dll_loader_and_file_holder_map_payload(void **state)
{
    wchar_t dll_dir[RMT_PATH_CCH], dll_path[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process loader, holder;
    (void)state;

    rmt_test_path(L"payload", dll_dir);
    assert_true(CreateDirectoryW(dll_dir, NULL));
    assert_true(rmt_copy_payload_dll(dll_dir, dll_path, RMT_PATH_CCH));
    swprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", dll_path);
    assert_true(rmt_spawn(L"rm_dll_loader.exe", args, &loader));
    assert_true(rmt_spawn(L"rm_file_holder.exe", args, &holder));
    assert_true(process_has_module(loader.pid, dll_path));
    assert_true(process_has_module(holder.pid, dll_path));
    /* Only image mappings hold it (an exclusive open succeeds, under Wine at least),
     * yet a mapped image cannot be deleted. */
    assert_false(DeleteFileW(dll_path));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_true(rmt_kill(&loader));
    assert_true(rmt_kill(&holder));
    assert_true(DeleteFileW(dll_path));
}

/* --- service ------------------------------------------------------------------------ */

static void test_service_installs_starts_stops_deletes(void **state)
{
    wchar_t name[64], event_name[64], held[RMT_PATH_CCH], log_path[RMT_PATH_CCH];
    wchar_t args[RMT_ARGS_CCH];
    char running_line[128];
    SC_HANDLE service;
    SC_HANDLE manager;
    HANDLE ready;
    (void)state;

    assert_true(rmt_service_name(name, 64));
    ready = rmt_event_create(event_name, 64);
    assert_non_null(ready);
    rmt_test_file(L"service_held.txt", held);
    rmt_test_path(L"service.log", log_path);
    swprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\" --ready-event %ls --log \"%ls\"", held,
             event_name, log_path);

    assert_true(rmt_service_install(name, args, &service));
    assert_true(rmt_service_start_wait(service, RMT_SERVICE_TIMEOUT_MS));
    assert_int_equal(WaitForSingleObject(ready, RMT_SERVICE_TIMEOUT_MS), WAIT_OBJECT_0);
    assert_int_not_equal(rmt_service_pid(name), 0);
    assert_int_equal(open_exclusive_error(held), ERROR_SHARING_VIOLATION);

    assert_true(rmt_service_stop_wait(service, RMT_SERVICE_TIMEOUT_MS));
    assert_int_equal(rmt_service_pid(name), 0);
    assert_int_equal(open_exclusive_error(held), ERROR_SUCCESS);
    snprintf(running_line, sizeof(running_line), "RUNNING %ls\n", name);
    assert_log_contains(log_path, running_line);
    assert_log_contains(log_path, "STOP\n");

    assert_true(rmt_service_delete(service));
    manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    assert_non_null(manager);
    assert_null(OpenServiceW(manager, name, SERVICE_QUERY_STATUS));
    assert_int_equal(GetLastError(), ERROR_SERVICE_DOES_NOT_EXIST);
    CloseServiceHandle(manager);
    CloseHandle(ready);
}

/* --- child modes (the test re-run by rmt_run_self) ---------------------------------- */

/* "--child exit N": exits with N. */
static int child_exit(int arg_count, wchar_t **args)
{
    (void)arg_count;
    return _wtoi(args[0]);
}

/* "--child ctrl-c PID": sends Ctrl+C to the console of PID. Done in a child because it
 * must leave its own console and ignore Ctrl+C itself. Exits with 0 on success. */
static int child_ctrl_c(int arg_count, wchar_t **args)
{
    DWORD pid = wcstoul(args[0], NULL, 10);
    (void)arg_count;
    FreeConsole();
    if (!AttachConsole(pid) || !SetConsoleCtrlHandler(NULL, TRUE) ||
        !GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0))
        return (int)GetLastError();
    return 0;
}

/* "--child leave-holder FILE": starts a holder of FILE and exits without ending it;
 * exits with the holder's pid. */
static int child_leave_holder(int arg_count, wchar_t **args)
{
    wchar_t holder_args[RMT_ARGS_CCH];
    rmt_process holder;
    (void)arg_count;
    swprintf(holder_args, RMT_ARGS_CCH, L"--hold \"%ls\" --share none", args[0]);
    if (!rmt_spawn(L"rm_file_holder.exe", holder_args, &holder))
        return 0;
    return (int)holder.pid;
}

static const rmt_child_role child_roles[] = {
    { L"exit", 1, child_exit },
    { L"ctrl-c", 1, child_ctrl_c },
    { L"leave-holder", 1, child_leave_holder },
};

/* --- the library itself ------------------------------------------------------------- */

static void test_spawn_fails_fast_on_early_exit(void **state)
{
    rmt_process p;
    DWORD start = GetTickCount();
    (void)state;

    assert_false(rmt_spawn(L"rm_file_holder.exe", L"--no-such-option", &p));
    assert_null(p.process);
    rmt_assert_lt(GetTickCount() - start, RMT_READY_TIMEOUT_MS / 2);
}

static void test_helper_ends_after_lifetime(void **state)
{
    rmt_process holder;
    (void)state;

    assert_true(rmt_spawn(L"rm_file_holder.exe", L"--lifetime-ms 300", &holder));
    assert_exited_with(&holder, RMH_EXIT_LIFETIME);
}

static void test_open_process_matches_spawn_by_absolute_path(void **state)
{
    wchar_t holder_path[RMT_PATH_CCH];
    rmt_process spawned, opened;
    (void)state;

    assert_true(rmt_exe_path(L"rm_file_holder.exe", holder_path, RMT_PATH_CCH));
    assert_true(rmt_spawn(holder_path, NULL, &spawned));
    assert_true(rmt_open_process(spawned.pid, &opened));
    assert_int_equal(opened.unique.dwProcessId, spawned.pid);
    assert_int_equal(CompareFileTime(&opened.unique.ProcessStartTime, &spawned.start_time), 0);
    assert_true(rmt_kill(&opened));
    assert_true(rmt_wait_exit(&spawned, RMT_EXIT_TIMEOUT_MS));
    rmt_close(&spawned);
}

/* The kill-on-close job: a helper its test forgot dies with the test process. */
static void test_helpers_die_with_their_test_process(void **state)
{
    wchar_t held[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    DWORD holder_pid = 0;
    HANDLE holder;
    (void)state;

    rmt_test_file(L"orphan_held.txt", held);
    swprintf(args, RMT_ARGS_CCH, L"--child leave-holder \"%ls\"", held);
    assert_true(rmt_run_self(args, RMT_READY_TIMEOUT_MS, &holder_pid));
    assert_int_not_equal(holder_pid, 0);
    holder = OpenProcess(SYNCHRONIZE, FALSE, holder_pid);
    if (holder) { /* not yet reaped */
        assert_int_equal(WaitForSingleObject(holder, RMT_EXIT_TIMEOUT_MS), WAIT_OBJECT_0);
        CloseHandle(holder);
    }
    assert_int_equal(open_exclusive_error(held), ERROR_SUCCESS);
}

static void test_run_self_returns_child_exit_code(void **state)
{
    DWORD exit_code = 0;
    (void)state;

    assert_true(rmt_run_self(L"--child exit 7", RMT_READY_TIMEOUT_MS, &exit_code));
    assert_int_equal(exit_code, 7);
}

int wmain(int argc, wchar_t **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_gui_app_accepts_and_ends_on_endsession, kill_leftovers),
        cmocka_unit_test_teardown(test_gui_app_refuses_and_closes_on_wm_close, kill_leftovers),
        cmocka_unit_test_teardown(test_gui_app_hangs_in_queryendsession, kill_leftovers),
        cmocka_unit_test_teardown(test_gui_app_ignores_close, kill_leftovers),
        cmocka_unit_test_teardown(test_gui_app_holds_file_and_registers_restart,
                                  kill_leftovers),
        cmocka_unit_test_teardown(test_console_app_starts_and_holds_file, kill_leftovers),
        cmocka_unit_test_teardown(test_console_app_exits_on_ctrl_c, kill_leftovers),
        cmocka_unit_test_teardown(test_file_holder_holds_without_sharing, kill_leftovers),
        cmocka_unit_test_teardown(test_file_holder_creates_and_holds_pattern, kill_leftovers),
        cmocka_unit_test_teardown(test_dll_loader_and_file_holder_map_payload,
                                  kill_leftovers),
        cmocka_unit_test_teardown(test_service_installs_starts_stops_deletes, kill_leftovers),
        cmocka_unit_test_teardown(test_spawn_fails_fast_on_early_exit, kill_leftovers),
        cmocka_unit_test_teardown(test_helper_ends_after_lifetime, kill_leftovers),
        cmocka_unit_test_teardown(test_open_process_matches_spawn_by_absolute_path,
                                  kill_leftovers),
        cmocka_unit_test_teardown(test_helpers_die_with_their_test_process, kill_leftovers),
        cmocka_unit_test_teardown(test_run_self_returns_child_exit_code, kill_leftovers),
    };

    RMT_RUN_CHILD_ROLE(argc, argv, child_roles);
    return cmocka_run_group_tests(tests, rmt_setup, remove_temp_dir);
}
