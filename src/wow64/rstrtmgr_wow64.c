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
 * answer and exits, "lie" answers with wrong creation times and addresses.
 *
 * It starts on every RmGetList of a 32-bit caller that needs it, so it is built to start
 * fast: no C runtime and no DLL beyond kernel32 and ntdll (each DLL more costs a Wine
 * process start several milliseconds). */
#include <windows.h>
#include <winternl.h>

#include "wow64_answer.h"

#define RM_WOW64_HELPER_LIFETIME_MS 60000u
#define MAX_QUERIES 4096u

/* The next decimal number of the command line after *at, or FALSE at its end. */
static BOOL next_number(const WCHAR **at, uint64_t *value)
{
    const WCHAR *p = *at;
    while (*p == L' ' || *p == L'\t')
        p++;
    if (*p < L'0' || *p > L'9')
        return FALSE;
    uint64_t number = 0;
    for (; *p >= L'0' && *p <= L'9'; p++)
        number = number * 10 + (uint64_t)(*p - L'0');
    *at = p;
    *value = number;
    return TRUE;
}

/* After the program's own (possibly quoted) name and the word "peb64"; NULL if the
 * command line is not a request. */
static const WCHAR *request_arguments(const WCHAR *line)
{
    if (*line == L'"') {
        for (line++; *line && *line != L'"'; line++)
            ;
        if (*line)
            line++;
    } else {
        while (*line && *line != L' ' && *line != L'\t')
            line++;
    }
    while (*line == L' ' || *line == L'\t')
        line++;
    static const WCHAR verb[] = L"peb64";
    for (unsigned i = 0; i < 5; i++)
        if (line[i] != verb[i])
            return NULL;
    return line[5] == 0 || line[5] == L' ' ? line + 5 : NULL;
}

static BOOL fault_is(const WCHAR *fault, const WCHAR *name)
{
    unsigned i = 0;
    for (; fault[i] && name[i]; i++)
        if (fault[i] != name[i])
            return FALSE;
    return fault[i] == name[i];
}

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

static DWORD answer_pebs(const WCHAR *arguments, const WCHAR *fault)
{
    HANDLE heap = GetProcessHeap();
    rm_wow64_query *queries = HeapAlloc(heap, HEAP_ZERO_MEMORY, MAX_QUERIES * sizeof(*queries));
    size_t count = 0;
    uint64_t pid, create_time;
    if (!queries)
        return 4;
    while (next_number(&arguments, &pid)) {
        if (count == MAX_QUERIES || pid > 0xFFFFFFFFu || !next_number(&arguments, &create_time))
            return 2;
        queries[count].pid = (uint32_t)pid;
        queries[count].create_time = create_time;
        queries[count].peb = peb_of(queries[count].pid, create_time);
        if (fault_is(fault, L"lie") && queries[count].peb) {
            queries[count].create_time ^= 1;
            queries[count].peb ^= 0x5a5a5a5a000ull;
        }
        count++;
    }
    if (fault_is(fault, L"hang"))
        Sleep(INFINITE);
    size_t bytes = rm_wow64_answer_max_bytes(count);
    uint8_t *answer = HeapAlloc(heap, 0, bytes);
    if (!answer)
        return 4;
    size_t size = rm_wow64_answer_write(queries, count, answer, bytes);
    if (fault_is(fault, L"die"))
        size /= 2;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    BOOL ok = size && out && out != INVALID_HANDLE_VALUE && write_all(out, answer, size);
    if (fault_is(fault, L"die"))
        return 5;
    return ok ? 0 : 1;
}

/* The entry point itself (no C runtime to start). */
void WINAPI rm_wow64_helper_entry(void)
{
    HANDLE watchdog = CreateThread(NULL, 0, end_after_lifetime, NULL, 0, NULL);
    if (watchdog)
        CloseHandle(watchdog);
    const WCHAR *arguments = request_arguments(GetCommandLineW());
    WCHAR fault[16];
    DWORD fault_length = GetEnvironmentVariableW(L"RSTRTMGR_FAULT_WOW64_HELPER", fault, 16);
    if (fault_length == 0 || fault_length >= 16)
        fault[0] = 0;
    ExitProcess(arguments ? answer_pebs(arguments, fault) : 2);
}
