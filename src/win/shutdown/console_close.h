// SPDX-License-Identifier: LGPL-2.1-or-later
/* Closing a console application: a Ctrl+C on its console, then a wait for its exit until
 * the grace period ends; with RmForceShutdown, termination after that.
 *
 * Sending Ctrl+C means attaching to the target's console (AttachConsole) and generating
 * the event for everyone on it (GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0)), which includes
 * the caller: the caller swallows its own copy with a temporary handler. Consoles are a
 * per-process resource, so this is serialised process-wide, and it is only done when the
 * caller has no console of its own (a GUI installer): detaching a console caller from its
 * console would disturb it. A caller with a console (B-SHUT-6) has the target run
 * kernel32's CtrlRoutine(CTRL_C_EVENT) on a thread of its own instead, as its console
 * would (the target's handlers run, or its default handler ends it); where that cannot
 * be done (another bitness, no such export) the target is not asked. Wine delivers
 * Ctrl+C through the console only to a target that has its own console (started with
 * CREATE_NEW_CONSOLE). */
#ifndef RM_WIN_CONSOLE_CLOSE_H
#define RM_WIN_CONSOLE_CLOSE_H

#include "shutdown/app_close.h"

rm_close_outcome rm_console_close(const rm_close_request *request);

#endif
