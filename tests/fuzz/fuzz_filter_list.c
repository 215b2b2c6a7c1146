// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target for the filter list core (filter_list.h).
 *
 * Input: a sequence of operations, each
 *   byte 0   op: bits 0-1 set / remove / look up / serialise; bits 2-3 trigger kind
 *            (0 and 4+ values give invalid kinds too); bits 4-5 action (0..3)
 *   byte 1   n: text length in units (n & 0x3F), or for a process trigger its pid (n & 7)
 *   then     2n bytes of UTF-16LE text (process: 1 byte of start time)
 * A shadow model (a small array) tracks what the list must contain.
 *
 * Invariants checked (abort on violation):
 *   - set/remove/lookup agree with the model (service names ignore ASCII case);
 *   - the count matches the model;
 *   - serialisation for pointer sizes 4 and 8 into an exact-size heap buffer: the chain
 *     has one record per filter, every link and string pointer stays inside the buffer,
 *     every string is NUL-terminated inside it; one byte less is refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "filter_list.h"
#include "../unit/little_endian.h"

#define MODEL_MAX 256
#define TEXT_MAX 64

typedef struct model_entry {
    int kind, action;
    rm_wchar key[TEXT_MAX];
    size_t length;
    uint32_t pid;
    uint64_t start;
} model_entry;

typedef struct model {
    model_entry entries[MODEL_MAX];
    size_t count;
} model;

static rm_wchar fold(int kind, rm_wchar unit)
{
    if (kind == RM_FILTER_SERVICE && unit >= 'a' && unit <= 'z')
        return (rm_wchar)(unit - 'a' + 'A');
    return unit;
}

/* Only ASCII folding is modelled: non-ASCII service names may fold differently in the
 * core (Latin-1, Greek, Cyrillic), so the model skips those comparisons. */
static int ascii_only(const rm_filter_trigger *trigger)
{
    for (size_t i = 0; i < trigger->length; i++)
        if (trigger->text[i] >= 0x80)
            return 0;
    return 1;
}

static model_entry *model_find(model *m, const rm_filter_trigger *trigger)
{
    for (size_t i = 0; i < m->count; i++) {
        model_entry *e = &m->entries[i];
        if (e->kind != trigger->kind)
            continue;
        if (e->kind == RM_FILTER_PROCESS) {
            if (e->pid == trigger->pid && e->start == trigger->start)
                return e;
            continue;
        }
        if (e->length != trigger->length)
            continue;
        size_t k = 0;
        while (k < e->length && e->key[k] == fold(e->kind, trigger->text[k]))
            k++;
        if (k == e->length)
            return e;
    }
    return NULL;
}

static int valid_trigger(const rm_filter_trigger *trigger)
{
    if (trigger->kind == RM_FILTER_PROCESS)
        return 1;
    return (trigger->kind == RM_FILTER_FILE || trigger->kind == RM_FILTER_SERVICE) &&
           trigger->length > 0;
}

static void check_serialized(const rm_filter_list *list, size_t pointer_size)
{
    size_t size = rm_filter_list_serialized_size(list, pointer_size);
    size_t count = rm_filter_list_count(list);
    if (count == 0) {
        CHECK(size == 0);
        return;
    }
    size_t record = rm_filter_record_size(pointer_size);
    CHECK(size >= count * record);
    uint8_t *buffer = malloc(size);
    CHECK(buffer);
    CHECK(rm_filter_list_serialize(list, pointer_size, 0x10000, buffer, size - 1) == 0);
    CHECK(rm_filter_list_serialize(list, pointer_size, 0x10000, buffer, size) == size);
    size_t offset = 0, seen = 0;
    for (;;) {
        CHECK(offset + record <= size);
        seen++;
        uint32_t action = get_u32(buffer + offset), kind = get_u32(buffer + offset + 4);
        CHECK(action == RM_FILTER_NO_RESTART || action == RM_FILTER_NO_SHUTDOWN);
        CHECK(kind >= RM_FILTER_FILE && kind <= RM_FILTER_SERVICE);
        if (kind != RM_FILTER_PROCESS) {
            uint64_t address = get_uint(buffer + offset + rm_filter_union_offset(pointer_size),
                                        pointer_size);
            CHECK(address >= 0x10000 + offset + record && address < 0x10000 + size);
            size_t at = (size_t)(address - 0x10000);
            CHECK((at & 1) == 0);
            size_t end = at;
            while (end + 1 < size && (buffer[end] | buffer[end + 1]))
                end += 2;
            CHECK(end + 1 < size); /* NUL inside the buffer */
        }
        uint32_t next = get_u32(buffer + offset + 8);
        if (next == 0)
            break;
        CHECK(next >= record && next % pointer_size == 0);
        offset += next;
    }
    CHECK(seen == count);
    free(buffer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static model m; /* large: kept off the stack; reset every run */
    rm_wchar text[TEXT_MAX];
    rm_filter_list *list = rm_filter_list_create();
    CHECK(list);
    m.count = 0;
    size_t at = 0;
    while (at + 2 <= size) {
        uint8_t op = data[at], n = data[at + 1];
        at += 2;
        rm_filter_trigger trigger = { (op >> 2) & 3, text, 0, 0, 0 };
        if (trigger.kind == 0 && (op & 0xC0))
            trigger.kind = 4 + (op >> 6); /* invalid kinds */
        if (trigger.kind == RM_FILTER_PROCESS) {
            trigger.pid = n & 7;
            trigger.start = at < size ? data[at++] : 0;
        } else {
            size_t length = n & 0x3F;
            for (size_t i = 0; i < length && at + 1 < size; i++, at += 2) {
                text[i] = (rm_wchar)(data[at] | data[at + 1] << 8);
                trigger.length = i + 1;
            }
        }
        int action = (op >> 4) & 3;
        int modelled = trigger.kind != RM_FILTER_SERVICE || ascii_only(&trigger);
        model_entry *entry = valid_trigger(&trigger) && modelled ? model_find(&m, &trigger) : NULL;
        switch (op & 3) {
        case 0: {
            int result = rm_filter_list_set(list, &trigger, NULL, 0, action);
            if (!valid_trigger(&trigger) || action == 0 || action == 3) {
                CHECK(result == RM_FILTER_INVALID);
            } else if (!modelled) {
                CHECK(result == RM_FILTER_ADDED || result == RM_FILTER_UPDATED);
                goto done; /* the model can no longer follow */
            } else if (entry) {
                CHECK(result == RM_FILTER_UPDATED);
                entry->action = action;
            } else if (m.count < MODEL_MAX) {
                CHECK(result == RM_FILTER_ADDED);
                model_entry *e = &m.entries[m.count++];
                e->kind = trigger.kind;
                e->action = action;
                e->pid = trigger.pid;
                e->start = trigger.start;
                e->length = trigger.length;
                for (size_t i = 0; i < trigger.length; i++)
                    e->key[i] = fold(trigger.kind, trigger.text[i]);
            } else {
                goto done;
            }
            break;
        }
        case 1: {
            int removed = rm_filter_list_remove(list, &trigger);
            if (!modelled)
                goto done;
            CHECK(removed == (entry != NULL));
            if (entry) {
                size_t index = (size_t)(entry - m.entries);
                memmove(entry, entry + 1, (m.count - index - 1) * sizeof(*entry));
                m.count--;
            }
            break;
        }
        case 2:
            if (modelled)
                CHECK(rm_filter_list_action(list, &trigger) == (entry ? entry->action : 0));
            break;
        default:
            check_serialized(list, 4);
            check_serialized(list, 8);
            break;
        }
        CHECK(rm_filter_list_count(list) == m.count);
    }
done:
    check_serialized(list, 4);
    check_serialized(list, 8);
    rm_filter_list_destroy(list);
    return 0;
}
