// SPDX-License-Identifier: LGPL-2.1-or-later
/* RmRestart: starts again what RmShutdown stopped in this session — services first, each
 * after the ones it depends on (the reverse of the order they were stopped in), then the
 * restartable applications (relaunch.h). A filter on an application or service masks its
 * restart (RmStatusRestartMasked); applications that cannot be restarted are left as
 * they are. Progress goes to the status callback on the calling thread, ending at 100. */
#ifndef RM_WIN_RESTART_H
#define RM_WIN_RESTART_H

#include <windows.h>
#include <restartmanager.h>

struct rm_session;

/* ERROR_REQUEST_OUT_OF_SEQUENCE before any RmShutdown; ERROR_FAIL_RESTART when something
 * could not be started; ERROR_CANCELLED. The caller holds the session's call lock. */
DWORD rm_restart_run(struct rm_session *session, RM_WRITE_STATUS_CALLBACK status);

#endif
