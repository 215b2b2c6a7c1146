// SPDX-License-Identifier: LGPL-2.1-or-later
/* RmShutdown against N accepting window applications that each take D ms to answer
 * WM_QUERYENDSESSION (rm_gui_app --query-delay-ms): closed one after another that is at
 * least N x D; closed concurrently, about D plus the fixed cost. Prints the median wall
 * time of RUNS rounds next to N x D, and the same with D = 0 (the fixed cost alone).
 *
 *   bench_shutdown.exe [N [D [RUNS]]]     (defaults 20 500 3) */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>
#include <restartmanager.h>
#include "bench_common.h"
#include "rm_test_support.h"

#define MAX_APPS 60
#define MAX_RUNS 15
#define KEY_CCH (CCH_RM_SESSION_KEY + 1)

/* One round: starts n apps, shuts them all down in one call; returns its wall time in
 * ms, or a negative value on failure. */
static double one_round(int n, DWORD delay_ms)
{
    rmt_process apps[MAX_APPS];
    RM_UNIQUE_PROCESS unique[MAX_APPS];
    wchar_t args[64];
    WCHAR key[KEY_CCH] = {0};
    DWORD handle;
    double took = -1.0;
    int started = 0;

    _snwprintf(args, 64, L"--query-delay-ms %lu", (unsigned long)delay_ms);
    for (; started < n; started++) {
        if (!rmt_spawn(L"rm_gui_app.exe", args, &apps[started]))
            break;
        unique[started] = apps[started].unique;
    }
    if (started == n && RmStartSession(&handle, 0, key) == ERROR_SUCCESS) {
        if (RmRegisterResources(handle, 0, NULL, (UINT)n, unique, 0, NULL) == ERROR_SUCCESS) {
            double start = bench_now_ms();
            DWORD error = RmShutdown(handle, 0, NULL);
            took = bench_now_ms() - start;
            if (error != ERROR_SUCCESS) {
                fprintf(stderr, "RmShutdown: %lu\n", (unsigned long)error);
                took = -1.0;
            }
        }
        RmEndSession(handle);
    }
    for (int i = 0; i < started; i++)
        if (!rmt_wait_exit(&apps[i], RMT_EXIT_TIMEOUT_MS)) {
            fprintf(stderr, "app %d still running after RmShutdown\n", i);
            took = -1.0;
        }
    rmt_kill_all();
    for (int i = 0; i < started; i++)
        rmt_close(&apps[i]);
    return took;
}

static int measure(int n, DWORD delay_ms, int runs, double *result)
{
    double samples[MAX_RUNS];
    for (int r = 0; r < runs; r++) {
        samples[r] = one_round(n, delay_ms);
        if (samples[r] < 0)
            return 0;
    }
    *result = bench_median(samples, runs);
    return 1;
}

int wmain(int argc, wchar_t **argv)
{
    int n = argc > 1 ? _wtoi(argv[1]) : 20;
    DWORD delay_ms = argc > 2 ? (DWORD)_wtoi(argv[2]) : 500;
    int runs = argc > 3 ? _wtoi(argv[3]) : 3;
    double with_delay, fixed;
    if (n < 1 || n > MAX_APPS || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: bench_shutdown [N (1-%d) [DELAY_MS [RUNS (1-%d)]]]\n", MAX_APPS,
                MAX_RUNS);
        return 2;
    }
    if (!measure(n, 0, runs, &fixed) || !measure(n, delay_ms, runs, &with_delay))
        return 1;
    printf("RmShutdown of %d accepting apps, median of %d runs:\n", n, runs);
    printf("  no delay:                     %8.0f ms\n", fixed);
    printf("  %4lu ms WM_QUERYENDSESSION each: %8.0f ms  (sum of delays %lu ms, "
           "one delay %lu ms)\n", (unsigned long)delay_ms, with_delay,
           (unsigned long)delay_ms * (unsigned long)n, (unsigned long)delay_ms);
    printf("  concurrency: %.1fx faster than one after another\n",
           (double)delay_ms * n / (with_delay > 1.0 ? with_delay : 1.0));
    return 0;
}
