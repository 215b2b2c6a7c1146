/* Microsoft's Restart Manager documentation, statement by statement (issue #11): each
 * case quotes the statement and its page, and the docs/behaviour.md rule it backs.
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
#include <tlhelp32.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "rmt_dynamic_api.h"
#include "session_calls.h"
#include "relaunch_rights.h" /* rm_fact */

#define KEY_CCH (CCH_RM_SESSION_KEY + 1)
#define ARGS_CCH (RMT_PATH_CCH * 4)
#define LOG_BYTES 16384
#define SENTINEL 0xA5A5A5A5u

static wchar_t temp_dir[RMT_PATH_CCH];
/* A stand-in program a case put into the system directory, removed at teardown. */
static wchar_t system_copy[RMT_PATH_CCH];

/* ---- plumbing ------------------------------------------------------------------ */

static int setup(void **state)
{
    (void)state;
    return rmt_fixture_setup(temp_dir, RMT_PATH_CCH);
}

static int teardown(void **state)
{
    (void)state;
    SetEnvironmentVariableW(L"RSTRTMGR_APP_TIMEOUT_MS", NULL);
    SetEnvironmentVariableW(L"RSTRTMGR_MESSAGE_TIMEOUT_MS", NULL);
    int result = rmt_fixture_teardown(temp_dir); /* ends the processes first */
    if (system_copy[0])
        DeleteFileW(system_copy);
    system_copy[0] = 0;
    return result;
}

static void spawn(const wchar_t *exe, const wchar_t *args, DWORD flags, rmt_process *out)
{
    if (!rmt_spawn_ex(exe, args, flags, out))
        fail_msg("could not start %ls %ls", exe, args ? args : L"");
}

static void temp_path(const wchar_t *name, wchar_t *out)
{
    assert_true(rmt_path_join(temp_dir, name, out, RMT_PATH_CCH));
}

static void read_log(const wchar_t *path, char *buffer)
{
    assert_true(rmt_read_log(path, buffer, LOG_BYTES));
}

/* Whether this process is attached to a console (AttachConsole refuses a second one). */
static BOOL has_console(void)
{
    return !AttachConsole(ATTACH_PARENT_PROCESS) && GetLastError() == ERROR_ACCESS_DENIED;
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
    assert_true(needed >= sizeof(RM_FILTER_INFO)); /* the needed size, written */
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

/* ---- item 5: console applications get CTRL_C_EVENT ---------------------------------
 * "The Restart Manager sends a CTRL_C_EVENT notification to console applications that
 * must be shut down and restarted."
 *   — Guidelines for Applications, learn.microsoft.com/windows/win32/rstmgr/
 *     guidelines-for-applications (docs/behaviour.md B-SHUT-6)
 * Also when the installer itself runs in a console (a console installer, a script). */
static void test_console_app_gets_ctrl_c_from_console_caller(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process app;
    DWORD handle, app_exit = 99;
    (void)state;
    if (!has_console())
        assert_true(AllocConsole());
    assert_true(has_console());
    temp_path(L"console-caller.log", log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" --on-ctrl exit", log);
    spawn(L"rm_console_app.exe", args, CREATE_NEW_CONSOLE, &app);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &app);
    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_true(rmt_exit_code(&app, &app_exit));
    assert_int_equal(app_exit, RMH_EXIT_OK); /* it handled the event and exited itself */
    read_log(log, text);
    assert_non_null(strstr(text, "CTRL 0 CTRL_C_EVENT"));
    assert_true(has_console()); /* the caller kept its console */
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
    wchar_t log[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process slow;
    saved_value hung;
    DWORD handle;
    (void)state;
    save_value(&hung, HKEY_CURRENT_USER, L"Control Panel\\Desktop", L"HungAppTimeout");
    temp_path(L"slow.log", log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" --query-delay-ms 1500", log);
    spawn(L"rm_gui_app.exe", args, 0, &slow);
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
    wchar_t name[64], args[ARGS_CCH];
    SC_HANDLE service;
    saved_value wait;
    DWORD handle;
    (void)state;
    save_value(&wait, HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Control",
               L"WaitToKillServiceTimeout");
    assert_true(rmt_service_name(name, 64));
    _snwprintf(args, ARGS_CCH, L"--stop-delay-ms 1500");
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

/* The entry of pid in a fresh RmGetList over what handle registered; reasons too. */
static void listed_entry(DWORD handle, DWORD pid, RM_PROCESS_INFO *out, DWORD *reasons)
{
    RM_PROCESS_INFO apps[16];
    UINT needed = 0, count = 16;
    *reasons = SENTINEL;
    assert_int_equal(RmGetList(handle, &needed, &count, apps, reasons), ERROR_SUCCESS);
    const RM_PROCESS_INFO *app = rmt_find_app(apps, count, pid);
    if (!app)
        fail_msg("pid %lu not listed (%u entries)", (unsigned long)pid, count);
    *out = *app;
}

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
    wchar_t log[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process app;
    RM_PROCESS_INFO entry;
    DWORD handle, reasons;
    (void)state;
    temp_path(L"denied.log", log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" --title denied-app --deny-terminate", log);
    spawn(L"rm_gui_app.exe", args, 0, &app);
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

/* ---- item 3: polite shutdown is all or none ---------------------------------------
 * "If any GUI application responds to a WM_QUERYENDSESSION message by returning a value
 * of FALSE, the shutdown is canceled. However, if the shutdown is forced, the application
 * is terminated regardless."
 *   — Guidelines for Applications, learn.microsoft.com/windows/win32/rstmgr/
 *     guidelines-for-applications (docs/behaviour.md B-SHUT-3) */
static void spawn_logged(const wchar_t *exe, const wchar_t *log, const wchar_t *extra,
                         DWORD flags, rmt_process *out)
{
    wchar_t args[ARGS_CCH];
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" %ls", log, extra ? extra : L"");
    spawn(exe, args, flags, out);
}

static void test_one_refusal_cancels_the_whole_shutdown(void **state)
{
    wchar_t refusing_log[RMT_PATH_CCH], accepting_log[RMT_PATH_CCH], console_log[RMT_PATH_CCH];
    char text[LOG_BYTES];
    rmt_process refusing, accepting, console;
    DWORD handle;
    (void)state;
    temp_path(L"refusing.log", refusing_log);
    temp_path(L"accepting.log", accepting_log);
    temp_path(L"console.log", console_log);
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
    read_log(accepting_log, text);
    assert_non_null(strstr(text, "QUERYENDSESSION lParam=0x00000001"));
    assert_null(strstr(text, "ENDSESSION wParam=1"));
    assert_non_null(strstr(text, "ENDSESSION wParam=0")); /* told the session goes on */
    read_log(console_log, text);
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

static void test_gui_then_console_then_services(void **state)
{
    wchar_t log[RMT_PATH_CCH], name[64], args[ARGS_CCH];
    char text[LOG_BYTES];
    rmt_process gui, console;
    SC_HANDLE service;
    DWORD handle;
    (void)state;
    if (!has_console())
        assert_true(AllocConsole()); /* so the console app gets its Ctrl+C (item 5) */
    temp_path(L"order.log", log);
    spawn_logged(L"rm_gui_app.exe", log, L"--query-delay-ms 700 --lifetime-ms 60000", 0, &gui);
    spawn_logged(L"rm_console_app.exe", log, L"--on-ctrl exit", CREATE_NEW_CONSOLE, &console);
    assert_true(rmt_service_name(name, 64));
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\"", log);
    assert_true(rmt_service_install(name, args, &service));
    assert_true(rmt_service_start_wait(service, RMT_SERVICE_TIMEOUT_MS));
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    LPCWSTR services[1] = { name };
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 1, services), ERROR_SUCCESS);
    register_process(handle, &console);
    register_process(handle, &gui);

    DWORD shutdown = RmShutdown(handle, 0, NULL);
    read_log(log, text);
    print_message("log after RmShutdown:\n%s", text);
    assert_int_equal(shutdown, ERROR_SUCCESS);
    const char *ended = find_line(text, "ENDSESSION wParam=1", NULL);
    const char *ctrl = find_line(text, "CTRL 0", NULL);
    const char *stop = find_line(text, "STOP", NULL);
    assert_non_null(ended);
    assert_non_null(ctrl);
    assert_non_null(stop);
    assert_true(ended < ctrl); /* GUI before console */
    assert_true(ctrl < stop);  /* console before services */

    /* Restart in reverse: the service before the GUI application. */
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    const char *gui_start = NULL, *running = NULL;
    for (int i = 0; i < 100 && !gui_start; i++) {
        read_log(log, text);
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
    assert_true(running < gui_start);
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

static void test_late_full_length_registration_is_used(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[ARGS_CCH], registered[RESTART_MAX_CMD_LINE + 1];
    char text[LOG_BYTES], title[RESTART_MAX_CMD_LINE + 1];
    rmt_process app;
    DWORD handle;
    (void)state;
    if (!restart_registry_works())
        rmt_case_not_here("GetApplicationRestartSettings is not implemented (Wine: E_NOTIMPL): "
                          "no restart registration can be produced");
    temp_path(L"late.log", log);
    /* --log "<log>" --lifetime-ms 60000 --title xxx...xZ, RESTART_MAX_CMD_LINE units. */
    int used = _snwprintf(registered, RESTART_MAX_CMD_LINE + 1,
                          L"--log \"%ls\" --lifetime-ms 60000 --title ", log);
    assert_true(used > 0 && used < RESTART_MAX_CMD_LINE - 1);
    for (int i = used; i < RESTART_MAX_CMD_LINE - 1; i++)
        registered[i] = L'x';
    registered[RESTART_MAX_CMD_LINE - 1] = L'Z';
    registered[RESTART_MAX_CMD_LINE] = 0;
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" --register-restart-on-query \"%ls\"", log,
               registered);
    spawn(L"rm_gui_app.exe", args, 0, &app);
    assert_int_equal(start_session(&handle), ERROR_SUCCESS);
    register_process(handle, &app);
    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    WideCharToMultiByte(CP_UTF8, 0, registered + used, -1, title, sizeof(title), NULL, NULL);
    const char *relaunched = NULL;
    for (int i = 0; i < 100 && !relaunched; i++, Sleep(100)) {
        read_log(log, text);
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
static void test_status_after_shutdown_and_restart(void **state)
{
    wchar_t log_a[RMT_PATH_CCH], log_m[RMT_PATH_CCH], log_n[RMT_PATH_CCH];
    rmt_process closed, kept, not_restarted;
    DWORD handle;
    (void)state;
    temp_path(L"closed.log", log_a);
    temp_path(L"kept.log", log_m);
    temp_path(L"not-restarted.log", log_n);
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

static void test_elevated_caller_restarts_unelevated_app_unelevated(void **state)
{
    wchar_t log[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process app, relaunched;
    RM_PROCESS_INFO entry;
    DWORD handle, reasons;
    (void)state;
    HANDLE token = token_elevation(GetCurrentProcess()) == RM_FACT_YES ? unelevated_token() : NULL;
    if (!token)
        rmt_case_not_here("this caller is not elevated or has no unelevated linked token");
    temp_path(L"unelevated.log", log);
    _snwprintf(args, ARGS_CCH, L"--log \"%ls\" --lifetime-ms 60000", log);
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

/* ---- the cases ------------------------------------------------------------------ */

#define CASE(test, todo) { cmocka_unit_test_setup_teardown(test, setup, teardown), todo }

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

static int run_child(int argc, wchar_t **argv)
{
    (void)argc;
    fprintf(stderr, "unknown child role %ls\n", argv[1]);
    return 101;
}

int wmain(int argc, wchar_t **argv)
{
    if (!rmt_target_load(&argc, argv))
        return 2;
    if (argc > 2 && !wcscmp(argv[1], L"--child"))
        return run_child(argc - 1, argv + 1);
    return rmt_run_cases("documented", cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
