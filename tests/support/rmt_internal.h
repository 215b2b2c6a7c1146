// SPDX-License-Identifier: LGPL-2.1-or-later
/* Shared between the rm_test_support sources; not for tests. */
#ifndef RMT_INTERNAL_H
#define RMT_INTERNAL_H

#include "rm_test_support.h"

/* Prints "rm_test_support: <what> (<detail>): error <GetLastError()>" on stderr. */
void rmt_report(const char *what, const wchar_t *detail);

/* After a failed CreateProcess: under load Wine sometimes fails to set up a new process
 * or console with ERROR_INTERNAL_ERROR (1359), the host's hiccup and not the behaviour
 * under test. TRUE (after a short pause) when attempt, counted from 0, may be retried. */
BOOL rmt_retry_create_hiccup(int attempt);

/* prefix_<pid>_<counter>_<tick>: unique across the processes of a Wine prefix. */
BOOL rmt_unique_name(const wchar_t *prefix, wchar_t *out, size_t cch);

/* Puts process in the kill-on-close job (warns, does not fail, if it cannot). */
void rmt_adopt(HANDLE process);

#endif
