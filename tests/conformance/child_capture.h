/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a command line as a child process with its stdin empty and its stdout and
 * stderr in files (no pipe to drain while waiting), for tests that check what a
 * program prints (test_rmtool, test_trace). The child inherits the caller's
 * environment. */
#ifndef RM_CHILD_CAPTURE_H
#define RM_CHILD_CAPTURE_H

#include <windows.h>

/* Waits up to timeout_ms; FALSE if the child could not start or had to be killed
 * (why is printed). */
BOOL capture_run(const wchar_t *command_line, const wchar_t *out_path, const wchar_t *err_path,
                 DWORD timeout_ms, DWORD *exit_code);

#endif
