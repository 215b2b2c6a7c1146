// SPDX-License-Identifier: LGPL-2.1-or-later
#include "shutdown/restart.h"

#include <stdlib.h>

#include "rstrtmgr/rstrtmgr_ext.h"
#include "shutdown_order.h"
#include "base/cancel.h"
#include "base/tunables.h"
#include "session/filters.h"
#include "session/session.h"
#include "session/session_record.h"
#include "shutdown/progress.h"
#include "shutdown/service_control.h"

/* The order's slots for a record of n entries; as many items follow them (restart_order). */
#define ORDER_ROOM(n) ((n) ? (n) : 1)
_Static_assert(_Alignof(rm_restart_item) <= _Alignof(size_t), "the items follow the order");

typedef enum restart_result {
    RESTART_DONE,
    RESTART_SKIPPED,       /* masked or not restartable: not a failure */
    RESTART_FAILED,
    RESTART_CANCELLED,
} restart_result;

static restart_result restart_service(rm_record_entry *record, HANDLE cancel)
{
    switch (rm_service_start(record->service, rm_tunable_ms(RM_TUNABLE_SERVICE_TIMEOUT), cancel)) {
    case RM_SERVICE_DONE:
    case RM_SERVICE_ALREADY:
        return RESTART_DONE;
    case RM_SERVICE_CANCELLED:
        return RESTART_CANCELLED;
    default:
        return RESTART_FAILED;
    }
}

/* The record follows the new process, so RmGetList reports it as restarted. */
static restart_result relaunch_app(rm_record_entry *record)
{
    DWORD pid;
    uint64_t start;
    if (rm_relaunch_start(&record->relaunch, &pid, &start) != ERROR_SUCCESS)
        return RESTART_FAILED;
    record->pid = pid;
    record->start = start;
    return RESTART_DONE;
}

static restart_result restart_one(const struct rm_session_record *session_record, rm_record_entry *record,
                                  HANDLE cancel)
{
    BOOL service = record->kind == RM_ENTRY_SERVICE;
    int action = rm_filters_action_for(session_record, record->pid, record->start,
                                       record->relaunch.image_path, service ? record->service : NULL);
    if (action == RM_FILTER_UNKNOWN) { /* no memory to tell whether it may start */
        record->status |= RmStatusErrorOnRestart;
        return RESTART_FAILED;
    }
    if (action) {
        record->status |= RmStatusRestartMasked;
        return RESTART_SKIPPED;
    }
    if (!record->restartable)
        return RESTART_SKIPPED;
    restart_result result = service ? restart_service(record, cancel) : relaunch_app(record);
    if (result == RESTART_DONE)
        record->status |= RmStatusRestarted;
    else if (result == RESTART_FAILED)
        record->status |= RmStatusErrorOnRestart;
    return result;
}

/* The reverse of the shutdown's phases (Explorer first, GUI applications last,
 * B-RESTART-2); services in the reverse of their stop order, applications in order: the
 * core decides (shutdown_order.h). order has room for the record's entries, and as many
 * items after that. */
static size_t restart_order(const struct rm_session_record *session_record, size_t *order)
{
    rm_restart_item *items = (rm_restart_item *)(order + ORDER_ROOM(session_record->count));
    for (size_t i = 0; i < session_record->count; i++) {
        const rm_record_entry *record = &session_record->entries[i];
        items[i].phase = rm_entry_phase(record->kind == RM_ENTRY_SERVICE, record->type);
        items[i].awaiting_restart = record->awaiting_restart ? 1 : 0;
    }
    return rm_restart_order(items, session_record->count, order);
}

DWORD rm_restart_run(struct rm_session *session, RM_WRITE_STATUS_CALLBACK status)
{
    rm_progress progress = { status, 0 };
    struct rm_session_record *session_record = rm_session_record_if_any(session);
    HANDLE cancel = rm_session_begin_task(session);
    if (!session_record || !session_record->shutdown_called)
        return ERROR_REQUEST_OUT_OF_SEQUENCE;
    size_t *order = malloc(ORDER_ROOM(session_record->count) *
                           (sizeof(*order) + sizeof(rm_restart_item)));
    if (!order)
        return ERROR_OUTOFMEMORY;
    size_t count = restart_order(session_record, order);
    BOOL failed = FALSE, cancelled = FALSE;
    for (size_t n = 0; n < count && !cancelled; n++) {
        rm_record_entry *record = &session_record->entries[order[n]];
        cancelled = rm_cancel_requested(cancel);
        restart_result result = cancelled ? RESTART_CANCELLED : restart_one(session_record, record, cancel);
        cancelled = result == RESTART_CANCELLED;
        failed |= result == RESTART_FAILED;
        if (!cancelled)
            record->awaiting_restart = FALSE; /* done with it, whatever happened */
        rm_progress_step(&progress, n + 1, count);
    }
    free(order);
    if (cancelled)
        return ERROR_CANCELLED;
    rm_progress_finish(&progress);
    return failed ? ERROR_FAIL_RESTART : ERROR_SUCCESS;
}
