/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the trace channel (src/win/base/trace.h) costs: the same calls with tracing off, on
 * into a file (RSTRTMGR_TRACE) and on through Wine's channel (WINEDEBUG=+rstrtmgr).
 * The DLL reads its trace configuration once per process, so each condition runs in a
 * child process of its own; the conditions are interleaved over ROUNDS rounds and the
 * medians printed side by side. Measured per child: RmGetList on a session with one
 * registered file nobody uses (median of GETLIST_CALLS calls), and RmReserveHeap, the
 * cheapest export (two trace points, nothing else), per call over RESERVE_CALLS calls.
 * Run it with stderr to a file (2>trace.log): the channel condition prints every line
 * there (about 200,000). */
#include <windows.h>
#include <restartmanager.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include "bench_common.h"
#include "rstrtmgr/rstrtmgr_ext.h"

#define ROUNDS 9
#define GETLIST_CALLS 31
#define RESERVE_CALLS 20000
#define PATH_CCH (MAX_PATH * 2)

typedef struct condition {
    const char *label;
    const wchar_t *winedebug;   /* NULL: unset */
    BOOL trace_file;            /* RSTRTMGR_TRACE=<a temporary file> */
} condition;

static const condition conditions[] = {
    { "off", L"-all", FALSE },
    { "on: RSTRTMGR_TRACE=file", L"-all", TRUE },
    { "on: WINEDEBUG=+rstrtmgr", L"-all,+rstrtmgr", FALSE },
};
#define CONDITIONS (sizeof(conditions) / sizeof(conditions[0]))

/* ---- a child: one condition's measurements, written to result_path ---------------- */

static int child(const wchar_t *registered, const wchar_t *result_path)
{
    WCHAR key[CCH_RM_SESSION_KEY + 1];
    RM_PROCESS_INFO apps[4];
    double samples[GETLIST_CALLS];
    DWORD session, reasons;
    LPCWSTR files[] = { registered };
    FILE *result;

    if (RmStartSession(&session, 0, key) != ERROR_SUCCESS ||
        RmRegisterResources(session, 1, files, 0, NULL, 0, NULL) != ERROR_SUCCESS)
        return 1;
    for (int i = -3; i < GETLIST_CALLS; i++) { /* three warm-up calls */
        UINT needed = 0, count = 4;
        double start = bench_now_ms();
        if (RmGetList(session, &needed, &count, apps, &reasons) != ERROR_SUCCESS)
            return 1;
        if (i >= 0)
            samples[i] = bench_now_ms() - start;
    }
    RmEndSession(session);

    double start = bench_now_ms();
    for (int i = 0; i < RESERVE_CALLS; i++)
        RmReserveHeap(0);
    double reserve_ns = (bench_now_ms() - start) * 1e6 / RESERVE_CALLS;

    result = _wfopen(result_path, L"w");
    if (!result)
        return 1;
    fprintf(result, "%f %f\n", bench_median(samples, GETLIST_CALLS), reserve_ns);
    fclose(result);
    return 0;
}

/* ---- the parent ------------------------------------------------------------------- */

static BOOL run_condition(const condition *c, const wchar_t *registered, const wchar_t *dir,
                          double *getlist_ms, double *reserve_ns)
{
    wchar_t exe[PATH_CCH], result_path[PATH_CCH], trace_path[PATH_CCH];
    wchar_t command[PATH_CCH * 4];
    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    DWORD exit_code = 1;
    FILE *result;
    BOOL ok;

    ZeroMemory(&startup, sizeof(startup));
    startup.cb = sizeof(startup);
    GetModuleFileNameW(NULL, exe, PATH_CCH);
    _snwprintf(result_path, PATH_CCH, L"%ls\\bench_trace.result", dir);
    _snwprintf(trace_path, PATH_CCH, L"%ls\\bench_trace.trace", dir);
    _snwprintf(command, ARRAYSIZE(command), L"\"%ls\" --child \"%ls\" \"%ls\"", exe, registered,
               result_path);
    DeleteFileW(result_path);
    DeleteFileW(trace_path);
    SetEnvironmentVariableW(L"WINEDEBUG", c->winedebug);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", c->trace_file ? trace_path : NULL);
    ok = CreateProcessW(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process);
    SetEnvironmentVariableW(L"RSTRTMGR_TRACE", NULL);
    if (!ok)
        return FALSE;
    WaitForSingleObject(process.hProcess, INFINITE);
    GetExitCodeProcess(process.hProcess, &exit_code);
    CloseHandle(process.hThread);
    CloseHandle(process.hProcess);
    result = exit_code == 0 ? _wfopen(result_path, L"r") : NULL;
    ok = result && fscanf(result, "%lf %lf", getlist_ms, reserve_ns) == 2;
    if (result)
        fclose(result);
    DeleteFileW(trace_path);
    return ok;
}

int wmain(int argc, wchar_t **argv)
{
    wchar_t dir[PATH_CCH], registered[PATH_CCH];
    double getlist[CONDITIONS][ROUNDS], reserve[CONDITIONS][ROUNDS];
    HANDLE file;

    if (argc == 4 && !wcscmp(argv[1], L"--child"))
        return child(argv[2], argv[3]);

    GetTempPathW(PATH_CCH, dir);
    wcscat(dir, L"bench_trace");
    CreateDirectoryW(dir, NULL);
    _snwprintf(registered, PATH_CCH, L"%ls\\registered.txt", dir);
    file = CreateFileW(registered, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return 1;
    CloseHandle(file);

    for (int round = 0; round < ROUNDS; round++)
        for (unsigned c = 0; c < CONDITIONS; c++)
            if (!run_condition(&conditions[c], registered, dir, &getlist[c][round],
                               &reserve[c][round])) {
                printf("the child for \"%s\" failed\n", conditions[c].label);
                return 1;
            }

    printf("Trace cost: medians over %d rounds (conditions interleaved, one child each)\n",
           ROUNDS);
    printf("%-26s %22s %22s\n", "", "RmGetList, 1 file", "RmReserveHeap");
    for (unsigned c = 0; c < CONDITIONS; c++)
        printf("%-26s %19.3f ms %19.1f ns\n", conditions[c].label,
               bench_median(getlist[c], ROUNDS), bench_median(reserve[c], ROUNDS));
    DeleteFileW(registered);
    RemoveDirectoryW(dir);
    return 0;
}
