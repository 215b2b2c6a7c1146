// SPDX-License-Identifier: LGPL-2.1-or-later
/* Canonical form of file paths: see path_norm.h for the rules.
 *
 * How it works: the root (drive, UNC server and share, device or object name) is parsed
 * from the left; it is described as up to four "pieces" (ASCII literals or input ranges).
 * The components after the root are then scanned right to left, which resolves "." and
 * ".." in one pass without a stack: a ".." adds one to a skip count, an ordinary component
 * is dropped while the count is positive and kept otherwise, and the ".." left over at the
 * root are ignored.  Kept components are marked in a bitmap indexed by their start
 * position.  A cursor then produces the canonical string unit by unit from the pieces and
 * the marked components; it is used to match the device map and to write the result, so
 * the exact final length is known before anything is written. */
#include "path_norm.h"

#include <string.h>

typedef struct piece {
    const char *lit; /* ASCII literal of length e, or NULL: input range [s, e), upper-cased */
    size_t s, e;
} piece;

enum root_kind { ROOT_DRIVE, ROOT_UNC, ROOT_DEVICE, ROOT_OBJECT };

typedef struct canon {
    const rm_wchar *in;
    size_t len;
    enum root_kind kind;
    piece root[4];
    size_t nroot;
    size_t comp_from;     /* the components are in in[comp_from..len) */
    const uint8_t *kept;  /* bitmap over input positions: a kept component starts here */
} canon;

typedef struct cursor {
    const canon *c;
    size_t piece, off; /* position in the root pieces */
    size_t pos;        /* scan position for the next component */
    size_t cs, ce;     /* rest of the component being emitted */
    int in_comp, any_comp, tail_done;
} cursor;

typedef struct comp {
    size_t s, e, se; /* raw range [s, e); stripped of trailing dots and spaces: [s, se) */
} comp;

static int is_sep(rm_wchar c)
{
    return c == '\\' || c == '/';
}

static int is_ascii_alpha(rm_wchar c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int bit_get(const uint8_t *bits, size_t i)
{
    return (bits[i >> 3] >> (i & 7)) & 1;
}

static void bit_set(uint8_t *bits, size_t i)
{
    bits[i >> 3] = (uint8_t)(bits[i >> 3] | (1u << (i & 7)));
}

rm_wchar rm_char_upcase(rm_wchar c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') ? (rm_wchar)(c - 0x20) : c;
    if (c < 0x100) { /* Latin-1 Supplement; U+00B5, U+00DF and U+00F7 have no round-trip */
        if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
            return (rm_wchar)(c - 0x20);
        if (c == 0xFF)
            return 0x0178;
        return c;
    }
    if (c < 0x180) { /* Latin Extended-A; U+0131 and U+017F have no round-trip */
        if (c <= 0x012F || (c >= 0x0132 && c <= 0x0137) || (c >= 0x014A && c <= 0x0177))
            return (c & 1) ? (rm_wchar)(c - 1) : c;
        if ((c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017E))
            return (c & 1) ? c : (rm_wchar)(c - 1);
        return c;
    }
    if (c >= 0x0370 && c <= 0x03FF) { /* Greek and Coptic; U+03C2 (final sigma) unchanged */
        if (c == 0x0371 || c == 0x0373 || c == 0x0377)
            return (rm_wchar)(c - 1);
        if (c >= 0x037B && c <= 0x037D)
            return (rm_wchar)(c + 0x82);
        if (c == 0x03AC)
            return 0x0386;
        if (c >= 0x03AD && c <= 0x03AF)
            return (rm_wchar)(c - 0x25);
        if ((c >= 0x03B1 && c <= 0x03C1) || (c >= 0x03C3 && c <= 0x03CB))
            return (rm_wchar)(c - 0x20);
        if (c == 0x03CC)
            return 0x038C;
        if (c == 0x03CD || c == 0x03CE)
            return (rm_wchar)(c - 0x3F);
        if (c == 0x03D7)
            return 0x03CF;
        if (c >= 0x03D8 && c <= 0x03EF)
            return (c & 1) ? (rm_wchar)(c - 1) : c;
        if (c == 0x03F2)
            return 0x03F9;
        if (c == 0x03F3)
            return 0x037F;
        if (c == 0x03F8 || c == 0x03FB)
            return (rm_wchar)(c - 1);
        return c;
    }
    if (c >= 0x0400 && c <= 0x04FF) { /* Cyrillic */
        if (c >= 0x0430 && c <= 0x044F)
            return (rm_wchar)(c - 0x20);
        if (c >= 0x0450 && c <= 0x045F)
            return (rm_wchar)(c - 0x50);
        if ((c >= 0x0460 && c <= 0x0481) || (c >= 0x048A && c <= 0x04BF) || c >= 0x04D0)
            return (c & 1) ? (rm_wchar)(c - 1) : c;
        if (c >= 0x04C1 && c <= 0x04CE)
            return (c & 1) ? c : (rm_wchar)(c - 1);
        if (c == 0x04CF)
            return 0x04C0;
        return c;
    }
    return c;
}

uint32_t rm_path_hash(const rm_wchar *canonical, size_t len)
{
    uint32_t h = 2166136261u;
    if (!canonical)
        return h;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint32_t)(canonical[i] & 0xFF);
        h *= 16777619u;
        h ^= (uint32_t)(canonical[i] >> 8);
        h *= 16777619u;
    }
    return h;
}

size_t rm_path_file_name_offset(const rm_wchar *canonical, size_t len)
{
    if (!canonical)
        return 0;
    for (size_t i = len; i > 0; i--)
        if (canonical[i - 1] == '\\')
            return i;
    return 0;
}

/* name[0..len) starts with the ASCII upper-case device path device, followed by its end
 * or a separator. */
static int names_under_device(const rm_wchar *name, size_t len, const char *device)
{
    size_t i = 0;
    for (; device[i]; i++)
        if (i >= len || rm_char_upcase(name[i]) != (rm_wchar)(unsigned char)device[i])
            return 0;
    return i == len || name[i] == '\\';
}

int rm_path_names_pipe_or_mailslot(const rm_wchar *name, size_t len)
{
    if (!name)
        return 0;
    return names_under_device(name, len, "\\DEVICE\\NAMEDPIPE") ||
           names_under_device(name, len, "\\DEVICE\\MAILSLOT");
}

/* ---- parsing ---------------------------------------------------------------------- */

static size_t strip_trailing(const rm_wchar *in, size_t s, size_t e)
{
    while (e > s && (in[e - 1] == '.' || in[e - 1] == ' '))
        e--;
    return e;
}

/* Reads the component after *pos (skipping separators); 0 if there is none. */
static int next_comp(const rm_wchar *in, size_t len, size_t *pos, comp *c)
{
    size_t i = *pos;
    while (i < len && is_sep(in[i]))
        i++;
    if (i >= len) {
        *pos = len;
        return 0;
    }
    c->s = i;
    while (i < len && !is_sep(in[i]))
        i++;
    c->e = i;
    c->se = strip_trailing(in, c->s, c->e);
    *pos = i;
    return 1;
}

/* next_comp for a component a root needs: one that is not empty once stripped. */
static int next_named_comp(const rm_wchar *in, size_t len, size_t *pos, comp *c)
{
    return next_comp(in, len, pos, c) && c->se != c->s;
}

/* The stripped component equals the upper-case ASCII keyword kw, ignoring case. */
static int comp_is(const rm_wchar *in, const comp *c, const char *kw)
{
    size_t n = strlen(kw);
    if (c->se - c->s != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (rm_char_upcase(in[c->s + i]) != (rm_wchar)(unsigned char)kw[i])
            return 0;
    return 1;
}

static int comp_is_drive(const rm_wchar *in, const comp *c)
{
    return c->se - c->s == 2 && is_ascii_alpha(in[c->s]) && in[c->s + 1] == ':';
}

static void add_lit(canon *c, const char *lit)
{
    c->root[c->nroot].lit = lit;
    c->root[c->nroot].s = 0;
    c->root[c->nroot].e = strlen(lit);
    c->nroot++;
}

static void add_range(canon *c, size_t s, size_t e)
{
    c->root[c->nroot].lit = NULL;
    c->root[c->nroot].s = s;
    c->root[c->nroot].e = e;
    c->nroot++;
}

static int set_drive(canon *c, size_t letter_pos, size_t comp_from)
{
    c->kind = ROOT_DRIVE;
    add_range(c, letter_pos, letter_pos + 1);
    add_lit(c, ":");
    c->comp_from = comp_from;
    return 1;
}

/* A root that is prefix then one name, e.g. "\??\NAME"; its components start at
 * comp_from. */
static int set_named_root(canon *c, enum root_kind kind, const char *prefix, const comp *name,
                          size_t comp_from)
{
    c->kind = kind;
    add_lit(c, prefix);
    add_range(c, name->s, name->se);
    c->comp_from = comp_from;
    return 1;
}

/* Server and share from *pos on: the root "\\SERVER\SHARE". */
static int parse_unc(canon *c, size_t pos)
{
    comp server, share;
    if (!next_named_comp(c->in, c->len, &pos, &server))
        return 0;
    /* "\\?\..." would read back as a prefix, not as a server. */
    if (comp_is(c->in, &server, "?"))
        return 0;
    if (!next_named_comp(c->in, c->len, &pos, &share))
        return 0;
    c->kind = ROOT_UNC;
    add_lit(c, "\\\\");
    add_range(c, server.s, server.se);
    add_lit(c, "\\");
    add_range(c, share.s, share.se);
    c->comp_from = pos;
    return 1;
}

/* After \\?\, \??\, \\.\, \DosDevices\ or \GLOBAL??\: a drive, UNC\ or another object. */
static int parse_after_prefix(canon *c, size_t pos)
{
    comp name;
    if (!next_named_comp(c->in, c->len, &pos, &name))
        return 0;
    if (comp_is_drive(c->in, &name))
        return set_drive(c, name.s, pos);
    if (comp_is(c->in, &name, "UNC"))
        return parse_unc(c, pos);
    return set_named_root(c, ROOT_OBJECT, "\\??\\", &name, pos);
}

/* After \Device\: a redirector (UNC) or a device, kept as "\DEVICE\NAME". */
static int parse_device(canon *c, size_t pos)
{
    comp name;
    if (!next_named_comp(c->in, c->len, &pos, &name))
        return 0;
    if (comp_is(c->in, &name, "MUP") || comp_is(c->in, &name, "LANMANREDIRECTOR")) {
        comp x;
        for (;;) { /* skip ";LanmanRedirector", ";Z:0000000000012345" */
            size_t before = pos;
            if (!next_comp(c->in, c->len, &pos, &x))
                return 0;
            if (c->in[x.s] != ';')
                return parse_unc(c, before);
        }
    }
    return set_named_root(c, ROOT_DEVICE, "\\DEVICE\\", &name, pos);
}

static int parse_root(canon *c)
{
    const rm_wchar *in = c->in;
    size_t len = c->len;
    comp x;
    size_t pos;

    if (len >= 2 && is_sep(in[0]) && is_sep(in[1])) {
        pos = 2;
        if (!next_comp(in, len, &pos, &x))
            return 0;
        if ((x.e - x.s == 1 && in[x.s] == '.') || comp_is(in, &x, "?"))
            return parse_after_prefix(c, pos); /* \\.\ or \\?\ */
        return parse_unc(c, 2);
    }
    if (len >= 1 && is_sep(in[0])) {
        pos = 1;
        if (!next_comp(in, len, &pos, &x))
            return 0;
        if (comp_is(in, &x, "??") || comp_is(in, &x, "DOSDEVICES") || comp_is(in, &x, "GLOBAL??"))
            return parse_after_prefix(c, pos);
        if (comp_is(in, &x, "DEVICE"))
            return parse_device(c, pos);
        return 0; /* root-relative or an NT root we do not know */
    }
    if (len >= 3 && is_ascii_alpha(in[0]) && in[1] == ':' && is_sep(in[2]))
        return set_drive(c, 0, 2);
    return 0; /* relative or drive-relative */
}

/* ---- producing the canonical string ---------------------------------------------- */

static void cur_init(cursor *k, const canon *c)
{
    memset(k, 0, sizeof(*k));
    k->c = c;
    k->pos = c->comp_from;
}

static int cur_next(cursor *k, rm_wchar *ch)
{
    const canon *c = k->c;
    while (k->piece < c->nroot) {
        const piece *p = &c->root[k->piece];
        if (p->lit) {
            if (k->off < p->e) {
                *ch = (rm_wchar)(unsigned char)p->lit[k->off++];
                return 1;
            }
        } else if (p->s + k->off < p->e) {
            *ch = rm_char_upcase(c->in[p->s + k->off++]);
            return 1;
        }
        k->piece++;
        k->off = 0;
    }
    if (k->in_comp) {
        if (k->cs < k->ce) {
            *ch = rm_char_upcase(c->in[k->cs++]);
            return 1;
        }
        k->in_comp = 0;
    }
    for (;;) {
        comp x;
        if (!next_comp(c->in, c->len, &k->pos, &x))
            break;
        if (bit_get(c->kept, x.s)) {
            k->cs = x.s;
            k->ce = x.se;
            k->in_comp = 1;
            k->any_comp = 1;
            *ch = '\\';
            return 1;
        }
    }
    if (c->kind == ROOT_DRIVE && !k->any_comp && !k->tail_done) {
        k->tail_done = 1; /* "C:" alone is written "C:\" */
        *ch = '\\';
        return 1;
    }
    return 0;
}

/* Resolves "." and ".." right to left; marks the kept components; returns their length
 * in the output (one separator plus the stripped name each). */
static size_t mark_components(const canon *c, uint8_t *kept)
{
    const rm_wchar *in = c->in;
    size_t from = c->comp_from, i = c->len, skip = 0, total = 0;

    while (i > from) {
        while (i > from && is_sep(in[i - 1]))
            i--;
        if (i == from)
            break;
        size_t e = i;
        while (i > from && !is_sep(in[i - 1]))
            i--;
        size_t s = i;
        if (e - s == 1 && in[s] == '.')
            continue;
        if (e - s == 2 && in[s] == '.' && in[s + 1] == '.') {
            skip++;
            continue;
        }
        size_t se = strip_trailing(in, s, e);
        if (se == s)
            continue;
        if (skip) {
            skip--;
            continue;
        }
        bit_set(kept, s);
        total += 1 + (se - s);
    }
    return total;
}

/* Length of the canonical prefix matched by the entry's device (whole components, at
 * least the root "\DEVICE\NAME"), or 0. */
static size_t match_entry(const canon *c, const rm_device_prefix *e, size_t root_len)
{
    const rm_wchar *d = e->device;
    size_t dl = e->device_len, i = 0, n = 0;
    cursor k;
    rm_wchar ch;

    if (!d || !dl)
        return 0;
    while (dl && is_sep(d[dl - 1]))
        dl--;
    if (!dl)
        return 0;
    cur_init(&k, c);
    while (i < dl) {
        rm_wchar want;
        if (is_sep(d[i])) {
            while (i < dl && is_sep(d[i]))
                i++;
            want = '\\';
        } else {
            want = rm_char_upcase(d[i++]);
        }
        if (!cur_next(&k, &ch) || ch != want)
            return 0;
        n++;
    }
    if (n < root_len)
        return 0;
    if (cur_next(&k, &ch) && ch != '\\')
        return 0;
    return n;
}

size_t rm_path_canonicalize(const rm_wchar *in, size_t in_len, rm_wchar *out, size_t out_cap,
                            const rm_device_map *map)
{
    uint8_t kept[(RM_PATH_MAX_INPUT + 7) / 8];
    canon c;
    cursor k;
    size_t root_len = 0, total, final_len, match_len = 0, w = 0;
    rm_wchar drive = 0, ch;

    if (out && out_cap)
        out[0] = 0;
    if (!in || !out || !out_cap || in_len == 0 || in_len > RM_PATH_MAX_INPUT)
        return 0;
    for (size_t i = 0; i < in_len; i++)
        if (in[i] == 0)
            return 0;

    memset(&c, 0, sizeof(c));
    c.in = in;
    c.len = in_len;
    if (!parse_root(&c))
        return 0;

    memset(kept, 0, (in_len + 7) / 8);
    c.kept = kept;
    for (size_t i = 0; i < c.nroot; i++)
        root_len += c.root[i].e - c.root[i].s;
    total = root_len + mark_components(&c, kept);
    if (c.kind == ROOT_DRIVE && total == root_len)
        total++; /* "C:\" */

    if (c.kind == ROOT_DEVICE && map && map->entries) {
        for (size_t i = 0; i < map->count; i++) {
            const rm_device_prefix *e = &map->entries[i];
            rm_wchar letter = rm_char_upcase(e->drive_letter);
            if (letter < 'A' || letter > 'Z')
                continue;
            size_t n = match_entry(&c, e, root_len);
            if (n > match_len) {
                match_len = n;
                drive = letter;
            }
        }
    }

    if (match_len)
        final_len = match_len == total ? 3 : 2 + (total - match_len);
    else
        final_len = total;
    if (final_len >= out_cap)
        return 0;

    cur_init(&k, &c);
    if (match_len) {
        out[w++] = drive;
        out[w++] = ':';
        for (size_t i = 0; i < match_len; i++)
            cur_next(&k, &ch);
        if (match_len == total)
            out[w++] = '\\';
    }
    while (w < final_len && cur_next(&k, &ch))
        out[w++] = ch;
    out[w] = 0;
    return w;
}
