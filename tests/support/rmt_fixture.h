// SPDX-License-Identifier: LGPL-2.1-or-later
/* A conformance test's fixture, for cmocka: a fresh temporary directory for each test,
 * and every process the test started ended at teardown (a failed assertion skips the
 * test's own cleanup). With it, the steps of a test body that fail the test, saying what
 * they were given, instead of returning FALSE. Included by rm_test_support.h; the
 * functions fail through cmocka, so a program that uses them includes cmocka.h. */
#ifndef RMT_FIXTURE_H
#define RMT_FIXTURE_H

#include <stddef.h>
#include <windows.h>

/* Size of a buffer for a helper's arguments: options and a few paths. */
#define RMT_ARGS_CCH (RMT_PATH_CCH * 4)

/* The running test's temporary directory (made by rmt_setup). */
extern wchar_t rmt_test_dir[];

/* cmocka setup (of a test or a group): rmt_test_dir becomes a fresh temporary directory.
 * 0, or -1 on failure. */
int rmt_setup(void **state);

/* The matching teardown: ends every process the test started or adopted, so that none
 * still holds a file in rmt_test_dir, then removes it (best effort). Returns 0. */
int rmt_teardown(void **state);

/* A cmocka test run with the fixture above. */
#define rmt_fixture_test(test) cmocka_unit_test_setup_teardown(test, rmt_setup, rmt_teardown)

/* rmt_spawn / rmt_spawn_ex, failing the test if the helper does not start. */
void rmt_must_spawn(const wchar_t *exe_name, const wchar_t *args, struct rmt_process *out);
void rmt_must_spawn_ex(const wchar_t *exe_name, const wchar_t *args, DWORD creation_flags,
                       struct rmt_process *out);

/* out (RMT_PATH_CCH units) = rmt_test_dir\name; the file is not created. */
void rmt_test_path(const wchar_t *name, wchar_t *out);

/* rmt_test_path, and the file created with a few bytes in it. */
void rmt_test_file(const wchar_t *name, wchar_t *out);

/* rmt_read_log into buffer (size bytes), failing the test if the log cannot be read. */
void rmt_must_read_log(const wchar_t *path, char *buffer, size_t size);

#endif
