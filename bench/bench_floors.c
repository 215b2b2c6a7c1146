/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench_floors.h"

#include <stdlib.h>
#include <winternl.h>
#include "bench_common.h"
#include "base/nt_system.h"

double bench_snapshot_ms(ULONG info_class, void **buffer, ULONG *size)
{
    double start = bench_now_ms();
    for (;;) {
        ULONG needed = 0;
        NTSTATUS status = NtQuerySystemInformation((SYSTEM_INFORMATION_CLASS)info_class, *buffer,
                                                   *size, &needed);
        if (status != RM_STATUS_INFO_LENGTH_MISMATCH)
            break;
        *size = needed > *size ? needed + needed / 8 : *size * 2;
        *buffer = realloc(*buffer, *size);
    }
    return bench_now_ms() - start;
}

double bench_snapshots_floor_ms(void)
{
    ULONG handle_size = 1 << 20, process_size = 1 << 18;
    void *handles = malloc(handle_size), *processes = malloc(process_size);
    double ms = bench_snapshot_ms(RM_SYSTEM_EXTENDED_HANDLE_INFORMATION, &handles, &handle_size) +
                bench_snapshot_ms(RM_SYSTEM_PROCESS_INFORMATION, &processes, &process_size);
    free(handles);
    free(processes);
    return ms;
}

double bench_name_handles_floor_ms(BOOL (*include)(void *context, DWORD pid), void *context,
                                   size_t *named)
{
    const DWORD self = GetCurrentProcessId();
    WCHAR path[MAX_PATH];
    ULONG handle_size = 1 << 20, returned;
    void *raw = malloc(handle_size), *name = malloc(65536 + sizeof(UNICODE_STRING));
    GetModuleFileNameW(NULL, path, MAX_PATH);
    HANDLE known = CreateFileW(path, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE |
                               FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0, NULL);
    /* The snapshot that finds the File type is not part of this floor. */
    bench_snapshot_ms(RM_SYSTEM_EXTENDED_HANDLE_INFORMATION, &raw, &handle_size);
    const rm_nt_handle_table *table = raw;
    USHORT file_type = 0xFFFF;
    for (ULONG_PTR i = 0; i < table->handle_count; i++)
        if (table->handles[i].process_id == self && table->handles[i].handle_value == (ULONG_PTR)known)
            file_type = table->handles[i].object_type_index;
    ULONG_PTR owner = (ULONG_PTR)-1;
    HANDLE source = NULL;
    BOOL wanted = FALSE;
    *named = 0;
    double start = bench_now_ms();
    for (ULONG_PTR i = 0; i < table->handle_count; i++) {
        const rm_nt_handle_entry *entry = &table->handles[i];
        HANDLE copy;
        if (entry->object_type_index != file_type || entry->process_id == self)
            continue;
        if (entry->process_id != owner) {
            if (source)
                CloseHandle(source);
            owner = entry->process_id;
            wanted = !include || include(context, (DWORD)owner);
            source = wanted ? OpenProcess(PROCESS_DUP_HANDLE, FALSE, (DWORD)owner) : NULL;
        }
        if (!source || !DuplicateHandle(source, (HANDLE)entry->handle_value, GetCurrentProcess(),
                                        &copy, 0, FALSE, DUPLICATE_SAME_ACCESS))
            continue;
        NtQueryObject(copy, (OBJECT_INFORMATION_CLASS)RM_OBJECT_NAME_INFORMATION, name,
                      65536 + sizeof(UNICODE_STRING), &returned);
        CloseHandle(copy);
        ++*named;
    }
    if (source)
        CloseHandle(source);
    double elapsed = bench_now_ms() - start;
    CloseHandle(known);
    free(raw);
    free(name);
    return elapsed;
}

BOOL bench_count_module(void *context, const WCHAR *path, size_t length, rm_name_view view)
{
    (void)path;
    (void)length;
    (void)view;
    ++*(size_t *)context;
    return FALSE;
}

void bench_api_this_build(bench_api *api)
{
    api->label = "this build";
    api->start_session = RmStartSession;
    api->register_resources = RmRegisterResources;
    api->get_list = RmGetList;
    api->end_session = RmEndSession;
}

BOOL bench_api_load(const wchar_t *path, bench_api *api)
{
    HMODULE dll = LoadLibraryW(path);
    if (!dll)
        return FALSE;
    api->label = "baseline";
    api->start_session = (void *)GetProcAddress(dll, "RmStartSession");
    api->register_resources = (void *)GetProcAddress(dll, "RmRegisterResources");
    api->get_list = (void *)GetProcAddress(dll, "RmGetList");
    api->end_session = (void *)GetProcAddress(dll, "RmEndSession");
    return api->start_session && api->register_resources && api->get_list && api->end_session;
}
