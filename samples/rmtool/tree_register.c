/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See tree_register.h. */
#include "tree_register.h"

#include <stdlib.h>
#include <restartmanager.h>

#include "file_walk.h"
#include "output.h"
#include "query.h"

typedef struct file_batch {
    DWORD session;
    wchar_t *paths[TREE_REGISTER_BATCH];
    UINT count;
    DWORD error;               /* the first failure; the walk stops at it */
    const wchar_t *failed_call;
    const wchar_t *root;
    unsigned long listed;
    BOOL show_progress;
    BOOL progress_shown;
    ULONGLONG started;
    ULONGLONG last_shown;
} file_batch;

static void free_paths(file_batch *batch)
{
    for (UINT i = 0; i < batch->count; i++)
        free(batch->paths[i]);
    batch->count = 0;
}

static BOOL flush(file_batch *batch)
{
    DWORD error = batch->count ? RmRegisterResources(batch->session, batch->count,
                                                     (LPCWSTR *)batch->paths, 0, NULL, 0, NULL)
                               : ERROR_SUCCESS;
    free_paths(batch);
    if (error != ERROR_SUCCESS) {
        batch->error = error;
        batch->failed_call = L"RmRegisterResources";
    }
    return error == ERROR_SUCCESS;
}

static void show_progress(file_batch *batch, BOOL last)
{
    ULONGLONG now = GetTickCount64();
    if (!batch->show_progress)
        return;
    if (!last && (now - batch->started < TREE_PROGRESS_INTERVAL_MS ||
                  now - batch->last_shown < TREE_PROGRESS_INTERVAL_MS))
        return;
    if (last && !batch->progress_shown)
        return; /* quick enough not to need one */
    err_printf(L"\rlisting %ls: %lu files%ls", batch->root, batch->listed, last ? L"\n" : L"");
    batch->progress_shown = TRUE;
    batch->last_shown = now;
}

static BOOL add_file(void *context, const wchar_t *path)
{
    file_batch *batch = context;
    if (query_cancelled()) {
        batch->error = ERROR_CANCELLED;
        return FALSE;
    }
    if (!(batch->paths[batch->count] = _wcsdup(path))) {
        batch->error = ERROR_OUTOFMEMORY;
        batch->failed_call = L"listing the directory";
        return FALSE;
    }
    batch->count++;
    batch->listed++;
    if (batch->count == TREE_REGISTER_BATCH && !flush(batch))
        return FALSE;
    if ((batch->listed & 63) == 0)
        show_progress(batch, FALSE);
    return TRUE;
}

DWORD tree_register(DWORD session, const wchar_t *root, BOOL show_progress_line,
                    const wchar_t **failed_call)
{
    file_batch *batch = calloc(1, sizeof(*batch));
    DWORD error;
    if (!batch) {
        *failed_call = L"listing the directory";
        return ERROR_OUTOFMEMORY;
    }
    batch->session = session;
    batch->root = root;
    batch->show_progress = show_progress_line && err_is_console();
    batch->started = batch->last_shown = GetTickCount64();

    error = file_walk(root, add_file, batch);
    if (error == ERROR_SUCCESS)
        flush(batch);
    else if (batch->error == ERROR_SUCCESS) {
        batch->error = error;
        batch->failed_call = L"listing the directory";
    }
    show_progress(batch, TRUE);
    free_paths(batch);
    error = batch->error;
    *failed_call = batch->failed_call;
    free(batch);
    return error;
}
