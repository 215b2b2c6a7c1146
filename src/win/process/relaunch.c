// SPDX-License-Identifier: LGPL-2.1-or-later
#include "process/relaunch.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <tlhelp32.h>

#include "relaunch_rights.h"
#include "base/filetime.h"
#include "process/process_params.h"

#define IMAGE_PATH_CCH 32768u

static WCHAR *image_path_of(HANDLE process, BOOL *no_memory)
{
    WCHAR *path = malloc(IMAGE_PATH_CCH * sizeof(WCHAR));
    DWORD length = IMAGE_PATH_CCH;
    *no_memory = !path;
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

static void capture_registered(HANDLE process, const WCHAR *arguments, const rm_wow64_pebs *pebs,
                               rm_relaunch *out)
{
    rm_process_params params;
    out->command_line = registered_command_line(out->image_path, arguments);
    if (!out->command_line) {
        out->no_memory = TRUE;
        return;
    }
    out->source = RM_RELAUNCH_REGISTERED;
    DWORD error = rm_process_params_read(process, pebs, &params);
    if (error == ERROR_SUCCESS) {
        out->directory = params.directory;
        params.directory = NULL;
        rm_process_params_free(&params);
    }
    out->no_memory = error == ERROR_OUTOFMEMORY;
}

static void capture_started_with(HANDLE process, const rm_wow64_pebs *pebs, rm_relaunch *out)
{
    rm_process_params params;
    DWORD error = rm_process_params_read(process, pebs, &params);
    out->no_memory = error == ERROR_OUTOFMEMORY;
    if (error != ERROR_SUCCESS)
        return;
    out->command_line = params.command_line;
    out->directory = params.directory;
    out->source = RM_RELAUNCH_STARTED_WITH;
}

/* ---- rights (relaunch_rights.h) ------------------------------------------------- */

typedef rm_token_facts token_facts;

static void read_token(HANDLE token, token_facts *out)
{
    TOKEN_ELEVATION elevation;
    union { TOKEN_USER user; BYTE bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE]; } user;
    DWORD size;
    out->elevated = GetTokenInformation(token, TokenElevation, &elevation, sizeof(elevation), &size)
                        ? (elevation.TokenIsElevated ? RM_FACT_YES : RM_FACT_NO)
                        : RM_FACT_UNKNOWN;
    out->has_user = GetTokenInformation(token, TokenUser, &user, sizeof(user), &size) &&
                    CopySid(sizeof(out->user), out->user, user.user.User.Sid);
}

/* process: at least PROCESS_QUERY_LIMITED_INFORMATION, all OpenProcessToken needs. */
static BOOL process_token_facts(HANDLE process, token_facts *out)
{
    HANDLE token;
    BOOL ok = OpenProcessToken(process, TOKEN_QUERY, &token);
    if (ok) {
        read_token(token, out);
        CloseHandle(token);
    }
    return ok;
}

static BOOL pid_token_facts(DWORD pid, token_facts *out)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    BOOL ok = process && process_token_facts(process, out);
    if (process)
        CloseHandle(process);
    return ok;
}

static BOOL is_explorer_name(const WCHAR *name, size_t length)
{
    return length == 12 && _wcsnicmp(name, L"explorer.exe", 12) == 0;
}

/* The first explorer.exe of the session in the call's snapshot, 0 if none. */
static DWORD explorer_in(const rm_process_snapshot *processes, DWORD session)
{
    for (size_t i = 0; i < processes->count; i++) {
        const rm_process_entry *entry = &processes->entries[i];
        if (entry->session_id == session && is_explorer_name(entry->image_name, entry->image_name_length))
            return entry->pid;
    }
    return 0;
}

/* The session's shell: the shell window's process, else an explorer.exe of the caller's
 * session (Wine's desktop process has no shell window under a headless driver). */
static DWORD shell_pid(const rm_process_snapshot *processes)
{
    DWORD pid = 0, session = 0, their_session = 0;
    HWND shell = GetShellWindow();
    if (shell && GetWindowThreadProcessId(shell, &pid) && pid)
        return pid;
    ProcessIdToSessionId(GetCurrentProcessId(), &session);
    if (processes)
        return explorer_in(processes, session);
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snapshot == INVALID_HANDLE_VALUE)
        return 0;
    PROCESSENTRY32W entry = { .dwSize = sizeof(entry) };
    for (BOOL more = Process32FirstW(snapshot, &entry); more && !pid;
         more = Process32NextW(snapshot, &entry))
        if (is_explorer_name(entry.szExeFile, wcslen(entry.szExeFile)) &&
            ProcessIdToSessionId(entry.th32ProcessID, &their_session) && their_session == session)
            pid = entry.th32ProcessID;
    CloseHandle(snapshot);
    return pid;
}

void rm_relaunch_context_init(rm_relaunch_context *context, const rm_wow64_pebs *pebs)
{
    memset(context, 0, sizeof(*context));
    context->pebs = pebs;
    InitOnceInitialize(&context->shell_once);
    InitOnceInitialize(&context->caller_once);
}

static BOOL CALLBACK read_shell_facts(INIT_ONCE *once, void *parameter, void **unused)
{
    (void)once;
    (void)unused;
    rm_relaunch_context *context = parameter;
    DWORD pid = shell_pid(context->processes);
    context->shell_known = pid && pid_token_facts(pid, &context->shell);
    return TRUE;
}

static BOOL CALLBACK read_caller_facts(INIT_ONCE *once, void *parameter, void **unused)
{
    (void)once;
    (void)unused;
    rm_relaunch_context *context = parameter;
    HANDLE own;
    context->caller.elevated = RM_FACT_UNKNOWN;
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &own)) {
        read_token(own, &context->caller);
        CloseHandle(own);
    }
    return TRUE;
}

static BOOL shell_token_facts(rm_relaunch_context *context, token_facts *out)
{
    InitOnceExecuteOnce(&context->shell_once, read_shell_facts, context, NULL);
    *out = context->shell;
    return context->shell_known;
}

/* The app's own primary token, for starting it again with exactly its rights. */
static HANDLE duplicate_app_token(HANDLE process)
{
    HANDLE token, primary = NULL;
    if (!OpenProcessToken(process, TOKEN_DUPLICATE | TOKEN_QUERY, &token))
        return NULL;
    if (!DuplicateTokenEx(token, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation, TokenPrimary,
                          &primary))
        primary = NULL;
    CloseHandle(token);
    return primary;
}

/* Applies the rights decision: FALSE if the application must not be restarted. */
static BOOL settle_rights(rm_relaunch_context *context, HANDLE process, RM_APP_TYPE type,
                          rm_relaunch *out)
{
    token_facts app = { .elevated = RM_FACT_UNKNOWN }, shell = app;
    InitOnceExecuteOnce(&context->caller_once, read_caller_facts, context, NULL);
    const token_facts caller = context->caller;
    BOOL have_app = process_token_facts(process, &app);
    BOOL have_shell = shell_token_facts(context, &shell);
    /* The logged-on user: the shell's, else the caller's. */
    const token_facts *logged_on = have_shell && shell.has_user ? &shell : &caller;
    rm_rights_facts facts = {
        have_app ? app.elevated : RM_FACT_UNKNOWN,
        !have_app || !app.has_user || !logged_on->has_user ? RM_FACT_UNKNOWN
            : EqualSid(app.user, (PSID)logged_on->user) ? RM_FACT_YES : RM_FACT_NO,
        have_shell ? shell.elevated : RM_FACT_UNKNOWN,
        caller.elevated == RM_FACT_YES,
        type == RmConsole,
    };
    rm_rights_decision decision = rm_relaunch_rights(&facts);
    out->new_console = decision.new_console;
    switch (decision.verdict) {
    case RM_RIGHTS_AS_CALLER:
        return TRUE;
    case RM_RIGHTS_WITH_APP_TOKEN:
        out->token = duplicate_app_token(process);
        return out->token != NULL; /* never the caller's elevated token instead */
    default:
        return FALSE;
    }
}

void rm_relaunch_capture_opened(rm_relaunch_context *context, HANDLE process,
                                const WCHAR *image_path, RM_APP_TYPE type, rm_relaunch *out)
{
    const rm_wow64_pebs *pebs = context->pebs;
    /* A registration may use all RESTART_MAX_CMD_LINE characters (B-RESTART-4). */
    WCHAR arguments[RESTART_MAX_CMD_LINE + 1];
    DWORD length = RESTART_MAX_CMD_LINE + 1, flags = 0;
    BOOL no_memory = FALSE;
    memset(out, 0, sizeof(*out));
    if (image_path)
        no_memory = !(out->image_path = _wcsdup(image_path));
    else
        out->image_path = image_path_of(process, &no_memory);
    HRESULT registration = GetApplicationRestartSettings(process, arguments, &length, &flags);
    if (out->image_path && registration == S_OK && !(flags & RESTART_NO_PATCH)) {
        arguments[RESTART_MAX_CMD_LINE] = 0;
        capture_registered(process, arguments, pebs, out);
    } else if (out->image_path && registration == E_NOTIMPL && type == RmMainWindow) {
        capture_started_with(process, pebs, out);
    }
    out->no_memory |= no_memory;
    if (out->source != RM_RELAUNCH_NONE &&
        !settle_rights(context, process, type, out)) {
        free(out->command_line);
        free(out->directory);
        out->command_line = out->directory = NULL;
        out->source = RM_RELAUNCH_NONE;
    }
}

void rm_relaunch_capture(rm_relaunch_context *context, DWORD pid, RM_APP_TYPE type,
                         rm_relaunch *out)
{
    memset(out, 0, sizeof(*out));
    HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    if (!process)
        process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    if (!process)
        return;
    rm_relaunch_capture_opened(context, process, NULL, type, out);
    CloseHandle(process);
}

/* With the application's own token: CreateProcessAsUser where the token may be assigned
 * (it is a sibling of the caller's), else CreateProcessWithToken. */
static BOOL create_with_token(const rm_relaunch *relaunch, WCHAR *line, const WCHAR *directory,
                              DWORD flags, STARTUPINFOW *startup, PROCESS_INFORMATION *started)
{
    if (CreateProcessAsUserW(relaunch->token, relaunch->image_path, line, NULL, NULL, FALSE,
                             flags, NULL, directory, startup, started))
        return TRUE;
    if (GetLastError() != ERROR_PRIVILEGE_NOT_HELD)
        return FALSE;
    return CreateProcessWithTokenW(relaunch->token, 0, relaunch->image_path, line, flags, NULL,
                                   directory, startup, started);
}

static BOOL is_elevated(HANDLE process)
{
    token_facts facts = { .elevated = RM_FACT_UNKNOWN };
    HANDLE token;
    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return TRUE; /* cannot tell: treat as elevated */
    read_token(token, &facts);
    CloseHandle(token);
    return facts.elevated != RM_FACT_NO;
}

static BOOL create(const rm_relaunch *relaunch, WCHAR *line, const WCHAR *directory,
                   STARTUPINFOW *startup, PROCESS_INFORMATION *started)
{
    DWORD flags = CREATE_DEFAULT_ERROR_MODE | (relaunch->new_console ? CREATE_NEW_CONSOLE : 0);
    if (!relaunch->token)
        return CreateProcessW(relaunch->image_path, line, NULL, NULL, FALSE, flags, NULL,
                              directory, startup, started);
    if (!create_with_token(relaunch, line, directory, flags | CREATE_SUSPENDED, startup, started))
        return FALSE;
    /* A system that ignored the token (Wine's CreateProcessWithToken) must not leave an
     * elevated copy running: the token was an unelevated one. */
    if (is_elevated(started->hProcess)) {
        TerminateProcess(started->hProcess, ERROR_ACCESS_DENIED);
        CloseHandle(started->hThread);
        CloseHandle(started->hProcess);
        SetLastError(ERROR_ACCESS_DENIED);
        return FALSE;
    }
    ResumeThread(started->hThread);
    return TRUE;
}

DWORD rm_relaunch_start(const rm_relaunch *relaunch, DWORD *pid, uint64_t *start)
{
    STARTUPINFOW startup = { .cb = sizeof(startup) };
    PROCESS_INFORMATION started;
    if (relaunch->source == RM_RELAUNCH_NONE || !relaunch->command_line)
        return ERROR_NOT_SUPPORTED;
    /* CreateProcess may write to the command line. */
    WCHAR *line = _wcsdup(relaunch->command_line);
    if (!line)
        return ERROR_OUTOFMEMORY;
    BOOL ok = create(relaunch, line, relaunch->directory, &startup, &started);
    DWORD error = ok ? ERROR_SUCCESS : GetLastError();
    if (!ok && relaunch->directory && error != ERROR_ACCESS_DENIED) {
        /* The directory may have gone with the update: the caller's will do. */
        ok = create(relaunch, line, NULL, &startup, &started);
        error = ok ? ERROR_SUCCESS : GetLastError();
    }
    free(line);
    if (ok) {
        *start = 0;
        rm_process_created(started.hProcess, start);
        *pid = started.dwProcessId;
        CloseHandle(started.hThread);
        CloseHandle(started.hProcess);
    }
    return error;
}

WCHAR *rm_process_image_path(DWORD pid, BOOL *no_memory)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    *no_memory = FALSE;
    if (!process)
        return NULL;
    WCHAR *path = image_path_of(process, no_memory);
    CloseHandle(process);
    return path;
}

void rm_relaunch_free(rm_relaunch *relaunch)
{
    if (relaunch->token)
        CloseHandle(relaunch->token);
    free(relaunch->image_path);
    free(relaunch->command_line);
    free(relaunch->directory);
    memset(relaunch, 0, sizeof(*relaunch));
}
