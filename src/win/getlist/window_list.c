// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/window_list.h"

#include <stdlib.h>
#include <string.h>

static int by_pid(const void *a, const void *b)
{
    const rm_window_facts *left = a, *right = b;
    return left->pid < right->pid ? -1 : left->pid > right->pid;
}

const rm_window_facts *rm_window_list_find(const rm_window_list *list, DWORD pid)
{
    rm_window_facts key;
    key.pid = pid;
    if (!list->count)
        return NULL;
    return bsearch(&key, list->by_pid, list->count, sizeof(key), by_pid);
}

static BOOL CALLBACK visit_window(HWND window, LPARAM parameter)
{
    rm_window_list *list = (rm_window_list *)parameter;
    DWORD pid = 0;
    GetWindowThreadProcessId(window, &pid);
    rm_window_facts *facts = (rm_window_facts *)rm_window_list_find(list, pid);
    if (!facts)
        return TRUE;
    if (!IsWindowVisible(window) || GetWindow(window, GW_OWNER)) {
        facts->has_other_window = TRUE;
        return TRUE;
    }
    facts->has_main_window = TRUE;
    if (!facts->title[0])
        InternalGetWindowText(window, facts->title, CCH_RM_MAX_APP_NAME + 1);
    return TRUE;
}

DWORD rm_window_list_load(rm_window_list *list, const DWORD *pids, size_t count)
{
    memset(list, 0, sizeof(*list));
    if (!count)
        return ERROR_SUCCESS;
    list->by_pid = calloc(count, sizeof(*list->by_pid));
    if (!list->by_pid)
        return ERROR_OUTOFMEMORY;
    for (size_t i = 0; i < count; i++)
        list->by_pid[i].pid = pids[i];
    qsort(list->by_pid, count, sizeof(*list->by_pid), by_pid);
    size_t unique = 0;
    for (size_t i = 0; i < count; i++)
        if (unique == 0 || list->by_pid[unique - 1].pid != list->by_pid[i].pid)
            list->by_pid[unique++] = list->by_pid[i];
    list->count = unique;
    EnumWindows(visit_window, (LPARAM)list);
    return ERROR_SUCCESS;
}

void rm_window_list_free(rm_window_list *list)
{
    free(list->by_pid);
    memset(list, 0, sizeof(*list));
}
