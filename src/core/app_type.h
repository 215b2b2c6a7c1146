// SPDX-License-Identifier: LGPL-2.1-or-later
/* How RmGetList describes an affected process (RM_PROCESS_INFO), from plain facts the
 * adapter reads (src/win/getlist/app_info.c): its ApplicationType, which name it is
 * reported by, whether it may be restarted and which reboot reasons it implies. Plain
 * C11, no Windows.
 *
 * ApplicationType, first rule that applies (docs/behaviour.md B-GETLIST-6):
 *   critical     (B-GETLIST-9) System Idle or System (pid 0 or 4); csrss, smss, wininit,
 *                winlogon, services, lsass or logonui.exe run from <windows>\SYSTEM32 or
 *                <windows>\SYSWOW64, or whose path cannot be read (the protected system
 *                processes themselves); the host of RpcSs, DcomLaunch or PlugPlay; an
 *                application the caller may not terminate (services are exempt: the SCM
 *                stops them). Reason CriticalProcess, and PermissionDenied for the last.
 *   service      hosts a running service.
 *   explorer     explorer.exe from <windows>, <windows>\SYSTEM32 or <windows>\SYSWOW64.
 *   main window  owns a visible, unowned top-level window.
 *   console      its image says console subsystem (a console program that owns a visible
 *                window is a window application; one with hidden windows stays console).
 *   other window owns top-level windows, none of them a main window.
 *   unknown      otherwise.
 * Name (B-GETLIST-7, B-GETLIST-10): a critical process by its executable's file name, a
 * service by its display name, a main window by its title (when it has one), everything
 * else by its program's file description, else its file name.
 * Restartable (B-GETLIST-8): always a service, never a critical process, an application
 * when RmRestart could start it again (the adapter asks relaunch.h).
 * Reasons (B-GETLIST-13): CriticalProcess (and PermissionDenied) as above;
 * CriticalService for a service that cannot be stopped (running, not accepting STOP),
 * runs in the system process or lives in a critical process; SessionMismatch for an
 * application (not a service) in another terminal session than the caller's.
 * Reading the program's image costs more than everything else: it is read only when the
 * name or the type depend on it (needs_image). */
#ifndef RM_CORE_APP_TYPE_H
#define RM_CORE_APP_TYPE_H

#include <stddef.h>
#include <stdint.h>

#include "rm_wchar.h"

/* The processes that are no program: System Idle and System. */
#define RM_PID_SYSTEM_IDLE 0u
#define RM_PID_SYSTEM 4u

static inline int rm_pid_is_system_idle_or_system(uint32_t pid)
{
    return pid == RM_PID_SYSTEM_IDLE || pid == RM_PID_SYSTEM;
}

/* Where a program lives, as far as the rules care. */
typedef enum rm_program_directory {
    RM_DIR_ELSEWHERE,
    RM_DIR_WINDOWS,     /* <windows> itself */
    RM_DIR_SYSTEM32,    /* <windows>\SYSTEM32 */
    RM_DIR_SYSWOW64,    /* <windows>\SYSWOW64 */
} rm_program_directory;

/* The class of the canonical directory[0..directory_length) (a canonical path without its
 * last '\' and file name, path_norm.h) given the canonical Windows directory
 * windows[0..windows_length) (e.g. "C:\WINDOWS"); windows_length 0 (unknown) gives
 * RM_DIR_ELSEWHERE. Units compare exactly: both are canonical, hence upper-case. */
rm_program_directory rm_program_directory_of(const rm_wchar *directory, size_t directory_length,
                                             const rm_wchar *windows, size_t windows_length);

/* Whether the service (NUL-terminated name) is one whose host the system cannot lose:
 * RpcSs, DcomLaunch, PlugPlay (B-GETLIST-9), compared as _wcsicmp does (name_compare.h). */
int rm_service_name_is_critical(const rm_wchar *name);

/* What the adapter knows of the process before reading its image. Booleans are 0 or 1. */
typedef struct rm_app_facts {
    uint32_t pid;
    const rm_wchar *base_name;       /* the program's file name, canonical (upper-case) */
    size_t base_name_length;
    int has_path;                    /* the program's full path could be read */
    rm_program_directory directory;  /* of that path; ignored without one */
    int denied;                      /* the caller may not terminate it (ignored for a
                                      * service: the SCM stops those) */
    int other_session;               /* in another terminal session than the caller */
    /* The service it is reported as (is_service), if any. */
    int is_service;
    int hosts_critical_service;      /* one of the services it hosts: see above */
    int service_has_display_name;
    int service_runs_in_system_process;
    int service_running;
    int service_accepts_stop;
    /* Its top-level windows. */
    int has_main_window;
    int main_window_has_title;
    int has_other_window;
} rm_app_facts;

typedef enum rm_app_name {
    RM_APP_NAME_FILE,           /* the executable's file name */
    RM_APP_NAME_SERVICE,        /* the service's display name */
    RM_APP_NAME_WINDOW_TITLE,   /* the main window's title */
    RM_APP_NAME_PROGRAM,        /* the image's file description, else the file name */
} rm_app_name;

typedef enum rm_app_restart {
    RM_APP_RESTART_NEVER,
    RM_APP_RESTART_ALWAYS,
    RM_APP_RESTART_IF_RELAUNCHABLE, /* as RmRestart could start it again */
} rm_app_restart;

typedef struct rm_app_verdict {
    int critical;               /* RM_TYPE_CRITICAL, reason CriticalProcess */
    int permission_denied;      /* reason PermissionDenied as well */
    int explorer;               /* RM_TYPE_EXPLORER */
    int critical_service;       /* reason CriticalService */
    int session_mismatch;       /* reason SessionMismatch */
    int needs_image;            /* the image's description or subsystem decide something */
    rm_app_name name;
    rm_app_restart restart;
} rm_app_verdict;

rm_app_verdict rm_app_judge(const rm_app_facts *facts);

/* The RM_APP_TYPE value (RM_TYPE_* of shutdown_order.h); is_console: the image says console
 * subsystem (only read, and only consulted, when verdict->needs_image). */
int rm_app_type(const rm_app_facts *facts, const rm_app_verdict *verdict, int is_console);

#endif
