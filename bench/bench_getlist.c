/* RmGetList cost against a crowd: P rm_file_holder processes, each holding H files of
 * its own and a private copy of a DLL loaded; F files registered (one of them held by
 * the last holder, the others unused), with F in {1, 100, 10000}. Prints medians of
 * several runs next to the floor measured in the same run (one handle snapshot + one
 * process snapshot: what any resolution has to read), and, for the module scan, what
 * the three ways of listing the holders' modules cost here.
 *
 *   bench_getlist.exe [P [H [RUNS]]]     (defaults 50 200 7) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>
#include <psapi.h>
#include <tlhelp32.h>
#include <restartmanager.h>
#include "module_scan.h"
#include "rm_test_support.h"

#define MAX_RUNS 31
#define KEY_CCH (CCH_RM_SESSION_KEY + 1)

static double now_ms(void)
{
    LARGE_INTEGER frequency, counter;
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return (double)counter.QuadPart * 1000.0 / (double)frequency.QuadPart;
}

static int by_value(const void *a, const void *b)
{
    double left = *(const double *)a, right = *(const double *)b;
    return left < right ? -1 : left > right;
}

static double median(double *samples, int count)
{
    qsort(samples, (size_t)count, sizeof(*samples), by_value);
    return count % 2 ? samples[count / 2] : (samples[count / 2 - 1] + samples[count / 2]) / 2;
}

/* ---- the floor --------------------------------------------------------------------- */

static double snapshot_once(ULONG info_class, void **buffer, ULONG *size)
{
    double start = now_ms();
    for (;;) {
        ULONG needed = 0;
        NTSTATUS status = NtQuerySystemInformation((SYSTEM_INFORMATION_CLASS)info_class, *buffer,
                                                   *size, &needed);
        if (status != (NTSTATUS)0xC0000004)
            break;
        *size = needed > *size ? needed + needed / 8 : *size * 2;
        *buffer = realloc(*buffer, *size);
    }
    return now_ms() - start;
}

static double floor_ms(int runs)
{
    double samples[MAX_RUNS];
    void *handles = malloc(1 << 20), *processes = malloc(1 << 18);
    ULONG handle_size = 1 << 20, process_size = 1 << 18;
    for (int i = 0; i < runs; i++)
        samples[i] = snapshot_once(64, &handles, &handle_size) +
                     snapshot_once(5, &processes, &process_size);
    free(handles);
    free(processes);
    return median(samples, runs);
}

/* ---- RmGetList ------------------------------------------------------------------------ */

#define LIST_CAPACITY 1024

typedef struct case_session {
    UINT file_count;
    DWORD handle;
    double samples[MAX_RUNS];
    UINT listed;
} case_session;

static BOOL open_case(case_session *c, const wchar_t *const *files, RM_PROCESS_INFO *apps)
{
    WCHAR key[KEY_CCH] = {0};
    DWORD reasons;
    if (RmStartSession(&c->handle, 0, key) != ERROR_SUCCESS)
        return FALSE;
    for (UINT done = 0; done < c->file_count; done += 1000) {
        UINT batch = c->file_count - done < 1000 ? c->file_count - done : 1000;
        if (RmRegisterResources(c->handle, batch, (LPCWSTR *)files + done, 0, NULL, 0, NULL))
            return FALSE;
    }
    UINT needed = 0, listed = LIST_CAPACITY;
    RmGetList(c->handle, &needed, &listed, apps, &reasons); /* the index takes the files in */
    return TRUE;
}

static void time_case(case_session *c, int run, RM_PROCESS_INFO *apps)
{
    DWORD reasons;
    UINT needed = 0;
    c->listed = LIST_CAPACITY;
    double start = now_ms();
    DWORD error = RmGetList(c->handle, &needed, &c->listed, apps, &reasons);
    c->samples[run] = now_ms() - start;
    if (error != ERROR_SUCCESS)
        fprintf(stderr, "RmGetList: %lu\n", (unsigned long)error);
}

/* ---- module listing methods ------------------------------------------------------------ */

static BOOL count_module(void *context, const WCHAR *path, size_t length)
{
    (void)path;
    (void)length;
    ++*(int *)context;
    return FALSE;
}

static double modules_toolhelp(const rmt_process *holders, int count, int *modules)
{
    double start = now_ms();
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
    return now_ms() - start;
}

static double modules_psapi(const rmt_process *holders, int count, int *modules)
{
    WCHAR path[MAX_PATH];
    HMODULE handles[512];
    double start = now_ms();
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
    return now_ms() - start;
}

static double modules_loader_list(const rmt_process *holders, int count, int *modules)
{
    rm_module_reader *reader;
    if (rm_module_reader_create(&reader) != ERROR_SUCCESS)
        return -1;
    double start = now_ms();
    for (int i = 0; i < count; i++) {
        HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE,
                                     holders[i].pid);
        if (process) {
            rm_module_scan(reader, process, count_module, modules);
            CloseHandle(process);
        }
    }
    double elapsed = now_ms() - start;
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
    int processes = argc > 1 ? _wtoi(argv[1]) : 50;
    int hold = argc > 2 ? _wtoi(argv[2]) : 200;
    int runs = argc > 3 ? _wtoi(argv[3]) : 7;
    wchar_t dir[RMT_PATH_CCH], dll_source[RMT_PATH_CCH];
    if (runs < 1 || runs > MAX_RUNS || processes < 1 || !rmt_temp_dir(dir, RMT_PATH_CCH) ||
        !rmt_exe_path(L"rm_test_payload.dll", dll_source, RMT_PATH_CCH))
        return 2;
    rmt_process *holders = calloc((size_t)processes, sizeof(*holders));
    double start = now_ms();
    int started = start_holders(dir, dll_source, processes, hold, holders);
    printf("%d holders x %d files + 1 DLL each, started in %.0f ms (%s, %d runs)\n", started,
           hold, now_ms() - start, sizeof(void *) == 8 ? "x64" : "x86", runs);
    if (started < 1)
        return 1;

    /* Runs interleaved, so that load changes on the machine hit every case alike. */
    case_session cases[sizeof(file_counts) / sizeof(file_counts[0])];
    const size_t case_count = sizeof(cases) / sizeof(cases[0]);
    RM_PROCESS_INFO *apps = malloc(LIST_CAPACITY * sizeof(*apps));
    for (size_t i = 0; i < case_count; i++) {
        cases[i].file_count = file_counts[i];
        wchar_t **files = make_file_list(dir, started - 1, file_counts[i]);
        if (!open_case(&cases[i], (const wchar_t *const *)files, apps))
            return 1;
        for (UINT f = 0; f < file_counts[i]; f++)
            free(files[f]);
        free(files);
    }
    double floor_samples[MAX_RUNS];
    for (int run = 0; run < runs; run++) {
        floor_samples[run] = floor_ms(1);
        for (size_t i = 0; i < case_count; i++)
            time_case(&cases[i], run, apps);
    }
    double floor = median(floor_samples, runs);
    printf("floor (handle snapshot + process snapshot): %.2f ms\n\n", floor);
    printf("%8s %12s %10s %10s %10s %8s\n", "F", "median ms", "min ms", "x floor", "x F=1", "listed");
    double first = 0;
    for (size_t i = 0; i < case_count; i++) {
        double ms = median(cases[i].samples, runs); /* sorts: [0] is the minimum */
        if (i == 0)
            first = ms;
        printf("%8u %12.1f %10.1f %10.1f %10.2f %8u\n", cases[i].file_count, ms, cases[i].samples[0],
               ms / floor, ms / first, cases[i].listed);
        RmEndSession(cases[i].handle);
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
