// SPDX-License-Identifier: LGPL-2.1-or-later
/* Conformance of RmGetList (docs/behaviour.md B-GETLIST-*, cases C-14, C-22, C-24…C-41,
 * C-62, C-64) against real processes under Wine: files held open, DLLs loaded, running
 * images, window and console apps, services, registered processes, the caller itself,
 * path spellings, many holders, a resource registered by a joined second process, the
 * other architecture's processes and a hanging handle (fault injection). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <wctype.h>
#include <windows.h>
#include <tlhelp32.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "getlist_calls.h"
#include "rmt_measure.h"

/* What one RmGetList may take here, whatever the other processes do (case 64). */
#define GETLIST_BOUND_MS 30000.0

/* ---- arguments and the two-call protocol (cases 24-27, 38, 39) --------------------- */

static void test_bad_arguments(void **state)
{
    DWORD handle, reasons = 0;
    WCHAR key[RMT_KEY_CCH] = {0};
    UINT needed = 0, count = 0;
    RM_PROCESS_INFO app;
    (void)state;
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmGetList(handle, NULL, &count, NULL, &reasons), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetList(handle, &needed, NULL, NULL, &reasons), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmGetList(handle, &needed, &count, NULL, NULL), ERROR_BAD_ARGUMENTS);
    count = 1;
    assert_int_equal(RmGetList(handle, &needed, &count, NULL, &reasons), ERROR_BAD_ARGUMENTS);
    count = 1;
    assert_int_equal(RmGetList(handle, &needed, &count, &app, &reasons), ERROR_SUCCESS);
    assert_int_equal(needed, 0);
    assert_int_equal(count, 0);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    /* An ended handle: the counters stay as they were. */
    needed = 7;
    assert_int_equal(RmGetList(handle, &needed, &count, NULL, &reasons), ERROR_INVALID_HANDLE);
    assert_int_equal(needed, 7);
}

static void test_nothing_found(void **state)
{
    wchar_t unused[RMT_PATH_CCH], missing[RMT_PATH_CCH];
    DWORD handle, reasons = 0xdeadbeef;
    WCHAR key[RMT_KEY_CCH] = {0};
    UINT needed = 99, count = 0;
    (void)state;
    rmt_test_file(L"unused.dat", unused);
    rmt_test_path(L"does-not-exist.dat", missing);
    const wchar_t *files[2] = { unused, missing };
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 2, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmGetList(handle, &needed, &count, NULL, &reasons), ERROR_SUCCESS);
    assert_int_equal(needed, 0);
    assert_int_equal(count, 0);
    assert_int_equal(reasons, RmRebootReasonNone);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_two_call_protocol(void **state)
{
    wchar_t file[RMT_PATH_CCH];
    rmt_process holder;
    DWORD handle, reasons = 0xdeadbeef, session = 0;
    WCHAR key[RMT_KEY_CCH] = {0};
    UINT needed = 0, count = 0;
    RM_PROCESS_INFO apps[5];
    (void)state;
    rmt_test_file(L"held.dat", file);
    spawn_holder(file, L"read", &holder);
    const wchar_t *files[1] = { file };
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);

    assert_int_equal(RmGetList(handle, &needed, &count, NULL, &reasons), ERROR_MORE_DATA);
    assert_int_equal(needed, 1);
    assert_int_equal(reasons, RmRebootReasonNone); /* written even with ERROR_MORE_DATA */

    count = 1;
    reasons = 0xdeadbeef;
    assert_int_equal(RmGetList(handle, &needed, &count, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    assert_int_equal(reasons, RmRebootReasonNone);
    assert_int_equal(apps[0].Process.dwProcessId, holder.pid);
    assert_memory_equal(&apps[0].Process.ProcessStartTime, &holder.start_time, sizeof(FILETIME));
    assert_true(ProcessIdToSessionId(holder.pid, &session));
    assert_int_equal(apps[0].TSSessionId, session);
    assert_int_equal(apps[0].AppStatus, RmStatusRunning);
    assert_int_equal(apps[0].ApplicationType, RmConsole);
    assert_string_equal(apps[0].strServiceShortName, L"");

    count = 5;
    assert_int_equal(RmGetList(handle, &needed, &count, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    assert_int_equal(needed, 1);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- ways of using a file (cases 22, 28-31, 37) ------------------------------------ */

static void test_open_handle_any_share_mode(void **state)
{
    static const wchar_t *const shares[] = { L"none", L"read", L"all" };
    wchar_t files[3][RMT_PATH_CCH], name[32];
    rmt_process holders[3];
    listing *list = malloc(sizeof(*list));
    (void)state;
    for (int i = 0; i < 3; i++) {
        _snwprintf(name, 32, L"share-%ls.dat", shares[i]);
        rmt_test_file(name, files[i]);
        spawn_holder(files[i], shares[i], &holders[i]);
    }
    resources what = { 3, { files[0], files[1], files[2] }, 0, { { 0 } }, 0, { NULL } };
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 3);
    for (int i = 0; i < 3; i++)
        assert_lists(list, &holders[i]);
    free(list);
}

static void test_one_entry_per_process(void **state)
{
    wchar_t first[RMT_PATH_CCH], second[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process holder;
    listing *list = malloc(sizeof(*list));
    (void)state;
    rmt_test_file(L"first.dat", first);
    rmt_test_file(L"second.dat", second);
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\" --hold \"%ls\"", first, second);
    rmt_must_spawn(L"rm_file_holder.exe", args, &holder);
    resources what = { 2, { first, second }, 1, { holder.unique }, 0, { NULL } };
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &holder);
    free(list);
}

static void test_loaded_dll_only(void **state)
{
    wchar_t dll[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process loader;
    listing *list = malloc(sizeof(*list));
    (void)state;
    assert_true(rmt_copy_payload_dll(rmt_test_dir, dll, RMT_PATH_CCH));
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", dll);
    rmt_must_spawn(L"rm_dll_loader.exe", args, &loader);
    resources what = one_file(dll);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &loader);
    free(list);
}

/* Position of pid in the system's process list (Toolhelp walks the same list the DLL
 * takes), or -1. */
static int process_list_position(DWORD pid)
{
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W entry = { .dwSize = sizeof(entry) };
    int position = -1, at = 0;
    if (snapshot == INVALID_HANDLE_VALUE)
        return -1;
    for (BOOL more = Process32FirstW(snapshot, &entry); more && position < 0;
         more = Process32NextW(snapshot, &entry), at++)
        if (entry.th32ProcessID == pid)
            position = at;
    CloseHandle(snapshot);
    return position;
}

/* Processes found by different evidence (an open handle, a loaded module) are listed
 * in one order, the system's process list's, whichever evidence found each and whenever
 * it was described (docs/behaviour.md B-GETLIST-16, inferred: one answer for one state of
 * the system; RmGetList's page states no order); and the call leaves no thread behind. */
static void test_answer_in_process_list_order(void **state)
{
    wchar_t dll[RMT_PATH_CCH], data[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process holder, loader;
    listing *list = malloc(sizeof(*list));
    (void)state;
    rmt_test_file(L"order.dat", data);
    spawn_holder(data, L"read", &holder);
    assert_true(rmt_copy_payload_dll(rmt_test_dir, dll, RMT_PATH_CCH));
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", dll);
    rmt_must_spawn(L"rm_dll_loader.exe", args, &loader);
    resources what = { 2, { dll, data }, 0, { { 0 } }, 0, { NULL } };
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 2);
    assert_lists(list, &holder);
    assert_lists(list, &loader);
    int first = process_list_position(list->apps[0].Process.dwProcessId);
    int second = process_list_position(list->apps[1].Process.dwProcessId);
    print_message("listed pid %lu (list position %d), then pid %lu (%d)\n",
                  list->apps[0].Process.dwProcessId, first, list->apps[1].Process.dwProcessId,
                  second);
    assert_true(first >= 0 && second >= 0);
    if (first > second)
        fail_msg("pid %lu listed before pid %lu, against the process list's order",
                 list->apps[0].Process.dwProcessId, list->apps[1].Process.dwProcessId);
    /* No thread of the call outlives it, those it starts ahead of the module scan and
     * those describing while the handles are named among them (inferred: the project's
     * guarantee, docs/architecture.md; the call above warmed up what the system keeps,
     * e.g. for the SCM). */
    unsigned long threads_before, threads_after;
    assert_true(rmt_thread_count(&threads_before));
    list_resources(&what, list);
    assert_true(rmt_thread_count(&threads_after));
    assert_int_equal(list->error, ERROR_SUCCESS);
    if (threads_after != threads_before)
        fail_msg("threads %lu -> %lu across RmGetList", threads_before, threads_after);
    free(list);
}

/* The files the call itself opens while it looks (a console program's image, read for
 * its description) are not the caller's: a caller holding none of the registered files
 * never gets RmRebootReasonDetectedSelf (RM_REBOOT_REASON's page: "the calling process"
 * uses a resource; B-GETLIST-13). Repeated, because the description runs while the other
 * processes' handles are named (B-GETLIST-16, docs/architecture.md). */
#define SELF_CONSOLE_APPS 4
#define SELF_ROUNDS 40
static void test_callers_own_lookups_not_detected(void **state)
{
    wchar_t image[RMT_PATH_CCH], data[RMT_PATH_CCH];
    rmt_process holder, apps[SELF_CONSOLE_APPS];
    listing *list = malloc(sizeof(*list));
    (void)state;
    rmt_test_file(L"self.dat", data);
    spawn_holder(data, L"read", &holder);
    for (int i = 0; i < SELF_CONSOLE_APPS; i++)
        rmt_must_spawn(L"rm_console_app.exe", NULL, &apps[i]);
    assert_true(rmt_exe_path(L"rm_console_app.exe", image, RMT_PATH_CCH));
    resources what = { 2, { image, data }, 0, { { 0 } }, 0, { NULL } };
    for (int round = 0; round < SELF_ROUNDS; round++) {
        list_resources(&what, list);
        assert_int_equal(list->error, ERROR_SUCCESS);
        if (list->reasons != RmRebootReasonNone || list->count != SELF_CONSOLE_APPS + 1)
            fail_msg("round %d: %u listed, reboot reasons %#lx (expected %d, none)", round,
                     list->count, list->reasons, SELF_CONSOLE_APPS + 1);
    }
    free(list);
}

/* A DLL loaded through its 8.3 alias, registered by its long name (and the reverse):
 * still the same file (docs/behaviour.md B-REG-4). The module scan skips modules by the
 * length of their names, so both lengths must count. */
static void test_loaded_dll_by_short_name(void **state)
{
    wchar_t payload[RMT_PATH_CCH], dll[RMT_PATH_CCH], short_dll[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process loader;
    listing *list = malloc(sizeof(*list));
    (void)state;
    assert_true(rmt_exe_path(L"rm_test_payload.dll", payload, RMT_PATH_CCH));
    rmt_test_path(L"a-payload-with-a-long-name.dll", dll);
    assert_true(CopyFileW(payload, dll, FALSE));
    DWORD length = GetShortPathNameW(dll, short_dll, RMT_PATH_CCH);
    rmt_assert_gt(length, 0);
    rmt_assert_lt(length, RMT_PATH_CCH);
    print_message("loaded as %ls\n", short_dll);
    if (_wcsicmp(short_dll, dll) == 0)
        fail_msg("no short name for %ls", dll);
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", short_dll);
    rmt_must_spawn(L"rm_dll_loader.exe", args, &loader);
    resources what = one_file(dll);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_lists(list, &loader);
    what = one_file(short_dll);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_lists(list, &loader);
    free(list);
}

static void test_running_image(void **state)
{
    wchar_t source[RMT_PATH_CCH], copy[RMT_PATH_CCH];
    rmt_process program;
    listing *list = malloc(sizeof(*list));
    (void)state;
    /* A private copy: no other process runs this image. */
    assert_true(rmt_exe_path(L"rm_file_holder.exe", source, RMT_PATH_CCH));
    rmt_test_path(L"image-under-test.exe", copy);
    assert_true(CopyFileW(source, copy, FALSE));
    rmt_must_spawn(copy, NULL, &program);
    resources what = one_file(copy);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &program);
    assert_string_equal(list->apps[0].strAppName, L"image-under-test.exe");
    free(list);
}

static void expect_spelling_matches(const wchar_t *spelling, const rmt_process *holder)
{
    listing *list = malloc(sizeof(*list));
    resources what = one_file(spelling);
    list_resources(&what, list);
    if (list->error != ERROR_SUCCESS || list->count != 1)
        fail_msg("'%ls': error %lu, %u entries", spelling, (unsigned long)list->error, list->count);
    assert_lists(list, holder);
    free(list);
}

static void upper_case(wchar_t *text)
{
    for (; *text; text++)
        *text = towupper(*text);
}

static void test_path_spellings(void **state)
{
    wchar_t file[RMT_PATH_CCH], spelling[RMT_PATH_CCH];
    rmt_process holder;
    (void)state;
    rmt_test_file(L"a rather long file name for spelling tests.data", file);
    spawn_holder(file, L"read", &holder);

    wcscpy(spelling, file);
    upper_case(spelling);
    expect_spelling_matches(spelling, &holder);

    _snwprintf(spelling, RMT_PATH_CCH, L"\\\\?\\%ls", file);
    expect_spelling_matches(spelling, &holder);

    DWORD length = GetShortPathNameW(file, spelling, RMT_PATH_CCH);
    rmt_assert_gt(length, 0);
    rmt_assert_lt(length, RMT_PATH_CCH);
    if (wcscmp(spelling, file) == 0) {
        print_message("no 8.3 name for '%ls' on this system: short spelling not checked\n", file);
        return;
    }
    expect_spelling_matches(spelling, &holder);
}

static void test_caller_is_detected_not_listed(void **state)
{
    wchar_t file[RMT_PATH_CCH];
    listing *list = malloc(sizeof(*list));
    (void)state;
    rmt_test_file(L"mine.dat", file);
    HANDLE mine = CreateFileW(file, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(mine != INVALID_HANDLE_VALUE);
    resources what = one_file(file);
    list_resources(&what, list);
    CloseHandle(mine);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 0);
    assert_int_equal(list->reasons, RmRebootReasonDetectedSelf);
    free(list);
}

static void test_registered_directory_is_denied(void **state)
{
    DWORD handle, reasons = 0;
    WCHAR key[RMT_KEY_CCH] = {0};
    UINT needed = 7, count = 0;
    (void)state;
    const wchar_t *files[1] = { rmt_test_dir };
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmGetList(handle, &needed, &count, NULL, &reasons), ERROR_ACCESS_DENIED);
    assert_int_equal(needed, 7); /* never inflated on an error */
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- registered processes and services (cases 32-34) ------------------------------- */

static void test_registered_process_needs_start_time(void **state)
{
    rmt_process program;
    listing *list = malloc(sizeof(*list));
    (void)state;
    rmt_must_spawn(L"rm_file_holder.exe", NULL, &program);
    resources what = { 0, { NULL }, 1, { program.unique }, 0, { NULL } };
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &program);

    what.processes[0].ProcessStartTime.dwLowDateTime += 1; /* a reused pid */
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 0);
    free(list);
}

static void check_service_entry(const listing *list, const wchar_t *name)
{
    DWORD pid = rmt_service_pid(name);
    assert_int_not_equal(pid, 0);
    const RM_PROCESS_INFO *app = find_app(list, pid);
    if (!app)
        fail_msg("service %ls (pid %lu) not listed", name, (unsigned long)pid);
    assert_int_equal(app->ApplicationType, RmService);
    assert_string_equal(app->strServiceShortName, name);
    assert_string_equal(app->strAppName, name); /* its display name */
    assert_true(app->bRestartable);
}

static void test_services(void **state)
{
    wchar_t name[64], holder_name[64], file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    SC_HANDLE plain, holding;
    listing *list = malloc(sizeof(*list));
    (void)state;
    assert_true(rmt_service_name(name, 64));
    assert_true(rmt_service_name(holder_name, 64));
    rmt_test_file(L"service-held.dat", file);
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", file);
    assert_true(rmt_service_install(name, NULL, &plain));
    assert_true(rmt_service_install(holder_name, args, &holding));
    assert_true(rmt_service_start_wait(plain, RMT_SERVICE_TIMEOUT_MS));
    assert_true(rmt_service_start_wait(holding, RMT_SERVICE_TIMEOUT_MS));

    resources by_name = { 0, { NULL }, 0, { { 0 } }, 1, { name } };
    list_resources(&by_name, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    check_service_entry(list, name);

    resources by_file = one_file(file);
    list_resources(&by_file, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    check_service_entry(list, holder_name);

    /* Found through their program image, not registered as services, they are still
     * listed as the services they run (B-GETLIST-6, B-GETLIST-8): the SCM is asked when
     * an affected process was started by it. */
    wchar_t image[RMT_PATH_CCH];
    assert_true(rmt_exe_path(L"rm_service.exe", image, RMT_PATH_CCH));
    resources by_image = one_file(image);
    list_resources(&by_image, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    rmt_assert_ge(list->count, 2);
    check_service_entry(list, name);
    check_service_entry(list, holder_name);

    assert_true(rmt_service_stop_wait(plain, RMT_SERVICE_TIMEOUT_MS));
    list_resources(&by_name, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 0);

    assert_true(rmt_service_delete(plain));
    assert_true(rmt_service_delete(holding));
    free(list);
}

/* ---- application types and names (cases 35, 36) ------------------------------------ */

static void test_window_app(void **state)
{
    wchar_t file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process app;
    listing *list = malloc(sizeof(*list));
    (void)state;
    rmt_test_file(L"window-held.dat", file);
    _snwprintf(args, RMT_ARGS_CCH, L"--title \"GetList window title\" --hold \"%ls\"", file);
    rmt_must_spawn(L"rm_gui_app.exe", args, &app);
    assert_non_null(rmt_find_window(app.pid, L"GetList window title"));
    resources what = one_file(file);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &app);
    assert_int_equal(list->apps[0].ApplicationType, RmMainWindow);
    assert_string_equal(list->apps[0].strAppName, L"GetList window title");
    /* Not registered for restart: restartable only through the documented fallback for
     * systems without GetApplicationRestartSettings (Wine). */
    DWORD size = 0, flags = 0;
    BOOL fallback = GetApplicationRestartSettings(GetCurrentProcess(), NULL, &size, &flags) ==
                    E_NOTIMPL;
    assert_int_equal(list->apps[0].bRestartable, fallback);
    free(list);
}

static void test_console_app(void **state)
{
    wchar_t file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process app;
    listing *list = malloc(sizeof(*list));
    (void)state;
    rmt_test_file(L"console-held.dat", file);
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", file);
    rmt_must_spawn(L"rm_console_app.exe", args, &app);
    resources what = one_file(file);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &app);
    assert_int_equal(list->apps[0].ApplicationType, RmConsole);
    /* No version resource: the file name, which clients compare without ".exe". */
    assert_string_equal(list->apps[0].strAppName, L"rm_console_app.exe");
    free(list);
}

/* ---- many holders (case 41) -------------------------------------------------------- */

static void test_many_holders(void **state)
{
    wchar_t file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process *holders = calloc(MANY_HOLDERS, sizeof(*holders));
    listing *list = malloc(sizeof(*list));
    int started = 0;
    (void)state;
    rmt_test_file(L"popular.dat", file);
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\" --share all", file);
    double start = rmt_now_ms();
    for (; started < MANY_HOLDERS; started++)
        if (!rmt_spawn(L"rm_file_holder.exe", args, &holders[started]))
            break;
    print_message("started %d holders in %.0f ms\n", started, rmt_now_ms() - start);
    rmt_assert_ge(started, 100); /* Wine's limits aside, a real crowd */
    resources what = one_file(file);
    list_resources(&what, list);
    print_message("RmGetList for %d holders: %.1f ms\n", started, list->milliseconds);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, (UINT)started);
    for (int i = 0; i < started; i++)
        assert_lists(list, &holders[i]);
    for (int i = 0; i < started; i++)
        rmt_kill(&holders[i]);
    free(holders);
    free(list);
}

/* ---- a resource registered by a second process (case 14) --------------------------- */

/* join-register KEY FILE: joins the session, registers FILE, leaves. */
static int child_join_register(int arg_count, wchar_t **args)
{
    DWORD handle;
    (void)arg_count;
    DWORD error = RmJoinSession(&handle, args[0]);
    if (error != ERROR_SUCCESS)
        return (int)error;
    const wchar_t *files[1] = { args[1] };
    error = RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL);
    DWORD end_error = RmEndSession(handle);
    return (int)(error != ERROR_SUCCESS ? error : end_error);
}

static void test_registered_by_joined_process(void **state)
{
    wchar_t file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process holder;
    DWORD handle, reasons = 0, exit_code = 1;
    WCHAR key[RMT_KEY_CCH] = {0};
    UINT needed = 0, count = 2;
    RM_PROCESS_INFO apps[2];
    (void)state;
    rmt_test_file(L"joined.dat", file);
    spawn_holder(file, L"read", &holder);
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    _snwprintf(args, RMT_ARGS_CCH, L"--child join-register %ls \"%ls\"", key, file);
    assert_true(rmt_run_self(args, RMT_CHILD_TIMEOUT_MS, &exit_code));
    assert_int_equal(exit_code, 0);
    assert_int_equal(RmGetList(handle, &needed, &count, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    assert_int_equal(apps[0].Process.dwProcessId, holder.pid);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- the other architecture (case 62) ----------------------------------------------- */

static void test_other_architecture(void **state)
{
    wchar_t holder_exe[RMT_PATH_CCH], loader_exe[RMT_PATH_CCH], payload[RMT_PATH_CCH];
    wchar_t dll[RMT_PATH_CCH], file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    static const wchar_t *const needed[3] = { L"rm_file_holder.exe", L"rm_dll_loader.exe",
                                              L"rm_test_payload.dll" };
    wchar_t *const paths[3] = { holder_exe, loader_exe, payload };
    rmt_process holder, loader;
    listing *list = malloc(sizeof(*list));
    (void)state;
    for (int i = 0; i < 3; i++)
        if (!rmt_other_arch_file(needed[i], paths[i], RMT_PATH_CCH)) {
            print_message("other architecture's helpers not built (looked for '%ls'): skipped\n",
                          paths[i]);
            free(list);
            skip();
        }
    rmt_test_file(L"cross.dat", file);
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", file);
    rmt_must_spawn(holder_exe, args, &holder);
    resources what = one_file(file);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &holder);
    assert_int_equal(list->apps[0].ApplicationType, RmConsole);

    /* A copy of the other architecture's DLL, loaded and its handle closed. */
    rmt_test_path(L"cross-payload.dll", dll);
    assert_true(CopyFileW(payload, dll, FALSE));
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", dll);
    rmt_must_spawn(loader_exe, args, &loader);
    what = one_file(dll);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    if (!rmt_can_read_other_arch()) {
        print_message("this system offers no way for a 32-bit process to read a 64-bit "
                      "process's modules (no NtWow64QueryInformationProcess64): DLL case "
                      "not checked\n");
    } else {
        assert_int_equal(list->count, 1);
        assert_lists(list, &loader);
    }
    free(list);
}

/* ---- a handle whose naming hangs (case 64) ------------------------------------------ */

static void test_hanging_identify_is_bounded(void **state)
{
    wchar_t file[RMT_PATH_CCH], pid_text[16];
    rmt_process hanging, healthy;
    listing *list = malloc(sizeof(*list));
    (void)state;
    rmt_test_file(L"hang.dat", file);
    spawn_holder(file, L"all", &hanging);
    spawn_holder(file, L"all", &healthy);
    _snwprintf(pid_text, 16, L"%lu", (unsigned long)hanging.pid);
    assert_true(SetEnvironmentVariableW(L"RSTRTMGR_FAULT_HANG_IDENTIFY", pid_text));
    resources what = one_file(file);
    list_resources(&what, list);
    SetEnvironmentVariableW(L"RSTRTMGR_FAULT_HANG_IDENTIFY", NULL);
    print_message("RmGetList with every handle of pid %lu hanging: %.0f ms\n",
                  (unsigned long)hanging.pid, list->milliseconds);
    assert_int_equal(list->error, ERROR_SUCCESS);
    rmt_assert_lt(list->milliseconds, GETLIST_BOUND_MS);
    assert_lists(list, &healthy);
    assert_not_listed(list, hanging.pid); /* its handles could not be named */
    free(list);
}

/* ---- cancellation (RmCancelCurrentTask during a resolution) ------------------------- */

static void test_cancel_during_getlist(void **state)
{
    wchar_t file[RMT_PATH_CCH], pid_text[16];
    rmt_process hanging;
    DWORD handle, reasons = 0;
    WCHAR key[RMT_KEY_CCH] = {0};
    UINT needed = 7, count = 0;
    DWORD cancelled = 0xdeadbeef;
    (void)state;
    rmt_test_file(L"cancel.dat", file);
    spawn_holder(file, L"all", &hanging);
    const wchar_t *files[1] = { file };
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    /* A holder whose handles hang keeps the resolution busy for a while. */
    _snwprintf(pid_text, 16, L"%lu", (unsigned long)hanging.pid);
    assert_true(SetEnvironmentVariableW(L"RSTRTMGR_FAULT_HANG_IDENTIFY", pid_text));
    HANDLE canceller = rmt_cancel_later(handle, 300);
    assert_non_null(canceller);
    double start = rmt_now_ms();
    DWORD error = RmGetList(handle, &needed, &count, NULL, &reasons);
    double elapsed = rmt_now_ms() - start;
    SetEnvironmentVariableW(L"RSTRTMGR_FAULT_HANG_IDENTIFY", NULL);
    rmt_cancel_result(canceller, INFINITE, &cancelled);
    print_message("cancelled RmGetList returned after %.0f ms\n", elapsed);
    assert_int_equal(cancelled, ERROR_SUCCESS);
    assert_int_equal(error, ERROR_CANCELLED);
    assert_int_equal(needed, 7); /* untouched on an error */
    rmt_assert_lt(elapsed, 5000.0);
    /* The session still works afterwards. */
    assert_int_equal(RmGetList(handle, &needed, &count, NULL, &reasons), ERROR_MORE_DATA);
    assert_int_equal(needed, 1);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- entry ---------------------------------------------------------------------------- */

static const rmt_child_role child_roles[] = {
    { L"join-register", 2, child_join_register },
};

RMT_MAIN("tests", child_roles, NULL, NULL,
         rmt_fixture_test(test_bad_arguments),
         rmt_fixture_test(test_nothing_found),
         rmt_fixture_test(test_two_call_protocol),
         rmt_fixture_test(test_open_handle_any_share_mode),
         rmt_fixture_test(test_one_entry_per_process),
         rmt_fixture_test(test_loaded_dll_only),
         rmt_fixture_test(test_answer_in_process_list_order),
         rmt_fixture_test(test_callers_own_lookups_not_detected),
         rmt_fixture_test(test_loaded_dll_by_short_name),
         rmt_fixture_test(test_running_image),
         rmt_fixture_test(test_path_spellings),
         rmt_fixture_test(test_caller_is_detected_not_listed),
         rmt_fixture_test(test_registered_directory_is_denied),
         rmt_fixture_test(test_registered_process_needs_start_time),
         rmt_fixture_test(test_services),
         rmt_fixture_test(test_window_app),
         rmt_fixture_test(test_console_app),
         rmt_fixture_test(test_registered_by_joined_process),
         rmt_fixture_test(test_other_architecture),
         rmt_fixture_test(test_hanging_identify_is_bounded),
         rmt_fixture_test(test_cancel_during_getlist),
         rmt_fixture_test(test_many_holders))
