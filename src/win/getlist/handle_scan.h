// SPDX-License-Identifier: LGPL-2.1-or-later
/* The open File handles of other processes (and of our own), from one
 * SystemExtendedHandleInformation snapshot: only handles whose object type is File, of
 * processes present in the process snapshot and not excluded, grouped by process. The
 * File type index is learnt at run time from a handle of our own to a known file. */
#ifndef RM_WIN_HANDLE_SCAN_H
#define RM_WIN_HANDLE_SCAN_H

#include <stdint.h>
#include <windows.h>

#include "process/process_snapshot.h"

typedef struct rm_handle_candidate {
    ULONG_PTR value;     /* the handle, in its owner's table */
    uint32_t position;       /* its owner, as a process snapshot position */
} rm_handle_candidate;

typedef struct rm_handle_candidates {
    rm_handle_candidate *items; /* all handles of one process are adjacent */
    size_t count;
    size_t file_handle_total;   /* File handles in the snapshot, before exclusions */
} rm_handle_candidates;

/* exclude[position] != 0 drops that process's handles (e.g. processes already matched). */
DWORD rm_handle_scan(const rm_process_snapshot *processes, const uint8_t *exclude,
                     rm_handle_candidates *out);
void rm_handle_candidates_free(rm_handle_candidates *candidates);

#endif
