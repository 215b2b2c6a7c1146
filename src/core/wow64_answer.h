/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The answer of the 64-bit half (rstrtmgr_wow64.exe) to a 32-bit DLL that asked where
 * some processes' 64-bit PEBs are: the wire format and its checks. Nothing in an answer
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

/* Answers already in hand for one call, so that one question to the 64-bit half serves
 * every later need of that call (module scan, then restart captures). */
typedef struct rm_wow64_pebs {
    const rm_wow64_query *queries;
    size_t count;
} rm_wow64_pebs;

/* The PEB answered for pid with that creation time, 0 if none. */
static inline uint64_t rm_wow64_pebs_find(const rm_wow64_pebs *pebs, uint32_t pid,
                                          uint64_t create_time)
{
    for (size_t i = 0; pebs && i < pebs->count; i++)
        if (pebs->queries[i].pid == pid && pebs->queries[i].create_time == create_time)
            return pebs->queries[i].peb;
    return 0;
}

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
