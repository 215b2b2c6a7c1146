/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where 64-bit processes' PEBs are, for a 32-bit DLL the system does not tell: the answer
 * of the 64-bit half (rstrtmgr_wow64.exe) — its wire format and its checks — and the
 * check of a 64-bit TEB read from the process itself (rm_teb64_peb). Nothing in an answer
 * is trusted: a malformed answer is refused whole, and an entry is kept only for a
 * process that was asked about, with the creation time the DLL saw (so a reused pid is
 * not mistaken for the process asked about), once, and with a PEB address other than 0.
 *
 * Wire format, little-endian:
 *   header  u32 magic RM_WOW64_ANSWER_MAGIC, u32 version RM_WOW64_ANSWER_VERSION,
 *           u32 entry count
 *   entry   u32 pid, u32 reserved (0), u64 creation time (FILETIME), u64 PEB address
 * and nothing after the last entry. Plain C, no Windows calls. */
#ifndef RM_WOW64_ANSWER_H
#define RM_WOW64_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#define RM_WOW64_ANSWER_MAGIC 0x36574D52u /* "RMW6" */
#define RM_WOW64_ANSWER_VERSION 1u
#define RM_WOW64_ANSWER_HEADER_BYTES 12u
#define RM_WOW64_ANSWER_ENTRY_BYTES 24u

/* One process asked about; peb is 0 until an accepted entry fills it. */
typedef struct rm_wow64_query {
    uint32_t pid;
    uint64_t create_time;
    uint64_t peb;
} rm_wow64_query;

/* What one call knows of a process's 64-bit PEB, so that one question (to the 64-bit
 * half, or to the process's TEB) serves every later need of that call (module scan, then
 * restart captures). teb/teb_thread: one of its threads' 64-bit TEB as the system's
 * process list gave it, 0 if none; where it is known the DLL reads the PEB's address
 * there itself (rm_teb64_peb) and the 64-bit half is not asked about that process. */
typedef struct rm_peb64_known {
    uint32_t pid;
    uint64_t create_time;
    uint64_t peb;         /* 0: not known (yet) */
    uint64_t teb;
    uint32_t teb_thread;
} rm_peb64_known;

typedef struct rm_wow64_pebs {
    rm_peb64_known *entries;
    size_t count;
} rm_wow64_pebs;

/* What is known of pid with that creation time, NULL if nothing. */
static inline const rm_peb64_known *rm_wow64_pebs_entry(const rm_wow64_pebs *pebs, uint32_t pid,
                                                        uint64_t create_time)
{
    for (size_t i = 0; pebs && i < pebs->count; i++)
        if (pebs->entries[i].pid == pid && pebs->entries[i].create_time == create_time)
            return &pebs->entries[i];
    return NULL;
}

/* A 64-bit TEB seen from WoW64: the bytes read from RM_TEB64_CHECKED_FROM on. The x64
 * layout: NT_TIB.Self at 0x30 (winnt.h), ClientId (process, thread) at 0x40, and
 * ProcessEnvironmentBlock at 0x60 (winternl.h's TEB: after twelve pointers). */
#define RM_TEB64_CHECKED_FROM 0x30u
#define RM_TEB64_CHECKED_BYTES 0x38u

/* The PEB address the TEB read at teb gives, or 0 unless the bytes are that thread's TEB:
 * Self must be teb, and ClientId the pid and thread the system listed it with. Memory
 * of another process is not trusted: a stale or foreign block gives 0. */
uint64_t rm_teb64_peb(const uint8_t bytes[RM_TEB64_CHECKED_BYTES], uint64_t teb, uint32_t pid,
                      uint32_t thread);

/* Most bytes a valid answer to count queries can have. */
size_t rm_wow64_answer_max_bytes(size_t count);

/* Checks bytes[0..size) and fills queries[i].peb from its accepted entries. Returns the
 * number of queries filled, or -1 (and fills none) if the answer is malformed: wrong
 * magic or version, a size other than the header's count says, more entries than
 * queries, a non-zero reserved field. Entries for other processes, other creation
 * times, a PEB of 0 or a second entry for one process are ignored. */
int rm_wow64_answer_apply(const uint8_t *bytes, size_t size, rm_wow64_query *queries,
                          size_t count);

/* Writes one answer: header + the given entries (queries with peb != 0), for the helper.
 * Returns the bytes written, 0 if out_cap is too small. */
size_t rm_wow64_answer_write(const rm_wow64_query *entries, size_t count, uint8_t *out,
                             size_t out_cap);

#endif /* RM_WOW64_ANSWER_H */
