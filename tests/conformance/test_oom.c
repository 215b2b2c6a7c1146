// SPDX-License-Identifier: LGPL-2.1-or-later
/* Out of memory at every fault point (issue 15), as SQLite tests it: against the test
 * build rstrtmgr_faults.dll (src/win/base/fault_inject.h), each export is called with its
 * N-th allocation or object creation failing, N = 1, 2, ... until a call passes every
 * point without a failure. Each failing run must give a documented code (B-CONV-3:
 * ERROR_OUTOFMEMORY; RmShutdown and RmRestart may also report their own
 * ERROR_FAIL_SHUTDOWN / ERROR_FAIL_RESTART), or succeed with the whole answer (a
 * documented fallback); must leak nothing (the DLL's live heap blocks, counted by the
 * test build, and this process's open handles, counted as test_stress counts them, are
 * back to what they were; private bytes are compared over the whole sweep); must change
 * nothing half (B-REG-3: after a failed RmRegisterResources the store and RmGetList show
 * nothing new; a failed start or join holds no slot of the session table; a failed
 * filter change leaves the filter list as it was); and must leave the session usable
 * for the next call (which then gives the full answer). RmGetList runs with a real
 * holder process that has the registered file open, runs the registered image and has
 * the registered DLL loaded, so the handle walk, the module scan and the description
 * paths run. The cases: oom_cases.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "rmt_measure.h"
#include "oom.h"

/* The test build's own exports (src/win/base/fault_inject.h). */
DWORD WINAPI RmTestFaultArm(DWORD fail_at);
DWORD WINAPI RmTestFaultDisarm(DWORD *fired);
LONG WINAPI RmTestFaultLiveBlocks(void);
DWORD WINAPI RmTestFaultSite(void);

/* A sweep that has not ended by then has a fault point that fires forever: fail. */
#define POINTS_MAX 5000
#define PRIVATE_GROWTH_MAX (256 * 1024)

/* One run: prepared, the call with point fail_at failing (0: none), checked, cleaned
 * up; nothing may stay behind. Returns the points the call passed. */
static DWORD run_once(const oom_case *c, DWORD fail_at, DWORD *fired, DWORD *error)
{
    oom_run r;
    memset(&r, 0, sizeof(r));
    unsigned long handles = rmt_handle_count();
    LONG blocks = RmTestFaultLiveBlocks();
    c->setup(&r);
    RmTestFaultArm(fail_at);
    *error = c->call(&r);
    DWORD passed = RmTestFaultDisarm(fired);
    if (verbose)
        printf("%s: point %lu of %lu failing%s (at rstrtmgr_faults.dll+%#lx): %lu\n", c->name,
               fail_at, passed, *fired ? "" : " (not reached)", RmTestFaultSite(), *error);
    if (!*fired || *error == ERROR_SUCCESS) {
        if (*error != ERROR_SUCCESS)
            print_error("%s: %lu without an injected failure\n", c->name, *error);
        assert_int_equal(*error, ERROR_SUCCESS);
        c->check_success(&r);
    } else {
        if (*error != ERROR_OUTOFMEMORY && (!c->own_error || *error != c->own_error))
            print_error("%s, point %lu of %lu failing (at rstrtmgr_faults.dll+%#lx): %lu, not "
                        "a documented code\n", c->name, fail_at, passed, RmTestFaultSite(),
                        *error);
        assert_true(*error == ERROR_OUTOFMEMORY || (c->own_error && *error == c->own_error));
        c->check_failure(&r, *error);
    }
    c->teardown(&r);
    unsigned long handles_after = rmt_handle_count();
    LONG blocks_after = RmTestFaultLiveBlocks();
    if (handles_after != handles || blocks_after != blocks)
        print_error("%s, point %lu failing: handles %lu -> %lu, DLL heap blocks %ld -> %ld\n",
                    c->name, fail_at, handles, handles_after, blocks, blocks_after);
    assert_int_equal(handles_after, handles);
    assert_int_equal(blocks_after, blocks);
    return passed;
}

oom_fixture fixture;
BOOL verbose;

static unsigned long total_points, total_sweeps;

static void sweep(const oom_case *c)
{
    DWORD fired, error;
    double started = rmt_now_ms();
    /* A first run unarmed: one-time initialisation (trace settings, function pointers)
     * is done before anything is counted, and the run is the reference. */
    run_once(c, 0, &fired, &error);
    DWORD points = run_once(c, 0, &fired, &error);
    unsigned long long private_start = rmt_private_bytes();
    unsigned by_code[4] = { 0 }; /* success, out of memory, own code, other */
    DWORD fail_at = 1;
    for (;; fail_at++) {
        rmt_assert_le(fail_at, POINTS_MAX);
        run_once(c, fail_at, &fired, &error);
        if (!fired)
            break;
        by_code[error == ERROR_SUCCESS ? 0 : error == ERROR_OUTOFMEMORY ? 1
                : error == c->own_error ? 2 : 3]++;
    }
    unsigned long long private_end = rmt_private_bytes();
    printf("%-31s %4lu fault points (unarmed run: %lu); failing runs: %u ERROR_OUTOFMEMORY, "
           "%u own code, %u success with the whole answer; private bytes %llu -> %llu KiB; %.1f s\n",
           c->name, fail_at - 1, points, by_code[1], by_code[2], by_code[0],
           private_start / 1024, private_end / 1024, (rmt_now_ms() - started) / 1000);
    fflush(stdout);
    rmt_assert_le(private_end, private_start + PRIVATE_GROWTH_MAX);
    total_points += fail_at - 1;
    total_sweeps++;
}

static void test_every_export(void **state)
{
    const oom_case *c = *state;
    sweep(c);
}

/* ---- fixture --------------------------------------------------------------------- */

static int group_setup(void **state)
{
    /* Short waits for the applications the shutdown cases end (Configuration). */
    SetEnvironmentVariableW(L"RSTRTMGR_APP_TIMEOUT_MS", L"3000");
    SetEnvironmentVariableW(L"RSTRTMGR_MESSAGE_TIMEOUT_MS", L"1000");
    if (rmt_setup(state) ||
        !rmt_make_file(rmt_test_dir, L"held.dat", fixture.held, RMT_PATH_CCH) ||
        !rmt_make_file(rmt_test_dir, L"idle.dat", fixture.idle, RMT_PATH_CCH) ||
        !rmt_copy_payload_dll(rmt_test_dir, fixture.payload, RMT_PATH_CCH) ||
        !rmt_path_join(rmt_test_dir, L"a directory", fixture.subdir, RMT_PATH_CCH) ||
        !CreateDirectoryW(fixture.subdir, NULL) ||
        !rmt_exe_path(L"rm_file_holder.exe", fixture.holder_image, RMT_PATH_CCH))
        return -1;
    wchar_t args[RMT_PATH_CCH * 3];
    _snwprintf(args, ARRAYSIZE(args), L"--hold \"%ls\" --load \"%ls\"", fixture.held,
               fixture.payload);
    if (!rmt_spawn(L"rm_file_holder.exe", args, &fixture.holder) ||
        !rmt_spawn(L"rm_gui_app.exe", L"--title \"rmt oom window\"", &fixture.window_app))
        return -1;
    /* The reference answer, from an unarmed call. */
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT count;
    LPCWSTR files[] = { fixture.held };
    if (RmStartSession(&handle, 0, key) ||
        RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL) ||
        oom_list(handle, &count, apps) || count != 1 || RmEndSession(handle))
        return -1;
    fixture.holder_info = apps[0];
    RM_UNIQUE_PROCESS processes[] = { fixture.window_app.unique };
    if (RmStartSession(&handle, 0, key) ||
        RmRegisterResources(handle, 0, NULL, 1, processes, 0, NULL) ||
        oom_list(handle, &count, apps) || count != 1 || RmEndSession(handle))
        return -1;
    fixture.window_info = apps[0];
    printf("window application pid %lu: type %d, restartable %d, name \"%ls\"\n",
           fixture.window_app.pid, apps[0].ApplicationType, apps[0].bRestartable,
           apps[0].strAppName);
    apps[0] = fixture.holder_info;
    printf("holder pid %lu: type %d, restartable %d, status %#lx, name \"%ls\"\n",
           fixture.holder.pid, apps[0].ApplicationType, apps[0].bRestartable, apps[0].AppStatus,
           apps[0].strAppName);
    return 0;
}

/* A fault inside the DLL names its module and offset (for addr2line), then cmocka
 * reports the failed case. */
static LONG CALLBACK report_fault(EXCEPTION_POINTERS *info)
{
    DWORD code = info->ExceptionRecord->ExceptionCode;
    if (code != EXCEPTION_ACCESS_VIOLATION && code != EXCEPTION_ILLEGAL_INSTRUCTION &&
        code != EXCEPTION_INT_DIVIDE_BY_ZERO && code != EXCEPTION_STACK_OVERFLOW)
        return EXCEPTION_CONTINUE_SEARCH;
    HMODULE module = NULL;
    wchar_t name[MAX_PATH] = L"?";
    void *at = info->ExceptionRecord->ExceptionAddress;
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                           GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, at, &module))
        GetModuleFileNameW(module, name, MAX_PATH);
    fprintf(stderr, "exception %#lx at %ls+%#lx\n", code, name,
            (unsigned long)((const BYTE *)at - (const BYTE *)module));
    return EXCEPTION_CONTINUE_SEARCH;
}

static int group_teardown(void **state)
{
    printf("oom: %lu of %u exports' sweeps passed, %lu fault points failed in turn: each a "
           "documented code or the whole answer, nothing leaked or half done\n", total_sweeps,
           (unsigned)oom_case_count, total_points);
    rmt_kill(&fixture.holder);
    rmt_kill(&fixture.window_app);
    return rmt_teardown(state);
}

int wmain(void)
{
    struct CMUnitTest tests[oom_case_count];
    for (size_t i = 0; i < oom_case_count; i++) {
        struct CMUnitTest test = { oom_cases[i].name, test_every_export, NULL, NULL,
                                   (void *)&oom_cases[i] };
        tests[i] = test;
    }
    AddVectoredExceptionHandler(1, report_fault);
    verbose = GetEnvironmentVariableW(L"RSTRTMGR_OOM_VERBOSE", NULL, 0) != 0;
    /* RSTRTMGR_OOM_ONLY=RmGetList runs one export's sweep (cmocka's test filter). */
    char only[64];
    DWORD length = GetEnvironmentVariableA("RSTRTMGR_OOM_ONLY", only, sizeof(only));
    if (length && length < sizeof(only))
        cmocka_set_test_filter(only);
    return _cmocka_run_group_tests("oom", tests, oom_case_count, group_setup, group_teardown);
}
