// SPDX-License-Identifier: LGPL-2.1-or-later
#include "base/parallel.h"

#include <stdlib.h>

/* Jobs wait and send messages; they need little stack. */
#define JOB_STACK_BYTES (256u * 1024u)
/* rm_workers_start's, see parallel.h. */
#define WORKER_STACK_BYTES (128u * 1024u)

typedef struct runner {
    rm_job_fn job;
    void *context;
} runner;

typedef struct job_start {
    const runner *runner;
    size_t index;
} job_start;

static DWORD WINAPI run_job(void *parameter)
{
    const job_start *start = parameter;
    start->runner->job(start->runner->context, start->index);
    return 0;
}

/* Delivers messages sent to this thread's windows; posted ones stay queued for the
 * caller's own loop. */
static void answer_sent_messages(void)
{
    MSG message;
    PeekMessageW(&message, NULL, 0, 0, PM_NOREMOVE | PM_QS_SENDMESSAGE);
}

static BOOL is_set(HANDLE event)
{
    return event && WaitForSingleObject(event, 0) == WAIT_OBJECT_0;
}

BOOL rm_parallel_run(size_t count, size_t max_parallel, rm_job_fn job, rm_job_done_fn done,
                     void *context, HANDLE cancel)
{
    runner shared = { job, context };
    HANDLE waits[MAXIMUM_WAIT_OBJECTS];
    size_t running = 0, next = 0, finished = 0;
    BOOL cancelled = FALSE;
    if (max_parallel == 0 || max_parallel > RM_PARALLEL_MAX)
        max_parallel = RM_PARALLEL_MAX;
    job_start *starts = calloc(count ? count : 1, sizeof(*starts));
    if (!starts) {
        /* No memory to run them at once: one after the other on this thread, so that
         * every job still runs (a job skipped would pass for one done). */
        for (size_t i = 0; i < count && !(cancelled = is_set(cancel)); i++) {
            job(context, i);
            if (done)
                done(context, i + 1, count);
        }
        return !cancelled;
    }

    while (finished < count) {
        cancelled |= is_set(cancel);
        while (!cancelled && running < max_parallel && next < count) {
            starts[next] = (job_start){ &shared, next };
            HANDLE thread = CreateThread(NULL, JOB_STACK_BYTES, run_job, &starts[next],
                                         STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
            if (!thread && running > 0)
                break; /* retry once a running job has made room */
            next++;
            if (thread) {
                waits[running++] = thread;
            } else {
                /* No thread at all: this one runs here, as it would have run there. */
                run_job(&starts[next - 1]);
                finished++;
                if (done)
                    done(context, finished, count);
            }
        }
        if (cancelled) {
            finished += count - next; /* never started */
            next = count;
        }
        if (running == 0)
            continue;
        DWORD handle_count = (DWORD)running;
        if (!cancelled && cancel)
            waits[handle_count++] = cancel;
        DWORD woke = MsgWaitForMultipleObjectsEx(handle_count, waits, INFINITE, QS_SENDMESSAGE, 0);
        if (woke == WAIT_FAILED)
            break; /* the running jobs are waited for one by one below */
        if (woke == WAIT_OBJECT_0 + handle_count) {
            answer_sent_messages();
            continue;
        }
        if (woke >= WAIT_OBJECT_0 + running) {
            cancelled = TRUE; /* the cancel event */
            continue;
        }
        size_t ended = woke - WAIT_OBJECT_0;
        CloseHandle(waits[ended]);
        waits[ended] = waits[--running];
        finished++;
        if (done)
            done(context, finished, count);
    }
    /* After a cancellation, the jobs still running end promptly; wait for every one. */
    while (running > 0) {
        WaitForSingleObject(waits[--running], INFINITE);
        CloseHandle(waits[running]);
    }
    free(starts);
    return !cancelled;
}

void rm_workers_start(HANDLE *threads, size_t *started, size_t count,
                      LPTHREAD_START_ROUTINE routine, void *parameter)
{
    for (size_t i = 0; i < count; i++) {
        threads[*started] = CreateThread(NULL, WORKER_STACK_BYTES, routine, parameter,
                                         STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        *started += threads[*started] != NULL;
    }
}

void rm_workers_join(HANDLE *threads, size_t count)
{
    if (count)
        WaitForMultipleObjects((DWORD)count, threads, TRUE, INFINITE);
    for (size_t i = 0; i < count; i++)
        CloseHandle(threads[i]);
}
