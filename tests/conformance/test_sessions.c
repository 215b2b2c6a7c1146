// SPDX-License-Identifier: LGPL-2.1-or-later
/* Conformance of the session layer (docs/behaviour.md B-SESSION-*, B-REG-*, cases C-1…C-13, C-15…C-23, C-60, C-61): keys, limits,
 * argument errors, joining from real separate processes, dead primaries, an abandoned
 * lock, a damaged table, the objects' DACL and concurrent registration. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "session_probe.h"
#include "session_table.h"


/* ---- helpers ------------------------------------------------------------------- */

static DWORD start(DWORD *handle, WCHAR key[RMT_KEY_CCH])
{
    return RmStartSession(handle, 0, key);
}

static void make_paths(const wchar_t *tag, unsigned first, unsigned count, wchar_t **paths,
                       wchar_t *storage, size_t stride)
{
    for (unsigned i = 0; i < count; i++) {
        paths[i] = storage + i * stride;
        _snwprintf(paths[i], stride,
                   L"C:\\Program Files\\Contoso Installer Test\\%s\\components\\file%06u.dll",
                   tag, first + i);
    }
}

/* Registers count distinct files named after tag in batches of batch. */
static DWORD register_files(DWORD handle, const wchar_t *tag, unsigned count, unsigned batch)
{
    const size_t stride = 128;
    wchar_t **paths = malloc(batch * sizeof(*paths));
    wchar_t *storage = malloc(batch * stride * sizeof(wchar_t));
    DWORD error = ERROR_SUCCESS;
    for (unsigned done = 0; done < count && error == ERROR_SUCCESS; done += batch) {
        unsigned n = count - done < batch ? count - done : batch;
        make_paths(tag, done, n, paths, storage, stride);
        error = RmRegisterResources(handle, n, (LPCWSTR *)paths, 0, NULL, 0, NULL);
    }
    free(paths);
    free(storage);
    return error;
}


/* ---- children: the same executable re-run in another role ---------------------- */

/* join KEY COUNT TAG: joins, registers COUNT files, leaves. Exit code: first error. */
static int child_join_register(int arg_count, wchar_t **args)
{
    DWORD handle;
    (void)arg_count;
    DWORD error = RmJoinSession(&handle, args[0]);
    if (error != ERROR_SUCCESS)
        return (int)error;
    error = register_files(handle, args[2], (unsigned)_wtoi(args[1]), 25);
    /* Processes and services travel too. */
    RM_UNIQUE_PROCESS processes[2] = { { GetCurrentProcessId(), { 1, 1 } },
                                       { GetCurrentProcessId(), { 2, 2 } } };
    LPCWSTR services[2] = { L"rmt_secondary_service_a", L"rmt_secondary_service_b" };
    if (error == ERROR_SUCCESS)
        error = RmRegisterResources(handle, 0, NULL, 2, processes, 2, services);
    /* A secondary may only register: the others are the primary's. */
    UINT needed = 0, count = 0;
    DWORD reasons;
    if (error == ERROR_SUCCESS &&
        RmGetList(handle, &needed, &count, NULL, &reasons) != ERROR_SESSION_CREDENTIAL_CONFLICT)
        error = 200;
    DWORD end = RmEndSession(handle);
    return (int)(error != ERROR_SUCCESS ? error : end);
}

/* join-many COUNT TAG KEY...: joins every key and registers into all, interleaved. */
static int child_join_many(int arg_count, wchar_t **args)
{
    DWORD handles[8];
    int sessions = arg_count - 2;
    unsigned count = (unsigned)_wtoi(args[0]);
    if (sessions < 1 || sessions > 8)
        return 100;
    for (int s = 0; s < sessions; s++) {
        DWORD error = RmJoinSession(&handles[s], args[2 + s]);
        if (error != ERROR_SUCCESS)
            return (int)error;
    }
    wchar_t *paths[10], storage[10 * 128];
    for (unsigned done = 0; done < count; done += 10) {
        for (int s = 0; s < sessions; s++) {
            make_paths(args[1], done, 10, paths, storage, 128);
            DWORD error = RmRegisterResources(handles[s], 10, (LPCWSTR *)paths, 0, NULL, 0, NULL);
            if (error != ERROR_SUCCESS)
                return (int)error;
        }
    }
    for (int s = 0; s < sessions; s++)
        RmEndSession(handles[s]);
    return 0;
}

/* own-sessions COUNT TAG: starts 4 sessions, registers COUNT files into each,
 * interleaved, and checks each store holds exactly them. */
static int child_own_sessions(int arg_count, wchar_t **args)
{
    DWORD handles[4];
    WCHAR keys[4][RMT_KEY_CCH];
    unsigned count = (unsigned)_wtoi(args[0]);
    (void)arg_count;
    for (int s = 0; s < 4; s++) {
        DWORD error = start(&handles[s], keys[s]);
        if (error != ERROR_SUCCESS)
            return (int)error;
    }
    wchar_t *paths[10], storage[10 * 128], tag[64];
    for (unsigned done = 0; done < count; done += 10)
        for (int s = 0; s < 4; s++) {
            _snwprintf(tag, ARRAYSIZE(tag), L"%s-%d", args[1], s);
            make_paths(tag, done, 10, paths, storage, 128);
            DWORD error = RmRegisterResources(handles[s], 10, (LPCWSTR *)paths, 0, NULL, 0, NULL);
            if (error != ERROR_SUCCESS)
                return (int)error;
        }
    int result = 0;
    for (int s = 0; s < 4; s++) {
        if (probe_count_files(keys[s]) != count)
            result = 300 + s;
        RmEndSession(handles[s]);
    }
    return result;
}

/* start-and-wait COUNT KEYFILE EVENT: starts COUNT sessions, writes their keys one per
 * line to KEYFILE, signals EVENT and waits to be killed. */
static int child_start_and_wait(int arg_count, wchar_t **args)
{
    (void)arg_count;
    int count = _wtoi(args[0]);
    FILE *out = _wfopen(args[1], L"w");
    if (!out)
        return 101;
    for (int i = 0; i < count; i++) {
        DWORD handle;
        WCHAR key[RMT_KEY_CCH];
        DWORD error = start(&handle, key);
        if (error != ERROR_SUCCESS)
            return (int)error;
        fprintf(out, "%ls\n", key);
    }
    fclose(out);
    HANDLE ready = OpenEventW(EVENT_MODIFY_STATE, FALSE, args[2]);
    SetEvent(ready);
    Sleep(RMT_CHILD_TIMEOUT_MS);
    return 0;
}

/* abandon-lock: takes the session-table mutex and exits holding it. */
static int child_abandon_lock(int arg_count, wchar_t **args)
{
    (void)arg_count;
    (void)args;
    wchar_t name[256];
    if (!probe_object_name(L"lock", name, ARRAYSIZE(name)))
        return 100;
    HANDLE mutex = OpenMutexW(SYNCHRONIZE, FALSE, name);
    if (!mutex || WaitForSingleObject(mutex, 5000) != WAIT_OBJECT_0)
        return 101;
    ExitProcess(0); /* without ReleaseMutex: the mutex is abandoned */
}

/* hold-lock EVENT: takes the session-table mutex, signals EVENT, and keeps it. */
static int child_hold_lock(int arg_count, wchar_t **args)
{
    wchar_t name[256];
    (void)arg_count;
    if (!probe_object_name(L"lock", name, ARRAYSIZE(name)))
        return 100;
    HANDLE mutex = OpenMutexW(SYNCHRONIZE, FALSE, name);
    if (!mutex || WaitForSingleObject(mutex, 5000) != WAIT_OBJECT_0)
        return 101;
    SetEvent(OpenEventW(EVENT_MODIFY_STATE, FALSE, args[0]));
    Sleep(RMT_CHILD_TIMEOUT_MS);
    return 0;
}

static const rmt_child_role child_roles[] = {
    { L"join-register", 3, child_join_register },
    { L"join-many", 3, child_join_many },
    { L"own-sessions", 2, child_own_sessions },
    { L"start-and-wait", 3, child_start_and_wait },
    { L"abandon-lock", 0, child_abandon_lock },
    { L"hold-lock", 1, child_hold_lock },
};

/* ---- RmStartSession / RmEndSession ---------------------------------------------- */

static void test_start_writes_key_and_terminator_only(void **state)
{
    (void)state;
    WCHAR key[40];
    DWORD handle = 0xdeadbeef;
    for (int i = 0; i < 40; i++)
        key[i] = 0xCCCC;
    assert_int_equal(RmStartSession(&handle, 0, key), ERROR_SUCCESS);
    assert_int_not_equal(handle, 0xdeadbeef);
    for (size_t i = 0; i < CCH_RM_SESSION_KEY; i++)
        assert_true(iswxdigit(key[i]));
    assert_int_equal(key[CCH_RM_SESSION_KEY], 0);
    assert_int_equal(key[CCH_RM_SESSION_KEY + 1], 0xCCCC);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_two_sessions_differ(void **state)
{
    (void)state;
    DWORD a, b;
    WCHAR key_a[RMT_KEY_CCH], key_b[RMT_KEY_CCH];
    assert_int_equal(start(&a, key_a), ERROR_SUCCESS);
    assert_int_equal(start(&b, key_b), ERROR_SUCCESS);
    assert_int_not_equal(a, b);
    if (wcscmp(key_a, key_b) == 0)
        fail_msg("two sessions got the same key %ls", key_a);
    assert_int_equal(RmEndSession(b), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(a), ERROR_SUCCESS);
}

static void test_start_bad_arguments(void **state)
{
    (void)state;
    DWORD handle = 77;
    WCHAR key[RMT_KEY_CCH] = L"untouched";
    assert_int_equal(RmStartSession(NULL, 0, key), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmStartSession(&handle, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmStartSession(&handle, 1, key), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmStartSession(&handle, 0x80000000, key), ERROR_BAD_ARGUMENTS);
    assert_int_equal(handle, 77);
    if (wcscmp(key, L"untouched") != 0)
        fail_msg("key written: \"%ls\"", key);
}

static void test_end_twice_and_unknown(void **state)
{
    (void)state;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(0x12345), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(0xFFFFFFFF), ERROR_INVALID_HANDLE);
}

static void test_same_buffer_restart(void **state)
{
    (void)state;
    /* Inno Setup's Back button: end, then start again with the same key buffer. */
    DWORD handle, joined;
    WCHAR key[RMT_KEY_CCH] = { 0 }, old_key[RMT_KEY_CCH];
    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    wcscpy(old_key, key);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&joined, old_key), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_max_sessions(void **state)
{
    (void)state;
    DWORD handles[RM_MAX_SESSIONS], extra = 4242;
    WCHAR key[RMT_KEY_CCH];
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        assert_int_equal(start(&handles[i], key), ERROR_SUCCESS);
    assert_int_equal(start(&extra, key), ERROR_MAX_SESSIONS_REACHED);
    assert_int_equal(extra, 4242);
    assert_int_equal(RmEndSession(handles[10]), ERROR_SUCCESS);
    assert_int_equal(start(&handles[10], key), ERROR_SUCCESS);
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        assert_int_equal(RmEndSession(handles[i]), ERROR_SUCCESS);
}

/* ---- RmJoinSession ----------------------------------------------------------------- */

static void test_join_bad_keys(void **state)
{
    (void)state;
    DWORD handle = 55, primary;
    WCHAR key[RMT_KEY_CCH], longer[RMT_KEY_CCH + 1];
    assert_int_equal(start(&primary, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(NULL, key), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmJoinSession(&handle, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmJoinSession(&handle, L""), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmJoinSession(&handle, L"0123456789abcdef0123456789abcde"),
                     ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmJoinSession(&handle, L"00000000000000000000000000000000"),
                     ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmJoinSession(&handle, L"{0123456789abcdef0123456789abcd}"),
                     ERROR_SESSION_CREDENTIAL_CONFLICT);
    wcscpy(longer, key);
    longer[CCH_RM_SESSION_KEY] = L'0';
    longer[CCH_RM_SESSION_KEY + 1] = 0;
    assert_int_equal(RmJoinSession(&handle, longer), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(handle, 55);
    assert_int_equal(RmEndSession(primary), ERROR_SUCCESS);
}

static void test_joined_handle_may_only_register(void **state)
{
    (void)state;
    DWORD primary, secondary;
    WCHAR key[RMT_KEY_CCH];
    UINT needed = 0, count = 0;
    DWORD reasons;
    assert_int_equal(start(&primary, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&secondary, key), ERROR_SUCCESS);
    assert_int_not_equal(primary, secondary);
    assert_int_equal(register_files(secondary, L"joined", 10, 10), ERROR_SUCCESS);
    assert_int_equal(RmGetList(secondary, &needed, &count, NULL, &reasons),
                     ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmShutdown(secondary, 0, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(RmRestart(secondary, 0, NULL), ERROR_SESSION_CREDENTIAL_CONFLICT);
    /* The secondary leaves; the session lives on for the primary. */
    assert_int_equal(RmEndSession(secondary), ERROR_SUCCESS);
    assert_int_equal(register_files(primary, L"primary", 5, 5), ERROR_SUCCESS);
    assert_int_equal(probe_count_files(key), 15);
    assert_int_equal(RmEndSession(primary), ERROR_SUCCESS);
}

static void test_primary_end_invalidates_secondary(void **state)
{
    (void)state;
    DWORD primary, secondary;
    WCHAR key[RMT_KEY_CCH];
    assert_int_equal(start(&primary, key), ERROR_SUCCESS);
    assert_int_equal(RmJoinSession(&secondary, key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(primary), ERROR_SUCCESS);
    assert_int_equal(register_files(secondary, L"late", 1, 1), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(secondary), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(secondary), ERROR_INVALID_HANDLE);
}

static void test_secondary_process_registers(void **state)
{
    (void)state;
    DWORD primary, exit_code;
    WCHAR key[RMT_KEY_CCH], args[128];
    assert_int_equal(start(&primary, key), ERROR_SUCCESS);
    assert_int_equal(register_files(primary, L"mine", 3, 3), ERROR_SUCCESS);
    _snwprintf(args, ARRAYSIZE(args), L"--child join-register %s 40 other", key);
    assert_true(rmt_run_self(args, RMT_CHILD_TIMEOUT_MS, &exit_code));
    assert_int_equal(exit_code, 0);
    /* The secondary left; what it registered stays in the session. */
    size_t files, processes, services;
    assert_true(probe_count_resources(key, &files, &processes, &services));
    assert_int_equal(files, 43);
    assert_int_equal(processes, 2);
    assert_int_equal(services, 2);
    assert_int_equal(RmEndSession(primary), ERROR_SUCCESS);
}

/* ---- RmRegisterResources --------------------------------------------------------- */

static void test_register_arguments(void **state)
{
    (void)state;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    LPCWSTR files[2] = { L"C:\\windows\\a.dll", NULL };
    LPCWSTR services[1] = { NULL };
    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 1, NULL, 0, NULL, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 1, NULL, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 1, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(handle, 2, files, 0, NULL, 0, NULL), ERROR_BAD_ARGUMENTS);
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 1, services), ERROR_BAD_ARGUMENTS);
    /* A refused call registers nothing, not even its valid first file. */
    assert_int_equal(probe_count_files(key), 0);
    assert_int_equal(RmRegisterResources(handle, 0, NULL, 0, NULL, 0, NULL), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(0x7777, 1, files, 0, NULL, 0, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 1, files, 0, NULL, 0, NULL), ERROR_INVALID_HANDLE);
}

static void test_register_duplicates_and_spellings(void **state)
{
    (void)state;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    LPCWSTR files[] = {
        L"C:\\Program Files\\App\\app.exe", L"c:\\program files\\app\\APP.EXE",
        L"\\\\?\\C:\\Program Files\\App\\app.exe", L"C:/Program Files/App/./app.exe",
        L"C:\\Program Files\\App\\other.dll",
    };
    RM_UNIQUE_PROCESS process = { GetCurrentProcessId(), { 1, 2 } };
    RM_UNIQUE_PROCESS processes[] = { process, process };
    LPCWSTR services[] = { L"Spooler", L"spooler", L"Schedule" };
    size_t f, p, s;
    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 5, files, 2, processes, 3, services), ERROR_SUCCESS);
    assert_int_equal(RmRegisterResources(handle, 5, files, 2, processes, 3, services), ERROR_SUCCESS);
    assert_true(probe_count_resources(key, &f, &p, &s));
    assert_int_equal(f, 2);
    assert_int_equal(p, 1);
    assert_int_equal(s, 2);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_register_100000_files(void **state)
{
    (void)state;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    /* 100 calls of 1,000 (Inno's batch size). */
    assert_int_equal(register_files(handle, L"bulk", 100000, 1000), ERROR_SUCCESS);
    assert_int_equal(probe_count_files(key), 100000);
    /* Then 10,000 in one call. */
    assert_int_equal(register_files(handle, L"single-call", 10000, 10000), ERROR_SUCCESS);
    assert_int_equal(probe_count_files(key), 110000);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

/* ---- faults ----------------------------------------------------------------------- */

static int read_keys(const wchar_t *path, WCHAR keys[][RMT_KEY_CCH], int max)
{
    FILE *in = _wfopen(path, L"r");
    int count = 0;
    if (!in)
        return 0;
    char line[64];
    while (count < max && fscanf(in, "%63s", line) == 1 &&
           MultiByteToWideChar(CP_ACP, 0, line, -1, keys[count], RMT_KEY_CCH) == RMT_KEY_CCH)
        count++;
    fclose(in);
    return count;
}

static void test_killed_primary_is_reclaimed(void **state)
{
    (void)state;
    static WCHAR keys[RM_MAX_SESSIONS][RMT_KEY_CCH];
    wchar_t dir[RMT_PATH_CCH], key_file[RMT_PATH_CCH], event_name[128], args[RMT_PATH_CCH];
    rmt_process child;
    DWORD handle, joined, handles[RM_MAX_SESSIONS];
    WCHAR key[RMT_KEY_CCH];

    assert_true(rmt_temp_dir(dir, ARRAYSIZE(dir)));
    assert_true(rmt_path_join(dir, L"keys.txt", key_file, ARRAYSIZE(key_file)));
    HANDLE ready = rmt_event_create(event_name, ARRAYSIZE(event_name));
    assert_non_null(ready);
    _snwprintf(args, ARRAYSIZE(args), L"--child start-and-wait %d \"%s\" %s", RM_MAX_SESSIONS,
               key_file, event_name);
    assert_true(rmt_spawn_self(args, &child));
    assert_int_equal(WaitForSingleObject(ready, 60000), WAIT_OBJECT_0);
    assert_int_equal(read_keys(key_file, keys, RM_MAX_SESSIONS), RM_MAX_SESSIONS);

    /* The other process holds all 64: none left for us, and its sessions can be joined. */
    assert_int_equal(start(&handle, key), ERROR_MAX_SESSIONS_REACHED);
    assert_int_equal(RmJoinSession(&joined, keys[0]), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(joined), ERROR_SUCCESS);

    assert_true(rmt_kill(&child));
    assert_int_equal(RmJoinSession(&joined, keys[1]), ERROR_SESSION_CREDENTIAL_CONFLICT);
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        assert_int_equal(start(&handles[i], key), ERROR_SUCCESS);
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        assert_int_equal(RmEndSession(handles[i]), ERROR_SUCCESS);
    CloseHandle(ready);
    rmt_remove_dir(dir);
}

static void test_abandoned_lock_is_recovered(void **state)
{
    (void)state;
    DWORD handle, exit_code, second;
    WCHAR key[RMT_KEY_CCH], key2[RMT_KEY_CCH];
    assert_int_equal(start(&handle, key), ERROR_SUCCESS); /* keeps the objects alive */
    assert_true(rmt_run_self(L"--child abandon-lock", RMT_CHILD_TIMEOUT_MS, &exit_code));
    assert_int_equal(exit_code, 0);
    assert_int_equal(start(&second, key2), ERROR_SUCCESS);
    assert_int_equal(register_files(handle, L"after-abandon", 3, 3), ERROR_SUCCESS);
    assert_int_equal(probe_count_files(key), 3);
    assert_int_equal(RmEndSession(second), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void test_held_lock_times_out(void **state)
{
    (void)state;
    DWORD handle, other;
    WCHAR key[RMT_KEY_CCH], other_key[RMT_KEY_CCH], args[160], event_name[128];
    rmt_process child;
    assert_int_equal(start(&handle, key), ERROR_SUCCESS); /* keeps the objects alive */
    HANDLE ready = rmt_event_create(event_name, ARRAYSIZE(event_name));
    _snwprintf(args, ARRAYSIZE(args), L"--child hold-lock %s", event_name);
    assert_true(rmt_spawn_self(args, &child));
    assert_int_equal(WaitForSingleObject(ready, 30000), WAIT_OBJECT_0);
    /* A live process holding the lock: calls give up after the configured bound. */
    SetEnvironmentVariableW(L"RSTRTMGR_LOCK_TIMEOUT_MS", L"300");
    DWORD before = GetTickCount();
    assert_int_equal(start(&other, other_key), ERROR_SEM_TIMEOUT);
    assert_int_equal(register_files(handle, L"blocked", 1, 1), ERROR_SEM_TIMEOUT);
    rmt_assert_lt(GetTickCount() - before, 5000);
    SetEnvironmentVariableW(L"RSTRTMGR_LOCK_TIMEOUT_MS", NULL);
    assert_true(rmt_kill(&child));
    assert_int_equal(register_files(handle, L"after", 1, 1), ERROR_SUCCESS);
    assert_int_equal(probe_count_files(key), 1);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
    CloseHandle(ready);
}

static void test_damaged_table_gives_errors_not_crashes(void **state)
{
    (void)state;
    DWORD handle, other, joined;
    WCHAR key[RMT_KEY_CCH], other_key[RMT_KEY_CCH];
    HANDLE section;
    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    rm_table *table = probe_map_table(&section);
    assert_non_null(table);
    rm_table saved = *table;

    /* A scribbled header: every call that needs the table reports a store fault. */
    table->next_serial ^= 0x5a5a;
    assert_int_equal(start(&other, other_key), ERROR_WRITE_FAULT);
    assert_int_equal(register_files(handle, L"x", 1, 1), ERROR_WRITE_FAULT);
    assert_int_equal(RmJoinSession(&joined, key), ERROR_WRITE_FAULT);
    *table = saved;
    assert_int_equal(register_files(handle, L"x", 1, 1), ERROR_SUCCESS);

    /* A scribbled slot: that session is gone, others work and the slot is reused. */
    for (int i = 0; i < RM_MAX_SESSIONS; i++)
        if (table->slots[i].state == RM_SLOT_ACTIVE)
            table->slots[i].key.text[0] ^= 1;
    assert_int_equal(RmJoinSession(&joined, key), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(register_files(handle, L"y", 1, 1), ERROR_INVALID_HANDLE);
    assert_int_equal(start(&other, other_key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(other), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);

    /* Random garbage everywhere, then a zeroed section: a fresh table. */
    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    srand(1234);
    for (size_t i = 0; i < sizeof(*table); i++)
        ((BYTE *)table)[i] = (BYTE)rand();
    assert_int_equal(start(&other, other_key), ERROR_WRITE_FAULT);
    assert_int_equal(RmJoinSession(&joined, key), ERROR_WRITE_FAULT);
    ZeroMemory(table, sizeof(*table));
    assert_int_equal(RmJoinSession(&joined, key), ERROR_SESSION_CREDENTIAL_CONFLICT);
    assert_int_equal(start(&other, other_key), ERROR_SUCCESS);
    assert_int_equal(RmEndSession(other), ERROR_SUCCESS);
    RmEndSession(handle);
    UnmapViewOfFile(table);
    CloseHandle(section);
}

/* ---- security and concurrency ---------------------------------------------------- */

static void test_objects_admit_only_this_user(void **state)
{
    (void)state;
    DWORD handle;
    WCHAR key[RMT_KEY_CCH];
    HANDLE section;
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR descriptor = NULL;
    SECURITY_DESCRIPTOR_CONTROL control;
    DWORD revision;
    HANDLE token;
    BYTE user[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    DWORD size;
    PSID system_sid = NULL;

    assert_int_equal(start(&handle, key), ERROR_SUCCESS);
    wchar_t name[256];
    assert_true(probe_object_name(L"table", name, ARRAYSIZE(name)));
    section = OpenFileMappingW(READ_CONTROL, FALSE, name);
    assert_non_null(section);
    assert_int_equal(GetSecurityInfo(section, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, NULL,
                                     NULL, &dacl, NULL, &descriptor), ERROR_SUCCESS);
    assert_non_null(dacl);
    assert_true(GetSecurityDescriptorControl(descriptor, &control, &revision));
    assert_true(control & SE_DACL_PROTECTED);
    assert_true(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    assert_true(GetTokenInformation(token, TokenUser, user, sizeof(user), &size));
    assert_true(ConvertStringSidToSidW(L"S-1-5-18", &system_sid));
    rmt_assert_ge(dacl->AceCount, 1);
    for (WORD i = 0; i < dacl->AceCount; i++) {
        ACCESS_ALLOWED_ACE *ace;
        assert_true(GetAce(dacl, i, (void **)&ace));
        assert_int_equal(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
        PSID sid = &ace->SidStart;
        assert_true(EqualSid(sid, ((TOKEN_USER *)user)->User.Sid) || EqualSid(sid, system_sid));
    }
    LocalFree(system_sid);
    LocalFree(descriptor);
    CloseHandle(token);
    CloseHandle(section);
    assert_int_equal(RmEndSession(handle), ERROR_SUCCESS);
}

static void wait_children(rmt_process *children, int count)
{
    for (int i = 0; i < count; i++) {
        DWORD code = 0xFFFF;
        assert_true(rmt_wait_exit(&children[i], RMT_CHILD_TIMEOUT_MS));
        assert_true(rmt_exit_code(&children[i], &code));
        assert_int_equal(code, 0);
        rmt_close(&children[i]);
    }
}

static void test_16_processes_join_4_sessions(void **state)
{
    (void)state;
    enum { CHILDREN = 16, SESSIONS = 4, FILES = 200 };
    DWORD handles[SESSIONS];
    WCHAR keys[SESSIONS][RMT_KEY_CCH];
    rmt_process children[CHILDREN];
    wchar_t args[512];
    for (int s = 0; s < SESSIONS; s++)
        assert_int_equal(start(&handles[s], keys[s]), ERROR_SUCCESS);
    for (int c = 0; c < CHILDREN; c++) {
        _snwprintf(args, ARRAYSIZE(args), L"--child join-many %d child%02d %s %s %s %s", FILES, c,
                   keys[0], keys[1], keys[2], keys[3]);
        assert_true(rmt_spawn_self(args, &children[c]));
    }
    wait_children(children, CHILDREN);
    for (int s = 0; s < SESSIONS; s++) {
        assert_int_equal(probe_count_files(keys[s]), CHILDREN * FILES);
        assert_int_equal(RmEndSession(handles[s]), ERROR_SUCCESS);
    }
}

static void test_16_processes_own_4_sessions(void **state)
{
    (void)state;
    enum { CHILDREN = 16 };
    rmt_process children[CHILDREN];
    wchar_t args[128];
    for (int c = 0; c < CHILDREN; c++) {
        _snwprintf(args, ARRAYSIZE(args), L"--child own-sessions 200 owner%02d", c);
        assert_true(rmt_spawn_self(args, &children[c]));
    }
    wait_children(children, CHILDREN);
}

RMT_MAIN("sessions", child_roles, NULL, NULL,
         cmocka_unit_test(test_start_writes_key_and_terminator_only),
         cmocka_unit_test(test_two_sessions_differ),
         cmocka_unit_test(test_start_bad_arguments),
         cmocka_unit_test(test_end_twice_and_unknown),
         cmocka_unit_test(test_same_buffer_restart),
         cmocka_unit_test(test_max_sessions),
         cmocka_unit_test(test_join_bad_keys),
         cmocka_unit_test(test_joined_handle_may_only_register),
         cmocka_unit_test(test_primary_end_invalidates_secondary),
         cmocka_unit_test(test_secondary_process_registers),
         cmocka_unit_test(test_register_arguments),
         cmocka_unit_test(test_register_duplicates_and_spellings),
         cmocka_unit_test(test_register_100000_files),
         cmocka_unit_test(test_killed_primary_is_reclaimed),
         cmocka_unit_test(test_abandoned_lock_is_recovered),
         cmocka_unit_test(test_held_lock_times_out),
         cmocka_unit_test(test_damaged_table_gives_errors_not_crashes),
         cmocka_unit_test(test_objects_admit_only_this_user),
         cmocka_unit_test(test_16_processes_join_4_sessions),
         cmocka_unit_test(test_16_processes_own_4_sessions))
