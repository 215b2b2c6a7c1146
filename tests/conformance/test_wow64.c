// SPDX-License-Identifier: LGPL-2.1-or-later
/* A 32-bit caller on 64-bit Windows finds what a 64-bit one finds (docs/behaviour.md,
 * B-WOW64-*), under Wine with real processes of both bitnesses:
 *  - the matrix caller bitness (this program's) x holder bitness (this tree's helpers or
 *    the other architecture's) x evidence (an open handle, a DLL loaded from a private
 *    directory, a DLL loaded from the holder's system directory, the running image); each
 *    cell asserts the holder's pid and start time;
 *  - Sysnative from a 32-bit caller in every spelling (case, \\?\, '/', 8.3), and what its
 *    own System32 spelling means;
 *  - RmShutdown and RmRestart of a 64-bit window application from a 32-bit caller;
 *  - the 64-bit half (rstrtmgr_wow64.exe, used where the system cannot locate a 64-bit
 *    process's PEB for a 32-bit one: Wine 8) hung, killed, dying half-way, lying or
 *    switched off: RmGetList still returns in its bound with what it could find, and no
 *    helper process is left.
 * Cells that need a 64-bit system, the other tree or the 64-bit half say so and skip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include <windows.h>
#include <tlhelp32.h>
#include <restartmanager.h>
#include "rm_test_support.h"

#define MAX_APPS 16
#define HELPER_EXE L"rstrtmgr_wow64.exe"
/* The bound the tests give the 64-bit half, and what a call may take beyond it. */
#define HELPER_TIMEOUT_MS 1500
#define CALL_SLACK_MS 6000.0

/* A DLL this test put in a system directory, removed at teardown. */
static wchar_t system_copy[RMT_PATH_CCH];

static BOOL self_is_64bit(void)
{
    return sizeof(void *) == 8;
}

static BOOL on_64bit_system(void)
{
    BOOL wow64 = FALSE;
    return self_is_64bit() || (IsWow64Process(GetCurrentProcess(), &wow64) && wow64);
}

static int setup(void **state)
{
    system_copy[0] = 0;
    return rmt_setup(state);
}

static int teardown(void **state)
{
    SetEnvironmentVariableW(L"RSTRTMGR_FAULT_WOW64_HELPER", NULL);
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_HELPER", NULL);
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_HELPER_TIMEOUT_MS", NULL);
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_TEBS", NULL);
    int result = rmt_teardown(state);
    if (system_copy[0])
        DeleteFileW(system_copy);
    return result;
}

/* ---- holders of either bitness -------------------------------------------------- */

typedef enum holder_arch { SAME_ARCH, OTHER_ARCH } holder_arch;

static BOOL holder_is_64bit(holder_arch arch)
{
    return arch == SAME_ARCH ? self_is_64bit() : !self_is_64bit();
}

/* The helper program (or payload DLL) of the holder's architecture; skips the test when
 * the other tree is not built. */
static void arch_file(holder_arch arch, const wchar_t *name, wchar_t *out)
{
    if (arch == SAME_ARCH) {
        assert_true(rmt_exe_path(name, out, RMT_PATH_CCH));
        return;
    }
    if (!on_64bit_system() || !rmt_other_arch_file(name, out, RMT_PATH_CCH)) {
        print_message("no other architecture here (looked for '%ls'): skipped\n", out);
        skip();
    }
}

/* ---- one RmGetList --------------------------------------------------------------- */

typedef struct listing {
    DWORD error;
    UINT count;
    RM_PROCESS_INFO apps[MAX_APPS];
    double milliseconds;
} listing;

static void list_file(const wchar_t *file, listing *out)
{
    DWORD handle, reasons = 0;
    WCHAR key[RMT_KEY_CCH] = { 0 };
    UINT needed = 0;
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 1, &file, 0, NULL, 0, NULL), ERROR_SUCCESS);
    out->count = MAX_APPS;
    double start = rmt_now_ms();
    out->error = RmGetList(handle, &needed, &out->count, out->apps, &reasons);
    out->milliseconds = rmt_now_ms() - start;
    if (out->error != ERROR_SUCCESS)
        out->count = 0;
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static const RM_PROCESS_INFO *find_app(const listing *list, DWORD pid)
{
    return rmt_find_app(list->apps, list->count, pid);
}

/* The holder is listed with its pid and exact start time (RmGetList reference page:
 * RM_UNIQUE_PROCESS identifies a process by both). */
static void assert_lists(const wchar_t *file, const rmt_process *holder)
{
    listing list;
    list_file(file, &list);
    assert_int_equal(list.error, ERROR_SUCCESS);
    const RM_PROCESS_INFO *app = find_app(&list, holder->pid);
    if (!app)
        fail_msg("'%ls': pid %lu not listed (%u entries)", file, (unsigned long)holder->pid,
                 list.count);
    assert_int_equal(app->Process.ProcessStartTime.dwLowDateTime,
                     holder->start_time.dwLowDateTime);
    assert_int_equal(app->Process.ProcessStartTime.dwHighDateTime,
                     holder->start_time.dwHighDateTime);
}

static void assert_not_listed(const wchar_t *file, DWORD pid)
{
    listing list;
    list_file(file, &list);
    assert_int_equal(list.error, ERROR_SUCCESS);
    if (find_app(&list, pid))
        fail_msg("'%ls': pid %lu listed but should not be", file, (unsigned long)pid);
}

/* ---- the matrix ------------------------------------------------------------------ */

/* Evidence 1: an open handle (RmGetList reference page: a process that has the file
 * open). */
static void cell_open_handle(holder_arch arch)
{
    wchar_t exe[RMT_PATH_CCH], file[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process holder;
    arch_file(arch, L"rm_file_holder.exe", exe);
    rmt_test_file(L"held.dat", file);
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", file);
    rmt_must_spawn(exe, args, &holder);
    assert_lists(file, &holder);
}

/* Evidence 2: a DLL loaded from a private directory, its file handle closed (About
 * Restart Manager: files "in use" include loaded modules; inferred for the mechanism). */
static void cell_private_dll(holder_arch arch)
{
    wchar_t exe[RMT_PATH_CCH], payload[RMT_PATH_CCH], dll[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    rmt_process holder;
    arch_file(arch, L"rm_dll_loader.exe", exe);
    arch_file(arch, L"rm_test_payload.dll", payload);
    rmt_test_path(L"private-payload.dll", dll);
    assert_true(CopyFileW(payload, dll, FALSE));
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", dll);
    rmt_must_spawn(exe, args, &holder);
    assert_lists(dll, &holder);
}

/* Evidence 4: the running image (RmGetList finds the process whose program file is
 * registered: rm-client installers register their exe). */
static void cell_running_image(holder_arch arch)
{
    wchar_t exe[RMT_PATH_CCH], image[RMT_PATH_CCH];
    rmt_process holder;
    arch_file(arch, L"rm_file_holder.exe", exe);
    rmt_test_path(L"image-copy.exe", image);
    assert_true(CopyFileW(exe, image, FALSE));
    rmt_must_spawn(image, NULL, &holder);
    assert_lists(image, &holder);
}

/* The Windows directory and the way this process names the holder's system directory
 * (docs/behaviour.md B-WOW64-1, B-WOW64-2): a 32-bit caller names the native one
 * "Sysnative" and its own "System32"; a 64-bit caller names the 32-bit one "SysWOW64". */
static void system_dirs(holder_arch arch, wchar_t *windir, const wchar_t **holder_dir_as_seen,
                        const wchar_t **other_dir_as_seen)
{
    assert_true(GetSystemWindowsDirectoryW(windir, RMT_PATH_CCH) > 0);
    BOOL holder64 = holder_is_64bit(arch);
    if (self_is_64bit()) {
        *holder_dir_as_seen = holder64 ? L"System32" : L"SysWOW64";
        *other_dir_as_seen = holder64 ? L"SysWOW64" : L"System32";
    } else if (on_64bit_system()) {
        *holder_dir_as_seen = holder64 ? L"Sysnative" : L"System32";
        *other_dir_as_seen = holder64 ? L"System32" : L"Sysnative";
    } else {
        *holder_dir_as_seen = L"System32";
        *other_dir_as_seen = NULL;
    }
}

/* Evidence 3: a DLL in the holder's own system directory, which the holder loads as
 * "%windir%\System32\name" (redirected to SysWOW64 for a 32-bit holder). */
static void put_system_dll(holder_arch arch, wchar_t *name, rmt_process *holder)
{
    wchar_t windir[RMT_PATH_CCH], exe[RMT_PATH_CCH], payload[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    wchar_t as_holder_sees[RMT_PATH_CCH];
    const wchar_t *dir, *other;
    arch_file(arch, L"rm_dll_loader.exe", exe);
    arch_file(arch, L"rm_test_payload.dll", payload);
    system_dirs(arch, windir, &dir, &other);
    _snwprintf(name, RMT_PATH_CCH, L"rmt_wow64_%lu_%lu.dll", (unsigned long)GetCurrentProcessId(),
               (unsigned long)GetTickCount());
    _snwprintf(system_copy, RMT_PATH_CCH, L"%ls\\%ls\\%ls", windir, dir, name);
    if (!CopyFileW(payload, system_copy, FALSE))
        fail_msg("cannot write %ls (error %lu)", system_copy, GetLastError());
    _snwprintf(as_holder_sees, RMT_PATH_CCH, L"%ls\\System32\\%ls", windir, name);
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", as_holder_sees);
    rmt_must_spawn(exe, args, holder);
}

static void cell_system_dll(holder_arch arch)
{
    wchar_t windir[RMT_PATH_CCH], name[RMT_PATH_CCH], path[RMT_PATH_CCH];
    const wchar_t *dir, *other;
    rmt_process holder;
    put_system_dll(arch, name, &holder);
    system_dirs(arch, windir, &dir, &other);
    _snwprintf(path, RMT_PATH_CCH, L"%ls\\%ls\\%ls", windir, dir, name);
    assert_lists(path, &holder);
    /* The other system directory is another file, which nobody loaded. */
    if (other) {
        _snwprintf(path, RMT_PATH_CCH, L"%ls\\%ls\\%ls", windir, other, name);
        assert_not_listed(path, holder.pid);
    }
}

#define MATRIX_CELL(evidence, arch)                                                        \
    static void test_##evidence##_##arch(void **state)                                     \
    {                                                                                      \
        (void)state;                                                                       \
        cell_##evidence(arch);                                                             \
    }
MATRIX_CELL(open_handle, SAME_ARCH)
MATRIX_CELL(open_handle, OTHER_ARCH)
MATRIX_CELL(private_dll, SAME_ARCH)
MATRIX_CELL(private_dll, OTHER_ARCH)
MATRIX_CELL(system_dll, SAME_ARCH)
MATRIX_CELL(system_dll, OTHER_ARCH)
MATRIX_CELL(running_image, SAME_ARCH)
MATRIX_CELL(running_image, OTHER_ARCH)

/* ---- Sysnative spellings from a 32-bit caller ------------------------------------ */

/* "32-bit applications can access the native system directory by substituting
 * %windir%\Sysnative for %windir%\System32" (File System Redirector,
 * learn.microsoft.com/windows/win32/winprog64/file-system-redirector); Inno Setup in
 * 64-bit install mode registers {sys} files so (docs/behaviour.md B-WOW64-1). Every
 * spelling the DLL accepts for other paths works for these too (B-REG-4). */
static void test_sysnative_spellings(void **state)
{
    wchar_t windir[RMT_PATH_CCH], name[RMT_PATH_CCH], path[RMT_PATH_CCH], real[RMT_PATH_CCH];
    wchar_t short_path[RMT_PATH_CCH];
    rmt_process holder;
    (void)state;
    if (self_is_64bit() || !on_64bit_system()) {
        print_message("Sysnative exists for 32-bit processes on 64-bit Windows only: skipped\n");
        skip();
    }
    put_system_dll(OTHER_ARCH, name, &holder);
    assert_true(GetSystemWindowsDirectoryW(windir, RMT_PATH_CCH) > 0);
    const wchar_t *forms[] = { L"%ls\\Sysnative\\%ls", L"%ls\\SYSNATIVE\\%ls",
                               L"\\\\?\\%ls\\sysnative\\%ls", L"%ls/Sysnative/%ls",
                               L"%ls\\.\\Sysnative\\x\\..\\%ls" };
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        _snwprintf(path, RMT_PATH_CCH, forms[i], windir, name);
        for (wchar_t *c = path + 4; *c && i == 1; c++)
            *c = (wchar_t)towlower(*c);
        assert_lists(path, &holder);
    }
    /* 8.3: the short name of the native file, as the file system gives it without
     * redirection, after Sysnative. */
    void *redirection = NULL;
    _snwprintf(real, RMT_PATH_CCH, L"%ls\\System32\\%ls", windir, name);
    assert_true(Wow64DisableWow64FsRedirection(&redirection));
    DWORD length = GetShortPathNameW(real, short_path, RMT_PATH_CCH);
    Wow64RevertWow64FsRedirection(redirection);
    rmt_assert_gt(length, 0);
    rmt_assert_lt(length, RMT_PATH_CCH);
    const wchar_t *short_name = wcsrchr(short_path, L'\\') + 1;
    print_message("8.3 spelling: Sysnative\\%ls\n", short_name);
    _snwprintf(path, RMT_PATH_CCH, L"%ls\\Sysnative\\%ls", windir, short_name);
    assert_lists(path, &holder);
    /* With redirection off on the registering thread, System32 is the native directory
     * (Wow64DisableWow64FsRedirection: "all file operations of the calling thread";
     * B-WOW64-2). */
    DWORD handle, reasons = 0;
    WCHAR key[RMT_KEY_CCH] = { 0 };
    UINT needed = 0, count = MAX_APPS;
    RM_PROCESS_INFO apps[MAX_APPS];
    const wchar_t *as_registered = real;
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_true(Wow64DisableWow64FsRedirection(&redirection));
    DWORD error = RmRegisterResources(handle, 1, &as_registered, 0, NULL, 0, NULL);
    Wow64RevertWow64FsRedirection(redirection);
    assert_int_equal(error, ERROR_SUCCESS);
    assert_int_equal(RmGetList(handle, &needed, &count, apps, &reasons), ERROR_SUCCESS);
    BOOL found = FALSE;
    for (UINT i = 0; i < count; i++)
        found |= apps[i].Process.dwProcessId == holder.pid;
    assert_true(found);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- shutdown and restart from 32 bits ----------------------------------------- */

/* RmShutdown closes and RmRestart brings back a 64-bit window application for a 32-bit
 * caller (RmShutdown, RmRestart reference pages; B-WOW64-4). Under Wine the restart uses
 * the command line the application was started with (B-RESTART-9), read from its
 * 64-bit PEB. */
static void test_shutdown_restart_64bit_app(void **state)
{
    wchar_t exe[RMT_PATH_CCH], file[RMT_PATH_CCH], log[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    char text[8192];
    rmt_process app, restarted;
    DWORD handle, reasons = 0;
    WCHAR key[RMT_KEY_CCH] = { 0 };
    (void)state;
    if (self_is_64bit()) {
        print_message("the 32-bit caller's case; this is the 64-bit build: skipped\n");
        skip();
    }
    arch_file(OTHER_ARCH, L"rm_gui_app.exe", exe);
    rmt_test_file(L"app.dat", file);
    rmt_test_path(L"app.log", log);
    _snwprintf(args, RMT_ARGS_CCH,
               L"--title wow64-app --log \"%ls\" --hold \"%ls\" --lifetime-ms 120000", log, file);
    rmt_must_spawn(exe, args, &app);
    const wchar_t *files[1] = { file };
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    UINT needed = 0, count = MAX_APPS;
    RM_PROCESS_INFO apps[MAX_APPS];
    assert_int_equal(RmGetList(handle, &needed, &count, apps, &reasons), ERROR_SUCCESS);
    assert_int_equal(count, 1);
    assert_int_equal(apps[0].Process.dwProcessId, app.pid);
    assert_int_equal(apps[0].ApplicationType, RmMainWindow);
    assert_int_equal(apps[0].bRestartable, TRUE);
    assert_int_equal(RmShutdown(handle, 0, NULL), ERROR_SUCCESS);
    assert_true(rmt_wait_exit(&app, RMT_EXIT_TIMEOUT_MS));
    assert_int_equal(RmRestart(handle, 0, NULL), ERROR_SUCCESS);
    /* The new process holds the file again: it is listed, 64-bit, with a new pid. */
    BOOL found = FALSE;
    for (int attempt = 0; attempt < 100 && !found; attempt++) {
        count = MAX_APPS;
        if (RmGetList(handle, &needed, &count, apps, &reasons) == ERROR_SUCCESS)
            for (UINT i = 0; i < count && !found; i++)
                if (apps[i].Process.dwProcessId != app.pid)
                    found = rmt_open_process(apps[i].Process.dwProcessId, &restarted);
        if (!found)
            Sleep(100);
    }
    assert_true(found);
    BOOL wow64 = TRUE;
    assert_true(IsWow64Process(restarted.process, &wow64));
    assert_false(wow64);
    /* RmGetList reports the session's restarted application at once (status after the
     * fact), maybe before it wrote its first line. */
    char *first = NULL, *second = NULL;
    for (int attempt = 0; attempt < 100 && !second; attempt++) {
        if (attempt)
            Sleep(100);
        assert_true(rmt_read_log(log, text, sizeof(text)));
        first = strstr(text, "START ");
        second = first ? strstr(first + 6, "START ") : NULL;
    }
    if (!second) {
        wchar_t image[RMT_PATH_CCH] = L"?";
        DWORD image_length = RMT_PATH_CCH;
        QueryFullProcessImageNameW(restarted.process, 0, image, &image_length);
        fail_msg("the app's log has no second START line; restarted pid %lu (%ls, %s); log:\n%s",
                 (unsigned long)restarted.pid, image,
                 rmt_is_running(&restarted) ? "running" : "exited", text);
    }
    size_t first_length = strcspn(first, "\r\n"), second_length = strcspn(second, "\r\n");
    print_message("started as:   %.*s\nrestarted as: %.*s\n", (int)first_length, first,
                  (int)second_length, second);
    assert_int_equal(first_length, second_length);
    assert_memory_equal(first, second, first_length);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    rmt_kill(&restarted);
}

/* ---- the 64-bit half's faults ------------------------------------------------- */

/* Whether this process is one for which the DLL asks its 64-bit half: 32-bit, on a
 * 64-bit system without NtWow64QueryInformationProcess64 (Wine 8), with the helper
 * beside the DLL. */
static BOOL uses_helper(void)
{
    wchar_t helper[RMT_PATH_CCH];
    if (self_is_64bit() || !on_64bit_system())
        return FALSE;
    if (GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtWow64QueryInformationProcess64"))
        return FALSE;
    return rmt_exe_path(HELPER_EXE, helper, RMT_PATH_CCH) &&
           GetFileAttributesW(helper) != INVALID_FILE_ATTRIBUTES;
}

static int running_helpers(void)
{
    int count = 0;
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W entry;
    memset(&entry, 0, sizeof(entry));
    entry.dwSize = sizeof(entry);
    if (snapshot == INVALID_HANDLE_VALUE)
        return -1;
    for (BOOL more = Process32FirstW(snapshot, &entry); more; more = Process32NextW(snapshot, &entry))
        count += _wcsicmp(entry.szExeFile, HELPER_EXE) == 0;
    CloseHandle(snapshot);
    return count;
}

/* No helper process outlives the call (B-WOW64-5): it may take a moment to vanish from
 * the process list after it was ended. */
static void assert_no_helper_left(void)
{
    int left = running_helpers();
    for (int attempt = 0; attempt < 50 && left != 0; attempt++) {
        Sleep(100);
        left = running_helpers();
    }
    assert_int_equal(left, 0);
}

typedef struct fault_scene {
    rmt_process by_handle;   /* 64-bit, holds the file open */
    rmt_process by_module;   /* 64-bit, has the DLL loaded only */
    wchar_t file[RMT_PATH_CCH];
    wchar_t dll[RMT_PATH_CCH];
} fault_scene;

static void set_up_fault_scene(fault_scene *scene)
{
    wchar_t holder[RMT_PATH_CCH], loader[RMT_PATH_CCH], payload[RMT_PATH_CCH], args[RMT_ARGS_CCH];
    if (!uses_helper()) {
        print_message("this process never asks the 64-bit half (64-bit, the system locates "
                      "PEBs itself, or no helper beside the DLL): skipped\n");
        skip();
    }
    arch_file(OTHER_ARCH, L"rm_file_holder.exe", holder);
    arch_file(OTHER_ARCH, L"rm_dll_loader.exe", loader);
    arch_file(OTHER_ARCH, L"rm_test_payload.dll", payload);
    rmt_test_file(L"fault.dat", scene->file);
    rmt_test_path(L"fault-payload.dll", scene->dll);
    assert_true(CopyFileW(payload, scene->dll, FALSE));
    _snwprintf(args, RMT_ARGS_CCH, L"--hold \"%ls\"", scene->file);
    rmt_must_spawn(holder, args, &scene->by_handle);
    _snwprintf(args, RMT_ARGS_CCH, L"--load \"%ls\"", scene->dll);
    rmt_must_spawn(loader, args, &scene->by_module);
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_HELPER_TIMEOUT_MS", L"1500");
}

/* Both resources registered in one session: the handle holder is always found; the
 * module holder only if the helper answered (expect_module). */
static void list_scene(const fault_scene *scene, BOOL expect_module, const char *what)
{
    DWORD handle, reasons = 0;
    WCHAR key[RMT_KEY_CCH] = { 0 };
    UINT needed = 0, count = MAX_APPS;
    RM_PROCESS_INFO apps[MAX_APPS];
    const wchar_t *files[2] = { scene->file, scene->dll };
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 2, files, 0, NULL, 0, NULL), ERROR_SUCCESS);
    double start = rmt_now_ms();
    DWORD error = RmGetList(handle, &needed, &count, apps, &reasons);
    double elapsed = rmt_now_ms() - start;
    print_message("%s: RmGetList %lu after %.0f ms, %u entries\n", what, (unsigned long)error,
                  elapsed, count);
    assert_int_equal(error, ERROR_SUCCESS);
    rmt_assert_lt(elapsed, HELPER_TIMEOUT_MS + CALL_SLACK_MS);
    BOOL by_handle = FALSE, by_module = FALSE;
    for (UINT i = 0; i < count; i++) {
        by_handle |= apps[i].Process.dwProcessId == scene->by_handle.pid;
        by_module |= apps[i].Process.dwProcessId == scene->by_module.pid;
    }
    assert_true(by_handle);
    assert_int_equal(by_module, expect_module);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_no_helper_left();
}

static void test_helper_answers(void **state)
{
    fault_scene scene;
    (void)state;
    set_up_fault_scene(&scene);
    list_scene(&scene, TRUE, "helper answering");
}

/* One misbehaviour of the 64-bit half (or none), set through the environment the helper
 * inherits: the call still succeeds in its bound with what other evidence finds. */
typedef struct helper_fault {
    const wchar_t *variable, *value;
    const char *what;
} helper_fault;

static void run_helper_fault(const helper_fault *fault)
{
    fault_scene scene;
    set_up_fault_scene(&scene);
    SetEnvironmentVariableW(fault->variable, fault->value);
    list_scene(&scene, FALSE, fault->what);
}

#define HELPER_FAULT_TEST(name, variable, value, what)                                     \
    static void test_helper_##name(void **state)                                           \
    {                                                                                      \
        static const helper_fault fault = { variable, value, what };                       \
        (void)state;                                                                       \
        run_helper_fault(&fault);                                                          \
    }
HELPER_FAULT_TEST(hung, L"RSTRTMGR_FAULT_WOW64_HELPER", L"hang", "helper hung")
HELPER_FAULT_TEST(dies_half_way, L"RSTRTMGR_FAULT_WOW64_HELPER", L"die", "helper dying half-way")
HELPER_FAULT_TEST(lies, L"RSTRTMGR_FAULT_WOW64_HELPER", L"lie", "helper lying")
HELPER_FAULT_TEST(off, L"RSTRTMGR_WOW64_HELPER", L"off", "helper switched off")

/* Where the system does not say where 64-bit PEBs are, the DLL reads them from a thread's
 * TEB (B-WOW64-7): with a helper given no time at all, the module holder is still found
 * (inferred; on Windows NtWow64QueryInformationProcess64 answers and this scene is not
 * set). */
static void test_tebs_without_helper(void **state)
{
    fault_scene scene;
    (void)state;
    set_up_fault_scene(&scene);
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_HELPER_TIMEOUT_MS", L"0");
    list_scene(&scene, TRUE, "TEBs, helper given no time");
}

/* RSTRTMGR_WOW64_TEBS=off: the 64-bit half answers instead, and its answer is used. */
static void test_helper_answers_without_tebs(void **state)
{
    fault_scene scene;
    (void)state;
    set_up_fault_scene(&scene);
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_TEBS", L"off");
    list_scene(&scene, TRUE, "no TEBs, helper answering");
}

/* Neither: only the handle holder is found, so the two cases above found the module
 * holder each by its own route. */
static void test_no_tebs_no_helper_time(void **state)
{
    fault_scene scene;
    (void)state;
    set_up_fault_scene(&scene);
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_TEBS", L"off");
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_HELPER_TIMEOUT_MS", L"0");
    list_scene(&scene, FALSE, "no TEBs, helper given no time");
}

/* Killed from outside while the DLL waits for it: the call returns without waiting for
 * the bound. */
static DWORD WINAPI kill_helpers_soon(void *unused)
{
    (void)unused;
    for (int attempt = 0; attempt < 100; attempt++) {
        Sleep(50);
        HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
        PROCESSENTRY32W entry;
        memset(&entry, 0, sizeof(entry));
        entry.dwSize = sizeof(entry);
        BOOL killed = FALSE;
        for (BOOL more = Process32FirstW(snapshot, &entry); more;
             more = Process32NextW(snapshot, &entry)) {
            if (_wcsicmp(entry.szExeFile, HELPER_EXE) != 0)
                continue;
            HANDLE helper = OpenProcess(PROCESS_TERMINATE, FALSE, entry.th32ProcessID);
            if (helper) {
                killed |= TerminateProcess(helper, 9);
                CloseHandle(helper);
            }
        }
        CloseHandle(snapshot);
        if (killed)
            return 1;
    }
    return 0;
}

static void test_helper_killed(void **state)
{
    fault_scene scene;
    (void)state;
    set_up_fault_scene(&scene);
    SetEnvironmentVariableW(L"RSTRTMGR_FAULT_WOW64_HELPER", L"hang");
    SetEnvironmentVariableW(L"RSTRTMGR_WOW64_HELPER_TIMEOUT_MS", L"20000");
    HANDLE killer = CreateThread(NULL, 0, kill_helpers_soon, NULL, 0, NULL);
    assert_non_null(killer);
    double start = rmt_now_ms();
    list_scene(&scene, FALSE, "helper killed mid-call");
    double elapsed = rmt_now_ms() - start;
    DWORD killed = 0;
    assert_int_equal(WaitForSingleObject(killer, 10000), WAIT_OBJECT_0);
    GetExitCodeThread(killer, &killed);
    CloseHandle(killer);
    assert_int_equal(killed, 1);
    rmt_assert_lt(elapsed, 20000.0); /* not the 20 s bound: the death ended the wait */
}

RMT_MAIN_CASES("tests", NULL, NULL,
         cmocka_unit_test_setup_teardown(test_open_handle_SAME_ARCH, setup, teardown),
         cmocka_unit_test_setup_teardown(test_open_handle_OTHER_ARCH, setup, teardown),
         cmocka_unit_test_setup_teardown(test_private_dll_SAME_ARCH, setup, teardown),
         cmocka_unit_test_setup_teardown(test_private_dll_OTHER_ARCH, setup, teardown),
         cmocka_unit_test_setup_teardown(test_system_dll_SAME_ARCH, setup, teardown),
         cmocka_unit_test_setup_teardown(test_system_dll_OTHER_ARCH, setup, teardown),
         cmocka_unit_test_setup_teardown(test_running_image_SAME_ARCH, setup, teardown),
         cmocka_unit_test_setup_teardown(test_running_image_OTHER_ARCH, setup, teardown),
         cmocka_unit_test_setup_teardown(test_sysnative_spellings, setup, teardown),
         cmocka_unit_test_setup_teardown(test_shutdown_restart_64bit_app, setup, teardown),
         cmocka_unit_test_setup_teardown(test_helper_answers, setup, teardown),
         cmocka_unit_test_setup_teardown(test_helper_hung, setup, teardown),
         cmocka_unit_test_setup_teardown(test_helper_dies_half_way, setup, teardown),
         cmocka_unit_test_setup_teardown(test_helper_lies, setup, teardown),
         cmocka_unit_test_setup_teardown(test_helper_off, setup, teardown),
         cmocka_unit_test_setup_teardown(test_helper_killed, setup, teardown),
         cmocka_unit_test_setup_teardown(test_tebs_without_helper, setup, teardown),
         cmocka_unit_test_setup_teardown(test_helper_answers_without_tebs, setup, teardown),
         cmocka_unit_test_setup_teardown(test_no_tebs_no_helper_time, setup, teardown))
