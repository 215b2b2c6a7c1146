// SPDX-License-Identifier: LGPL-2.1-or-later
#include "filter_list.h"

#include <stdlib.h>
#include <string.h>
#include "path_norm.h"

/* Sessions hold a handful of filters: a plain array, searched linearly, keeps the
 * order they were added in (the order RmGetFilterList lists them). */
typedef struct filter {
    int kind;
    int action;
    rm_wchar *key;          /* FILE: canonical path; SERVICE: upper-cased name */
    size_t key_length;
    rm_wchar *display;      /* NUL-terminated, written by serialisation */
    size_t display_length;
    uint32_t pid;
    uint64_t start;
} filter;

struct rm_filter_list {
    filter *items;
    size_t count, capacity;
};

#define RECORD_HEAD_BYTES 12u /* FilterAction, FilterTrigger, cbNextOffset */
#define PROCESS_BYTES 12u     /* RM_UNIQUE_PROCESS */

static int valid_pointer_size(size_t pointer_size)
{
    return pointer_size == 4 || pointer_size == 8;
}

static size_t align_up(size_t value, size_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

size_t rm_filter_union_offset(size_t pointer_size)
{
    return valid_pointer_size(pointer_size) ? align_up(RECORD_HEAD_BYTES, pointer_size) : 0;
}

size_t rm_filter_record_size(size_t pointer_size)
{
    if (!valid_pointer_size(pointer_size))
        return 0;
    size_t union_bytes = align_up(PROCESS_BYTES > pointer_size ? PROCESS_BYTES : pointer_size,
                                  pointer_size);
    return rm_filter_union_offset(pointer_size) + union_bytes;
}

static int has_text(int kind)
{
    return kind == RM_FILTER_FILE || kind == RM_FILTER_SERVICE;
}

static int valid_trigger(const rm_filter_trigger *trigger)
{
    if (!trigger)
        return 0;
    if (trigger->kind == RM_FILTER_PROCESS)
        return 1;
    return has_text(trigger->kind) && trigger->text && trigger->length > 0 &&
           trigger->length <= RM_FILTER_MAX_TEXT;
}

static rm_wchar key_unit(int kind, rm_wchar unit)
{
    return kind == RM_FILTER_SERVICE ? rm_char_upcase(unit) : unit;
}

static int matches(const filter *item, const rm_filter_trigger *trigger)
{
    if (item->kind != trigger->kind)
        return 0;
    if (item->kind == RM_FILTER_PROCESS)
        return item->pid == trigger->pid && item->start == trigger->start;
    if (item->key_length != trigger->length)
        return 0;
    for (size_t i = 0; i < trigger->length; i++)
        if (item->key[i] != key_unit(trigger->kind, trigger->text[i]))
            return 0;
    return 1;
}

static filter *find(const rm_filter_list *list, const rm_filter_trigger *trigger)
{
    for (size_t i = 0; i < list->count; i++)
        if (matches(&list->items[i], trigger))
            return &list->items[i];
    return NULL;
}

rm_filter_list *rm_filter_list_create(void)
{
    return calloc(1, sizeof(rm_filter_list));
}

static void filter_free(filter *item)
{
    free(item->key);
    free(item->display);
}

void rm_filter_list_destroy(rm_filter_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        filter_free(&list->items[i]);
    free(list->items);
    free(list);
}

static rm_wchar *copy_text(const rm_wchar *text, size_t length, int kind)
{
    rm_wchar *copy = malloc((length + 1) * sizeof(*copy));
    if (!copy)
        return NULL;
    for (size_t i = 0; i < length; i++)
        copy[i] = kind ? key_unit(kind, text[i]) : text[i];
    copy[length] = 0;
    return copy;
}

static int reserve_one(rm_filter_list *list)
{
    if (list->count < list->capacity)
        return 1;
    size_t capacity = list->capacity ? list->capacity * 2 : 8;
    filter *items = realloc(list->items, capacity * sizeof(*items));
    if (!items)
        return 0;
    list->items = items;
    list->capacity = capacity;
    return 1;
}

static int fill_new(filter *item, const rm_filter_trigger *trigger, const rm_wchar *display,
                    size_t display_length, int action)
{
    memset(item, 0, sizeof(*item));
    item->kind = trigger->kind;
    item->action = action;
    item->pid = trigger->pid;
    item->start = trigger->start;
    if (!has_text(trigger->kind))
        return 1;
    if (!display || display_length == 0) {
        display = trigger->text;
        display_length = trigger->length;
    }
    item->key = copy_text(trigger->text, trigger->length, trigger->kind);
    item->key_length = trigger->length;
    item->display = copy_text(display, display_length, 0);
    item->display_length = display_length;
    if (!item->key || !item->display) {
        filter_free(item);
        return 0;
    }
    return 1;
}

int rm_filter_list_set(rm_filter_list *list, const rm_filter_trigger *trigger,
                       const rm_wchar *display, size_t display_length, int action)
{
    if (!list || !valid_trigger(trigger) || display_length > RM_FILTER_MAX_TEXT ||
        (action != RM_FILTER_NO_RESTART && action != RM_FILTER_NO_SHUTDOWN))
        return RM_FILTER_INVALID;
    filter *existing = find(list, trigger);
    if (existing) {
        existing->action = action;
        return RM_FILTER_UPDATED;
    }
    if (!reserve_one(list) ||
        !fill_new(&list->items[list->count], trigger, display, display_length, action))
        return RM_FILTER_NO_MEMORY;
    list->count++;
    return RM_FILTER_ADDED;
}

int rm_filter_list_remove(rm_filter_list *list, const rm_filter_trigger *trigger)
{
    if (!list || !valid_trigger(trigger))
        return 0;
    filter *item = find(list, trigger);
    if (!item)
        return 0;
    size_t at = (size_t)(item - list->items);
    filter_free(item);
    memmove(&list->items[at], &list->items[at + 1], (list->count - at - 1) * sizeof(*item));
    list->count--;
    return 1;
}

int rm_filter_list_action(const rm_filter_list *list, const rm_filter_trigger *trigger)
{
    if (!list || !valid_trigger(trigger))
        return 0;
    const filter *item = find(list, trigger);
    return item ? item->action : 0;
}

size_t rm_filter_list_count(const rm_filter_list *list)
{
    return list ? list->count : 0;
}

/* Bytes of one record with its string and padding. */
static size_t chunk_size(const filter *item, size_t pointer_size)
{
    size_t bytes = rm_filter_record_size(pointer_size);
    if (has_text(item->kind))
        bytes += (item->display_length + 1) * sizeof(rm_wchar);
    return align_up(bytes, pointer_size);
}

size_t rm_filter_list_serialized_size(const rm_filter_list *list, size_t pointer_size)
{
    size_t total = 0;
    if (!list || !valid_pointer_size(pointer_size))
        return 0;
    for (size_t i = 0; i < list->count; i++)
        total += chunk_size(&list->items[i], pointer_size);
    return total;
}

static void put_u32(uint8_t *at, uint32_t value)
{
    for (int i = 0; i < 4; i++)
        at[i] = (uint8_t)(value >> (8 * i));
}

static void put_uint(uint8_t *at, uint64_t value, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++)
        at[i] = (uint8_t)(value >> (8 * i));
}

/* One record at out (chunk bytes, zeroed by the caller) at offset `offset` of the chain. */
static void write_record(const filter *item, size_t pointer_size, uint64_t base_address,
                         size_t offset, uint32_t next, uint8_t *out)
{
    uint8_t *field = out + rm_filter_union_offset(pointer_size);
    put_u32(out, (uint32_t)item->action);
    put_u32(out + 4, (uint32_t)item->kind);
    put_u32(out + 8, next);
    if (item->kind == RM_FILTER_PROCESS) {
        put_u32(field, item->pid);
        put_u32(field + 4, (uint32_t)item->start);
        put_u32(field + 8, (uint32_t)(item->start >> 32));
        return;
    }
    size_t record = rm_filter_record_size(pointer_size);
    put_uint(field, base_address + offset + record, pointer_size);
    uint8_t *text = out + record;
    for (size_t i = 0; i <= item->display_length; i++) {
        text[2 * i] = (uint8_t)(item->display[i] & 0xFF);
        text[2 * i + 1] = (uint8_t)(item->display[i] >> 8);
    }
}

size_t rm_filter_list_serialize(const rm_filter_list *list, size_t pointer_size,
                                uint64_t base_address, uint8_t *out, size_t capacity)
{
    size_t total = rm_filter_list_serialized_size(list, pointer_size);
    if (total == 0 || !out || capacity < total)
        return 0;
    memset(out, 0, total);
    size_t offset = 0;
    for (size_t i = 0; i < list->count; i++) {
        size_t chunk = chunk_size(&list->items[i], pointer_size);
        uint32_t next = i + 1 < list->count ? (uint32_t)chunk : 0;
        write_record(&list->items[i], pointer_size, base_address, offset, next, out + offset);
        offset += chunk;
    }
    return total;
}
