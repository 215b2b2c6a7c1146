// SPDX-License-Identifier: LGPL-2.1-or-later
/* What a program's file says about it: whether it is a console program (the Subsystem
 * field of its PE header is IMAGE_SUBSYSTEM_WINDOWS_CUI) and its file description (from
 * its version resource), both read from one open of the file by the core's PE reader
 * (src/core/pe_version.h), so it works for every target bitness and needs no access to
 * the process. Results are cached per call by path (many processes usually run one
 * program). */
#ifndef RM_WIN_IMAGE_INFO_H
#define RM_WIN_IMAGE_INFO_H

#include <windows.h>
#include <restartmanager.h>

typedef struct rm_image_info {
    BOOL is_console;
    WCHAR description[CCH_RM_MAX_APP_NAME + 1]; /* "" if the file has none */
    BOOL no_memory;            /* the description could not be read for lack of memory */
} rm_image_info;

#define RM_IMAGE_CACHE_SIZE 32

typedef struct rm_image_cache {
    WCHAR *paths[RM_IMAGE_CACHE_SIZE];
    rm_image_info facts[RM_IMAGE_CACHE_SIZE];
    unsigned used;
    unsigned next_victim;
} rm_image_cache;

void rm_image_cache_init(rm_image_cache *cache);
void rm_image_cache_free(rm_image_cache *cache);

/* Facts about the program file at path (zeroed facts if it cannot be read). */
void rm_image_info_get(rm_image_cache *cache, const WCHAR *path, rm_image_info *facts);

#endif
