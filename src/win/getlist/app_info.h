// SPDX-License-Identifier: LGPL-2.1-or-later
/* Describes an affected process the way RmGetList reports it (RM_PROCESS_INFO) and adds
 * the reboot reasons it implies.
 *
 * The rules — ApplicationType first rule that applies, the name it is reported by,
 * bRestartable, the reasons, and when the image must be read — are the portable core's
 * (src/core/app_type.h; docs/behaviour.md B-GETLIST-6 to -10, -13). This adapter reads
 * the facts they take: the program's path (QueryFullProcessImageName, canonical; the
 * snapshot's image name when it cannot be read) and whether it lies in the Windows
 * directory, System32 or SysWOW64; whether the caller may terminate it (PROCESS_TERMINATE);
 * the service it hosts (the registered one, else its first) with its state and flags;
 * its windows (window_list.h); and, when the rules need it, the image's file description
 * and subsystem (image_info.h). A program named by its file name keeps the extension
 * ("tool.exe"): clients that look for a console tool strip the extension before comparing
 * (Git for Windows), and the name stays recognisable.
 * An application's bRestartable says whether RmRestart could start it again
 * (relaunch.h). */
#ifndef RM_WIN_APP_INFO_H
#define RM_WIN_APP_INFO_H

#include <windows.h>
#include <restartmanager.h>

#include "app_type.h" /* rm_pid_is_system_idle_or_system() for the resolver too */
#include "getlist/image_info.h"
#include "getlist/service_lookup.h"
#include "getlist/window_list.h"
#include "process/process_snapshot.h"
#include "process/relaunch.h"

typedef struct rm_app_context {
    const rm_service_list *services;
    const rm_window_list *windows;
    DWORD caller_session;
    rm_image_cache images;
    WCHAR windows_directory[MAX_PATH];  /* canonical, e.g. "C:\WINDOWS" */
    size_t windows_directory_length;
    WCHAR *image_path;                  /* scratch, RM_APP_PATH_CCH units */
    WCHAR *canonical;                   /* scratch, RM_APP_PATH_CCH units */
    rm_relaunch_context *relaunch;      /* the call's, shared by its restart captures */
    BOOL no_memory;                     /* an answer lacked memory: the call fails */
} rm_app_context;

#define RM_APP_PATH_CCH 32768u

/* A context per thread that describes; relaunch may be shared by several (it is safe to
 * use from several threads at once). */
DWORD rm_app_context_init(rm_app_context *context, const rm_service_list *services,
                          const rm_window_list *windows, DWORD caller_session,
                          rm_relaunch_context *relaunch);
void rm_app_context_free(rm_app_context *context);

/* A process opened with every right a description may use, or the most the caller
 * could get: terminate (RmForceShutdown's last resort), read its memory (the restart
 * capture, the module scan), query. handle is NULL when not even a query was allowed. */
typedef struct rm_opened_process {
    HANDLE handle;
    BOOL may_terminate;   /* opened with PROCESS_TERMINATE too */
    BOOL can_read;        /* ... and with PROCESS_VM_READ */
} rm_opened_process;

/* One open, then fewer rights on each refusal. The resolver's module scan opens the
 * processes it looks into so, and hands the handles of those it finds to their
 * descriptions: each open and close is a round trip to the system. */
void rm_app_process_open(DWORD pid, rm_opened_process *out);

/* matched_service: the registered service through which the process was found, or NULL.
 * opened: the process opened already by rm_app_process_open (kept open, the caller's),
 * or NULL to open it here. */
void rm_app_info_fill(rm_app_context *context, const rm_process_entry *process,
                      const WCHAR *matched_service, const rm_opened_process *opened,
                      RM_PROCESS_INFO *info, DWORD *reasons);

#endif
