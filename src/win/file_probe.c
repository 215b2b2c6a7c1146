#include "file_probe.h"

#include <stdlib.h>
#include <string.h>
#include "nt_system.h"
#include "path_norm.h"

#define ALL_SHARING (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
/* Reading these would make the system fetch the file's content (cloud/offline files). */
#define REMOTE_CONTENT_ATTRIBUTES (FILE_ATTRIBUTE_OFFLINE | 0x00040000u /* RECALL_ON_OPEN */ | \
                                   0x00400000u /* RECALL_ON_DATA_ACCESS */)
#define MAX_USERS_PER_FILE 65536u
/* A canonical path behind "\\?\UNC". */
#define RM_PATH_BUFFER_CCH (RM_PATH_CANON_CAP + 8u)

typedef enum file_state { PROBED_ABSENT, PROBED_OPENED, PROBED_UNKNOWN } file_state;

/* "\\?\" form of a canonical drive or UNC path; FALSE for other canonical forms. */
static BOOL openable_path(const rm_indexed_file *file, WCHAR *out, size_t out_cch)
{
    const WCHAR *path = (const WCHAR *)file->path;
    size_t length = file->length;
    if (length >= 2 && path[1] == L':') {
        if (length + 5 > out_cch)
            return FALSE;
        memcpy(out, L"\\\\?\\", 4 * sizeof(WCHAR));
        memcpy(out + 4, path, (length + 1) * sizeof(WCHAR));
        return TRUE;
    }
    if (length > 2 && path[0] == L'\\' && path[1] == L'\\') {
        if (length + 7 > out_cch)
            return FALSE;
        memcpy(out, L"\\\\?\\UNC", 7 * sizeof(WCHAR));
        memcpy(out + 7, path + 1, length * sizeof(WCHAR)); /* from the second '\', with NUL */
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

/* FALSE only when the file surely is not an executable image. */
static BOOL may_be_image(HANDLE file, BOOL readable)
{
    BY_HANDLE_FILE_INFORMATION information;
    char magic[2];
    DWORD read = 0;
    if (!readable || !GetFileInformationByHandle(file, &information) ||
        (information.dwFileAttributes & REMOTE_CONTENT_ATTRIBUTES))
        return TRUE;
    if (information.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
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
}

DWORD rm_file_probe_run(const rm_resource_index *index, rm_file_probe *probe)
{
    const size_t file_count = rm_index_file_count(index);
    size_t capacity = 0;
    BOOL out_of_memory = FALSE;
    memset(probe, 0, sizeof(*probe));
    if (file_count > RM_FILE_PROBE_LIMIT) {
        assume_everything(probe);
        return ERROR_SUCCESS;
    }
    WCHAR *path_buffer = malloc(RM_PATH_BUFFER_CCH * sizeof(WCHAR));
    if (!path_buffer)
        return ERROR_OUTOFMEMORY;
    probe->users_known = TRUE;
    for (size_t i = 0; i < file_count && !out_of_memory; i++) {
        const rm_indexed_file *file = rm_index_file_at(index, i);
        HANDLE handle = INVALID_HANDLE_VALUE;
        BOOL readable = FALSE;
        if (file->is_directory)
            continue;
        file_state state = open_registered(file, path_buffer, RM_PATH_BUFFER_CCH, &handle,
                                           &readable);
        if (state == PROBED_ABSENT)
            continue;
        probe->any_present = TRUE;
        if (state == PROBED_UNKNOWN) {
            probe->maybe_image = TRUE;
            probe->users_known = FALSE;
            continue;
        }
        if (!probe->maybe_image && may_be_image(handle, readable))
            probe->maybe_image = TRUE;
        if (probe->users_known && !list_users(handle, probe, &capacity, &out_of_memory))
            probe->users_known = FALSE;
        CloseHandle(handle);
    }
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
