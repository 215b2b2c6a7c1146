// SPDX-License-Identifier: LGPL-2.1-or-later
/* Temporary directories and files, the payload DLL and helper logs.
 * */
#include "rmt_internal.h"

#include <string.h>
#include <wchar.h>

BOOL rmt_path_join(const wchar_t *dir, const wchar_t *name, wchar_t *out, size_t cch)
{
    size_t dir_length = wcslen(dir);
    const wchar_t *separator = dir_length && dir[dir_length - 1] == L'\\' ? L"" : L"\\";
    int length = swprintf(out, cch, L"%ls%ls%ls", dir, separator, name);
    if (length < 0 || (size_t)length >= cch) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        rmt_report("path too long", name);
        return FALSE;
    }
    return TRUE;
}

BOOL rmt_temp_dir(wchar_t *out, size_t cch)
{
    wchar_t temp[RMT_PATH_CCH], name[64];
    DWORD length = GetTempPathW(RMT_PATH_CCH, temp);
    if (length == 0 || length >= RMT_PATH_CCH) {
        rmt_report("GetTempPath", NULL);
        return FALSE;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        if (!rmt_unique_name(L"rmt", name, sizeof(name) / sizeof(name[0])) ||
            !rmt_path_join(temp, name, out, cch))
            return FALSE;
        if (CreateDirectoryW(out, NULL))
            return TRUE;
        if (GetLastError() != ERROR_ALREADY_EXISTS)
            break;
    }
    rmt_report("CreateDirectory", out);
    return FALSE;
}

BOOL rmt_make_file(const wchar_t *dir, const wchar_t *name, wchar_t *out_path, size_t cch)
{
    static const char content[] = "rstrtmgr conformance test file\r\n";
    HANDLE file;
    DWORD written;
    BOOL ok;
    if (!rmt_path_join(dir, name, out_path, cch))
        return FALSE;
    file = CreateFileW(out_path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        rmt_report("CreateFile", out_path);
        return FALSE;
    }
    ok = WriteFile(file, content, sizeof(content) - 1, &written, NULL);
    if (!ok)
        rmt_report("WriteFile", out_path);
    CloseHandle(file);
    return ok;
}

BOOL rmt_copy_payload_dll(const wchar_t *dir, wchar_t *out_path, size_t cch)
{
    wchar_t source[RMT_PATH_CCH];
    if (!rmt_exe_path(L"rm_test_payload.dll", source, RMT_PATH_CCH) ||
        !rmt_path_join(dir, L"rm_test_payload.dll", out_path, cch))
        return FALSE;
    if (CopyFileW(source, out_path, FALSE))
        return TRUE;
    rmt_report("CopyFile", source);
    return FALSE;
}

BOOL rmt_remove_dir(const wchar_t *dir)
{
    wchar_t pattern[RMT_PATH_CCH], path[RMT_PATH_CCH];
    WIN32_FIND_DATAW entry;
    HANDLE search;
    BOOL ok = TRUE;
    if (!rmt_path_join(dir, L"*", pattern, RMT_PATH_CCH))
        return FALSE;
    search = FindFirstFileW(pattern, &entry);
    if (search != INVALID_HANDLE_VALUE) {
        do {
            if (wcscmp(entry.cFileName, L".") == 0 || wcscmp(entry.cFileName, L"..") == 0)
                continue;
            if (!rmt_path_join(dir, entry.cFileName, path, RMT_PATH_CCH)) {
                ok = FALSE;
                continue;
            }
            if (entry.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
                if (!rmt_remove_dir(path))
                    ok = FALSE;
            } else {
                SetFileAttributesW(path, FILE_ATTRIBUTE_NORMAL);
                if (!DeleteFileW(path))
                    ok = FALSE;
            }
        } while (FindNextFileW(search, &entry));
        FindClose(search);
    }
    return RemoveDirectoryW(dir) && ok;
}

BOOL rmt_read_log(const wchar_t *path, char *buf, size_t size)
{
    HANDLE file;
    size_t total = 0;
    DWORD got;
    if (size == 0)
        return FALSE;
    buf[0] = '\0';
    /* Helpers append while we read: share everything. */
    file = CreateFileW(path, GENERIC_READ,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return FALSE;
    while (total < size - 1 &&
           ReadFile(file, buf + total, (DWORD)(size - 1 - total), &got, NULL) && got > 0)
        total += got;
    buf[total] = '\0';
    CloseHandle(file);
    return TRUE;
}
