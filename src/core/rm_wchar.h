// SPDX-License-Identifier: LGPL-2.1-or-later
/* UTF-16 code units for the portable core.
 *
 * The core is plain C11 and never includes Windows headers, so it cannot use WCHAR.
 * rm_wchar is one UTF-16 code unit; Windows' WCHAR is also a 16-bit unsigned type, so the
 * Win32 adapters pass their strings with a cast.  Strings handled by the core carry an
 * explicit length and are not required to be NUL-terminated unless stated. */
#ifndef RM_WCHAR_H
#define RM_WCHAR_H

#include <stddef.h>
#include <stdint.h>

typedef uint16_t rm_wchar;

_Static_assert(sizeof(rm_wchar) == 2, "rm_wchar must be one UTF-16 code unit");

/* Length of s, stopping at the first NUL or after max units (reads at most max units). */
static inline size_t rm_wcsnlen(const rm_wchar *s, size_t max)
{
    size_t n = 0;
    if (!s)
        return 0;
    while (n < max && s[n])
        n++;
    return n;
}

/* 1 if a[0..n) and b[0..n) hold the same units, else 0. */
static inline int rm_wmemeq(const rm_wchar *a, const rm_wchar *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

#endif /* RM_WCHAR_H */
