// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/image_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "process/wow64_view.h"

#define HEADER_BYTES 4096u
/* IMAGE_NT_HEADERS: Signature (4) + IMAGE_FILE_HEADER (20), then the optional header,
 * whose Subsystem field is at offset 68 in both PE32 and PE32+. */
#define OPTIONAL_HEADER_OFFSET 24u
#define SUBSYSTEM_OFFSET (OPTIONAL_HEADER_OFFSET + 68u)

static BOOL read_at(HANDLE file, DWORD offset, void *buffer, DWORD size)
{
    OVERLAPPED at = {0};
    DWORD done = 0;
    at.Offset = offset;
    return ReadFile(file, buffer, size, &done, &at) && done == size;
}

static BOOL is_console_image(const WCHAR *path)
{
    BYTE header[HEADER_BYTES];
    LONG pe_offset;
    WORD subsystem = 0;
    BOOL console = FALSE;
    rm_native_fs_scope native; /* image paths name real files */
    rm_native_fs_enter(&native);
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              NULL, OPEN_EXISTING, 0, NULL);
    rm_native_fs_leave(&native);
    if (file == INVALID_HANDLE_VALUE)
        return FALSE;
    if (read_at(file, 0, header, 0x40) && header[0] == 'M' && header[1] == 'Z') {
        memcpy(&pe_offset, header + 0x3C, sizeof(pe_offset));
        if (pe_offset > 0 && read_at(file, (DWORD)pe_offset, header, SUBSYSTEM_OFFSET + 2) &&
            memcmp(header, "PE\0\0", 4) == 0) {
            memcpy(&subsystem, header + SUBSYSTEM_OFFSET, sizeof(subsystem));
            console = subsystem == IMAGE_SUBSYSTEM_WINDOWS_CUI;
        }
    }
    CloseHandle(file);
    return console;
}

static BOOL copy_description(const void *version, const WCHAR *language, WCHAR *out)
{
    WCHAR query[64];
    WCHAR *text = NULL;
    UINT length = 0;
    swprintf(query, 64, L"\\StringFileInfo\\%ls\\FileDescription", language);
    if (!VerQueryValueW(version, query, (void **)&text, &length) || !text || length == 0 || !text[0])
        return FALSE;
    wcsncpy(out, text, CCH_RM_MAX_APP_NAME);
    out[CCH_RM_MAX_APP_NAME] = 0;
    return TRUE;
}

static void read_description(const WCHAR *path, WCHAR *out, BOOL *no_memory)
{
    DWORD ignored = 0;
    DWORD size = GetFileVersionInfoSizeW(path, &ignored);
    out[0] = 0;
    if (size == 0)
        return;
    void *version = malloc(size);
    if (!version) {
        *no_memory = TRUE;
        return;
    }
    if (GetFileVersionInfoW(path, 0, size, version)) {
        WORD *translations = NULL;
        UINT bytes = 0;
        WCHAR language[16];
        BOOL found = FALSE;
        if (VerQueryValueW(version, L"\\VarFileInfo\\Translation", (void **)&translations, &bytes) &&
            translations && bytes >= 2 * sizeof(WORD)) {
            swprintf(language, 16, L"%04x%04x", translations[0], translations[1]);
            found = copy_description(version, language, out);
        }
        /* Common fallbacks: US English with Unicode or Western code pages, neutral. */
        if (!found && !copy_description(version, L"040904b0", out) &&
            !copy_description(version, L"040904e4", out))
            copy_description(version, L"000004b0", out);
    }
    free(version);
}

void rm_image_cache_init(rm_image_cache *cache)
{
    memset(cache, 0, sizeof(*cache));
}

void rm_image_cache_free(rm_image_cache *cache)
{
    for (unsigned i = 0; i < cache->used; i++)
        free(cache->paths[i]);
    memset(cache, 0, sizeof(*cache));
}

void rm_image_info_get(rm_image_cache *cache, const WCHAR *path, rm_image_info *facts)
{
    for (unsigned i = 0; i < cache->used; i++)
        if (wcscmp(cache->paths[i], path) == 0) {
            *facts = cache->facts[i];
            return;
        }
    memset(facts, 0, sizeof(*facts));
    facts->is_console = is_console_image(path);
    read_description(path, facts->description, &facts->no_memory);
    WCHAR *copy = facts->no_memory ? NULL : _wcsdup(path);
    if (!copy)
        return; /* not cached */
    unsigned at;
    if (cache->used < RM_IMAGE_CACHE_SIZE) {
        at = cache->used++;
    } else {
        at = cache->next_victim;
        cache->next_victim = (at + 1) % RM_IMAGE_CACHE_SIZE;
        free(cache->paths[at]);
    }
    cache->paths[at] = copy;
    cache->facts[at] = *facts;
}
