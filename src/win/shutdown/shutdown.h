// SPDX-License-Identifier: LGPL-2.1-or-later
/* RmShutdown: resolves the affected applications and services again, refuses when a
 * reboot would be needed (ERROR_FAIL_NOACTION_REBOOT) or, with RmShutdownOnlyRegistered,
 * when one of them could not be restarted (ERROR_FAIL_SHUTDOWN, nothing shut down);
 * leaves alone what an RmNoShutdown filter covers (RmStatusShutdownMasked). Then every
 * GUI application and Explorer is asked WM_QUERYENDSESSION at once; without
 * RmForceShutdown one refusal cancels the shutdown, nothing is ended (ERROR_FAIL_SHUTDOWN,
 * B-SHUT-3). Otherwise the phases of shutdown_order.h run one after the other — GUI
 * applications, console applications, services (in dependency order,
 * service_control.h), Explorer — each phase's members concurrently, each on its own
 * worker (window_close.h, console_close.h). Restart registrations of GUI applications
 * are read after they answered (B-RESTART-3).
 * Progress goes to the status callback on the calling thread, ending at 100. Everything
 * done is recorded in the session's session_record for RmRestart and AppStatus. */
#ifndef RM_WIN_SHUTDOWN_H
#define RM_WIN_SHUTDOWN_H

#include <windows.h>
#include <restartmanager.h>

struct rm_session;

/* The caller holds the session's call lock and validated flags. */
DWORD rm_shutdown_run(struct rm_session *session, ULONG flags, RM_WRITE_STATUS_CALLBACK status);

#endif
