// SPDX-License-Identifier: LGPL-2.1-or-later
/* Memory that ends exactly where a PAGE_NOACCESS page begins, to prove the DLL reads or
 * writes no further than it may: one byte too far is an access violation, not a silent
 * overrun. Allocations live until guard_free_all. */
#ifndef RM_TEST_GUARD_PAGES_H
#define RM_TEST_GUARD_PAGES_H

#include <stddef.h>

/* bytes of read-write memory whose last byte is followed by a PAGE_NOACCESS page;
 * filled with fill. NULL if out of memory. */
void *guard_tail(size_t bytes, unsigned char fill);

/* The start of a PAGE_NOACCESS page: for arguments the DLL must not touch at all. */
void *guard_no_access(void);

void guard_free_all(void);

/* Whether address lies in one of the PAGE_NOACCESS pages handed out so far. */
int guard_contains(const void *address);

#endif
