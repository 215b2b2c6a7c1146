// SPDX-License-Identifier: LGPL-2.1-or-later
/* The last step of RmGetList's resolution: every affected process described as an
 * RM_PROCESS_INFO (app_info.h), a few at once. Describing one costs a millisecond or more
 * (its path, rights, image resources, restart capture), most of it waiting on the system,
 * and an installer's registration affects many processes: workers describe them side by
 * side, while one more loads the services from the SCM (needed only by the processes the
 * SCM started) and then describes those.
 *
 * The answer is the sequential one: the same entries in the same order, the same
 * reasons. Workers send no window messages (the window facts are read before the
 * description starts), so the describing thread waits without answering any. A process
 * whose worker could not run is described on the describing thread afterwards. */
#ifndef RM_WIN_DESCRIBE_H
#define RM_WIN_DESCRIBE_H

#include <windows.h>
#include <restartmanager.h>

#include "base/parallel.h"
#include "getlist/app_info.h"
#include "getlist/service_lookup.h"
#include "getlist/window_list.h"
#include "process/process_snapshot.h"
#include "process/relaunch.h"

typedef struct rm_describe_request {
    const rm_process_snapshot *processes;
    const size_t *targets;              /* snapshot positions, in the answer's order */
    size_t count;
    const BOOL *started_by_scm;         /* per target: the SCM is its creator */
    const WCHAR *const *matched_service; /* per snapshot position, or NULL */
    const rm_opened_process *opened;    /* per snapshot position: opened already, or NULL */
    rm_service_list *services;          /* loaded here if some target was started by the SCM */
    BOOL services_loaded;               /* ... unless the resolution loaded them already */
    const rm_window_list *windows;
    DWORD caller_session;
    rm_relaunch_context *relaunch;      /* shared by every worker's restart captures */
    rm_crew *crew;                      /* the call's threads (base/parallel.h) */
    size_t max_workers;                 /* describing workers at most; 0: the default */
    RM_PROCESS_INFO *apps;              /* out: count entries */
    DWORD *reasons;                     /* out: the reboot reasons, or'd in */
    ULONG *elapsed_us;                  /* out: per target, for the trace */
} rm_describe_request;

/* ERROR_SUCCESS, or ERROR_OUTOFMEMORY when a description or the service list is
 * incomplete for lack of memory (the call then fails, as a sequential one would). */
DWORD rm_describe_processes(rm_describe_request *request);

#endif
