// SPDX-License-Identifier: LGPL-2.1-or-later
/* The status callback of RmShutdown and RmRestart: percentages that only ever increase,
 * the last one 100. The callback (cdecl, may be NULL) runs on the API's calling thread. */
#ifndef RM_WIN_PROGRESS_H
#define RM_WIN_PROGRESS_H

#include <stddef.h>
#include <windows.h>
#include <restartmanager.h>

typedef struct rm_progress {
    RM_WRITE_STATUS_CALLBACK callback;
    UINT reported;      /* last percentage given, 0 before the first */
} rm_progress;

/* done of total steps finished: reports the new percentage if it grew (below 100). */
void rm_progress_step(rm_progress *progress, size_t done, size_t total);

/* Reports 100. */
void rm_progress_finish(rm_progress *progress);

#endif
