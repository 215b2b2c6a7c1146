// SPDX-License-Identifier: LGPL-2.1-or-later
#include "base/parallel.h"

#include <stdlib.h>
#include <string.h>

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

/* A member's state. The caller's thread makes it busy (a run posted), idle (the run
 * joined) or abandoned; the member's own thread makes it returned (the run is over). */
enum { MEMBER_IDLE, MEMBER_BUSY, MEMBER_RETURNED, MEMBER_ABANDONED };

struct rm_crew_member {
    HANDLE thread;
    HANDLE go;                    /* auto-reset: a task was posted */
    HANDLE done;                  /* auto-reset: the task returned */
    LPTHREAD_START_ROUTINE routine; /* the posted task; NULL: leave */
    void *parameter;
    HMODULE module;               /* this DLL, kept loaded while the thread runs */
    volatile LONG state;          /* MEMBER_*: a busy member may be abandoned */
};

static void member_free(rm_crew_member *member)
{
    if (member->go)
        CloseHandle(member->go);
    if (member->done)
        CloseHandle(member->done);
    free(member);
}

static DWORD WINAPI crew_member_main(void *parameter)
{
    rm_crew_member *member = parameter;
    HMODULE module = member->module;
    for (;;) {
        if (WaitForSingleObject(member->go, INFINITE) != WAIT_OBJECT_0 || !member->routine)
            break; /* the crew ends: it frees the member */
        member->routine(member->parameter);
        if (InterlockedCompareExchange(&member->state, MEMBER_RETURNED, MEMBER_BUSY) ==
            MEMBER_ABANDONED) {
            member_free(member); /* the crew let it go: nobody else refers to it */
            break;
        }
        SetEvent(member->done);
    }
    FreeLibraryAndExitThread(module, 0);
}

void rm_crew_init(rm_crew *crew)
{
    memset(crew, 0, sizeof(*crew));
    InitializeSRWLock(&crew->lock);
}

static rm_crew_member *member_start(void)
{
    rm_crew_member *member = calloc(1, sizeof(*member));
    if (!member)
        return NULL;
    member->go = CreateEventW(NULL, FALSE, FALSE, NULL);
    member->done = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (member->go && member->done &&
        GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(void *)crew_member_main,
                           &member->module)) {
        member->thread = CreateThread(NULL, WORKER_STACK_BYTES, crew_member_main, member,
                                      STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (!member->thread)
            FreeLibrary(member->module);
    }
    if (!member->thread) {
        member_free(member);
        return NULL;
    }
    return member;
}

/* A new idle member of crew, NULL if the crew is full or the thread cannot start. */
static rm_crew_member *member_add(rm_crew *crew)
{
    if (crew->count == RM_CREW_MAX)
        return NULL;
    rm_crew_member *member = member_start();
    if (member)
        crew->members[crew->count++] = member;
    return member;
}

static rm_crew_member *idle_member(rm_crew *crew)
{
    for (size_t i = 0; i < crew->count; i++)
        if (crew->members[i]->state == MEMBER_IDLE)
            return crew->members[i];
    return member_add(crew);
}

/* Without the lock: every run has returned or was abandoned, nobody else uses the crew. */
void rm_crew_end(rm_crew *crew)
{
    for (size_t i = 0; i < crew->count; i++) {
        rm_crew_member *member = crew->members[i];
        member->routine = NULL; /* leave */
        SetEvent(member->go);
        WaitForSingleObject(member->thread, INFINITE);
        CloseHandle(member->thread);
        member_free(member);
    }
    crew->count = 0;
}

void rm_crew_prepare(rm_crew *crew, size_t count)
{
    AcquireSRWLockExclusive(&crew->lock);
    size_t idle = 0;
    for (size_t i = 0; i < crew->count; i++)
        idle += crew->members[i]->state == MEMBER_IDLE;
    while (idle++ < count && member_add(crew))
        continue;
    ReleaseSRWLockExclusive(&crew->lock);
}

void rm_workers_start(rm_crew *crew, HANDLE *done, size_t *started, size_t count,
                      LPTHREAD_START_ROUTINE routine, void *parameter)
{
    AcquireSRWLockExclusive(&crew->lock);
    for (size_t i = 0; i < count; i++) {
        rm_crew_member *member = idle_member(crew);
        if (!member)
            break;
        member->routine = routine;
        member->parameter = parameter;
        member->state = MEMBER_BUSY;
        SetEvent(member->go);
        done[(*started)++] = member->done;
    }
    ReleaseSRWLockExclusive(&crew->lock);
}

static size_t member_of(const rm_crew *crew, HANDLE done)
{
    for (size_t i = 0; i < crew->count; i++)
        if (crew->members[i]->done == done)
            return i;
    return RM_CREW_MAX;
}

void rm_workers_returned(rm_crew *crew, HANDLE done)
{
    AcquireSRWLockExclusive(&crew->lock);
    size_t i = member_of(crew, done);
    if (i < crew->count)
        crew->members[i]->state = MEMBER_IDLE;
    ReleaseSRWLockExclusive(&crew->lock);
}

void rm_workers_join(rm_crew *crew, HANDLE *done, size_t count)
{
    if (count)
        WaitForMultipleObjects((DWORD)count, done, TRUE, INFINITE);
    for (size_t k = 0; k < count; k++)
        rm_workers_returned(crew, done[k]);
}

void rm_workers_abandon(rm_crew *crew, HANDLE done)
{
    AcquireSRWLockExclusive(&crew->lock);
    size_t i = member_of(crew, done);
    if (i >= crew->count) {
        ReleaseSRWLockExclusive(&crew->lock);
        return;
    }
    rm_crew_member *member = crew->members[i];
    if (InterlockedCompareExchange(&member->state, MEMBER_ABANDONED, MEMBER_BUSY) != MEMBER_BUSY) {
        ReleaseSRWLockExclusive(&crew->lock);
        rm_workers_join(crew, &done, 1); /* it returned meanwhile: joined, idle again */
        return;
    }
    CloseHandle(member->thread); /* the thread frees the member once the run returns */
    crew->members[i] = crew->members[--crew->count];
    ReleaseSRWLockExclusive(&crew->lock);
}
