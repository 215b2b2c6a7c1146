// SPDX-License-Identifier: LGPL-2.1-or-later
/* A conformance program re-run as a child process in a role ("PROGRAM --child ROLE
 * ARGS..."), for the cross-process cases: the bound a parent waits for such a child, and
 * the dispatch from the command line to the role's function. */
#ifndef RMT_CHILD_H
#define RMT_CHILD_H

#include <stddef.h>
#include <windows.h>

/* How long a parent waits for a child role to end (rmt_run_self). */
#define RMT_CHILD_TIMEOUT_MS 120000u

/* Exit codes of the dispatch itself (a role's own codes stay below them). */
#define RMT_CHILD_UNKNOWN_ROLE 99
#define RMT_CHILD_TOO_FEW_ARGUMENTS 100

typedef struct rmt_child_role {
    const wchar_t *name;   /* ROLE */
    int min_args;          /* how many ARGS it needs at least */
    /* args[0..arg_count): the ARGS after ROLE; returns the child's exit code. */
    int (*run)(int arg_count, wchar_t **args);
} rmt_child_role;

/* FALSE if argv is not "PROGRAM --child ROLE ..." (the program runs its tests). Else TRUE
 * and *exit_code = what ROLE's function returned, or RMT_CHILD_UNKNOWN_ROLE /
 * RMT_CHILD_TOO_FEW_ARGUMENTS (said on stderr). */
BOOL rmt_child_dispatch(int argc, wchar_t **argv, const rmt_child_role *roles, size_t count,
                        int *exit_code);

/* First in a wmain: when argv names a child role of the array roles, runs it and returns
 * its exit code from wmain. */
#define RMT_RUN_CHILD_ROLE(argc, argv, roles)                                               \
    do {                                                                                    \
        int rmt_child_exit_code_;                                                           \
        if (rmt_child_dispatch(argc, argv, roles, sizeof(roles) / sizeof((roles)[0]),       \
                               &rmt_child_exit_code_))                                      \
            return rmt_child_exit_code_;                                                    \
    } while (0)

/* A conformance program's entry, as Wine's START_TEST is a test's: wmain runs the child
 * role argv names (roles), else the cases (the remaining arguments, each a CMUnitTest) as
 * the cmocka group `group` with the group fixtures setup and teardown (NULL: none). */
#define RMT_MAIN(group, roles, setup, teardown, ...)                                        \
    int wmain(int argc, wchar_t **argv)                                                     \
    {                                                                                       \
        RMT_RUN_CHILD_ROLE(argc, argv, roles);                                              \
        const struct CMUnitTest tests[] = { __VA_ARGS__ };                                  \
        return cmocka_run_group_tests_name(group, tests, setup, teardown);                  \
    }

/* The same for a program without child roles. */
#define RMT_MAIN_CASES(group, setup, teardown, ...)                                         \
    int wmain(void)                                                                         \
    {                                                                                       \
        const struct CMUnitTest tests[] = { __VA_ARGS__ };                                  \
        return cmocka_run_group_tests_name(group, tests, setup, teardown);                  \
    }

#endif
