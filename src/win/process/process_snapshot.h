// SPDX-License-Identifier: LGPL-2.1-or-later
/* Every running process at one instant, from a single SystemProcessInformation (or
 * SystemExtendedProcessInformation) query:
 * pid, parent, exact creation time, terminal-services session and image base name, with a pid
 * lookup. Positions (indices into `entries`) name processes in the rest of the resolver. */
#ifndef RM_WIN_PROCESS_SNAPSHOT_H
#define RM_WIN_PROCESS_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#define RM_NO_POSITION ((size_t)-1)

typedef struct rm_process_entry {
    DWORD pid;
    DWORD session_id;
    DWORD parent_pid;        /* the creator's pid (it may have ended, or been reused) */
    uint64_t create_time;    /* FILETIME as GetProcessTimes reports it */
    const WCHAR *image_name; /* base name, not NUL-terminated; "" for the idle process */
    size_t image_name_length;
    uint64_t teb;            /* one thread's TEB (rm_process_snapshot_take_with_tebs), or 0 */
    DWORD teb_thread;        /* that thread's id */
} rm_process_entry;

typedef struct rm_process_snapshot {
    rm_process_entry *entries;
    size_t count;
    uint32_t *pid_hash;     /* open addressing: position + 1, 0 = empty */
    size_t pid_hash_mask;
    void *raw;               /* the query's buffer; image names point into it */
} rm_process_snapshot;

DWORD rm_process_snapshot_take(rm_process_snapshot *snapshot);

/* As rm_process_snapshot_take, from SystemExtendedProcessInformation, which also gives
 * each thread's TEB: every entry gets its first listed thread's (where the system lacks
 * the class, the entries have none). What a WoW64 caller needs to find a 64-bit process's
 * PEB on a system that does not say where it is (remote_memory.h). */
DWORD rm_process_snapshot_take_with_tebs(rm_process_snapshot *snapshot);
void rm_process_snapshot_free(rm_process_snapshot *snapshot);

/* The position of pid, or RM_NO_POSITION. */
size_t rm_process_snapshot_find(const rm_process_snapshot *snapshot, DWORD pid);

/* Calls NtQuerySystemInformation(info_class) with a buffer grown until the answer fits;
 * *buffer is malloc'd (free it). Shared with the handle snapshot. */
DWORD rm_query_system_table(ULONG info_class, ULONG initial_bytes, void **buffer);

#endif
