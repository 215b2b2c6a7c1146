#include "shutdown.h"

#include <stdlib.h>
#include <string.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "actions.h"
#include "console_close.h"
#include "filters.h"
#include "parallel.h"
#include "progress.h"
#include "relaunch.h"
#include "resolver.h"
#include "service_control.h"
#include "session.h"
#include "tunables.h"
#include "window_close.h"

/* One application RmShutdown closes. */
typedef struct app_target {
    const RM_PROCESS_INFO *info;
    rm_relaunch relaunch;          /* captured before it is closed */
    rm_close_request request;
    rm_close_outcome outcome;      /* RM_CLOSE_CANCELLED until its job ran */
} app_target;

/* One affected service (its process, as listed). */
typedef struct service_target {
    const RM_PROCESS_INFO *info;
} service_target;

typedef struct shutdown_call {
    struct rm_session *session;
    struct rm_actions *actions;
    ULONG flags;
    rm_progress progress;
    rm_affected_list list;
    app_target *apps;
    size_t app_count;
    service_target *services;
    size_t service_count;
    rm_service_plan plan;
    BOOL all_restartable;
} shutdown_call;

static uint64_t start_of(const RM_PROCESS_INFO *info)
{
    return rm_filetime_value(info->Process.ProcessStartTime);
}

/* ---- planning (calling thread, before anything is shut down) ----------------------- */

static void mask_shutdown(shutdown_call *call, const RM_PROCESS_INFO *info)
{
    rm_action_record *record = info->ApplicationType == RmService
        ? rm_actions_record_service(call->actions, info->strServiceShortName)
        : rm_actions_record_app(call->actions, info->Process.dwProcessId, start_of(info));
    if (!record)
        return;
    record->pid = info->Process.dwProcessId;
    record->start = start_of(info);
    record->type = info->ApplicationType;
    record->status = RmStatusShutdownMasked;
}

static void plan_app(shutdown_call *call, const RM_PROCESS_INFO *info)
{
    app_target *target = &call->apps[call->app_count];
    rm_relaunch_capture(info->Process.dwProcessId, info->ApplicationType, &target->relaunch);
    if (rm_filters_action_for(call->actions, info->Process.dwProcessId, start_of(info),
                              target->relaunch.image_path, NULL) == RM_FILTER_NO_SHUTDOWN) {
        rm_relaunch_free(&target->relaunch);
        mask_shutdown(call, info);
        return;
    }
    target->info = info;
    target->outcome = RM_CLOSE_CANCELLED;
    target->request = (rm_close_request){
        info->Process.dwProcessId, start_of(info), (call->flags & RmForceShutdown) != 0,
        rm_tunable_ms(RM_TUNABLE_APP_TIMEOUT), rm_tunable_ms(RM_TUNABLE_MESSAGE_TIMEOUT),
        call->session->cancel_event,
    };
    call->all_restartable &= target->relaunch.source != RM_RELAUNCH_NONE;
    call->app_count++;
}

static void plan_service(shutdown_call *call, const RM_PROCESS_INFO *info)
{
    WCHAR *image = rm_process_image_path(info->Process.dwProcessId);
    int action = rm_filters_action_for(call->actions, info->Process.dwProcessId, start_of(info),
                                       image, info->strServiceShortName);
    free(image);
    if (action == RM_FILTER_NO_SHUTDOWN) {
        mask_shutdown(call, info);
        return;
    }
    call->services[call->service_count++].info = info;
    call->all_restartable &= info->bRestartable != FALSE;
}

static DWORD plan(shutdown_call *call)
{
    size_t count = call->list.count;
    call->apps = calloc(count ? count : 1, sizeof(*call->apps));
    call->services = calloc(count ? count : 1, sizeof(*call->services));
    if (!call->apps || !call->services)
        return ERROR_OUTOFMEMORY;
    call->all_restartable = TRUE;
    for (size_t i = 0; i < count; i++) {
        if (WaitForSingleObject(call->session->cancel_event, 0) == WAIT_OBJECT_0)
            return ERROR_CANCELLED;
        const RM_PROCESS_INFO *info = &call->list.apps[i];
        if (info->ApplicationType == RmService)
            plan_service(call, info);
        else
            plan_app(call, info);
    }
    if (call->service_count == 0)
        return ERROR_SUCCESS;
    const WCHAR **names = malloc(call->service_count * sizeof(*names));
    if (!names)
        return ERROR_OUTOFMEMORY;
    for (size_t i = 0; i < call->service_count; i++)
        names[i] = call->services[i].info->strServiceShortName;
    DWORD error = rm_service_plan_stop(names, call->service_count, &call->plan);
    free(names);
    return error;
}

/* ---- execution (one job per application, one for all services) --------------------- */

static void run_target(void *context, size_t index)
{
    shutdown_call *call = context;
    if (index == call->app_count) {
        rm_service_plan_run(&call->plan, (call->flags & RmForceShutdown) != 0,
                            rm_tunable_ms(RM_TUNABLE_SERVICE_TIMEOUT), call->session->cancel_event);
        return;
    }
    app_target *target = &call->apps[index];
    target->outcome = target->info->ApplicationType == RmConsole
                          ? rm_console_close(&target->request)
                          : rm_window_close(&target->request);
}

static void target_done(void *context, size_t finished, size_t count)
{
    shutdown_call *call = context;
    rm_progress_step(&call->progress, finished, count);
}

/* ---- the record (calling thread, after every job ended) ----------------------------- */

/* Returns FALSE if the application is still running because it could not be stopped. */
static BOOL record_app(shutdown_call *call, app_target *target, BOOL cancelled, BOOL *no_memory)
{
    const RM_PROCESS_INFO *info = target->info;
    if (target->outcome == RM_CLOSE_CANCELLED && cancelled)
        return TRUE; /* never asked: nothing happened to it */
    rm_action_record *record =
        rm_actions_record_app(call->actions, info->Process.dwProcessId, start_of(info));
    if (!record) {
        *no_memory = TRUE;
        return TRUE;
    }
    record->type = info->ApplicationType;
    switch (target->outcome) {
    case RM_CLOSE_STOPPED:
    case RM_CLOSE_ALREADY_GONE:
        record->status = target->outcome == RM_CLOSE_STOPPED ? RmStatusStopped
                                                              : RmStatusStoppedOther;
        record->awaiting_restart = TRUE;
        record->restartable = target->relaunch.source != RM_RELAUNCH_NONE;
        rm_relaunch_free(&record->relaunch);
        record->relaunch = target->relaunch; /* moved */
        memset(&target->relaunch, 0, sizeof(target->relaunch));
        return TRUE;
    default: /* refused, or its worker could not be started */
        record->status = RmStatusErrorOnStop;
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
        rm_action_record *record = rm_actions_record_service(call->actions, step->name);
        if (!record) {
            *no_memory = TRUE;
            continue;
        }
        const RM_PROCESS_INFO *info = listed_service(call, step->name);
        if (info) {
            record->pid = info->Process.dwProcessId;
            record->start = start_of(info);
        }
        if (step->outcome == RM_SERVICE_FAILED) {
            record->status = RmStatusErrorOnStop;
            all_stopped = FALSE;
        } else {
            record->status = step->outcome == RM_SERVICE_DONE ? RmStatusStopped
                                                              : RmStatusStoppedOther;
            record->awaiting_restart = TRUE;
            record->restartable = TRUE;
        }
    }
    return all_stopped;
}

static DWORD execute(shutdown_call *call)
{
    size_t jobs = call->app_count + (call->plan.count ? 1 : 0);
    BOOL completed = rm_parallel_run(jobs, RM_PARALLEL_MAX, run_target, target_done, call,
                                     call->session->cancel_event);
    BOOL cancelled = !completed;
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

static DWORD resolve(shutdown_call *call)
{
    DWORD error = rm_session_refresh_index(call->session);
    if (error == ERROR_SUCCESS && rm_index_directory_count(call->session->index))
        error = ERROR_ACCESS_DENIED; /* directories cannot be resolved (as RmGetList) */
    if (error == ERROR_SUCCESS)
        error = rm_resolve_affected(call->session->index, call->session->cancel_event,
                                    &call->list);
    if (error == ERROR_SUCCESS && call->list.reboot_reasons != RmRebootReasonNone)
        error = ERROR_FAIL_NOACTION_REBOOT;
    return error;
}

static void call_free(shutdown_call *call)
{
    for (size_t i = 0; call->apps && i < call->list.count; i++)
        rm_relaunch_free(&call->apps[i].relaunch);
    free(call->apps);
    free(call->services);
    rm_service_plan_free(&call->plan);
    rm_affected_list_free(&call->list);
}

DWORD rm_shutdown_run(struct rm_session *session, ULONG flags, RM_WRITE_STATUS_CALLBACK status)
{
    shutdown_call call;
    memset(&call, 0, sizeof(call));
    call.session = session;
    call.flags = flags;
    call.progress.callback = status;
    ResetEvent(session->cancel_event);
    call.actions = rm_actions_get(session);
    if (!call.actions)
        return ERROR_OUTOFMEMORY;
    /* RmRestart may follow even a failed RmShutdown. */
    call.actions->shutdown_called = TRUE;

    DWORD error = resolve(&call);
    if (error == ERROR_SUCCESS)
        error = plan(&call);
    if (error == ERROR_SUCCESS && (flags & RmShutdownOnlyRegistered) && !call.all_restartable)
        error = ERROR_FAIL_SHUTDOWN; /* nothing is shut down */
    if (error == ERROR_SUCCESS)
        error = execute(&call);
    if (error == ERROR_SUCCESS || error == ERROR_FAIL_SHUTDOWN)
        rm_progress_finish(&call.progress);
    call_free(&call);
    return error;
}
