// SPDX-License-Identifier: LGPL-2.1-or-later
/* The secondary installer of Microsoft's "Using Restart Manager with a Secondary
 * Installer" walkthrough, ported to C: it joins the primary's session with the key the
 * primary gave it, registers its own files and leaves. The session lives on until the
 * primary ends it.
 *
 * Usage: secondary_installer KEY [FILE...]   (default FILE: oleaut32.dll, as the original) */
#include <windows.h>
#include <restartmanager.h>
#include <stdio.h>
#include "sample_report.h"

int wmain(int argc, WCHAR **argv)
{
    DWORD dwErrCode = ERROR_SUCCESS;
    DWORD dwSessionHandle = 0xFFFFFFFF; /* invalid handle value */

    /* The original registers oleaut32.dll. */
    LPCWSTR defaultFiles[] = { L"C:\\Windows\\System32\\oleaut32.dll" };
    LPCWSTR *rgsFiles = defaultFiles;
    DWORD dwFiles = ARRAYSIZE(defaultFiles);

    if (argc < 2) {
        fwprintf(stderr, L"usage: secondary_installer KEY [FILE...]\n");
        return ERROR_BAD_ARGUMENTS;
    }
    if (argc > 2) {
        rgsFiles = (LPCWSTR *)&argv[2];
        dwFiles = (DWORD)(argc - 2);
    }

    /* The secondary obtains the key from the primary (here: its command line) and joins. */
    dwErrCode = RmJoinSession(&dwSessionHandle, argv[1]);
    sample_step(L"  [secondary] RmJoinSession", dwErrCode);
    if (ERROR_SUCCESS != dwErrCode)
        goto RM_CLEANUP;

    /* Register items. A secondary may only register resources: RmGetList, RmShutdown,
     * RmRestart and the filters belong to the primary. */
    dwErrCode = RmRegisterResources(dwSessionHandle, dwFiles, rgsFiles, 0, NULL, 0, NULL);
    sample_step(L"  [secondary] RmRegisterResources", dwErrCode);
    for (DWORD i = 0; i < dwFiles; i++)
        wprintf(L"      %ls\n", rgsFiles[i]);

RM_CLEANUP:
    if (0xFFFFFFFF != dwSessionHandle) {
        /* The secondary leaves the session; the session itself ends only when the
         * primary calls RmEndSession. */
        sample_step(L"  [secondary] RmEndSession", RmEndSession(dwSessionHandle));
        dwSessionHandle = 0xFFFFFFFF;
    }
    return (int)dwErrCode;
}
