/* Closing an application through its top-level windows, the way RmShutdown does:
 *   1. WM_QUERYENDSESSION (lParam ENDSESSION_CLOSEAPP) to every top-level window; each
 *      answer is awaited for at most the message timeout;
 *   2. all agreed (or RmForceShutdown): WM_ENDSESSION(TRUE, ENDSESSION_CLOSEAPP), then,
 *      if it is still running a moment later, WM_CLOSE to its main windows, and a wait
 *      for its exit until the grace period ends;
 *   3. with RmForceShutdown, whatever is still running then is terminated.
 * Without force an application that refuses (it is then told WM_ENDSESSION(FALSE)), does
 * not answer in time or does not exit in time is left running: RM_CLOSE_REFUSED.
 * An application without windows cannot be asked: terminated with force, else refused.
 *
 * Messages are sent with SendMessageCallback and their answers awaited while pumping this
 * thread's queue, so a hung application never blocks the call and cancellation is
 * immediate. Answers that arrive late are delivered to this thread only, which must
 * therefore not outlive the reply slots: run each request on a thread of its own that
 * ends with it (shutdown.c does). */
#ifndef RM_WIN_WINDOW_CLOSE_H
#define RM_WIN_WINDOW_CLOSE_H

#include "app_close.h"

rm_close_outcome rm_window_close(const rm_close_request *request);

#endif
