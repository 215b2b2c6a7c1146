#include "getlist/app_info.h"
#include "base/filetime.h"
#include "base/trace.h"

#include "process/relaunch.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "path_norm.h"

static const WCHAR *const critical_programs[] = {
    L"CSRSS.EXE", L"SMSS.EXE", L"WININIT.EXE", L"WINLOGON.EXE", L"SERVICES.EXE", L"LSASS.EXE",
    L"LOGONUI.EXE",
};

/* Services whose host process the system cannot lose (B-GETLIST-9). */
static const WCHAR *const critical_services[] = { L"RpcSs", L"DcomLaunch", L"PlugPlay" };

DWORD rm_app_context_init(rm_app_context *context, const rm_service_list *services,
                          const rm_window_list *windows, DWORD caller_session)
{
    WCHAR directory[MAX_PATH];
    memset(context, 0, sizeof(*context));
    context->services = services;
    context->windows = windows;
    context->caller_session = caller_session;
    rm_relaunch_context_init(&context->relaunch, NULL);
    rm_image_cache_init(&context->images);
    context->image_path = malloc(RM_APP_PATH_CCH * sizeof(WCHAR));
    context->canonical = malloc(RM_APP_PATH_CCH * sizeof(WCHAR));
    if (!context->image_path || !context->canonical) {
        rm_app_context_free(context);
        return ERROR_OUTOFMEMORY;
    }
    UINT length = GetSystemWindowsDirectoryW(directory, MAX_PATH);
    if (length && length < MAX_PATH)
        context->windows_directory_length =
            rm_path_canonicalize((const rm_wchar *)directory, length,
                                 (rm_wchar *)context->windows_directory, MAX_PATH, NULL);
    return ERROR_SUCCESS;
}

void rm_app_context_free(rm_app_context *context)
{
    rm_image_cache_free(&context->images);
    free(context->image_path);
    free(context->canonical);
    memset(context, 0, sizeof(*context));
}

/* What the resolver knows about one process while describing it. */
typedef struct subject {
    const rm_process_entry *process;
    HANDLE handle;            /* query rights, may be NULL */
    BOOL has_path;            /* context->image_path holds its program's path */
    const WCHAR *base_name;   /* program file name (original case) */
    size_t base_name_length;
    const WCHAR *canonical_base; /* upper-cased file name, in context->canonical */
    size_t canonical_base_length;
    size_t directory_length;  /* of the canonical path, without the last '\' */
} subject;

static BOOL equals_upper(const WCHAR *upper, size_t length, const WCHAR *text)
{
    return wcslen(text) == length && wmemcmp(upper, text, length) == 0;
}

/* Whether the canonical program directory is <windows>\<sub> (sub may be NULL). */
static BOOL in_windows_directory(const rm_app_context *context, const subject *who,
                                 const WCHAR *sub)
{
    size_t root = context->windows_directory_length;
    if (!root || !who->has_path || who->directory_length < root ||
        wmemcmp(context->canonical, context->windows_directory, root) != 0)
        return FALSE;
    if (!sub)
        return who->directory_length == root;
    size_t sub_length = wcslen(sub);
    return who->directory_length == root + 1 + sub_length && context->canonical[root] == L'\\' &&
           wmemcmp(context->canonical + root + 1, sub, sub_length) == 0;
}

static BOOL is_critical(const rm_app_context *context, const subject *who)
{
    if (who->process->pid == 0 || who->process->pid == 4)
        return TRUE;
    for (size_t i = 0; i < sizeof(critical_programs) / sizeof(critical_programs[0]); i++)
        if (equals_upper(who->canonical_base, who->canonical_base_length, critical_programs[i]))
            /* Unreadable paths are the protected system processes themselves. */
            return !who->has_path || in_windows_directory(context, who, L"SYSTEM32") ||
                   in_windows_directory(context, who, L"SYSWOW64");
    return FALSE;
}

static BOOL hosts_critical_service(const rm_app_context *context, DWORD pid)
{
    size_t count = 0;
    const rm_service *hosted = rm_service_list_for_pid(context->services, pid, &count);
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < sizeof(critical_services) / sizeof(critical_services[0]); j++)
            if (_wcsicmp(hosted[i].name, critical_services[j]) == 0)
                return TRUE;
    return FALSE;
}

/* Whether the caller may end the process: RmForceShutdown's last resort needs it. */
static BOOL caller_may_terminate(DWORD pid)
{
    HANDLE process = OpenProcess(PROCESS_TERMINATE, FALSE, pid);
    if (process) {
        CloseHandle(process);
        return TRUE;
    }
    return GetLastError() != ERROR_ACCESS_DENIED;
}

static BOOL is_explorer(const rm_app_context *context, const subject *who)
{
    return equals_upper(who->canonical_base, who->canonical_base_length, L"EXPLORER.EXE") &&
           (in_windows_directory(context, who, NULL) ||
            in_windows_directory(context, who, L"SYSTEM32") ||
            in_windows_directory(context, who, L"SYSWOW64"));
}

static void set_name(WCHAR *out, size_t out_cch, const WCHAR *text, size_t length)
{
    if (length >= out_cch)
        length = out_cch - 1;
    wmemcpy(out, text, length);
    out[length] = 0;
}

/* Opens the process, reads its program path, and derives the names the rules use. */
static void inspect(rm_app_context *context, const rm_process_entry *process, subject *who)
{
    DWORD length = RM_APP_PATH_CCH;
    memset(who, 0, sizeof(*who));
    who->process = process;
    who->handle = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE,
                              process->pid);
    if (!who->handle)
        who->handle = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, process->pid);
    who->has_path = who->handle &&
                    QueryFullProcessImageNameW(who->handle, 0, context->image_path, &length) &&
                    length > 0;
    size_t canonical_length = 0;
    if (who->has_path)
        canonical_length = rm_path_canonicalize((const rm_wchar *)context->image_path, length,
                                                (rm_wchar *)context->canonical, RM_APP_PATH_CCH,
                                                NULL);
    if (canonical_length) {
        size_t name_at = rm_path_file_name_offset((const rm_wchar *)context->canonical,
                                                  canonical_length);
        who->canonical_base = context->canonical + name_at;
        who->canonical_base_length = canonical_length - name_at;
        who->directory_length = name_at ? name_at - 1 : 0;
        const WCHAR *slash = wcsrchr(context->image_path, L'\\');
        who->base_name = slash ? slash + 1 : context->image_path;
        who->base_name_length = wcslen(who->base_name);
        return;
    }
    /* No path: the snapshot's image name, upper-cased into the scratch buffer. */
    who->has_path = FALSE;
    who->base_name = process->image_name;
    who->base_name_length = process->image_name_length;
    size_t n = process->image_name_length < RM_APP_PATH_CCH - 1 ? process->image_name_length
                                                                : RM_APP_PATH_CCH - 1;
    for (size_t i = 0; i < n; i++)
        context->canonical[i] = rm_char_upcase(process->image_name[i]);
    context->canonical[n] = 0;
    who->canonical_base = context->canonical;
    who->canonical_base_length = n;
}

/* Restartable exactly when RmRestart could start it again (relaunch.h decides). */
static BOOL application_restartable(rm_app_context *context, DWORD pid, RM_APP_TYPE type)
{
    rm_relaunch relaunch;
    rm_relaunch_capture(&context->relaunch, pid, type, &relaunch);
    BOOL restartable = relaunch.source != RM_RELAUNCH_NONE;
    context->no_memory |= relaunch.no_memory;
    rm_relaunch_free(&relaunch);
    return restartable;
}

/* The service the process is reported as: the registered one if it hosts it. */
static const rm_service *reported_service(const rm_app_context *context, DWORD pid,
                                          const WCHAR *matched_service)
{
    size_t count = 0;
    const rm_service *hosted = rm_service_list_for_pid(context->services, pid, &count);
    for (size_t i = 0; matched_service && i < count; i++)
        if (_wcsicmp(hosted[i].name, matched_service) == 0)
            return &hosted[i];
    return hosted;
}

static BOOL service_is_critical(const rm_service *service, BOOL host_is_critical)
{
    return host_is_critical || (service->flags & SERVICE_RUNS_IN_SYSTEM_PROCESS) ||
           (service->state == SERVICE_RUNNING && !(service->controls_accepted & SERVICE_ACCEPT_STOP));
}

/* The program's own name for itself (its file description, else its file name), and
 * whether it is a console program: read from the image file, which costs more than
 * everything else the description needs, so only for the applications whose type or
 * name depend on it. */
static void describe_program(rm_app_context *context, const subject *who, RM_PROCESS_INFO *info,
                             BOOL *is_console)
{
    rm_image_info facts;
    memset(&facts, 0, sizeof(facts));
    if (who->has_path)
        rm_image_info_get(&context->images, context->image_path, &facts);
    context->no_memory |= facts.no_memory;
    *is_console = facts.is_console;
    if (facts.description[0])
        set_name(info->strAppName, CCH_RM_MAX_APP_NAME + 1, facts.description,
                 wcslen(facts.description));
    else
        set_name(info->strAppName, CCH_RM_MAX_APP_NAME + 1, who->base_name, who->base_name_length);
}

void rm_app_info_fill(rm_app_context *context, const rm_process_entry *process,
                      const WCHAR *matched_service, RM_PROCESS_INFO *info, DWORD *reasons)
{
    subject who;
    BOOL is_console = FALSE;
    memset(info, 0, sizeof(*info));
    info->Process.dwProcessId = process->pid;
    info->Process.ProcessStartTime = rm_filetime_of(process->create_time);
    info->AppStatus = RmStatusRunning;
    info->TSSessionId = process->session_id;

    inspect(context, process, &who);
    const rm_service *service = reported_service(context, process->pid, matched_service);
    /* Services are stopped through the SCM: only applications need the caller's rights. */
    const BOOL denied = !service && !caller_may_terminate(process->pid);
    const BOOL critical = is_critical(context, &who) || denied ||
                          (service && hosts_critical_service(context, process->pid));
    const rm_window_facts *windows = rm_window_list_find(context->windows, process->pid);
    const BOOL explorer = !critical && !service && is_explorer(context, &who);
    const BOOL titled_window = windows && windows->has_main_window && windows->title[0];
    /* Critical processes are named by their executable, services by their display name,
     * titled main windows by their title, and none of them is typed by the image's
     * subsystem: only the others need the image. */
    const BOOL needs_image = !critical && (service ? !service->display_name[0]
                                                   : explorer || !titled_window);
    if (needs_image)
        describe_program(context, &who, info, &is_console);
    else
        set_name(info->strAppName, CCH_RM_MAX_APP_NAME + 1, who.base_name, who.base_name_length);

    if (service) {
        set_name(info->strServiceShortName, CCH_RM_MAX_SVC_NAME + 1, service->name,
                 wcslen(service->name));
        if (service->display_name[0])
            set_name(info->strAppName, CCH_RM_MAX_APP_NAME + 1, service->display_name,
                     wcslen(service->display_name));
        info->bRestartable = TRUE; /* always, for a service (B-GETLIST-8) */
        if (service_is_critical(service, critical))
            *reasons |= RmRebootReasonCriticalService;
    } else {
        /* Services are stopped through the SCM from any session; applications can only
         * be closed from their own. */
        if (process->session_id != context->caller_session)
            *reasons |= RmRebootReasonSessionMismatch;
    }

    if (critical) {
        info->ApplicationType = RmCritical;
        info->bRestartable = FALSE; /* never, for a critical process (B-GETLIST-8) */
        set_name(info->strAppName, CCH_RM_MAX_APP_NAME + 1, who.base_name, who.base_name_length);
        *reasons |= denied ? RmRebootReasonPermissionDenied | RmRebootReasonCriticalProcess
                           : RmRebootReasonCriticalProcess;
    } else if (service) {
        info->ApplicationType = RmService;
    } else if (explorer) {
        info->ApplicationType = RmExplorer;
    } else if (windows && windows->has_main_window) {
        info->ApplicationType = RmMainWindow;
        if (windows->title[0])
            set_name(info->strAppName, CCH_RM_MAX_APP_NAME + 1, windows->title,
                     wcslen(windows->title));
    } else if (is_console) {
        info->ApplicationType = RmConsole;
    } else if (windows && windows->has_other_window) {
        info->ApplicationType = RmOtherWindow;
    } else {
        info->ApplicationType = RmUnknownApp;
    }
    if (!service && !critical)
        info->bRestartable = application_restartable(context, process->pid, info->ApplicationType);
    RM_TRACE_AS("describe", "pid %lu: type %d%s, restartable %d", (unsigned long)process->pid,
             info->ApplicationType,
             !critical ? ""
             : denied  ? " (critical: the caller may not end it)"
                       : " (critical: a system process, or the host of a critical service)",
             info->bRestartable);
    if (who.handle)
        CloseHandle(who.handle);
}
