// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session/session_record.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/filetime.h"

struct rm_session_record *rm_session_record_new(void)
{
    struct rm_session_record *session_record = calloc(1, sizeof(*session_record));
    if (!session_record)
        return NULL;
    session_record->filters = rm_filter_list_create();
    if (!session_record->filters) {
        free(session_record);
        return NULL;
    }
    return session_record;
}

void rm_session_record_free(struct rm_session_record *session_record)
{
    if (!session_record)
        return;
    for (size_t i = 0; i < session_record->count; i++)
        rm_relaunch_free(&session_record->entries[i].relaunch);
    free(session_record->entries);
    rm_filter_list_destroy(session_record->filters);
    free(session_record);
}

rm_record_entry *rm_record_find_app(struct rm_session_record *session_record, DWORD pid, uint64_t start)
{
    for (size_t i = 0; i < session_record->count; i++) {
        rm_record_entry *record = &session_record->entries[i];
        if (record->kind == RM_ENTRY_APP && record->pid == pid && record->start == start)
            return record;
    }
    return NULL;
}

rm_record_entry *rm_record_find_service(struct rm_session_record *session_record, const WCHAR *name)
{
    for (size_t i = 0; i < session_record->count; i++) {
        rm_record_entry *record = &session_record->entries[i];
        if (record->kind == RM_ENTRY_SERVICE && _wcsicmp(record->service, name) == 0)
            return record;
    }
    return NULL;
}

BOOL rm_record_reserve(struct rm_session_record *session_record, size_t more)
{
    if (session_record->capacity - session_record->count >= more)
        return TRUE;
    size_t capacity = session_record->capacity ? session_record->capacity : 16;
    while (capacity - session_record->count < more)
        capacity *= 2;
    rm_record_entry *records = realloc(session_record->entries, capacity * sizeof(*records));
    if (!records)
        return FALSE;
    session_record->entries = records;
    session_record->capacity = capacity;
    return TRUE;
}

static rm_record_entry *append(struct rm_session_record *session_record, rm_entry_kind kind)
{
    if (!rm_record_reserve(session_record, 1))
        return NULL;
    rm_record_entry *record = &session_record->entries[session_record->count++];
    memset(record, 0, sizeof(*record));
    record->kind = kind;
    record->status = RmStatusRunning;
    return record;
}

rm_record_entry *rm_record_add_app(struct rm_session_record *session_record, DWORD pid, uint64_t start)
{
    rm_record_entry *record = rm_record_find_app(session_record, pid, start);
    if (record)
        return record;
    record = append(session_record, RM_ENTRY_APP);
    if (record) {
        record->pid = pid;
        record->start = start;
    }
    return record;
}

rm_record_entry *rm_record_add_service(struct rm_session_record *session_record, const WCHAR *name)
{
    rm_record_entry *record = rm_record_find_service(session_record, name);
    if (record)
        return record;
    record = append(session_record, RM_ENTRY_SERVICE);
    if (record) {
        record->type = RmService;
        wcsncpy(record->service, name, CCH_RM_MAX_SVC_NAME);
        record->service[CCH_RM_MAX_SVC_NAME] = 0;
    }
    return record;
}

static BOOL same_record(const rm_record_entry *record, const RM_PROCESS_INFO *app)
{
    uint64_t start = rm_filetime_value(app->Process.ProcessStartTime);
    if (record->kind == RM_ENTRY_APP)
        return record->pid == app->Process.dwProcessId && record->start == start;
    /* A service is the same service in whichever process hosts it now. */
    return app->ApplicationType == RmService &&
           _wcsicmp(record->service, app->strServiceShortName) == 0;
}

static BOOL listed_in(const rm_affected_list *list, const rm_record_entry *record)
{
    for (size_t i = 0; i < list->count; i++)
        if (same_record(record, &list->apps[i]))
            return TRUE;
    return FALSE;
}

static const rm_record_entry *record_for(const struct rm_session_record *session_record,
                                          const RM_PROCESS_INFO *app)
{
    for (size_t i = 0; i < session_record->count; i++)
        if (same_record(&session_record->entries[i], app))
            return &session_record->entries[i];
    return NULL;
}

void rm_record_remember(rm_record_entry *record, const RM_PROCESS_INFO *info)
{
    record->info = *info;
    record->listed = TRUE;
}

void rm_record_mark_stopped(rm_record_entry *record, DWORD how)
{
    record->status = (record->status & (RmStatusShutdownMasked | RmStatusRestartMasked)) | how;
}

/* The status a listed, running process is reported with. */
static DWORD running_status(DWORD status)
{
    return (status & ~(DWORD)(RmStatusStopped | RmStatusStoppedOther)) | RmStatusRunning;
}

DWORD rm_record_report(const struct rm_session_record *session_record, rm_affected_list *list)
{
    if (!session_record)
        return ERROR_SUCCESS;
    size_t missing = 0;
    for (size_t i = 0; i < list->count; i++) {
        const rm_record_entry *record = record_for(session_record, &list->apps[i]);
        if (record)
            list->apps[i].AppStatus = running_status(record->status);
    }
    for (size_t r = 0; r < session_record->count; r++)
        missing += session_record->entries[r].listed && !listed_in(list, &session_record->entries[r]);
    if (missing == 0)
        return ERROR_SUCCESS;
    size_t bytes = (list->count + missing) * sizeof(*list->apps);
    RM_PROCESS_INFO *apps = list->apps ? HeapReAlloc(GetProcessHeap(), 0, list->apps, bytes)
                                       : HeapAlloc(GetProcessHeap(), 0, bytes);
    if (!apps)
        return ERROR_OUTOFMEMORY;
    list->apps = apps;
    /* The evidence array follows apps (RmxGetEvidence): the added ones have none now. */
    size_t evidence_bytes = (list->count + missing) * sizeof(*list->evidence);
    rm_evidence *evidence =
        list->evidence ? HeapReAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, list->evidence, evidence_bytes)
                       : HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, evidence_bytes);
    if (!evidence)
        return ERROR_OUTOFMEMORY;
    list->evidence = evidence;
    size_t count = list->count;
    for (size_t r = 0; r < session_record->count; r++) {
        const rm_record_entry *record = &session_record->entries[r];
        if (!record->listed || listed_in(list, record))
            continue;
        RM_PROCESS_INFO *entry = &apps[count++];
        *entry = record->info;
        entry->Process.dwProcessId = record->pid;
        entry->Process.ProcessStartTime = rm_filetime_of(record->start);
        entry->AppStatus = record->status;
        list->count = count; /* listed_in sees the ones added */
    }
    return ERROR_SUCCESS;
}
