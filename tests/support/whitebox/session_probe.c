// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session_probe.h"

#include <sddl.h>
#include <stdio.h>
#include "key.h"
#include "resource_index.h"
#include "resource_store.h"
#include "session_table.h"

BOOL probe_object_name(const wchar_t *what, wchar_t *out, size_t cch)
{
    HANDLE token;
    BYTE buffer[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    DWORD size;
    LPWSTR sid = NULL;
    BOOL ok = OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token);
    if (!ok)
        return FALSE;
    ok = GetTokenInformation(token, TokenUser, buffer, sizeof(buffer), &size) &&
         ConvertSidToStringSidW(((TOKEN_USER *)buffer)->User.Sid, &sid);
    CloseHandle(token);
    if (ok)
        _snwprintf(out, cch, L"Local\\rstrtmgr.%s.%s", sid, what);
    LocalFree(sid);
    return ok;
}

void *probe_map_table(HANDLE *section)
{
    wchar_t name[256];
    if (!probe_object_name(L"table", name, ARRAYSIZE(name)))
        return NULL;
    *section = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
    if (!*section)
        return NULL;
    void *view = MapViewOfFile(*section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, sizeof(rm_table));
    if (!view)
        CloseHandle(*section);
    return view;
}

BOOL probe_count_resources(const wchar_t *key_text, size_t *files, size_t *processes,
                           size_t *services)
{
    HANDLE table_section, store_section;
    rm_key key;
    wchar_t what[32], name[256];
    BOOL ok = FALSE;

    if (!rm_key_parse((const rm_wchar *)key_text, &key))
        return FALSE;
    rm_table *table = probe_map_table(&table_section);
    if (!table)
        return FALSE;
    int slot = rm_table_find_key(table, &key);
    uint32_t serial = slot >= 0 ? table->slots[slot].serial : 0;
    uint32_t bytes = slot >= 0 ? table->slots[slot].store_bytes : 0;
    UnmapViewOfFile(table);
    CloseHandle(table_section);
    if (slot < 0)
        return FALSE;
    _snwprintf(what, ARRAYSIZE(what), L"store.%u", serial);
    if (!probe_object_name(what, name, ARRAYSIZE(name)))
        return FALSE;
    store_section = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
    if (!store_section)
        return FALSE;
    BYTE *store = MapViewOfFile(store_section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, bytes);
    if (store && VirtualAlloc(store, sizeof(rm_store_header), MEM_COMMIT, PAGE_READWRITE)) {
        uint32_t used = rm_store_used(store, bytes), cursor = 0;
        rm_resource_index *index = rm_index_create();
        if (used != UINT32_MAX &&
            VirtualAlloc(store, sizeof(rm_store_header) + used, MEM_COMMIT, PAGE_READWRITE) &&
            rm_index_ingest(index, store, bytes, used, &cursor) == RM_INGEST_OK) {
            *files = rm_index_file_count(index);
            *processes = rm_index_process_count(index);
            *services = rm_index_service_count(index);
            ok = TRUE;
        }
        rm_index_destroy(index);
    }
    if (store)
        UnmapViewOfFile(store);
    CloseHandle(store_section);
    return ok;
}

size_t probe_count_files(const wchar_t *key)
{
    size_t files = 0, processes = 0, services = 0;
    if (!probe_count_resources(key, &files, &processes, &services))
        return (size_t)-1;
    return files;
}
