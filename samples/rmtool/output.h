// SPDX-License-Identifier: LGPL-2.1-or-later
/* Text output for rmtool: formatted wide text to stdout or stderr, as UTF-16 to a
 * console and as UTF-8 to files and pipes (so scripts get UTF-8 JSON). Unbuffered:
 * progress lines appear at once and interleave correctly with the other stream.
 * LGPL-2.1-or-later. */
#ifndef RMTOOL_OUTPUT_H
#define RMTOOL_OUTPUT_H

#include <stddef.h>
#include <wchar.h>

void out_printf(const wchar_t *format, ...);
void err_printf(const wchar_t *format, ...);

/* TRUE if stderr is a console (a progress line can then be redrawn with \r). */
int err_is_console(void);

/* Writes text as the body of a JSON string (no quotes): ", \ and control characters
 * escaped. */
void out_json_string(const wchar_t *text);

#endif
