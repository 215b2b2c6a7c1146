// SPDX-License-Identifier: LGPL-2.1-or-later
/* Top-level windows of the processes of interest, from one EnumWindows per call: whether
 * a process has a main window (visible, unowned) and its title, or only other windows.
 * Titles are read with InternalGetWindowText, which sends no message, so a hung
 * application cannot block the call. */
#ifndef RM_WIN_WINDOW_LIST_H
#define RM_WIN_WINDOW_LIST_H

#include <stddef.h>
#include <windows.h>
#include <restartmanager.h>

typedef struct rm_window_facts {
    DWORD pid;
    BOOL has_main_window;
    BOOL has_other_window;
    WCHAR title[CCH_RM_MAX_APP_NAME + 1]; /* of a main window; "" if none has a title */
} rm_window_facts;

typedef struct rm_window_list {
    rm_window_facts *by_pid;  /* sorted by pid */
    size_t count;
} rm_window_list;

/* Looks at the windows of pids[0..count) only (any order, duplicates allowed). */
DWORD rm_window_list_load(rm_window_list *list, const DWORD *pids, size_t count);
void rm_window_list_free(rm_window_list *list);

/* NULL when pid was not asked for. */
const rm_window_facts *rm_window_list_find(const rm_window_list *list, DWORD pid);

#endif
