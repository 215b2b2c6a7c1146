// SPDX-License-Identifier: LGPL-2.1-or-later
/* Reading little-endian fields of a serialised RM_FILTER_INFO chain, independently of
 * the core's own writer, for the filter-list unit test and fuzz target. */
#ifndef RM_TEST_LITTLE_ENDIAN_H
#define RM_TEST_LITTLE_ENDIAN_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t get_uint(const uint8_t *at, size_t bytes)
{
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; i++)
        value |= (uint64_t)at[i] << (8 * i);
    return value;
}

static inline uint32_t get_u32(const uint8_t *at)
{
    return (uint32_t)get_uint(at, 4);
}

#endif
