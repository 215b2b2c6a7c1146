// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session_table.h"

#include <stddef.h>
#include <string.h>

static uint32_t checksum(const void *data, size_t size)
{
    /* FNV-1a: catches torn or scribbled slots; not a defence against forgery, which the
     * named objects' DACL provides. */
    const uint8_t *bytes = data;
    uint32_t hash = 2166136261u;
    for (size_t i = 0; i < size; i++) {
        hash ^= bytes[i];
        hash *= 16777619u;
    }
    return hash;
}

static uint32_t header_checksum(const rm_table *table)
{
    return checksum(table, offsetof(rm_table, check));
}

static uint32_t slot_checksum(const rm_slot *slot)
{
    return checksum(slot, offsetof(rm_slot, check));
}

static void seal_header(rm_table *table)
{
    table->check = header_checksum(table);
}

static void seal_slot(rm_slot *slot)
{
    slot->check = slot_checksum(slot);
}

int rm_table_format_if_new(rm_table *table)
{
    if (table->magic != 0)
        return 0;
    memset(table, 0, sizeof(*table));
    table->magic = RM_TABLE_MAGIC;
    table->version = RM_TABLE_VERSION;
    table->slot_count = RM_MAX_SESSIONS;
    table->slot_bytes = sizeof(rm_slot);
    table->next_serial = 1;
    seal_header(table);
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        seal_slot(&table->slots[i]);
    return 1;
}

int rm_table_header_valid(const rm_table *table)
{
    return table->magic == RM_TABLE_MAGIC && table->version == RM_TABLE_VERSION &&
           table->slot_count == RM_MAX_SESSIONS && table->slot_bytes == sizeof(rm_slot) &&
           table->check == header_checksum(table);
}

static int key_text_valid(const rm_key *key)
{
    for (size_t i = 0; i < RM_KEY_CHARS; i++) {
        uint8_t c = key->text[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    return 1;
}

rm_slot_status rm_slot_status_of(const rm_slot *slot)
{
    /* Copy first: another process may scribble while we look. */
    rm_slot copy;
    memcpy(&copy, slot, sizeof(copy));
    if (copy.check != slot_checksum(&copy))
        return RM_SLOT_STATUS_CORRUPT;
    if (copy.state == RM_SLOT_FREE)
        return RM_SLOT_STATUS_FREE;
    if (copy.state != RM_SLOT_ACTIVE || copy.serial == 0 || !key_text_valid(&copy.key) ||
        copy.store_bytes < RM_STORE_MIN_BYTES || copy.store_bytes > RM_STORE_MAX_BYTES)
        return RM_SLOT_STATUS_CORRUPT;
    return RM_SLOT_STATUS_ACTIVE;
}

int rm_table_find_key(const rm_table *table, const rm_key *key)
{
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        if (rm_slot_status_of(&table->slots[i]) == RM_SLOT_STATUS_ACTIVE &&
            rm_key_equal(&table->slots[i].key, key))
            return i;
    return -1;
}

int rm_table_find_serial(const rm_table *table, uint32_t serial)
{
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        if (rm_slot_status_of(&table->slots[i]) == RM_SLOT_STATUS_ACTIVE &&
            table->slots[i].serial == serial)
            return i;
    return -1;
}

int rm_table_claim(rm_table *table, const rm_key *key, uint32_t owner_pid,
                   uint64_t owner_start, uint32_t store_bytes)
{
    for (int i = 0; i < RM_MAX_SESSIONS; i++) {
        rm_slot *slot = &table->slots[i];
        if (rm_slot_status_of(slot) == RM_SLOT_STATUS_ACTIVE)
            continue;
        /* Serial 0 marks "no session": never hand it out, whatever the header says. */
        uint32_t serial = table->next_serial ? table->next_serial : 1;
        table->next_serial = serial + 1 == 0 ? 1 : serial + 1;
        seal_header(table);
        memset(slot, 0, sizeof(*slot));
        slot->state = RM_SLOT_ACTIVE;
        slot->serial = serial;
        slot->owner_pid = owner_pid;
        slot->owner_start_low = (uint32_t)owner_start;
        slot->owner_start_high = (uint32_t)(owner_start >> 32);
        slot->store_bytes = store_bytes;
        slot->key = *key;
        seal_slot(slot);
        return i;
    }
    return -1;
}

void rm_table_release(rm_table *table, int index)
{
    if (index < 0 || index >= RM_MAX_SESSIONS)
        return;
    rm_slot *slot = &table->slots[index];
    memset(slot, 0, sizeof(*slot));
    seal_slot(slot);
}

uint64_t rm_slot_owner_start(const rm_slot *slot)
{
    return ((uint64_t)slot->owner_start_high << 32) | slot->owner_start_low;
}

unsigned rm_table_reclaim(rm_table *table, rm_owner_alive_fn is_alive, void *context)
{
    unsigned freed = 0;
    for (int i = 0; i < RM_MAX_SESSIONS; i++) {
        rm_slot *slot = &table->slots[i];
        rm_slot_status status = rm_slot_status_of(slot);
        if (status == RM_SLOT_STATUS_FREE)
            continue;
        if (status == RM_SLOT_STATUS_CORRUPT ||
            !is_alive(slot->owner_pid, rm_slot_owner_start(slot), context)) {
            rm_table_release(table, i);
            freed++;
        }
    }
    return freed;
}

unsigned rm_table_active_count(const rm_table *table)
{
    unsigned count = 0;
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        count += rm_slot_status_of(&table->slots[i]) == RM_SLOT_STATUS_ACTIVE;
    return count;
}
