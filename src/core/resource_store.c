// SPDX-License-Identifier: LGPL-2.1-or-later
#include "resource_store.h"

#include <string.h>

#define RECORD_HEADER_BYTES 8u

static uint32_t header_checksum(const rm_store_header *header)
{
    uint32_t hash = 2166136261u;
    const uint32_t words[3] = { header->magic, header->serial, header->capacity };
    for (size_t i = 0; i < 3; i++) {
        hash ^= words[i];
        hash *= 16777619u;
    }
    return hash;
}

void rm_store_format(void *base, uint32_t capacity, uint32_t serial)
{
    rm_store_header header = { RM_STORE_MAGIC, serial, capacity, 0, 0, 0 };
    header.check = header_checksum(&header);
    memcpy(base, &header, sizeof(header));
}

/* Copies the header and checks it; 0 if damaged. A process may map only the part of the
 * store it needs, so `mapped` can be less than the capacity: accesses check both. */
static int read_header(const void *base, size_t mapped, rm_store_header *header)
{
    if (mapped < sizeof(*header))
        return 0;
    memcpy(header, base, sizeof(*header));
    return header->magic == RM_STORE_MAGIC && header->check == header_checksum(header) &&
           header->capacity >= sizeof(*header) &&
           header->used <= header->capacity - sizeof(*header);
}

/* Whether bytes at record offset `offset` (after the header) lie inside the mapping. */
static int mapped_through(size_t mapped, uint64_t offset, uint64_t bytes)
{
    return sizeof(rm_store_header) + offset + bytes <= mapped;
}

int rm_store_valid(const void *base, size_t mapped, uint32_t serial)
{
    rm_store_header header;
    return read_header(base, mapped, &header) && header.serial == serial;
}

uint32_t rm_store_record_bytes(uint32_t payload_size)
{
    return RECORD_HEADER_BYTES + ((payload_size + 3u) & ~3u);
}

uint32_t rm_store_free_bytes(const void *base, size_t mapped)
{
    rm_store_header header;
    if (!read_header(base, mapped, &header))
        return 0;
    return header.capacity - (uint32_t)sizeof(header) - header.used;
}

uint32_t rm_store_end_offset(const void *base, size_t mapped)
{
    rm_store_header header;
    if (!read_header(base, mapped, &header))
        return 0;
    return (uint32_t)sizeof(header) + header.used;
}

uint32_t rm_store_used(const void *base, size_t mapped)
{
    rm_store_header header;
    return read_header(base, mapped, &header) ? header.used : UINT32_MAX;
}

int rm_store_append(void *base, size_t mapped, rm_record_kind kind, const void *payload,
                    uint32_t size)
{
    rm_store_header header;
    if (!read_header(base, mapped, &header) || size > RM_RECORD_MAX_PAYLOAD)
        return 0;
    uint32_t bytes = rm_store_record_bytes(size);
    if (bytes > header.capacity - sizeof(header) - header.used ||
        !mapped_through(mapped, header.used, bytes))
        return 0;
    uint8_t *at = (uint8_t *)base + sizeof(header) + header.used;
    uint32_t fields[2] = { (uint32_t)kind, size };
    memcpy(at, fields, sizeof(fields));
    memcpy(at + RECORD_HEADER_BYTES, payload, size);
    memset(at + RECORD_HEADER_BYTES + size, 0, bytes - RECORD_HEADER_BYTES - size);
    header.used += bytes;
    header.records++;
    memcpy(base, &header, sizeof(header));
    return 1;
}

static int payload_valid(rm_record_kind kind, uint32_t size)
{
    switch (kind) {
    case RM_RECORD_FILE:
    case RM_RECORD_DIRECTORY:
    case RM_RECORD_SERVICE:
        return size > 0 && size % 2 == 0 && size <= RM_RECORD_MAX_PAYLOAD;
    case RM_RECORD_PROCESS:
        return size == sizeof(rm_process_record);
    }
    return 0;
}

int rm_store_next(const void *base, size_t mapped, uint32_t limit, uint32_t *cursor,
                  rm_record *record)
{
    rm_store_header header;
    if (!read_header(base, mapped, &header) || limit > header.used || *cursor > limit ||
        !mapped_through(mapped, limit, 0))
        return -1;
    if (*cursor == limit)
        return 0;
    if (limit - *cursor < RECORD_HEADER_BYTES)
        return -1;
    const uint8_t *at = (const uint8_t *)base + sizeof(header) + *cursor;
    uint32_t fields[2];
    memcpy(fields, at, sizeof(fields));
    rm_record_kind kind = (rm_record_kind)fields[0];
    if (!payload_valid(kind, fields[1]))
        return -1;
    uint32_t bytes = rm_store_record_bytes(fields[1]);
    if (bytes > limit - *cursor)
        return -1;
    record->kind = kind;
    record->payload = at + RECORD_HEADER_BYTES;
    record->size = fields[1];
    *cursor += bytes;
    return 1;
}
