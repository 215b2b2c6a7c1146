// SPDX-License-Identifier: LGPL-2.1-or-later
#include "guard_pages.h"

#include <string.h>
#include <windows.h>

#define MAX_BLOCKS 32

static void *blocks[MAX_BLOCKS];
static BYTE *no_access_pages[MAX_BLOCKS];
static size_t block_count;

static size_t page_size(void)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwPageSize;
}

/* Reserves and commits pages + 1 pages and revokes all access to the last one. */
static BYTE *alloc_guarded(size_t pages)
{
    size_t page = page_size();
    if (block_count == MAX_BLOCKS)
        return NULL;
    BYTE *base = VirtualAlloc(NULL, (pages + 1) * page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    DWORD old;
    if (!base)
        return NULL;
    if (!VirtualProtect(base + pages * page, page, PAGE_NOACCESS, &old)) {
        VirtualFree(base, 0, MEM_RELEASE);
        return NULL;
    }
    no_access_pages[block_count] = base + pages * page;
    blocks[block_count++] = base;
    return base;
}

void *guard_tail(size_t bytes, unsigned char fill)
{
    size_t page = page_size();
    size_t pages = (bytes + page - 1) / page;
    BYTE *base = alloc_guarded(pages ? pages : 1);
    if (!base)
        return NULL;
    BYTE *tail = base + (pages ? pages : 1) * page - bytes;
    memset(tail, fill, bytes);
    return tail;
}

void *guard_no_access(void)
{
    BYTE *base = alloc_guarded(1);
    return base ? base + page_size() : NULL;
}

void guard_free_all(void)
{
    for (size_t i = 0; i < block_count; i++)
        VirtualFree(blocks[i], 0, MEM_RELEASE);
    block_count = 0;
}

int guard_contains(const void *address)
{
    const BYTE *at = address;
    for (size_t i = 0; i < block_count; i++)
        if (at >= no_access_pages[i] && at < no_access_pages[i] + page_size())
            return 1;
    return 0;
}
