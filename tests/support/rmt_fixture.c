// SPDX-License-Identifier: LGPL-2.1-or-later
/* See rmt_fixture.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rmt_internal.h"

wchar_t rmt_test_dir[RMT_PATH_CCH];

int rmt_setup(void **state)
{
    (void)state;
    return rmt_temp_dir(rmt_test_dir, RMT_PATH_CCH) ? 0 : -1;
}

int rmt_teardown(void **state)
{
    (void)state;
    rmt_kill_all();
    rmt_remove_dir(rmt_test_dir);
    return 0;
}

void rmt_must_spawn(const wchar_t *exe_name, const wchar_t *args, rmt_process *out)
{
    rmt_must_spawn_ex(exe_name, args, 0, out);
}

void rmt_must_spawn_ex(const wchar_t *exe_name, const wchar_t *args, DWORD creation_flags,
                       rmt_process *out)
{
    if (!rmt_spawn_ex(exe_name, args, creation_flags, out))
        fail_msg("could not start %ls %ls", exe_name, args ? args : L"");
}

void rmt_test_path(const wchar_t *name, wchar_t *out)
{
    if (!rmt_path_join(rmt_test_dir, name, out, RMT_PATH_CCH))
        fail_msg("path %ls\\%ls too long", rmt_test_dir, name);
}

void rmt_test_file(const wchar_t *name, wchar_t *out)
{
    if (!rmt_make_file(rmt_test_dir, name, out, RMT_PATH_CCH))
        fail_msg("could not create %ls in %ls", name, rmt_test_dir);
}

void rmt_must_read_log(const wchar_t *path, char *buffer, size_t size)
{
    if (!rmt_read_log(path, buffer, size))
        fail_msg("could not read the log %ls", path);
}
