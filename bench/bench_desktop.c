/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RmGetList on an ordinary desktop, from a 64-bit and a 32-bit caller in one run, next to
 * the floors measured in the same run.
 *
 * The scene, in the prefix the benchmark runs in: Wine's own services and explorer, a
 * 32-bit notepad, a 64-bit winemine, and rm_file_holder holding a data file. Two
 * registrations, each timed as the median of RUNS RmGetList calls, each in a new session
 * with the files just registered (what an installer does; only RmGetList is timed), this
 * build and the baseline taking turns call by call:
 *   data        the data file alone;
 *   installer   what an installer registers: an exe (notepad.exe) and a DLL (user32.dll)
 *               in both system directories, the data file, and 1,000 files of the new
 *               version that do not exist yet.
 * Each caller names the system directories its own way (a 64-bit one System32 and
 * SysWOW64, a 32-bit one Sysnative and System32): the same real files.
 *
 * Floors (what an exact answer cannot avoid reading), medians over the same rounds:
 *   snapshots   one handle snapshot + one process snapshot;
 *   modules     one remote read per loaded module of every process the answer has to
 *               look into (all but this one; a 32-bit caller reads 64-bit ones with
 *               NtWow64ReadVirtualMemory64);
 *   handles     one duplicate + name + close per File handle of the processes whose
 *               handles must be named: all others for the data file; for the installer
 *               registration, those its modules and images did not settle (the processes
 *               RmGetList did not list);
 *   locations   (32-bit caller where the system does not say where 64-bit PEBs are:
 *               Wine 8) one read of a thread's TEB per 64-bit process, which names its
 *               PEB (what NtWow64QueryInformationProcess64 answers on Windows).
 *
 *   bench_desktop.exe [--baseline X64_DLL] [--baseline32 X86_DLL] [RUNS]
 *       (x64 build; default 15) sets the scene, measures itself and the i686 build beside
 *       the other tree (build/i686/bin) against the same scene, rounds interleaved; with
 *       baselines (other builds of rstrtmgr.dll, copied under another name) also those,
 *       interleaved with this build.
 *   bench_desktop.exe --measure DATA DIR RUNS [BASELINE_DLL]
 *       one caller's figures for that scene, one line of key=value pairs (how the driver
 *       runs the other bitness). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <restartmanager.h>
#include "bench_common.h"
#include "bench_floors.h"
#include "getlist/module_scan.h"
#include "process/remote_memory.h"
#include "rm_test_support.h"
#include "process/process_snapshot.h"

#define KEY_CCH (CCH_RM_SESSION_KEY + 1)
#define MAX_RUNS 101
#define ABSENT_FILES 1000
#define ROUNDS 3
#define PATH_CCH RMT_PATH_CCH
#define MAX_LISTED 64
#define MAX_PROCESSES 1024

/* ---- the registrations ------------------------------------------------------------ */

typedef struct registration {
    const wchar_t **files;
    UINT count;
    wchar_t *storage;
} registration;

static void add_file(registration *r, const wchar_t *format, ...)
{
    va_list args;
    wchar_t *slot = r->storage + (size_t)r->count * PATH_CCH;
    va_start(args, format);
    _vsnwprintf(slot, PATH_CCH, format, args);
    va_end(args);
    slot[PATH_CCH - 1] = 0;
    r->files[r->count++] = slot;
}

static void make_registration(registration *r, UINT capacity)
{
    r->files = malloc(capacity * sizeof(*r->files));
    r->storage = malloc((size_t)capacity * PATH_CCH * sizeof(wchar_t));
    r->count = 0;
}

static void free_registration(registration *r)
{
    free(r->files);
    free(r->storage);
}

/* The installer-like registration, spelled as this caller names the system directories. */
static void installer_files(registration *r, const wchar_t *data, const wchar_t *dir)
{
    wchar_t windir[MAX_PATH];
    GetSystemWindowsDirectoryW(windir, MAX_PATH);
    const wchar_t *native = sizeof(void *) == 8 ? L"System32" : L"Sysnative";
    const wchar_t *wow64 = sizeof(void *) == 8 ? L"SysWOW64" : L"System32";
    make_registration(r, ABSENT_FILES + 8);
    add_file(r, L"%ls\\%ls\\notepad.exe", windir, native);
    add_file(r, L"%ls\\%ls\\notepad.exe", windir, wow64);
    add_file(r, L"%ls\\%ls\\user32.dll", windir, native);
    add_file(r, L"%ls\\%ls\\user32.dll", windir, wow64);
    add_file(r, L"%ls", data);
    for (int i = 0; i < ABSENT_FILES; i++)
        add_file(r, L"%ls\\new-version\\component%04d.dll", dir, i);
}

/* ---- one call ----------------------------------------------------------------------- */

typedef struct listed {
    UINT count;
    DWORD pids[MAX_LISTED];
} listed;

static double one_call(const bench_api *api, const registration *r, listed *out)
{
    DWORD handle, reasons = 0;
    WCHAR key[KEY_CCH] = { 0 };
    RM_PROCESS_INFO apps[MAX_LISTED];
    UINT needed = 0, count = MAX_LISTED;
    double elapsed = 0;
    if (api->start_session(&handle, 0, key) != ERROR_SUCCESS)
        return -1;
    DWORD error = api->register_resources(handle, r->count, r->files, 0, NULL, 0, NULL);
    if (error == ERROR_SUCCESS) {
        double start = bench_now_ms();
        error = api->get_list(handle, &needed, &count, apps, &reasons);
        elapsed = bench_now_ms() - start;
    }
    api->end_session(handle);
    out->count = error == ERROR_SUCCESS ? count : 0;
    for (UINT i = 0; i < out->count; i++)
        out->pids[i] = apps[i].Process.dwProcessId;
    return error == ERROR_SUCCESS ? elapsed : -1;
}

/* The median of runs calls of each of apis[0..count), the builds taking turns call by
 * call: a slow spell of the machine or of Wine (one was seen to last ~200 ms after the
 * other bitness's driver ended, slowing whichever build came first) then weighs on
 * every build alike. */
static void medians_side_by_side(const bench_api *const *apis, int count, const registration *r,
                                 int runs, double *medians, listed *lists)
{
    double samples[2][MAX_RUNS];
    for (int k = 0; k < count; k++)
        one_call(apis[k], r, &lists[k]); /* warm-up */
    for (int i = 0; i < runs; i++)
        for (int k = 0; k < count; k++)
            samples[k][i] = one_call(apis[k], r, &lists[k]);
    for (int k = 0; k < count; k++)
        medians[k] = bench_median(samples[k], runs);
}

/* ---- floors ------------------------------------------------------------------------ */

static BOOL not_listed(void *context, DWORD pid)
{
    const listed *list = context;
    for (UINT i = 0; i < list->count; i++)
        if (list->pids[i] == pid)
            return FALSE;
    return TRUE;
}

typedef struct scan_target {
    HANDLE process;
    size_t modules;
    rm_remote from;   /* how one read of it is done, at `at` */
    uint64_t at;
    uint64_t teb;     /* 32-bit caller, 64-bit target, system silent: where its PEB is read */
} scan_target;

/* Every other process, its module count and how to read it once; for a 32-bit caller
 * 64-bit PEBs are located as the DLL does (remote_memory.h), untimed: the locate floor
 * times the TEB reads where the system does not say. */
static size_t find_scan_targets(scan_target *targets, BOOL *locates)
{
    rm_module_reader *reader;
    rm_process_snapshot processes;
    size_t count = 0;
    *locates = rm_remote_peb64_unsaid();
    if (rm_module_reader_create(&reader) != ERROR_SUCCESS)
        return 0;
    if (rm_process_snapshot_take_with_tebs(&processes) != ERROR_SUCCESS) {
        rm_module_reader_destroy(reader);
        return 0;
    }
    for (size_t i = 0; i < processes.count && count < MAX_PROCESSES; i++) {
        const rm_process_entry *entry = &processes.entries[i];
        scan_target *t = &targets[count];
        if (entry->pid == GetCurrentProcessId() || entry->pid <= 4)
            continue;
        memset(t, 0, sizeof(*t));
        t->process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE,
                                 entry->pid);
        if (!t->process)
            continue;
        if (rm_module_scan(reader, t->process, bench_count_module, &t->modules) != ERROR_SUCCESS ||
            t->modules == 0) {
            CloseHandle(t->process);
            continue;
        }
        t->from.process = t->process;
        t->from.pointer_size = sizeof(void *);
        t->at = rm_remote_native_peb(t->process);
#ifndef _WIN64
        if (rm_remote_is_64bit_seen_from_wow64(rm_remote_self_is_wow64(), t->process)) {
            rm_wow64_calls calls;
            rm_wow64_calls_load(&calls);
            t->from.read64 = calls.read_memory64;
            t->from.pointer_size = 8;
            rm_remote_peb64(&calls, t->process, &t->at);
            t->teb = *locates ? entry->teb : 0;
        }
#endif
        count++;
    }
    rm_process_snapshot_free(&processes);
    rm_module_reader_destroy(reader);
    return count;
}

/* One remote read (a loader entry's size) per module of every target. */
static double modules_floor_ms(const scan_target *targets, size_t count, size_t *reads)
{
    BYTE entry[0x68];
    *reads = 0;
    double start = bench_now_ms();
    for (size_t i = 0; i < count; i++)
        for (size_t m = 0; m < targets[i].modules; m++)
            *reads += rm_remote_read(&targets[i].from, targets[i].at, entry, sizeof(entry));
    return bench_now_ms() - start;
}

/* One read of a TEB per 64-bit target whose PEB the system does not locate. */
static double locate_floor_ms(const scan_target *targets, size_t count, size_t *reads)
{
    BYTE teb[RM_TEB64_CHECKED_BYTES];
    *reads = 0;
    double start = bench_now_ms();
    for (size_t i = 0; i < count; i++)
        if (targets[i].teb)
            *reads += rm_remote_read(&targets[i].from, targets[i].teb + RM_TEB64_CHECKED_FROM,
                                     teb, sizeof(teb));
    return bench_now_ms() - start;
}

/* ---- one caller's figures ---------------------------------------------------------- */

typedef struct figures {
    double data, installer, baseline_data, baseline_installer;
    UINT data_users, installer_users, baseline_data_users, baseline_installer_users;
    double snapshots, modules, handles_data, handles_installer, locate;
    size_t module_reads, handles_named_data, handles_named_installer, locate_reads;
} figures;

static void measure(const bench_api *baseline, const wchar_t *data, const wchar_t *dir, int runs,
                    figures *f)
{
    bench_api ours;
    bench_api_this_build(&ours);
    registration alone, installer;
    make_registration(&alone, 1);
    add_file(&alone, L"%ls", data);
    installer_files(&installer, data, dir);
    memset(f, 0, sizeof(*f));
    const bench_api *apis[2] = { &ours, baseline };
    const int builds = baseline ? 2 : 1;
    listed data_lists[2], installer_lists[2];
    double data_medians[2] = { 0, 0 }, installer_medians[2] = { 0, 0 };
    medians_side_by_side(apis, builds, &alone, runs, data_medians, data_lists);
    medians_side_by_side(apis, builds, &installer, runs, installer_medians, installer_lists);
    listed list_installer = installer_lists[0];
    f->data = data_medians[0];
    f->installer = installer_medians[0];
    f->data_users = data_lists[0].count;
    f->installer_users = list_installer.count;
    if (baseline) {
        f->baseline_data = data_medians[1];
        f->baseline_data_users = data_lists[1].count;
        f->baseline_installer = installer_medians[1];
        f->baseline_installer_users = installer_lists[1].count;
    }

    static scan_target targets[MAX_PROCESSES];
    BOOL locates = FALSE;
    size_t target_count = find_scan_targets(targets, &locates);
    double snapshots[MAX_RUNS], modules[MAX_RUNS], handles_data[MAX_RUNS],
        handles_installer[MAX_RUNS], locate[MAX_RUNS];
    for (int i = 0; i < runs; i++) {
        snapshots[i] = bench_snapshots_floor_ms();
        modules[i] = modules_floor_ms(targets, target_count, &f->module_reads);
        handles_data[i] = bench_name_handles_floor_ms(NULL, NULL, &f->handles_named_data);
        handles_installer[i] = bench_name_handles_floor_ms(not_listed, &list_installer,
                                                           &f->handles_named_installer);
        locate[i] = locates ? locate_floor_ms(targets, target_count, &f->locate_reads) : 0;
    }
    f->snapshots = bench_median(snapshots, runs);
    f->modules = bench_median(modules, runs);
    f->handles_data = bench_median(handles_data, runs);
    f->handles_installer = bench_median(handles_installer, runs);
    f->locate = bench_median(locate, runs);
    for (size_t i = 0; i < target_count; i++)
        CloseHandle(targets[i].process);
    free_registration(&alone);
    free_registration(&installer);
}

#define FIGURE_FIELDS(X)                                                                   \
    X(data, "%lf") X(installer, "%lf") X(baseline_data, "%lf") X(baseline_installer, "%lf") \
    X(data_users, "%u") X(installer_users, "%u") X(baseline_data_users, "%u")                \
    X(baseline_installer_users, "%u") X(snapshots, "%lf") X(modules, "%lf")                 \
    X(handles_data, "%lf") X(handles_installer, "%lf") X(locate, "%lf")                     \
    X(module_reads, "%zu") X(handles_named_data, "%zu") X(handles_named_installer, "%zu")   \
    X(locate_reads, "%zu")

static void print_figures(const figures *f)
{
#define PRINT_FIELD(name, format) printf(#name "=" format " ", f->name);
    printf("FIGURES ");
    FIGURE_FIELDS(PRINT_FIELD)
    printf("\n");
#undef PRINT_FIELD
}

static BOOL parse_figures(const char *text, figures *f)
{
    memset(f, 0, sizeof(*f));
    const char *line = strstr(text, "FIGURES ");
    if (!line)
        return FALSE;
#define PARSE_FIELD(name, format)                                                          \
    {                                                                                      \
        const char *at = strstr(line, " " #name "=");                                     \
        if (!at || sscanf(at + sizeof(#name) + 1, format, &f->name) != 1)                  \
            return FALSE;                                                                  \
    }
    FIGURE_FIELDS(PARSE_FIELD)
#undef PARSE_FIELD
    return TRUE;
}

/* ---- the driver (x64) --------------------------------------------------------------- */

/* A real Wine program, in the kill-on-close job of rmt_open_process. */
static BOOL start_program(const wchar_t *path, rmt_process *out)
{
    STARTUPINFOW startup;
    PROCESS_INFORMATION info;
    wchar_t command_line[PATH_CCH];
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    _snwprintf(command_line, PATH_CCH, L"\"%ls\"", path);
    if (!CreateProcessW(path, command_line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info)) {
        fwprintf(stderr, L"cannot start %ls: %lu\n", path, GetLastError());
        return FALSE;
    }
    WaitForInputIdle(info.hProcess, 10000);
    BOOL opened = rmt_open_process(info.dwProcessId, out);
    CloseHandle(info.hThread);
    CloseHandle(info.hProcess);
    return opened;
}

static BOOL run_other(const wchar_t *exe, const wchar_t *data, const wchar_t *dir, int runs,
                      const wchar_t *baseline, figures *f)
{
    wchar_t command_line[PATH_CCH * 4];
    _snwprintf(command_line, PATH_CCH * 4, L"\"%ls\" --measure \"%ls\" \"%ls\" %d%ls%ls%ls", exe,
               data, dir, runs, baseline ? L" \"" : L"", baseline ? baseline : L"",
               baseline ? L"\"" : L"");
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    HANDLE read_end, write_end;
    if (!CreatePipe(&read_end, &write_end, &inherit, 0))
        return FALSE;
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOW startup;
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = write_end;
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION info;
    BOOL started = CreateProcessW(exe, command_line, NULL, NULL, TRUE, 0, NULL, NULL, &startup,
                                  &info);
    CloseHandle(write_end);
    if (!started) {
        CloseHandle(read_end);
        return FALSE;
    }
    char text[2048];
    DWORD total = 0, got;
    while (total < sizeof(text) - 1 &&
           ReadFile(read_end, text + total, (DWORD)(sizeof(text) - 1 - total), &got, NULL) && got)
        total += got;
    text[total] = 0;
    WaitForSingleObject(info.hProcess, 600000);
    CloseHandle(info.hProcess);
    CloseHandle(info.hThread);
    CloseHandle(read_end);
    return parse_figures(text, f);
}

static double median_field(const figures *rounds, size_t offset)
{
    double values[ROUNDS];
    for (int i = 0; i < ROUNDS; i++)
        values[i] = *(const double *)((const char *)&rounds[i] + offset);
    return bench_median(values, ROUNDS);
}

#define MEDIAN(rounds, field) median_field(rounds, offsetof(figures, field))

static void report(const char *caller, const figures *rounds, BOOL baseline)
{
    double data = MEDIAN(rounds, data), installer = MEDIAN(rounds, installer);
    double snapshots = MEDIAN(rounds, snapshots), modules = MEDIAN(rounds, modules);
    double handles_data = MEDIAN(rounds, handles_data);
    double handles_installer = MEDIAN(rounds, handles_installer), locate = MEDIAN(rounds, locate);
    const figures *last = &rounds[ROUNDS - 1];
    double data_floor = snapshots + handles_data;
    double installer_floor = snapshots + modules + handles_installer + locate;
    printf("%s caller:\n", caller);
    printf("  data file alone      %7.1f ms (%u users)   floor %6.1f ms = snapshots %.1f + "
           "%zu handles named %.1f   -> %.2fx its floor\n",
           data, last->data_users, data_floor, snapshots, last->handles_named_data, handles_data,
           data / data_floor);
    printf("  installer-like       %7.1f ms (%u users)   floor %6.1f ms = snapshots %.1f + "
           "%zu module reads %.1f + %zu handles named %.1f",
           installer, last->installer_users, installer_floor, snapshots, last->module_reads,
           modules, last->handles_named_installer, handles_installer);
    if (locate > 0)
        printf(" + %zu PEB locations %.1f", last->locate_reads, locate);
    printf("   -> %.2fx its floor\n", installer / installer_floor);
    printf("  installer-like / data file alone: %.2fx\n", installer / data);
    if (baseline) {
        double before_data = MEDIAN(rounds, baseline_data);
        double before_installer = MEDIAN(rounds, baseline_installer);
        printf("  baseline build: data file alone %7.1f ms (%u users), installer-like %7.1f ms "
               "(%u users): %.2fx installer/data; this build is %.2fx / %.2fx of it\n",
               before_data, last->baseline_data_users, before_installer,
               last->baseline_installer_users, before_installer / before_data, data / before_data,
               installer / before_installer);
    }
}

static int drive(int runs, const wchar_t *baseline64, const wchar_t *baseline32)
{
    wchar_t dir[PATH_CCH], data[PATH_CCH], args[PATH_CCH * 2], other[PATH_CCH];
    wchar_t windir[MAX_PATH], notepad32[PATH_CCH], winemine64[PATH_CCH];
    rmt_process holder, notepad, winemine;
    bench_api baseline;
    if (sizeof(void *) != 8) {
        fprintf(stderr, "run the x64 build: it drives the i686 one\n");
        return 2;
    }
    if (baseline64 && !bench_api_load(baseline64, &baseline)) {
        fwprintf(stderr, L"cannot load %ls\n", baseline64);
        return 2;
    }
    GetSystemWindowsDirectoryW(windir, MAX_PATH);
    _snwprintf(notepad32, PATH_CCH, L"%ls\\SysWOW64\\notepad.exe", windir);
    _snwprintf(winemine64, PATH_CCH, L"%ls\\System32\\winemine.exe", windir);
    if (!rmt_temp_dir(dir, PATH_CCH) || !rmt_make_file(dir, L"document.dat", data, PATH_CCH))
        return 1;
    _snwprintf(args, PATH_CCH * 2, L"--hold \"%ls\"", data);
    if (!rmt_spawn(L"rm_file_holder.exe", args, &holder) || !start_program(notepad32, &notepad) ||
        !start_program(winemine64, &winemine))
        return 1;
    BOOL have_other = rmt_other_arch_file(L"bench_desktop.exe", other, PATH_CCH);
    printf("RmGetList on an ordinary desktop (Wine's services and explorer, 32-bit notepad,\n"
           "64-bit winemine, a holder of a data file); medians of %d calls per round, then of "
           "%d interleaved rounds\n",
           runs, ROUNDS);
    figures x64[ROUNDS], x86[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
        measure(baseline64 ? &baseline : NULL, data, dir, runs, &x64[round]);
        if (have_other && !run_other(other, data, dir, runs, baseline32, &x86[round])) {
            fprintf(stderr, "the i686 run failed\n");
            have_other = FALSE;
        }
    }
    report("x64", x64, baseline64 != NULL);
    if (have_other) {
        report("x86", x86, baseline32 != NULL);
        printf("x86 / x64: data file alone %.2fx, installer-like %.2fx\n",
               MEDIAN(x86, data) / MEDIAN(x64, data),
               MEDIAN(x86, installer) / MEDIAN(x64, installer));
    } else {
        printf("x86 caller: not measured (no i686 build of bench_desktop.exe)\n");
    }
    rmt_kill_all();
    rmt_remove_dir(dir);
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc >= 5 && !wcscmp(argv[1], L"--measure")) {
        int runs = _wtoi(argv[4]);
        bench_api baseline;
        if (runs < 1 || runs > MAX_RUNS || (argc > 5 && !bench_api_load(argv[5], &baseline)))
            return 2;
        figures f;
        measure(argc > 5 ? &baseline : NULL, argv[2], argv[3], runs, &f);
        print_figures(&f);
        return 0;
    }
    const wchar_t *baseline64 = NULL, *baseline32 = NULL;
    for (; argc > 2 && argv[1][0] == L'-'; argc -= 2, argv += 2) {
        if (!wcscmp(argv[1], L"--baseline"))
            baseline64 = argv[2];
        else if (!wcscmp(argv[1], L"--baseline32"))
            baseline32 = argv[2];
        else
            return 2;
    }
    int runs = argc > 1 ? _wtoi(argv[1]) : 15;
    if (runs < 1 || runs > MAX_RUNS)
        runs = 15;
    return drive(runs, baseline64, baseline32);
}
