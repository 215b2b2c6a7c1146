// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target for the service stop planner (service_order.h).
 *
 * Input:
 *   byte 0        n: running services (n & 15)
 *   per service   its name, its group (flag byte: bit 0 none, bit 1 "" ), then a byte d
 *                 (d & 3 dependencies), each a flag byte (bit 0: "+group") and a name
 *   then          r: requested names (r & 7, at least 1), each a name
 * A name is a length byte L (L & 7 units, or 70 when bit 7 is set: longer than the 63
 * units a step keeps) and that many bytes, each mapped to a unit of a small alphabet with
 * ASCII case pairs, the ASCII neighbours of the letters and a non-ASCII case pair, so that
 * names collide and differ in every way the comparison cares about. Every string lives in
 * an exact-size heap block.
 *
 * Invariants checked (abort on violation):
 *   - planning succeeds with at most n + r steps, each naming one of the caller's strings;
 *   - no step's name is another's (as a step compares them: its first 63 units);
 *   - every requested name has a requested step;
 *   - a step that is not requested is a running service that depends on another. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "name_compare.h"
#include "service_order.h"

#define MAX_NODES 15
#define MAX_REQUESTS 7
#define MAX_STRINGS (MAX_NODES * 6 + MAX_REQUESTS)

static const rm_wchar alphabet[16] = { 'A', 'a', 'B', 'b', 'Z', 'z', '@', '`',
                                       '[', '{', '+', 0xC9, 0xE9, ' ', '1', 0x130 };

typedef struct input {
    const uint8_t *data;
    size_t size, at;
    rm_wchar *strings[MAX_STRINGS];
    size_t string_count;
} input;

static uint8_t next_byte(input *in)
{
    return in->at < in->size ? in->data[in->at++] : 0;
}

/* A heap block of units[0..length) followed by `terminators` NULs. */
static rm_wchar *keep(input *in, const rm_wchar *units, size_t length, size_t terminators)
{
    rm_wchar *s = malloc((length + terminators) * sizeof(rm_wchar));
    CHECK(s && in->string_count < MAX_STRINGS);
    memcpy(s, units, length * sizeof(rm_wchar));
    for (size_t i = 0; i < terminators; i++)
        s[length + i] = 0;
    in->strings[in->string_count++] = s;
    return s;
}

/* Writes a name's units to out (room for 70) and returns their number. */
static size_t read_name(input *in, rm_wchar *out)
{
    uint8_t length_byte = next_byte(in);
    size_t length = (length_byte & 0x80) ? 70 : (length_byte & 7);
    for (size_t i = 0; i < length; i++)
        out[i] = alphabet[next_byte(in) & 15];
    return length;
}

static int depends_on_another(const rm_service_node *nodes, size_t count, size_t self)
{
    for (const rm_wchar *d = nodes[self].dependencies; d && *d; d += rm_wcsnlen(d, SIZE_MAX) + 1)
        for (size_t i = 0; i < count; i++) {
            if (i == self)
                continue;
            if (d[0] == RM_SERVICE_GROUP_MARK ? nodes[i].group && nodes[i].group[0] &&
                                                    rm_name_equal(d + 1, nodes[i].group)
                                              : rm_name_equal(d, nodes[i].name))
                return 1;
        }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = { data, size, 0, { NULL }, 0 };
    rm_service_node nodes[MAX_NODES];
    const rm_wchar *requested[MAX_REQUESTS];
    rm_wchar units[4 * 72];
    size_t node_count = next_byte(&in) & 15;
    if (node_count > MAX_NODES)
        node_count = MAX_NODES;
    for (size_t n = 0; n < node_count; n++) {
        size_t length = read_name(&in, units);
        nodes[n].name = keep(&in, units, length, 1);
        uint8_t group_flags = next_byte(&in);
        length = read_name(&in, units);
        nodes[n].group = (group_flags & 1) ? NULL : keep(&in, units, (group_flags & 2) ? 0 : length, 1);
        size_t dependency_count = next_byte(&in) & 3, w = 0;
        for (size_t d = 0; d < dependency_count; d++) {
            if (next_byte(&in) & 1)
                units[w++] = RM_SERVICE_GROUP_MARK;
            size_t entry = read_name(&in, units + w);
            if (entry == 0 && (w == 0 || units[w - 1] == 0))
                continue; /* an empty entry would end the list */
            w += entry;
            units[w++] = 0;
        }
        nodes[n].dependencies = w ? keep(&in, units, w, 1) : NULL;
    }
    size_t requested_count = 1 + (next_byte(&in) & 7) % MAX_REQUESTS;
    for (size_t r = 0; r < requested_count; r++) {
        size_t length = read_name(&in, units);
        requested[r] = keep(&in, units, length, 1);
    }

    rm_service_order order;
    CHECK(rm_service_order_plan(nodes, node_count, requested, requested_count, &order) == 0);
    CHECK(order.count <= node_count + requested_count);
    for (size_t i = 0; i < order.count; i++) {
        const rm_wchar *name = order.steps[i].name;
        size_t node = node_count;
        for (size_t n = 0; n < node_count; n++)
            if (nodes[n].name == name)
                node = n;
        int is_request = 0;
        for (size_t r = 0; r < requested_count; r++)
            is_request |= requested[r] == name;
        CHECK(node < node_count || is_request);
        for (size_t j = i + 1; j < order.count; j++)
            CHECK(!rm_name_equal_n(name, RM_SERVICE_STEP_NAME_MAX, order.steps[j].name));
        if (!order.steps[i].requested)
            CHECK(node < node_count && depends_on_another(nodes, node_count, node));
    }
    for (size_t r = 0; r < requested_count; r++) {
        int found = 0;
        for (size_t i = 0; i < order.count && !found; i++)
            found = order.steps[i].requested &&
                    (rm_name_equal(order.steps[i].name, requested[r]) ||
                     rm_name_equal_n(order.steps[i].name, RM_SERVICE_STEP_NAME_MAX, requested[r]));
        CHECK(found);
    }
    rm_service_order_free(&order);
    for (size_t i = 0; i < in.string_count; i++)
        free(in.strings[i]);
    return 0;
}
