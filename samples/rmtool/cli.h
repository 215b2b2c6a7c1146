// SPDX-License-Identifier: LGPL-2.1-or-later
/* rmtool's command line: the command, its options and the resources to register.
 * LGPL-2.1-or-later. */
#ifndef RMTOOL_CLI_H
#define RMTOOL_CLI_H

#include <windows.h>

typedef enum rmtool_command {
    CMD_HELP,
    CMD_VERSION,
    CMD_WHO,
    CMD_CLOSE,
    CMD_CYCLE,
} rmtool_command;

typedef struct rmtool_options {
    rmtool_command command;
    BOOL json;            /* who --json */
    BOOL why;             /* who --why: the evidence behind each process */
    BOOL force;           /* close/cycle --force: RmForceShutdown */
    BOOL only_registered; /* close/cycle --only-registered: RmShutdownOnlyRegistered */
    BOOL no_progress;     /* close/cycle --no-progress */
    BOOL wait_given;      /* cycle --wait-ms N was given */
    DWORD wait_ms;
    const wchar_t *run_command; /* cycle --run COMMANDLINE */
    UINT file_count;
    wchar_t **files;      /* full paths (GetFullPathName of the arguments) */
    UINT directory_count;
    wchar_t **directories; /* the same for the arguments that are directories */
    UINT pid_count;
    DWORD *pids;          /* --pid */
    UINT service_count;
    const wchar_t **services; /* --service (short names) */
} rmtool_options;

/* Fills out from argv. On a usage error (also a path that does not exist) prints why
 * on stderr and returns FALSE. */
BOOL cli_parse(int argc, wchar_t **argv, rmtool_options *out);

void cli_free(rmtool_options *options);

/* The text of `rmtool --help` (commands, options, exit codes). */
void cli_print_help(void);

#endif
