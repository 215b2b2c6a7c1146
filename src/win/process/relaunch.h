// SPDX-License-Identifier: LGPL-2.1-or-later
/* How to start an application again after RmShutdown closed it, captured while it still
 * runs, and the relaunch itself.
 *
 * Restartable, in order:
 *   1. registered with RegisterApplicationRestart (GetApplicationRestartSettings
 *      succeeds) and not excluded by RESTART_NO_PATCH (RmRestart follows an update):
 *      "<image path>" <registered arguments>, as Windows builds it, started in the
 *      directory the application was using;
 *   2. only where GetApplicationRestartSettings is not implemented (E_NOTIMPL: Wine, which
 *      stores nothing), an application with a main window: its original command line
 *      and current directory, read from its PEB (process_params.h). A 32-bit caller
 *      cannot read a 64-bit application's PEB on Wine 8: not restartable then.
 * Anything else is not restartable. On top of that, never with more rights than it had
 * (core/relaunch_rights.h, B-RESTART-5..7): not restartable when it runs as another user
 * than the logged-on one, or elevated while the session's shell is not; an elevated
 * caller starts an unelevated application with the application's own token; a console
 * application gets a new console. */
#ifndef RM_WIN_RELAUNCH_H
#define RM_WIN_RELAUNCH_H

#include <stdint.h>
#include <windows.h>
#include <restartmanager.h>

#include "relaunch_rights.h"
#include "wow64_answer.h"
#include "process/process_snapshot.h"

typedef enum rm_relaunch_source {
    RM_RELAUNCH_NONE,          /* not restartable */
    RM_RELAUNCH_REGISTERED,    /* RegisterApplicationRestart */
    RM_RELAUNCH_STARTED_WITH,  /* Wine fallback: its original command line */
} rm_relaunch_source;

typedef struct rm_relaunch {
    rm_relaunch_source source;
    WCHAR *image_path;         /* malloc'd, may be NULL when unknown */
    WCHAR *command_line;       /* malloc'd; NULL unless restartable */
    WCHAR *directory;          /* malloc'd; NULL = the caller's */
    HANDLE token;              /* the application's own primary token, or NULL: as the caller */
    BOOL new_console;          /* a console application: CREATE_NEW_CONSOLE */
    BOOL no_memory;            /* the capture lacked memory: source is not the whole answer */
} rm_relaunch;

/* A token's facts the rights decision needs (relaunch_rights.h). */
typedef struct rm_token_facts {
    rm_fact elevated;
    BYTE user[SECURITY_MAX_SID_SIZE]; /* valid when has_user */
    BOOL has_user;
} rm_token_facts;

/* What the captures of one call share, so that it reads each of these once: the 64-bit
 * PEBs it learned (process_params.h; NULL: none), and the session shell's token facts
 * (finding the shell takes a process snapshot), read at the first capture that needs
 * them, from any of the call's threads. */
typedef struct rm_relaunch_context {
    const rm_wow64_pebs *pebs;
    /* The call's process snapshot, if it has one: where the shell is looked for when it
     * has no shell window, instead of a snapshot of its own. */
    const rm_process_snapshot *processes;
    INIT_ONCE shell_once, caller_once; /* read once per call, by whichever capture first */
    BOOL shell_known;
    rm_token_facts shell, caller;
} rm_relaunch_context;

void rm_relaunch_context_init(rm_relaunch_context *context, const rm_wow64_pebs *pebs);

/* Fills out for the process (never fails: out says "not restartable" instead). type is
 * the RmGetList application type. */
void rm_relaunch_capture(rm_relaunch_context *context, DWORD pid, RM_APP_TYPE type,
                         rm_relaunch *out);

/* The same, for a process the caller has opened (PROCESS_QUERY_LIMITED_INFORMATION |
 * PROCESS_VM_READ at least) and whose program path it has read (NULL: read here): the
 * description of RmGetList has both, and each costs a round trip to the system. */
void rm_relaunch_capture_opened(rm_relaunch_context *context, HANDLE process,
                                const WCHAR *image_path, RM_APP_TYPE type, rm_relaunch *out);

/* Starts the application again; ERROR_SUCCESS once the process exists, with its pid and
 * creation time (FILETIME as one value) in *pid and *start. */
DWORD rm_relaunch_start(const rm_relaunch *relaunch, DWORD *pid, uint64_t *start);

void rm_relaunch_free(rm_relaunch *relaunch);

/* Full path of pid's executable (malloc'd), NULL if it cannot be read (*no_memory TRUE:
 * for lack of memory). */
WCHAR *rm_process_image_path(DWORD pid, BOOL *no_memory);

#endif
