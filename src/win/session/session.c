// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session/session.h"

#include <bcrypt.h>
#include <stdio.h>
#include <stdlib.h>

#include "resource_index.h"
#include "resource_store.h"
#include "base/filetime.h"
#include "base/trace.h"
#include "session/handle_table.h"
#include "session/registration.h"
#include "session/session_record.h"
#include "session/session_registry.h"

/* Address space reserved for a session's store; pages are committed only as resources
 * arrive, so memory follows what is registered (64 MiB holds ~250,000 typical paths). */
#define STORE_RESERVED_BYTES (64u << 20)

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
    struct rm_session_record *record; /* filters, what RmShutdown did (session_record.h) */
    RMX_EVIDENCE *evidence;       /* why the last successful RmGetList listed each process */
    UINT evidence_count;
};

static ULONGLONG own_start_time(void)
{
    uint64_t created = 0;
    rm_process_created(GetCurrentProcess(), &created);
    return created;
}

static void store_name(const rm_registry *registry, uint32_t serial, WCHAR name[RM_OBJECT_NAME_CCH])
{
    WCHAR what[32];
    _snwprintf(what, ARRAYSIZE(what), L"store.%u", serial);
    what[ARRAYSIZE(what) - 1] = 0;
    rm_object_name(&registry->security, what, name);
}

/* A process maps only the part of a store a call needs, for as long as the call runs: a
 * 32-bit process may hold many sessions, and a session's reservation is large. */
typedef struct store_view {
    BYTE *base;
    DWORD bytes;
} store_view;

/* Maps the first `bytes` of the store and commits the header and [commit_from, bytes):
 * a SEC_RESERVE section hands out memory only for committed pages, and a call touches
 * only the header and the records it appends or reads (committing twice is harmless). */
static DWORD view_open(struct rm_session *session, DWORD bytes, DWORD commit_from,
                       store_view *view)
{
    view->bytes = bytes;
    view->base = NULL;
    if (bytes > session->store_bytes || commit_from > bytes)
        return ERROR_OUTOFMEMORY;
    view->base = MapViewOfFile(session->store_section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, bytes);
    if (!view->base)
        return ERROR_OUTOFMEMORY;
    if (!VirtualAlloc(view->base, sizeof(rm_store_header), MEM_COMMIT, PAGE_READWRITE) ||
        (commit_from < bytes &&
         !VirtualAlloc(view->base + commit_from, bytes - commit_from, MEM_COMMIT, PAGE_READWRITE))) {
        UnmapViewOfFile(view->base);
        view->base = NULL;
        return ERROR_OUTOFMEMORY;
    }
    return ERROR_SUCCESS;
}

static void view_close(store_view *view)
{
    if (view->base)
        UnmapViewOfFile(view->base);
    view->base = NULL;
}

static struct rm_session *session_alloc(void)
{
    struct rm_session *session = calloc(1, sizeof(*session));
    if (!session)
        return NULL;
    session->references = 1;
    InitializeSRWLock(&session->call_lock);
    session->cancel_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!session->cancel_event) {
        free(session);
        return NULL;
    }
    return session;
}

static void session_free(struct rm_session *session)
{
    if (session->store_section)
        CloseHandle(session->store_section);
    rm_registry_close(&session->registry);
    rm_index_destroy(session->index);
    rm_session_record_free(session->record);
    free(session->evidence);
    CloseHandle(session->cancel_event);
    free(session);
}

void rm_session_add_ref(struct rm_session *session)
{
    InterlockedIncrement(&session->references);
}

static void session_release(struct rm_session *session)
{
    if (session && InterlockedDecrement(&session->references) == 0)
        session_free(session);
}

static DWORD create_store(struct rm_session *session)
{
    WCHAR name[RM_OBJECT_NAME_CCH];
    DWORD error;

    store_name(&session->registry, session->serial, name);
    session->store_bytes = STORE_RESERVED_BYTES;
    session->store_section = CreateFileMappingW(INVALID_HANDLE_VALUE,
                                                &session->registry.security.attributes,
                                                PAGE_READWRITE | SEC_RESERVE, 0,
                                                session->store_bytes, name);
    if (!session->store_section)
        return GetLastError();
    if (GetLastError() == ERROR_ALREADY_EXISTS)
        return ERROR_WRITE_FAULT; /* a leftover or planted object: not ours to trust */
    store_view view;
    error = view_open(session, sizeof(rm_store_header), sizeof(rm_store_header), &view);
    if (error == ERROR_SUCCESS)
        rm_store_format(view.base, session->store_bytes, session->serial);
    view_close(&view);
    return error;
}

static DWORD random_key(rm_key *key)
{
    uint8_t bytes[RM_KEY_BYTES];
    if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, bytes, sizeof(bytes),
                                        BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
        return ERROR_OUTOFMEMORY;
    rm_key_from_bytes(bytes, key);
    SecureZeroMemory(bytes, sizeof(bytes));
    return ERROR_SUCCESS;
}

/* A new session object with the session table open and locked. */
static DWORD session_open_locked(BOOL is_primary, struct rm_session **out)
{
    struct rm_session *session = session_alloc();
    DWORD error = ERROR_OUTOFMEMORY;

    if (!session)
        return error;
    session->is_primary = is_primary;
    if (is_primary && !(session->index = rm_index_create()))
        goto failed;
    error = rm_registry_open(&session->registry);
    if (error == ERROR_SUCCESS)
        error = rm_registry_lock(&session->registry);
    if (error != ERROR_SUCCESS)
        goto failed;
    *out = session;
    return ERROR_SUCCESS;

failed:
    session_free(session);
    return error;
}

/* Unlocks the table and hands the session out, or frees it if the start or join failed. */
static DWORD session_finish(struct rm_session *session, DWORD error, struct rm_session **out)
{
    rm_registry_unlock(&session->registry);
    if (error != ERROR_SUCCESS) {
        session_free(session);
        return error;
    }
    *out = session;
    return ERROR_SUCCESS;
}

DWORD rm_session_start(struct rm_session **out, rm_key *key)
{
    struct rm_session *session;
    DWORD error = random_key(key);
    int slot;

    if (error == ERROR_SUCCESS)
        error = session_open_locked(TRUE, &session);
    if (error != ERROR_SUCCESS)
        return error;
    rm_registry_reclaim(&session->registry);
    slot = rm_table_claim(session->registry.table, key, GetCurrentProcessId(), own_start_time(),
                          STORE_RESERVED_BYTES);
    if (slot < 0) {
        error = ERROR_MAX_SESSIONS_REACHED;
    } else {
        session->serial = session->registry.table->slots[slot].serial;
        error = create_store(session);
        if (error != ERROR_SUCCESS)
            rm_table_release(session->registry.table, slot);
    }
    return session_finish(session, error, out);
}

static DWORD open_store(struct rm_session *session, DWORD store_bytes)
{
    WCHAR name[RM_OBJECT_NAME_CCH];
    DWORD error;

    store_name(&session->registry, session->serial, name);
    session->store_bytes = store_bytes;
    session->store_section = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
    if (!session->store_section)
        return ERROR_SESSION_CREDENTIAL_CONFLICT;
    store_view view;
    error = view_open(session, sizeof(rm_store_header), sizeof(rm_store_header), &view);
    if (error == ERROR_SUCCESS && !rm_store_valid(view.base, view.bytes, session->serial))
        error = ERROR_WRITE_FAULT;
    view_close(&view);
    return error;
}

DWORD rm_session_join(struct rm_session **out, const rm_key *key)
{
    struct rm_session *session;
    DWORD error = session_open_locked(FALSE, &session);
    int slot;

    if (error != ERROR_SUCCESS)
        return error;
    slot = rm_table_find_key(session->registry.table, key);
    if (slot >= 0) {
        const rm_slot *found = &session->registry.table->slots[slot];
        if (!rm_process_alive(found->owner_pid, rm_slot_owner_start(found))) {
            /* The primary died: its session is over, for the 64-session count too. */
            rm_table_release(session->registry.table, slot);
            slot = -1;
        }
    }
    if (slot < 0) {
        error = ERROR_SESSION_CREDENTIAL_CONFLICT;
    } else {
        session->serial = session->registry.table->slots[slot].serial;
        error = open_store(session, session->registry.table->slots[slot].store_bytes);
    }
    return session_finish(session, error, out);
}

/* With the registry locked: the session's slot, or -1 once the session has ended. */
static int live_slot(struct rm_session *session)
{
    return rm_table_find_serial(session->registry.table, session->serial);
}

/* ERROR_SUCCESS while the session is alive; ERROR_INVALID_HANDLE once its primary ended it. */
static DWORD session_check_alive(struct rm_session *session)
{
    DWORD error = rm_registry_lock(&session->registry);
    if (error != ERROR_SUCCESS)
        return error;
    error = live_slot(session) >= 0 ? ERROR_SUCCESS : ERROR_INVALID_HANDLE;
    rm_registry_unlock(&session->registry);
    return error;
}

/* Ends the primary's session (its slot is freed) or leaves a joined one. Returns
 * ERROR_INVALID_HANDLE when the session had already ended under a secondary. */
static DWORD session_end(struct rm_session *session)
{
    DWORD error = rm_registry_lock(&session->registry);
    if (error != ERROR_SUCCESS)
        return error;
    int slot = live_slot(session);
    if (session->is_primary) {
        if (slot >= 0)
            rm_table_release(session->registry.table, slot);
    } else if (slot < 0) {
        error = ERROR_INVALID_HANDLE;
    }
    rm_registry_unlock(&session->registry);
    return error;
}

/* With the registry locked: appends every prepared record, or none. */
static DWORD append_records(struct rm_session *session, const rm_prepared_resources *prepared)
{
    store_view view;
    DWORD error = view_open(session, sizeof(rm_store_header), sizeof(rm_store_header), &view);
    DWORD start = 0, end = 0;
    if (error != ERROR_SUCCESS)
        return error;
    if (!rm_store_valid(view.base, view.bytes, session->serial))
        error = ERROR_WRITE_FAULT;
    else if (rm_store_free_bytes(view.base, view.bytes) < prepared->store_bytes)
        error = ERROR_OUTOFMEMORY;
    else {
        start = rm_store_end_offset(view.base, view.bytes);
        end = start + prepared->store_bytes;
    }
    view_close(&view);
    if (error == ERROR_SUCCESS)
        error = view_open(session, end, start, &view);
    if (error != ERROR_SUCCESS)
        return error;
    for (size_t i = 0; i < prepared->record_count; i++) {
        const rm_prepared_record *record = &prepared->records[i];
        if (!rm_store_append(view.base, view.bytes, record->kind, record->payload, record->size)) {
            error = ERROR_WRITE_FAULT; /* changed under us by another writer */
            break;
        }
    }
    view_close(&view);
    return error;
}

DWORD rm_session_register(struct rm_session *session, const rm_registration *registration)
{
    rm_prepared_resources prepared;
    DWORD error = rm_registration_prepare(registration, &prepared);
    if (error != ERROR_SUCCESS)
        return error;
    if (prepared.record_count == 0) {
        rm_registration_prepared_free(&prepared);
        return session_check_alive(session);
    }
    error = rm_registry_lock(&session->registry);
    if (error != ERROR_SUCCESS) {
        rm_registration_prepared_free(&prepared);
        return error;
    }
    if (live_slot(session) < 0)
        error = ERROR_INVALID_HANDLE;
    else
        error = append_records(session, &prepared);
    rm_registry_unlock(&session->registry);
    rm_registration_prepared_free(&prepared);
    return error;
}

/* Brings the primary's index up to date with the store (what secondaries added too). */
static DWORD refresh_index(struct rm_session *session)
{
    store_view view;
    uint32_t used = UINT32_MAX;
    DWORD error = rm_registry_lock(&session->registry);
    if (error != ERROR_SUCCESS)
        return error;
    if (live_slot(session) < 0) {
        error = ERROR_INVALID_HANDLE;
    } else if ((error = view_open(session, sizeof(rm_store_header), sizeof(rm_store_header),
                                  &view)) == ERROR_SUCCESS) {
        if (rm_store_valid(view.base, view.bytes, session->serial))
            used = rm_store_used(view.base, view.bytes);
        view_close(&view);
        if (used == UINT32_MAX)
            error = ERROR_WRITE_FAULT;
    }
    rm_registry_unlock(&session->registry);
    if (error != ERROR_SUCCESS)
        return error;
    if (used == session->index_cursor)
        return ERROR_SUCCESS;
    /* Records below `used` are complete and never rewritten, so they are read without the
     * lock (and still validated: any process of the user can write the section). */
    error = view_open(session, sizeof(rm_store_header) + used,
                      sizeof(rm_store_header) + session->index_cursor, &view);
    if (error != ERROR_SUCCESS)
        return error;
    switch (rm_index_ingest(session->index, view.base, view.bytes, used, &session->index_cursor)) {
    case RM_INGEST_OK: break;
    case RM_INGEST_NO_MEMORY: error = ERROR_OUTOFMEMORY; break;
    default: error = ERROR_WRITE_FAULT; break;
    }
    view_close(&view);
    return error;
}

/* ---- the call boundary ---- */

DWORD rm_session_add_handle(struct rm_session *session, DWORD *handle)
{
    if (!rm_handles_insert(session, handle)) {
        session_end(session);
        session_release(session);
        return ERROR_OUTOFMEMORY;
    }
    return ERROR_SUCCESS;
}

struct rm_session *rm_session_enter(DWORD handle)
{
    struct rm_session *session = rm_handles_acquire(handle);
    if (session)
        AcquireSRWLockExclusive(&session->call_lock);
    return session;
}

void rm_session_leave(struct rm_session *session)
{
    ReleaseSRWLockExclusive(&session->call_lock);
    session_release(session);
}

DWORD rm_session_enter_primary(DWORD handle, struct rm_session **out)
{
    struct rm_session *session = rm_session_enter(handle);
    *out = NULL;
    if (!session)
        return ERROR_INVALID_HANDLE;
    DWORD error = session_check_alive(session);
    if (error == ERROR_SUCCESS && !session->is_primary)
        error = ERROR_SESSION_CREDENTIAL_CONFLICT;
    if (error != ERROR_SUCCESS) {
        rm_session_leave(session);
        return error;
    }
    *out = session;
    return ERROR_SUCCESS;
}

DWORD rm_session_end_handle(DWORD handle)
{
    struct rm_session *session = rm_handles_remove(handle);
    if (!session)
        return ERROR_INVALID_HANDLE;
    /* Waits for a call in progress on this handle (other than a cancellable one). */
    AcquireSRWLockExclusive(&session->call_lock);
    DWORD error = session_end(session);
    ReleaseSRWLockExclusive(&session->call_lock);
    session_release(session);
    return error;
}

DWORD rm_session_cancel_task(DWORD handle)
{
    struct rm_session *session = rm_handles_acquire(handle);
    if (!session)
        return ERROR_INVALID_HANDLE;
    DWORD error = session_check_alive(session);
    if (error == ERROR_SUCCESS)
        SetEvent(session->cancel_event);
    session_release(session);
    return error;
}

HANDLE rm_session_begin_task(struct rm_session *session)
{
    ResetEvent(session->cancel_event);
    return session->cancel_event;
}

DWORD rm_session_resolve(struct rm_session *session, rm_affected_list *list)
{
    ULONGLONG phase_started = rm_trace_clock();
    DWORD error = refresh_index(session);
    RM_TRACE_AS("resolve", "index: %lu, %zu files, %zu directories, %zu processes, %zu services, %lu us",
             error, rm_index_file_count(session->index),
             rm_index_directory_count(session->index), rm_index_process_count(session->index),
             rm_index_service_count(session->index), rm_trace_elapsed_us(phase_started));
    if (error == ERROR_SUCCESS && rm_index_directory_count(session->index))
        return ERROR_ACCESS_DENIED; /* a directory was registered: files only (B-REG-5) */
    if (error != ERROR_SUCCESS)
        return error;
    phase_started = rm_trace_clock();
    error = rm_resolve_affected(session->index, session->cancel_event, list);
    RM_TRACE_AS("resolve", "resolution: %lu, %zu affected, reboot reasons %#lx, %lu us", error, list->count,
             list->reboot_reasons, rm_trace_elapsed_us(phase_started));
    return error;
}

/* What RmxGetEvidence reports: the answer just given. Without memory for it, the session
 * keeps none (RmGetList's own answer does not depend on it). */
static void keep_evidence(struct rm_session *session, const rm_affected_list *list)
{
    free(session->evidence);
    /* No evidence array (memory ran out where the list was extended): none is kept. */
    session->evidence = list->count && list->evidence
                            ? calloc(list->count, sizeof(*session->evidence))
                            : NULL;
    session->evidence_count = session->evidence ? (UINT)list->count : 0;
    for (UINT i = 0; i < session->evidence_count; i++) {
        RMX_EVIDENCE *kept = &session->evidence[i];
        kept->Process = list->apps[i].Process;
        kept->Kind = list->evidence[i].kind;
        kept->HandleValue = list->evidence[i].handle_value;
        kept->bResourceTruncated = list->evidence[i].truncated;
        memcpy(kept->strResource, list->evidence[i].resource, sizeof(kept->strResource));
    }
}

DWORD rm_session_list_affected(struct rm_session *session, rm_affected_list *list)
{
    rm_session_begin_task(session);
    DWORD error = rm_session_resolve(session, list);
    if (error == ERROR_SUCCESS)
        error = rm_record_report(session->record, list);
    if (error == ERROR_SUCCESS)
        keep_evidence(session, list);
    return error;
}

const RMX_EVIDENCE *rm_session_evidence(const struct rm_session *session, UINT *count)
{
    *count = session->evidence_count;
    return session->evidence;
}

struct rm_session_record *rm_session_record(struct rm_session *session)
{
    if (!session->record)
        session->record = rm_session_record_new();
    return session->record;
}

struct rm_session_record *rm_session_record_if_any(struct rm_session *session)
{
    return session->record;
}
