// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session/handle_table.h"

#include "session/session.h"

static SRWLOCK table_lock = SRWLOCK_INIT;
static struct rm_session **entries;
static DWORD entry_capacity;

BOOL rm_handles_insert(struct rm_session *session, DWORD *handle)
{
    BOOL inserted = FALSE;
    AcquireSRWLockExclusive(&table_lock);
    for (DWORD i = 0; i < RM_MAX_HANDLES_PER_PROCESS; i++) {
        if (i == entry_capacity) {
            DWORD capacity = entry_capacity ? entry_capacity * 2 : 16;
            SIZE_T bytes = capacity * sizeof(*entries);
            struct rm_session **grown =
                entries ? HeapReAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, entries, bytes)
                        : HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, bytes);
            if (!grown)
                break;
            entries = grown;
            entry_capacity = capacity;
        }
        if (!entries[i]) {
            entries[i] = session;
            *handle = i;
            inserted = TRUE;
            break;
        }
    }
    ReleaseSRWLockExclusive(&table_lock);
    return inserted;
}

struct rm_session *rm_handles_acquire(DWORD handle)
{
    struct rm_session *session = NULL;
    AcquireSRWLockShared(&table_lock);
    if (handle < entry_capacity && entries[handle]) {
        session = entries[handle];
        rm_session_add_ref(session);
    }
    ReleaseSRWLockShared(&table_lock);
    return session;
}

struct rm_session *rm_handles_remove(DWORD handle)
{
    struct rm_session *session = NULL;
    AcquireSRWLockExclusive(&table_lock);
    if (handle < entry_capacity) {
        session = entries[handle];
        entries[handle] = NULL;
    }
    ReleaseSRWLockExclusive(&table_lock);
    return session;
}
