// SPDX-License-Identifier: LGPL-2.1-or-later
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

/* What a run of a program beside the test printed. */
#define CAPTURE_OUTPUT_BYTES 32768
typedef struct capture_result {
    DWORD exit_code;
    char out[CAPTURE_OUTPUT_BYTES];
    char err[CAPTURE_OUTPUT_BYTES];
} capture_result;

/* Runs exe_name (a program beside the test) with args, its stdout and stderr in files of
 * dir, read back into result (NUL-terminated, cut to size) and printed. FALSE if it could
 * not start or did not end within timeout_ms. */
BOOL capture_program(const wchar_t *exe_name, const wchar_t *args, const wchar_t *dir,
                     DWORD timeout_ms, capture_result *result);

#endif
