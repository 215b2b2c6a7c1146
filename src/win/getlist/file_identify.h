// SPDX-License-Identifier: LGPL-2.1-or-later
/* Which processes hold a registered file open: every candidate File handle is
 * duplicated from its owner (the caller's own are read in place), checked to be a disk
 * file (on Windows; Wine names handles without ever blocking, see file_identify.c) and
 * named, at most once per call; the first match of a process ends the work on its
 * handles.
 * Under Wine 8 this costs one duplicate, one name query and one close per handle, three
 * wineserver round trips (~35-50 us; bench_getlist's "walk floor"), and a call is never
 * far above N handles x that. Names are not cached between calls, because nothing in the
 * handle snapshot tells that a handle still refers to the object it named: Wine 8 leaves
 * the entries' Object NULL (also in SystemHandleInformation), and a file closed and
 * another opened with the same access gets the same handle value back, so the entry is
 * identical; on Windows, Object is a kernel address (hidden from some callers) that a
 * new file object may take over as soon as the old one is freed. Measured under Wine 8
 * and not worth it: naming by file id instead (FileInternalInformation costs an fd
 * transfer, about as much as the name; FileIdInformation ~7x more), closing the copies
 * in a batch, 2-3 naming threads (slower: the wineserver is single-threaded).
 * Naming a handle can block forever on Windows (a synchronous pipe or device with
 * a pending request), so it runs on a worker thread the caller watches, one of the
 * call's crew (base/parallel.h): a handle that makes no progress for timeout_ms is
 * skipped and the worker abandoned (never terminated; it owns its buffers and touches
 * the caller's data only under the job's lock after checking it was not abandoned; its
 * thread leaves the crew and ends once the naming returns) and a fresh worker
 * continues. */
#ifndef RM_WIN_FILE_IDENTIFY_H
#define RM_WIN_FILE_IDENTIFY_H

#include <stdint.h>
#include <windows.h>

#include "resource_index.h"
#include "base/parallel.h"
#include "getlist/handle_scan.h"
#include "getlist/process_state.h"
#include "process/process_snapshot.h"

/* The handle that settled a process, and the registered file it names. */
typedef struct rm_handle_evidence {
    uint64_t handle_value;
    const rm_indexed_file *file;
} rm_handle_evidence;

typedef struct rm_identify_request {
    const rm_handle_candidates *candidates;
    const rm_process_snapshot *processes;
    const rm_resource_index *index;
    uint8_t *process_state;   /* processes->count entries, RM_PROCESS_* */
    HANDLE cancel;         /* may be NULL */
    DWORD timeout_ms;      /* without progress, the handle being named is skipped */
    DWORD hang_pid;        /* fault injection: naming this pid's handles blocks; 0 = off */
    rm_handle_evidence *evidence; /* processes->count entries, filled for matched positions */
    rm_crew *crew;         /* the call's threads: the worker is one of them */
} rm_identify_request;

/* ERROR_SUCCESS (process_state updated), ERROR_CANCELLED, or an allocation/thread error. */
DWORD rm_identify_handles(const rm_identify_request *request);

#endif
