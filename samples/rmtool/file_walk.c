/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See file_walk.h. */
#include "file_walk.h"

#include <stdlib.h>
#include <wchar.h>

#include "output.h"

/* The longest path Win32 handles (UNICODE_STRING's limit), its NUL included. */
#define WALK_PATH_CCH 32768

typedef struct walk_level {
    HANDLE find;      /* NULL until the directory is opened */
    size_t length;    /* length of the directory's path in the path buffer */
} walk_level;

typedef struct walk_state {
    wchar_t *path;
    walk_level *levels;
    size_t depth;
    size_t capacity;
} walk_state;

static BOOL push_level(walk_state *walk, size_t length)
{
    if (walk->depth == walk->capacity) {
        size_t capacity = walk->capacity ? walk->capacity * 2 : 16;
        walk_level *bigger = realloc(walk->levels, capacity * sizeof(*bigger));
        if (!bigger)
            return FALSE;
        walk->levels = bigger;
        walk->capacity = capacity;
    }
    walk->levels[walk->depth].find = NULL;
    walk->levels[walk->depth].length = length;
    walk->depth++;
    return TRUE;
}

static void pop_level(walk_state *walk)
{
    walk_level *level = &walk->levels[--walk->depth];
    if (level->find && level->find != INVALID_HANDLE_VALUE)
        FindClose(level->find);
}

static BOOL is_dot_entry(const wchar_t *name)
{
    return name[0] == L'.' && (name[1] == L'\0' || (name[1] == L'.' && name[2] == L'\0'));
}

/* The next entry of the deepest directory, opening it first; FALSE when it has no more. */
static BOOL next_entry(walk_state *walk, WIN32_FIND_DATAW *entry)
{
    walk_level *level = &walk->levels[walk->depth - 1];
    if (level->find)
        return FindNextFileW(level->find, entry);
    wcscpy(walk->path + level->length, L"\\*");
    level->find = FindFirstFileExW(walk->path, FindExInfoBasic, entry, FindExSearchNameMatch,
                                   NULL, FIND_FIRST_EX_LARGE_FETCH);
    walk->path[level->length] = L'\0';
    if (level->find == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        if (error != ERROR_FILE_NOT_FOUND)
            err_printf(L"rmtool: cannot list %ls (error %lu); skipped\n", walk->path,
                       (unsigned long)error);
        return FALSE;
    }
    return TRUE;
}

DWORD file_walk(const wchar_t *root, file_walk_visit visit, void *context)
{
    walk_state walk = { 0 };
    size_t root_length = wcslen(root);
    DWORD result = ERROR_SUCCESS;

    /* Room for the root, "\*" and its NUL. */
    if (root_length + 3 > WALK_PATH_CCH)
        return ERROR_FILENAME_EXCED_RANGE;
    walk.path = malloc(WALK_PATH_CCH * sizeof(wchar_t));
    if (!walk.path)
        return ERROR_OUTOFMEMORY;
    wcscpy(walk.path, root);
    while (root_length && (walk.path[root_length - 1] == L'\\' || walk.path[root_length - 1] == L'/'))
        walk.path[--root_length] = L'\0'; /* "C:\" becomes "C:", which "\*" completes */
    if (!push_level(&walk, root_length))
        result = ERROR_OUTOFMEMORY;

    while (walk.depth && result == ERROR_SUCCESS) {
        WIN32_FIND_DATAW entry;
        size_t parent = walk.levels[walk.depth - 1].length;
        size_t name_length, length;

        if (!next_entry(&walk, &entry)) {
            pop_level(&walk);
            if (walk.depth) /* the buffer holds the deepest open directory's path */
                walk.path[walk.levels[walk.depth - 1].length] = L'\0';
            continue;
        }
        if (is_dot_entry(entry.cFileName))
            continue;
        name_length = wcslen(entry.cFileName);
        length = parent + 1 + name_length;
        if (length + 3 > WALK_PATH_CCH)
            continue; /* deeper than any path Win32 can name */
        walk.path[parent] = L'\\';
        wmemcpy(walk.path + parent + 1, entry.cFileName, name_length + 1);
        if (entry.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
            if (entry.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
                walk.path[parent] = L'\0'; /* a link: not followed */
            else if (!push_level(&walk, length))
                result = ERROR_OUTOFMEMORY;
            continue; /* the buffer now names the directory to open next */
        }
        if (!visit(context, walk.path))
            result = ERROR_CANCELLED;
        walk.path[parent] = L'\0';
    }
    while (walk.depth)
        pop_level(&walk);
    free(walk.levels);
    free(walk.path);
    return result;
}
