// SPDX-License-Identifier: LGPL-2.1-or-later
/* See cli.h. LGPL-2.1-or-later. */
#include "cli.h"

#include <stdlib.h>
#include <wchar.h>

#include "output.h"

/* Which command accepts which option. */
#define FOR_WHO   0x1u
#define FOR_CLOSE 0x2u
#define FOR_CYCLE 0x4u
#define FOR_ALL   (FOR_WHO | FOR_CLOSE | FOR_CYCLE)

void cli_print_help(void)
{
    out_printf(
        L"rmtool - who uses these files, close them politely, bring them back\n"
        L"(a client of the Restart Manager API, rstrtmgr.dll)\n"
        L"\n"
        L"usage:\n"
        L"  rmtool who   [--json] [--why] [--no-progress] RESOURCE...\n"
        L"  rmtool close [--force] [--only-registered] [--no-progress] RESOURCE...\n"
        L"  rmtool cycle [--force] [--only-registered] [--no-progress]\n"
        L"               [--run COMMANDLINE] [--wait-ms N] RESOURCE...\n"
        L"  rmtool --help | --version\n"
        L"\n"
        L"RESOURCE is a file path (made absolute), a directory (every file under it,\n"
        L"recursively; links and junctions are not followed), --pid PID (a running\n"
        L"process) or --service NAME (a service's short name). `--` ends the options.\n"
        L"A path that does not exist is a usage error. Listing a large directory shows\n"
        L"its progress on stderr when that is a console (not with --no-progress).\n"
        L"\n"
        L"  who    lists the processes and services using the resources: PID, TYPE, NAME,\n"
        L"         SERVICE (--json: one JSON object on stdout, see README). --why also\n"
        L"         says which resource each uses and how (handle, module, image, process,\n"
        L"         service), where rstrtmgr.dll can tell (its RmxGetEvidence extension).\n"
        L"  close  lists them, then shuts them down (RmShutdown) showing progress on stderr.\n"
        L"         --force terminates those that refuse; --only-registered closes nothing\n"
        L"         unless every one is registered for restart.\n"
        L"  cycle  close, then wait, then restart what was closed (RmRestart) in the same\n"
        L"         session. The wait: --run COMMANDLINE runs a program (e.g. the one that\n"
        L"         replaces the files) and waits for it; --wait-ms N sleeps N ms; with\n"
        L"         neither, a line (Enter) or the end of stdin.\n"
        L"\n"
        L"exit codes:\n"
        L"  0  who: nobody uses the resources; close/cycle: every user was closed (and\n"
        L"     restarted), or there was nobody to close\n"
        L"  1  who: at least one process or service uses the resources\n"
        L"  2  usage error (also: a path that does not exist)\n"
        L"  3  a Restart Manager call failed, or a --pid names no running process\n"
        L"  4  some users could not be shut down (they refused; try --force)\n"
        L"  5  only a reboot can free the resources; nothing was closed\n"
        L"  6  cycle: some applications could not be restarted\n"
        L"  7  cancelled (Ctrl+C)\n"
        L"  8  cycle: the --run command failed (exit code not 0, or did not start);\n"
        L"     the applications were restarted all the same\n"
        L"  In cycle, the first step that failed decides the code.\n");
}

static BOOL usage_error(const wchar_t *what, const wchar_t *detail)
{
    err_printf(L"rmtool: %ls%ls%ls (rmtool --help)\n", what, detail ? L": " : L"",
               detail ? detail : L"");
    return FALSE;
}

static BOOL parse_dword(const wchar_t *text, DWORD *out)
{
    wchar_t *end;
    unsigned long long value;
    if (!text || *text < L'0' || *text > L'9')
        return FALSE;
    value = wcstoull(text, &end, 10);
    if (*end != L'\0' || value > MAXDWORD)
        return FALSE;
    *out = (DWORD)value;
    return TRUE;
}

static BOOL add_file(rmtool_options *options, const wchar_t *argument)
{
    DWORD cch = GetFullPathNameW(argument, 0, NULL, NULL);
    wchar_t *full;
    if (cch == 0)
        return usage_error(L"not a usable path", argument);
    full = malloc(cch * sizeof(wchar_t));
    if (!full || GetFullPathNameW(argument, cch, full, NULL) == 0) {
        free(full);
        return usage_error(L"not a usable path", argument);
    }
    DWORD attributes = GetFileAttributesW(full);
    DWORD error = GetLastError();
    if (attributes == INVALID_FILE_ATTRIBUTES &&
        (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ||
         error == ERROR_INVALID_NAME || error == ERROR_BAD_NETPATH)) {
        err_printf(L"rmtool: no such file or directory: %ls\n", full);
        free(full);
        return FALSE;
    }
    /* Any other failure (e.g. access denied): still a file the Restart Manager may know. */
    if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY))
        options->directories[options->directory_count++] = full;
    else
        options->files[options->file_count++] = full;
    return TRUE;
}

static BOOL parse_command(const wchar_t *word, rmtool_options *out)
{
    if (!wcscmp(word, L"who"))
        out->command = CMD_WHO;
    else if (!wcscmp(word, L"close"))
        out->command = CMD_CLOSE;
    else if (!wcscmp(word, L"cycle"))
        out->command = CMD_CYCLE;
    else if (!wcscmp(word, L"help") || !wcscmp(word, L"--help") || !wcscmp(word, L"-h") ||
             !wcscmp(word, L"/?"))
        out->command = CMD_HELP;
    else if (!wcscmp(word, L"--version"))
        out->command = CMD_VERSION;
    else
        return usage_error(L"unknown command", word);
    return TRUE;
}

static unsigned command_bit(rmtool_command command)
{
    return command == CMD_WHO ? FOR_WHO : command == CMD_CLOSE ? FOR_CLOSE : FOR_CYCLE;
}

/* Consumes argv[*i] (and its value) as an option; FALSE on a usage error. */
static BOOL parse_option(int argc, wchar_t **argv, int *i, rmtool_options *out)
{
    const wchar_t *name = argv[*i];
    const wchar_t *value = *i + 1 < argc ? argv[*i + 1] : NULL;
    unsigned allowed;
    BOOL takes_value = FALSE;

    if (!wcscmp(name, L"--json")) {
        allowed = FOR_WHO;
        out->json = TRUE;
    } else if (!wcscmp(name, L"--why")) {
        allowed = FOR_WHO;
        out->why = TRUE;
    } else if (!wcscmp(name, L"--force")) {
        allowed = FOR_CLOSE | FOR_CYCLE;
        out->force = TRUE;
    } else if (!wcscmp(name, L"--only-registered")) {
        allowed = FOR_CLOSE | FOR_CYCLE;
        out->only_registered = TRUE;
    } else if (!wcscmp(name, L"--no-progress")) {
        allowed = FOR_ALL;
        out->no_progress = TRUE;
    } else if (!wcscmp(name, L"--wait-ms")) {
        allowed = FOR_CYCLE;
        takes_value = out->wait_given = TRUE;
        if (value && !parse_dword(value, &out->wait_ms))
            return usage_error(L"--wait-ms needs a number of milliseconds", value);
    } else if (!wcscmp(name, L"--run")) {
        allowed = FOR_CYCLE;
        takes_value = TRUE;
        out->run_command = value;
    } else if (!wcscmp(name, L"--pid")) {
        allowed = FOR_ALL;
        takes_value = TRUE;
        if (value && !parse_dword(value, &out->pids[out->pid_count++]))
            return usage_error(L"--pid needs a process id", value);
    } else if (!wcscmp(name, L"--service")) {
        allowed = FOR_ALL;
        takes_value = TRUE;
        if (value)
            out->services[out->service_count++] = value;
    } else {
        return usage_error(L"unknown option", name);
    }

    if (!(allowed & command_bit(out->command)))
        return usage_error(L"option not valid for this command", name);
    if (takes_value) {
        if (!value)
            return usage_error(L"option needs a value", name);
        ++*i;
    }
    return TRUE;
}

BOOL cli_parse(int argc, wchar_t **argv, rmtool_options *out)
{
    BOOL options_ended = FALSE;
    size_t slots = argc > 0 ? (size_t)argc : 1;

    ZeroMemory(out, sizeof(*out));
    if (argc < 2)
        return usage_error(L"no command given", NULL);
    if (!parse_command(argv[1], out))
        return FALSE;
    if (out->command == CMD_HELP || out->command == CMD_VERSION)
        return argc == 2 ? TRUE : usage_error(L"unexpected argument", argv[2]);

    /* At most one resource per argument: argc slots are always enough. */
    out->files = calloc(slots, sizeof(*out->files));
    out->directories = calloc(slots, sizeof(*out->directories));
    out->pids = calloc(slots, sizeof(*out->pids));
    out->services = calloc(slots, sizeof(*out->services));
    if (!out->files || !out->directories || !out->pids || !out->services)
        return usage_error(L"out of memory", NULL);

    for (int i = 2; i < argc; i++) {
        if (!options_ended && !wcscmp(argv[i], L"--")) {
            options_ended = TRUE;
        } else if (!options_ended && argv[i][0] == L'-' && argv[i][1] == L'-') {
            if (!parse_option(argc, argv, &i, out))
                return FALSE;
        } else if (!add_file(out, argv[i])) {
            return FALSE;
        }
    }
    if (out->file_count + out->directory_count + out->pid_count + out->service_count == 0)
        return usage_error(L"no file, --pid or --service given", NULL);
    return TRUE;
}

void cli_free(rmtool_options *options)
{
    for (UINT i = 0; i < options->file_count; i++)
        free(options->files[i]);
    free(options->files);
    for (UINT i = 0; i < options->directory_count; i++)
        free(options->directories[i]);
    free(options->directories);
    free(options->pids);
    free(options->services);
    ZeroMemory(options, sizeof(*options));
}
