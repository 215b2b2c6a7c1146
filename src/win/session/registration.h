// SPDX-License-Identifier: LGPL-2.1-or-later
/* Turns the caller's RmRegisterResources arguments into store records, before the
 * session lock is taken: paths become canonical (long names, no prefixes, upper case),
 * directories are marked, services upper-cased. */
#ifndef RM_WIN_REGISTRATION_H
#define RM_WIN_REGISTRATION_H

#include <windows.h>
#include <restartmanager.h>

#include "resource_store.h"

/* RmRegisterResources' arguments, checked for presence by the API. */
typedef struct rm_registration {
    UINT file_count;
    LPCWSTR *files;
    UINT process_count;
    const RM_UNIQUE_PROCESS *processes;
    UINT service_count;
    LPCWSTR *services;
} rm_registration;

typedef struct rm_prepared_record {
    rm_record_kind kind;
    const void *payload;
    uint32_t size;
} rm_prepared_record;

typedef struct rm_prepared_resources {
    rm_prepared_record *records;
    size_t record_count;
    uint32_t store_bytes;   /* what appending them all takes */
    BYTE *arena;            /* payload storage */
} rm_prepared_resources;

DWORD rm_registration_prepare(const struct rm_registration *registration,
                           rm_prepared_resources *prepared);
void rm_registration_prepared_free(rm_prepared_resources *prepared);

/* Canonical form of a caller-supplied file path (see core/path_norm.h), the real file a
 * WoW64 caller's thread names (wow64_view.h); 0 if unusable, or (*no_memory TRUE) if
 * there was no memory to find out. */
size_t rm_canonical_caller_path(const WCHAR *path, WCHAR *out, size_t out_cch, BOOL *no_memory);

/* The same for a path that already names the real file (a process's image path). */
size_t rm_canonical_real_path(const WCHAR *path, WCHAR *out, size_t out_cch, BOOL *no_memory);

#endif
