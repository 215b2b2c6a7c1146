// SPDX-License-Identifier: LGPL-2.1-or-later
/* Cost of RmRegisterResources per file: 10,000 files in one call, and 100,000 files in
 * one call and in 100 calls of 1,000 (Inno Setup's batch size). Paths are realistic
 * (~90 characters, distinct directories). Prints medians of several runs. */
#include <windows.h>
#include <restartmanager.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench_common.h"

#define RUNS 5
#define PATH_CCH 160

static LPCWSTR *make_paths(unsigned count)
{
    LPCWSTR *paths = malloc(count * sizeof(*paths));
    WCHAR *storage = malloc((size_t)count * PATH_CCH * sizeof(WCHAR));
    for (unsigned i = 0; i < count; i++) {
        WCHAR *path = storage + (size_t)i * PATH_CCH;
        _snwprintf(path, PATH_CCH,
                   L"C:\\Program Files\\Contoso\\Product 2026\\modules\\component-%04u\\lib\\module%06u.dll",
                   i / 100, i);
        paths[i] = path;
    }
    return paths;
}

/* Milliseconds to register count files in calls of batch, in a fresh session. */
static double time_registration(LPCWSTR *paths, unsigned count, unsigned batch)
{
    DWORD handle;
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    if (RmStartSession(&handle, 0, key) != ERROR_SUCCESS)
        return -1;
    double start = bench_now_ms();
    for (unsigned done = 0; done < count; done += batch) {
        unsigned n = count - done < batch ? count - done : batch;
        if (RmRegisterResources(handle, n, paths + done, 0, NULL, 0, NULL) != ERROR_SUCCESS) {
            RmEndSession(handle);
            return -1;
        }
    }
    double elapsed = bench_now_ms() - start;
    RmEndSession(handle);
    return elapsed;
}

static void report(const char *label, LPCWSTR *paths, unsigned count, unsigned batch)
{
    double samples[RUNS];
    for (int run = 0; run < RUNS; run++)
        samples[run] = time_registration(paths, count, batch);
    double median = bench_median(samples, RUNS);
    printf("%-34s %8u files  median %9.2f ms  %7.3f us/file\n", label, count, median,
           median * 1000.0 / count);
}

int main(void)
{
    LPCWSTR *paths = make_paths(100000);
    printf("RmRegisterResources, median of %d runs\n", RUNS);
    report("10,000 in one call", paths, 10000, 10000);
    report("100,000 in one call", paths, 100000, 100000);
    report("100,000 in 100 calls of 1,000", paths, 100000, 1000);
    return 0;
}
