// SPDX-License-Identifier: LGPL-2.1-or-later
/* Plumbing shared by the helper programs: the options every helper accepts, readiness,
 * the lifetime watchdog, logging and held files. */
#ifndef HELPER_COMMON_H
#define HELPER_COMMON_H

#include <windows.h>
#include <stdarg.h>

#include "rm_helper_protocol.h"

/* Options every helper understands. */
typedef struct helper_options {
    const wchar_t *ready_event; /* --ready-event NAME */
    const wchar_t *log_path;    /* --log FILE */
    DWORD lifetime_ms;          /* --lifetime-ms N */
} helper_options;

void helper_options_init(helper_options *options);

/* If argv[*index] is NAME, stores the following argument in *value, advances *index
 * past it and returns TRUE. A NAME without a value is a usage error: exits. */
BOOL helper_take_value(int argc, wchar_t **argv, int *index, const wchar_t *name,
                       const wchar_t **value);

/* Consumes argv[*index] (and its value) if it is one of the common options. */
BOOL helper_take_common(int argc, wchar_t **argv, int *index, helper_options *options);

/* Unknown or malformed option: reports it on stderr and exits with RMH_EXIT_USAGE. */
void helper_usage_exit(const wchar_t *program, const wchar_t *argument);

/* Reports what failed, with GetLastError(), on stderr and exits with RMH_EXIT_FAILURE. */
void helper_fail_exit(const char *what, const wchar_t *detail);

/* Parses a decimal DWORD or exits with RMH_EXIT_USAGE. */
DWORD helper_parse_dword(const wchar_t *program, const wchar_t *text);

/* Starts a thread that terminates the process with RMH_EXIT_LIFETIME after
 * lifetime_ms, even if the main thread is hung on purpose. */
void helper_start_lifetime(DWORD lifetime_ms);

/* What a helper does first once its options are read: starts the lifetime watchdog
 * (before anything can hang) and logs "START <command line>". */
void helper_begin(const helper_options *options);

/* Prints "READY <pid>" on stdout, then sets the named event (if a name is given). */
void helper_signal_ready(const wchar_t *ready_event);

/* Appends one UTF-8 line to log_path (no-op if NULL). The file is opened and closed
 * for every line so a reader (or a restarted instance) sees each line at once. */
void helper_log(const wchar_t *log_path, const char *format, ...);

/* Logs "START <full command line>". */
void helper_log_start(const wchar_t *log_path);

/* Opens (creating if needed) path and keeps the handle for the process' whole life. */
HANDLE helper_hold_file(const wchar_t *path, DWORD access, DWORD share);

/* --hold FILE of the window and console helpers: helper_hold_file for reading, sharing
 * read, write and delete, as an application that keeps a document open does. No-op if
 * path is NULL. */
void helper_hold_shared(const wchar_t *path);

#endif
