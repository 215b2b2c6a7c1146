// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/file_probe.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "path_norm.h"
#include "base/nt_system.h"
#include "process/wow64_view.h"

#define ALL_SHARING (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
/* Reading these would make the system fetch the file's content (cloud/offline files). */
#define REMOTE_CONTENT_ATTRIBUTES (FILE_ATTRIBUTE_OFFLINE | 0x00040000u /* RECALL_ON_OPEN */ | \
                                   0x00400000u /* RECALL_ON_DATA_ACCESS */)
#define MAX_USERS_PER_FILE 65536u
/* A canonical path behind "\\?\UNC". */
#define RM_PATH_BUFFER_CCH (RM_PATH_CANON_CAP + 8u)

typedef enum file_state { PROBED_ABSENT, PROBED_OPENED, PROBED_UNKNOWN } file_state;

/* Canonical paths are upper-cased, and file names rarely are. Opening such a spelling
 * costs Wine a case-insensitive search of every directory on the way (~0.3 ms for
 * System32), while the lower-cased spelling is usually the name on disk, found at once.
 * Either names the same file wherever names are compared without case (the canonical
 * form already assumes it), so the file is opened lower-cased; only ASCII letters are
 * changed, which map one to one. */
static void lower_ascii(WCHAR *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (text[i] >= L'A' && text[i] <= L'Z')
            text[i] = (WCHAR)(text[i] - L'A' + L'a');
}

/* "\\?\" form of a canonical drive or UNC path, lower-cased (above); FALSE for other
 * canonical forms. */
static BOOL openable_path(const rm_indexed_file *file, WCHAR *out, size_t out_cch)
{
    const WCHAR *path = (const WCHAR *)file->path;
    size_t length = file->length;
    if (length >= 2 && path[1] == L':') {
        if (length + 5 > out_cch)
            return FALSE;
        memcpy(out, L"\\\\?\\", 4 * sizeof(WCHAR));
        memcpy(out + 4, path, (length + 1) * sizeof(WCHAR));
        lower_ascii(out + 4, length);
        return TRUE;
    }
    if (length > 2 && path[0] == L'\\' && path[1] == L'\\') {
        if (length + 7 > out_cch)
            return FALSE;
        memcpy(out, L"\\\\?\\UNC", 7 * sizeof(WCHAR));
        memcpy(out + 7, path + 1, length * sizeof(WCHAR)); /* from the second '\', with NUL */
        lower_ascii(out + 7, length - 1);
        return TRUE;
    }
    return FALSE;
}

static file_state open_registered(const rm_indexed_file *file, WCHAR *path_buffer, size_t cch,
                                  HANDLE *handle, BOOL *readable)
{
    if (!openable_path(file, path_buffer, cch))
        return PROBED_UNKNOWN;
    *readable = TRUE;
    *handle = CreateFileW(path_buffer, FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                          ALL_SHARING, NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (*handle == INVALID_HANDLE_VALUE && GetLastError() != ERROR_FILE_NOT_FOUND &&
        GetLastError() != ERROR_PATH_NOT_FOUND) {
        /* A holder that denies read sharing: attributes alone never conflict. */
        *readable = FALSE;
        *handle = CreateFileW(path_buffer, FILE_READ_ATTRIBUTES | SYNCHRONIZE, ALL_SHARING, NULL,
                              OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    }
    if (*handle != INVALID_HANDLE_VALUE)
        return PROBED_OPENED;
    DWORD error = GetLastError();
    return error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ? PROBED_ABSENT
                                                                          : PROBED_UNKNOWN;
}

/* FALSE only when the file surely is not an executable image. The attributes are all it
 * needs: GetFileInformationByHandle would also ask for the volume's serial number, which
 * costs Wine ~0.3 ms per file, ten times the rest of this probe. */
static BOOL may_be_image(HANDLE file, BOOL readable)
{
    FILE_ATTRIBUTE_TAG_INFO information;
    char magic[2];
    DWORD read = 0;
    if (!readable ||
        !GetFileInformationByHandleEx(file, FileAttributeTagInfo, &information,
                                      sizeof(information)) ||
        (information.FileAttributes & REMOTE_CONTENT_ATTRIBUTES))
        return TRUE;
    if (information.FileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        return FALSE;
    if (!ReadFile(file, magic, sizeof(magic), &read, NULL))
        return TRUE;
    return read == sizeof(magic) && magic[0] == 'M' && magic[1] == 'Z';
}

static BOOL append_users(rm_file_probe *probe, const rm_nt_file_users *users, size_t *capacity)
{
    const DWORD self = GetCurrentProcessId();
    for (ULONG i = 0; i < users->count; i++) {
        DWORD pid = (DWORD)users->process_ids[i];
        if (pid == self)
            continue; /* our probe handle is listed; the caller's own handles are walked */
        if (probe->user_count == *capacity) {
            size_t grown = *capacity ? *capacity * 2 : 16;
            DWORD *pids = realloc(probe->user_pids, grown * sizeof(*pids));
            if (!pids)
                return FALSE;
            probe->user_pids = pids;
            *capacity = grown;
        }
        probe->user_pids[probe->user_count++] = pid;
    }
    return TRUE;
}

/* Asks the system which processes have the file open. FALSE when it cannot tell. */
static BOOL list_users(HANDLE file, rm_file_probe *probe, size_t *capacity, BOOL *out_of_memory)
{
    ULONG size = sizeof(rm_nt_file_users) + 64 * sizeof(ULONG_PTR);
    for (;;) {
        IO_STATUS_BLOCK io;
        rm_nt_file_users *users = malloc(size);
        if (!users) {
            *out_of_memory = TRUE;
            return FALSE;
        }
        NTSTATUS status = NtQueryInformationFile(file, &io, users, size,
                                                 (FILE_INFORMATION_CLASS)RM_FILE_PROCESS_IDS_USING_FILE);
        if (status == RM_STATUS_SUCCESS) {
            BOOL appended = append_users(probe, users, capacity);
            free(users);
            *out_of_memory = !appended;
            return appended;
        }
        free(users);
        if (status != RM_STATUS_INFO_LENGTH_MISMATCH && status != RM_STATUS_BUFFER_OVERFLOW)
            return FALSE; /* e.g. STATUS_NOT_IMPLEMENTED on Wine */
        if (size >= MAX_USERS_PER_FILE * sizeof(ULONG_PTR))
            return FALSE;
        size *= 2;
    }
}

static void assume_everything(rm_file_probe *probe)
{
    probe->any_present = TRUE;
    probe->maybe_image = TRUE;
    probe->users_known = FALSE;
    probe->image_name_lengths.all = TRUE;
}

/* The names a loaded module may carry for this file: its own, and its 8.3 alias when it
 * has one (a DLL may be loaded through either). */
static void add_image_name_lengths(rm_file_probe *probe, const rm_indexed_file *file,
                                   const WCHAR *openable, WCHAR *scratch)
{
    size_t name_at = rm_path_file_name_offset(file->path, file->length);
    size_t name_length = file->length - name_at;
    rm_name_lengths_add(&probe->image_name_lengths, name_length);
    if (rm_is_short_name_form(file->path + name_at, name_length))
        return;
    DWORD length = GetShortPathNameW(openable, scratch, RM_PATH_BUFFER_CCH);
    if (length == 0 || length >= RM_PATH_BUFFER_CCH) {
        rm_name_lengths_add_short_forms(&probe->image_name_lengths); /* cannot tell */
        return;
    }
    const WCHAR *slash = wcsrchr(scratch, L'\\');
    rm_name_lengths_add(&probe->image_name_lengths, slash ? wcslen(slash + 1) : length);
}

/* One registered file, opened and looked at. FALSE only when memory ran out. */
static BOOL probe_file(rm_file_probe *probe, const rm_indexed_file *file, WCHAR *path_buffer,
                       WCHAR *scratch, size_t *capacity)
{
    HANDLE handle = INVALID_HANDLE_VALUE;
    BOOL readable = FALSE, out_of_memory = FALSE;
    file_state state = open_registered(file, path_buffer, RM_PATH_BUFFER_CCH, &handle, &readable);
    if (state == PROBED_ABSENT)
        return TRUE;
    probe->any_present = TRUE;
    if (state == PROBED_UNKNOWN) {
        probe->maybe_image = TRUE;
        probe->users_known = FALSE;
        probe->image_name_lengths.all = TRUE;
        return TRUE;
    }
    if (may_be_image(handle, readable)) {
        probe->maybe_image = TRUE;
        add_image_name_lengths(probe, file, path_buffer, scratch);
    }
    if (probe->users_known && !list_users(handle, probe, capacity, &out_of_memory))
        probe->users_known = FALSE;
    CloseHandle(handle);
    return !out_of_memory;
}

/* ---- many files: their parent directories first -------------------------------------- */

/* A parent directory that does not exist answers for every file in it: opening any of
 * them would fail with "path not found" (PROBED_ABSENT). Installers register files
 * directory by directory, so a few remembered parents cover most lists. */
#define CACHED_PARENTS 8u
#define PARENT_PROBE_LIMIT 64u

typedef struct parent_state {
    const WCHAR *path;   /* into the index: the registered path the parent was cut from */
    size_t length;       /* 0: slot unused */
    BOOL exists;
} parent_state;

typedef struct parent_cache {
    parent_state slots[CACHED_PARENTS];
    size_t next;         /* round-robin replacement */
    unsigned probes;
} parent_cache;

/* Length of the parent of a canonical drive path ("C:\A\B" -> "C:\A"), 0 when the parent
 * is the drive root (which is not probed: a missing drive makes every open fail with
 * "path not found" anyway, and then the file is opened and found absent). */
static size_t parent_length(const WCHAR *path, size_t length)
{
    size_t name_at = rm_path_file_name_offset((const rm_wchar *)path, length);
    return name_at > 3 ? name_at - 1 : 0;
}

/* FALSE when the parent surely does not exist. */
static BOOL parent_exists(const WCHAR *parent, size_t length, WCHAR *path_buffer)
{
    if (length + 5 > RM_PATH_BUFFER_CCH)
        return TRUE;
    memcpy(path_buffer, L"\\\\?\\", 4 * sizeof(WCHAR));
    memcpy(path_buffer + 4, parent, length * sizeof(WCHAR));
    path_buffer[4 + length] = 0;
    lower_ascii(path_buffer + 4, length); /* as openable_path() does, for the same reason */
    if (GetFileAttributesW(path_buffer) != INVALID_FILE_ATTRIBUTES)
        return TRUE;
    DWORD error = GetLastError();
    return error != ERROR_FILE_NOT_FOUND && error != ERROR_PATH_NOT_FOUND;
}

typedef enum parent_answer { PARENT_MISSING, PARENT_PRESENT, PARENT_GIVE_UP } parent_answer;

static parent_answer look_up_parent(parent_cache *cache, const WCHAR *path, size_t length,
                                    WCHAR *path_buffer)
{
    size_t parent = parent_length(path, length);
    if (parent == 0)
        return PARENT_PRESENT;
    for (size_t i = 0; i < CACHED_PARENTS; i++) {
        const parent_state *state = &cache->slots[i];
        if (state->length == parent && memcmp(state->path, path, parent * sizeof(WCHAR)) == 0)
            return state->exists ? PARENT_PRESENT : PARENT_MISSING;
    }
    if (cache->probes++ >= PARENT_PROBE_LIMIT)
        return PARENT_GIVE_UP;
    parent_state *state = &cache->slots[cache->next];
    cache->next = (cache->next + 1) % CACHED_PARENTS;
    state->path = path;
    state->length = parent;
    state->exists = parent_exists(path, parent, path_buffer);
    return state->exists ? PARENT_PRESENT : PARENT_MISSING;
}

/* The files (index positions) that may exist, when there are at most
 * RM_FILE_PROBE_LIMIT of them and every registered file is a drive path; FALSE
 * otherwise (then nothing is known). *selected is malloc'd. */
static BOOL select_present_candidates(const rm_resource_index *index, WCHAR *path_buffer,
                                      size_t **selected, size_t *selected_count)
{
    parent_cache cache;
    memset(&cache, 0, sizeof(cache));
    *selected_count = 0;
    *selected = malloc(RM_FILE_PROBE_LIMIT * sizeof(**selected));
    if (!*selected)
        return FALSE;
    for (size_t i = 0; i < rm_index_file_count(index); i++) {
        const rm_indexed_file *file = rm_index_file_at(index, i);
        const WCHAR *path = (const WCHAR *)file->path;
        if (file->is_directory)
            continue;
        /* Only drive paths: the parents of UNC paths would be network round trips that
         * a list this long never paid for. */
        if (file->length < 4 || path[1] != L':' || path[2] != L'\\')
            return FALSE;
        parent_answer answer = look_up_parent(&cache, path, file->length, path_buffer);
        if (answer == PARENT_GIVE_UP)
            return FALSE;
        if (answer == PARENT_MISSING)
            continue;
        if (*selected_count == RM_FILE_PROBE_LIMIT)
            return FALSE;
        (*selected)[(*selected_count)++] = i;
    }
    return TRUE;
}

static DWORD probe_files(const rm_resource_index *index, rm_file_probe *probe);

/* Registered paths are real files: look at them without WoW64's redirection. */
DWORD rm_file_probe_run(const rm_resource_index *index, rm_file_probe *probe)
{
    rm_native_fs_scope native;
    rm_native_fs_enter(&native);
    DWORD error = probe_files(index, probe);
    rm_native_fs_leave(&native);
    return error;
}

static DWORD probe_files(const rm_resource_index *index, rm_file_probe *probe)
{
    const size_t file_count = rm_index_file_count(index);
    size_t capacity = 0, *selected = NULL, selected_count = 0;
    BOOL out_of_memory = FALSE;
    memset(probe, 0, sizeof(*probe));
    WCHAR *path_buffer = malloc(2 * RM_PATH_BUFFER_CCH * sizeof(WCHAR));
    if (!path_buffer)
        return ERROR_OUTOFMEMORY;
    WCHAR *scratch = path_buffer + RM_PATH_BUFFER_CCH;
    if (file_count > RM_FILE_PROBE_LIMIT &&
        !select_present_candidates(index, path_buffer, &selected, &selected_count)) {
        free(selected);
        free(path_buffer);
        assume_everything(probe);
        return ERROR_SUCCESS;
    }
    probe->users_known = TRUE;
    if (selected) {
        for (size_t i = 0; i < selected_count && !out_of_memory; i++)
            out_of_memory = !probe_file(probe, rm_index_file_at(index, selected[i]), path_buffer,
                                        scratch, &capacity);
    } else {
        for (size_t i = 0; i < file_count && !out_of_memory; i++) {
            const rm_indexed_file *file = rm_index_file_at(index, i);
            if (!file->is_directory)
                out_of_memory = !probe_file(probe, file, path_buffer, scratch, &capacity);
        }
    }
    free(selected);
    free(path_buffer);
    if (out_of_memory) {
        rm_file_probe_free(probe);
        return ERROR_OUTOFMEMORY;
    }
    if (!probe->any_present)
        probe->users_known = TRUE; /* nothing exists: nobody can hold anything */
    return ERROR_SUCCESS;
}

void rm_file_probe_free(rm_file_probe *probe)
{
    free(probe->user_pids);
    memset(probe, 0, sizeof(*probe));
}
