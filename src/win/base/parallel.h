// SPDX-License-Identifier: LGPL-2.1-or-later
/* Runs independent jobs concurrently, each on a thread of its own (never reused: window
 * closing depends on it, see window_close.h), at most a bounded number at once. The
 * calling thread waits for them all and hears of each completion, so progress callbacks
 * run on it; while it waits it still answers messages other threads send to its windows
 * (an application that sends to the installer's window while being closed must not
 * deadlock against it). Once cancel is set no further job starts; the running ones see the same
 * event, end early, and are waited for: no thread outlives the call. */
#ifndef RM_WIN_PARALLEL_H
#define RM_WIN_PARALLEL_H

#include <stddef.h>
#include <windows.h>

/* At most this many jobs run at once (one message wait covers them and the cancel
 * event). */
#define RM_PARALLEL_MAX (MAXIMUM_WAIT_OBJECTS - 2)

typedef void (*rm_job_fn)(void *context, size_t index);
typedef void (*rm_job_done_fn)(void *context, size_t finished, size_t count);

/* Runs job(context, i) for i in [0, count); done (may be NULL) after each completion.
 * Jobs that never started (cancellation, no thread could be created) are simply not run:
 * their callers' results keep whatever "not run" value they were given. TRUE unless
 * cancel was set. */
BOOL rm_parallel_run(size_t count, size_t max_parallel, rm_job_fn job, rm_job_done_fn done,
                     void *context, HANDLE cancel);

/* Plain workers, for RmGetList's resolution (which answers no window messages while it
 * waits, and whose workers send none). A call's phases (the SCM preload, the module scan,
 * the handle naming, the description) run their workers on one crew of threads that the
 * call starts as it needs them, or a step ahead (rm_crew_prepare), and ends before it
 * returns: under Wine a thread costs ~1-2 ms to create and end (every loaded DLL hears
 * of it), so a thread serves every phase of the call instead of one each. No thread
 * outlives the call, except one whose run was abandoned (rm_workers_abandon): that one
 * leaves by itself once its run returns, holding a reference to this DLL until then.
 * Small stacks: their buffers are on the heap, and Wine frees an ended thread's stack
 * only when the next thread ends. */
#define RM_CREW_MAX 8u

typedef struct rm_crew_member rm_crew_member;  /* parallel.c */

typedef struct rm_crew {
    SRWLOCK lock;             /* members and count: a run may start runs of its own */
    rm_crew_member *members[RM_CREW_MAX];
    size_t count;
} rm_crew;

void rm_crew_init(rm_crew *crew);

/* Ends the crew's threads (their runs joined or abandoned already) and frees what they
 * used. */
void rm_crew_end(rm_crew *crew);

/* count runs of routine(parameter), each on an idle member of crew (started if there is
 * none). Appends a handle per started run to done[*started], signalled once the run has
 * returned (runs that could not start are not there: the caller does their part). A run
 * may itself start and join runs on its crew. */
void rm_workers_start(rm_crew *crew, HANDLE *done, size_t *started, size_t count,
                      LPTHREAD_START_ROUTINE routine, void *parameter);

/* Starts members until count are idle, for runs to come: a thread takes a millisecond or
 * two under Wine to come up, which the caller's thread spends on other work meanwhile. */
void rm_crew_prepare(rm_crew *crew, size_t count);

/* Waits for the runs done[0..count) to return; their members are idle again. */
void rm_workers_join(rm_crew *crew, HANDLE *done, size_t count);

/* The caller saw done signalled itself (waiting for it among other handles): the run's
 * member is idle again. */
void rm_workers_returned(rm_crew *crew, HANDLE done);

/* Gives up waiting for the run done (which may never return): its member leaves the
 * crew, and its thread ends by itself once the run returns. done is not to be used
 * again. A run that had returned already is joined instead. */
void rm_workers_abandon(rm_crew *crew, HANDLE done);

#endif
