// SPDX-License-Identifier: LGPL-2.1-or-later
/* The session table: the one structure every process of a user shares (through a named
 * section) to find sessions by key. Fixed-width fields only, so 32- and 64-bit processes
 * see the same layout. Nothing here is trusted: every reader validates what it reads. */
#ifndef RM_CORE_SESSION_TABLE_H
#define RM_CORE_SESSION_TABLE_H

#include <stdint.h>
#include "key.h"

#define RM_MAX_SESSIONS 64
#define RM_TABLE_MAGIC 0x314d5452u   /* "RTM1" */
#define RM_TABLE_VERSION 1u
#define RM_SLOT_FREE 0u
#define RM_SLOT_ACTIVE 0x56495441u   /* "ATIV" */

/* Bounds on a session's resource store, so a corrupted slot cannot make a process map
 * absurd sizes. */
#define RM_STORE_MIN_BYTES 4096u
#define RM_STORE_MAX_BYTES (512u << 20)

typedef struct rm_slot {
    uint32_t state;            /* RM_SLOT_FREE or RM_SLOT_ACTIVE */
    uint32_t serial;           /* unique per session start; names the store, tags handles */
    uint32_t owner_pid;        /* the primary (the process that started the session) */
    uint32_t owner_start_low;  /* its creation time, so a reused PID is not mistaken */
    uint32_t owner_start_high;
    uint32_t store_bytes;      /* size of the session's resource store section */
    rm_key key;
    uint32_t check;            /* checksum of all the fields above */
} rm_slot;

typedef struct rm_table {
    uint32_t magic;
    uint32_t version;
    uint32_t slot_count;
    uint32_t slot_bytes;
    uint32_t next_serial;
    uint32_t check;            /* checksum of the five fields above */
    rm_slot slots[RM_MAX_SESSIONS];
} rm_table;

typedef enum rm_slot_status {
    RM_SLOT_STATUS_FREE,
    RM_SLOT_STATUS_ACTIVE,
    RM_SLOT_STATUS_CORRUPT
} rm_slot_status;

/* A zero-filled section is a new table: format it. Returns 1 if the table was formatted. */
int rm_table_format_if_new(rm_table *table);

/* 1 if the header is intact. */
int rm_table_header_valid(const rm_table *table);

rm_slot_status rm_slot_status_of(const rm_slot *slot);

/* Index of the active slot holding key, or -1. */
int rm_table_find_key(const rm_table *table, const rm_key *key);

/* Index of the active slot with this serial, or -1. */
int rm_table_find_serial(const rm_table *table, uint32_t serial);

/* Claims a free (or corrupt) slot for a new session; returns its index, or -1 when all
 * RM_MAX_SESSIONS slots are active. */
int rm_table_claim(rm_table *table, const rm_key *key, uint32_t owner_pid,
                   uint64_t owner_start, uint32_t store_bytes);

void rm_table_release(rm_table *table, int index);

uint64_t rm_slot_owner_start(const rm_slot *slot);

/* Frees every corrupt slot and every active slot whose owner is_alive says is gone;
 * returns how many were freed. */
typedef int (*rm_owner_alive_fn)(uint32_t pid, uint64_t start, void *context);
unsigned rm_table_reclaim(rm_table *table, rm_owner_alive_fn is_alive, void *context);

unsigned rm_table_active_count(const rm_table *table);

#endif
