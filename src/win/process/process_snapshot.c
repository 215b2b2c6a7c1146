// SPDX-License-Identifier: LGPL-2.1-or-later
#include "process/process_snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "base/nt_system.h"

/* The tables grow between calls; answers larger than this are not plausible. */
#define TABLE_LIMIT_BYTES (512u << 20)

DWORD rm_query_system_table(ULONG info_class, ULONG initial_bytes, void **buffer)
{
    ULONG size = initial_bytes;
    *buffer = NULL;
    for (;;) {
        ULONG needed = 0;
        void *grown = realloc(*buffer, size);
        if (!grown) {
            free(*buffer);
            *buffer = NULL;
            return ERROR_OUTOFMEMORY;
        }
        *buffer = grown;
        NTSTATUS status = NtQuerySystemInformation((SYSTEM_INFORMATION_CLASS)info_class, *buffer,
                                                   size, &needed);
        if (status == RM_STATUS_SUCCESS)
            return ERROR_SUCCESS;
        if (status != RM_STATUS_INFO_LENGTH_MISMATCH && status != RM_STATUS_BUFFER_TOO_SMALL &&
            status != RM_STATUS_BUFFER_OVERFLOW) {
            free(*buffer);
            *buffer = NULL;
            return RtlNtStatusToDosError(status);
        }
        /* Headroom: the table may grow again before the next call. */
        ULONG next = needed > size ? needed + needed / 8 + 65536 : size * 2;
        if (next <= size || next > TABLE_LIMIT_BYTES) {
            free(*buffer);
            *buffer = NULL;
            return ERROR_OUTOFMEMORY;
        }
        size = next;
    }
}

static size_t pid_hash(DWORD pid, size_t mask)
{
    /* PIDs are multiples of 4 on Windows: drop those bits before mixing. */
    return (size_t)(((pid >> 2) * 2654435761u) & mask);
}

static BOOL build_pid_index(rm_process_snapshot *snapshot)
{
    size_t position_count = 64;
    while (position_count < snapshot->count * 2)
        position_count *= 2;
    snapshot->pid_hash = calloc(position_count, sizeof(*snapshot->pid_hash));
    if (!snapshot->pid_hash)
        return FALSE;
    snapshot->pid_hash_mask = position_count - 1;
    for (size_t i = 0; i < snapshot->count; i++) {
        size_t at = pid_hash(snapshot->entries[i].pid, snapshot->pid_hash_mask);
        while (snapshot->pid_hash[at])
            at = (at + 1) & snapshot->pid_hash_mask;
        snapshot->pid_hash[at] = (uint32_t)(i + 1);
    }
    return TRUE;
}

static size_t count_records(const BYTE *raw)
{
    size_t count = 1;
    const rm_nt_process_record *record = (const rm_nt_process_record *)raw;
    while (record->next_entry_offset) {
        record = (const rm_nt_process_record *)((const BYTE *)record + record->next_entry_offset);
        count++;
    }
    return count;
}

/* The first thread of record with a TEB, where the record is an extended one. */
static void take_teb(const rm_nt_process_record *record, rm_process_entry *entry)
{
    const rm_nt_extended_thread_record *threads =
        (const rm_nt_extended_thread_record *)((const BYTE *)record + RM_NT_PROCESS_RECORD_BYTES);
    size_t room = record->next_entry_offset > RM_NT_PROCESS_RECORD_BYTES
                      ? (record->next_entry_offset - RM_NT_PROCESS_RECORD_BYTES) / sizeof(*threads)
                      : 0;
    size_t count = record->next_entry_offset ? (record->thread_count < room ? record->thread_count : room)
                                             : record->thread_count;
    for (size_t i = 0; i < count; i++)
        if (threads[i].teb_base) {
            entry->teb = (uint64_t)(ULONG_PTR)threads[i].teb_base;
            entry->teb_thread = (DWORD)(ULONG_PTR)threads[i].thread.thread_id;
            return;
        }
}

static DWORD take(rm_process_snapshot *snapshot, BOOL with_tebs)
{
    static const WCHAR no_name[] = L"";
    memset(snapshot, 0, sizeof(*snapshot));
    DWORD error = ERROR_NOT_SUPPORTED;
    if (with_tebs)
        error = rm_query_system_table(RM_SYSTEM_EXTENDED_PROCESS_INFORMATION, 384 * 1024,
                                      &snapshot->raw);
    with_tebs = error == ERROR_SUCCESS;
    if (!with_tebs)
        error = rm_query_system_table(RM_SYSTEM_PROCESS_INFORMATION, 256 * 1024, &snapshot->raw);
    if (error != ERROR_SUCCESS)
        return error;
    size_t count = count_records(snapshot->raw);
    snapshot->entries = calloc(count, sizeof(*snapshot->entries));
    if (!snapshot->entries) {
        rm_process_snapshot_free(snapshot);
        return ERROR_OUTOFMEMORY;
    }
    const BYTE *at = snapshot->raw;
    for (size_t i = 0; i < count; i++) {
        const rm_nt_process_record *record = (const rm_nt_process_record *)at;
        rm_process_entry *entry = &snapshot->entries[i];
        entry->pid = (DWORD)(ULONG_PTR)record->process_id;
        entry->session_id = record->session_id;
        entry->parent_pid = (DWORD)(ULONG_PTR)record->parent_process_id;
        entry->create_time = (uint64_t)record->create_time.QuadPart;
        entry->image_name = record->image_name.Buffer ? record->image_name.Buffer : no_name;
        entry->image_name_length = record->image_name.Buffer ? record->image_name.Length / sizeof(WCHAR) : 0;
        if (with_tebs)
            take_teb(record, entry);
        at += record->next_entry_offset;
    }
    snapshot->count = count;
    if (!build_pid_index(snapshot)) {
        rm_process_snapshot_free(snapshot);
        return ERROR_OUTOFMEMORY;
    }
    return ERROR_SUCCESS;
}

DWORD rm_process_snapshot_take(rm_process_snapshot *snapshot)
{
    return take(snapshot, FALSE);
}

DWORD rm_process_snapshot_take_with_tebs(rm_process_snapshot *snapshot)
{
    return take(snapshot, TRUE);
}

void rm_process_snapshot_free(rm_process_snapshot *snapshot)
{
    free(snapshot->entries);
    free(snapshot->pid_hash);
    free(snapshot->raw);
    memset(snapshot, 0, sizeof(*snapshot));
}

size_t rm_process_snapshot_find(const rm_process_snapshot *snapshot, DWORD pid)
{
    if (!snapshot->pid_hash)
        return RM_NO_POSITION;
    for (size_t at = pid_hash(pid, snapshot->pid_hash_mask); snapshot->pid_hash[at];
         at = (at + 1) & snapshot->pid_hash_mask) {
        size_t position = snapshot->pid_hash[at] - 1;
        if (snapshot->entries[position].pid == pid)
            return position;
    }
    return RM_NO_POSITION;
}
