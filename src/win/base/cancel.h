// SPDX-License-Identifier: LGPL-2.1-or-later
/* Whether RmCancelCurrentTask has asked the running task to stop: the session's
 * manual-reset event (session/session.h, rm_session_begin_task) is set. NULL: never. */
#ifndef RM_WIN_CANCEL_H
#define RM_WIN_CANCEL_H

#include <windows.h>

static inline BOOL rm_cancel_requested(HANDLE cancel)
{
    return cancel && WaitForSingleObject(cancel, 0) == WAIT_OBJECT_0;
}

#endif
