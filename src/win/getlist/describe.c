// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/describe.h"

#include <stdlib.h>
#include <string.h>

#include "base/parallel.h"
#include "base/trace.h"
#include "getlist/app_info.h"

/* Workers besides the services one. More buy little: Wine's server and the SCM answer
 * one request at a time, and the machine may have two cores. */
#define DESCRIBE_WORKERS 3u
/* Fewer targets than this are described on the describing thread (the data file's
 * holder alone: a thread would cost more than it saves). */
#define PARALLEL_FROM 2u

typedef struct describe_run {
    rm_describe_request *request;
    BOOL *done;                /* per target */
    DWORD *target_reasons;     /* per target */
    size_t *order;             /* the targets in the order workers take them */
    volatile LONG next;        /* the next of order a describing worker takes */
    BOOL load_services;        /* the services worker loads them and describes the SCM's */
    const rm_service_list *worker_services; /* what the describing workers see */
    BOOL services_tried;       /* the services worker ran its load */
    DWORD services_error;
    volatile LONG no_memory;
} describe_run;

static const rm_service_list no_services = { 0 };

static void describe_one(rm_app_context *context, describe_run *run, size_t k)
{
    rm_describe_request *request = run->request;
    size_t position = request->targets[k];
    ULONGLONG started = rm_trace_clock();
    run->target_reasons[k] = 0;
    rm_app_info_fill(context, &request->processes->entries[position],
                     request->matched_service[position],
                     request->opened ? &request->opened[position] : NULL, &request->apps[k],
                     &run->target_reasons[k]);
    request->elapsed_us[k] = rm_trace_elapsed_us(started);
    run->done[k] = TRUE;
}

/* Loads the services, then describes the processes the SCM started. */
static DWORD WINAPI services_worker(void *parameter)
{
    describe_run *run = parameter;
    rm_describe_request *request = run->request;
    rm_app_context context;
    run->services_error = rm_service_list_load(request->services);
    run->services_tried = TRUE;
    if (run->services_error != ERROR_SUCCESS ||
        rm_app_context_init(&context, request->services, request->windows,
                            request->caller_session, request->relaunch) != ERROR_SUCCESS)
        return 0; /* left to the caller's thread */
    for (size_t k = 0; k < request->count; k++)
        if (request->started_by_scm[k])
            describe_one(&context, run, k);
    if (context.no_memory)
        InterlockedExchange(&run->no_memory, 1);
    rm_app_context_free(&context);
    return 0;
}

/* Describes the other processes, taking the next one until none is left. */
static DWORD WINAPI describing_worker(void *parameter)
{
    describe_run *run = parameter;
    rm_describe_request *request = run->request;
    rm_app_context context;
    if (rm_app_context_init(&context, run->worker_services, request->windows,
                            request->caller_session, request->relaunch) != ERROR_SUCCESS)
        return 0;
    for (;;) {
        size_t taken = (size_t)InterlockedIncrement(&run->next) - 1;
        if (taken >= request->count)
            break;
        size_t k = run->order[taken];
        if (!run->load_services || !request->started_by_scm[k])
            describe_one(&context, run, k);
    }
    if (context.no_memory)
        InterlockedExchange(&run->no_memory, 1);
    rm_app_context_free(&context);
    return 0;
}

/* The costliest descriptions first, so that the last to finish is a cheap one: an
 * application with a main window has its restart captured (its command line, directory
 * and tokens: several times the rest of a description). */
static void order_costliest_first(describe_run *run)
{
    const rm_describe_request *request = run->request;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < request->count; k++) {
            const rm_window_facts *windows = rm_window_list_find(
                request->windows, request->processes->entries[request->targets[k]].pid);
            BOOL costly = windows && windows->has_main_window;
            if (costly == (pass == 0))
                run->order[n++] = k;
        }
    }
}

/* Runs the workers and waits for them all; those that cannot start leave their targets
 * undone. */
static void run_workers(describe_run *run)
{
    HANDLE threads[DESCRIBE_WORKERS + 1];
    size_t started = 0;
    size_t most = run->request->max_workers ? run->request->max_workers : DESCRIBE_WORKERS;
    size_t describing = run->request->count < most ? run->request->count : most;
    rm_crew *crew = run->request->crew;
    rm_workers_start(crew, threads, &started, run->load_services ? 1 : 0, services_worker, run);
    rm_workers_start(crew, threads, &started, describing, describing_worker, run);
    rm_workers_join(crew, threads, started);
}

DWORD rm_describe_processes(rm_describe_request *request)
{
    describe_run run;
    memset(&run, 0, sizeof(run));
    run.request = request;
    run.done = calloc(request->count ? request->count : 1, sizeof(*run.done));
    run.target_reasons = calloc(request->count ? request->count : 1, sizeof(*run.target_reasons));
    run.order = calloc(request->count ? request->count : 1, sizeof(*run.order));
    DWORD error = run.done && run.target_reasons && run.order ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
    BOOL any_by_scm = FALSE;
    for (size_t k = 0; k < request->count; k++)
        any_by_scm |= request->started_by_scm[k];
    /* The services are needed when the SCM started a target; loaded already, every
     * worker may read them. */
    run.load_services = any_by_scm && !request->services_loaded;
    run.worker_services = request->services_loaded ? request->services : &no_services;
    if (error == ERROR_SUCCESS && request->count >= PARALLEL_FROM) {
        order_costliest_first(&run);
        run_workers(&run);
    }

    /* What the workers did not do, on this thread, exactly as they would have. */
    if (error == ERROR_SUCCESS && run.load_services)
        error = run.services_tried ? run.services_error : rm_service_list_load(request->services);
    BOOL have_services = any_by_scm || request->services_loaded;
    const rm_service_list *services = have_services ? request->services : &no_services;
    for (size_t k = 0; error == ERROR_SUCCESS && run.load_services && k < request->count; k++) {
        /* A process the SCM did not start but that the SCM lists as a service host (never
         * seen) is described again with the services, as the sequential rule does. */
        size_t hosted = 0;
        if (run.done[k] && !request->started_by_scm[k])
            rm_service_list_for_pid(services, request->apps[k].Process.dwProcessId, &hosted);
        if (hosted)
            run.done[k] = FALSE;
    }
    BOOL all_done = TRUE;
    for (size_t k = 0; error == ERROR_SUCCESS && k < request->count; k++)
        all_done &= run.done[k];
    if (error == ERROR_SUCCESS && !all_done) {
        rm_app_context context;
        error = rm_app_context_init(&context, services, request->windows,
                                    request->caller_session, request->relaunch);
        for (size_t k = 0; error == ERROR_SUCCESS && k < request->count; k++)
            if (!run.done[k])
                describe_one(&context, &run, k);
        if (error == ERROR_SUCCESS) {
            run.no_memory |= context.no_memory;
            rm_app_context_free(&context);
        }
    }
    for (size_t k = 0; error == ERROR_SUCCESS && k < request->count; k++)
        *request->reasons |= run.target_reasons[k];
    if (error == ERROR_SUCCESS && run.no_memory)
        error = ERROR_OUTOFMEMORY; /* a description or restart capture is incomplete */
    free(run.done);
    free(run.target_reasons);
    free(run.order);
    return error;
}
