/* Conformance of RmGetList (docs/behaviour.md B-GETLIST-*, cases C-14, C-22, C-24…C-41, C-62, C-64) against real
 * processes under Wine: files held open, DLLs loaded, running images, window and console
 * apps, services, registered processes, the caller itself, path spellings, many holders,
 * a resource registered by a joined second process, the other architecture's processes
 * and a hanging handle (fault injection). */
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
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"

#define KEY_CCH (CCH_RM_SESSION_KEY + 1)
#define ARGS_CCH (RMT_PATH_CCH * 3)
#define CHILD_TIMEOUT_MS 120000
#define MANY_HOLDERS 300
/* What one RmGetList may take here, whatever the other processes do (case 64). */
#define GETLIST_BOUND_MS 30000.0

static wchar_t temp_dir[RMT_PATH_CCH];

/* ---- plumbing ------------------------------------------------------------------ */

static int setup(void **state)
{
    (void)state;
    return rmt_fixture_setup(temp_dir, RMT_PATH_CCH);
}

static int teardown(void **state)
{
    (void)state;
    return rmt_fixture_teardown(temp_dir);
}

static void temp_file(const wchar_t *name, wchar_t *out)
{
    assert_true(rmt_make_file(temp_dir, name, out, RMT_PATH_CCH));
}

static void spawn(const wchar_t *exe, const wchar_t *args, rmt_process *out)
{
    if (!rmt_spawn(exe, args, out))
        fail_msg("could not start %ls %ls", exe, args ? args : L"");
}

static void spawn_holder(const wchar_t *file, const wchar_t *share, rmt_process *out)
{
    wchar_t args[ARGS_CCH];
    _snwprintf(args, ARGS_CCH, L"--hold \"%ls\" --share %ls", file, share);
    spawn(L"rm_file_holder.exe", args, out);
}

typedef struct resources {
    UINT file_count;
    const wchar_t *files[4];
    UINT process_count;
    RM_UNIQUE_PROCESS processes[2];
    UINT service_count;
    const wchar_t *services[2];
} resources;

typedef struct listing {
    DWORD error;
    UINT count;
    DWORD reasons;
    RM_PROCESS_INFO apps[MANY_HOLDERS + 64];
    double milliseconds;
} listing;

static DWORD register_all(DWORD handle, const resources *what)
{
    return RmRegisterResources(handle, what->file_count, (LPCWSTR *)what->files,
                               what->process_count, (RM_UNIQUE_PROCESS *)what->processes,
                               what->service_count, (LPCWSTR *)what->services);
}

/* Lists with the two-call protocol a real client uses, in a fresh session. */
static void list_resources(const resources *what, listing *out)
{
    DWORD handle;
    WCHAR key[KEY_CCH] = {0};
    UINT needed = 0;
    memset(out, 0, sizeof(*out));
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(register_all(handle, what), ERROR_SUCCESS);
    double start = rmt_now_ms();
    out->error = RmGetList(handle, &needed, &out->count, NULL, &out->reasons);
    if (out->error == ERROR_MORE_DATA) {
        assert_true(needed > 0 && needed <= MANY_HOLDERS + 64);
        out->count = needed;
        out->error = RmGetList(handle, &needed, &out->count, out->apps, &out->reasons);
    }
    out->milliseconds = rmt_now_ms() - start;
    if (out->error == ERROR_SUCCESS)
        assert_int_equal(out->count, needed);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static const RM_PROCESS_INFO *find_app(const listing *list, DWORD pid)
{
    return rmt_find_app(list->apps, list->count, pid);
}

static void assert_lists(const listing *list, const rmt_process *p)
{
    const RM_PROCESS_INFO *app = find_app(list, p->pid);
    if (!app)
        fail_msg("pid %lu not listed (error %lu, %u entries)", (unsigned long)p->pid,
                 (unsigned long)list->error, list->count);
    assert_int_equal(app->Process.ProcessStartTime.dwLowDateTime, p->start_time.dwLowDateTime);
    assert_int_equal(app->Process.ProcessStartTime.dwHighDateTime, p->start_time.dwHighDateTime);
}

static void assert_not_listed(const listing *list, DWORD pid)
{
    if (find_app(list, pid))
        fail_msg("pid %lu listed but should not be", (unsigned long)pid);
}

static resources one_file(const wchar_t *path)
{
    resources what = { 1, { path }, 0, { { 0 } }, 0, { NULL } };
    return what;
}

/* ---- arguments and the two-call protocol (cases 24-27, 38, 39) --------------------- */

static void test_bad_arguments(void **state)
{
    DWORD handle, reasons = 0;
    WCHAR key[KEY_CCH] = {0};
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
    WCHAR key[KEY_CCH] = {0};
    UINT needed = 99, count = 0;
    (void)state;
    temp_file(L"unused.dat", unused);
    assert_true(rmt_path_join(temp_dir, L"does-not-exist.dat", missing, RMT_PATH_CCH));
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
    WCHAR key[KEY_CCH] = {0};
    UINT needed = 0, count = 0;
    RM_PROCESS_INFO apps[5];
    (void)state;
    temp_file(L"held.dat", file);
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
        temp_file(name, files[i]);
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
    wchar_t first[RMT_PATH_CCH], second[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process holder;
    listing *list = malloc(sizeof(*list));
    (void)state;
    temp_file(L"first.dat", first);
    temp_file(L"second.dat", second);
    _snwprintf(args, ARGS_CCH, L"--hold \"%ls\" --hold \"%ls\"", first, second);
    spawn(L"rm_file_holder.exe", args, &holder);
    resources what = { 2, { first, second }, 1, { holder.unique }, 0, { NULL } };
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &holder);
    free(list);
}

static void test_loaded_dll_only(void **state)
{
    wchar_t dll[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process loader;
    listing *list = malloc(sizeof(*list));
    (void)state;
    assert_true(rmt_copy_payload_dll(temp_dir, dll, RMT_PATH_CCH));
    _snwprintf(args, ARGS_CCH, L"--load \"%ls\"", dll);
    spawn(L"rm_dll_loader.exe", args, &loader);
    resources what = one_file(dll);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &loader);
    free(list);
}

/* A DLL loaded through its 8.3 alias, registered by its long name (and the reverse):
 * still the same file (docs/behaviour.md B-REG-4). The module scan skips modules by the
 * length of their names, so both lengths must count. */
static void test_loaded_dll_by_short_name(void **state)
{
    wchar_t payload[RMT_PATH_CCH], dll[RMT_PATH_CCH], short_dll[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process loader;
    listing *list = malloc(sizeof(*list));
    (void)state;
    assert_true(rmt_exe_path(L"rm_test_payload.dll", payload, RMT_PATH_CCH));
    assert_true(rmt_path_join(temp_dir, L"a-payload-with-a-long-name.dll", dll, RMT_PATH_CCH));
    assert_true(CopyFileW(payload, dll, FALSE));
    DWORD length = GetShortPathNameW(dll, short_dll, RMT_PATH_CCH);
    assert_true(length > 0 && length < RMT_PATH_CCH);
    print_message("loaded as %ls\n", short_dll);
    assert_true(_wcsicmp(short_dll, dll) != 0);
    _snwprintf(args, ARGS_CCH, L"--load \"%ls\"", short_dll);
    spawn(L"rm_dll_loader.exe", args, &loader);
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
    assert_true(rmt_path_join(temp_dir, L"image-under-test.exe", copy, RMT_PATH_CCH));
    assert_true(CopyFileW(source, copy, FALSE));
    spawn(copy, NULL, &program);
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
    temp_file(L"a rather long file name for spelling tests.data", file);
    spawn_holder(file, L"read", &holder);

    wcscpy(spelling, file);
    upper_case(spelling);
    expect_spelling_matches(spelling, &holder);

    _snwprintf(spelling, RMT_PATH_CCH, L"\\\\?\\%ls", file);
    expect_spelling_matches(spelling, &holder);

    DWORD length = GetShortPathNameW(file, spelling, RMT_PATH_CCH);
    assert_true(length > 0 && length < RMT_PATH_CCH);
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
    temp_file(L"mine.dat", file);
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
    WCHAR key[KEY_CCH] = {0};
    UINT needed = 7, count = 0;
    (void)state;
    const wchar_t *files[1] = { temp_dir };
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
    spawn(L"rm_file_holder.exe", NULL, &program);
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
    assert_true(pid != 0);
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
    wchar_t name[64], holder_name[64], file[RMT_PATH_CCH], args[ARGS_CCH];
    SC_HANDLE plain, holding;
    listing *list = malloc(sizeof(*list));
    (void)state;
    assert_true(rmt_service_name(name, 64));
    assert_true(rmt_service_name(holder_name, 64));
    temp_file(L"service-held.dat", file);
    _snwprintf(args, ARGS_CCH, L"--hold \"%ls\"", file);
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
    wchar_t file[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process app;
    listing *list = malloc(sizeof(*list));
    (void)state;
    temp_file(L"window-held.dat", file);
    _snwprintf(args, ARGS_CCH, L"--title \"GetList window title\" --hold \"%ls\"", file);
    spawn(L"rm_gui_app.exe", args, &app);
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
    wchar_t file[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process app;
    listing *list = malloc(sizeof(*list));
    (void)state;
    temp_file(L"console-held.dat", file);
    _snwprintf(args, ARGS_CCH, L"--hold \"%ls\"", file);
    spawn(L"rm_console_app.exe", args, &app);
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
    wchar_t file[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process *holders = calloc(MANY_HOLDERS, sizeof(*holders));
    listing *list = malloc(sizeof(*list));
    int started = 0;
    (void)state;
    temp_file(L"popular.dat", file);
    _snwprintf(args, ARGS_CCH, L"--hold \"%ls\" --share all", file);
    double start = rmt_now_ms();
    for (; started < MANY_HOLDERS; started++)
        if (!rmt_spawn(L"rm_file_holder.exe", args, &holders[started]))
            break;
    print_message("started %d holders in %.0f ms\n", started, rmt_now_ms() - start);
    assert_true(started >= 100); /* Wine's limits aside, a real crowd */
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
static int child_join_register(int argc, wchar_t **argv)
{
    DWORD handle;
    if (argc < 4)
        return 100;
    DWORD error = RmJoinSession(&handle, argv[2]);
    if (error != ERROR_SUCCESS)
        return (int)error;
    const wchar_t *files[1] = { argv[3] };
    error = RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL);
    DWORD end_error = RmEndSession(handle);
    return (int)(error != ERROR_SUCCESS ? error : end_error);
}

static void test_registered_by_joined_process(void **state)
{
    wchar_t file[RMT_PATH_CCH], args[ARGS_CCH];
    rmt_process holder;
    DWORD handle, reasons = 0, exit_code = 1;
    WCHAR key[KEY_CCH] = {0};
    UINT needed = 0, count = 2;
    RM_PROCESS_INFO apps[2];
    (void)state;
    temp_file(L"joined.dat", file);
    spawn_holder(file, L"read", &holder);
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    _snwprintf(args, ARGS_CCH, L"--child join-register %ls \"%ls\"", key, file);
    assert_true(rmt_run_self(args, CHILD_TIMEOUT_MS, &exit_code));
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
    wchar_t dll[RMT_PATH_CCH], file[RMT_PATH_CCH], args[ARGS_CCH];
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
    temp_file(L"cross.dat", file);
    _snwprintf(args, ARGS_CCH, L"--hold \"%ls\"", file);
    spawn(holder_exe, args, &holder);
    resources what = one_file(file);
    list_resources(&what, list);
    assert_int_equal(list->error, ERROR_SUCCESS);
    assert_int_equal(list->count, 1);
    assert_lists(list, &holder);
    assert_int_equal(list->apps[0].ApplicationType, RmConsole);

    /* A copy of the other architecture's DLL, loaded and its handle closed. */
    assert_true(rmt_path_join(temp_dir, L"cross-payload.dll", dll, RMT_PATH_CCH));
    assert_true(CopyFileW(payload, dll, FALSE));
    _snwprintf(args, ARGS_CCH, L"--load \"%ls\"", dll);
    spawn(loader_exe, args, &loader);
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
    temp_file(L"hang.dat", file);
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
    assert_true(list->milliseconds < GETLIST_BOUND_MS);
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
    WCHAR key[KEY_CCH] = {0};
    UINT needed = 7, count = 0;
    DWORD cancelled = 0xdeadbeef;
    (void)state;
    temp_file(L"cancel.dat", file);
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
    assert_true(elapsed < 5000.0);
    /* The session still works afterwards. */
    assert_int_equal(RmGetList(handle, &needed, &count, NULL, &reasons), ERROR_MORE_DATA);
    assert_int_equal(needed, 1);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- entry ---------------------------------------------------------------------------- */

static int run_child(int argc, wchar_t **argv)
{
    if (!wcscmp(argv[1], L"join-register"))
        return child_join_register(argc, argv);
    fprintf(stderr, "unknown child role %ls\n", argv[1]);
    return 101;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc > 2 && !wcscmp(argv[1], L"--child"))
        return run_child(argc - 1, argv + 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_call_protocol, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_handle_any_share_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_entry_per_process, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loaded_dll_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loaded_dll_by_short_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_running_image, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_spellings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caller_is_detected_not_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registered_directory_is_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registered_process_needs_start_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_services, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_app, setup, teardown),
        cmocka_unit_test_setup_teardown(test_console_app, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registered_by_joined_process, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_architecture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hanging_identify_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_during_getlist, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_holders, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
