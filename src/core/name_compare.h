// SPDX-License-Identifier: LGPL-2.1-or-later
/* Case-insensitive equality of service and program names, exactly as the C runtime's
 * _wcsicmp(a, b) == 0 tells it in the "C" locale, which the DLL never changes: only the
 * ASCII letters A-Z and a-z are folded, every other unit compares as it is (msvcrt's and
 * ucrtbase's _towlower_l, and Wine's, map nothing else while LC_CTYPE is "C"). This is
 * narrower than rm_char_upcase() of path_norm.h (Latin-1, Greek, Cyrillic), which the
 * canonical paths use: "É" and "é" are different service names here, as they are to the
 * adapters that compare them with _wcsicmp. Plain C11, no Windows. */
#ifndef RM_CORE_NAME_COMPARE_H
#define RM_CORE_NAME_COMPARE_H

#include <stddef.h>

#include "rm_wchar.h"

/* The unit _wcsicmp compares for c in the C locale: A-Z as a-z, everything else as is. */
static inline rm_wchar rm_name_fold(rm_wchar c)
{
    return c >= 'A' && c <= 'Z' ? (rm_wchar)(c - 'A' + 'a') : c;
}

/* 1 if the NUL-terminated a and b are equal as _wcsicmp(a, b) == 0 says, else 0. */
static inline int rm_name_equal(const rm_wchar *a, const rm_wchar *b)
{
    size_t i = 0;
    while (a[i] && rm_name_fold(a[i]) == rm_name_fold(b[i]))
        i++;
    return rm_name_fold(a[i]) == rm_name_fold(b[i]);
}

/* rm_name_equal() of a[0..a_length) (no NUL needed) and the NUL-terminated b; a unit NUL
 * inside a[0..a_length) ends a there, as it would end a NUL-terminated copy. */
static inline int rm_name_equal_n(const rm_wchar *a, size_t a_length, const rm_wchar *b)
{
    size_t i = 0;
    while (i < a_length && a[i] && rm_name_fold(a[i]) == rm_name_fold(b[i]))
        i++;
    return (i == a_length || !a[i]) && !b[i];
}

/* rm_name_equal() of the NUL-terminated name and an ASCII literal. */
static inline int rm_name_equal_ascii(const rm_wchar *name, const char *ascii)
{
    size_t i = 0;
    while (ascii[i] && rm_name_fold(name[i]) == rm_name_fold((rm_wchar)(unsigned char)ascii[i]))
        i++;
    return !ascii[i] && !name[i];
}

#endif
