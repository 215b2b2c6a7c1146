// SPDX-License-Identifier: LGPL-2.1-or-later
/* See rmt_assert.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "rmt_assert.h"

/* A value as an integer when it is one, else with three decimals. */
static void format_value(long double value, char *out, size_t size)
{
    if (value > -9.2e18L && value < 9.2e18L && value == (long double)(long long)value)
        snprintf(out, size, "%lld", (long long)value);
    else if (value >= 0 && value < 1.8e19L && value == (long double)(unsigned long long)value)
        snprintf(out, size, "%llu", (unsigned long long)value);
    else
        snprintf(out, size, "%.3f", (double)value);
}

void rmt_assert_compare(rmt_comparison comparison, long double left, long double right,
                        const char *expression, const char *file, int line)
{
    int holds = comparison == RMT_LT ? left < right
              : comparison == RMT_LE ? left <= right
              : comparison == RMT_GT ? left > right
              : left >= right;
    if (holds)
        return;
    char left_text[32], right_text[32];
    format_value(left, left_text, sizeof(left_text));
    format_value(right, right_text, sizeof(right_text));
    print_error("%s: %s vs %s\n", expression, left_text, right_text);
    _fail(file, line);
}
