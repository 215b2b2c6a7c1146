// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target for what processes read from shared memory: an arbitrary session
 * table and an arbitrary resource store.
 *
 * Input layout: byte 0 selects the structure (even: table, odd: store); the rest is the
 * section's content, copied into an exact-size heap block (ASan catches any access
 * outside it). For a store, the first 4 bytes after the selector are the bytes "mapped"
 * (clamped to the content), so partial mappings are exercised too.
 *
 * Invariants: no crash or out-of-bounds access; every slot is classified; lookups
 * return in-range indexes; a store walk ends (the cursor only grows) and the index it
 * feeds holds at most one entry per record; appends never grow `used` past capacity. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "key.h"
#include "resource_index.h"
#include "resource_store.h"
#include "session_table.h"

static int alternate_alive(uint32_t pid, uint64_t start, void *context)
{
    (void)start; (void)context;
    return pid & 1;
}

static void fuzz_table(const uint8_t *data, size_t size)
{
    rm_table *table = calloc(1, sizeof(*table));
    memcpy(table, data, size < sizeof(*table) ? size : sizeof(*table));
    int new_table = rm_table_format_if_new(table);
    CHECK(!new_table || rm_table_header_valid(table));
    for (int i = 0; i < RM_MAX_SESSIONS; i++) {
        rm_slot_status status = rm_slot_status_of(&table->slots[i]);
        CHECK(status == RM_SLOT_STATUS_FREE || status == RM_SLOT_STATUS_ACTIVE ||
              status == RM_SLOT_STATUS_CORRUPT);
    }
    /* Keys reaching the table are always well formed (parsed or generated). */
    rm_key key;
    rm_key_from_bytes(table->slots[0].key.text, &key);
    int found = rm_table_find_key(table, &key);
    CHECK(found >= -1 && found < RM_MAX_SESSIONS);
    found = rm_table_find_serial(table, table->slots[1].serial);
    CHECK(found >= -1 && found < RM_MAX_SESSIONS);
    unsigned before = rm_table_active_count(table);
    unsigned freed = rm_table_reclaim(table, alternate_alive, NULL);
    CHECK(rm_table_active_count(table) + freed >= before);
    int claimed = rm_table_claim(table, &key, 3, 4, RM_STORE_MIN_BYTES);
    CHECK(claimed >= -1 && claimed < RM_MAX_SESSIONS);
    if (claimed >= 0) {
        CHECK(rm_slot_status_of(&table->slots[claimed]) == RM_SLOT_STATUS_ACTIVE);
        rm_table_release(table, claimed);
        CHECK(rm_slot_status_of(&table->slots[claimed]) == RM_SLOT_STATUS_FREE);
    }
    free(table);
}

static void fuzz_store(const uint8_t *data, size_t size)
{
    uint32_t mapped = 0;
    if (size >= 4) {
        memcpy(&mapped, data, 4);
        data += 4;
        size -= 4;
    }
    if (size == 0)
        return;
    if (mapped > size)
        mapped = (uint32_t)size;
    uint8_t *store = malloc(size);
    memcpy(store, data, size);
    rm_store_header header;
    int readable = mapped >= sizeof(header);
    uint32_t used = rm_store_used(store, mapped);
    rm_resource_index *index = rm_index_create();
    uint32_t cursor = 0;
    if (used != UINT32_MAX) {
        size_t records = 0;
        rm_record record;
        uint32_t walk = 0, previous = 0;
        int status;
        while ((status = rm_store_next(store, mapped, used, &walk, &record)) == 1) {
            CHECK(walk > previous);
            CHECK((const uint8_t *)record.payload + record.size <= store + mapped);
            previous = walk;
            records++;
        }
        rm_index_ingest(index, store, mapped, used, &cursor);
        CHECK(rm_index_file_count(index) + rm_index_process_count(index) +
              rm_index_service_count(index) <= records);
        /* Append something small and check the mark moves within the capacity. */
        rm_wchar text[3] = { 'C', ':', '\\' };
        if (readable && rm_store_append(store, mapped, RM_RECORD_FILE, text, sizeof(text))) {
            memcpy(&header, store, sizeof(header));
            CHECK(header.used <= header.capacity - sizeof(header));
            CHECK(sizeof(header) + header.used <= mapped);
        }
    } else {
        CHECK(rm_index_ingest(index, store, mapped, 0, &cursor) == RM_INGEST_CORRUPT);
    }
    rm_index_destroy(index);
    free(store);
}

static void fuzz_key(const uint8_t *data, size_t size)
{
    rm_wchar text[RM_KEY_CHARS + 1] = { 0 };
    memcpy(text, data, size < sizeof(text) ? size : sizeof(text));
    rm_key key;
    if (rm_key_parse(text, &key)) {
        rm_wchar again[RM_KEY_CHARS + 1];
        rm_key_to_wide(&key, again);
        rm_key parsed;
        CHECK(rm_key_parse(again, &parsed) && rm_key_equal(&key, &parsed));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 3) {
    case 0: fuzz_table(data + 1, size - 1); break;
    case 1: fuzz_store(data + 1, size - 1); break;
    default: fuzz_key(data + 1, size - 1); break;
    }
    return 0;
}
