// SPDX-License-Identifier: LGPL-2.1-or-later
/* Native unit tests of the portable session core: keys, the session table, the resource
 * store and the resource index, including damaged input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "key.h"
#include "resource_index.h"
#include "resource_store.h"
#include "session_table.h"

static void to_wide(const char *text, rm_wchar *out)
{
    while ((*out++ = (unsigned char)*text++))
        ;
}

static void test_key_round_trip(void **state)
{
    (void)state;
    uint8_t bytes[RM_KEY_BYTES];
    for (int i = 0; i < RM_KEY_BYTES; i++)
        bytes[i] = (uint8_t)(i * 17 + 3);
    rm_key key, parsed;
    rm_key_from_bytes(bytes, &key);
    rm_wchar wide[RM_KEY_CHARS + 2];
    wide[RM_KEY_CHARS + 1] = 0xBEEF;
    rm_key_to_wide(&key, wide);
    assert_int_equal(wide[RM_KEY_CHARS], 0);
    assert_int_equal(wide[RM_KEY_CHARS + 1], 0xBEEF); /* never writes past 33 units */
    assert_true(rm_key_parse(wide, &parsed));
    assert_true(rm_key_equal(&key, &parsed));
    assert_memory_equal(key.text, "03142536", 8);
}

static void test_key_parse_rejects(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "0", "0123456789abcdef0123456789abcde",           /* 31 */
        "0123456789abcdef0123456789abcdef0",                 /* 33 */
        "0123456789abcdef0123456789abcdeg",                  /* not hex */
        "{0123456789abcdef0123456789abcd}",
        "01234567-89ab-cdef-0123-456789abcdef",
    };
    rm_wchar wide[64];
    rm_key key;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        to_wide(bad[i], wide);
        assert_false(rm_key_parse(wide, &key));
    }
    to_wide("0123456789ABCDEF0123456789abcdef", wide);
    assert_true(rm_key_parse(wide, &key));
    assert_memory_equal(key.text, "0123456789abcdef0123456789abcdef", RM_KEY_CHARS);
}

static rm_key make_key(int n)
{
    uint8_t bytes[RM_KEY_BYTES] = { 0 };
    memcpy(bytes, &n, sizeof(n));
    rm_key key;
    rm_key_from_bytes(bytes, &key);
    return key;
}

static int all_alive(uint32_t pid, uint64_t start, void *context)
{
    (void)pid; (void)start; (void)context;
    return 1;
}

static int odd_pids_dead(uint32_t pid, uint64_t start, void *context)
{
    (void)start; (void)context;
    return pid % 2 == 0;
}

static void test_table_limit_and_reuse(void **state)
{
    (void)state;
    rm_table *table = calloc(1, sizeof(*table));
    assert_true(rm_table_format_if_new(table));
    assert_false(rm_table_format_if_new(table));
    assert_true(rm_table_header_valid(table));
    for (int i = 0; i < RM_MAX_SESSIONS; i++) {
        rm_key key = make_key(i);
        assert_int_equal(rm_table_claim(table, &key, (uint32_t)i, 100u + (uint64_t)i, 1u << 20), i);
    }
    rm_key extra = make_key(999);
    assert_int_equal(rm_table_claim(table, &extra, 1, 1, 1u << 20), -1);
    assert_int_equal(rm_table_active_count(table), RM_MAX_SESSIONS);

    rm_key key5 = make_key(5);
    assert_int_equal(rm_table_find_key(table, &key5), 5);
    uint32_t serial5 = table->slots[5].serial;
    rm_table_release(table, 5);
    assert_int_equal(rm_table_find_key(table, &key5), -1);
    assert_int_equal(rm_table_find_serial(table, serial5), -1);
    /* The same key text may start again at once, with a new serial. */
    assert_int_equal(rm_table_claim(table, &key5, 5, 105, 1u << 20), 5);
    assert_int_not_equal(table->slots[5].serial, serial5);

    assert_int_equal(rm_table_reclaim(table, all_alive, NULL), 0);
    assert_int_equal(rm_table_reclaim(table, odd_pids_dead, NULL), RM_MAX_SESSIONS / 2);
    assert_int_equal(rm_table_active_count(table), RM_MAX_SESSIONS / 2);
    free(table);
}

static void test_table_damage(void **state)
{
    (void)state;
    rm_table *table = calloc(1, sizeof(*table));
    rm_table_format_if_new(table);
    rm_key key = make_key(1);
    int slot = rm_table_claim(table, &key, 7, 7, 1u << 20);
    table->slots[slot].owner_pid ^= 1; /* torn write: checksum no longer matches */
    assert_int_equal(rm_slot_status_of(&table->slots[slot]), RM_SLOT_STATUS_CORRUPT);
    assert_int_equal(rm_table_find_key(table, &key), -1);
    assert_int_equal(rm_table_reclaim(table, all_alive, NULL), 1);
    assert_int_equal(rm_slot_status_of(&table->slots[slot]), RM_SLOT_STATUS_FREE);

    table->next_serial += 1; /* header no longer matches its checksum */
    assert_false(rm_table_header_valid(table));
    memset(table, 0xA5, sizeof(*table));
    assert_false(rm_table_header_valid(table));
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        assert_int_equal(rm_slot_status_of(&table->slots[i]), RM_SLOT_STATUS_CORRUPT);
    free(table);
}

static void test_store_append_and_read(void **state)
{
    (void)state;
    const uint32_t capacity = 4096;
    uint8_t *store = calloc(1, capacity);
    rm_store_format(store, capacity, 42);
    assert_true(rm_store_valid(store, capacity, 42));
    assert_false(rm_store_valid(store, capacity, 43));
    rm_wchar path[] = { 'C', ':', '\\', 'A' };
    rm_process_record process = { 1234, 5, 6 };
    assert_true(rm_store_append(store, capacity, RM_RECORD_FILE, path, sizeof(path)));
    assert_true(rm_store_append(store, capacity, RM_RECORD_PROCESS, &process, sizeof(process)));
    uint32_t limit = rm_store_used(store, capacity), cursor = 0;
    rm_record record;
    assert_int_equal(rm_store_next(store, capacity, limit, &cursor, &record), 1);
    assert_int_equal(record.kind, RM_RECORD_FILE);
    assert_int_equal(record.size, sizeof(path));
    assert_int_equal(rm_store_next(store, capacity, limit, &cursor, &record), 1);
    assert_int_equal(record.kind, RM_RECORD_PROCESS);
    assert_int_equal(rm_store_next(store, capacity, limit, &cursor, &record), 0);

    /* Fill it: the append that does not fit is refused and changes nothing. */
    while (rm_store_append(store, capacity, RM_RECORD_FILE, path, sizeof(path)))
        ;
    uint32_t used = rm_store_used(store, capacity);
    assert_false(rm_store_append(store, capacity, RM_RECORD_FILE, path, sizeof(path)));
    assert_int_equal(rm_store_used(store, capacity), used);
    assert_true(rm_store_free_bytes(store, capacity) < rm_store_record_bytes(sizeof(path)));
    free(store);
}

static void test_store_rejects_damage(void **state)
{
    (void)state;
    const uint32_t capacity = 4096;
    uint8_t *store = calloc(1, capacity);
    rm_store_format(store, capacity, 1);
    rm_wchar path[] = { 'C', ':', '\\', 'A' };
    rm_store_append(store, capacity, RM_RECORD_FILE, path, sizeof(path));
    uint32_t limit = rm_store_used(store, capacity), cursor = 0;
    rm_record record;
    /* A record claiming to be longer than the store. */
    uint32_t huge = 0x7fffffff;
    memcpy(store + sizeof(rm_store_header) + 4, &huge, 4);
    assert_int_equal(rm_store_next(store, capacity, limit, &cursor, &record), -1);
    /* A limit past `used`, a mapping smaller than claimed, a broken header. */
    cursor = 0;
    assert_int_equal(rm_store_next(store, capacity, limit + 8, &cursor, &record), -1);
    assert_false(rm_store_valid(store, 16, 1));
    cursor = 0; /* a mapping that ends before the records */
    assert_int_equal(rm_store_next(store, 40, limit, &cursor, &record), -1);
    store[0] ^= 0xFF;
    assert_int_equal(rm_store_used(store, capacity), UINT32_MAX);
    assert_false(rm_store_append(store, capacity, RM_RECORD_FILE, path, sizeof(path)));
    free(store);
}

static void test_index_dedup_and_ingest(void **state)
{
    (void)state;
    const uint32_t capacity = 1 << 20;
    uint8_t *store = calloc(1, capacity);
    rm_store_format(store, capacity, 9);
    rm_wchar a[] = { 'C', ':', '\\', 'A' }, b[] = { 'C', ':', '\\', 'B' };
    rm_wchar service[] = { 'S', 'P', 'O', 'O', 'L', 'E', 'R' };
    rm_process_record process = { 77, 1, 2 };
    for (int round = 0; round < 3; round++) {
        rm_store_append(store, capacity, RM_RECORD_FILE, a, sizeof(a));
        rm_store_append(store, capacity, RM_RECORD_DIRECTORY, b, sizeof(b));
        rm_store_append(store, capacity, RM_RECORD_SERVICE, service, sizeof(service));
        rm_store_append(store, capacity, RM_RECORD_PROCESS, &process, sizeof(process));
    }
    rm_resource_index *index = rm_index_create();
    uint32_t cursor = 0;
    /* Incremental: first only part of the log, then the rest. */
    assert_int_equal(rm_index_ingest(index, store, capacity, rm_store_record_bytes(sizeof(a)),
                                     &cursor), RM_INGEST_OK);
    assert_int_equal(rm_index_file_count(index), 1);
    assert_int_equal(rm_index_ingest(index, store, capacity, rm_store_used(store, capacity),
                                     &cursor), RM_INGEST_OK);
    assert_int_equal(rm_index_file_count(index), 2);
    assert_int_equal(rm_index_directory_count(index), 1);
    assert_int_equal(rm_index_service_count(index), 1);
    assert_int_equal(rm_index_process_count(index), 1);
    assert_non_null(rm_index_find_file(index, a, 4));
    assert_true(rm_index_find_file(index, b, 4)->is_directory);
    rm_wchar lower[] = { 's', 'p', 'o', 'o', 'l', 'e', 'r' };
    assert_true(rm_index_has_service(index, lower, 7));
    assert_true(rm_index_has_process(index, 77, ((uint64_t)2 << 32) | 1));
    assert_false(rm_index_has_process(index, 77, 1));
    rm_index_destroy(index);
    free(store);
}

static void test_index_scale(void **state)
{
    (void)state;
    rm_resource_index *index = rm_index_create();
    rm_wchar path[64];
    for (int i = 0; i < 100000; i++) {
        int length = 0;
        const char *prefix = "C:\\PROGRAM FILES\\APP\\FILE";
        while (prefix[length]) { path[length] = (rm_wchar)prefix[length]; length++; }
        for (int v = i; ; v /= 10) { path[length++] = (rm_wchar)('0' + v % 10); if (v < 10) break; }
        assert_int_equal(rm_index_add_file(index, path, (size_t)length, 0), 1);
        assert_int_equal(rm_index_add_file(index, path, (size_t)length, 0), 0);
    }
    assert_int_equal(rm_index_file_count(index), 100000);
    rm_index_destroy(index);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_round_trip),
        cmocka_unit_test(test_key_parse_rejects),
        cmocka_unit_test(test_table_limit_and_reuse),
        cmocka_unit_test(test_table_damage),
        cmocka_unit_test(test_store_append_and_read),
        cmocka_unit_test(test_store_rejects_damage),
        cmocka_unit_test(test_index_dedup_and_ingest),
        cmocka_unit_test(test_index_scale),
    };
    return cmocka_run_group_tests_name("session_core", tests, NULL, NULL);
}
