// SPDX-License-Identifier: LGPL-2.1-or-later
/* rmtool's exit codes: a contract with scripts (documented in README "rmtool" and in
 * `rmtool --help`); never renumber. LGPL-2.1-or-later. */
#ifndef RMTOOL_EXIT_CODES_H
#define RMTOOL_EXIT_CODES_H

enum rmtool_exit {
    RMTOOL_OK = 0,              /* who: nobody uses the resources; close/cycle: done */
    RMTOOL_IN_USE = 1,          /* who: at least one process uses them */
    RMTOOL_USAGE = 2,           /* bad command line */
    RMTOOL_RM_ERROR = 3,        /* a Restart Manager call failed (or a --pid is unknown) */
    RMTOOL_SHUTDOWN_FAILED = 4, /* some users could not be shut down */
    RMTOOL_REBOOT_NEEDED = 5,   /* only a reboot frees the resources; nothing was closed */
    RMTOOL_RESTART_FAILED = 6,  /* cycle: some applications could not be restarted */
    RMTOOL_CANCELLED = 7,       /* Ctrl+C / Ctrl+Break (RmCancelCurrentTask) */
    RMTOOL_RUN_FAILED = 8,      /* cycle --run: the command failed; apps were restarted */
};

#endif
