#include "session/session_record.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "session/session.h"

uint64_t rm_filetime_value(FILETIME time)
{
    return (uint64_t)time.dwHighDateTime << 32 | time.dwLowDateTime;
}

struct rm_actions *rm_actions_get(struct rm_session *session)
{
    if (session->actions)
        return session->actions;
    struct rm_actions *actions = calloc(1, sizeof(*actions));
    if (!actions)
        return NULL;
    actions->filters = rm_filter_list_create();
    if (!actions->filters) {
        free(actions);
        return NULL;
    }
    session->actions = actions;
    return actions;
}

void rm_actions_free(struct rm_actions *actions)
{
    if (!actions)
        return;
    for (size_t i = 0; i < actions->count; i++)
        rm_relaunch_free(&actions->records[i].relaunch);
    free(actions->records);
    rm_filter_list_destroy(actions->filters);
    free(actions);
}

rm_action_record *rm_actions_find_app(struct rm_actions *actions, DWORD pid, uint64_t start)
{
    for (size_t i = 0; i < actions->count; i++) {
        rm_action_record *record = &actions->records[i];
        if (record->kind == RM_ACTION_APP && record->pid == pid && record->start == start)
            return record;
    }
    return NULL;
}

rm_action_record *rm_actions_find_service(struct rm_actions *actions, const WCHAR *name)
{
    for (size_t i = 0; i < actions->count; i++) {
        rm_action_record *record = &actions->records[i];
        if (record->kind == RM_ACTION_SERVICE && _wcsicmp(record->service, name) == 0)
            return record;
    }
    return NULL;
}

BOOL rm_actions_reserve(struct rm_actions *actions, size_t more)
{
    if (actions->capacity - actions->count >= more)
        return TRUE;
    size_t capacity = actions->capacity ? actions->capacity : 16;
    while (capacity - actions->count < more)
        capacity *= 2;
    rm_action_record *records = realloc(actions->records, capacity * sizeof(*records));
    if (!records)
        return FALSE;
    actions->records = records;
    actions->capacity = capacity;
    return TRUE;
}

static rm_action_record *append(struct rm_actions *actions, rm_action_kind kind)
{
    if (!rm_actions_reserve(actions, 1))
        return NULL;
    rm_action_record *record = &actions->records[actions->count++];
    memset(record, 0, sizeof(*record));
    record->kind = kind;
    record->status = RmStatusRunning;
    return record;
}

rm_action_record *rm_actions_record_app(struct rm_actions *actions, DWORD pid, uint64_t start)
{
    rm_action_record *record = rm_actions_find_app(actions, pid, start);
    if (record)
        return record;
    record = append(actions, RM_ACTION_APP);
    if (record) {
        record->pid = pid;
        record->start = start;
    }
    return record;
}

rm_action_record *rm_actions_record_service(struct rm_actions *actions, const WCHAR *name)
{
    rm_action_record *record = rm_actions_find_service(actions, name);
    if (record)
        return record;
    record = append(actions, RM_ACTION_SERVICE);
    if (record) {
        record->type = RmService;
        wcsncpy(record->service, name, CCH_RM_MAX_SVC_NAME);
        record->service[CCH_RM_MAX_SVC_NAME] = 0;
    }
    return record;
}

static BOOL same_record(const rm_action_record *record, const RM_PROCESS_INFO *app)
{
    uint64_t start = rm_filetime_value(app->Process.ProcessStartTime);
    if (record->kind == RM_ACTION_APP)
        return record->pid == app->Process.dwProcessId && record->start == start;
    /* A service is the same service in whichever process hosts it now. */
    return app->ApplicationType == RmService &&
           _wcsicmp(record->service, app->strServiceShortName) == 0;
}

static BOOL listed_in(const rm_affected_list *list, const rm_action_record *record)
{
    for (size_t i = 0; i < list->count; i++)
        if (same_record(record, &list->apps[i]))
            return TRUE;
    return FALSE;
}

static const rm_action_record *record_for(const struct rm_actions *actions,
                                          const RM_PROCESS_INFO *app)
{
    for (size_t i = 0; i < actions->count; i++)
        if (same_record(&actions->records[i], app))
            return &actions->records[i];
    return NULL;
}

void rm_actions_remember(rm_action_record *record, const RM_PROCESS_INFO *info)
{
    record->info = *info;
    record->listed = TRUE;
}

void rm_actions_mark_stopped(rm_action_record *record, DWORD how)
{
    record->status = (record->status & (RmStatusShutdownMasked | RmStatusRestartMasked)) | how;
}

/* The status a listed, running process is reported with. */
static DWORD running_status(DWORD status)
{
    return (status & ~(DWORD)(RmStatusStopped | RmStatusStoppedOther)) | RmStatusRunning;
}

DWORD rm_actions_report(const struct rm_actions *actions, rm_affected_list *list)
{
    if (!actions)
        return ERROR_SUCCESS;
    size_t missing = 0;
    for (size_t i = 0; i < list->count; i++) {
        const rm_action_record *record = record_for(actions, &list->apps[i]);
        if (record)
            list->apps[i].AppStatus = running_status(record->status);
    }
    for (size_t r = 0; r < actions->count; r++)
        missing += actions->records[r].listed && !listed_in(list, &actions->records[r]);
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
    for (size_t r = 0; r < actions->count; r++) {
        const rm_action_record *record = &actions->records[r];
        if (!record->listed || listed_in(list, record))
            continue;
        RM_PROCESS_INFO *entry = &apps[count++];
        *entry = record->info;
        entry->Process.dwProcessId = record->pid;
        entry->Process.ProcessStartTime.dwLowDateTime = (DWORD)record->start;
        entry->Process.ProcessStartTime.dwHighDateTime = (DWORD)(record->start >> 32);
        entry->AppStatus = record->status;
        list->count = count; /* listed_in sees the ones added */
    }
    return ERROR_SUCCESS;
}
