// SPDX-License-Identifier: LGPL-2.1-or-later
/* See rmt_child.h. */
#include "rmt_child.h"

#include <stdio.h>
#include <wchar.h>

BOOL rmt_child_dispatch(int argc, wchar_t **argv, const rmt_child_role *roles, size_t count,
                        int *exit_code)
{
    if (argc < 3 || wcscmp(argv[1], L"--child") != 0)
        return FALSE;
    int arg_count = argc - 3;
    for (size_t i = 0; i < count; i++) {
        if (wcscmp(argv[2], roles[i].name) != 0)
            continue;
        if (arg_count < roles[i].min_args) {
            fprintf(stderr, "child role %ls needs %d arguments, got %d\n", roles[i].name,
                    roles[i].min_args, arg_count);
            *exit_code = RMT_CHILD_TOO_FEW_ARGUMENTS;
        } else {
            *exit_code = roles[i].run(arg_count, argv + 3);
        }
        return TRUE;
    }
    fprintf(stderr, "unknown child role %ls\n", argv[2]);
    *exit_code = RMT_CHILD_UNKNOWN_ROLE;
    return TRUE;
}
