// SPDX-License-Identifier: LGPL-2.1-or-later
/* rm_service: a real SERVICE_WIN32_OWN_PROCESS service, for Restart Manager's handling
 * of services. Its options come from the service's binary path command line:
 *
 *   --hold FILE   keeps FILE open (share read|write|delete) while running; it is closed
 *                 before SERVICE_STOPPED is reported
 *   --log FILE    "START <command line>", "RUNNING <service name>", "STOP"
 *   --ready-event NAME   set once SERVICE_RUNNING is reported (no Global\ prefix)
 *   --lifetime-ms N      stops itself (SERVICE_STOPPED) after N ms
 *   --stop-delay-ms N    a stop request first works for N ms (a slow service)
 *   --no-stop            does not accept SERVICE_CONTROL_STOP (ends with its lifetime)
 *
 * The service name is the one the SCM passes to ServiceMain. Run outside the SCM it
 * exits with RMH_EXIT_FAILURE. */
#include "helper_common.h"

#include <wchar.h>

/* Time for the SCM to let the service report SERVICE_STOPPED before the watchdog
 * ends the process regardless. */
#define STOP_GRACE_MS 10000u

static struct {
    helper_options common;
    const wchar_t *hold_path;
    DWORD stop_delay_ms;
    BOOL no_stop;
} config;

static SERVICE_STATUS_HANDLE status_handle;
static HANDLE stop_event;

static void report_status(DWORD state, DWORD exit_code)
{
    static DWORD checkpoint;
    SERVICE_STATUS status = {0};
    BOOL pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted = state != SERVICE_RUNNING ? 0
                                : config.no_stop ? SERVICE_ACCEPT_SHUTDOWN
                                                 : SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN;
    status.dwWin32ExitCode = exit_code;
    status.dwCheckPoint = pending ? ++checkpoint : 0;
    status.dwWaitHint = pending ? 5000 : 0;
    SetServiceStatus(status_handle, &status);
}

static DWORD WINAPI control_handler(DWORD control, DWORD event_type, void *event_data,
                                    void *context)
{
    (void)event_type; (void)event_data; (void)context;
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
        helper_log(config.common.log_path, "STOP");
        report_status(SERVICE_STOP_PENDING, NO_ERROR);
        SetEvent(stop_event);
        return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
        return NO_ERROR;
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

static void WINAPI service_main(DWORD argc, wchar_t **argv)
{
    const wchar_t *name = argc > 0 ? argv[0] : L"";
    HANDLE held = INVALID_HANDLE_VALUE;

    status_handle = RegisterServiceCtrlHandlerExW(name, control_handler, NULL);
    if (!status_handle)
        helper_fail_exit("RegisterServiceCtrlHandlerEx", name);
    report_status(SERVICE_START_PENDING, NO_ERROR);
    if (config.hold_path) {
        held = CreateFileW(config.hold_path, GENERIC_READ,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (held == INVALID_HANDLE_VALUE) {
            report_status(SERVICE_STOPPED, GetLastError());
            return;
        }
    }
    report_status(SERVICE_RUNNING, NO_ERROR);
    helper_log(config.common.log_path, "RUNNING %ls", name);
    helper_signal_ready(config.common.ready_event);

    if (WaitForSingleObject(stop_event, config.common.lifetime_ms) == WAIT_OBJECT_0)
        Sleep(config.stop_delay_ms);
    /* Released first, so a test that saw SERVICE_STOPPED finds the file free. */
    if (held != INVALID_HANDLE_VALUE)
        CloseHandle(held);
    report_status(SERVICE_STOPPED, NO_ERROR);
}

static void parse_options(int argc, wchar_t **argv)
{
    const wchar_t *value;
    helper_options_init(&config.common);
    for (int i = 1; i < argc; i++) {
        if (helper_take_common(argc, argv, &i, &config.common) ||
            helper_take_value(argc, argv, &i, L"--hold", &config.hold_path))
            continue;
        if (helper_take_value(argc, argv, &i, L"--stop-delay-ms", &value))
            config.stop_delay_ms = helper_parse_dword(argv[0], value);
        else if (wcscmp(argv[i], L"--no-stop") == 0)
            config.no_stop = TRUE;
        else
            helper_usage_exit(argv[0], argv[i]);
    }
}

int wmain(int argc, wchar_t **argv)
{
    /* The name is ignored for an own-process service: the SCM names it in ServiceMain. */
    SERVICE_TABLE_ENTRYW dispatch_table[] = {
        { (wchar_t *)L"rm_service", service_main },
        { NULL, NULL },
    };
    DWORD lifetime;

    parse_options(argc, argv);
    lifetime = config.common.lifetime_ms;
    helper_start_lifetime(lifetime > MAXDWORD - STOP_GRACE_MS ? MAXDWORD - 1
                                                              : lifetime + STOP_GRACE_MS);
    helper_log_start(config.common.log_path);
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!stop_event)
        helper_fail_exit("CreateEvent", NULL);
    if (!StartServiceCtrlDispatcherW(dispatch_table))
        helper_fail_exit("StartServiceCtrlDispatcher (not started by the SCM?)", NULL);
    return RMH_EXIT_OK;
}
