// SPDX-License-Identifier: LGPL-2.1-or-later
/* Tells which registered paths name directories (RmGetList refuses those), without a
 * file system query per path: each parent directory is listed once for its
 * subdirectories, and a parent that does not exist answers for all its children. */
#ifndef RM_WIN_DIRECTORY_PROBE_H
#define RM_WIN_DIRECTORY_PROBE_H

#include <windows.h>

typedef struct rm_directory_probe rm_directory_probe;

rm_directory_probe *rm_directory_probe_create(void);
void rm_directory_probe_free(rm_directory_probe *probe);

/* canonical: a path in the core's canonical form (upper case, no trailing separator
 * except for a drive root). *no_memory TRUE: the parent could not be listed for lack of
 * memory, so the answer is unknown. */
BOOL rm_directory_probe_is_directory(rm_directory_probe *probe, const WCHAR *canonical,
                                     size_t length, BOOL *no_memory);

#endif
