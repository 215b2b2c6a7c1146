// SPDX-License-Identifier: LGPL-2.1-or-later
#include "resource_index.h"

#include <stdlib.h>
#include <string.h>
#include "path_norm.h"

/* An open-addressing set of strings; slots hold index+1 into `items` (0 = empty). */
typedef struct string_set {
    rm_indexed_file *items;
    size_t count, capacity;
    uint32_t *slots;
    size_t slot_count; /* power of two, kept at least twice count */
} string_set;

typedef struct process_entry {
    uint32_t pid;
    uint64_t start;
} process_entry;

struct rm_resource_index {
    string_set files;
    string_set services;
    process_entry *processes;
    size_t process_count, process_capacity;
    size_t directory_count;
};

static void set_free(string_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        free((void *)set->items[i].path);
    free(set->items);
    free(set->slots);
}

static size_t probe_start(const string_set *set, uint32_t hash)
{
    return hash & (set->slot_count - 1);
}

static size_t probe_next(const string_set *set, size_t at)
{
    return (at + 1) & (set->slot_count - 1);
}

/* The first empty slot on hash's probe sequence; there is one, slot_count being at least
 * twice count. */
static size_t empty_slot(const string_set *set, uint32_t hash)
{
    size_t at = probe_start(set, hash);
    while (set->slots[at])
        at = probe_next(set, at);
    return at;
}

/* array itself if it has room for element count + 1, else array reallocated to twice its
 * capacity (initial if it has none) and *capacity updated; NULL, array untouched, when out
 * of memory. One growth policy for every list the index keeps. */
static void *room_for_one_more(void *array, size_t count, size_t *capacity, size_t element_size,
                               size_t initial)
{
    if (count < *capacity)
        return array;
    size_t grown_capacity = *capacity ? *capacity * 2 : initial;
    void *grown = realloc(array, grown_capacity * element_size);
    if (grown)
        *capacity = grown_capacity;
    return grown;
}

static int set_grow(string_set *set)
{
    size_t new_count = set->slot_count ? set->slot_count * 2 : 64;
    uint32_t *slots = calloc(new_count, sizeof(*slots));
    if (!slots)
        return 0;
    free(set->slots);
    set->slots = slots;
    set->slot_count = new_count;
    for (size_t i = 0; i < set->count; i++)
        slots[empty_slot(set, set->items[i].hash)] = (uint32_t)(i + 1);
    return 1;
}

static const rm_indexed_file *set_find(const string_set *set, const rm_wchar *text,
                                       size_t length, uint32_t hash)
{
    if (!set->slot_count)
        return NULL;
    for (size_t at = probe_start(set, hash); set->slots[at]; at = probe_next(set, at)) {
        const rm_indexed_file *item = &set->items[set->slots[at] - 1];
        if (item->hash == hash && item->length == length &&
            memcmp(item->path, text, length * sizeof(rm_wchar)) == 0)
            return item;
    }
    return NULL;
}

static int set_add(string_set *set, const rm_wchar *text, size_t length, int is_directory)
{
    uint32_t hash = rm_path_hash(text, length);
    if (set_find(set, text, length, hash))
        return 0;
    if ((set->count + 1) * 2 > set->slot_count && !set_grow(set))
        return -1;
    rm_indexed_file *items = room_for_one_more(set->items, set->count, &set->capacity,
                                               sizeof(*items), 64);
    if (!items)
        return -1;
    set->items = items;
    rm_wchar *copy = malloc((length + 1) * sizeof(rm_wchar));
    if (!copy)
        return -1;
    memcpy(copy, text, length * sizeof(rm_wchar));
    copy[length] = 0;
    rm_indexed_file *item = &set->items[set->count];
    item->path = copy;
    item->length = (uint32_t)length;
    item->hash = hash;
    item->is_directory = is_directory;
    size_t at = empty_slot(set, hash);
    set->slots[at] = (uint32_t)(++set->count);
    return 1;
}

rm_resource_index *rm_index_create(void)
{
    return calloc(1, sizeof(rm_resource_index));
}

void rm_index_destroy(rm_resource_index *index)
{
    if (!index)
        return;
    set_free(&index->files);
    set_free(&index->services);
    free(index->processes);
    free(index);
}

int rm_index_add_file(rm_resource_index *index, const rm_wchar *path, size_t length,
                      int is_directory)
{
    int added = set_add(&index->files, path, length, is_directory);
    if (added == 1 && is_directory)
        index->directory_count++;
    return added;
}

int rm_index_add_process(rm_resource_index *index, uint32_t pid, uint64_t start)
{
    if (rm_index_has_process(index, pid, start))
        return 0;
    process_entry *entries = room_for_one_more(index->processes, index->process_count,
                                               &index->process_capacity, sizeof(*entries), 16);
    if (!entries)
        return -1;
    index->processes = entries;
    index->processes[index->process_count].pid = pid;
    index->processes[index->process_count].start = start;
    index->process_count++;
    return 1;
}

static size_t upcase_copy(const rm_wchar *name, size_t length, rm_wchar *out, size_t cap)
{
    if (length > cap)
        return 0;
    for (size_t i = 0; i < length; i++)
        out[i] = rm_char_upcase(name[i]);
    return length;
}

#define SERVICE_NAME_MAX 256

int rm_index_add_service(rm_resource_index *index, const rm_wchar *name, size_t length)
{
    rm_wchar upper[SERVICE_NAME_MAX];
    if (length == 0 || !upcase_copy(name, length, upper, SERVICE_NAME_MAX))
        return 0; /* no service has such a name: nothing to match */
    return set_add(&index->services, upper, length, 0);
}

const rm_indexed_file *rm_index_find_file(const rm_resource_index *index,
                                          const rm_wchar *path, size_t length)
{
    return set_find(&index->files, path, length, rm_path_hash(path, length));
}

int rm_index_has_process(const rm_resource_index *index, uint32_t pid, uint64_t start)
{
    for (size_t i = 0; i < index->process_count; i++)
        if (index->processes[i].pid == pid && index->processes[i].start == start)
            return 1;
    return 0;
}

int rm_index_has_service(const rm_resource_index *index, const rm_wchar *name, size_t length)
{
    rm_wchar upper[SERVICE_NAME_MAX];
    if (length == 0 || !upcase_copy(name, length, upper, SERVICE_NAME_MAX))
        return 0;
    return set_find(&index->services, upper, length, rm_path_hash(upper, length)) != NULL;
}

size_t rm_index_file_count(const rm_resource_index *index) { return index->files.count; }
size_t rm_index_directory_count(const rm_resource_index *index) { return index->directory_count; }
size_t rm_index_process_count(const rm_resource_index *index) { return index->process_count; }
size_t rm_index_service_count(const rm_resource_index *index) { return index->services.count; }

const rm_indexed_file *rm_index_file_at(const rm_resource_index *index, size_t i)
{
    return i < index->files.count ? &index->files.items[i] : NULL;
}

void rm_index_process_at(const rm_resource_index *index, size_t i, uint32_t *pid,
                         uint64_t *start)
{
    *pid = index->processes[i].pid;
    *start = index->processes[i].start;
}

const rm_wchar *rm_index_service_at(const rm_resource_index *index, size_t i, size_t *length)
{
    *length = index->services.items[i].length;
    return index->services.items[i].path;
}

rm_ingest_result rm_index_ingest(rm_resource_index *index, const void *store, size_t mapped,
                                 uint32_t limit, uint32_t *cursor)
{
    rm_record record;
    int status;
    /* Payloads are copied before use: the section may change under us. */
    rm_wchar *text = malloc(RM_RECORD_MAX_PAYLOAD + sizeof(rm_wchar));
    if (!text)
        return RM_INGEST_NO_MEMORY;
    rm_ingest_result result = RM_INGEST_OK;
    uint32_t record_start = *cursor;
    while ((status = rm_store_next(store, mapped, limit, cursor, &record)) == 1) {
        int added;
        memcpy(text, record.payload, record.size);
        size_t units = record.size / sizeof(rm_wchar);
        switch (record.kind) {
        case RM_RECORD_FILE:
        case RM_RECORD_DIRECTORY:
            added = rm_index_add_file(index, text, units, record.kind == RM_RECORD_DIRECTORY);
            break;
        case RM_RECORD_SERVICE:
            added = rm_index_add_service(index, text, units);
            break;
        case RM_RECORD_PROCESS: {
            rm_process_record process;
            memcpy(&process, text, sizeof(process));
            added = rm_index_add_process(index, process.pid,
                                         ((uint64_t)process.start_high << 32) | process.start_low);
            break;
        }
        default:
            added = 0;
        }
        if (added < 0) {
            /* Not indexed: the next ingest reads this record again (found by issue 15's
             * test_oom: the record was skipped for good). */
            *cursor = record_start;
            result = RM_INGEST_NO_MEMORY;
            break;
        }
        record_start = *cursor;
    }
    if (status < 0)
        result = RM_INGEST_CORRUPT;
    free(text);
    return result;
}
