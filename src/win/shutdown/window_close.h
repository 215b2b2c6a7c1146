// SPDX-License-Identifier: LGPL-2.1-or-later
/* Closing an application through its top-level windows, the way RmShutdown does, in
 * two steps so that every GUI application is asked before any is ended (B-SHUT-3):
 *   query  WM_QUERYENDSESSION (lParam ENDSESSION_CLOSEAPP) to every top-level window,
 *          each answer awaited for at most the message timeout;
 *   end    (all agreed, or RmForceShutdown) WM_ENDSESSION(TRUE, ENDSESSION_CLOSEAPP),
 *          then, if it is still running a moment later, WM_CLOSE to its main windows,
 *          and a wait for its exit until the grace period (counted from begin) ends;
 *          with RmForceShutdown, whatever is still running then is terminated;
 *   or abandon: the shutdown is off, its windows that agreed get WM_ENDSESSION(FALSE).
 * Without force an application that refuses, does not answer in time or does not exit
 * in time is left running: RM_CLOSE_REFUSED. One without windows cannot be asked:
 * terminated with force, else refused.
 *
 * Messages are sent with SendMessageCallback and their answers awaited while pumping the
 * sending thread's queue, so a hung application never blocks the call and cancellation
 * is immediate. Answers that arrive late are delivered only to the thread that sent the
 * message, and only while it runs: run query and end each on a thread of its own that
 * ends with the step (shutdown.c does); the state lives until rm_window_close_free. */
#ifndef RM_WIN_WINDOW_CLOSE_H
#define RM_WIN_WINDOW_CLOSE_H

#include "shutdown/app_close.h"

typedef enum rm_query_answer {
    RM_QUERY_AGREED,        /* every window answered TRUE */
    RM_QUERY_REFUSED,       /* a window answered FALSE or not in time; or it cannot be opened */
    RM_QUERY_NO_WINDOWS,    /* nothing to ask */
    RM_QUERY_EXITED,        /* gone before or while being asked */
    RM_QUERY_CANCELLED,
} rm_query_answer;

typedef struct rm_window_close rm_window_close;

/* Opens the listed process and collects its windows; request must outlive the close.
 * NULL when out of memory. */
rm_window_close *rm_window_close_begin(const rm_close_request *request);
rm_query_answer rm_window_close_query(rm_window_close *close);
/* After the query: ends it (see above) and says how that went. */
rm_close_outcome rm_window_close_end(rm_window_close *close);
/* After the query, instead of ending it. */
void rm_window_close_abandon(rm_window_close *close);
void rm_window_close_free(rm_window_close *close);

#endif
