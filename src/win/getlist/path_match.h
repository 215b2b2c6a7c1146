// SPDX-License-Identifier: LGPL-2.1-or-later
/* Canonical form of a name found on the system (a handle's object name, a module or
 * image path) so that one hash lookup in the resource index tells whether it is a
 * registered file. Device names ("\Device\HarddiskVolume1\...") are mapped through the
 * DOS device map, read on first need; names written the way a 32-bit process sees them
 * (its loader list) become the real file (wow64_view.h); 8.3 components are expanded to
 * long names, as the registered paths hold long names. Each canonicalizer belongs to one
 * thread. */
#ifndef RM_WIN_PATH_MATCH_H
#define RM_WIN_PATH_MATCH_H

#include <windows.h>

#include "path_norm.h"
#include "resource_index.h"
#include "process/wow64_view.h"

#define RM_DRIVE_COUNT 26

typedef struct rm_path_canonicalizer {
    BOOL devices_loaded;
    rm_device_prefix devices[RM_DRIVE_COUNT];
    rm_device_map device_map;
    WCHAR *device_text;   /* RM_DRIVE_COUNT * MAX_PATH units: the devices' names */
    WCHAR *canonical;     /* RM_PATH_CANON_CAP units: the last result */
    WCHAR *long_form;     /* RM_PATH_CANON_CAP units: scratch */
    rm_wow64_view wow64;
} rm_path_canonicalizer;

/* Allocates everything the canonicalizer will ever need (workers allocate nothing). */
DWORD rm_path_canonicalizer_init(rm_path_canonicalizer *canonicalizer);
void rm_path_canonicalizer_free(rm_path_canonicalizer *canonicalizer);

/* Writes the canonical form of the real file name[0..length) names (written as view says)
 * to canonicalizer->canonical and returns its length, 0 if it is not an absolute path. */
size_t rm_path_canonicalize_found(rm_path_canonicalizer *canonicalizer, const WCHAR *name,
                                  size_t length, rm_name_view view);

/* The registered file (not a registered directory) canonical[0..length) is, or NULL. */
const rm_indexed_file *rm_path_registered_canonical(const rm_resource_index *index,
                                                   const WCHAR *canonical, size_t length);

/* rm_path_canonicalize_found, then rm_path_registered_canonical. */
const rm_indexed_file *rm_path_registered_file(rm_path_canonicalizer *canonicalizer,
                                               const rm_resource_index *index,
                                               const WCHAR *name, size_t length,
                                               rm_name_view view);

#endif
