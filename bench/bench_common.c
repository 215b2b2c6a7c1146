// SPDX-License-Identifier: LGPL-2.1-or-later
/* Timing shared by the benchmarks. LGPL-2.1-or-later. */
#include "bench_common.h"

#include <stdlib.h>
#include <windows.h>

double bench_now_ms(void)
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

double bench_median(double *samples, int count)
{
    qsort(samples, (size_t)count, sizeof(*samples), by_value);
    return count % 2 ? samples[count / 2] : (samples[count / 2 - 1] + samples[count / 2]) / 2;
}
