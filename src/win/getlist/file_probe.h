// SPDX-License-Identifier: LGPL-2.1-or-later
/* A look at the registered files themselves, when there are few of them (or few whose
 * parent directory exists: a list longer than RM_FILE_PROBE_LIMIT is first sorted out by
 * probing its parent directories, at most 64 of them): which exist,
 * which could be mapped as executable images (only a file that starts with "MZ" can),
 * and, where the system provides it (Windows: FileProcessIdsUsingFileInformation; Wine
 * does not), which processes have them open. It lets the resolver skip the module scan
 * and the handle walk when they cannot find anything. Files are opened for attributes
 * (plus data, to read two bytes, unless that conflicts or would recall a cloud file)
 * with full sharing, so no holder is disturbed. */
#ifndef RM_WIN_FILE_PROBE_H
#define RM_WIN_FILE_PROBE_H

#include <windows.h>

#include "name_lengths.h"
#include "resource_index.h"

/* At most this many registered files are opened; when more may exist (or a long list
 * has paths other than drive paths, or too many parents), the probe gives up and
 * everything is "maybe". */
#define RM_FILE_PROBE_LIMIT 64u

typedef struct rm_file_probe {
    BOOL any_present;   /* some file exists, or could not be ruled out */
    BOOL maybe_image;   /* some file may be an executable image */
    BOOL users_known;   /* the system listed the users of every present file */
    /* The base-name lengths (long and 8.3) of the present files that may be images: a
     * module of another name length cannot be one of them. */
    rm_name_lengths image_name_lengths;
    DWORD *user_pids;   /* then: those users (our own pid left out), possibly repeated */
    size_t user_count;
} rm_file_probe;

DWORD rm_file_probe_run(const rm_resource_index *index, rm_file_probe *probe);
void rm_file_probe_free(rm_file_probe *probe);

#endif
