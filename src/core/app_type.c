// SPDX-License-Identifier: LGPL-2.1-or-later
#include "app_type.h"
#include "name_compare.h"
#include "shutdown_order.h"

/* Upper-case, as canonical file names are. */
static const char *const critical_programs[] = {
    "CSRSS.EXE", "SMSS.EXE", "WININIT.EXE", "WINLOGON.EXE", "SERVICES.EXE", "LSASS.EXE",
    "LOGONUI.EXE",
};

/* Services whose host process the system cannot lose (B-GETLIST-9). */
static const char *const critical_services[] = { "RpcSs", "DcomLaunch", "PlugPlay" };

/* Exact equality of name[0..length) with an ASCII literal. */
static int equals_ascii(const rm_wchar *name, size_t length, const char *ascii)
{
    size_t i = 0;
    while (i < length && ascii[i] && name[i] == (rm_wchar)(unsigned char)ascii[i])
        i++;
    return i == length && !ascii[i];
}

/* Whether directory[0..length) is windows[0..windows_length) followed by "\" and sub. */
static int is_windows_subdirectory(const rm_wchar *directory, size_t length,
                                   size_t windows_length, const char *sub)
{
    size_t sub_length = 0;
    while (sub[sub_length])
        sub_length++;
    return length == windows_length + 1 + sub_length && directory[windows_length] == '\\' &&
           equals_ascii(directory + windows_length + 1, sub_length, sub);
}

rm_program_directory rm_program_directory_of(const rm_wchar *directory, size_t directory_length,
                                             const rm_wchar *windows, size_t windows_length)
{
    if (!windows_length || directory_length < windows_length ||
        !rm_wmemeq(directory, windows, windows_length))
        return RM_DIR_ELSEWHERE;
    if (directory_length == windows_length)
        return RM_DIR_WINDOWS;
    if (is_windows_subdirectory(directory, directory_length, windows_length, "SYSTEM32"))
        return RM_DIR_SYSTEM32;
    if (is_windows_subdirectory(directory, directory_length, windows_length, "SYSWOW64"))
        return RM_DIR_SYSWOW64;
    return RM_DIR_ELSEWHERE;
}

int rm_service_name_is_critical(const rm_wchar *name)
{
    for (size_t i = 0; i < sizeof(critical_services) / sizeof(critical_services[0]); i++)
        if (rm_name_equal_ascii(name, critical_services[i]))
            return 1;
    return 0;
}

static rm_program_directory directory_of(const rm_app_facts *facts)
{
    return facts->has_path ? facts->directory : RM_DIR_ELSEWHERE;
}

static int in_system_directory(const rm_app_facts *facts)
{
    rm_program_directory directory = directory_of(facts);
    return directory == RM_DIR_SYSTEM32 || directory == RM_DIR_SYSWOW64;
}

/* A system process by pid, or by name and place. */
static int is_system_process(const rm_app_facts *facts)
{
    if (rm_pid_is_system_idle_or_system(facts->pid))
        return 1;
    for (size_t i = 0; i < sizeof(critical_programs) / sizeof(critical_programs[0]); i++)
        if (equals_ascii(facts->base_name, facts->base_name_length, critical_programs[i]))
            /* Unreadable paths are the protected system processes themselves. */
            return !facts->has_path || in_system_directory(facts);
    return 0;
}

static int is_explorer(const rm_app_facts *facts)
{
    return equals_ascii(facts->base_name, facts->base_name_length, "EXPLORER.EXE") &&
           (directory_of(facts) == RM_DIR_WINDOWS || in_system_directory(facts));
}

rm_app_verdict rm_app_judge(const rm_app_facts *facts)
{
    rm_app_verdict verdict = { 0 };
    const int service = facts->is_service;
    const int denied = !service && facts->denied;
    verdict.critical = is_system_process(facts) || denied ||
                       (service && facts->hosts_critical_service);
    verdict.permission_denied = denied;
    verdict.explorer = !verdict.critical && !service && is_explorer(facts);
    verdict.critical_service = service && (verdict.critical || facts->service_runs_in_system_process ||
                                           (facts->service_running && !facts->service_accepts_stop));
    /* Services are stopped through the SCM from any session; applications can only be
     * closed from their own. */
    verdict.session_mismatch = !service && facts->other_session;
    const int titled_window = facts->has_main_window && facts->main_window_has_title;
    /* Critical processes are named by their executable, services by their display name,
     * titled main windows by their title, and none of them is typed by the image's
     * subsystem: only the others need the image. */
    verdict.needs_image = !verdict.critical && (service ? !facts->service_has_display_name
                                                        : verdict.explorer || !titled_window);
    if (verdict.critical)
        verdict.name = RM_APP_NAME_FILE;
    else if (service && facts->service_has_display_name)
        verdict.name = RM_APP_NAME_SERVICE;
    else if (!service && !verdict.explorer && titled_window)
        verdict.name = RM_APP_NAME_WINDOW_TITLE;
    else
        verdict.name = RM_APP_NAME_PROGRAM;
    verdict.restart = verdict.critical ? RM_APP_RESTART_NEVER
                      : service        ? RM_APP_RESTART_ALWAYS
                                       : RM_APP_RESTART_IF_RELAUNCHABLE;
    return verdict;
}

int rm_app_type(const rm_app_facts *facts, const rm_app_verdict *verdict, int is_console)
{
    if (verdict->critical)
        return RM_TYPE_CRITICAL;
    if (facts->is_service)
        return RM_TYPE_SERVICE;
    if (verdict->explorer)
        return RM_TYPE_EXPLORER;
    if (facts->has_main_window)
        return RM_TYPE_MAIN_WINDOW;
    if (is_console)
        return RM_TYPE_CONSOLE;
    if (facts->has_other_window)
        return RM_TYPE_OTHER_WINDOW;
    return RM_TYPE_UNKNOWN;
}
