// SPDX-License-Identifier: LGPL-2.1-or-later
/* rm_console_app: a console program with a control handler, for Restart Manager's
 * shutdown of console applications.
 *
 *   --on-ctrl exit|ignore  on a console control event: log it, then exit with 0 or
 *                          report it handled and keep running (default exit)
 *   --hold FILE            keeps FILE open (share read|write|delete) while alive
 *   --log FILE             "START <command line>", then "CTRL <n> <name>" per event
 *   --ready-event NAME, --lifetime-ms N (see helper_common.h)
 * */
#include "helper_common.h"

#include <wchar.h>

static struct {
    helper_options common;
    BOOL exit_on_ctrl;
    const wchar_t *hold_path;
} config;

static const char *ctrl_name(DWORD type)
{
    switch (type) {
    case CTRL_C_EVENT: return "CTRL_C_EVENT";
    case CTRL_BREAK_EVENT: return "CTRL_BREAK_EVENT";
    case CTRL_CLOSE_EVENT: return "CTRL_CLOSE_EVENT";
    case CTRL_LOGOFF_EVENT: return "CTRL_LOGOFF_EVENT";
    case CTRL_SHUTDOWN_EVENT: return "CTRL_SHUTDOWN_EVENT";
    default: return "UNKNOWN";
    }
}

static BOOL WINAPI ctrl_handler(DWORD type)
{
    helper_log(config.common.log_path, "CTRL %lu %s", (unsigned long)type, ctrl_name(type));
    if (config.exit_on_ctrl)
        ExitProcess(RMH_EXIT_OK);
    return TRUE;
}

static void parse_options(int argc, wchar_t **argv)
{
    const wchar_t *value;
    helper_options_init(&config.common);
    config.exit_on_ctrl = TRUE;
    for (int i = 1; i < argc; i++) {
        if (helper_take_common(argc, argv, &i, &config.common) ||
            helper_take_value(argc, argv, &i, L"--hold", &config.hold_path))
            continue;
        if (helper_take_value(argc, argv, &i, L"--on-ctrl", &value)) {
            if (wcscmp(value, L"exit") == 0)
                config.exit_on_ctrl = TRUE;
            else if (wcscmp(value, L"ignore") == 0)
                config.exit_on_ctrl = FALSE;
            else
                helper_usage_exit(argv[0], value);
        } else {
            helper_usage_exit(argv[0], argv[i]);
        }
    }
}

int wmain(int argc, wchar_t **argv)
{
    parse_options(argc, argv);
    helper_begin(&config.common);
    helper_hold_shared(config.hold_path);
    /* A process started in a new process group has Ctrl+C disabled; turn it back on. */
    SetConsoleCtrlHandler(NULL, FALSE);
    if (!SetConsoleCtrlHandler(ctrl_handler, TRUE))
        helper_fail_exit("SetConsoleCtrlHandler", NULL);
    helper_signal_ready(config.common.ready_event);
    Sleep(INFINITE); /* until a control event or the lifetime watchdog ends us */
    return RMH_EXIT_OK;
}
