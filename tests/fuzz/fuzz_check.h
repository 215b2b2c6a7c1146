// SPDX-License-Identifier: LGPL-2.1-or-later
/* The fuzz targets' assertion: a broken invariant aborts, which libFuzzer reports as a
 * crash with the input that caused it. */
#ifndef RM_FUZZ_CHECK_H
#define RM_FUZZ_CHECK_H

#include <stdlib.h>

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond))                                                                       \
            abort();                                                                       \
    } while (0)

#endif
