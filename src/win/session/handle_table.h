// SPDX-License-Identifier: LGPL-2.1-or-later
/* The per-process table of session handles: the DWORD values callers hold map to
 * reference-counted sessions. It is the DLL's process-wide state, with two exceptions
 * that cannot take a context (docs/architecture.md, "State"): the console-closing lock
 * and Ctrl+C count (shutdown/console_close.c: a process has one console and one list of
 * control handlers) and the trace channel's configuration (base/trace.c, read once per
 * process, as Wine's debug channels are). */
#ifndef RM_WIN_HANDLE_TABLE_H
#define RM_WIN_HANDLE_TABLE_H

#include <windows.h>

struct rm_session;

/* Enough for any installer; joined handles count too. */
#define RM_MAX_HANDLES_PER_PROCESS 4096

/* Stores session (taking over the caller's reference) and returns its handle, the lowest
 * free value (0 first, as Windows hands out); FALSE when the table is full. */
BOOL rm_handles_insert(struct rm_session *session, DWORD *handle);

/* A new reference to the session behind handle, or NULL for an unknown handle. */
struct rm_session *rm_handles_acquire(DWORD handle);

/* Unmaps handle and returns its session (with the table's reference), or NULL. */
struct rm_session *rm_handles_remove(DWORD handle);

#endif
