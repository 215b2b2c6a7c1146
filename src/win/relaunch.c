#include "relaunch.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "process_params.h"

#define IMAGE_PATH_CCH 32768u

static WCHAR *image_path_of(HANDLE process)
{
    WCHAR *path = malloc(IMAGE_PATH_CCH * sizeof(WCHAR));
    DWORD length = IMAGE_PATH_CCH;
    if (path && QueryFullProcessImageNameW(process, 0, path, &length))
        return path;
    free(path);
    return NULL;
}

/* "<image>" <arguments>: how Windows turns a restart registration into a command line. */
static WCHAR *registered_command_line(const WCHAR *image, const WCHAR *arguments)
{
    size_t length = wcslen(image) + wcslen(arguments) + 4;
    WCHAR *line = malloc(length * sizeof(WCHAR));
    if (!line)
        return NULL;
    if (arguments[0])
        _snwprintf(line, length, L"\"%ls\" %ls", image, arguments);
    else
        _snwprintf(line, length, L"\"%ls\"", image);
    line[length - 1] = 0;
    return line;
}

static void capture_registered(HANDLE process, const WCHAR *arguments, rm_relaunch *out)
{
    rm_process_params params;
    out->command_line = registered_command_line(out->image_path, arguments);
    if (!out->command_line)
        return;
    out->source = RM_RELAUNCH_REGISTERED;
    if (rm_process_params_read(process, &params) == ERROR_SUCCESS) {
        out->directory = params.directory;
        params.directory = NULL;
        rm_process_params_free(&params);
    }
}

static void capture_started_with(HANDLE process, rm_relaunch *out)
{
    rm_process_params params;
    if (rm_process_params_read(process, &params) != ERROR_SUCCESS)
        return;
    out->command_line = params.command_line;
    out->directory = params.directory;
    out->source = RM_RELAUNCH_STARTED_WITH;
}

void rm_relaunch_capture(DWORD pid, RM_APP_TYPE type, rm_relaunch *out)
{
    /* A registration may use all RESTART_MAX_CMD_LINE characters (B-RESTART-4). */
    WCHAR arguments[RESTART_MAX_CMD_LINE + 1];
    DWORD length = RESTART_MAX_CMD_LINE + 1, flags = 0;
    memset(out, 0, sizeof(*out));
    HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    if (!process)
        process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    if (!process)
        return;
    out->image_path = image_path_of(process);
    HRESULT registration = GetApplicationRestartSettings(process, arguments, &length, &flags);
    if (out->image_path && registration == S_OK && !(flags & RESTART_NO_PATCH)) {
        arguments[RESTART_MAX_CMD_LINE] = 0;
        capture_registered(process, arguments, out);
    } else if (out->image_path && registration == E_NOTIMPL && type == RmMainWindow) {
        capture_started_with(process, out);
    }
    CloseHandle(process);
}

DWORD rm_relaunch_start(const rm_relaunch *relaunch, DWORD *pid, uint64_t *start)
{
    FILETIME created = { 0, 0 }, exited, kernel, user;
    STARTUPINFOW startup = { .cb = sizeof(startup) };
    PROCESS_INFORMATION started;
    if (relaunch->source == RM_RELAUNCH_NONE || !relaunch->command_line)
        return ERROR_NOT_SUPPORTED;
    /* CreateProcess may write to the command line. */
    WCHAR *line = _wcsdup(relaunch->command_line);
    if (!line)
        return ERROR_OUTOFMEMORY;
    BOOL ok = CreateProcessW(relaunch->image_path, line, NULL, NULL, FALSE,
                             CREATE_DEFAULT_ERROR_MODE, NULL, relaunch->directory, &startup,
                             &started);
    DWORD error = ok ? ERROR_SUCCESS : GetLastError();
    if (!ok && relaunch->directory) {
        /* The directory may have gone with the update: the caller's will do. */
        ok = CreateProcessW(relaunch->image_path, line, NULL, NULL, FALSE,
                            CREATE_DEFAULT_ERROR_MODE, NULL, NULL, &startup, &started);
        error = ok ? ERROR_SUCCESS : GetLastError();
    }
    free(line);
    if (ok) {
        GetProcessTimes(started.hProcess, &created, &exited, &kernel, &user);
        *pid = started.dwProcessId;
        *start = (uint64_t)created.dwHighDateTime << 32 | created.dwLowDateTime;
        CloseHandle(started.hThread);
        CloseHandle(started.hProcess);
    }
    return error;
}

WCHAR *rm_process_image_path(DWORD pid)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!process)
        return NULL;
    WCHAR *path = image_path_of(process);
    CloseHandle(process);
    return path;
}

void rm_relaunch_free(rm_relaunch *relaunch)
{
    free(relaunch->image_path);
    free(relaunch->command_line);
    free(relaunch->directory);
    memset(relaunch, 0, sizeof(*relaunch));
}
