// SPDX-License-Identifier: LGPL-2.1-or-later
#include "rmt_measure.h"

#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>

#define HANDLE_WALK_END 0x10000
/* Each probe is a wineserver round trip; a leaked handle lands below this past the top. */
#define HANDLE_WALK_MARGIN (4 * 1024)

unsigned long rmt_handle_count(void)
{
    static ULONG_PTR walk_end = HANDLE_WALK_END;
    DWORD count = 0, flags;
    if (GetProcessHandleCount(GetCurrentProcess(), &count) && count)
        return count;
    ULONG_PTR highest = 0;
    for (ULONG_PTR value = 4; value < walk_end; value += 4)
        if (GetHandleInformation((HANDLE)value, &flags)) {
            count++;
            highest = value;
        }
    walk_end = highest + HANDLE_WALK_MARGIN < HANDLE_WALK_END ? highest + HANDLE_WALK_MARGIN
                                                              : HANDLE_WALK_END;
    return count;
}

unsigned long long rmt_private_bytes(void)
{
    PROCESS_MEMORY_COUNTERS_EX memory;
    memset(&memory, 0, sizeof(memory));
    memory.cb = sizeof(memory);
    if (GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&memory,
                             sizeof(memory)) && memory.PrivateUsage)
        return memory.PrivateUsage;
    unsigned long long total = 0;
    MEMORY_BASIC_INFORMATION region;
    for (const BYTE *at = NULL; VirtualQuery(at, &region, sizeof(region)) == sizeof(region);
         at = (const BYTE *)region.BaseAddress + region.RegionSize) {
        if (region.State == MEM_COMMIT && region.Type == MEM_PRIVATE)
            total += region.RegionSize;
        if ((const BYTE *)region.BaseAddress + region.RegionSize < at)
            break; /* wrapped around the top of the address space */
    }
    return total;
}

int rmt_thread_count(unsigned long *count)
{
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 entry = { .dwSize = sizeof(entry) };
    if (snapshot == INVALID_HANDLE_VALUE)
        return FALSE;
    *count = 0;
    for (BOOL more = Thread32First(snapshot, &entry); more; more = Thread32Next(snapshot, &entry))
        *count += entry.th32OwnerProcessID == GetCurrentProcessId();
    CloseHandle(snapshot);
    return TRUE;
}

/* One entry of SystemExtendedHandleInformation (restated here: the test does not take
 * the DLL's definitions). */
typedef struct handle_entry {
    PVOID object;
    ULONG_PTR process_id;
    ULONG_PTR handle_value;
    ULONG granted_access;
    USHORT creator_back_trace_index;
    USHORT object_type_index;
    ULONG handle_attributes;
    ULONG reserved;
} handle_entry;

typedef NTSTATUS (NTAPI *query_system_fn)(ULONG, PVOID, ULONG, PULONG);

int rmt_table_handle_count(unsigned long *count)
{
    query_system_fn query = (query_system_fn)(void *)GetProcAddress(
        GetModuleHandleW(L"ntdll.dll"), "NtQuerySystemInformation");
    ULONG size = 1 << 20, needed = 0;
    BYTE *buffer = NULL;
    NTSTATUS status;
    if (!query)
        return FALSE;
    do {
        free(buffer);
        buffer = malloc(size);
        if (!buffer)
            return FALSE;
        status = query(64 /* SystemExtendedHandleInformation */, buffer, size, &needed);
        size = needed > size ? needed + 65536 : size * 2;
    } while (status == (NTSTATUS)0xC0000004);
    if (status != 0) {
        free(buffer);
        return FALSE;
    }
    ULONG_PTR total = *(ULONG_PTR *)buffer;
    const handle_entry *entries = (const handle_entry *)(buffer + 2 * sizeof(ULONG_PTR));
    *count = 0;
    for (ULONG_PTR i = 0; i < total; i++)
        *count += entries[i].process_id == GetCurrentProcessId();
    free(buffer);
    return TRUE;
}
