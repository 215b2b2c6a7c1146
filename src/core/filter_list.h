// SPDX-License-Identifier: LGPL-2.1-or-later
/* The filters of one session (RmAddFilter, RmRemoveFilter, RmGetFilterList): which
 * application, process or service RmShutdown must not shut down (RmNoShutdown) or
 * RmRestart must not restart (RmNoRestart).
 *
 * A filter is identified by its trigger:
 *   RM_FILTER_FILE     an executable, by its canonical path (see path_norm.h); compared
 *                      unit by unit (the canonical form is already upper-cased);
 *   RM_FILTER_PROCESS  a process, by pid and exact start time (a FILETIME as one value);
 *   RM_FILTER_SERVICE  a service, by short name, compared ignoring case.
 * Setting a filter for a trigger that already has one updates its action.
 *
 * Serialisation writes the RM_FILTER_INFO chain RmGetFilterList returns, for either
 * pointer size (4: the 24-byte x86 record, 8: the 32-byte x64 record):
 *   +0 FilterAction (u32)  +4 FilterTrigger (u32)  +8 cbNextOffset (u32)
 *   +align(12, pointer) union: the string's address (pointer-size) or the process
 *                       { pid u32, start low u32, start high u32 }
 * Each record is followed by its string (UTF-16LE, NUL-terminated) and padding to the
 * pointer size; cbNextOffset is the distance to the next record, 0 on the last. String
 * addresses are base_address + their offset: the adapter passes the buffer's address.
 * Everything is written little-endian, whatever the host. Plain C11, no Windows. */
#ifndef RM_CORE_FILTER_LIST_H
#define RM_CORE_FILTER_LIST_H

#include <stddef.h>
#include <stdint.h>
#include "rm_wchar.h"

/* Values of RM_FILTER_TRIGGER and RM_FILTER_ACTION. */
enum { RM_FILTER_FILE = 1, RM_FILTER_PROCESS = 2, RM_FILTER_SERVICE = 3 };
enum { RM_FILTER_NO_RESTART = 1, RM_FILTER_NO_SHUTDOWN = 2 };

/* Longest text a trigger or its display string may have, in units. */
#define RM_FILTER_MAX_TEXT 32767u

typedef struct rm_filter_trigger {
    int kind;               /* RM_FILTER_FILE, _PROCESS or _SERVICE */
    const rm_wchar *text;   /* FILE: canonical path; SERVICE: short name */
    size_t length;          /* units of text, no NUL needed */
    uint32_t pid;           /* PROCESS */
    uint64_t start;         /* PROCESS */
} rm_filter_trigger;

typedef struct rm_filter_list rm_filter_list;

enum {
    RM_FILTER_UPDATED = 0,
    RM_FILTER_ADDED = 1,
    RM_FILTER_INVALID = -1,   /* bad kind, action, missing or too long text */
    RM_FILTER_NO_MEMORY = -2,
};

rm_filter_list *rm_filter_list_create(void);
void rm_filter_list_destroy(rm_filter_list *list);

/* Adds a filter or updates the action of the existing one. display (may be NULL: the
 * trigger's text) is what serialisation writes for FILE and SERVICE triggers, e.g. the
 * path as the caller spelled it; an update keeps the first display string. */
int rm_filter_list_set(rm_filter_list *list, const rm_filter_trigger *trigger,
                       const rm_wchar *display, size_t display_length, int action);

/* 1 if a filter was removed, 0 if the trigger had none. */
int rm_filter_list_remove(rm_filter_list *list, const rm_filter_trigger *trigger);

/* The action of the trigger's filter, 0 if it has none. */
int rm_filter_list_action(const rm_filter_list *list, const rm_filter_trigger *trigger);

size_t rm_filter_list_count(const rm_filter_list *list);

/* Bytes the chain takes for pointer_size 4 or 8; 0 for an empty list or an invalid
 * pointer size. */
size_t rm_filter_list_serialized_size(const rm_filter_list *list, size_t pointer_size);

/* Writes the chain into out[0..capacity) and returns its size, or 0 (out untouched) if it
 * does not fit, the list is empty or pointer_size is invalid. */
size_t rm_filter_list_serialize(const rm_filter_list *list, size_t pointer_size,
                                uint64_t base_address, uint8_t *out, size_t capacity);

/* Size of one record and offset of its union, for pointer_size 4 or 8 (0 otherwise). */
size_t rm_filter_record_size(size_t pointer_size);
size_t rm_filter_union_offset(size_t pointer_size);

#endif
