// SPDX-License-Identifier: LGPL-2.1-or-later
/* rm_file_holder: a window-less process that keeps files open (and optionally a DLL
 * loaded), for Restart Manager's detection of file users.
 *
 *   --hold FILE             opens (creating if needed) and holds FILE; repeatable
 *   --hold-count N --hold-pattern PREFIX
 *                           also creates and holds PREFIX0000.dat .. PREFIX<N-1>.dat
 *                           (PREFIX is a path such as C:\dir\f), for benchmarks
 *   --share read|none|all   share mode of every held file (default read;
 *                           all = read|write|delete)
 *   --access read|write     access of every held file (default read)
 *   --load DLL              LoadLibrary(DLL) before signalling readiness
 *   --log FILE, --ready-event NAME, --lifetime-ms N (see helper_common.h)
 * */
#include "helper_common.h"

#include <stdlib.h>
#include <wchar.h>

static struct {
    helper_options common;
    DWORD share;
    DWORD access;
    DWORD pattern_count;
    const wchar_t *pattern_prefix;
    const wchar_t *load_path;
    /* Indices into argv of the --hold values, kept to open after all options are read
     * (so --share/--access apply wherever they appear). */
    int *hold_indices;
    int hold_count;
} config;

static DWORD parse_share(const wchar_t *program, const wchar_t *text)
{
    if (wcscmp(text, L"read") == 0)
        return FILE_SHARE_READ;
    if (wcscmp(text, L"none") == 0)
        return 0;
    if (wcscmp(text, L"all") == 0)
        return FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    helper_usage_exit(program, text);
    return 0;
}

static DWORD parse_access(const wchar_t *program, const wchar_t *text)
{
    if (wcscmp(text, L"read") == 0)
        return GENERIC_READ;
    if (wcscmp(text, L"write") == 0)
        return GENERIC_WRITE;
    helper_usage_exit(program, text);
    return 0;
}

static void parse_options(int argc, wchar_t **argv)
{
    const wchar_t *value;
    helper_options_init(&config.common);
    config.share = FILE_SHARE_READ;
    config.access = GENERIC_READ;
    config.hold_indices = calloc((size_t)argc, sizeof(*config.hold_indices));
    if (!config.hold_indices)
        helper_fail_exit("calloc", NULL);
    for (int i = 1; i < argc; i++) {
        if (helper_take_common(argc, argv, &i, &config.common) ||
            helper_take_value(argc, argv, &i, L"--hold-pattern", &config.pattern_prefix) ||
            helper_take_value(argc, argv, &i, L"--load", &config.load_path))
            continue;
        if (helper_take_value(argc, argv, &i, L"--hold", &value))
            config.hold_indices[config.hold_count++] = i;
        else if (helper_take_value(argc, argv, &i, L"--hold-count", &value))
            config.pattern_count = helper_parse_dword(argv[0], value);
        else if (helper_take_value(argc, argv, &i, L"--share", &value))
            config.share = parse_share(argv[0], value);
        else if (helper_take_value(argc, argv, &i, L"--access", &value))
            config.access = parse_access(argv[0], value);
        else
            helper_usage_exit(argv[0], argv[i]);
    }
    if (config.pattern_count && !config.pattern_prefix)
        helper_usage_exit(argv[0], L"--hold-count without --hold-pattern");
}

static void hold_pattern_files(void)
{
    wchar_t path[MAX_PATH * 2];
    for (DWORD n = 0; n < config.pattern_count; n++) {
        swprintf(path, sizeof(path) / sizeof(path[0]), L"%ls%04lu.dat", config.pattern_prefix,
                 (unsigned long)n);
        helper_hold_file(path, config.access, config.share);
    }
}

int wmain(int argc, wchar_t **argv)
{
    parse_options(argc, argv);
    helper_begin(&config.common);
    /* The handles are never closed: holding them is this program's purpose. */
    for (int n = 0; n < config.hold_count; n++)
        helper_hold_file(argv[config.hold_indices[n]], config.access, config.share);
    hold_pattern_files();
    if (config.load_path && !LoadLibraryW(config.load_path))
        helper_fail_exit("LoadLibrary", config.load_path);
    helper_signal_ready(config.common.ready_event);
    Sleep(INFINITE); /* until the lifetime watchdog or the test ends us */
    return RMH_EXIT_OK;
}
