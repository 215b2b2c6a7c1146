/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the WoW64 part of the core: rm_wow64_real_path() and the checks
 * on the 64-bit half's answer (rm_wow64_answer_apply()).
 *
 * Input layout:
 *   byte 0        bit 0: redirection on; bit 1: fuzz the answer instead of a path
 *   path mode     the rest is a canonical-looking path, UTF-16LE (odd byte ignored),
 *                 rewritten against the Windows directory "C:\WINDOWS"
 *   answer mode   byte 1: number of queries (0..7); then the answer's bytes
 *
 * Invariants checked (abort on violation):
 *   - a path result fits: length < cap, NUL at out[length], never longer than the input by
 *     more than RM_WOW64_PATH_GROWTH; with redirection off the rewrite is idempotent (its
 *     only rule turns W\SYSNATIVE into W\SYSTEM32, which it leaves alone);
 *   - an answer gives -1 or a count of filled queries in [0, count]; -1 fills none; a
 *     filled query had peb 0 before; pids and creation times are never changed.
 * Buffers are heap blocks of the exact size so that ASan sees any access outside them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "wow64_answer.h"
#include "wow64_path.h"

static const rm_wchar windir[] = { 'C', ':', '\\', 'W', 'I', 'N', 'D', 'O', 'W', 'S' };

static void fuzz_path(const uint8_t *data, size_t size, int redirected)
{
    size_t length = size / 2;
    rm_wchar *in = malloc(length ? length * sizeof(rm_wchar) : 1);
    CHECK(in);
    for (size_t i = 0; i < length; i++)
        in[i] = (rm_wchar)(data[2 * i] | data[2 * i + 1] << 8);
    size_t cap = length + RM_WOW64_PATH_GROWTH + 1;
    rm_wchar *out = malloc(cap * sizeof(rm_wchar));
    CHECK(out);
    size_t got = rm_wow64_real_path(in, length, windir, 10, redirected, out, cap);
    CHECK(got < cap);
    CHECK(length == 0 || got > 0);
    CHECK(got <= length + RM_WOW64_PATH_GROWTH);
    CHECK(out[got] == 0 || got == 0);
    if (!redirected && got) {
        rm_wchar *again = malloc((got + 1) * sizeof(rm_wchar));
        CHECK(again);
        rm_wchar *exact = malloc(got * sizeof(rm_wchar));
        CHECK(exact);
        memcpy(exact, out, got * sizeof(rm_wchar));
        size_t twice = rm_wow64_real_path(exact, got, windir, 10, 0, again, got + 1);
        CHECK(twice == got && memcmp(again, out, got * sizeof(rm_wchar)) == 0);
        free(exact);
        free(again);
    }
    free(out);
    free(in);
}

static void fuzz_answer(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    size_t count = data[0] % 8;
    rm_wow64_query queries[8], before[8];
    for (size_t i = 0; i < count; i++) {
        queries[i].pid = (uint32_t)(100 + i);
        queries[i].create_time = 1000 + i;
        queries[i].peb = 0;
    }
    memcpy(before, queries, sizeof(queries));
    uint8_t *bytes = malloc(size - 1 ? size - 1 : 1);
    CHECK(bytes);
    memcpy(bytes, data + 1, size - 1);
    int filled = rm_wow64_answer_apply(size - 1 ? bytes : NULL, size - 1, queries, count);
    CHECK(filled >= -1 && filled <= (int)count);
    int seen = 0;
    for (size_t i = 0; i < count; i++) {
        CHECK(queries[i].pid == before[i].pid && queries[i].create_time == before[i].create_time);
        seen += queries[i].peb != 0;
    }
    CHECK(filled == -1 ? seen == 0 : seen == filled);
    free(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 2)
        fuzz_answer(data + 1, size - 1);
    else
        fuzz_path(data + 1, size - 1, data[0] & 1);
    return 0;
}
