/* A session as one process holds it: the primary's (which started it) or a secondary's
 * (which joined by key). Both write to the session's resource store; the primary also keeps
 * the private index its queries match against. */
#ifndef RM_WIN_SESSION_H
#define RM_WIN_SESSION_H

#include <windows.h>
#include <restartmanager.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "key.h"
#include "resource_index.h"
#include "session/session_registry.h"

struct rm_session {
    LONG references;
    BOOL is_primary;
    uint32_t serial;              /* identifies the session in the table */
    rm_registry registry;
    HANDLE store_section;         /* mapped only while a call needs it */
    DWORD store_bytes;            /* its reserved size */
    SRWLOCK call_lock;            /* one API call at a time on a handle */
    HANDLE cancel_event;          /* set by RmCancelCurrentTask, reset as a task starts */
    rm_resource_index *index;     /* primary only: what has been registered so far */
    uint32_t index_cursor;        /* store offset the index has consumed up to */
    struct rm_actions *actions; /* filters and the record of what RmShutdown stopped (win/actions.h) */
    RMX_EVIDENCE *evidence;       /* why the last successful RmGetList listed each process */
    UINT evidence_count;
};

DWORD rm_session_start(struct rm_session **session, rm_key *key);
DWORD rm_session_join(struct rm_session **session, const rm_key *key);

/* Ends the primary's session (its slot is freed) or leaves a joined one. Returns
 * ERROR_INVALID_HANDLE when the session had already ended under a secondary. */
DWORD rm_session_end(struct rm_session *session);

/* ERROR_SUCCESS while the session is alive; ERROR_INVALID_HANDLE once its primary ended it. */
DWORD rm_session_check_alive(struct rm_session *session);

typedef struct rm_registration {
    UINT file_count;
    LPCWSTR *files;
    UINT process_count;
    const RM_UNIQUE_PROCESS *processes;
    UINT service_count;
    LPCWSTR *services;
} rm_registration;

/* Appends everything or nothing to the session's store. */
DWORD rm_session_register(struct rm_session *session, const rm_registration *registration);

/* Brings the primary's index up to date with the store (what secondaries added too). */
DWORD rm_session_refresh_index(struct rm_session *session);

void rm_session_add_ref(struct rm_session *session);
void rm_session_release(struct rm_session *session);

#endif
