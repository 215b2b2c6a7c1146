// SPDX-License-Identifier: LGPL-2.1-or-later
/* Microsoft's Restart Manager documentation, statement by statement (issue #11): each
 * case quotes the statement and its page, and the docs/behaviour.md rule it backs. The
 * statements on shutting down and restarting are in documented_shutdown.c.
 * Runs against any rstrtmgr.dll (rmt_target.h: --dll PATH or RSTRTMGR_TEST_DLL); the
 * marks todo_builtin / todo_this name the DLLs known to differ. Real processes: window,
 * console and service helpers (tests/helpers). */
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
#include "rmt_dynamic_api.h"
#include "session_calls.h"
#include "documented.h"


/* A stand-in program a case put into the system directory, removed at teardown. */
static wchar_t system_copy[RMT_PATH_CCH];

/* ---- plumbing ------------------------------------------------------------------ */

static int teardown(void **state)
{
    SetEnvironmentVariableW(L"RSTRTMGR_APP_TIMEOUT_MS", NULL);
    SetEnvironmentVariableW(L"RSTRTMGR_MESSAGE_TIMEOUT_MS", NULL);
    int result = rmt_teardown(state); /* ends the processes first */
    if (system_copy[0])
        DeleteFileW(system_copy);
    system_copy[0] = 0;
    return result;
}

/* ---- item 1: RmGetFilterList's ERROR_MORE_DATA --------------------------------------
 * "ERROR_MORE_DATA 234: This error value is returned by the RmGetFilterList function if
 * the pbFilterBuf buffer is too small to hold all the application information in the
 * list or if cbFilterBufNeeded was not specified."
 *   — RmGetFilterList function, learn.microsoft.com/windows/win32/api/restartmanager/
 *     nf-restartmanager-rmgetfilterlist (docs/behaviour.md B-FILTER-7) */
static void test_filter_list_too_small_is_more_data(void **state)
{
    DWORD handle, needed = SENTINEL;
    RM_UNIQUE_PROCESS process = { GetCurrentProcessId(), { 1, 2 } };
    BYTE small[4];
    (void)state;
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmAddFilter(handle, NULL, &process, NULL, RmNoRestart), ERROR_SUCCESS);

    assert_int_equal(RmGetFilterList(handle, NULL, 0, &needed), ERROR_MORE_DATA);
    rmt_assert_ge(needed, sizeof(RM_FILTER_INFO)); /* the needed size, written */
    DWORD again = SENTINEL;
    assert_int_equal(RmGetFilterList(handle, small, sizeof(small), &again), ERROR_MORE_DATA);
    assert_int_equal(again, needed);
    assert_int_equal(RmGetFilterList(handle, NULL, 0, NULL), ERROR_MORE_DATA);
    BYTE *buffer = malloc(needed);
    assert_non_null(buffer);
    assert_int_equal(RmGetFilterList(handle, buffer, needed, &again), ERROR_SUCCESS);
    free(buffer);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- item 2: RmRemoveFilter of a filter that does not exist --------------------------
 * "ERROR_FILE_NOT_FOUND 1: The specified filter could not be found." (the page prints
 * the value 1 by mistake: the constant is 2, the code a client compares with)
 *   — RmRemoveFilter function, learn.microsoft.com/windows/win32/api/restartmanager/
 *     nf-restartmanager-rmremovefilter (docs/behaviour.md B-FILTER-5) */
static void test_remove_missing_filter_is_file_not_found(void **state)
{
    DWORD handle;
    RM_UNIQUE_PROCESS process = { GetCurrentProcessId(), { 1, 2 } };
    (void)state;
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(handle, NULL, &process, NULL), ERROR_FILE_NOT_FOUND);
    assert_int_equal(RmRemoveFilter(handle, L"C:\\no\\such\\app.exe", NULL, NULL),
                     ERROR_FILE_NOT_FOUND);
    assert_int_equal(RmRemoveFilter(handle, NULL, NULL, L"NoSuchService"), ERROR_FILE_NOT_FOUND);
    /* One that exists is removed, then it is gone. */
    assert_int_equal(RmAddFilter(handle, NULL, NULL, L"SomeService", RmNoShutdown), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(handle, NULL, NULL, L"someservice"), ERROR_SUCCESS);
    assert_int_equal(RmRemoveFilter(handle, NULL, NULL, L"SomeService"), ERROR_FILE_NOT_FOUND);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- item 10: the waits come from the system's settings ------------------------------
 * "The time to wait before initiating a forced shutdown of applications is specified by
 * the following registry key. HKCU\\Control Panel\\Desktop\\HungAppTimeout
 * The time to wait before initiating a forced shutdown of services is specified by the
 * following registry key. HKLM\\System\\CurrentControlSet\\Control\\WaitToKillServiceTimeout"
 *   — RM_SHUTDOWN_TYPE enumeration, Remarks, learn.microsoft.com/windows/win32/api/
 *     restartmanager/ne-restartmanager-rm_shutdown_type (docs/behaviour.md B-TIME-1,
 *     B-TIME-3; how the 30 s relate: B-TIME-2)
 * Observed without timing: an application that takes 1.5 s to answer, and a service that
 * takes 1.5 s to stop, are unresponsive with a 500 ms setting and not with 5000 ms. */

/* A saved registry value, put back (or deleted) afterwards. */
typedef struct saved_value {
    HKEY root;
    const wchar_t *key, *name;
    BOOL existed;
    DWORD type, size;
    BYTE data[64];
} saved_value;

static void save_value(saved_value *saved, HKEY root, const wchar_t *key, const wchar_t *name)
{
    saved->root = root;
    saved->key = key;
    saved->name = name;
    saved->size = sizeof(saved->data);
    saved->existed = RegGetValueW(root, key, name, RRF_RT_ANY, &saved->type, saved->data,
                                  &saved->size) == ERROR_SUCCESS;
}

static void set_ms_value(const saved_value *saved, const wchar_t *text)
{
    assert_int_equal(RegSetKeyValueW(saved->root, saved->key, saved->name, REG_SZ, text,
                                     (DWORD)((wcslen(text) + 1) * sizeof(wchar_t))),
                     ERROR_SUCCESS);
}

static void restore_value(const saved_value *saved)
{
    if (saved->existed)
        RegSetKeyValueW(saved->root, saved->key, saved->name, saved->type, saved->data,
                        saved->size);
    else
        RegDeleteKeyValueW(saved->root, saved->key, saved->name);
}

static void test_app_wait_is_hung_app_timeout(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process slow;
    saved_value hung;
    DWORD handle;
    (void)state;
    save_value(&hung, HKEY_CURRENT_USER, L"Control Panel\\Desktop", L"HungAppTimeout");
    rmt_test_path(L"slow.log", log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" --query-delay-ms 1500", log);
    rmt_must_spawn_ex(L"rm_gui_app.exe", args, 0, &slow);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &slow);

    set_ms_value(&hung, L"500");
    DWORD short_setting = RmShutdown(handle, 0, NULL);
    BOOL survived = rmt_is_running(&slow);
    set_ms_value(&hung, L"5000");
    DWORD long_setting = survived ? RmShutdown(handle, 0, NULL) : ERROR_SUCCESS;
    restore_value(&hung);
    assert_int_equal(short_setting, ERROR_FAIL_SHUTDOWN); /* not responding in 500 ms */
    assert_true(survived);
    assert_int_equal(long_setting, ERROR_SUCCESS); /* answered within 5000 ms */
    assert_true(rmt_wait_exit(&slow, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static BOOL service_running(SC_HANDLE service)
{
    SERVICE_STATUS status;
    return QueryServiceStatus(service, &status) && status.dwCurrentState == SERVICE_RUNNING;
}

static void test_service_wait_is_wait_to_kill_service_timeout(void **state)
{
    wchar_t name[64], args[RMT_ARGS_CCH];
    SC_HANDLE service;
    saved_value wait;
    DWORD handle;
    (void)state;
    save_value(&wait, HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Control",
               L"WaitToKillServiceTimeout");
    assert_true(rmt_service_name(name, 64));
    _snwprintf(args, RMT_ARGS_CCH, L"--stop-delay-ms 1500");
    assert_true(rmt_service_install(name, args, &service));
    assert_true(rmt_service_start_wait(service, RMT_SERVICE_TIMEOUT_MS));
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    LPCWSTR services[1] = { name };
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 1, services), ERROR_SUCCESS);

    set_ms_value(&wait, L"500");
    DWORD short_setting = RmShutdown(handle, 0, NULL);
    BOOL restarted = rmt_service_stop_wait(service, RMT_SERVICE_TIMEOUT_MS) &&
                     rmt_service_start_wait(service, RMT_SERVICE_TIMEOUT_MS);
    set_ms_value(&wait, L"5000");
    DWORD long_setting = restarted ? RmShutdown(handle, 0, NULL) : ERROR_SUCCESS;
    BOOL still_running = service_running(service);
    restore_value(&wait);
    assert_int_equal(short_setting, ERROR_FAIL_SHUTDOWN); /* not stopped in 500 ms */
    assert_true(restarted);
    assert_int_equal(long_setting, ERROR_SUCCESS); /* stopped within 5000 ms */
    assert_false(still_running);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_true(rmt_service_delete(service));
}

/* ---- item 9: RmCritical and bRestartable -------------------------------------------
 * "bRestartable: TRUE if the application can be restarted by the Restart Manager;
 * otherwise FALSE. This member is always TRUE if the process is a service. This member is
 * always FALSE if the process is a critical system process."
 *   — RM_PROCESS_INFO structure, learn.microsoft.com/windows/win32/api/restartmanager/
 *     ns-restartmanager-rm_process_info (docs/behaviour.md B-GETLIST-8)
 * "RmCritical ... The process may be a critical process. The current user may not have
 * permission to shut down the process."
 *   — RM_APP_TYPE enumeration, .../ne-restartmanager-rm_app_type (B-GETLIST-9)
 * "Critical system services include smss.exe, csrss.exe, wininit.exe, logonui.exe,
 * lsass.exe, services.exe, winlogon.exe, System, svchost.exe with RPCSS, and svchost.exe
 * with Dcom/PnP."
 *   — Critical System Services, learn.microsoft.com/windows/win32/rstmgr/
 *     critical-system-services (B-GETLIST-9)
 * "If the process is a critical process, and the installer is run with elevated
 * privileges, this parameter returns the name of the executable file of the critical
 * process." — RM_PROCESS_INFO, strAppName (B-GETLIST-10; this DLL does so whatever the
 * caller's elevation) */

static void test_service_is_always_restartable(void **state)
{
    wchar_t name[64];
    SC_HANDLE service;
    RM_PROCESS_INFO entry;
    DWORD handle, reasons;
    rmt_process host;
    (void)state;
    assert_true(rmt_service_name(name, 64));
    /* It refuses SERVICE_CONTROL_STOP: still a service, so still restartable. It stops
     * by itself after 8 s. */
    assert_true(rmt_service_install(name, L"--no-stop --lifetime-ms 8000", &service));
    assert_true(rmt_service_start_wait(service, RMT_SERVICE_TIMEOUT_MS));
    assert_true(rmt_open_process(rmt_service_pid(name), &host));
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    LPCWSTR services[1] = { name };
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 1, services), ERROR_SUCCESS);
    listed_entry(handle, host.pid, &entry, &reasons);
    assert_int_equal(entry.ApplicationType, RmService);
    assert_int_equal(entry.bRestartable, TRUE);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    rmt_close(&host);
    assert_true(rmt_service_delete(service)); /* it stops with its lifetime */
}

static void test_process_the_caller_may_not_end_is_critical(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process app;
    RM_PROCESS_INFO entry;
    DWORD handle, reasons;
    (void)state;
    rmt_test_path(L"denied.log", log);
    _snwprintf(args, RMT_ARGS_CCH, L"--log \"%ls\" --title denied-app --deny-terminate", log);
    rmt_must_spawn_ex(L"rm_gui_app.exe", args, 0, &app);
    HANDLE probe = OpenProcess(PROCESS_TERMINATE, FALSE, app.pid);
    if (probe) {
        CloseHandle(probe);
        rmt_case_not_here("the system ignores the helper's process DACL: no process this "
                          "caller may not terminate can be produced");
    }
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &app);
    listed_entry(handle, app.pid, &entry, &reasons);
    assert_int_equal(entry.ApplicationType, RmCritical);
    assert_int_equal(entry.bRestartable, FALSE);
    assert_string_equal(entry.strAppName, L"rm_gui_app.exe"); /* not the window title */
    assert_int_equal(reasons & RmRebootReasonPermissionDenied, RmRebootReasonPermissionDenied);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* Under Wine only (on Windows the real one runs): a program named logonui.exe in the
 * system directory. */
static BOOL start_logonui(wchar_t *path, rmt_process *out)
{
    wchar_t source[RMT_PATH_CCH];
    UINT length = GetSystemDirectoryW(path, RMT_PATH_CCH);
    if (!length || !rmt_exe_path(L"rm_file_holder.exe", source, RMT_PATH_CCH))
        return FALSE;
    wcscat(path, L"\\logonui.exe");
    /* Wine has no logonui.exe: one there is an earlier run's stand-in. */
    if (!CopyFileW(source, path, FALSE)) {
        print_message("copying %ls to %ls: error %lu\n", source, path,
                  (unsigned long)GetLastError());
        return FALSE;
    }
    wcscpy(system_copy, path);
    return rmt_spawn(path, NULL, out);
}

static void test_system_processes_are_critical(void **state)
{
    wchar_t path[RMT_PATH_CCH];
    rmt_process logonui;
    RM_PROCESS_INFO entry;
    DWORD handle, reasons;
    (void)state;
    if (!GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version"))
        rmt_case_not_here("the stand-in logonui.exe is for Wine prefixes only");
    assert_true(start_logonui(path, &logonui));
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &logonui);
    listed_entry(handle, logonui.pid, &entry, &reasons);
    assert_int_equal(entry.ApplicationType, RmCritical);
    assert_int_equal(entry.bRestartable, FALSE);
    assert_string_equal(entry.strAppName, L"logonui.exe");
    assert_int_equal(reasons & RmRebootReasonCriticalProcess, RmRebootReasonCriticalProcess);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);

    /* The host of RpcSs / PlugPlay (Wine runs them in their own programs). */
    static const wchar_t *const hosts[] = { L"PlugPlay", L"RpcSs" };
    for (size_t i = 0; i < 2; i++) {
        DWORD pid = rmt_service_pid(hosts[i]);
        if (!pid) {
            print_message("%ls is not running: not checked\n", hosts[i]);
            continue;
        }
        assert_int_equal(start_session(&handle), ERROR_SUCCESS);
        LPCWSTR services[1] = { hosts[i] };
        assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 1, services),
                         ERROR_SUCCESS);
        listed_entry(handle, pid, &entry, &reasons);
        print_message("%ls host: type %d, restartable %d, name %ls\n", hosts[i],
                      (int)entry.ApplicationType, (int)entry.bRestartable, entry.strAppName);
        assert_int_equal(entry.ApplicationType, RmCritical);
        assert_int_equal(entry.bRestartable, FALSE);
        assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    }
}

/* ---- the cases ------------------------------------------------------------------ */

#define CASE(test, todo) { cmocka_unit_test_setup_teardown(test, rmt_setup, teardown), todo }

static const rmt_case cases[] = {
    /* Wine's stub: RmGetFilterList is unimplemented (aborts the caller); RmRemoveFilter
     * always succeeds. */
    CASE(test_filter_list_too_small_is_more_data, todo_builtin),
    CASE(test_remove_missing_filter_is_file_not_found, todo_builtin),
    /* Wine's stub shuts nothing down. */
    CASE(test_console_app_gets_ctrl_c_from_console_caller, todo_builtin),
    CASE(test_app_wait_is_hung_app_timeout, todo_builtin),
    CASE(test_service_wait_is_wait_to_kill_service_timeout, todo_builtin),
    /* Wine's stub lists nothing. */
    CASE(test_service_is_always_restartable, todo_builtin),
    CASE(test_process_the_caller_may_not_end_is_critical, todo_builtin),
    CASE(test_system_processes_are_critical, todo_builtin),
    /* Wine's stub shuts nothing down, restarts nothing. */
    CASE(test_one_refusal_cancels_the_whole_shutdown, todo_builtin),
    CASE(test_gui_then_console_then_services, todo_builtin),
    CASE(test_late_full_length_registration_is_used, todo_builtin),
    CASE(test_status_after_shutdown_and_restart, todo_builtin),
    CASE(test_elevated_caller_restarts_unelevated_app_unelevated, todo_builtin),
};

int wmain(int argc, wchar_t **argv)
{
    if (!rmt_target_load(&argc, argv))
        return 2;
    int exit_code; /* no child roles: "--child" is refused */
    if (rmt_child_dispatch(argc, argv, NULL, 0, &exit_code))
        return exit_code;
    return rmt_run_cases("documented", cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
