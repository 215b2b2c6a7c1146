// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session/directory_probe.h"

#include <stdlib.h>
#include <string.h>

#include "path_norm.h"
#include "process/wow64_view.h"

/* Parents remembered at once: installers register files directory by directory. */
#define CACHED_PARENTS 8

typedef struct parent_listing {
    WCHAR *parent;          /* canonical parent path, NUL-terminated */
    size_t parent_length;
    WCHAR **subdirectories; /* upper-cased names, sorted */
    size_t count;
    unsigned last_use;
    BOOL no_memory;         /* incomplete: not to be believed, nor kept */
} parent_listing;

struct rm_directory_probe {
    parent_listing parents[CACHED_PARENTS];
    unsigned clock;
};

static void listing_clear(parent_listing *listing)
{
    for (size_t i = 0; i < listing->count; i++)
        free(listing->subdirectories[i]);
    free(listing->subdirectories);
    free(listing->parent);
    ZeroMemory(listing, sizeof(*listing));
}

rm_directory_probe *rm_directory_probe_create(void)
{
    return calloc(1, sizeof(rm_directory_probe));
}

void rm_directory_probe_free(rm_directory_probe *probe)
{
    if (!probe)
        return;
    for (size_t i = 0; i < CACHED_PARENTS; i++)
        listing_clear(&probe->parents[i]);
    free(probe);
}

static int compare_names(const void *a, const void *b)
{
    return wcscmp(*(WCHAR *const *)a, *(WCHAR *const *)b);
}

static BOOL is_dot_entry(const WCHAR *name)
{
    return name[0] == L'.' && (name[1] == 0 || (name[1] == L'.' && name[2] == 0));
}

static BOOL add_name(parent_listing *listing, size_t *capacity, const WCHAR *name)
{
    if (listing->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 16;
        WCHAR **names = realloc(listing->subdirectories, grown * sizeof(*names));
        if (!names)
            return FALSE;
        listing->subdirectories = names;
        *capacity = grown;
    }
    size_t length = wcslen(name);
    WCHAR *copy = malloc((length + 1) * sizeof(WCHAR));
    if (!copy)
        return FALSE;
    for (size_t i = 0; i <= length; i++)
        copy[i] = rm_char_upcase(name[i]);
    listing->subdirectories[listing->count++] = copy;
    return TRUE;
}

/* Lists parent's subdirectories; a parent that cannot be listed has none. */
static void list_parent(parent_listing *listing, const WCHAR *parent, size_t length)
{
    WIN32_FIND_DATAW entry;
    size_t capacity = 0;
    WCHAR *pattern = malloc((length + 3) * sizeof(WCHAR));

    listing->parent = malloc((length + 1) * sizeof(WCHAR));
    if (!pattern || !listing->parent) {
        free(pattern);
        listing->no_memory = TRUE;
        return;
    }
    memcpy(listing->parent, parent, length * sizeof(WCHAR));
    listing->parent[length] = 0;
    listing->parent_length = length;
    memcpy(pattern, parent, length * sizeof(WCHAR));
    pattern[length] = L'\\';
    pattern[length + 1] = L'*';
    pattern[length + 2] = 0;
    if (length && parent[length - 1] == L'\\') { /* a drive root keeps its separator */
        pattern[length] = L'*';
        pattern[length + 1] = 0;
    }
    rm_native_fs_scope native; /* registered paths are real files */
    rm_native_fs_enter(&native);
    HANDLE find = FindFirstFileExW(pattern, FindExInfoBasic, &entry, FindExSearchLimitToDirectories,
                                   NULL, FIND_FIRST_EX_LARGE_FETCH);
    rm_native_fs_leave(&native);
    free(pattern);
    if (find == INVALID_HANDLE_VALUE)
        return;
    do {
        if ((entry.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) && !is_dot_entry(entry.cFileName) &&
            !add_name(listing, &capacity, entry.cFileName)) {
            listing->no_memory = TRUE;
            break;
        }
    } while (FindNextFileW(find, &entry));
    FindClose(find);
    qsort(listing->subdirectories, listing->count, sizeof(WCHAR *), compare_names);
}

static parent_listing *listing_for(rm_directory_probe *probe, const WCHAR *parent, size_t length)
{
    parent_listing *oldest = &probe->parents[0];
    for (size_t i = 0; i < CACHED_PARENTS; i++) {
        parent_listing *listing = &probe->parents[i];
        if (listing->parent && listing->parent_length == length &&
            memcmp(listing->parent, parent, length * sizeof(WCHAR)) == 0) {
            listing->last_use = ++probe->clock;
            return listing;
        }
        if (listing->last_use < oldest->last_use)
            oldest = listing;
    }
    listing_clear(oldest);
    list_parent(oldest, parent, length);
    oldest->last_use = ++probe->clock;
    return oldest;
}

BOOL rm_directory_probe_is_directory(rm_directory_probe *probe, const WCHAR *canonical,
                                     size_t length, BOOL *no_memory)
{
    *no_memory = FALSE;
    size_t name_at = rm_path_file_name_offset((const rm_wchar *)canonical, length);
    if (name_at == 0 || name_at >= length)
        return name_at >= length && length > 0; /* a drive root is a directory */
    /* The parent keeps its separator only when it is a drive root ("C:\"). */
    size_t parent_length = name_at - 1;
    if (parent_length == 2 && canonical[1] == L':')
        parent_length = name_at;
    parent_listing *listing = listing_for(probe, canonical, parent_length);
    if (listing->no_memory) {
        *no_memory = TRUE;
        listing_clear(listing);
        return FALSE;
    }
    WCHAR name[MAX_PATH + 1];
    size_t name_length = length - name_at;
    if (name_length > MAX_PATH)
        return FALSE; /* longer than any directory entry can be */
    memcpy(name, canonical + name_at, name_length * sizeof(WCHAR));
    name[name_length] = 0;
    const WCHAR *key = name;
    return listing->count &&
           bsearch(&key, listing->subdirectories, listing->count, sizeof(WCHAR *), compare_names);
}
