// SPDX-License-Identifier: LGPL-2.1-or-later
/* The primary's private view of everything registered in its session: a de-duplicated
 * set of canonical file paths, processes and services, built incrementally from the
 * shared resource store and used for matching (one hash lookup per candidate path). */
#ifndef RM_CORE_RESOURCE_INDEX_H
#define RM_CORE_RESOURCE_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "rm_wchar.h"
#include "resource_store.h"

typedef struct rm_resource_index rm_resource_index;

typedef struct rm_indexed_file {
    const rm_wchar *path;  /* canonical, NUL-terminated */
    uint32_t length;
    uint32_t hash;
    int is_directory;
} rm_indexed_file;

rm_resource_index *rm_index_create(void);
void rm_index_destroy(rm_resource_index *index);

/* Each returns 1 if added, 0 if already present, -1 when out of memory. */
int rm_index_add_file(rm_resource_index *index, const rm_wchar *path, size_t length,
                      int is_directory);
int rm_index_add_process(rm_resource_index *index, uint32_t pid, uint64_t start);
int rm_index_add_service(rm_resource_index *index, const rm_wchar *name, size_t length);

/* The file entry for a canonical path, or NULL. */
const rm_indexed_file *rm_index_find_file(const rm_resource_index *index,
                                          const rm_wchar *path, size_t length);
int rm_index_has_process(const rm_resource_index *index, uint32_t pid, uint64_t start);
/* Service lookups ignore case (names are stored upper-cased). */
int rm_index_has_service(const rm_resource_index *index, const rm_wchar *name, size_t length);

size_t rm_index_file_count(const rm_resource_index *index);
size_t rm_index_directory_count(const rm_resource_index *index);
size_t rm_index_process_count(const rm_resource_index *index);
size_t rm_index_service_count(const rm_resource_index *index);
const rm_indexed_file *rm_index_file_at(const rm_resource_index *index, size_t i);
void rm_index_process_at(const rm_resource_index *index, size_t i, uint32_t *pid,
                         uint64_t *start);
const rm_wchar *rm_index_service_at(const rm_resource_index *index, size_t i,
                                    size_t *length);

typedef enum rm_ingest_result {
    RM_INGEST_OK = 0,
    RM_INGEST_CORRUPT = -1,
    RM_INGEST_NO_MEMORY = -2
} rm_ingest_result;

/* Adds the store's records from *cursor up to limit (a `used` mark), advancing *cursor. */
rm_ingest_result rm_index_ingest(rm_resource_index *index, const void *store, size_t mapped,
                                 uint32_t limit, uint32_t *cursor);

#endif
