#include "actions.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "session.h"

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

static rm_action_record *append(struct rm_actions *actions, rm_action_kind kind)
{
    if (actions->count == actions->capacity) {
        size_t capacity = actions->capacity ? actions->capacity * 2 : 16;
        rm_action_record *records = realloc(actions->records, capacity * sizeof(*records));
        if (!records)
            return NULL;
        actions->records = records;
        actions->capacity = capacity;
    }
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

static const rm_action_record *record_for(const struct rm_actions *actions,
                                          const RM_PROCESS_INFO *app)
{
    uint64_t start = rm_filetime_value(app->Process.ProcessStartTime);
    for (size_t i = 0; i < actions->count; i++) {
        const rm_action_record *record = &actions->records[i];
        if (record->kind == RM_ACTION_APP && record->pid == app->Process.dwProcessId &&
            record->start == start)
            return record;
        /* A service is the same service in whichever process hosts it now. */
        if (record->kind == RM_ACTION_SERVICE && app->ApplicationType == RmService &&
            _wcsicmp(record->service, app->strServiceShortName) == 0)
            return record;
    }
    return NULL;
}

void rm_actions_report_status(const struct rm_actions *actions, RM_PROCESS_INFO *apps,
                              size_t count)
{
    if (!actions)
        return;
    for (size_t i = 0; i < count; i++) {
        const rm_action_record *record = record_for(actions, &apps[i]);
        if (record)
            apps[i].AppStatus = record->status;
    }
}
