// SPDX-License-Identifier: LGPL-2.1-or-later
/* rm_dll_loader: loads a DLL and waits, for Restart Manager's detection of processes
 * that use a module. LoadLibrary closes its own handle to the file: afterwards only the
 * image mapping keeps the DLL in use, which is exactly the case to exercise.
 *
 *   --load DLLPATH   LoadLibraryW(DLLPATH); required
 *   --log FILE, --ready-event NAME, --lifetime-ms N (see helper_common.h)
 * */
#include "helper_common.h"

int wmain(int argc, wchar_t **argv)
{
    helper_options common;
    const wchar_t *load_path = NULL;

    helper_options_init(&common);
    for (int i = 1; i < argc; i++) {
        if (!helper_take_common(argc, argv, &i, &common) &&
            !helper_take_value(argc, argv, &i, L"--load", &load_path))
            helper_usage_exit(argv[0], argv[i]);
    }
    if (!load_path)
        helper_usage_exit(argv[0], L"--load is required");

    helper_begin(&common);
    if (!LoadLibraryW(load_path))
        helper_fail_exit("LoadLibrary", load_path);
    helper_signal_ready(common.ready_event);
    Sleep(INFINITE); /* until the lifetime watchdog or the test ends us */
    return RMH_EXIT_OK;
}
