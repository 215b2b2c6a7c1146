// SPDX-License-Identifier: LGPL-2.1-or-later
/* Soak (issue 15; run by tools/soak.sh, not by the test command): test_stress's mix —
 * 16 processes x 4 sessions x 1,000 registered files, each process calling RmGetList on
 * its sessions in a loop while file holders start and exit underneath — for a long time,
 * reporting per window the calls made, each process's handle count and private bytes
 * (counted as test_stress counts them under Wine) and the RmGetList latency, so that drift
 * shows. soak.exe TOTAL_SECONDS WINDOW_SECONDS; exit code 0 if no call gave an
 * undocumented result and no process grew by more than test_stress allows between the end
 * of the first window and the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "rmt_measure.h"
#include "stress_mix.h"

#define LATENCY_SAMPLES 65536
#define MAX_WINDOWS 64

static wchar_t temp_dir[RMT_PATH_CCH];

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* ---- a worker ------------------------------------------------------------------------ */

/* worker INDEX TOTAL WINDOW DIR LOG */
static int run_worker(int arg_count, wchar_t **argv)
{
    (void)arg_count;
    unsigned index = (unsigned)_wtoi(argv[0]);
    ULONGLONG total_ms = _wtoi(argv[1]) * 1000ull, window_ms = _wtoi(argv[2]) * 1000ull;
    static float latency[LATENCY_SAMPLES];
    static RM_PROCESS_INFO apps[APPS_CAPACITY];
    DWORD handles[SESSIONS_PER_WORKER];
    WCHAR key[RMT_KEY_CCH];
    for (int s = 0; s < SESSIONS_PER_WORKER; s++)
        if (RmStartSession(&handles[s], 0, key) ||
            register_session(handles[s], argv[3], L"soak", index, (unsigned)s))
            return 80;
    FILE *log = _wfopen(argv[4], L"w");
    if (!log)
        return 81;
    ULONGLONG started = GetTickCount64(), window_end = started + window_ms;
    unsigned long calls = 0, bad = 0, samples = 0, window = 0;
    while (GetTickCount64() - started < total_ms) {
        for (int s = 0; s < SESSIONS_PER_WORKER; s++) {
            UINT needed = 0, count = APPS_CAPACITY;
            DWORD reasons = 0;
            double before = rmt_now_ms();
            DWORD error = RmGetList(handles[s], &needed, &count, apps, &reasons);
            double took = rmt_now_ms() - before;
            calls++;
            bad += error != ERROR_SUCCESS && error != ERROR_MORE_DATA;
            if (samples < LATENCY_SAMPLES)
                latency[samples++] = (float)took;
        }
        if (GetTickCount64() >= window_end) {
            qsort(latency, samples, sizeof(latency[0]), compare_floats);
            fprintf(log, "%lu %lu %lu %lu %llu %.2f %.2f %.2f\n", window, calls, bad,
                    rmt_handle_count(), rmt_private_bytes(), samples ? latency[samples / 2] : 0.0,
                    samples ? latency[samples * 95 / 100] : 0.0,
                    samples ? latency[samples - 1] : 0.0);
            fflush(log);
            window++;
            window_end += window_ms;
            calls = bad = samples = 0;
        }
    }
    fclose(log);
    for (int s = 0; s < SESSIONS_PER_WORKER; s++)
        RmEndSession(handles[s]);
    return 0;
}

/* ---- the parent ---------------------------------------------------------------------- */

typedef struct window_line {
    unsigned long calls, bad, handles;
    unsigned long long private_bytes;
    double median, p95, worst;
} window_line;

static window_line lines[WORKERS][MAX_WINDOWS];
static unsigned line_count[WORKERS];

int wmain(int argc, wchar_t **argv)
{
    static const rmt_child_role child_roles[] = {
        { L"worker", 5, run_worker },
    };
    RMT_RUN_CHILD_ROLE(argc, argv, child_roles);
    if (argc < 3) {
        fprintf(stderr, "usage: soak.exe TOTAL_SECONDS WINDOW_SECONDS\n");
        return 2;
    }
    unsigned total = (unsigned)_wtoi(argv[1]), window = (unsigned)_wtoi(argv[2]);
    if (!total || !window || total / window > MAX_WINDOWS || !rmt_temp_dir(temp_dir, RMT_PATH_CCH))
        return 2;
    wchar_t file[RMT_PATH_CCH], args[3 * RMT_PATH_CCH], logs[WORKERS][RMT_PATH_CCH];
    for (unsigned i = 0; i < HOT_FILES; i++) {
        wchar_t name[32];
        _snwprintf(name, ARRAYSIZE(name), L"hot%02u.dat", i);
        if (!rmt_make_file(temp_dir, name, file, RMT_PATH_CCH))
            return 3;
    }
    rmt_process workers[WORKERS], holders[HOLDER_SLOTS] = { { 0 } };
    for (unsigned w = 0; w < WORKERS; w++) {
        _snwprintf(logs[w], RMT_PATH_CCH, L"%ls\\soak%02u.txt", temp_dir, w);
        _snwprintf(args, ARRAYSIZE(args), L"--child worker %u %u %u \"%ls\" \"%ls\"", w, total,
                   window, temp_dir, logs[w]);
        if (!rmt_spawn_self(args, &workers[w]))
            return 4;
    }
    printf("soak: %d processes x %d sessions x %d files, %u s, a report every %u s\n", WORKERS,
           SESSIONS_PER_WORKER, FILES_PER_SESSION, total, window);
    fflush(stdout);
    unsigned random_state = GetTickCount(), holders_started = 0;
    ULONGLONG started = GetTickCount64();
    BOOL running = TRUE;
    while (running && GetTickCount64() - started < (total + 600) * 1000ull) {
        running = FALSE;
        for (unsigned w = 0; w < WORKERS; w++)
            running |= rmt_is_running(&workers[w]);
        for (int h = 0; h < HOLDER_SLOTS; h++) {
            if (holders[h].process && rmt_is_running(&holders[h]))
                continue;
            rmt_close(&holders[h]);
            if (running && GetTickCount64() - started < total * 1000ull &&
                start_holder(temp_dir, &holders[h], &random_state))
                holders_started++;
        }
        Sleep(20);
    }
    for (int h = 0; h < HOLDER_SLOTS; h++)
        rmt_kill(&holders[h]);
    int status = 0;
    unsigned windows = MAX_WINDOWS;
    for (unsigned w = 0; w < WORKERS; w++) {
        DWORD code = 1;
        if (!rmt_exit_code(&workers[w], &code) || code) {
            printf("soak: worker %u exited with %lu\n", w, code);
            status = 1;
        }
        FILE *in = _wfopen(logs[w], L"r");
        unsigned long n;
        while (in && line_count[w] < MAX_WINDOWS) {
            window_line *l = &lines[w][line_count[w]];
            if (fscanf(in, "%lu %lu %lu %lu %llu %lf %lf %lf", &n, &l->calls, &l->bad, &l->handles,
                       &l->private_bytes, &l->median, &l->p95, &l->worst) != 8)
                break;
            line_count[w]++;
        }
        if (in)
            fclose(in);
        windows = line_count[w] < windows ? line_count[w] : windows;
    }
    printf("window  end(min)  RmGetList  bad  handles(min..max)  private KiB(min..max)  "
           "latency ms median / p95 / worst (over processes)\n");
    for (unsigned i = 0; i < windows; i++) {
        window_line sum = { 0 };
        unsigned long h_low = ~0ul, h_high = 0;
        unsigned long long p_low = ~0ull, p_high = 0;
        double medians[WORKERS];
        for (unsigned w = 0; w < WORKERS; w++) {
            const window_line *l = &lines[w][i];
            sum.calls += l->calls;
            sum.bad += l->bad;
            h_low = l->handles < h_low ? l->handles : h_low;
            h_high = l->handles > h_high ? l->handles : h_high;
            p_low = l->private_bytes < p_low ? l->private_bytes : p_low;
            p_high = l->private_bytes > p_high ? l->private_bytes : p_high;
            sum.p95 = l->p95 > sum.p95 ? l->p95 : sum.p95;
            sum.worst = l->worst > sum.worst ? l->worst : sum.worst;
            medians[w] = l->median;
            /* Growth from the end of the first window (the warm-up) to this one. */
            if (i > 0 && (l->handles > lines[w][0].handles + HANDLE_GROWTH_MAX ||
                          l->private_bytes > lines[w][0].private_bytes + PRIVATE_GROWTH_MAX)) {
                status = 1;
                printf("        process %u grew since window 1: handles %lu -> %lu, private "
                       "%llu -> %llu KiB\n", w, lines[w][0].handles, l->handles,
                       lines[w][0].private_bytes / 1024, l->private_bytes / 1024);
            }
        }
        for (unsigned a = 1; a < WORKERS; a++) /* median of the processes' medians */
            for (unsigned b = a; b > 0 && medians[b - 1] > medians[b]; b--) {
                double t = medians[b];
                medians[b] = medians[b - 1];
                medians[b - 1] = t;
            }
        status |= sum.bad != 0;
        printf("%6u  %8.1f  %9lu  %3lu  %7lu..%-7lu  %9llu..%-9llu  %.1f / %.1f / %.1f\n", i + 1,
               (i + 1) * window / 60.0, sum.calls, sum.bad, h_low, h_high, p_low / 1024,
               p_high / 1024, (medians[WORKERS / 2 - 1] + medians[WORKERS / 2]) / 2, sum.p95,
               sum.worst);
    }
    printf("soak: %u holder processes started and exited underneath; %s\n", holders_started,
           status ? "DRIFT OR UNEXPECTED RESULTS" : "no growth beyond test_stress's tolerance, "
                                                     "no unexpected result");
    rmt_kill_all();
    rmt_remove_dir(temp_dir);
    return status;
}
