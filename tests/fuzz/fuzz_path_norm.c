// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target for rm_path_canonicalize().
 *
 * Input layout:
 *   byte 0            number of device-map entries (low 2 bits: 0..3)
 *   per entry         1 byte: drive letter ('A' + b % 26, or b itself when b >= 0xF0 so that
 *                     invalid letters are exercised too);
 *                     1 byte: k < 0x80 picks a built-in device string (k % count),
 *                     otherwise (k & 0x1F) raw UTF-16LE units follow
 *   rest              the path, UTF-16LE (an odd last byte is ignored)
 *
 * Invariants checked (abort on violation):
 *   - the result fits: length < out_cap, NUL at out[length], no NUL before it;
 *   - a smaller buffer gives either the same string or 0, and 0 only if it is too small;
 *   - no '/' and no lower-case ASCII; every unit is already upper-case;
 *   - never longer than the input;
 *   - idempotent: canonicalising the result (same map, exact-size buffer) returns it;
 *   - the hash only depends on the string; the file-name offset follows a '\'.
 * Buffers are heap blocks of the exact size so that ASan sees any access outside them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "path_norm.h"

static const char *const builtin_devices[] = {
    "\\Device\\HarddiskVolume1",
    "\\Device\\HarddiskVolume10",
    "\\device\\harddiskvolume2\\",
    "/Device//CdRom0",
    "\\Device\\HarddiskVolume1\\sub",
    "\\Device",
    "\\Device\\Mup",
    "\\DEVICE\\LanmanRedirector\\;Z:0\\srv\\share",
};
#define N_BUILTIN (sizeof(builtin_devices) / sizeof(builtin_devices[0]))

static rm_wchar *dup_units(const rm_wchar *src, size_t n)
{
    rm_wchar *p = malloc(n ? n * sizeof(rm_wchar) : 1);
    CHECK(p != NULL);
    if (n)
        memcpy(p, src, n * sizeof(rm_wchar));
    return p;
}

static size_t canon(const rm_wchar *in, size_t len, size_t cap, const rm_device_map *map,
                    rm_wchar **out)
{
    /* out is an exact-size heap block (NULL for cap 0). */
    *out = cap ? malloc(cap * sizeof(rm_wchar)) : NULL;
    CHECK(cap == 0 || *out != NULL);
    size_t r = rm_path_canonicalize(in, len, *out, cap, map);
    CHECK(r == 0 || r < cap);
    if (cap)
        CHECK((*out)[r] == 0);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rm_device_prefix entries[3];
    rm_wchar *devices[3] = {NULL, NULL, NULL};
    rm_device_map map = {entries, 0};
    size_t pos = 0;

    if (size < 1)
        return 0;
    size_t nent = data[pos++] & 3;
    for (size_t i = 0; i < nent && pos + 2 <= size; i++) {
        uint8_t lb = data[pos++], kind = data[pos++];
        rm_wchar tmp[40];
        size_t n = 0;
        if (kind < 0x80) {
            const char *s = builtin_devices[kind % N_BUILTIN];
            for (; s[n]; n++)
                tmp[n] = (rm_wchar)(unsigned char)s[n];
        } else {
            size_t want = kind & 0x1F;
            while (n < want && pos + 2 <= size) {
                tmp[n++] = (rm_wchar)(data[pos] | (data[pos + 1] << 8));
                pos += 2;
            }
        }
        devices[i] = dup_units(tmp, n);
        entries[i].device = devices[i];
        entries[i].device_len = n;
        entries[i].drive_letter = lb >= 0xF0 ? (rm_wchar)lb : (rm_wchar)('A' + lb % 26);
        map.count = i + 1;
    }

    size_t len = (size - pos) / 2;
    rm_wchar *in = malloc(len ? len * sizeof(rm_wchar) : 1);
    CHECK(in != NULL);
    for (size_t i = 0; i < len; i++)
        in[i] = (rm_wchar)(data[pos + 2 * i] | (data[pos + 2 * i + 1] << 8));
    const rm_device_map *m = (data[0] & 4) ? NULL : &map;

    rm_wchar *full;
    size_t r = canon(in, len, RM_PATH_CANON_CAP, m, &full);

    if (r) {
        CHECK(r <= len);
        for (size_t i = 0; i < r; i++) {
            rm_wchar c = full[i];
            CHECK(c != 0 && c != '/');
            CHECK(!(c >= 'a' && c <= 'z'));
            CHECK(rm_char_upcase(c) == c);
        }
        size_t off = rm_path_file_name_offset(full, r);
        CHECK(off <= r);
        CHECK(off == 0 || full[off - 1] == '\\');

        /* Idempotent, and an exact-size buffer is enough. */
        rm_wchar *again;
        size_t r2 = canon(full, r, r + 1, m, &again);
        CHECK(r2 == r && memcmp(again, full, r * sizeof(rm_wchar)) == 0);
        CHECK(rm_path_hash(again, r2) == rm_path_hash(full, r));
        free(again);
    }

    /* Smaller buffers: same answer if it fits, 0 exactly when it does not. */
    const size_t caps[] = {0, 1, 2, 3, 4, 8, len / 2, len, len + 1, r, r + 1};
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        size_t cap = caps[i];
        rm_wchar *out;
        size_t rc = canon(in, len, cap, m, &out);
        if (r && r < cap)
            CHECK(rc == r && memcmp(out, full, r * sizeof(rm_wchar)) == 0);
        else
            CHECK(rc == 0);
        free(out);
    }

    free(full);
    free(in);
    for (size_t i = 0; i < 3; i++)
        free(devices[i]);
    return 0;
}
