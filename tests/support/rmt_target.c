// SPDX-License-Identifier: LGPL-2.1-or-later
/* The DLL under test and the case runner (rmt_target.h). */
#include "rmt_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "rmt_internal.h"

rmt_rm_api rmt_rm;

static rmt_target_kind loaded_kind;
static wchar_t loaded_path[MAX_PATH];

/* Wine marks its builtin PE DLLs with this text right after the DOS header. */
static BOOL is_wine_builtin(HMODULE module)
{
    static const char signature[] = "Wine builtin DLL";
    const BYTE *base = (const BYTE *)((ULONG_PTR)module & ~(ULONG_PTR)3);
    return memcmp(base + sizeof(IMAGE_DOS_HEADER), signature, sizeof(signature) - 1) == 0;
}

static BOOL under_wine(void)
{
    return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL;
}

static BOOL in_system_directory(const wchar_t *path)
{
    wchar_t system[MAX_PATH];
    UINT length = GetSystemDirectoryW(system, MAX_PATH);
    return length && length < MAX_PATH && _wcsnicmp(path, system, length) == 0 &&
           path[length] == L'\\';
}

static rmt_target_kind classify(HMODULE module, const wchar_t *path)
{
    if (is_wine_builtin(module))
        return RMT_TARGET_WINE_BUILTIN;
    if (!under_wine() && in_system_directory(path))
        return RMT_TARGET_WINDOWS;
    return RMT_TARGET_THIS;
}

/* "--dll PATH" taken out of argv, else the variable, else the DLL beside the test. */
static BOOL choose_dll(int *argc, wchar_t **argv, wchar_t *out, size_t cch)
{
    for (int i = 1; i + 1 < *argc; i++) {
        if (wcscmp(argv[i], L"--dll") != 0)
            continue;
        _snwprintf(out, cch, L"%ls", argv[i + 1]);
        out[cch - 1] = 0;
        for (int j = i; j + 2 <= *argc; j++)
            argv[j] = argv[j + 2];
        *argc -= 2;
        /* Children (cases, helpers started with rmt_run_self) test the same DLL. */
        SetEnvironmentVariableW(L"RSTRTMGR_TEST_DLL", out);
        return TRUE;
    }
    DWORD length = GetEnvironmentVariableW(L"RSTRTMGR_TEST_DLL", out, (DWORD)cch);
    if (length && length < cch)
        return TRUE;
    return rmt_exe_path(L"rstrtmgr.dll", out, cch);
}

#define RESOLVE(field, name)                                                               \
    do {                                                                                   \
        rmt_rm.field = (__typeof__(rmt_rm.field))(void (*)(void))GetProcAddress(module, name); \
        if (!rmt_rm.field) {                                                               \
            fprintf(stderr, "rmt_target: %ls has no %s\n", loaded_path, name);             \
            return FALSE;                                                                  \
        }                                                                                  \
    } while (0)

BOOL rmt_target_load(int *argc, wchar_t **argv)
{
    wchar_t chosen[MAX_PATH];
    if (!choose_dll(argc, argv, chosen, MAX_PATH))
        return FALSE;
    HMODULE module = LoadLibraryW(chosen);
    if (!module) {
        rmt_report("LoadLibrary", chosen);
        return FALSE;
    }
    if (!GetModuleFileNameW(module, loaded_path, MAX_PATH))
        wcscpy(loaded_path, chosen);
    RESOLVE(StartSession, "RmStartSession");
    RESOLVE(JoinSession, "RmJoinSession");
    RESOLVE(EndSession, "RmEndSession");
    RESOLVE(RegisterResources, "RmRegisterResources");
    RESOLVE(GetList, "RmGetList");
    RESOLVE(Shutdown, "RmShutdown");
    RESOLVE(Restart, "RmRestart");
    RESOLVE(CancelCurrentTask, "RmCancelCurrentTask");
    RESOLVE(AddFilter, "RmAddFilter");
    RESOLVE(RemoveFilter, "RmRemoveFilter");
    RESOLVE(GetFilterList, "RmGetFilterList");
    rmt_cancel_function = rmt_rm.CancelCurrentTask;
    loaded_kind = classify(module, loaded_path);
    return TRUE;
}

rmt_target_kind rmt_target(void)
{
    return loaded_kind;
}

const char *rmt_target_name(rmt_target_kind kind)
{
    switch (kind) {
    case RMT_TARGET_THIS: return "this project's rstrtmgr.dll";
    case RMT_TARGET_WINE_BUILTIN: return "Wine's builtin rstrtmgr.dll";
    case RMT_TARGET_WINDOWS: return "Windows' rstrtmgr.dll";
    default: return "no DLL";
    }
}

/* Exit code of a case's child that could not produce its case. */
#define NOT_HERE_EXIT 77

void rmt_case_not_here(const char *why)
{
    printf("not run here: %s\n", why);
    fflush(stdout);
    ExitProcess(NOT_HERE_EXIT);
}

static int run_one_here(const char *group, const rmt_case *one)
{
    return _cmocka_run_group_tests(group, &one->test, 1, NULL, NULL);
}

/* The case's child: its exit code is its failure count; killed after the bound. */
static BOOL run_one_in_child(size_t index, DWORD *failures)
{
    wchar_t args[64];
    _snwprintf(args, 64, L"--case %u", (unsigned)index);
    return rmt_run_self(args, RMT_CASE_TIMEOUT_MS, failures);
}

int rmt_run_cases(const char *group, const rmt_case *cases, size_t count, int argc,
                  wchar_t **argv)
{
    for (int i = 1; i + 1 < argc; i++)
        if (wcscmp(argv[i], L"--case") == 0) {
            size_t index = wcstoul(argv[i + 1], NULL, 10);
            return index < count ? run_one_here(group, &cases[index]) : 1;
        }
    size_t passed = 0, expected_failures = 0, unexpected = 0, not_here = 0;
    const char *target = rmt_target_name(loaded_kind);
    printf("%s: testing %s (%ls)\n", group, target, loaded_path);
    fflush(stdout);
    for (size_t i = 0; i < count; i++) {
        DWORD failures = 1;
        BOOL finished = run_one_in_child(i, &failures);
        BOOL ok = finished && failures == 0;
        BOOL todo = (cases[i].todo & (unsigned)loaded_kind) != 0;
        const char *verdict;
        if (finished && failures == NOT_HERE_EXIT) {
            not_here++;
            verdict = "not run here";
        } else if (ok && !todo) {
            passed++;
            verdict = "passed";
        } else if (ok) {
            passed++;
            unexpected++;
            verdict = "PASSED INSIDE TODO (remove the mark)";
        } else if (todo) {
            expected_failures++;
            verdict = finished ? "todo (expected failure)" : "todo (expected failure: no result)";
        } else {
            unexpected++;
            verdict = finished ? "FAILED" : "FAILED (killed or crashed)";
        }
        printf("%s: case %s: %s\n", group, cases[i].test.name, verdict);
        fflush(stdout);
    }
    printf("%s: %s: %u of %u cases passed, %u expected failures (todo), %u failed, %u not run "
           "here\n", group, target, (unsigned)passed, (unsigned)count,
           (unsigned)expected_failures, (unsigned)unexpected, (unsigned)not_here);
    return (int)unexpected;
}
