/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The set of file-name lengths that can name a registered file, so that a module whose
 * base name has another length need not be read at all (module_scan.h), and the 8.3 rule
 * that keeps this exact: a file whose name is not already an 8.3 name may also be reached
 * through its short alias, whose length then belongs to the set too. Plain C. */
#ifndef RM_NAME_LENGTHS_H
#define RM_NAME_LENGTHS_H

#include <stddef.h>
#include <stdint.h>

#include "rm_wchar.h"

/* Lengths 1..RM_NAME_LENGTHS_MAX are tracked; longer names are always let through. */
#define RM_NAME_LENGTHS_MAX 255u
/* The longest 8.3 name: 8 + '.' + 3. */
#define RM_SHORT_NAME_MAX 12u

typedef struct rm_name_lengths {
    uint64_t bits[4];
    int all;             /* nothing is known: every length may match */
} rm_name_lengths;

static inline void rm_name_lengths_add(rm_name_lengths *set, size_t length)
{
    if (length <= RM_NAME_LENGTHS_MAX)
        set->bits[length / 64] |= (uint64_t)1 << (length % 64);
}

/* Every length an 8.3 alias may have. */
static inline void rm_name_lengths_add_short_forms(rm_name_lengths *set)
{
    for (size_t length = 1; length <= RM_SHORT_NAME_MAX; length++)
        rm_name_lengths_add(set, length);
}

static inline int rm_name_lengths_may_match(const rm_name_lengths *set, size_t length)
{
    return set->all || length > RM_NAME_LENGTHS_MAX ||
           (set->bits[length / 64] >> (length % 64) & 1);
}

/* 1 if name[0..length) is already an 8.3 name, which the file system gives no other short
 * alias: at most 8 characters, optionally a dot and at most 3 more, all of them letters,
 * digits or one of _ - $ ! # % & ' ( ) @ ^ ` { } ~ (case does not matter). */
static inline int rm_is_short_name_form(const rm_wchar *name, size_t length)
{
    size_t stem = 0, extension = 0;
    int dotted = 0;
    if (length == 0 || length > RM_SHORT_NAME_MAX)
        return 0;
    for (size_t i = 0; i < length; i++) {
        rm_wchar c = name[i];
        if (c == '.') {
            if (dotted || i == 0)
                return 0;
            dotted = 1;
            continue;
        }
        int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        for (const char *extra = "_-$!#%&'()@^`{}~"; !plain && *extra; extra++)
            plain = c == (rm_wchar)*extra;
        if (!plain)
            return 0;
        if (dotted ? ++extension > 3 : ++stem > 8)
            return 0;
    }
    return !dotted || extension > 0;
}

#endif /* RM_NAME_LENGTHS_H */
