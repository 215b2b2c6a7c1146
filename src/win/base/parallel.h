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
 * waits, and whose workers send none): count threads running routine(parameter), each
 * with a small stack — their buffers are on the heap, and a small one keeps the call's
 * memory flat, since Wine frees an ended thread's stack only when the next thread ends.
 * Appends the started ones to threads[*started] (those that could not start are not
 * there: the caller does their part). */
void rm_workers_start(HANDLE *threads, size_t *started, size_t count,
                      LPTHREAD_START_ROUTINE routine, void *parameter);

/* Waits for threads[0..count) to end and closes them. */
void rm_workers_join(HANDLE *threads, size_t count);

#endif
