// SPDX-License-Identifier: LGPL-2.1-or-later
/* Runs one row of the bad-input table in this process: builds its fixture, makes the
 * call, checks the result, the outputs and the shared state, and ends the fixture. */
#ifndef RM_TEST_BAD_INPUT_RUN_H
#define RM_TEST_BAD_INPUT_RUN_H

#include "bad_input.h"

/* Another process's live session, for BH_FOREIGN (none in a child process). */
typedef struct bi_foreign {
    BOOL present;
    DWORD handle;
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    size_t files;               /* what its store holds */
} bi_foreign;

extern bi_foreign bi_other_process;

void bi_run_case(const bi_case *c);

/* Fails the test unless the other process's session still holds all its files. */
void bi_check_foreign_intact(void);

/* Files in the store of the session with key (fails the test if it cannot be read). */
size_t bi_store_files(const WCHAR *key);

/* Kills the file holder FX_HELD started and removes its directory. */
void bi_run_cleanup(void);

#endif
