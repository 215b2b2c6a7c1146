// SPDX-License-Identifier: LGPL-2.1-or-later
/* Native unit tests of the filter list core: add, update, remove, lookup by each trigger,
 * argument checks and the RM_FILTER_INFO chain for both pointer sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "filter_list.h"
#include "little_endian.h"

#define MAX_TEXT 256

typedef struct wide {
    rm_wchar units[MAX_TEXT];
    size_t length;
} wide;

static wide to_wide(const char *text)
{
    wide out = { { 0 }, strlen(text) };
    for (size_t i = 0; i < out.length; i++)
        out.units[i] = (unsigned char)text[i];
    return out;
}

static rm_filter_trigger text_trigger(int kind, const wide *text)
{
    rm_filter_trigger trigger = { kind, text->units, text->length, 0, 0 };
    return trigger;
}

static rm_filter_trigger process_trigger(uint32_t pid, uint64_t start)
{
    rm_filter_trigger trigger = { RM_FILTER_PROCESS, NULL, 0, pid, start };
    return trigger;
}

/* Compares the UTF-16LE string at `at` with ASCII text, NUL included. */
static void assert_utf16_equal(const uint8_t *at, const char *text)
{
    size_t length = strlen(text);
    for (size_t i = 0; i <= length; i++) {
        unsigned unit = at[2 * i] | at[2 * i + 1] << 8;
        assert_int_equal(unit, (unsigned char)text[i]);
    }
}

static void test_record_layout(void **state)
{
    (void)state;
    assert_int_equal(rm_filter_record_size(4), 24); /* sizeof(RM_FILTER_INFO) on x86 */
    assert_int_equal(rm_filter_record_size(8), 32); /* and on x64 */
    assert_int_equal(rm_filter_union_offset(4), 12);
    assert_int_equal(rm_filter_union_offset(8), 16);
    assert_int_equal(rm_filter_record_size(2), 0);
}

static void test_add_update_lookup(void **state)
{
    (void)state;
    rm_filter_list *list = rm_filter_list_create();
    wide path = to_wide("C:\\APP\\TOOL.EXE"), service = to_wide("MySvc");
    wide service_other_case = to_wide("MYSVC"), other = to_wide("C:\\APP\\OTHER.EXE");
    rm_filter_trigger file = text_trigger(RM_FILTER_FILE, &path);
    rm_filter_trigger svc = text_trigger(RM_FILTER_SERVICE, &service);
    rm_filter_trigger svc_upper = text_trigger(RM_FILTER_SERVICE, &service_other_case);
    rm_filter_trigger proc = process_trigger(42, 0x01D9000012345678ull);

    assert_int_equal(rm_filter_list_set(list, &file, NULL, 0, RM_FILTER_NO_RESTART), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_set(list, &svc, NULL, 0, RM_FILTER_NO_SHUTDOWN), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_set(list, &proc, NULL, 0, RM_FILTER_NO_RESTART), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_count(list), 3);

    assert_int_equal(rm_filter_list_action(list, &file), RM_FILTER_NO_RESTART);
    assert_int_equal(rm_filter_list_action(list, &svc_upper), RM_FILTER_NO_SHUTDOWN);
    assert_int_equal(rm_filter_list_action(list, &proc), RM_FILTER_NO_RESTART);
    rm_filter_trigger other_file = text_trigger(RM_FILTER_FILE, &other);
    assert_int_equal(rm_filter_list_action(list, &other_file), 0);
    rm_filter_trigger reused_pid = process_trigger(42, 0x01D9000012345679ull);
    assert_int_equal(rm_filter_list_action(list, &reused_pid), 0);
    /* The same text under another trigger kind is another filter. */
    rm_filter_trigger path_as_service = text_trigger(RM_FILTER_SERVICE, &path);
    assert_int_equal(rm_filter_list_action(list, &path_as_service), 0);

    /* Same trigger again (service in another case): the action is updated, no new entry. */
    assert_int_equal(rm_filter_list_set(list, &svc_upper, NULL, 0, RM_FILTER_NO_RESTART),
                     RM_FILTER_UPDATED);
    assert_int_equal(rm_filter_list_count(list), 3);
    assert_int_equal(rm_filter_list_action(list, &svc), RM_FILTER_NO_RESTART);
    rm_filter_list_destroy(list);
}

static void test_file_keys_are_exact(void **state)
{
    (void)state;
    rm_filter_list *list = rm_filter_list_create();
    wide path = to_wide("C:\\APP\\TOOL.EXE"), lower = to_wide("c:\\app\\tool.exe");
    rm_filter_trigger file = text_trigger(RM_FILTER_FILE, &path);
    rm_filter_trigger file_lower = text_trigger(RM_FILTER_FILE, &lower);
    assert_int_equal(rm_filter_list_set(list, &file, NULL, 0, RM_FILTER_NO_RESTART), RM_FILTER_ADDED);
    /* The adapter canonicalises paths; the core compares canonical forms exactly. */
    assert_int_equal(rm_filter_list_action(list, &file_lower), 0);
    rm_filter_list_destroy(list);
}

static void test_remove(void **state)
{
    (void)state;
    rm_filter_list *list = rm_filter_list_create();
    wide a = to_wide("A"), b = to_wide("B"), c = to_wide("C");
    rm_filter_trigger ta = text_trigger(RM_FILTER_SERVICE, &a);
    rm_filter_trigger tb = text_trigger(RM_FILTER_SERVICE, &b);
    rm_filter_trigger tc = text_trigger(RM_FILTER_SERVICE, &c);
    assert_int_equal(rm_filter_list_set(list, &ta, NULL, 0, RM_FILTER_NO_RESTART), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_set(list, &tb, NULL, 0, RM_FILTER_NO_RESTART), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_set(list, &tc, NULL, 0, RM_FILTER_NO_SHUTDOWN), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_remove(list, &tb), 1);
    assert_int_equal(rm_filter_list_remove(list, &tb), 0);
    assert_int_equal(rm_filter_list_count(list), 2);
    assert_int_equal(rm_filter_list_action(list, &ta), RM_FILTER_NO_RESTART);
    assert_int_equal(rm_filter_list_action(list, &tc), RM_FILTER_NO_SHUTDOWN);
    rm_filter_trigger missing = process_trigger(1, 1);
    assert_int_equal(rm_filter_list_remove(list, &missing), 0);
    assert_int_equal(rm_filter_list_remove(list, &ta), 1);
    assert_int_equal(rm_filter_list_remove(list, &tc), 1);
    assert_int_equal(rm_filter_list_count(list), 0);
    assert_int_equal(rm_filter_list_serialized_size(list, 8), 0);
    rm_filter_list_destroy(list);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    rm_filter_list *list = rm_filter_list_create();
    wide name = to_wide("svc"), empty = to_wide("");
    rm_filter_trigger svc = text_trigger(RM_FILTER_SERVICE, &name);
    rm_filter_trigger blank = text_trigger(RM_FILTER_SERVICE, &empty);
    rm_filter_trigger bad_kind = text_trigger(4, &name);
    rm_filter_trigger no_text = { RM_FILTER_FILE, NULL, 3, 0, 0 };
    rm_filter_trigger too_long = { RM_FILTER_FILE, name.units, RM_FILTER_MAX_TEXT + 1, 0, 0 };
    assert_int_equal(rm_filter_list_set(list, &svc, NULL, 0, 0), RM_FILTER_INVALID);
    assert_int_equal(rm_filter_list_set(list, &svc, NULL, 0, 3), RM_FILTER_INVALID);
    assert_int_equal(rm_filter_list_set(list, &blank, NULL, 0, 1), RM_FILTER_INVALID);
    assert_int_equal(rm_filter_list_set(list, &bad_kind, NULL, 0, 1), RM_FILTER_INVALID);
    assert_int_equal(rm_filter_list_set(list, &no_text, NULL, 0, 1), RM_FILTER_INVALID);
    assert_int_equal(rm_filter_list_set(list, &too_long, NULL, 0, 1), RM_FILTER_INVALID);
    assert_int_equal(rm_filter_list_set(list, NULL, NULL, 0, 1), RM_FILTER_INVALID);
    assert_int_equal(rm_filter_list_count(list), 0);
    assert_int_equal(rm_filter_list_action(NULL, &svc), 0);
    rm_filter_list_destroy(NULL);
    rm_filter_list_destroy(list);
}

/* Walks a serialised chain: checks every link and string stays inside the buffer and
 * returns the record offsets. */
static size_t walk_chain(const uint8_t *buffer, size_t size, size_t pointer_size,
                         uint64_t base, size_t *offsets, size_t max)
{
    size_t count = 0, offset = 0;
    for (;;) {
        assert_true(count < max);
        assert_true(offset + rm_filter_record_size(pointer_size) <= size);
        offsets[count++] = offset;
        uint32_t trigger = get_u32(buffer + offset + 4);
        if (trigger != RM_FILTER_PROCESS) {
            uint64_t address = get_uint(buffer + offset + rm_filter_union_offset(pointer_size),
                                        pointer_size);
            assert_true(address >= base + offset + rm_filter_record_size(pointer_size));
            assert_true(address < base + size);
        }
        uint32_t next = get_u32(buffer + offset + 8);
        if (next == 0)
            return count;
        assert_true(next >= rm_filter_record_size(pointer_size));
        offset += next;
    }
}

static void check_chain(size_t pointer_size, uint64_t base)
{
    rm_filter_list *list = rm_filter_list_create();
    wide canonical = to_wide("C:\\APP\\TOOL.EXE"), spelled = to_wide("c:\\app\\tool.exe");
    wide service = to_wide("MySvc");
    rm_filter_trigger file = text_trigger(RM_FILTER_FILE, &canonical);
    rm_filter_trigger svc = text_trigger(RM_FILTER_SERVICE, &service);
    rm_filter_trigger proc = process_trigger(0x1234, 0x0102030405060708ull);
    assert_int_equal(rm_filter_list_set(list, &file, spelled.units, spelled.length,
                                        RM_FILTER_NO_RESTART), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_set(list, &proc, NULL, 0, RM_FILTER_NO_SHUTDOWN), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_set(list, &svc, NULL, 0, RM_FILTER_NO_SHUTDOWN), RM_FILTER_ADDED);

    size_t record = rm_filter_record_size(pointer_size);
    size_t size = rm_filter_list_serialized_size(list, pointer_size);
    size_t expected = ((record + 16 * 2 + pointer_size - 1) / pointer_size * pointer_size) +
                      record + ((record + 6 * 2 + pointer_size - 1) / pointer_size * pointer_size);
    assert_int_equal(size, expected);

    uint8_t *buffer = malloc(size + 8);
    memset(buffer, 0xCC, size + 8);
    assert_int_equal(rm_filter_list_serialize(list, pointer_size, base, buffer, size - 1), 0);
    assert_int_equal(buffer[0], 0xCC); /* untouched when too small */
    assert_int_equal(rm_filter_list_serialize(list, pointer_size, base, buffer, size), size);
    assert_int_equal(buffer[size], 0xCC); /* nothing past the chain */

    size_t offsets[8];
    assert_int_equal(walk_chain(buffer, size, pointer_size, base, offsets, 8), 3);
    const uint8_t *first = buffer + offsets[0], *second = buffer + offsets[1];
    const uint8_t *third = buffer + offsets[2];

    assert_int_equal(get_u32(first), RM_FILTER_NO_RESTART);
    assert_int_equal(get_u32(first + 4), RM_FILTER_FILE);
    uint64_t address = get_uint(first + rm_filter_union_offset(pointer_size), pointer_size);
    assert_int_equal(address, base + offsets[0] + record);
    assert_utf16_equal(buffer + (address - base), "c:\\app\\tool.exe"); /* as spelled */

    assert_int_equal(get_u32(second), RM_FILTER_NO_SHUTDOWN);
    assert_int_equal(get_u32(second + 4), RM_FILTER_PROCESS);
    const uint8_t *process = second + rm_filter_union_offset(pointer_size);
    assert_int_equal(get_u32(process), 0x1234);
    assert_int_equal(get_u32(process + 4), 0x05060708);
    assert_int_equal(get_u32(process + 8), 0x01020304);
    assert_int_equal(get_u32(second + 8), record);

    assert_int_equal(get_u32(third + 4), RM_FILTER_SERVICE);
    address = get_uint(third + rm_filter_union_offset(pointer_size), pointer_size);
    assert_utf16_equal(buffer + (address - base), "MySvc"); /* not upper-cased */
    assert_int_equal(get_u32(third + 8), 0);
    free(buffer);
    rm_filter_list_destroy(list);
}

static void test_chain_x64(void **state)
{
    (void)state;
    check_chain(8, 0x00007FF612340000ull);
}

static void test_chain_x86(void **state)
{
    (void)state;
    check_chain(4, 0x00A10000ull);
}

static void test_serialize_edge_cases(void **state)
{
    (void)state;
    rm_filter_list *list = rm_filter_list_create();
    uint8_t buffer[64];
    assert_int_equal(rm_filter_list_serialize(list, 8, 0, buffer, sizeof(buffer)), 0);
    rm_filter_trigger proc = process_trigger(7, 9);
    assert_int_equal(rm_filter_list_set(list, &proc, NULL, 0, RM_FILTER_NO_RESTART), RM_FILTER_ADDED);
    assert_int_equal(rm_filter_list_serialized_size(list, 8), 32);
    assert_int_equal(rm_filter_list_serialized_size(list, 4), 24);
    assert_int_equal(rm_filter_list_serialized_size(list, 3), 0);
    assert_int_equal(rm_filter_list_serialize(list, 8, 0, NULL, 64), 0);
    assert_int_equal(rm_filter_list_serialize(list, 4, 0, buffer, sizeof(buffer)), 24);
    assert_int_equal(get_u32(buffer + 8), 0); /* a single record ends the chain */
    rm_filter_list_destroy(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_layout),
        cmocka_unit_test(test_add_update_lookup),
        cmocka_unit_test(test_file_keys_are_exact),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_chain_x64),
        cmocka_unit_test(test_chain_x86),
        cmocka_unit_test(test_serialize_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
