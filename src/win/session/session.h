// SPDX-License-Identifier: LGPL-2.1-or-later
/* A session as one process holds it: the primary's (which started it) or a secondary's
 * (which joined by key). Both write to the session's resource store; the primary also keeps
 * the private index its queries match against. */
#ifndef RM_WIN_SESSION_H
#define RM_WIN_SESSION_H

#include <windows.h>
#include <restartmanager.h>

#include "rstrtmgr/rstrtmgr_ext.h"
#include "key.h"
#include "getlist/resolver.h"
#include "session/registration.h"

/* Private to session.c: other files hold a pointer and call the functions below. */
struct rm_session;
struct rm_session_record;

DWORD rm_session_start(struct rm_session **session, rm_key *key);
DWORD rm_session_join(struct rm_session **session, const rm_key *key);

/* Appends everything or nothing to the session's store. */
DWORD rm_session_register(struct rm_session *session, const rm_registration *registration);

/* Another reference, for the handle table (released as the handle is removed). */
void rm_session_add_ref(struct rm_session *session);

/* ---- The call boundary: every export but RmStartSession and RmJoinSession enters the
 * session behind its handle, does its work, and leaves. At most one call runs on a
 * session at a time (RmCancelCurrentTask excepted: it is how a running call is stopped). */

/* Stores a started or joined session in this process's handle table and returns its
 * handle; ERROR_OUTOFMEMORY (the session ended and released) when the table is full. */
DWORD rm_session_add_handle(struct rm_session *session, DWORD *handle);

/* The session behind handle, its call lock held until rm_session_leave; NULL for an
 * unknown handle. */
struct rm_session *rm_session_enter(DWORD handle);

/* The same for the calls only a primary may make: ERROR_INVALID_HANDLE (unknown handle or
 * ended session) before ERROR_SESSION_CREDENTIAL_CONFLICT (a joined one), as Windows. */
DWORD rm_session_enter_primary(DWORD handle, struct rm_session **session);

void rm_session_leave(struct rm_session *session);

/* RmEndSession: removes the handle, waits for a call in progress on it, ends the session. */
DWORD rm_session_end_handle(DWORD handle);

/* RmCancelCurrentTask: sets the cancel event of the task running on the handle, without
 * entering (the task holds the call lock). */
DWORD rm_session_cancel_task(DWORD handle);

/* ---- Inside a call (entered) ---- */

/* Starts a cancellable task: clears an earlier cancellation and returns the event
 * RmCancelCurrentTask sets. */
HANDLE rm_session_begin_task(struct rm_session *session);

/* What the registered resources resolve to now, for RmGetList and RmShutdown alike: the
 * index brought up to date with the store (what secondaries added too), then the
 * processes using them. ERROR_ACCESS_DENIED when a directory was registered (files only,
 * B-REG-5). Primary only. */
DWORD rm_session_resolve(struct rm_session *session, rm_affected_list *list);

/* RmGetList's answer: rm_session_resolve, with what RmShutdown and RmRestart did laid
 * over it (B-GETLIST-11), kept as the evidence RmxGetEvidence reports. */
DWORD rm_session_list_affected(struct rm_session *session, rm_affected_list *list);

/* The evidence of the last RmGetList answer (count entries), owned by the session. */
const RMX_EVIDENCE *rm_session_evidence(const struct rm_session *session, UINT *count);

/* The session's record (filters, what RmShutdown did): created on first need, NULL when
 * out of memory. rm_session_record_if_any does not create it. */
struct rm_session_record *rm_session_record(struct rm_session *session);
struct rm_session_record *rm_session_record_if_any(struct rm_session *session);

#endif
