// SPDX-License-Identifier: LGPL-2.1-or-later
/* RmGetList cost against a crowd: P rm_file_holder processes, each holding H files of
 * its own and a private copy of a DLL loaded; F files registered (one of them held by
 * the last holder, the others unused), with F in {1, 100, 10000}. Prints medians of
 * several runs next to two floors measured in the same runs: the snapshot floor (one
 * handle snapshot + one process snapshot: what any resolution has to read) and the walk
 * floor (that, plus every other process's File handle duplicated, named and closed once:
 * what an exact handle walk costs where the system cannot list a file's users, as on
 * Wine), and, for the module scan, what the three ways of listing the holders' modules
 * cost here.
 *
 *   bench_getlist.exe [--baseline DLL] [P [H [RUNS]]]     (defaults 50 200 7)
 *
 * --baseline loads another build of rstrtmgr.dll (e.g. one built from the previous
 * commit, copied under another name) and times it against the same holders, its calls
 * interleaved with ours: a before/after comparison on one machine state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>
#include <psapi.h>
#include <tlhelp32.h>
#include <restartmanager.h>
#include "bench_common.h"
#include "bench_floors.h"
#include "getlist/module_scan.h"
#include "base/nt_system.h"
#include "rm_test_support.h"

#define MAX_RUNS 31
#define KEY_CCH (CCH_RM_SESSION_KEY + 1)


/* ---- the floor --------------------------------------------------------------------- */

static double floor_ms(int runs)
{
    double samples[MAX_RUNS];
    for (int i = 0; i < runs; i++)
        samples[i] = bench_snapshots_floor_ms();
    return bench_median(samples, runs);
}

/* The snapshots plus every other process's File handle duplicated, named and closed. */
static double walk_floor_ms(size_t *walked)
{
    return bench_snapshots_floor_ms() + bench_name_handles_floor_ms(NULL, NULL, walked);
}

/* ---- RmGetList ------------------------------------------------------------------------ */

#define LIST_CAPACITY 1024

typedef struct case_session {
    const bench_api *api;
    UINT file_count;
    DWORD handle;
    double samples[MAX_RUNS];
    UINT listed;
} case_session;

static BOOL open_case(case_session *c, const wchar_t *const *files, RM_PROCESS_INFO *apps)
{
    WCHAR key[KEY_CCH] = {0};
    DWORD reasons;
    if (c->api->start_session(&c->handle, 0, key) != ERROR_SUCCESS)
        return FALSE;
    for (UINT done = 0; done < c->file_count; done += 1000) {
        UINT batch = c->file_count - done < 1000 ? c->file_count - done : 1000;
        if (c->api->register_resources(c->handle, batch, (LPCWSTR *)files + done, 0, NULL, 0,
                                       NULL))
            return FALSE;
    }
    UINT needed = 0, listed = LIST_CAPACITY;
    c->api->get_list(c->handle, &needed, &listed, apps, &reasons); /* the index takes the files in */
    return TRUE;
}

static void time_case(case_session *c, int run, RM_PROCESS_INFO *apps)
{
    DWORD reasons;
    UINT needed = 0;
    c->listed = LIST_CAPACITY;
    double start = bench_now_ms();
    DWORD error = c->api->get_list(c->handle, &needed, &c->listed, apps, &reasons);
    c->samples[run] = bench_now_ms() - start;
    if (error != ERROR_SUCCESS)
        fprintf(stderr, "RmGetList: %lu\n", (unsigned long)error);
}

/* ---- module listing methods ------------------------------------------------------------ */

static double modules_toolhelp(const rmt_process *holders, int count, int *modules)
{
    double start = bench_now_ms();
    for (int i = 0; i < count; i++) {
        HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32,
                                                   holders[i].pid);
        MODULEENTRY32W entry;
        memset(&entry, 0, sizeof(entry));
        entry.dwSize = sizeof(entry);
        if (snapshot == INVALID_HANDLE_VALUE)
            continue;
        for (BOOL more = Module32FirstW(snapshot, &entry); more; more = Module32NextW(snapshot, &entry))
            ++*modules;
        CloseHandle(snapshot);
    }
    return bench_now_ms() - start;
}

static double modules_psapi(const rmt_process *holders, int count, int *modules)
{
    WCHAR path[MAX_PATH];
    HMODULE handles[512];
    double start = bench_now_ms();
    for (int i = 0; i < count; i++) {
        DWORD needed = 0;
        HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE,
                                     holders[i].pid);
        if (process && EnumProcessModulesEx(process, handles, sizeof(handles), &needed, LIST_MODULES_ALL))
            for (DWORD m = 0; m < needed / sizeof(HMODULE) && m < 512; m++)
                *modules += GetModuleFileNameExW(process, handles[m], path, MAX_PATH) > 0;
        if (process)
            CloseHandle(process);
    }
    return bench_now_ms() - start;
}

static double modules_loader_list(const rmt_process *holders, int count, int *modules)
{
    rm_module_reader *reader;
    if (rm_module_reader_create(&reader) != ERROR_SUCCESS)
        return -1;
    double start = bench_now_ms();
    for (int i = 0; i < count; i++) {
        HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE,
                                     holders[i].pid);
        if (process) {
            size_t counted = 0;
            rm_module_scan(reader, process, bench_count_module, &counted);
            *modules += (int)counted;
            CloseHandle(process);
        }
    }
    double elapsed = bench_now_ms() - start;
    rm_module_reader_destroy(reader);
    return elapsed;
}

/* ---- set-up ----------------------------------------------------------------------------- */

static int start_holders(const wchar_t *dir, const wchar_t *dll_source, int count, int hold,
                         rmt_process *holders)
{
    wchar_t args[RMT_PATH_CCH * 3], dll[RMT_PATH_CCH], name[64];
    int started = 0;
    for (; started < count; started++) {
        /* A private copy per holder, as separately installed products would have. */
        _snwprintf(name, 64, L"payload%03d.dll", started);
        if (!rmt_path_join(dir, name, dll, RMT_PATH_CCH) || !CopyFileW(dll_source, dll, FALSE))
            break;
        _snwprintf(args, RMT_PATH_CCH * 3,
                   L"--hold-count %d --hold-pattern \"%ls\\h%03d_\" --load \"%ls\" --lifetime-ms 900000",
                   hold, dir, started, dll);
        if (!rmt_spawn(L"rm_file_holder.exe", args, &holders[started]))
            break;
    }
    return started;
}

static wchar_t **make_file_list(const wchar_t *dir, int last_holder, UINT count)
{
    wchar_t **files = calloc(count, sizeof(*files));
    for (UINT i = 0; i < count; i++) {
        files[i] = malloc(RMT_PATH_CCH * sizeof(wchar_t));
        if (i == 0)
            _snwprintf(files[i], RMT_PATH_CCH, L"%ls\\h%03d_0000.dat", dir, last_holder);
        else
            _snwprintf(files[i], RMT_PATH_CCH, L"%ls\\unused\\file%05u.dat", dir, i);
    }
    return files;
}

int wmain(int argc, wchar_t **argv)
{
    static const UINT file_counts[] = { 1, 100, 10000 };
    enum { FILE_CASES = sizeof(file_counts) / sizeof(file_counts[0]) };
    bench_api apis[2];
    bench_api_this_build(&apis[0]);
    size_t api_count = 1;
    if (argc > 2 && wcscmp(argv[1], L"--baseline") == 0) {
        if (!bench_api_load(argv[2], &apis[1])) {
            fprintf(stderr, "cannot load %ls\n", argv[2]);
            return 2;
        }
        api_count = 2;
        argc -= 2;
        argv += 2;
    }
    int processes = argc > 1 ? _wtoi(argv[1]) : 50;
    int hold = argc > 2 ? _wtoi(argv[2]) : 200;
    int runs = argc > 3 ? _wtoi(argv[3]) : 7;
    wchar_t dir[RMT_PATH_CCH], dll_source[RMT_PATH_CCH];
    if (runs < 1 || runs > MAX_RUNS || processes < 1 || !rmt_temp_dir(dir, RMT_PATH_CCH) ||
        !rmt_exe_path(L"rm_test_payload.dll", dll_source, RMT_PATH_CCH))
        return 2;
    rmt_process *holders = calloc((size_t)processes, sizeof(*holders));
    double start = bench_now_ms();
    int started = start_holders(dir, dll_source, processes, hold, holders);
    printf("%d holders x %d files + 1 DLL each, started in %.0f ms (%s, %d runs)\n", started,
           hold, bench_now_ms() - start, sizeof(void *) == 8 ? "x64" : "x86", runs);
    if (started < 1)
        return 1;

    /* Runs interleaved, so that load changes on the machine hit every case alike. */
    case_session cases[2 * FILE_CASES];
    const size_t case_count = api_count * FILE_CASES;
    RM_PROCESS_INFO *apps = malloc(LIST_CAPACITY * sizeof(*apps));
    for (size_t i = 0; i < case_count; i++) {
        cases[i].api = &apis[i / FILE_CASES];
        cases[i].file_count = file_counts[i % FILE_CASES];
        wchar_t **files = make_file_list(dir, started - 1, cases[i].file_count);
        if (!open_case(&cases[i], (const wchar_t *const *)files, apps))
            return 1;
        for (UINT f = 0; f < cases[i].file_count; f++)
            free(files[f]);
        free(files);
    }
    double floor_samples[MAX_RUNS], walk_samples[MAX_RUNS];
    size_t walked = 0;
    for (int run = 0; run < runs; run++) {
        floor_samples[run] = floor_ms(1);
        walk_samples[run] = walk_floor_ms(&walked);
        for (size_t i = 0; i < case_count; i++)
            time_case(&cases[i], run, apps);
    }
    double floor = bench_median(floor_samples, runs);
    double walk = bench_median(walk_samples, runs);
    printf("floor (handle snapshot + process snapshot): %.2f ms\n", floor);
    printf("walk floor (handle snapshot + dup/name/close of %u File handles): %.1f ms (%.1f us each)\n",
           (unsigned)walked, walk, walked ? walk * 1000.0 / (double)walked : 0.0);
    double first = 0;
    for (size_t i = 0; i < case_count; i++) {
        if (i % FILE_CASES == 0) {
            printf("\n%s:\n%8s %12s %10s %10s %10s %10s %8s\n", cases[i].api->label, "F",
                   "median ms", "min ms", "x floor", "x walk", "x F=1", "listed");
        }
        double ms = bench_median(cases[i].samples, runs); /* sorts: [0] is the minimum */
        if (i % FILE_CASES == 0)
            first = ms;
        printf("%8u %12.1f %10.1f %10.1f %10.2f %10.2f %8u\n", cases[i].file_count, ms,
               cases[i].samples[0], ms / floor, ms / walk, ms / first, cases[i].listed);
        cases[i].api->end_session(cases[i].handle);
    }
    free(apps);

    int modules = 0;
    printf("\nlisting the modules of the %d holders:\n", started);
    double ms = modules_toolhelp(holders, started, &modules);
    printf("  Toolhelp32 (SNAPMODULE|SNAPMODULE32):        %8.1f ms, %d modules\n", ms, modules);
    modules = 0;
    ms = modules_psapi(holders, started, &modules);
    printf("  EnumProcessModulesEx + GetModuleFileNameEx: %8.1f ms, %d modules\n", ms, modules);
    modules = 0;
    ms = modules_loader_list(holders, started, &modules);
    printf("  loader list walk (module_scan.c):           %8.1f ms, %d modules\n", ms, modules);

    for (int i = 0; i < started; i++)
        rmt_kill(&holders[i]);
    rmt_remove_dir(dir);
    free(holders);
    return 0;
}
