// SPDX-License-Identifier: LGPL-2.1-or-later
/* What closing one application takes, whatever its kind (window_close.h, console_close.h):
 * the request, its outcome, and the steps they share — opening the very process that was
 * listed (pid + start time), waiting for its exit within a deadline while watching for
 * cancellation, and termination. */
#ifndef RM_WIN_APP_CLOSE_H
#define RM_WIN_APP_CLOSE_H

#include <stdint.h>
#include <windows.h>

typedef struct rm_close_request {
    DWORD pid;
    uint64_t start;              /* creation time: a reused pid is not our process */
    BOOL force;                  /* RmForceShutdown: terminate after the grace period */
    DWORD app_timeout_ms;        /* the grace period */
    DWORD message_timeout_ms;    /* one message's answer */
    HANDLE cancel;               /* manual-reset; set = stop waiting, leave it running */
} rm_close_request;

typedef enum rm_close_outcome {
    RM_CLOSE_STOPPED,            /* it closed, or was terminated (force) */
    RM_CLOSE_ALREADY_GONE,       /* it had exited before we asked (RmStatusStoppedOther) */
    RM_CLOSE_REFUSED,            /* still running: refused, no answer, did not close */
    RM_CLOSE_CANCELLED,
} rm_close_outcome;

/* The process with SYNCHRONIZE | query rights (and PROCESS_TERMINATE where granted), or
 * NULL: then *gone
 * tells whether it no longer exists (exited, or its pid now names another process). */
HANDLE rm_close_open(const rm_close_request *request, BOOL *gone);

typedef enum rm_wait_result {
    RM_WAIT_EXITED,
    RM_WAIT_TIMEOUT,
    RM_WAIT_CANCELLED,
} rm_wait_result;

/* Waits for process to exit until the tick-count deadline or cancellation. */
rm_wait_result rm_close_wait_exit(HANDLE process, ULONGLONG deadline, HANDLE cancel);

/* Terminates process and waits (bounded) until it is gone. */
rm_close_outcome rm_close_terminate(HANDLE process);

/* The outcome once the polite request has had its wait: cancelled, stopped, or — still
 * running — terminated with force, refused without. */
rm_close_outcome rm_close_after_wait(rm_wait_result waited, HANDLE process, BOOL force);

/* Milliseconds from now to deadline (0 if passed), capped at cap. */
DWORD rm_close_remaining(ULONGLONG deadline, DWORD cap);

#endif
