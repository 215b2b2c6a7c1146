/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wow64_path.h"

/* Length of the components of text[0..length) that equal the ASCII path `ascii`
 * (upper case, '\' separated), when they end at length or at a '\'; 0 otherwise. */
static size_t leading_components(const rm_wchar *text, size_t length, const char *ascii)
{
    size_t n = 0;
    for (; ascii[n]; n++)
        if (n >= length || text[n] != (rm_wchar)(unsigned char)ascii[n])
            return 0;
    return (n == length || text[n] == '\\') ? n : 0;
}

/* Subdirectories of System32 the redirector leaves alone (the page's list, Windows 7
 * and later: DriverStore was redirected before). */
static int exempt_from_redirection(const rm_wchar *below_system32, size_t length)
{
    static const char *const exempt[] = { "CATROOT", "CATROOT2", "DRIVERSTORE", "DRIVERS\\ETC",
                                          "LOGFILES", "SPOOL" };
    if (length == 0 || below_system32[0] != '\\')
        return 0;
    for (size_t i = 0; i < sizeof(exempt) / sizeof(exempt[0]); i++)
        if (leading_components(below_system32 + 1, length - 1, exempt[i]))
            return 1;
    return 0;
}

/* out = prefix[0..prefix_length) + ascii + tail[0..tail_length), NUL-terminated. */
static size_t assemble(const rm_wchar *prefix, size_t prefix_length, const char *ascii,
                       const rm_wchar *tail, size_t tail_length, rm_wchar *out, size_t out_cap)
{
    size_t ascii_length = 0;
    while (ascii[ascii_length])
        ascii_length++;
    size_t total = prefix_length + ascii_length + tail_length;
    if (total >= out_cap) {
        if (out_cap)
            out[0] = 0;
        return 0;
    }
    size_t w = 0;
    for (size_t i = 0; i < prefix_length; i++)
        out[w++] = prefix[i];
    for (size_t i = 0; i < ascii_length; i++)
        out[w++] = (rm_wchar)(unsigned char)ascii[i];
    for (size_t i = 0; i < tail_length; i++)
        out[w++] = tail[i];
    out[w] = 0;
    return w;
}

size_t rm_wow64_real_path(const rm_wchar *canonical, size_t length, const rm_wchar *windir,
                          size_t windir_length, int redirected, rm_wchar *out, size_t out_cap)
{
    if (length == 0) {
        if (out_cap)
            out[0] = 0;
        return 0;
    }
    /* Everything the rules touch lies under W\ : prefix = "W\", rest after it. */
    if (windir_length == 0 || length <= windir_length + 1 || canonical[windir_length] != '\\' ||
        !rm_wmemeq(canonical, windir, windir_length))
        return assemble(canonical, length, "", NULL, 0, out, out_cap);
    const size_t prefix_length = windir_length + 1;
    const rm_wchar *rest = canonical + prefix_length;
    const size_t rest_length = length - prefix_length;
    size_t n;

    if ((n = leading_components(rest, rest_length, "SYSNATIVE")))
        return assemble(canonical, prefix_length, "SYSTEM32", rest + n, rest_length - n, out,
                        out_cap);
    if (redirected) {
        if ((n = leading_components(rest, rest_length, "SYSTEM32")) &&
            !exempt_from_redirection(rest + n, rest_length - n))
            return assemble(canonical, prefix_length, "SYSWOW64", rest + n, rest_length - n, out,
                            out_cap);
        if ((n = leading_components(rest, rest_length, "LASTGOOD\\SYSTEM32")))
            return assemble(canonical, prefix_length, "LASTGOOD\\SYSWOW64", rest + n,
                            rest_length - n, out, out_cap);
        if (leading_components(rest, rest_length, "REGEDIT.EXE") == rest_length)
            return assemble(canonical, prefix_length, "SYSWOW64\\", rest, rest_length, out,
                            out_cap);
    }
    return assemble(canonical, length, "", NULL, 0, out, out_cap);
}
