// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/handle_scan.h"

#include <stdlib.h>
#include <string.h>

#include "base/nt_system.h"

#define NO_TYPE 0xFFFFu

/* A file handle of ours whose value we can look for in the snapshot: this DLL's file. */
static HANDLE open_known_file(void)
{
    WCHAR path[MAX_PATH * 2];
    HMODULE self = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)open_known_file, &self))
        return INVALID_HANDLE_VALUE;
    DWORD length = GetModuleFileNameW(self, path, MAX_PATH * 2);
    if (length == 0 || length >= MAX_PATH * 2)
        return INVALID_HANDLE_VALUE;
    return CreateFileW(path, FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                       0, NULL);
}

static USHORT find_file_type(const rm_nt_handle_table *table, HANDLE known)
{
    const ULONG_PTR self = GetCurrentProcessId();
    for (ULONG_PTR i = 0; i < table->handle_count; i++) {
        const rm_nt_handle_entry *entry = &table->handles[i];
        if (entry->process_id == self && entry->handle_value == (ULONG_PTR)known)
            return entry->object_type_index;
    }
    return NO_TYPE;
}

/* Position of each handle's owner; consecutive handles usually share one, so remember it. */
typedef struct owner_cache {
    ULONG_PTR pid;
    size_t position;
} owner_cache;

static size_t owner_position(const rm_process_snapshot *processes, owner_cache *cache, ULONG_PTR pid)
{
    if (pid != cache->pid) {
        cache->pid = pid;
        cache->position = pid > MAXDWORD ? RM_NO_POSITION : rm_process_snapshot_find(processes, (DWORD)pid);
    }
    return cache->position;
}

/* Keeps the wanted handles, grouped by owner with a counting sort (O(handles)). */
static DWORD collect(const rm_nt_handle_table *table, USHORT file_type, HANDLE known,
                     const rm_process_snapshot *processes, const uint8_t *exclude,
                     rm_handle_candidates *out)
{
    const ULONG_PTR self = GetCurrentProcessId();
    size_t *starts = calloc(processes->count + 1, sizeof(*starts));
    owner_cache cache = { (ULONG_PTR)-1, RM_NO_POSITION };
    size_t count = 0;
    if (!starts)
        return ERROR_OUTOFMEMORY;
    for (ULONG_PTR i = 0; i < table->handle_count; i++) {
        const rm_nt_handle_entry *entry = &table->handles[i];
        if (entry->object_type_index != file_type)
            continue;
        out->file_handle_total++;
        if (entry->process_id == self && entry->handle_value == (ULONG_PTR)known)
            continue;
        size_t position = owner_position(processes, &cache, entry->process_id);
        if (position == RM_NO_POSITION || (exclude && exclude[position]))
            continue;
        starts[position + 1]++;
        count++;
    }
    out->items = malloc((count ? count : 1) * sizeof(*out->items));
    if (!out->items) {
        free(starts);
        return ERROR_OUTOFMEMORY;
    }
    for (size_t position = 0; position < processes->count; position++)
        starts[position + 1] += starts[position];
    cache.pid = (ULONG_PTR)-1;
    for (ULONG_PTR i = 0; i < table->handle_count; i++) {
        const rm_nt_handle_entry *entry = &table->handles[i];
        if (entry->object_type_index != file_type ||
            (entry->process_id == self && entry->handle_value == (ULONG_PTR)known))
            continue;
        size_t position = owner_position(processes, &cache, entry->process_id);
        if (position == RM_NO_POSITION || (exclude && exclude[position]))
            continue;
        rm_handle_candidate *candidate = &out->items[starts[position]++];
        candidate->value = entry->handle_value;
        candidate->position = (uint32_t)position;
    }
    out->count = count;
    free(starts);
    return ERROR_SUCCESS;
}

DWORD rm_handle_scan(const rm_process_snapshot *processes, const uint8_t *exclude,
                     rm_handle_candidates *out)
{
    void *raw = NULL;
    memset(out, 0, sizeof(*out));
    HANDLE known = open_known_file();
    if (known == INVALID_HANDLE_VALUE)
        return GetLastError() ? GetLastError() : ERROR_FILE_NOT_FOUND;
    DWORD error = rm_query_system_table(RM_SYSTEM_EXTENDED_HANDLE_INFORMATION, 1u << 20, &raw);
    if (error == ERROR_SUCCESS) {
        const rm_nt_handle_table *table = raw;
        USHORT file_type = find_file_type(table, known);
        error = file_type == NO_TYPE ? ERROR_NOT_SUPPORTED
                                     : collect(table, file_type, known, processes, exclude, out);
    }
    CloseHandle(known);
    free(raw);
    return error;
}

void rm_handle_candidates_free(rm_handle_candidates *candidates)
{
    free(candidates->items);
    memset(candidates, 0, sizeof(*candidates));
}
