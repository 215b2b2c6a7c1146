// SPDX-License-Identifier: LGPL-2.1-or-later
#include "process/remote_memory.h"

#include <string.h>

#include "base/filetime.h"

#ifndef _WIN64
#include "base/tunables.h"
#include "process/process_snapshot.h"
#include "process/wow64_helper.h"
#endif

BOOL rm_remote_read(const rm_remote *from, uint64_t address, void *buffer,
                    size_t size)
{
    if (address == 0)
        return FALSE;
    if (from->read64) {
        ULONG64 done = 0;
        return from->read64(from->process, address, buffer, size, &done) == RM_STATUS_SUCCESS &&
               done == size;
    }
    SIZE_T done = 0;
    if (address != (uint64_t)(ULONG_PTR)address)
        return FALSE;
    return ReadProcessMemory(from->process, (LPCVOID)(ULONG_PTR)address, buffer, size, &done) &&
           done == size;
}

/* After this many blocks that could not be read, a target is read exactly. */
#define WINDOW_FAILURES_ALLOWED 2u
#define PAGE_BYTES 4096u

void rm_remote_window_reset(rm_remote_window *window)
{
    BYTE *bytes = window->bytes;
    memset(window, 0, sizeof(*window));
    window->bytes = bytes;
}

/* The block holding [address, address + size), or RM_REMOTE_WINDOW_BLOCKS. */
static unsigned block_holding(const rm_remote_window *window, uint64_t address, size_t size)
{
    for (unsigned i = 0; i < RM_REMOTE_WINDOW_BLOCKS; i++)
        if (window->held[i] && address >= window->base[i] &&
            address - window->base[i] <= RM_REMOTE_BLOCK_BYTES &&
            size <= RM_REMOTE_BLOCK_BYTES - (size_t)(address - window->base[i]))
            return i;
    return RM_REMOTE_WINDOW_BLOCKS;
}

static unsigned oldest_block(const rm_remote_window *window)
{
    unsigned oldest = 0;
    for (unsigned i = 0; i < RM_REMOTE_WINDOW_BLOCKS; i++) {
        if (!window->held[i])
            return i;
        if (window->last_used[i] < window->last_used[oldest])
            oldest = i;
    }
    return oldest;
}

static void copy_from_block(rm_remote_window *window, unsigned block, uint64_t address,
                            void *buffer, size_t size)
{
    window->last_used[block] = ++window->uses;
    memcpy(buffer, window->bytes + (size_t)block * RM_REMOTE_BLOCK_BYTES +
                       (address - window->base[block]),
           size);
}

BOOL rm_remote_read_near(const rm_remote *from, rm_remote_window *window, uint64_t address,
                         void *buffer, size_t size)
{
    if (!window)
        return rm_remote_read(from, address, buffer, size);
    if (window->process != from->process || window->read64 != from->read64) {
        rm_remote_window_reset(window);
        window->process = from->process;
        window->read64 = from->read64;
    }
    unsigned block = block_holding(window, address, size);
    if (block < RM_REMOTE_WINDOW_BLOCKS) {
        copy_from_block(window, block, address, buffer, size);
        return TRUE;
    }
    if (!window->bytes || address == 0 || size > RM_REMOTE_BLOCK_BYTES - PAGE_BYTES ||
        window->failures >= WINDOW_FAILURES_ALLOWED)
        return rm_remote_read(from, address, buffer, size);
    /* The aligned block around address, or the one from its page when it runs past it. */
    uint64_t base = address & ~(uint64_t)(RM_REMOTE_BLOCK_BYTES - 1);
    if (address - base + size > RM_REMOTE_BLOCK_BYTES)
        base = address & ~(uint64_t)(PAGE_BYTES - 1);
    block = oldest_block(window);
    window->held[block] = FALSE;
    if (!rm_remote_read(from, base, window->bytes + (size_t)block * RM_REMOTE_BLOCK_BYTES,
                        RM_REMOTE_BLOCK_BYTES)) {
        window->failures++;
        return rm_remote_read(from, address, buffer, size);
    }
    window->base[block] = base;
    window->held[block] = TRUE;
    copy_from_block(window, block, address, buffer, size);
    return TRUE;
}

uint64_t rm_remote_pointer_at(const rm_remote *from, const BYTE *bytes)
{
    if (from->pointer_size == 4) {
        uint32_t value;
        memcpy(&value, bytes, sizeof(value));
        return value;
    }
    uint64_t value;
    memcpy(&value, bytes, sizeof(value));
    return value;
}

BOOL rm_remote_read_pointer_near(const rm_remote *from, rm_remote_window *window,
                                 uint64_t address, uint64_t *value)
{
    BYTE bytes[8];
    if (!rm_remote_read_near(from, window, address, bytes, from->pointer_size))
        return FALSE;
    *value = rm_remote_pointer_at(from, bytes);
    return TRUE;
}

BOOL rm_remote_read_pointer(const rm_remote *from, uint64_t address,
                            uint64_t *value)
{
    return rm_remote_read_pointer_near(from, NULL, address, value);
}

uint64_t rm_remote_native_peb(HANDLE process)
{
    PROCESS_BASIC_INFORMATION basic;
    ULONG returned;
    if (NtQueryInformationProcess(process, (PROCESSINFOCLASS)RM_PROCESS_BASIC_INFORMATION, &basic,
                                  sizeof(basic), &returned) != RM_STATUS_SUCCESS)
        return 0;
    return (uint64_t)(ULONG_PTR)basic.PebBaseAddress;
}

#ifdef _WIN64
BOOL rm_remote_peb64_unsaid(void)
{
    return FALSE;
}

ULONG_PTR rm_remote_wow64_answer(HANDLE process)
{
    ULONG_PTR peb32 = 0;
    ULONG returned;
    if (NtQueryInformationProcess(process, (PROCESSINFOCLASS)RM_PROCESS_WOW64_INFORMATION, &peb32,
                                  sizeof(peb32), &returned) != RM_STATUS_SUCCESS)
        peb32 = 0;
    return peb32;
}

uint64_t rm_remote_wow64_peb_given(HANDLE process, ULONG_PTR answer, uint64_t native,
                                   rm_remote_window *window)
{
    if (answer >= 0x10000 || answer == 0)
        return answer;
    rm_remote from = { process, NULL, 8 }, from32 = { process, NULL, 4 };
    uint64_t image_base, candidate = native + 0x1000;
    uint32_t peb32[4]; /* InheritedAddressSpace.., Mutant, ImageBaseAddress, Ldr */
    if (!native || !rm_remote_read_pointer_near(&from, window, native + 0x10, &image_base) ||
        !rm_remote_read_near(&from32, window, candidate, peb32, sizeof(peb32)))
        return 0;
    if (peb32[2] == 0 || peb32[2] != image_base || peb32[3] == 0)
        return 0;
    return candidate;
}

uint64_t rm_remote_wow64_peb(HANDLE process)
{
    ULONG_PTR answer = rm_remote_wow64_answer(process);
    if (answer == 0)
        return 0;
    return rm_remote_wow64_peb_given(process, answer,
                                     answer < 0x10000 ? rm_remote_native_peb(process) : 0, NULL);
}

#else
BOOL rm_remote_self_is_wow64(void)
{
    BOOL wow64 = FALSE;
    return IsWow64Process(GetCurrentProcess(), &wow64) && wow64;
}

BOOL rm_remote_is_64bit_seen_from_wow64(BOOL self_is_wow64, HANDLE process)
{
    BOOL target_wow64 = FALSE;
    return self_is_wow64 && IsWow64Process(process, &target_wow64) && !target_wow64;
}

void rm_wow64_calls_load(rm_wow64_calls *calls)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    calls->read_memory64 =
        (rm_read_memory64_fn)(void *)GetProcAddress(ntdll, "NtWow64ReadVirtualMemory64");
    calls->query_process64 =
        (rm_query_process64_fn)(void *)GetProcAddress(ntdll, "NtWow64QueryInformationProcess64");
}

BOOL rm_remote_peb64_unsaid(void)
{
    rm_wow64_calls calls;
    if (!rm_remote_self_is_wow64())
        return FALSE;
    rm_wow64_calls_load(&calls);
    return calls.read_memory64 && !calls.query_process64;
}

DWORD rm_remote_peb64_at_teb(const rm_wow64_calls *calls, HANDLE process, uint64_t teb,
                             DWORD pid, DWORD thread, uint64_t *peb)
{
    uint8_t bytes[RM_TEB64_CHECKED_BYTES];
    rm_remote from = { process, calls->read_memory64, 8 };
    if (!calls->read_memory64 || !teb ||
        !rm_remote_read(&from, teb + RM_TEB64_CHECKED_FROM, bytes, sizeof(bytes)))
        return ERROR_PARTIAL_COPY;
    *peb = rm_teb64_peb(bytes, teb, pid, thread);
    return *peb ? ERROR_SUCCESS : ERROR_PARTIAL_COPY;
}

/* Through one of its threads' TEBs, from a process list of its own. */
static DWORD peb64_from_teb(const rm_wow64_calls *calls, HANDLE process, uint64_t *peb)
{
    rm_process_snapshot snapshot;
    const DWORD pid = GetProcessId(process);
    if (!rm_tunable_wow64_tebs_allowed() ||
        rm_process_snapshot_take_with_tebs(&snapshot) != ERROR_SUCCESS)
        return ERROR_PARTIAL_COPY;
    size_t position = rm_process_snapshot_find(&snapshot, pid);
    DWORD error = ERROR_PARTIAL_COPY;
    if (position != RM_NO_POSITION)
        error = rm_remote_peb64_at_teb(calls, process, snapshot.entries[position].teb, pid,
                                       snapshot.entries[position].teb_thread, peb);
    rm_process_snapshot_free(&snapshot);
    return error;
}

/* The PEB of one 64-bit process through the DLL's 64-bit half (no native query). */
static DWORD peb64_from_helper(HANDLE process, uint64_t *peb)
{
    uint64_t created;
    if (!rm_process_created(process, &created))
        return ERROR_PARTIAL_COPY;
    rm_wow64_query query = { GetProcessId(process), created, 0 };
    DWORD error = rm_wow64_helper_query(&query, 1, NULL);
    if (error != ERROR_SUCCESS)
        return error;
    *peb = query.peb;
    return query.peb ? ERROR_SUCCESS : ERROR_PARTIAL_COPY;
}

DWORD rm_remote_peb64(const rm_wow64_calls *calls, HANDLE process, uint64_t *peb)
{
    rm_basic_information64 basic;
    ULONG returned;
    if (!calls->read_memory64)
        return ERROR_NOT_SUPPORTED;
    if (!calls->query_process64)
        return peb64_from_teb(calls, process, peb) == ERROR_SUCCESS
                   ? ERROR_SUCCESS
                   : peb64_from_helper(process, peb);
    if (calls->query_process64(process, RM_PROCESS_BASIC_INFORMATION, &basic, sizeof(basic),
                               &returned) != RM_STATUS_SUCCESS)
        return ERROR_PARTIAL_COPY;
    *peb = basic.peb;
    return ERROR_SUCCESS;
}

#endif
