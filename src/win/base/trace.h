/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DLL's trace channel, "rstrtmgr" (README "Tracing").
 *
 * Under Wine the lines go through ntdll's debug output (__wine_dbg_header /
 * __wine_dbg_output, found with GetProcAddress, never linked), so WINEDEBUG=+rstrtmgr,
 * warn+rstrtmgr and -rstrtmgr work as for Wine's own DLLs and the lines look like theirs
 * ("trace:rstrtmgr:RmGetList ..."). Where ntdll lacks them (Windows) the lines go to
 * OutputDebugStringW. RSTRTMGR_TRACE=FILE turns every class on and appends the lines,
 * prefixed "PID:TID:", to FILE as well, on both.
 *
 * Cost when off: RM_TRACE(...) is one byte load and test; its arguments are not
 * evaluated. A trace point never fails the call, never changes GetLastError, never
 * allocates, and bounds everything it formats (a line is at most RM_TRACE_LINE_MAX
 * bytes; rm_trace_wstr reads at most max_units of the caller's string).
 *
 * Adding a trace point: include "trace.h" (src/win is on the include path) and write
 *     RM_TRACE("%zu handles named in %lu us", count, rm_trace_elapsed_us(started));
 * without a trailing newline; the function's name is prefixed as Wine does. Guard a
 * block of lines (a loop over evidence, say) with `if (rm_trace_on())`; show a path with
 * rm_trace_wstr(path, length) and helper values with rm_trace_sprintf. A helper that
 * traces for its caller takes the caller's __func__ and uses RM_TRACE_AS. */
#ifndef RM_WIN_TRACE_H
#define RM_WIN_TRACE_H

#include <stddef.h>
#include <windows.h>

/* Wine's classes, with Wine's bit numbers (include/wine/debug.h). */
typedef enum rm_trace_class {
    RM_TRACE_CLASS_FIXME = 0,
    RM_TRACE_CLASS_ERR = 1,
    RM_TRACE_CLASS_WARN = 2,
    RM_TRACE_CLASS_TRACE = 3,
} rm_trace_class;

/* A formatted line's longest length, newline included: Wine's per-thread output buffer
 * (1020 bytes) must also hold its own prefix, and raises an exception on overflow. */
#define RM_TRACE_LINE_MAX 768

/* One bit per enabled class; bit 7 while the configuration has not been read yet. Only
 * the macros below read it. */
extern volatile unsigned char rm_trace_classes;
#define RM_TRACE_UNREAD_ 0x80u

/* Reads the configuration once (thread-safe) and answers for cls. */
BOOL rm_trace_enabled_after_read(rm_trace_class cls);

/* Is class cls on? After the first call: one load and one test. */
static inline BOOL rm_trace_enabled(rm_trace_class cls)
{
    unsigned char classes = rm_trace_classes;
    if (!(classes & ((1u << cls) | RM_TRACE_UNREAD_)))
        return FALSE;
    return (classes & RM_TRACE_UNREAD_) ? rm_trace_enabled_after_read(cls) : TRUE;
}

static inline BOOL rm_trace_on(void)
{
    return rm_trace_enabled(RM_TRACE_CLASS_TRACE);
}

/* Writes one line of class cls for function; format is printf's (C99: %zu, %llu). */
void rm_trace_log(rm_trace_class cls, const char *function, const char *format, ...)
    __attribute__((format(gnu_printf, 3, 4)));

#define RM_TRACE_AT_(cls, ...)                                 \
    do {                                                       \
        if (rm_trace_enabled(cls))                             \
            rm_trace_log((cls), __func__, __VA_ARGS__);        \
    } while (0)

#define RM_TRACE(...) RM_TRACE_AT_(RM_TRACE_CLASS_TRACE, __VA_ARGS__)
/* RM_TRACE in the name of function (a helper tracing for its caller). */
#define RM_TRACE_AS(function, ...)                                             \
    do {                                                                       \
        if (rm_trace_on())                                                     \
            rm_trace_log(RM_TRACE_CLASS_TRACE, (function), __VA_ARGS__);       \
    } while (0)
#define RM_WARN(...) RM_TRACE_AT_(RM_TRACE_CLASS_WARN, __VA_ARGS__)
#define RM_ERR(...) RM_TRACE_AT_(RM_TRACE_CLASS_ERR, __VA_ARGS__)

/* Longest text a formatting helper returns, its NUL included. */
#define RM_TRACE_TEXT_MAX 512

/* text as Wine's debugstr_w shows it: L"C:\\dir\\file", non-ASCII as \xxxx, NULL as
 * (null). Reads at most max_units units and stops at a NUL, so an unterminated string
 * is safe if it has max_units readable units; a longer one ends in `"...`. The result
 * is valid until 16 more helper calls (any thread); only for trace arguments. */
const char *rm_trace_wstr(const WCHAR *text, size_t max_units);

/* printf into a helper buffer (same lifetime as rm_trace_wstr's). */
const char *rm_trace_sprintf(const char *format, ...) __attribute__((format(gnu_printf, 1, 2)));

/* A time stamp for rm_trace_elapsed_us; 0 (and no clock read) when tracing is off. */
ULONGLONG rm_trace_clock(void);

/* Microseconds since started (a rm_trace_clock value). */
unsigned long rm_trace_elapsed_us(ULONGLONG started);

#endif
