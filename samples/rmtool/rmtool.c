// SPDX-License-Identifier: LGPL-2.1-or-later
/* rmtool: who uses these files, close them politely, bring them back. A command-line
 * client of the Restart Manager built on the public API only (<restartmanager.h> and
 * rstrtmgr.dll); `rmtool --help` and README "rmtool" describe commands and exit codes.
 * LGPL-2.1-or-later. */
#include <windows.h>
#include <restartmanager.h>

#include "cli.h"
#include "close_cmd.h"
#include "exit_codes.h"
#include "output.h"
#include "query.h"
#include "report.h"

#ifndef RMTOOL_VERSION
#define RMTOOL_VERSION L"unknown"
#endif

static int who_command(const rmtool_options *options)
{
    rm_query query;
    int code = query_start(&query, options);
    if (code == RMTOOL_OK) {
        DWORD error = query_list(&query);
        if (error != ERROR_SUCCESS) {
            code = query_failure_exit(error);
        } else {
            if (options->why)
                query_evidence(&query); /* without it, --why says the DLL does not tell */
            if (options->json)
                report_json(query.apps, query.evidence, options->why, query.count,
                            query.reboot_reasons);
            else if (options->why)
                report_table_why(query.apps, query.evidence, query.count, query.reboot_reasons);
            else
                report_table(query.apps, query.count, query.reboot_reasons);
            code = query.count || query.reboot_reasons ? RMTOOL_IN_USE : RMTOOL_OK;
        }
    }
    query_end(&query);
    return code;
}

int wmain(int argc, wchar_t **argv)
{
    rmtool_options options;
    int code;

    if (!cli_parse(argc, argv, &options)) {
        cli_free(&options);
        return RMTOOL_USAGE;
    }
    query_install_cancel_handler();
    switch (options.command) {
    case CMD_HELP:
        cli_print_help();
        code = RMTOOL_OK;
        break;
    case CMD_VERSION:
        out_printf(L"rmtool %ls\n", RMTOOL_VERSION);
        code = RMTOOL_OK;
        break;
    case CMD_WHO:
        code = who_command(&options);
        break;
    default:
        code = close_command(&options);
        break;
    }
    cli_free(&options);
    return code;
}
