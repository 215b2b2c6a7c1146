// SPDX-License-Identifier: LGPL-2.1-or-later
/* Reading another process's memory whatever the two bitnesses: where its PEB is, and
 * bounded reads of its address space, shared by module_scan.c (loader list) and
 * process_params.c (command line, directory).
 *  - A 64-bit caller reads every process natively; a WoW64 process also has a 32-bit
 *    PEB, which ProcessWow64Information locates (Wine 8 answers only a flag there).
 *  - A 32-bit caller reads 32-bit processes natively, and a 64-bit one (only when it
 *    runs under WoW64 itself) through NtWow64ReadVirtualMemory64, once it knows where the
 *    process's PEB is: NtWow64QueryInformationProcess64 tells, or, where the system lacks
 *    it (Wine 8), one of the process's threads' 64-bit TEB (SystemExtendedProcessInformation
 *    lists it; the TEB names the PEB), or, failing that, the DLL's 64-bit half
 *    (wow64_helper.h). The documented calls fail across that boundary.
 * bench_getlist compiles module_scan.c and this file on their own, outside the DLL. */
#ifndef RM_WIN_REMOTE_MEMORY_H
#define RM_WIN_REMOTE_MEMORY_H

#include <stdint.h>
#include <string.h>

#include "base/nt_system.h"

typedef NTSTATUS (NTAPI *rm_read_memory64_fn)(HANDLE, ULONG64, PVOID, ULONG64, PULONG64);

/* One address space, read natively or (32-bit caller, 64-bit target) through read64. */
typedef struct rm_remote {
    HANDLE process;
    rm_read_memory64_fn read64;  /* NULL: natively */
    unsigned pointer_size;       /* the target's: 4 or 8 */
} rm_remote;

/* All size bytes at address, or FALSE (also for address 0 and for addresses this
 * caller cannot name natively). */
BOOL rm_remote_read(const rm_remote *from, uint64_t address, void *buffer,
                    size_t size);

/* Nearby reads served from a few blocks of the target's memory. Under Wine every read
 * of another process is a wineserver round trip costing about the same for 8 bytes as
 * for 16 KiB (measured: ~90 us vs ~110 us), and a loader list's entries and names sit
 * close together in the process heap: one block read answers several of them. Entries
 * and their names often lie in neighbouring blocks, read in turn, so the window keeps
 * the last few blocks rather than one: no block is read twice while it is held. Each
 * block is read at one instant, as a single read would be. One window per thread and
 * target. */
#define RM_REMOTE_BLOCK_BYTES 16384u
#define RM_REMOTE_WINDOW_BLOCKS 4u
/* What an owner allocates for a window's bytes. */
#define RM_REMOTE_WINDOW_BYTES (RM_REMOTE_BLOCK_BYTES * RM_REMOTE_WINDOW_BLOCKS)

typedef struct rm_remote_window {
    BYTE *bytes;          /* RM_REMOTE_WINDOW_BYTES, the owner's; NULL: exact reads only */
    HANDLE process;       /* what the blocks were read from */
    rm_read_memory64_fn read64;
    uint64_t base[RM_REMOTE_WINDOW_BLOCKS];
    BOOL held[RM_REMOTE_WINDOW_BLOCKS];
    unsigned last_used[RM_REMOTE_WINDOW_BLOCKS]; /* the oldest block is the one replaced */
    unsigned uses;
    unsigned failures;    /* blocks that could not be read for this target */
} rm_remote_window;

/* Forgets what the window holds (the next target is another process). */
void rm_remote_window_reset(rm_remote_window *window);

/* As rm_remote_read, through window (NULL: that exact read): from a block it holds, or
 * from a new block read around address (in place of the oldest); where a block cannot
 * be read (an uncommitted page nearby), the exact bytes only. */
BOOL rm_remote_read_near(const rm_remote *from, rm_remote_window *window, uint64_t address,
                         void *buffer, size_t size);

/* A target pointer already copied into bytes (pointer_size of them). */
uint64_t rm_remote_pointer_at(const rm_remote *from, const BYTE *bytes);

BOOL rm_remote_read_pointer(const rm_remote *from, uint64_t address,
                            uint64_t *value);

/* The same, through window (NULL: that exact read). */
BOOL rm_remote_read_pointer_near(const rm_remote *from, rm_remote_window *window,
                                 uint64_t address, uint64_t *value);

/* Whether this caller must find 64-bit processes' PEBs itself: WoW64, with
 * NtWow64ReadVirtualMemory64 but without NtWow64QueryInformationProcess64 (Wine 8).
 * Always FALSE for a 64-bit caller. */
BOOL rm_remote_peb64_unsaid(void);

/* The PEB of the caller's own bitness; 0 if the system does not say. */
uint64_t rm_remote_native_peb(HANDLE process);

#ifdef _WIN64
/* ProcessWow64Information as answered: a WoW64 process's 32-bit PEB, 0 for a 64-bit
 * process or a failed query; Wine 8 answers a small flag (< 0x10000) instead. */
ULONG_PTR rm_remote_wow64_answer(HANDLE process);

/* A WoW64 process's 32-bit PEB, 0 for a 64-bit process or when it cannot be found. Where
 * the system answers only a flag (Wine 8), the 32-bit PEB is looked for one page after the
 * native one, where Windows 8.1+ and Wine put it, and taken only if it names the same
 * image base as the native PEB and has loader data. */
uint64_t rm_remote_wow64_peb(HANDLE process);

/* The same, given the process's ProcessWow64Information answer and native PEB when the
 * caller has them already, reading through window (NULL: exact reads). */
uint64_t rm_remote_wow64_peb_given(HANDLE process, ULONG_PTR answer, uint64_t native,
                                   rm_remote_window *window);
#else
typedef NTSTATUS (NTAPI *rm_query_process64_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);

/* The WoW64 "64" calls of ntdll; NULL where the system lacks them (Wine 8). */
typedef struct rm_wow64_calls {
    rm_read_memory64_fn read_memory64;
    rm_query_process64_fn query_process64;
} rm_wow64_calls;

/* PROCESS_BASIC_INFORMATION with 64-bit fields, as NtWow64QueryInformationProcess64 fills it. */
typedef struct rm_basic_information64 {
    LONG64 exit_status;
    ULONG64 peb;
    ULONG64 affinity;
    LONG64 base_priority;
    ULONG64 pid;
    ULONG64 parent_pid;
} rm_basic_information64;

BOOL rm_remote_self_is_wow64(void);

/* Only a WoW64 caller can meet a 64-bit process. */
BOOL rm_remote_is_64bit_seen_from_wow64(BOOL self_is_wow64, HANDLE process);

void rm_wow64_calls_load(rm_wow64_calls *calls);

/* A 64-bit process's PEB from one of its threads' 64-bit TEB (as the system's extended
 * process list gives it): one read of the TEB, taken only if it is that thread's of that
 * process (rm_teb64_peb). ERROR_PARTIAL_COPY otherwise. */
DWORD rm_remote_peb64_at_teb(const rm_wow64_calls *calls, HANDLE process, uint64_t teb,
                             DWORD pid, DWORD thread, uint64_t *peb);

/* A 64-bit process's PEB seen from WoW64: through the query; else through a thread's TEB
 * from a new extended process list; else the 64-bit half. ERROR_NOT_SUPPORTED without
 * the read or any way to locate the PEB, ERROR_PARTIAL_COPY if none says. */
DWORD rm_remote_peb64(const rm_wow64_calls *calls, HANDLE process, uint64_t *peb);
#endif

#endif
