/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every file under a directory, recursively, as PowerToys File Locksmith lists a
 * folder: depth first, with memory bounded by the depth (one search handle per level
 * and one path buffer), never entering a directory that is a reparse point (symbolic
 * link, junction, mount point: links are not followed). A directory that cannot be
 * listed is reported on stderr and skipped. */
#ifndef RMTOOL_FILE_WALK_H
#define RMTOOL_FILE_WALK_H

#include <stddef.h>
#include <windows.h>

/* Called with each file's full path (valid during the call); FALSE stops the walk. */
typedef BOOL (*file_walk_visit)(void *context, const wchar_t *path);

/* Walks root (a full path). ERROR_SUCCESS, ERROR_CANCELLED if visit stopped it,
 * ERROR_OUTOFMEMORY, or ERROR_FILENAME_EXCED_RANGE for a root too long to list. */
DWORD file_walk(const wchar_t *root, file_walk_visit visit, void *context);

#endif
