/* Describes an affected process the way RmGetList reports it (RM_PROCESS_INFO) and adds
 * the reboot reasons it implies.
 *
 * ApplicationType, first rule that applies:
 *   RmCritical    System (pid 0/4), csrss/smss/wininit/winlogon/services/lsass/logonui.exe
 *                 run from <windows>\System32 (or whose path cannot be read), the host of
 *                 RpcSs, DcomLaunch or PlugPlay -> reason CriticalProcess; an application
 *                 the caller may not terminate -> also PermissionDenied (B-GETLIST-9).
 *                 strAppName: the executable's file name; bRestartable FALSE
 *   RmService     hosts a running service (short name: the registered one it hosts,
 *                 else its first one; strAppName: the service's display name)
 *   RmExplorer    explorer.exe from the Windows directory (or System32/SysWOW64)
 *   RmMainWindow  owns a visible, unowned top-level window (strAppName: its title)
 *   RmConsole     its program's PE header says console subsystem
 *   RmOtherWindow owns top-level windows, none of them a main window
 *   RmUnknownApp  otherwise
 * A console program that owns a visible window is a window app, one with only hidden
 * windows (e.g. COM or IME helpers) stays a console app: it is shut down like one.
 * strAppName, when no rule above names it: the program's file description, else its
 * file name WITH the extension ("tool.exe"): clients that look for a console tool strip
 * the extension before comparing (Git for Windows), and the name stays recognisable.
 * bRestartable: always for a service, never for a critical process (B-GETLIST-8);
 * applications when RmRestart could start them again (relaunch.h).
 * Reasons: SessionMismatch for an application (not a service: the SCM stops those from
 * any session) in another terminal session than the caller's; CriticalService for a
 * service that cannot be stopped or lives in a critical/system process. */
#ifndef RM_WIN_APP_INFO_H
#define RM_WIN_APP_INFO_H

#include <windows.h>
#include <restartmanager.h>
#include "getlist/image_info.h"
#include "process/process_snapshot.h"
#include "getlist/service_lookup.h"
#include "process/relaunch.h"
#include "getlist/window_list.h"

typedef struct rm_app_context {
    const rm_service_list *services;
    const rm_window_list *windows;
    DWORD caller_session;
    rm_image_cache images;
    WCHAR windows_directory[MAX_PATH];  /* canonical, e.g. "C:\WINDOWS" */
    size_t windows_directory_length;
    WCHAR *image_path;                  /* scratch, RM_APP_PATH_CCH units */
    WCHAR *canonical;                   /* scratch, RM_APP_PATH_CCH units */
    rm_relaunch_context relaunch;       /* shared by the call's restart captures */
    BOOL no_memory;                     /* an answer lacked memory: the call fails */
} rm_app_context;

#define RM_APP_PATH_CCH 32768u

DWORD rm_app_context_init(rm_app_context *context, const rm_service_list *services,
                          const rm_window_list *windows, DWORD caller_session);
void rm_app_context_free(rm_app_context *context);

/* matched_service: the registered service through which the process was found, or NULL. */
void rm_app_info_fill(rm_app_context *context, const rm_process_entry *process,
                      const WCHAR *matched_service, RM_PROCESS_INFO *info, DWORD *reasons);

#endif
