// SPDX-License-Identifier: LGPL-2.1-or-later
/* rm_gui_app: a visible top-level window whose answer to WM_QUERYENDSESSION is chosen
 * by the test, so Restart Manager's shutdown of GUI applications can be exercised.
 *
 *   --title TEXT               window title (default "rm_gui_app")
 *   --on-query accept|refuse|hang
 *                              WM_QUERYENDSESSION returns TRUE / FALSE / never returns
 *   --query-delay-ms N         WM_QUERYENDSESSION first works for N ms (a slow app)
 *   --ignore-close             WM_CLOSE does not close the window
 *   --hold FILE                keeps FILE open (share read|write|delete) while alive
 *   --load DLL                 LoadLibrary(DLL) at start (a module user, e.g. of a
 *                              system DLL an installer replaces)
 *   --register-restart CMDLINE calls RegisterApplicationRestart(CMDLINE, 0)
 *   --register-restart-on-query CMDLINE
 *                              calls RegisterApplicationRestart(CMDLINE, 0) while
 *                              answering WM_QUERYENDSESSION (as late as allowed)
 *   --deny-terminate           its process DACL grants everyone only waiting and
 *                              querying: no other process may terminate it
 *   --log FILE                 "START <command line>", then one line per
 *                              QUERYENDSESSION / ENDSESSION / CLOSE received
 *   --ready-event NAME, --lifetime-ms N (see helper_common.h)
 *
 * It exits with 0 on WM_ENDSESSION(TRUE) and on WM_CLOSE (unless --ignore-close).
 * */
#include "helper_common.h"

#include <aclapi.h>
#include <wchar.h>

enum query_answer { ANSWER_ACCEPT, ANSWER_REFUSE, ANSWER_HANG };

static struct {
    helper_options common;
    const wchar_t *title;
    enum query_answer on_query;
    BOOL ignore_close;
    const wchar_t *hold_path;
    const wchar_t *load_path;
    const wchar_t *restart_command_line;
    const wchar_t *restart_on_query;
    DWORD query_delay_ms;
    BOOL deny_terminate;
} config;

/* Posted to ourselves: readiness is signalled from inside the running message loop, so
 * a test that saw it can send messages and get them handled. */
#define WM_APP_SIGNAL_READY (WM_APP + 1)

static unsigned long lparam_bits(LPARAM lparam)
{
    return (unsigned long)(ULONG_PTR)lparam; /* ENDSESSION_* flags fit 32 bits */
}

static LRESULT CALLBACK window_proc(HWND window, UINT message, WPARAM wparam, LPARAM lparam)
{
    switch (message) {
    case WM_APP_SIGNAL_READY:
        helper_signal_ready(config.common.ready_event);
        return 0;
    case WM_QUERYENDSESSION:
        helper_log(config.common.log_path, "QUERYENDSESSION lParam=0x%08lx",
                   lparam_bits(lparam));
        if (config.restart_on_query)
            helper_log(config.common.log_path, "REGISTER 0x%08lx",
                       (unsigned long)RegisterApplicationRestart(config.restart_on_query, 0));
        if (config.on_query == ANSWER_HANG)
            Sleep(INFINITE); /* a hung application; the lifetime watchdog still ends it */
        Sleep(config.query_delay_ms);
        return config.on_query == ANSWER_ACCEPT;
    case WM_ENDSESSION:
        helper_log(config.common.log_path, "ENDSESSION wParam=%d lParam=0x%08lx",
                   wparam ? 1 : 0, lparam_bits(lparam));
        if (wparam)
            DestroyWindow(window);
        return 0;
    case WM_CLOSE:
        helper_log(config.common.log_path, "CLOSE");
        if (!config.ignore_close)
            DestroyWindow(window);
        return 0;
    case WM_DESTROY:
        PostQuitMessage(RMH_EXIT_OK);
        return 0;
    default:
        return DefWindowProcW(window, message, wparam, lparam);
    }
}

static enum query_answer parse_answer(const wchar_t *program, const wchar_t *text)
{
    if (wcscmp(text, L"accept") == 0)
        return ANSWER_ACCEPT;
    if (wcscmp(text, L"refuse") == 0)
        return ANSWER_REFUSE;
    if (wcscmp(text, L"hang") == 0)
        return ANSWER_HANG;
    helper_usage_exit(program, text);
    return ANSWER_ACCEPT;
}

static void parse_options(int argc, wchar_t **argv)
{
    const wchar_t *value;
    helper_options_init(&config.common);
    config.title = L"rm_gui_app";
    config.on_query = ANSWER_ACCEPT;
    for (int i = 1; i < argc; i++) {
        if (helper_take_common(argc, argv, &i, &config.common) ||
            helper_take_value(argc, argv, &i, L"--title", &config.title) ||
            helper_take_value(argc, argv, &i, L"--hold", &config.hold_path) ||
            helper_take_value(argc, argv, &i, L"--load", &config.load_path) ||
            helper_take_value(argc, argv, &i, L"--register-restart",
                              &config.restart_command_line) ||
            helper_take_value(argc, argv, &i, L"--register-restart-on-query",
                              &config.restart_on_query))
            continue;
        if (helper_take_value(argc, argv, &i, L"--on-query", &value))
            config.on_query = parse_answer(argv[0], value);
        else if (helper_take_value(argc, argv, &i, L"--query-delay-ms", &value))
            config.query_delay_ms = helper_parse_dword(argv[0], value);
        else if (wcscmp(argv[i], L"--ignore-close") == 0)
            config.ignore_close = TRUE;
        else if (wcscmp(argv[i], L"--deny-terminate") == 0)
            config.deny_terminate = TRUE;
        else
            helper_usage_exit(argv[0], argv[i]);
    }
}

/* Handles opened before (the test's own, from CreateProcess) keep their rights. */
static void deny_terminate(void)
{
    SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY;
    PSID everyone = NULL;
    BYTE acl_bytes[256];
    PACL acl = (PACL)acl_bytes;
    const DWORD granted = SYNCHRONIZE | PROCESS_QUERY_INFORMATION |
                          PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ | READ_CONTROL;
    if (!AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0, &everyone) ||
        !InitializeAcl(acl, sizeof(acl_bytes), ACL_REVISION) ||
        !AddAccessAllowedAce(acl, ACL_REVISION, granted, everyone) ||
        SetSecurityInfo(GetCurrentProcess(), SE_KERNEL_OBJECT,
                        DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, NULL,
                        NULL, acl, NULL) != ERROR_SUCCESS)
        helper_fail_exit("SetSecurityInfo(process DACL)", NULL);
    FreeSid(everyone);
}

static HWND create_main_window(void)
{
    WNDCLASSW window_class = {0};
    HWND window;
    window_class.lpfnWndProc = window_proc;
    window_class.hInstance = GetModuleHandleW(NULL);
    window_class.hCursor = LoadCursorW(NULL, (const wchar_t *)IDC_ARROW);
    window_class.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
    window_class.lpszClassName = L"rm_gui_app_window";
    if (!RegisterClassW(&window_class))
        helper_fail_exit("RegisterClass", NULL);
    window = CreateWindowExW(0, window_class.lpszClassName, config.title, WS_OVERLAPPEDWINDOW,
                             CW_USEDEFAULT, CW_USEDEFAULT, 320, 200, NULL, NULL,
                             window_class.hInstance, NULL);
    if (!window)
        helper_fail_exit("CreateWindowEx", config.title);
    ShowWindow(window, SW_SHOW);
    UpdateWindow(window);
    return window;
}

int wmain(int argc, wchar_t **argv)
{
    MSG message;
    BOOL got;
    HWND window;

    parse_options(argc, argv);
    helper_begin(&config.common);
    helper_hold_shared(config.hold_path);
    if (config.load_path && !LoadLibraryW(config.load_path))
        helper_fail_exit("LoadLibrary", config.load_path);
    if (config.deny_terminate)
        deny_terminate();
    if (config.restart_command_line &&
        FAILED(RegisterApplicationRestart(config.restart_command_line, 0)))
        helper_fail_exit("RegisterApplicationRestart", config.restart_command_line);

    window = create_main_window();
    if (!PostMessageW(window, WM_APP_SIGNAL_READY, 0, 0))
        helper_fail_exit("PostMessage(ready)", NULL);
    while ((got = GetMessageW(&message, NULL, 0, 0)) > 0) {
        TranslateMessage(&message);
        DispatchMessageW(&message);
    }
    return got < 0 ? RMH_EXIT_FAILURE : (int)message.wParam;
}
