/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rstrtmgr_wow64.exe: the 64-bit half of the 32-bit rstrtmgr.dll.
 *
 * A 32-bit process on 64-bit Windows reads a 64-bit process's memory through
 * NtWow64ReadVirtualMemory64, but learns where that process's PEB (and so its loader
 * list and parameters) is only through NtWow64QueryInformationProcess64, which Wine 8
 * lacks. This program answers that one question for the 32-bit DLL where the system
 * cannot: "peb64 PID CREATE_TIME ..." on the command line, the answer (wow64_answer.h) on
 * standard output, then it exits. It reads nothing else, holds no handle longer than one
 * query, and ends itself after RM_WOW64_HELPER_LIFETIME_MS whatever happens; the DLL also
 * bounds its wait and ends it (see src/win/wow64_helper.h).
 *
 * RSTRTMGR_FAULT_WOW64_HELPER (tests only): "hang" never answers, "die" writes half an
 * answer and exits, "lie" answers with wrong creation times and addresses. */
#include <windows.h>
#include <winternl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "wow64_answer.h"

#define RM_WOW64_HELPER_LIFETIME_MS 60000u
#define MAX_QUERIES 4096u

static DWORD WINAPI end_after_lifetime(void *unused)
{
    (void)unused;
    Sleep(RM_WOW64_HELPER_LIFETIME_MS);
    ExitProcess(3);
}

static uint64_t filetime_value(FILETIME t)
{
    return (uint64_t)t.dwHighDateTime << 32 | t.dwLowDateTime;
}

/* The process's PEB, 0 if it cannot be opened, is not the process asked about, or is
 * itself 32-bit (the DLL reads those natively). */
static uint64_t peb_of(DWORD pid, uint64_t create_time)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!process)
        return 0;
    uint64_t peb = 0;
    FILETIME created, exited, kernel, user;
    BOOL wow64 = TRUE;
    PROCESS_BASIC_INFORMATION basic;
    ULONG returned;
    if (GetProcessTimes(process, &created, &exited, &kernel, &user) &&
        filetime_value(created) == create_time && IsWow64Process(process, &wow64) && !wow64 &&
        NtQueryInformationProcess(process, ProcessBasicInformation, &basic, sizeof(basic),
                                  &returned) == 0)
        peb = (uint64_t)(ULONG_PTR)basic.PebBaseAddress;
    CloseHandle(process);
    return peb;
}

static BOOL write_all(HANDLE out, const uint8_t *bytes, size_t size)
{
    while (size) {
        DWORD written = 0;
        if (!WriteFile(out, bytes, (DWORD)(size > 65536 ? 65536 : size), &written, NULL) ||
            written == 0)
            return FALSE;
        bytes += written;
        size -= written;
    }
    return TRUE;
}

static int answer_pebs(int argc, wchar_t **argv, const wchar_t *fault)
{
    size_t count = (size_t)(argc - 2) / 2;
    if (count > MAX_QUERIES || (argc - 2) % 2)
        return 2;
    rm_wow64_query *queries = calloc(count ? count : 1, sizeof(*queries));
    size_t bytes = rm_wow64_answer_max_bytes(count);
    uint8_t *answer = malloc(bytes);
    if (!queries || !answer)
        return 4;
    for (size_t i = 0; i < count; i++) {
        queries[i].pid = (uint32_t)wcstoul(argv[2 + 2 * i], NULL, 10);
        queries[i].create_time = _wcstoui64(argv[3 + 2 * i], NULL, 10);
        queries[i].peb = peb_of(queries[i].pid, queries[i].create_time);
        if (fault && !wcscmp(fault, L"lie") && queries[i].peb) {
            queries[i].create_time ^= 1;
            queries[i].peb ^= 0x5a5a5a5a000ull;
        }
    }
    if (fault && !wcscmp(fault, L"hang"))
        Sleep(INFINITE);
    size_t size = rm_wow64_answer_write(queries, count, answer, bytes);
    if (fault && !wcscmp(fault, L"die"))
        size /= 2;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    BOOL ok = size && out && out != INVALID_HANDLE_VALUE && write_all(out, answer, size);
    free(answer);
    free(queries);
    if (fault && !wcscmp(fault, L"die"))
        return 5;
    return ok ? 0 : 1;
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, PWSTR command_line, int show)
{
    (void)instance;
    (void)previous;
    (void)command_line;
    (void)show;
    HANDLE watchdog = CreateThread(NULL, 0, end_after_lifetime, NULL, 0, NULL);
    if (watchdog)
        CloseHandle(watchdog);
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    if (!argv || argc < 2 || wcscmp(argv[1], L"peb64") != 0)
        return 2;
    static wchar_t fault_text[16];
    const wchar_t *fault = GetEnvironmentVariableW(L"RSTRTMGR_FAULT_WOW64_HELPER", fault_text, 16)
                               ? fault_text
                               : NULL;
    return answer_pebs(argc, argv, fault);
}
