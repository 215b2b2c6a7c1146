// SPDX-License-Identifier: LGPL-2.1-or-later
/* Turns the bad-input table's symbols (bad_input.h) into real arguments: strings, keys,
 * arrays and pointers, some of them ending at a PAGE_NOACCESS page. Everything returned
 * lives until bi_args_free. */
#ifndef RM_TEST_BAD_INPUT_ARGS_H
#define RM_TEST_BAD_INPUT_ARGS_H

#include "bad_input.h"

/* The text; entry makes names of one array distinct. NULL for BT_NULL. */
const WCHAR *bi_text_make(bi_text text, unsigned entry);

/* A fresh full path of a file that does not exist (distinct at every call). */
const WCHAR *bi_fresh_file(void);

LPCWSTR *bi_strings_make(bi_array kind, UINT count, bi_text text);
RM_UNIQUE_PROCESS *bi_processes_make(bi_array kind, UINT count, bi_process process);
RM_UNIQUE_PROCESS bi_process_value(bi_process process);

/* The key text for RmJoinSession from the fixture's keys. */
const WCHAR *bi_key_make(bi_key key, const WCHAR *session, const WCHAR *ended,
                         const WCHAR *orphaned);

/* bytes of memory for a pointer argument, filled with fill: `valid` itself (already
 * filled by the caller) for BP_VALID, NULL, a copy ending at a PAGE_NOACCESS page, or a
 * PAGE_NOACCESS address. */
void *bi_pointer_make(bi_pointer kind, void *valid, size_t bytes, unsigned char fill);

/* Whether a pointer may be read after the call (not NULL, not PAGE_NOACCESS). */
int bi_pointer_readable(bi_pointer kind);

/* The creation time of this process as GetProcessTimes gives it. */
FILETIME bi_own_start_time(void);

void bi_args_free(void);

#endif
