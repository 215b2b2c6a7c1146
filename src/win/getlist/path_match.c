// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/path_match.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static BOOL starts_with_device(const WCHAR *name, size_t length)
{
    static const WCHAR prefix[] = L"\\DEVICE\\";
    const size_t prefix_length = sizeof(prefix) / sizeof(prefix[0]) - 1;
    if (length < prefix_length)
        return FALSE;
    for (size_t i = 0; i < prefix_length; i++)
        if (rm_char_upcase(name[i]) != prefix[i])
            return FALSE;
    return TRUE;
}

/* QueryDosDevice for each drive letter in use, once: what "\Device\..." names mean as
 * drive paths. Only the letters GetLogicalDrives lists are asked about: each question is
 * a round trip to the system (under Wine, a wineserver request), and most letters are
 * free. */
static void load_devices(rm_path_canonicalizer *canonicalizer)
{
    size_t count = 0;
    const DWORD in_use = GetLogicalDrives();
    for (int letter = 0; letter < RM_DRIVE_COUNT; letter++) {
        WCHAR drive[3] = { (WCHAR)(L'A' + letter), L':', 0 };
        if (in_use && !(in_use & (1u << letter)))
            continue; /* 0: the system did not say; every letter is asked */
        WCHAR *text = canonicalizer->device_text + (size_t)letter * MAX_PATH;
        /* The first string of the answer is the device the drive letter links to. */
        if (!QueryDosDeviceW(drive, text, MAX_PATH))
            continue;
        canonicalizer->devices[count].device = (const rm_wchar *)text;
        canonicalizer->devices[count].device_len = wcsnlen(text, MAX_PATH);
        canonicalizer->devices[count].drive_letter = drive[0];
        count++;
    }
    canonicalizer->device_map.entries = canonicalizer->devices;
    canonicalizer->device_map.count = count;
    canonicalizer->devices_loaded = TRUE;
}

DWORD rm_path_canonicalizer_init(rm_path_canonicalizer *canonicalizer)
{
    memset(canonicalizer, 0, sizeof(*canonicalizer));
    canonicalizer->device_text = malloc((size_t)RM_DRIVE_COUNT * MAX_PATH * sizeof(WCHAR));
    canonicalizer->canonical = malloc(RM_PATH_CANON_CAP * sizeof(WCHAR));
    canonicalizer->long_form = malloc(RM_PATH_CANON_CAP * sizeof(WCHAR));
    if (!canonicalizer->device_text || !canonicalizer->canonical || !canonicalizer->long_form) {
        rm_path_canonicalizer_free(canonicalizer);
        return ERROR_OUTOFMEMORY;
    }
    rm_wow64_view_init(&canonicalizer->wow64);
    return ERROR_SUCCESS;
}

void rm_path_canonicalizer_free(rm_path_canonicalizer *canonicalizer)
{
    free(canonicalizer->device_text);
    free(canonicalizer->canonical);
    free(canonicalizer->long_form);
    memset(canonicalizer, 0, sizeof(*canonicalizer));
}

/* Registered paths hold long names; a drive path with an 8.3 component ("PROGRA~1") is
 * expanded through the file system. Rare outside temp directories, so the cost is fine. */
static size_t expand_short_names(rm_path_canonicalizer *canonicalizer, size_t length)
{
    if (!wmemchr(canonicalizer->canonical, L'~', length) || canonicalizer->canonical[0] == L'\\')
        return length;
    rm_native_fs_scope native; /* the name is the real file's */
    rm_native_fs_enter(&native);
    DWORD long_length = GetLongPathNameW(canonicalizer->canonical, canonicalizer->long_form,
                                         RM_PATH_CANON_CAP);
    rm_native_fs_leave(&native);
    if (long_length == 0 || long_length >= RM_PATH_CANON_CAP)
        return length;
    size_t expanded = rm_path_canonicalize((const rm_wchar *)canonicalizer->long_form, long_length,
                                           (rm_wchar *)canonicalizer->canonical, RM_PATH_CANON_CAP,
                                           NULL);
    return expanded;
}

size_t rm_path_canonicalize_found(rm_path_canonicalizer *canonicalizer, const WCHAR *name,
                                  size_t length, rm_name_view view)
{
    const rm_device_map *map = NULL;
    if (length == 0 || length > RM_PATH_MAX_INPUT)
        return 0;
    if (starts_with_device(name, length)) {
        if (!canonicalizer->devices_loaded)
            load_devices(canonicalizer);
        map = &canonicalizer->device_map;
    }
    size_t canonical_length = rm_path_canonicalize((const rm_wchar *)name, length,
                                                   (rm_wchar *)canonicalizer->canonical,
                                                   RM_PATH_CANON_CAP, map);
    if (canonical_length && view == RM_NAME_WOW64)
        canonical_length = rm_wow64_view_to_real(&canonicalizer->wow64, canonicalizer->canonical,
                                                 canonical_length, RM_PATH_CANON_CAP, TRUE,
                                                 canonicalizer->long_form);
    return canonical_length ? expand_short_names(canonicalizer, canonical_length) : 0;
}

const rm_indexed_file *rm_path_registered_canonical(const rm_resource_index *index,
                                                   const WCHAR *canonical, size_t length)
{
    const rm_indexed_file *file = rm_index_find_file(index, (const rm_wchar *)canonical, length);
    return file && !file->is_directory ? file : NULL;
}

const rm_indexed_file *rm_path_registered_file(rm_path_canonicalizer *canonicalizer,
                                               const rm_resource_index *index,
                                               const WCHAR *name, size_t length,
                                               rm_name_view view)
{
    size_t canonical_length = rm_path_canonicalize_found(canonicalizer, name, length, view);
    return canonical_length
               ? rm_path_registered_canonical(index, canonicalizer->canonical, canonical_length)
               : NULL;
}
