/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wow64_answer.h"

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t read_u64(const uint8_t *p)
{
    return (uint64_t)read_u32(p) | (uint64_t)read_u32(p + 4) << 32;
}

static void write_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void write_u64(uint8_t *p, uint64_t v)
{
    write_u32(p, (uint32_t)v);
    write_u32(p + 4, (uint32_t)(v >> 32));
}

size_t rm_wow64_answer_max_bytes(size_t count)
{
    return RM_WOW64_ANSWER_HEADER_BYTES + count * RM_WOW64_ANSWER_ENTRY_BYTES;
}

int rm_wow64_answer_apply(const uint8_t *bytes, size_t size, rm_wow64_query *queries,
                          size_t count)
{
    if (!bytes || size < RM_WOW64_ANSWER_HEADER_BYTES ||
        read_u32(bytes) != RM_WOW64_ANSWER_MAGIC || read_u32(bytes + 4) != RM_WOW64_ANSWER_VERSION)
        return -1;
    const uint32_t entries = read_u32(bytes + 8);
    if (entries > count ||
        size != RM_WOW64_ANSWER_HEADER_BYTES + (size_t)entries * RM_WOW64_ANSWER_ENTRY_BYTES)
        return -1;
    for (uint32_t e = 0; e < entries; e++)
        if (read_u32(bytes + RM_WOW64_ANSWER_HEADER_BYTES + (size_t)e * RM_WOW64_ANSWER_ENTRY_BYTES +
                     4) != 0)
            return -1;
    int filled = 0;
    for (uint32_t e = 0; e < entries; e++) {
        const uint8_t *entry =
            bytes + RM_WOW64_ANSWER_HEADER_BYTES + (size_t)e * RM_WOW64_ANSWER_ENTRY_BYTES;
        const uint32_t pid = read_u32(entry);
        const uint64_t create_time = read_u64(entry + 8), peb = read_u64(entry + 16);
        if (peb == 0)
            continue;
        for (size_t q = 0; q < count; q++) {
            if (queries[q].pid != pid)
                continue;
            if (queries[q].create_time == create_time && queries[q].peb == 0) {
                queries[q].peb = peb;
                filled++;
            }
            break; /* pids are unique among the queries */
        }
    }
    return filled;
}

size_t rm_wow64_answer_write(const rm_wow64_query *entries, size_t count, uint8_t *out,
                             size_t out_cap)
{
    size_t present = 0;
    for (size_t i = 0; i < count; i++)
        present += entries[i].peb != 0;
    const size_t total = rm_wow64_answer_max_bytes(present);
    if (total > out_cap)
        return 0;
    write_u32(out, RM_WOW64_ANSWER_MAGIC);
    write_u32(out + 4, RM_WOW64_ANSWER_VERSION);
    write_u32(out + 8, (uint32_t)present);
    uint8_t *entry = out + RM_WOW64_ANSWER_HEADER_BYTES;
    for (size_t i = 0; i < count; i++) {
        if (entries[i].peb == 0)
            continue;
        write_u32(entry, entries[i].pid);
        write_u32(entry + 4, 0);
        write_u64(entry + 8, entries[i].create_time);
        write_u64(entry + 16, entries[i].peb);
        entry += RM_WOW64_ANSWER_ENTRY_BYTES;
    }
    return total;
}

uint64_t rm_teb64_peb(const uint8_t bytes[RM_TEB64_CHECKED_BYTES], uint64_t teb, uint32_t pid,
                      uint32_t thread)
{
#define TEB_FIELD(offset) read_u64(bytes + (offset) - RM_TEB64_CHECKED_FROM)
    if (teb == 0 || TEB_FIELD(0x30) != teb || TEB_FIELD(0x40) != pid ||
        TEB_FIELD(0x48) != thread)
        return 0;
    return TEB_FIELD(0x60);
#undef TEB_FIELD
}
