// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/app_info.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app_type.h"
#include "path_norm.h"
#include "base/filetime.h"
#include "base/trace.h"
#include "process/relaunch.h"

DWORD rm_app_context_init(rm_app_context *context, const rm_service_list *services,
                          const rm_window_list *windows, DWORD caller_session,
                          rm_relaunch_context *relaunch)
{
    WCHAR directory[MAX_PATH];
    memset(context, 0, sizeof(*context));
    context->services = services;
    context->windows = windows;
    context->caller_session = caller_session;
    context->relaunch = relaunch;
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
    BOOL handle_is_ours;      /* opened here, closed here */
    BOOL has_path;            /* context->image_path holds its program's path */
    const WCHAR *base_name;   /* program file name (original case) */
    size_t base_name_length;
    BOOL may_terminate;       /* handle was opened with PROCESS_TERMINATE too */
    BOOL can_read;            /* ... and with PROCESS_VM_READ */
    const WCHAR *canonical_base; /* upper-cased file name, in context->canonical */
    size_t canonical_base_length;
    size_t directory_length;  /* of the canonical path, without the last '\' */
} subject;

static BOOL hosts_critical_service(const rm_app_context *context, DWORD pid)
{
    size_t count = 0;
    const rm_service *hosted = rm_service_list_for_pid(context->services, pid, &count);
    for (size_t i = 0; i < count; i++)
        if (rm_service_name_is_critical((const rm_wchar *)hosted[i].name))
            return TRUE;
    return FALSE;
}

/* Whether the caller may end the process: RmForceShutdown's last resort needs it. */
static BOOL caller_may_terminate(const subject *who)
{
    if (who->may_terminate)
        return TRUE;
    const DWORD pid = who->process->pid;
    HANDLE process = OpenProcess(PROCESS_TERMINATE, FALSE, pid);
    if (process) {
        CloseHandle(process);
        return TRUE;
    }
    return GetLastError() != ERROR_ACCESS_DENIED;
}

static void set_name(WCHAR *out, size_t out_cch, const WCHAR *text, size_t length)
{
    if (length >= out_cch)
        length = out_cch - 1;
    wmemcpy(out, text, length);
    out[length] = 0;
}

void rm_app_process_open(DWORD pid, rm_opened_process *out)
{
    out->handle = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ |
                                  PROCESS_TERMINATE,
                              FALSE, pid);
    out->may_terminate = out->handle != NULL;
    if (!out->handle)
        out->handle = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    out->can_read = out->handle != NULL;
    if (!out->handle)
        out->handle = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
}

/* Opens the process (unless opened already), reads its program path, and derives the
 * names the rules use. */
static void inspect(rm_app_context *context, const rm_process_entry *process,
                    const rm_opened_process *opened, subject *who)
{
    DWORD length = RM_APP_PATH_CCH;
    rm_opened_process own;
    memset(who, 0, sizeof(*who));
    who->process = process;
    /* One handle for all the description asks, where the caller may have every right. */
    if (!opened || !opened->handle) {
        rm_app_process_open(process->pid, &own);
        opened = &own;
        who->handle_is_ours = TRUE;
    }
    who->handle = opened->handle;
    who->may_terminate = opened->may_terminate;
    who->can_read = opened->can_read;
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
static BOOL application_restartable(rm_app_context *context, const subject *who,
                                    RM_APP_TYPE type)
{
    rm_relaunch relaunch;
    if (who->handle && who->can_read)
        rm_relaunch_capture_opened(context->relaunch, who->handle,
                                   who->has_path ? context->image_path : NULL, type, &relaunch);
    else
        rm_relaunch_capture(context->relaunch, who->process->pid, type, &relaunch);
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

/* The program's file description and whether it is a console program, read from the
 * image file; that costs more than everything else the description needs, so only for
 * the applications whose type or name depend on it (rm_app_verdict.needs_image). */
static void read_image(rm_app_context *context, const subject *who, rm_image_info *image)
{
    if (who->has_path)
        rm_image_info_get(&context->images, context->image_path, image);
    context->no_memory |= image->no_memory;
}

/* The facts the core's rules (app_type.h) take. */
static rm_app_facts facts_of(const rm_app_context *context, const subject *who,
                             const rm_service *service, const rm_window_facts *windows,
                             BOOL denied)
{
    rm_app_facts facts;
    memset(&facts, 0, sizeof(facts));
    facts.pid = who->process->pid;
    facts.base_name = (const rm_wchar *)who->canonical_base;
    facts.base_name_length = who->canonical_base_length;
    facts.has_path = who->has_path ? 1 : 0;
    facts.directory = rm_program_directory_of((const rm_wchar *)context->canonical,
                                              who->directory_length,
                                              (const rm_wchar *)context->windows_directory,
                                              context->windows_directory_length);
    facts.denied = denied ? 1 : 0;
    facts.other_session = who->process->session_id != context->caller_session;
    if (service) {
        facts.is_service = 1;
        facts.hosts_critical_service = hosts_critical_service(context, who->process->pid);
        facts.service_has_display_name = service->display_name[0] != 0;
        facts.service_runs_in_system_process =
            (service->flags & SERVICE_RUNS_IN_SYSTEM_PROCESS) != 0;
        facts.service_running = service->state == SERVICE_RUNNING;
        facts.service_accepts_stop = (service->controls_accepted & SERVICE_ACCEPT_STOP) != 0;
    }
    if (windows) {
        facts.has_main_window = windows->has_main_window ? 1 : 0;
        facts.main_window_has_title = windows->title[0] != 0;
        facts.has_other_window = windows->has_other_window ? 1 : 0;
    }
    return facts;
}

void rm_app_info_fill(rm_app_context *context, const rm_process_entry *process,
                      const WCHAR *matched_service, const rm_opened_process *opened,
                      RM_PROCESS_INFO *info, DWORD *reasons)
{
    subject who;
    rm_image_info image;
    memset(info, 0, sizeof(*info));
    memset(&image, 0, sizeof(image));
    info->Process.dwProcessId = process->pid;
    info->Process.ProcessStartTime = rm_filetime_of(process->create_time);
    info->AppStatus = RmStatusRunning;
    info->TSSessionId = process->session_id;

    inspect(context, process, opened, &who);
    const rm_service *service = reported_service(context, process->pid, matched_service);
    /* Services are stopped through the SCM: only applications need the caller's rights. */
    const BOOL denied = !service && !caller_may_terminate(&who);
    const rm_window_facts *windows = rm_window_list_find(context->windows, process->pid);
    const rm_app_facts facts = facts_of(context, &who, service, windows, denied);
    const rm_app_verdict verdict = rm_app_judge(&facts);
    if (verdict.needs_image)
        read_image(context, &who, &image);

    const WCHAR *name = NULL; /* NULL: the executable's file name */
    switch (verdict.name) {
    case RM_APP_NAME_SERVICE: name = service->display_name; break;
    case RM_APP_NAME_WINDOW_TITLE: name = windows->title; break;
    case RM_APP_NAME_PROGRAM: name = image.description[0] ? image.description : NULL; break;
    case RM_APP_NAME_FILE: break;
    }
    if (name)
        set_name(info->strAppName, CCH_RM_MAX_APP_NAME + 1, name, wcslen(name));
    else
        set_name(info->strAppName, CCH_RM_MAX_APP_NAME + 1, who.base_name, who.base_name_length);
    if (service)
        set_name(info->strServiceShortName, CCH_RM_MAX_SVC_NAME + 1, service->name,
                 wcslen(service->name));

    info->ApplicationType = (RM_APP_TYPE)rm_app_type(&facts, &verdict, image.is_console);
    if (verdict.critical_service)
        *reasons |= RmRebootReasonCriticalService;
    if (verdict.session_mismatch)
        *reasons |= RmRebootReasonSessionMismatch;
    if (verdict.critical)
        *reasons |= RmRebootReasonCriticalProcess;
    if (verdict.permission_denied)
        *reasons |= RmRebootReasonPermissionDenied;
    /* Always for a service, never for a critical process (B-GETLIST-8). */
    if (verdict.restart == RM_APP_RESTART_IF_RELAUNCHABLE)
        info->bRestartable = application_restartable(context, &who, info->ApplicationType);
    else
        info->bRestartable = verdict.restart == RM_APP_RESTART_ALWAYS;
    RM_TRACE_AS("describe", "pid %lu: type %d%s, restartable %d", (unsigned long)process->pid,
             info->ApplicationType,
             !verdict.critical ? ""
             : verdict.permission_denied
                 ? " (critical: the caller may not end it)"
                 : " (critical: a system process, or the host of a critical service)",
             info->bRestartable);
    if (who.handle && who.handle_is_ours)
        CloseHandle(who.handle);
}
