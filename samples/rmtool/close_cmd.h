// SPDX-License-Identifier: LGPL-2.1-or-later
/* rmtool close and rmtool cycle: list, shut down with a progress display, and (cycle)
 * wait or run a command, then restart in the same session. LGPL-2.1-or-later. */
#ifndef RMTOOL_CLOSE_CMD_H
#define RMTOOL_CLOSE_CMD_H

#include "cli.h"

/* Returns rmtool's exit code (exit_codes.h). */
int close_command(const rmtool_options *options);

#endif
