// SPDX-License-Identifier: LGPL-2.1-or-later
/* The primary installer of Microsoft's "Using Restart Manager with a Secondary
 * Installer" walkthrough, ported to C: it starts a session, hands the key to a secondary
 * installer, registers its files, asks who uses them, shuts those applications down,
 * (would replace the files,) restarts them and ends the session. Each step prints what it
 * returned.
 *
 * Usage: primary_installer [--secondary EXE [--secondary-file FILE]] [FILE...]
 *   FILE...           files to register (default: the two calc.exe of the original)
 *   --secondary EXE   start EXE as the secondary installer, passing it the session key
 *                     (and --secondary-file FILE, which the secondary registers) */
#include <windows.h>
#include <restartmanager.h>
#include <stdio.h>
#include <stdlib.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "sample_report.h"

static DWORD run_secondary(const WCHAR *exe, const WCHAR *key, const WCHAR *file)
{
    WCHAR command[2048];
    STARTUPINFOW startup = { sizeof(startup) };
    PROCESS_INFORMATION process;
    DWORD exit_code = ERROR_GEN_FAILURE;

    _snwprintf(command, ARRAYSIZE(command), L"\"%ls\" %ls%ls%ls%ls", exe, key, file ? L" \"" : L"",
               file ? file : L"", file ? L"\"" : L"");
    command[ARRAYSIZE(command) - 1] = 0;
    if (!CreateProcessW(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process))
        return GetLastError();
    if (WaitForSingleObject(process.hProcess, 60000) == WAIT_OBJECT_0)
        GetExitCodeProcess(process.hProcess, &exit_code);
    CloseHandle(process.hThread);
    CloseHandle(process.hProcess);
    return exit_code;
}

static void print_progress(UINT percent)
{
    wprintf(L"    ... %u%%\n", percent);
}

int wmain(int argc, WCHAR **argv)
{
    DWORD dwErrCode = ERROR_SUCCESS;
    DWORD dwSessionHandle = 0xFFFFFFFF; /* invalid handle value */

    /* CCH_RM_SESSION_KEY: character count of the text-encoded session key. */
    WCHAR sessKey[CCH_RM_SESSION_KEY + 1] = { 0 };

    /* The original registers both calc executables: the second is the 32-bit calc that
     * file system redirection uses on 64-bit Windows. */
    LPCWSTR defaultFiles[] = { L"C:\\Windows\\System32\\calc.exe",
                               L"C:\\Windows\\SysWow64\\calc.exe" };
    LPCWSTR *rgsFiles = defaultFiles;
    DWORD dwFiles = ARRAYSIZE(defaultFiles);
    const WCHAR *secondary = NULL, *secondaryFile = NULL;

    UINT nRetry = 0;
    UINT nAffectedApps = 0;
    UINT nProcInfoNeeded = 0;
    DWORD dwRebootReasons = RmRebootReasonNone;
    RM_PROCESS_INFO *rgAffectedApps = NULL;

    int first_file = 1;
    while (first_file + 1 < argc && argv[first_file][0] == L'-' && argv[first_file][1] == L'-') {
        if (!wcscmp(argv[first_file], L"--secondary"))
            secondary = argv[first_file + 1];
        else if (!wcscmp(argv[first_file], L"--secondary-file"))
            secondaryFile = argv[first_file + 1];
        else
            break;
        first_file += 2;
    }
    if (first_file < argc) {
        rgsFiles = (LPCWSTR *)&argv[first_file];
        dwFiles = (DWORD)(argc - first_file);
    }

    /* Start a Restart Manager session. */
    dwErrCode = RmStartSession(&dwSessionHandle, 0, sessKey);
    sample_step(L"RmStartSession", dwErrCode);
    if (ERROR_SUCCESS != dwErrCode)
        goto RM_CLEANUP;
    wprintf(L"    session key %ls\n", sessKey);
    fflush(stdout);

    /* Step 2 of the procedure: the primary starts the secondary installer and gives it
     * the key; the secondary joins and registers its own resources. */
    if (secondary) {
        DWORD secondaryResult = run_secondary(secondary, sessKey, secondaryFile);
        sample_step(L"secondary installer", secondaryResult);
    }

    /* Register items with Restart Manager: files here; processes (RM_UNIQUE_PROCESS) and
     * services (short names) can be registered too. */
    dwErrCode = RmRegisterResources(dwSessionHandle, dwFiles, rgsFiles, 0, NULL, 0, NULL);
    sample_step(L"RmRegisterResources", dwErrCode);
    for (DWORD i = 0; i < dwFiles; i++)
        wprintf(L"    %ls\n", rgsFiles[i]);
    if (ERROR_SUCCESS != dwErrCode)
        goto RM_CLEANUP;

    /* Obtain the list of affected applications and services. The list is refreshed at
     * every call, so the size the first call reports may be too small by the second:
     * loop, three attempts in all, as the original recommends. */
    do {
        dwErrCode = RmGetList(dwSessionHandle, &nProcInfoNeeded, &nAffectedApps, rgAffectedApps,
                              &dwRebootReasons);
        sample_step(L"RmGetList", dwErrCode);
        if (ERROR_SUCCESS == dwErrCode)
            break;
        if (ERROR_MORE_DATA != dwErrCode)
            goto RM_CLEANUP;
        /* RmGetList asks for more room. */
        nAffectedApps = nProcInfoNeeded;
        free(rgAffectedApps);
        rgAffectedApps = calloc(nAffectedApps, sizeof(*rgAffectedApps));
        if (!rgAffectedApps) {
            dwErrCode = ERROR_OUTOFMEMORY;
            goto RM_CLEANUP;
        }
    } while (ERROR_MORE_DATA == dwErrCode && nRetry++ < 3);

    if (ERROR_SUCCESS != dwErrCode)
        goto RM_CLEANUP;
    sample_print_apps(rgAffectedApps, nAffectedApps, dwRebootReasons);

    if (RmRebootReasonNone != dwRebootReasons) {
        /* Restart Manager cannot avoid a reboot: a real installer would ask the user. */
        goto RM_CLEANUP;
    }

    /* Shut down every running instance of the affected applications and services. */
    dwErrCode = RmShutdown(dwSessionHandle, 0, print_progress);
    sample_step(L"RmShutdown", dwErrCode);
    if (ERROR_SUCCESS != dwErrCode)
        goto RM_CLEANUP;

    /* An installer now replaces or updates the files. */
    wprintf(L"    (the installer would replace its files here)\n");

    /* Restart the applications and services once the files are replaced. */
    dwErrCode = RmRestart(dwSessionHandle, 0, print_progress);
    sample_step(L"RmRestart", dwErrCode);

RM_CLEANUP:
    free(rgAffectedApps);
    rgAffectedApps = NULL;
    if (0xFFFFFFFF != dwSessionHandle) {
        /* Clean up the Restart Manager session. */
        sample_step(L"RmEndSession", RmEndSession(dwSessionHandle));
        dwSessionHandle = 0xFFFFFFFF;
    }
    return (int)dwErrCode;
}
