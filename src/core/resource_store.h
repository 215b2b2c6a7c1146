// SPDX-License-Identifier: LGPL-2.1-or-later
/* A session's resource store: an append-only log of registered resources in a section
 * that the primary and every joined process map. Records are never changed once written,
 * so a reader only needs the `used` mark taken under the session-table lock; it still
 * validates every record, since any process of the user can write to the section. */
#ifndef RM_CORE_RESOURCE_STORE_H
#define RM_CORE_RESOURCE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "rm_wchar.h"

#define RM_STORE_MAGIC 0x31535352u   /* "RSS1" */

typedef enum rm_record_kind {
    RM_RECORD_FILE = 1,      /* payload: canonical path (rm_path_canonicalize), no NUL */
    RM_RECORD_DIRECTORY = 2, /* a registered path that named a directory when registered */
    RM_RECORD_PROCESS = 3,   /* payload: rm_process_record */
    RM_RECORD_SERVICE = 4    /* payload: service short name, upper-cased, no NUL */
} rm_record_kind;

typedef struct rm_process_record {
    uint32_t pid;
    uint32_t start_low;
    uint32_t start_high;
} rm_process_record;

typedef struct rm_store_header {
    uint32_t magic;
    uint32_t serial;    /* the owning session's serial */
    uint32_t capacity;  /* bytes of the section, header included */
    uint32_t check;     /* checksum of the three fields above */
    uint32_t used;      /* bytes of records after the header */
    uint32_t records;
} rm_store_header;

typedef struct rm_record {
    rm_record_kind kind;
    const void *payload; /* points into the store: copy before trusting */
    uint32_t size;       /* payload bytes */
} rm_record;

/* Longest payload accepted: a 32767-unit path. */
#define RM_RECORD_MAX_PAYLOAD (32767u * 2u)

void rm_store_format(void *base, uint32_t capacity, uint32_t serial);

/* Every function takes the bytes of the store this process has mapped (`mapped`, which
 * may be less than the capacity) and never touches memory past them. */

/* 1 if the header is intact and belongs to serial. */
int rm_store_valid(const void *base, size_t mapped, uint32_t serial);

/* Bytes a record with this payload occupies. */
uint32_t rm_store_record_bytes(uint32_t payload_size);

/* Free bytes left in the store (0 if the header is damaged). */
uint32_t rm_store_free_bytes(const void *base, size_t mapped);

/* Offset one past the last byte written so far (header included). */
uint32_t rm_store_end_offset(const void *base, size_t mapped);

/* Appends one record; returns 1, or 0 when it does not fit or the header is damaged. */
int rm_store_append(void *base, size_t mapped, rm_record_kind kind, const void *payload,
                    uint32_t size);

/* Reads the record at *cursor (0 = the first), stopping at `limit`, the `used` mark taken
 * earlier. Returns 1 and advances *cursor, 0 at the end, -1 for a malformed record. */
int rm_store_next(const void *base, size_t mapped, uint32_t limit, uint32_t *cursor,
                  rm_record *record);

/* The current `used` mark, or UINT32_MAX if the header is damaged. */
uint32_t rm_store_used(const void *base, size_t mapped);

#endif
