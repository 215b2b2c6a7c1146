// SPDX-License-Identifier: LGPL-2.1-or-later
/* Timing shared by the benchmarks: a millisecond clock and the median of a run's samples.
 * LGPL-2.1-or-later. */
#ifndef RM_BENCH_COMMON_H
#define RM_BENCH_COMMON_H

/* Milliseconds on the high-resolution clock. */
double bench_now_ms(void);

/* Sorts samples[0..count) in place and returns their median (for an even count, the mean
 * of the middle two). */
double bench_median(double *samples, int count);

#endif
