// SPDX-License-Identifier: LGPL-2.1-or-later
/* The per-user session table in a named section, guarded by a named mutex: opening it,
 * locking it with a bounded wait (recovering an abandoned lock), and reclaiming slots of
 * primaries that died. */
#ifndef RM_WIN_SESSION_REGISTRY_H
#define RM_WIN_SESSION_REGISTRY_H

#include <windows.h>

#include "session_table.h"
#include "session/named_objects.h"

typedef struct rm_registry {
    rm_object_security security;
    HANDLE mutex;
    HANDLE section;
    rm_table *table;
} rm_registry;

DWORD rm_registry_open(rm_registry *registry);
void rm_registry_close(rm_registry *registry);

/* Waits at most the lock timeout (ERROR_SEM_TIMEOUT after it). On success the table
 * header is valid (a damaged one gives ERROR_WRITE_FAULT and the lock is not held). */
DWORD rm_registry_lock(rm_registry *registry);
void rm_registry_unlock(rm_registry *registry);

/* Frees slots whose primary is gone; call with the lock held. */
void rm_registry_reclaim(rm_registry *registry);

/* Whether the process pid, created at start (FILETIME as integer), still runs. */
BOOL rm_process_alive(DWORD pid, ULONGLONG start);

#endif
