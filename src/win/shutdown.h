/* RmShutdown: resolves the affected applications and services again, refuses when a
 * reboot would be needed (ERROR_FAIL_NOACTION_REBOOT) or, with RmShutdownOnlyRegistered,
 * when one of them could not be restarted (ERROR_FAIL_SHUTDOWN, nothing shut down);
 * leaves alone what an RmNoShutdown filter covers (RmStatusShutdownMasked); then closes
 * every application concurrently (window_close.h, console_close.h), each on its own
 * worker, while the services are stopped in dependency order (service_control.h).
 * Progress goes to the status callback on the calling thread, ending at 100. Everything
 * done is recorded in the session's actions for RmRestart and AppStatus. */
#ifndef RM_WIN_SHUTDOWN_H
#define RM_WIN_SHUTDOWN_H

#include <windows.h>
#include <restartmanager.h>

struct rm_session;

/* The caller holds the session's call lock and validated flags. */
DWORD rm_shutdown_run(struct rm_session *session, ULONG flags, RM_WRITE_STATUS_CALLBACK status);

#endif
