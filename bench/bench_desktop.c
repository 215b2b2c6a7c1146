/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RmGetList on an ordinary desktop, from a 64-bit and a 32-bit caller in one run.
 *
 * The scene, in the prefix the benchmark runs in: Wine's own services and explorer, a
 * 32-bit notepad, a 64-bit winemine, and rm_file_holder holding a data file. Two
 * registrations, each timed as the median of RUNS calls (a session started, the files
 * registered, RmGetList, the session ended: what an installer does):
 *   data        the data file alone;
 *   installer   what an installer registers: an exe (notepad.exe) and a DLL (user32.dll)
 *               in both system directories, the data file, and 1,000 files of the new
 *               version that do not exist yet.
 * Each caller names the system directories its own way (a 64-bit one System32 and
 * SysWOW64, a 32-bit one Sysnative and System32): the same real files.
 *
 *   bench_desktop.exe [RUNS]            (x64 build; default 15) sets the scene, measures
 *                                       itself, then the i686 build beside the other tree
 *                                       (build/i686/bin) against the same scene, rounds
 *                                       interleaved, and prints both medians and the ratio
 *   bench_desktop.exe --measure DATA DIR RUNS
 *                                       one caller's medians for that scene (how the
 *                                       driver runs the other bitness), one line:
 *                                       "MEDIANS <data ms> <installer ms>" */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <restartmanager.h>
#include "bench_common.h"
#include "rm_test_support.h"

#define KEY_CCH (CCH_RM_SESSION_KEY + 1)
#define MAX_RUNS 101
#define ABSENT_FILES 1000
#define ROUNDS 3
#define PATH_CCH RMT_PATH_CCH

typedef struct registration {
    const wchar_t **files;
    UINT count;
    wchar_t *storage;
} registration;

static void add_file(registration *r, const wchar_t *format, ...)
{
    va_list args;
    wchar_t *slot = r->storage + (size_t)r->count * PATH_CCH;
    va_start(args, format);
    _vsnwprintf(slot, PATH_CCH, format, args);
    va_end(args);
    slot[PATH_CCH - 1] = 0;
    r->files[r->count++] = slot;
}

/* The installer-like registration, spelled as this caller names the system directories. */
static void installer_files(registration *r, const wchar_t *data, const wchar_t *dir)
{
    wchar_t windir[MAX_PATH];
    GetSystemWindowsDirectoryW(windir, MAX_PATH);
    const wchar_t *native = sizeof(void *) == 8 ? L"System32" : L"Sysnative";
    const wchar_t *wow64 = sizeof(void *) == 8 ? L"SysWOW64" : L"System32";
    r->files = malloc((ABSENT_FILES + 8) * sizeof(*r->files));
    r->storage = malloc((size_t)(ABSENT_FILES + 8) * PATH_CCH * sizeof(wchar_t));
    r->count = 0;
    add_file(r, L"%ls\\%ls\\notepad.exe", windir, native);
    add_file(r, L"%ls\\%ls\\notepad.exe", windir, wow64);
    add_file(r, L"%ls\\%ls\\user32.dll", windir, native);
    add_file(r, L"%ls\\%ls\\user32.dll", windir, wow64);
    add_file(r, L"%ls", data);
    for (int i = 0; i < ABSENT_FILES; i++)
        add_file(r, L"%ls\\new-version\\component%04d.dll", dir, i);
}

static double one_call(const registration *r, UINT *found)
{
    DWORD handle, reasons = 0;
    WCHAR key[KEY_CCH] = { 0 };
    UINT needed = 0, count = 0;
    double start = bench_now_ms();
    if (RmStartSession(&handle, 0, key) != ERROR_SUCCESS)
        return -1;
    DWORD error = RmRegisterResources(handle, r->count, r->files, 0, NULL, 0, NULL);
    if (error == ERROR_SUCCESS) {
        error = RmGetList(handle, &needed, &count, NULL, &reasons);
        if (error == ERROR_MORE_DATA || error == ERROR_SUCCESS)
            error = ERROR_SUCCESS;
    }
    RmEndSession(handle);
    *found = needed;
    return error == ERROR_SUCCESS ? bench_now_ms() - start : -1;
}

static double median_of(const registration *r, int runs, UINT *found)
{
    double samples[MAX_RUNS];
    one_call(r, found); /* warm-up */
    for (int i = 0; i < runs; i++)
        samples[i] = one_call(r, found);
    return bench_median(samples, runs);
}

static void measure(const wchar_t *data, const wchar_t *dir, int runs, double *data_ms,
                    double *installer_ms, UINT *data_found, UINT *installer_found)
{
    registration alone = { NULL, 0, NULL }, installer;
    alone.files = malloc(sizeof(*alone.files));
    alone.storage = malloc(PATH_CCH * sizeof(wchar_t));
    add_file(&alone, L"%ls", data);
    installer_files(&installer, data, dir);
    *data_ms = median_of(&alone, runs, data_found);
    *installer_ms = median_of(&installer, runs, installer_found);
    free(alone.files);
    free(alone.storage);
    free(installer.files);
    free(installer.storage);
}

/* ---- the driver (x64) --------------------------------------------------------------- */

/* A real Wine program, in the kill-on-close job of rmt_open_process. */
static BOOL start_program(const wchar_t *path, rmt_process *out)
{
    STARTUPINFOW startup;
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    PROCESS_INFORMATION info;
    wchar_t command_line[PATH_CCH];
    _snwprintf(command_line, PATH_CCH, L"\"%ls\"", path);
    if (!CreateProcessW(path, command_line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info)) {
        fwprintf(stderr, L"cannot start %ls: %lu\n", path, GetLastError());
        return FALSE;
    }
    WaitForInputIdle(info.hProcess, 10000);
    BOOL opened = rmt_open_process(info.dwProcessId, out);
    CloseHandle(info.hThread);
    CloseHandle(info.hProcess);
    return opened;
}

static BOOL run_other(const wchar_t *exe, const wchar_t *data, const wchar_t *dir, int runs,
                      double *data_ms, double *installer_ms, UINT *found_data,
                      UINT *found_installer)
{
    wchar_t command_line[PATH_CCH * 3];
    _snwprintf(command_line, PATH_CCH * 3, L"\"%ls\" --measure \"%ls\" \"%ls\" %d", exe, data,
               dir, runs);
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    HANDLE read_end, write_end;
    if (!CreatePipe(&read_end, &write_end, &inherit, 0))
        return FALSE;
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOW startup;
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = write_end;
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION info;
    BOOL started = CreateProcessW(exe, command_line, NULL, NULL, TRUE, 0, NULL, NULL, &startup,
                                  &info);
    CloseHandle(write_end);
    if (!started) {
        CloseHandle(read_end);
        return FALSE;
    }
    char text[512];
    DWORD total = 0, got;
    while (total < sizeof(text) - 1 &&
           ReadFile(read_end, text + total, (DWORD)(sizeof(text) - 1 - total), &got, NULL) && got)
        total += got;
    text[total] = 0;
    WaitForSingleObject(info.hProcess, 600000);
    CloseHandle(info.hProcess);
    CloseHandle(info.hThread);
    CloseHandle(read_end);
    const char *line = strstr(text, "MEDIANS ");
    return line && sscanf(line, "MEDIANS %lf %lf %u %u", data_ms, installer_ms, found_data,
                          found_installer) == 4;
}

static int drive(int runs)
{
    wchar_t dir[PATH_CCH], data[PATH_CCH], args[PATH_CCH * 2], other[PATH_CCH];
    wchar_t windir[MAX_PATH], notepad32[PATH_CCH], winemine64[PATH_CCH];
    rmt_process holder, notepad, winemine;
    if (sizeof(void *) != 8) {
        fprintf(stderr, "run the x64 build: it drives the i686 one\n");
        return 2;
    }
    GetSystemWindowsDirectoryW(windir, MAX_PATH);
    _snwprintf(notepad32, PATH_CCH, L"%ls\\SysWOW64\\notepad.exe", windir);
    _snwprintf(winemine64, PATH_CCH, L"%ls\\System32\\winemine.exe", windir);
    if (!rmt_temp_dir(dir, PATH_CCH) || !rmt_make_file(dir, L"document.dat", data, PATH_CCH))
        return 1;
    _snwprintf(args, PATH_CCH * 2, L"--hold \"%ls\"", data);
    if (!rmt_spawn(L"rm_file_holder.exe", args, &holder) || !start_program(notepad32, &notepad) ||
        !start_program(winemine64, &winemine))
        return 1;
    BOOL have_other = rmt_other_arch_file(L"bench_desktop.exe", other, PATH_CCH);
    printf("RmGetList on an ordinary desktop (Wine's services and explorer, 32-bit notepad,\n"
           "64-bit winemine, a holder of a data file), median of %d calls per round, %d rounds\n",
           runs, ROUNDS);
    double x64_data[ROUNDS], x64_installer[ROUNDS], x86_data[ROUNDS], x86_installer[ROUNDS];
    UINT found_data = 0, found_installer = 0, x86_found_data = 0, x86_found_installer = 0;
    for (int round = 0; round < ROUNDS; round++) {
        measure(data, dir, runs, &x64_data[round], &x64_installer[round], &found_data,
                &found_installer);
        if (have_other && !run_other(other, data, dir, runs, &x86_data[round],
                                     &x86_installer[round], &x86_found_data,
                                     &x86_found_installer)) {
            fprintf(stderr, "the i686 run failed\n");
            have_other = FALSE;
        }
    }
    double a = bench_median(x64_data, ROUNDS), b = bench_median(x64_installer, ROUNDS);
    printf("  x64 caller:  data file alone %7.1f ms (%u users), installer-like %7.1f ms (%u users)\n",
           a, found_data, b, found_installer);
    if (have_other) {
        double c = bench_median(x86_data, ROUNDS), d = bench_median(x86_installer, ROUNDS);
        printf("  x86 caller:  data file alone %7.1f ms (%u users), installer-like %7.1f ms (%u users)\n",
               c, x86_found_data, d, x86_found_installer);
        printf("  x86 / x64:   data file alone %5.2fx, installer-like %5.2fx\n", c / a, d / b);
    } else {
        printf("  x86 caller:  not measured (no i686 build of bench_desktop.exe)\n");
    }
    rmt_kill_all();
    rmt_remove_dir(dir);
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 5 && !wcscmp(argv[1], L"--measure")) {
        int runs = _wtoi(argv[4]);
        if (runs < 1 || runs > MAX_RUNS)
            return 2;
        double data_ms, installer_ms;
        UINT found_data, found_installer;
        measure(argv[2], argv[3], runs, &data_ms, &installer_ms, &found_data, &found_installer);
        printf("MEDIANS %.3f %.3f %u %u\n", data_ms, installer_ms, found_data, found_installer);
        return 0;
    }
    int runs = argc > 1 ? _wtoi(argv[1]) : 15;
    if (runs < 1 || runs > MAX_RUNS)
        runs = 15;
    return drive(runs);
}
