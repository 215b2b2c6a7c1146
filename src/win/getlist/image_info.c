// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/image_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_version.h"
#include "process/wow64_view.h"

_Static_assert(sizeof(WCHAR) == sizeof(rm_wchar), "the description is written in place");

/* The handle is this call's own: a seek and a plain read cost Wine ~4 us, a read at an
 * OVERLAPPED offset ~70 us. */
static int read_at(void *context, uint64_t offset, void *buffer, size_t size)
{
    LARGE_INTEGER at;
    DWORD done = 0;
    if (size > MAXDWORD || offset > (uint64_t)INT64_MAX)
        return 0;
    at.QuadPart = (LONGLONG)offset;
    return SetFilePointerEx(*(HANDLE *)context, at, NULL, FILE_BEGIN) &&
           ReadFile(*(HANDLE *)context, buffer, (DWORD)size, &done, NULL) && done == size;
}

/* The languages of the version resource, in the order GetFileVersionInfoW's
 * FindResourceW(file, MAKEINTRESOURCE(VS_VERSION_INFO), RT_VERSION) takes them: it asks
 * for LANG_NEUTRAL, which the loader tries first and then expands into a list, ending
 * with the directory's first entry (pe_version.h). Windows' resource loader goes by the
 * preferred UI languages (page "Representing the Correct Language to the User"); Wine's
 * LdrFindResource_U by the thread, user and system locales, each also with its neutral
 * sublanguage, then English (US). Both are listed, Windows' first: they agree when the
 * UI languages and the locales do, and almost every file has one language, which is taken
 * whatever the list. Not GetThreadUILanguage: Wine's is a stub that prints a FIXME on
 * every call, and the describing threads never set one of their own. */
static size_t preferred_languages(LANGID *languages)
{
    const LANGID user = GetUserDefaultLangID(), system = GetSystemDefaultLangID();
    size_t n = 0;
    languages[n++] = MAKELANGID(LANG_NEUTRAL, SUBLANG_NEUTRAL);
    languages[n++] = GetUserDefaultUILanguage();
    languages[n++] = GetSystemDefaultUILanguage();
    languages[n++] = LANGIDFROMLCID(GetThreadLocale());
    languages[n++] = user;
    languages[n++] = MAKELANGID(PRIMARYLANGID(user), SUBLANG_NEUTRAL);
    languages[n++] = system;
    languages[n++] = MAKELANGID(PRIMARYLANGID(system), SUBLANG_NEUTRAL);
    languages[n++] = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);
    return n;
}

static BOOL copy_localised(const void *version, const WCHAR *table, WCHAR *out)
{
    WCHAR query[64];
    WCHAR *text = NULL;
    UINT length = 0;
    swprintf(query, 64, L"\\StringFileInfo\\%ls\\FileDescription", table);
    if (!VerQueryValueW(version, query, (void **)&text, &length) || !text || length == 0 ||
        !text[0])
        return FALSE;
    wcsncpy(out, text, CCH_RM_MAX_APP_NAME);
    out[CCH_RM_MAX_APP_NAME] = 0;
    return TRUE;
}

/* A file with language satellites (pe_version.h: has_mui): the system's own call reads
 * the description from the satellite of the user's language, with the same lookup order
 * as the core (Translation, then the three usual tables). Windows' system programs are
 * such files; Wine's are not. */
static void read_localised_description(const WCHAR *path, rm_image_info *facts)
{
    DWORD ignored = 0;
    DWORD size = GetFileVersionInfoSizeW(path, &ignored);
    facts->description[0] = 0;
    if (size == 0)
        return;
    void *version = malloc(size);
    if (!version) {
        facts->no_memory = TRUE;
        return;
    }
    if (GetFileVersionInfoW(path, 0, size, version)) {
        WORD *translation = NULL;
        UINT bytes = 0;
        WCHAR table[16];
        BOOL found = FALSE;
        if (VerQueryValueW(version, L"\\VarFileInfo\\Translation", (void **)&translation,
                           &bytes) &&
            translation && bytes >= 2 * sizeof(WORD)) {
            swprintf(table, 16, L"%04x%04x", translation[0], translation[1]);
            found = copy_localised(version, table, facts->description);
        }
        if (!found && !copy_localised(version, L"040904b0", facts->description) &&
            !copy_localised(version, L"040904e4", facts->description))
            copy_localised(version, L"000004b0", facts->description);
    }
    free(version);
}

/* Both facts from one open of the file, read by the core. */
static void read_image(const WCHAR *path, rm_image_info *facts)
{
    rm_native_fs_scope native; /* image paths name real files */
    rm_native_fs_enter(&native);
    HANDLE file = CreateFileW(path, GENERIC_READ,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, 0, NULL);
    rm_native_fs_leave(&native);
    if (file == INVALID_HANDLE_VALUE)
        return;
    LANGID languages[RM_PE_MAX_LANGUAGES];
    const size_t count = preferred_languages(languages);
    const rm_pe_image_facts read = rm_pe_image_read(read_at, &file, languages, count,
                                                    (rm_wchar *)facts->description,
                                                    CCH_RM_MAX_APP_NAME + 1);
    CloseHandle(file);
    facts->is_console = read.is_console;
    facts->no_memory = read.no_memory;
    if (read.has_mui) {
        rm_native_fs_enter(&native);
        read_localised_description(path, facts);
        rm_native_fs_leave(&native);
    }
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
    read_image(path, facts);
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
