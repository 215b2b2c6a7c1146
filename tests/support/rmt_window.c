// SPDX-License-Identifier: LGPL-2.1-or-later
/* Finding a helper's window from the test process. */
#include "rmt_internal.h"

#include <wchar.h>

struct window_search {
    DWORD pid;
    const wchar_t *title;
    HWND found;
};

static BOOL CALLBACK match_window(HWND window, LPARAM context)
{
    struct window_search *search = (struct window_search *)context;
    wchar_t title[256];
    DWORD owner = 0;
    GetWindowThreadProcessId(window, &owner);
    if (owner != search->pid || !IsWindowVisible(window))
        return TRUE;
    /* For another process' window GetWindowText reads the stored caption and sends no
     * message, so a hung helper cannot block the test here. */
    if (search->title) {
        GetWindowTextW(window, title, (int)(sizeof(title) / sizeof(title[0])));
        if (wcscmp(title, search->title) != 0)
            return TRUE;
    }
    search->found = window;
    return FALSE;
}

HWND rmt_find_window(DWORD pid, const wchar_t *title)
{
    struct window_search search = { pid, title, NULL };
    EnumWindows(match_window, (LPARAM)&search);
    return search.found;
}
