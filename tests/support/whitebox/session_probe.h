// SPDX-License-Identifier: LGPL-2.1-or-later
/* White-box access for tests: the named objects a session lives in, so tests can check
 * what a store holds, scribble on the shared table, or abandon its lock. Mirrors the
 * naming of src/win/session/named_objects.c (Local\rstrtmgr.<user SID>.<what>). */
#ifndef RM_TEST_SESSION_PROBE_H
#define RM_TEST_SESSION_PROBE_H

#include <windows.h>

/* Local\rstrtmgr.<SID>.<what> for the current user. */
BOOL probe_object_name(const wchar_t *what, wchar_t *out, size_t cch);

/* Maps the session table read-write; NULL if no session exists. Unmap with UnmapViewOfFile. */
void *probe_map_table(HANDLE *section);

/* Distinct files, processes and services the store of the session with key holds;
 * FALSE if the session or its store cannot be found or read. */
BOOL probe_count_resources(const wchar_t *key, size_t *files, size_t *processes,
                           size_t *services);

/* Distinct files in that store, or (size_t)-1 if it cannot be read. */
size_t probe_count_files(const wchar_t *key);

#endif
