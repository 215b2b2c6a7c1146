// SPDX-License-Identifier: LGPL-2.1-or-later
/* What a session's primary has asked of RmShutdown and RmRestart: its filters, whether
 * RmShutdown ran (RmRestart needs it), and one record per application or service that
 * RmShutdown dealt with: who it was, how to start it again and its RM_APP_STATUS.
 * Created on first need; owned by the session (freed with it). Only the API thread that
 * holds the session's call lock touches it: shutdown workers report back through their
 * own results, merged here once they have all finished. */
#ifndef RM_WIN_SESSION_RECORD_H
#define RM_WIN_SESSION_RECORD_H

#include <stdint.h>
#include <windows.h>
#include <restartmanager.h>

#include "filter_list.h"
#include "getlist/resolver.h"
#include "process/relaunch.h"

typedef enum rm_entry_kind {
    RM_ENTRY_APP,
    RM_ENTRY_SERVICE,
} rm_entry_kind;

typedef struct rm_record_entry {
    rm_entry_kind kind;
    DWORD pid;                 /* the process, the relaunched one after RmRestart */
    uint64_t start;            /* its FILETIME creation time */
    RM_APP_TYPE type;
    WCHAR service[CCH_RM_MAX_SVC_NAME + 1]; /* services: short name */
    rm_relaunch relaunch;      /* applications: how to start it again */
    BOOL restartable;          /* relaunch possible (apps), SCM start (services) */
    BOOL awaiting_restart;     /* stopped by RmShutdown, RmRestart has yet to act */
    DWORD status;              /* RM_APP_STATUS bits, combined (B-GETLIST-12) */
    BOOL listed;               /* info holds how RmGetList listed it */
    RM_PROCESS_INFO info;      /* reported, with status, once it is no longer running */
} rm_record_entry;

struct rm_session_record {
    rm_filter_list *filters;
    BOOL shutdown_called;      /* RmRestart before any RmShutdown is out of sequence */
    rm_record_entry *entries;  /* in the order things were stopped */
    size_t count, capacity;
};

/* An empty record (no filters, nothing stopped); NULL when out of memory. The session
 * creates it on first need (session/session.h). */
struct rm_session_record *rm_session_record_new(void);
void rm_session_record_free(struct rm_session_record *session_record);

/* The record of an application (pid + start) or a service (name, any case), or NULL. */
rm_record_entry *rm_record_find_app(struct rm_session_record *session_record, DWORD pid, uint64_t start);
rm_record_entry *rm_record_find_service(struct rm_session_record *session_record, const WCHAR *name);

/* Finds the record or appends a zeroed one of that identity. Pointers into the entries
 * stay valid until the next call that may append. NULL when out of memory. */
/* Room for `more` new entries, so that recording them cannot fail later (RmShutdown
 * reserves before it ends anything: an application ended unrecorded could not be
 * restarted). FALSE when out of memory. */
BOOL rm_record_reserve(struct rm_session_record *session_record, size_t more);

rm_record_entry *rm_record_add_app(struct rm_session_record *session_record, DWORD pid, uint64_t start);
rm_record_entry *rm_record_add_service(struct rm_session_record *session_record, const WCHAR *name);

/* Keeps how the process was listed, for reporting it after it stopped. */
void rm_record_remember(rm_record_entry *record, const RM_PROCESS_INFO *info);

/* Status after a stop (how: RmStatusStopped or RmStatusStoppedOther): no longer running,
 * no earlier error; the filter marks stay. */
void rm_record_mark_stopped(rm_record_entry *record, DWORD how);

/* What RmShutdown/RmRestart did, on a fresh RmGetList answer (B-GETLIST-11): each listed
 * process that has a record gets the record's AppStatus (with RmStatusRunning, as it
 * runs), and every record of an application or service no longer listed — stopped, or
 * relaunched under another identity — is added with its status. session_record may be NULL.
 * ERROR_OUTOFMEMORY if the list cannot grow (it is then left as it was). */
DWORD rm_record_report(const struct rm_session_record *session_record, rm_affected_list *list);

#endif
