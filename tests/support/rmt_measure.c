/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rmt_measure.h"

#include <string.h>
#include <windows.h>
#include <psapi.h>

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
