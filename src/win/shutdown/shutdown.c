// SPDX-License-Identifier: LGPL-2.1-or-later
#include "shutdown/shutdown.h"

#include <stdlib.h>
#include <string.h>

#include "rstrtmgr/rstrtmgr_ext.h"
#include "shutdown_order.h"
#include "base/cancel.h"
#include "base/filetime.h"
#include "base/parallel.h"
#include "base/tunables.h"
#include "getlist/resolver.h"
#include "process/relaunch.h"
#include "session/filters.h"
#include "session/session.h"
#include "session/session_record.h"
#include "shutdown/console_close.h"
#include "shutdown/progress.h"
#include "shutdown/service_control.h"
#include "shutdown/window_close.h"

/* One application RmShutdown closes. */
typedef struct app_target {
    const RM_PROCESS_INFO *info;
    rm_phase phase;                /* shutdown_order.h */
    rm_relaunch relaunch;          /* captured before it is closed (GUI: after its answer) */
    rm_close_request request;
    rm_window_close *window;       /* GUI and Explorer: the two-step close */
    rm_query_answer answer;        /* GUI and Explorer: after the query round */
    BOOL acted;                    /* closed, or refused: it gets a record */
    rm_close_outcome outcome;      /* RM_CLOSE_CANCELLED until its job ran */
} app_target;

/* One affected service (its process, as listed). */
typedef struct service_target {
    const RM_PROCESS_INFO *info;
} service_target;

typedef struct shutdown_call {
    struct rm_session *session;
    HANDLE cancel;                            /* the session's, for this task */
    struct rm_session_record *session_record;
    ULONG flags;
    rm_progress progress;
    rm_affected_list list;
    app_target *apps;
    size_t app_count;
    service_target *services;
    size_t service_count;
    rm_service_plan plan;
    BOOL all_restartable_unqueried;
    DWORD app_timeout_ms, message_timeout_ms; /* read once per call */
    rm_relaunch_context relaunch;             /* shared by the call's restart captures */
    volatile BOOL capture_no_memory;          /* a capture or filter lookup lacked memory:
                                                 nothing is ended */  /* consoles and services (not asked first) */
    /* The round running: what each job does, on which applications (indices). */
    enum { ROUND_QUERY, ROUND_END } round_kind;
    rm_phase round_phase;
    size_t *round;
    size_t round_count;
    size_t steps_done, steps_total; /* progress over the ending rounds */
} shutdown_call;

static uint64_t start_of(const RM_PROCESS_INFO *info)
{
    return rm_filetime_value(info->Process.ProcessStartTime);
}

/* ---- planning (calling thread, before anything is shut down) ----------------------- */

static void mask_shutdown(shutdown_call *call, const RM_PROCESS_INFO *info)
{
    rm_record_entry *record = info->ApplicationType == RmService
        ? rm_record_add_service(call->session_record, info->strServiceShortName)
        : rm_record_add_app(call->session_record, info->Process.dwProcessId, start_of(info));
    if (!record)
        return;
    record->pid = info->Process.dwProcessId;
    record->start = start_of(info);
    record->type = info->ApplicationType;
    record->status |= RmStatusShutdownMasked; /* still running: RmStatusRunning stays */
    rm_record_remember(record, info);
}

static void plan_app(shutdown_call *call, const RM_PROCESS_INFO *info)
{
    app_target *target = &call->apps[call->app_count];
    rm_phase phase = rm_shutdown_phase(info->ApplicationType);
    /* GUI applications and Explorer are captured once they answered (B-RESTART-3). */
    if (!rm_phase_is_queried(phase)) {
        rm_relaunch_capture(&call->relaunch, info->Process.dwProcessId, info->ApplicationType,
                            &target->relaunch);
        call->capture_no_memory |= target->relaunch.no_memory;
    }
    WCHAR *image = NULL;
    const WCHAR *path = target->relaunch.image_path;
    BOOL no_memory = FALSE;
    if (!path && rm_filter_list_count(call->session_record->filters))
        path = image = rm_process_image_path(info->Process.dwProcessId, &no_memory);
    int action = no_memory ? RM_FILTER_UNKNOWN
                           : rm_filters_action_for(call->session_record, info->Process.dwProcessId,
                                                   start_of(info), path, NULL);
    free(image);
    if (action == RM_FILTER_UNKNOWN) { /* its filter unknown: end nothing */
        rm_relaunch_free(&target->relaunch);
        call->capture_no_memory = TRUE;
        return;
    }
    if (action == RM_FILTER_NO_SHUTDOWN) {
        rm_relaunch_free(&target->relaunch);
        mask_shutdown(call, info);
        return;
    }
    target->info = info;
    target->phase = phase;
    target->outcome = RM_CLOSE_CANCELLED;
    target->request = (rm_close_request){
        info->Process.dwProcessId, start_of(info), (call->flags & RmForceShutdown) != 0,
        call->app_timeout_ms, call->message_timeout_ms, call->cancel,
    };
    if (!rm_phase_is_queried(target->phase))
        call->all_restartable_unqueried &= target->relaunch.source != RM_RELAUNCH_NONE;
    call->app_count++;
}

static void plan_service(shutdown_call *call, const RM_PROCESS_INFO *info)
{
    BOOL no_memory;
    WCHAR *image = rm_process_image_path(info->Process.dwProcessId, &no_memory);
    int action = no_memory ? RM_FILTER_UNKNOWN
                           : rm_filters_action_for(call->session_record, info->Process.dwProcessId,
                                                   start_of(info), image, info->strServiceShortName);
    free(image);
    if (action == RM_FILTER_UNKNOWN) {
        call->capture_no_memory = TRUE;
        return;
    }
    if (action == RM_FILTER_NO_SHUTDOWN) {
        mask_shutdown(call, info);
        return;
    }
    call->services[call->service_count++].info = info;
    call->all_restartable_unqueried &= info->bRestartable != FALSE;
}

static DWORD plan(shutdown_call *call)
{
    size_t count = call->list.count;
    call->apps = calloc(count ? count : 1, sizeof(*call->apps));
    call->services = calloc(count ? count : 1, sizeof(*call->services));
    call->round = calloc(count ? count : 1, sizeof(*call->round));
    if (!call->apps || !call->services || !call->round || !rm_record_reserve(call->session_record, count))
        return ERROR_OUTOFMEMORY;
    call->all_restartable_unqueried = TRUE;
    call->app_timeout_ms = rm_tunable_ms(RM_TUNABLE_APP_TIMEOUT);
    call->message_timeout_ms = rm_tunable_ms(RM_TUNABLE_MESSAGE_TIMEOUT);
    for (size_t i = 0; i < count; i++) {
        if (rm_cancel_requested(call->cancel))
            return ERROR_CANCELLED;
        const RM_PROCESS_INFO *info = &call->list.apps[i];
        if (info->ApplicationType == RmService)
            plan_service(call, info);
        else
            plan_app(call, info);
    }
    /* Without its restart data an application would be ended for good: end none. */
    if (call->capture_no_memory)
        return ERROR_OUTOFMEMORY;
    if (call->service_count == 0)
        return ERROR_SUCCESS;
    const WCHAR **names = malloc(call->service_count * sizeof(*names));
    if (!names)
        return ERROR_OUTOFMEMORY;
    for (size_t i = 0; i < call->service_count; i++)
        names[i] = call->services[i].info->strServiceShortName;
    DWORD error = rm_service_plan_stop(names, call->service_count, &call->plan);
    free(names);
    if (error == ERROR_SUCCESS && !rm_record_reserve(call->session_record, count + call->plan.count))
        error = ERROR_OUTOFMEMORY;
    return error;
}

/* ---- execution: rounds of concurrent jobs, phase after phase ---------------------- */

/* An application may register for restart as late as while answering
 * WM_QUERYENDSESSION: what RmRestart will use is read once it answered (B-RESTART-3). */
static void capture_after_answer(shutdown_call *call, app_target *target)
{
    rm_relaunch_free(&target->relaunch);
    rm_relaunch_capture(&call->relaunch, target->info->Process.dwProcessId,
                        target->info->ApplicationType, &target->relaunch);
    if (target->relaunch.no_memory)
        call->capture_no_memory = TRUE; /* jobs only ever set it */
}

static void run_job(void *context, size_t index)
{
    shutdown_call *call = context;
    if (call->round_kind == ROUND_END && call->round_phase == RM_PHASE_SERVICE) {
        rm_service_plan_run(&call->plan, (call->flags & RmForceShutdown) != 0,
                            rm_tunable_ms(RM_TUNABLE_SERVICE_TIMEOUT), call->cancel);
        return;
    }
    app_target *target = &call->apps[call->round[index]];
    if (call->round_kind == ROUND_QUERY) {
        target->window = rm_window_close_begin(&target->request);
        target->answer = target->window ? rm_window_close_query(target->window)
                                        : RM_QUERY_REFUSED;
        if (target->answer != RM_QUERY_EXITED && target->answer != RM_QUERY_CANCELLED)
            capture_after_answer(call, target); /* it may be ended, even if only by force */
        return;
    }
    target->acted = TRUE;
    if (target->phase == RM_PHASE_CONSOLE)
        target->outcome = rm_console_close(&target->request);
    else
        target->outcome = target->window ? rm_window_close_end(target->window) : RM_CLOSE_REFUSED;
}

static void job_done(void *context, size_t finished, size_t count)
{
    shutdown_call *call = context;
    (void)count;
    if (call->round_kind == ROUND_END)
        rm_progress_step(&call->progress, call->steps_done + finished, call->steps_total);
}

/* Runs one round: the query of every GUI application and Explorer, or the end of one
 * phase. FALSE if cancelled. */
static BOOL run_round(shutdown_call *call, int kind, rm_phase phase)
{
    call->round_kind = kind;
    call->round_phase = phase;
    call->round_count = 0;
    size_t jobs;
    if (kind == ROUND_END && phase == RM_PHASE_SERVICE) {
        jobs = call->plan.count ? 1 : 0;
    } else {
        for (size_t i = 0; i < call->app_count; i++)
            if (kind == ROUND_QUERY ? rm_phase_is_queried(call->apps[i].phase)
                                    : call->apps[i].phase == phase)
                call->round[call->round_count++] = i;
        jobs = call->round_count;
    }
    if (jobs == 0)
        return !rm_cancel_requested(call->cancel);
    BOOL completed = rm_parallel_run(jobs, RM_PARALLEL_MAX, run_job, job_done, call,
                                     call->cancel);
    if (kind == ROUND_END)
        call->steps_done += jobs;
    return completed;
}

/* Without RmForceShutdown one GUI application that refuses (or cannot be asked)
 * cancels the shutdown: none is ended (B-SHUT-3). */
static BOOL any_refused(const shutdown_call *call)
{
    for (size_t i = 0; i < call->app_count; i++) {
        const app_target *target = &call->apps[i];
        if (rm_phase_is_queried(target->phase) &&
            (target->answer == RM_QUERY_REFUSED || target->answer == RM_QUERY_NO_WINDOWS))
            return TRUE;
    }
    return FALSE;
}

/* The shutdown is off: applications that agreed are told so; refusals are recorded. */
static void abandon(shutdown_call *call, BOOL record_refusals)
{
    for (size_t i = 0; i < call->app_count; i++) {
        app_target *target = &call->apps[i];
        if (!target->window || target->acted)
            continue; /* never asked, or already being ended */
        rm_window_close_abandon(target->window);
        if (record_refusals &&
            (target->answer == RM_QUERY_REFUSED || target->answer == RM_QUERY_NO_WINDOWS)) {
            target->acted = TRUE;
            target->outcome = RM_CLOSE_REFUSED;
        }
    }
}

/* RmShutdownOnlyRegistered, once the queried applications have answered (and possibly
 * registered). */
static BOOL all_restartable_now(const shutdown_call *call)
{
    BOOL all = call->all_restartable_unqueried;
    for (size_t i = 0; i < call->app_count; i++)
        if (rm_phase_is_queried(call->apps[i].phase))
            all &= call->apps[i].relaunch.source != RM_RELAUNCH_NONE;
    return all;
}

/* ---- the record (calling thread, after every job ended) ----------------------------- */

/* Returns FALSE if the application is still running because it could not be stopped. */
static BOOL record_app(shutdown_call *call, app_target *target, BOOL cancelled, BOOL *no_memory)
{
    const RM_PROCESS_INFO *info = target->info;
    if (!target->acted || (target->outcome == RM_CLOSE_CANCELLED && cancelled))
        return TRUE; /* never ended: nothing happened to it */
    rm_record_entry *record =
        rm_record_add_app(call->session_record, info->Process.dwProcessId, start_of(info));
    if (!record) {
        *no_memory = TRUE;
        return TRUE;
    }
    record->type = info->ApplicationType;
    rm_record_remember(record, info);
    switch (target->outcome) {
    case RM_CLOSE_STOPPED:
    case RM_CLOSE_ALREADY_GONE:
        rm_record_mark_stopped(record, target->outcome == RM_CLOSE_STOPPED ? RmStatusStopped
                                                                            : RmStatusStoppedOther);
        record->awaiting_restart = TRUE;
        record->restartable = target->relaunch.source != RM_RELAUNCH_NONE;
        rm_relaunch_free(&record->relaunch);
        record->relaunch = target->relaunch; /* moved */
        memset(&target->relaunch, 0, sizeof(target->relaunch));
        return TRUE;
    default: /* refused, or its worker could not be started: still running */
        record->status |= RmStatusErrorOnStop;
        return FALSE;
    }
}

static const RM_PROCESS_INFO *listed_service(const shutdown_call *call, const WCHAR *name)
{
    for (size_t i = 0; i < call->service_count; i++)
        if (_wcsicmp(call->services[i].info->strServiceShortName, name) == 0)
            return call->services[i].info;
    return NULL;
}

static BOOL record_services(shutdown_call *call, BOOL *no_memory)
{
    BOOL all_stopped = TRUE;
    for (size_t i = 0; i < call->plan.count; i++) {
        const rm_service_step *step = &call->plan.steps[i];
        if (step->outcome == RM_SERVICE_CANCELLED)
            continue;
        rm_record_entry *record = rm_record_add_service(call->session_record, step->name);
        if (!record) {
            *no_memory = TRUE;
            continue;
        }
        const RM_PROCESS_INFO *info = listed_service(call, step->name);
        if (info) {
            record->pid = info->Process.dwProcessId;
            record->start = start_of(info);
            rm_record_remember(record, info);
        }
        if (step->outcome == RM_SERVICE_FAILED) {
            record->status |= RmStatusErrorOnStop;
            all_stopped = FALSE;
        } else {
            rm_record_mark_stopped(record, step->outcome == RM_SERVICE_DONE ? RmStatusStopped
                                                                             : RmStatusStoppedOther);
            record->awaiting_restart = TRUE;
            record->restartable = TRUE;
        }
    }
    return all_stopped;
}

static DWORD record_all(shutdown_call *call, BOOL cancelled)
{
    BOOL all_stopped = TRUE, no_memory = FALSE;
    for (size_t i = 0; i < call->app_count; i++)
        all_stopped &= record_app(call, &call->apps[i], cancelled, &no_memory);
    all_stopped &= record_services(call, &no_memory);
    if (cancelled)
        return ERROR_CANCELLED;
    if (no_memory)
        return ERROR_OUTOFMEMORY;
    return all_stopped ? ERROR_SUCCESS : ERROR_FAIL_SHUTDOWN;
}

/* Every GUI application (and Explorer) is asked first; then, phase after phase, GUI
 * applications, console applications, services and Explorer are ended, each phase's
 * members at once (B-SHUT-3, B-SHUT-4). */
static DWORD execute(shutdown_call *call, BOOL only_registered)
{
    BOOL force = (call->flags & RmForceShutdown) != 0;
    call->steps_total = call->app_count + (call->plan.count ? 1 : 0);
    if (!run_round(call, ROUND_QUERY, RM_PHASE_GUI)) {
        abandon(call, FALSE);
        return ERROR_CANCELLED;
    }
    if (call->capture_no_memory) {
        abandon(call, FALSE); /* asked, not ended: told the session goes on */
        return ERROR_OUTOFMEMORY;
    }
    if ((!force && any_refused(call)) || (only_registered && !all_restartable_now(call))) {
        abandon(call, !force);
        return record_all(call, FALSE) == ERROR_OUTOFMEMORY ? ERROR_OUTOFMEMORY
                                                            : ERROR_FAIL_SHUTDOWN;
    }
    BOOL cancelled = FALSE;
    for (int phase = 0; phase < RM_PHASE_COUNT && !cancelled; phase++)
        cancelled = !run_round(call, ROUND_END, (rm_phase)phase);
    if (cancelled)
        abandon(call, FALSE); /* those queried but never ended */
    return record_all(call, cancelled);
}

static DWORD resolve(shutdown_call *call)
{
    DWORD error = rm_session_resolve(call->session, &call->list);
    if (error == ERROR_SUCCESS && call->list.reboot_reasons != RmRebootReasonNone)
        error = ERROR_FAIL_NOACTION_REBOOT;
    return error;
}

static void call_free(shutdown_call *call)
{
    for (size_t i = 0; call->apps && i < call->list.count; i++) {
        rm_relaunch_free(&call->apps[i].relaunch);
        rm_window_close_free(call->apps[i].window);
    }
    free(call->apps);
    free(call->round);
    free(call->services);
    rm_service_plan_free(&call->plan);
    rm_affected_list_free(&call->list);
}

DWORD rm_shutdown_run(struct rm_session *session, ULONG flags, RM_WRITE_STATUS_CALLBACK status)
{
    shutdown_call call;
    memset(&call, 0, sizeof(call));
    rm_relaunch_context_init(&call.relaunch, NULL);
    call.session = session;
    call.flags = flags;
    call.progress.callback = status;
    call.cancel = rm_session_begin_task(session);
    call.session_record = rm_session_record(session);
    if (!call.session_record)
        return ERROR_OUTOFMEMORY;
    /* RmRestart may follow even a failed RmShutdown. */
    call.session_record->shutdown_called = TRUE;

    DWORD error = resolve(&call);
    if (error == ERROR_SUCCESS)
        error = plan(&call);
    /* Only the GUI applications may still register while answering: without them
     * restartable, nothing is even asked. */
    BOOL only_registered = (flags & RmShutdownOnlyRegistered) != 0;
    if (error == ERROR_SUCCESS && only_registered && !call.all_restartable_unqueried)
        error = ERROR_FAIL_SHUTDOWN; /* nothing is shut down */
    if (error == ERROR_SUCCESS)
        error = execute(&call, only_registered);
    if (error == ERROR_SUCCESS || error == ERROR_FAIL_SHUTDOWN)
        rm_progress_finish(&call.progress);
    call_free(&call);
    return error;
}
