// SPDX-License-Identifier: LGPL-2.1-or-later
/* Comparisons that, when they fail, print the expression and both values (cmocka has
 * assert_int_equal and assert_in_range; assert_true(a < b) prints only "a < b"): for
 * counts, sizes, times and FILETIMEs. Each side is evaluated once and compared as a long
 * double, exact for every 64-bit integer (signed or not) and for milliseconds. */
#ifndef RMT_ASSERT_H
#define RMT_ASSERT_H

typedef enum rmt_comparison { RMT_LT, RMT_LE, RMT_GT, RMT_GE } rmt_comparison;

void rmt_assert_compare(rmt_comparison comparison, long double left, long double right,
                        const char *expression, const char *file, int line);

#define RMT_ASSERT_COMPARE_(comparison, a, op, b)                                           \
    rmt_assert_compare(comparison, (long double)(a), (long double)(b), #a " " #op " " #b,   \
                       __FILE__, __LINE__)
#define rmt_assert_lt(a, b) RMT_ASSERT_COMPARE_(RMT_LT, a, <, b)
#define rmt_assert_le(a, b) RMT_ASSERT_COMPARE_(RMT_LE, a, <=, b)
#define rmt_assert_gt(a, b) RMT_ASSERT_COMPARE_(RMT_GT, a, >, b)
#define rmt_assert_ge(a, b) RMT_ASSERT_COMPARE_(RMT_GE, a, >=, b)

#endif
