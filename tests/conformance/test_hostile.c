// SPDX-License-Identifier: LGPL-2.1-or-later
/* A hostile writer (issue 15): a process of the same user overwrites random bytes of the
 * session table (Local\rstrtmgr.<SID>.table) and of session stores (...store.<serial>)
 * while 16 processes call every export. Nothing read from shared memory may be trusted
 * (README "Behaviour"; B-CONV-3): no caller may crash or wait in a call past its bound
 * (the table lock's timeout, RSTRTMGR_LOCK_TIMEOUT_MS, plus a margin), every result must
 * be a code the export documents, and the sessions of the eight "protected" callers,
 * whose slot and store the writer never touches, keep every registration (read straight
 * from their stores) and keep working. The writer spares those sessions by their owner's
 * pid and by the serials they had when it started. RSTRTMGR_HOSTILE_SECONDS sets the
 * time (default 4 s). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rm_test_support.h"
#include "session_probe.h"
#include "session_table.h"
#include "resource_store.h"

#define CALLERS 16
#define OWN_FILES 20
#define DEFAULT_SECONDS 4
#define LOCK_TIMEOUT_TEXT L"1000"
/* A call may wait for the lock a few times (start, register, end each take it). */
#define CALL_BOUND_MS 8000
#define CHILD_EXTRA_MS 60000
#define APPS_CAPACITY 16
/* The part of a store the writer scribbles on: the header and the first records. */
#define STORE_SPAN (256 * 1024)

/* Codes tallied; anything else an export may not give is counted as unexpected. */
static const DWORD tallied[] = {
    ERROR_SUCCESS, ERROR_INVALID_HANDLE, ERROR_OUTOFMEMORY, ERROR_WRITE_FAULT,
    ERROR_SEM_TIMEOUT, ERROR_MORE_DATA, ERROR_SESSION_CREDENTIAL_CONFLICT,
    ERROR_MAX_SESSIONS_REACHED, ERROR_FILE_NOT_FOUND, ERROR_FAIL_SHUTDOWN,
    ERROR_REQUEST_OUT_OF_SEQUENCE,
};
#define TALLIED (sizeof(tallied) / sizeof(tallied[0]))

typedef struct caller_result {
    unsigned long calls, bad, first_bad_export, first_bad_code, max_call_ms, protected_ok;
    unsigned long by_code[TALLIED], other;
} caller_result;


static unsigned hostile_seconds(void)
{
    wchar_t text[16];
    DWORD length = GetEnvironmentVariableW(L"RSTRTMGR_HOSTILE_SECONDS", text, ARRAYSIZE(text));
    unsigned seconds = length && length < ARRAYSIZE(text) ? (unsigned)_wtoi(text) : 0;
    return seconds ? seconds : DEFAULT_SECONDS;
}

static unsigned next_random(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

/* ---- a caller ---------------------------------------------------------------------- */

enum { X_START, X_JOIN, X_END, X_REGISTER, X_GETLIST, X_SHUTDOWN, X_RESTART, X_CANCEL,
       X_ADD_FILTER, X_REMOVE_FILTER, X_GET_FILTERS, X_RESERVE, X_COUNT };

/* What each export documents (B-CONV-3 for all: ERROR_SEM_TIMEOUT, ERROR_WRITE_FAULT,
 * ERROR_OUTOFMEMORY; ERROR_INVALID_HANDLE once a damaged slot made the session unknown,
 * B-SESSION-7), plus its own. */
static BOOL documented(int export_id, DWORD code)
{
    switch (code) {
    case ERROR_SUCCESS: case ERROR_SEM_TIMEOUT: case ERROR_WRITE_FAULT: case ERROR_OUTOFMEMORY:
        return TRUE;
    case ERROR_INVALID_HANDLE:
        return export_id != X_START && export_id != X_JOIN && export_id != X_RESERVE;
    case ERROR_MAX_SESSIONS_REACHED: return export_id == X_START || export_id == X_JOIN;
    case ERROR_SESSION_CREDENTIAL_CONFLICT: return export_id == X_JOIN;
    case ERROR_MORE_DATA: return export_id == X_GETLIST || export_id == X_GET_FILTERS;
    case ERROR_FILE_NOT_FOUND: return export_id == X_REMOVE_FILTER;
    case ERROR_FAIL_SHUTDOWN: return export_id == X_SHUTDOWN;
    case ERROR_REQUEST_OUT_OF_SEQUENCE: return export_id == X_RESTART; /* B-RESTART-1 */
    default: return FALSE;
    }
}

static caller_result result;

static DWORD tally(int export_id, DWORD code, ULONGLONG started)
{
    unsigned long ms = (unsigned long)(GetTickCount64() - started);
    result.calls++;
    if (ms > result.max_call_ms)
        result.max_call_ms = ms;
    size_t i = 0;
    while (i < TALLIED && tallied[i] != code)
        i++;
    if (i < TALLIED)
        result.by_code[i]++;
    else
        result.other++;
    if (!documented(export_id, code) && result.bad++ == 0) {
        result.first_bad_export = (unsigned long)export_id;
        result.first_bad_code = code;
    }
    return code;
}

#define CALL(export_id, expression) \
    (call_started = GetTickCount64(), tally(export_id, (expression), call_started))

static void own_files(unsigned index, wchar_t storage[OWN_FILES][96], LPCWSTR paths[OWN_FILES])
{
    for (unsigned i = 0; i < OWN_FILES; i++) {
        _snwprintf(storage[i], 96, L"C:\\rmt hostile\\caller%02u\\file%02u.dll", index, i);
        paths[i] = storage[i];
    }
}

/* One round of every export: the caller's own session listed and joined, a scratch
 * session started, used and ended. */
static unsigned long own_registered; /* files the own session took after its first OWN_FILES */

static void round_of_calls(DWORD own, const WCHAR *own_key, unsigned index, unsigned round)
{
    ULONGLONG call_started;
    static RM_PROCESS_INFO apps[APPS_CAPACITY];
    UINT needed, count = APPS_CAPACITY;
    DWORD reasons, joined, scratch;
    WCHAR key[RMT_KEY_CCH];
    /* A new record each round, so that each RmGetList reads the store again. */
    wchar_t more[96];
    _snwprintf(more, ARRAYSIZE(more), L"C:\\rmt hostile\\caller%02u\\more%u.dll", index, round);
    LPCWSTR more_files[] = { more };
    if (CALL(X_REGISTER, RmRegisterResources(own, 1, more_files, 0, NULL, 0, NULL)) == ERROR_SUCCESS)
        own_registered++;
    CALL(X_GETLIST, RmGetList(own, &needed, &count, apps, &reasons));
    if (CALL(X_JOIN, RmJoinSession(&joined, own_key)) == ERROR_SUCCESS)
        CALL(X_END, RmEndSession(joined));
    if (CALL(X_START, RmStartSession(&scratch, 0, key)) != ERROR_SUCCESS)
        return;
    wchar_t path[96];
    _snwprintf(path, ARRAYSIZE(path), L"C:\\rmt hostile\\caller%02u\\scratch%u.dll", index, round);
    LPCWSTR files[] = { path };
    LPCWSTR services[] = { L"rmt_hostile_absent_service" };
    CALL(X_REGISTER, RmRegisterResources(scratch, 1, files, 0, NULL, 1, services));
    count = APPS_CAPACITY;
    CALL(X_GETLIST, RmGetList(scratch, &needed, &count, apps, &reasons));
    CALL(X_ADD_FILTER, RmAddFilter(scratch, path, NULL, NULL, RmNoRestart));
    BYTE filters[1024];
    DWORD filter_bytes = 0;
    CALL(X_GET_FILTERS, RmGetFilterList(scratch, filters, sizeof(filters), &filter_bytes));
    CALL(X_REMOVE_FILTER, RmRemoveFilter(scratch, path, NULL, NULL));
    CALL(X_SHUTDOWN, RmShutdown(scratch, RmForceShutdown, NULL));
    DWORD restarted = CALL(X_RESTART, RmRestart(scratch, 0, NULL));
    (void)restarted;
    CALL(X_CANCEL, RmCancelCurrentTask(scratch));
    CALL(X_RESERVE, RmReserveHeap(0));
    CALL(X_END, RmEndSession(scratch));
}

/* caller INDEX SECONDS RESULT_FILE START_EVENT */
static int run_caller(int arg_count, wchar_t **argv)
{
    (void)arg_count;
    unsigned index = (unsigned)_wtoi(argv[0]), seconds = (unsigned)_wtoi(argv[1]);
    SetEnvironmentVariableW(L"RSTRTMGR_LOCK_TIMEOUT_MS", LOCK_TIMEOUT_TEXT);
    static wchar_t storage[OWN_FILES][96];
    LPCWSTR paths[OWN_FILES];
    own_files(index, storage, paths);
    DWORD own;
    WCHAR key[RMT_KEY_CCH];
    if (RmStartSession(&own, 0, key) || RmRegisterResources(own, OWN_FILES, paths, 0, NULL, 0, NULL))
        return 80;
    /* The session's key, for the parent's checks. */
    FILE *out = _wfopen(argv[2], L"w");
    if (!out)
        return 81;
    fprintf(out, "%ls\n", key);
    fclose(out);
    HANDLE go = OpenEventW(SYNCHRONIZE, FALSE, argv[3]);
    if (!go || WaitForSingleObject(go, 120000) != WAIT_OBJECT_0)
        return 82;
    ULONGLONG started = GetTickCount64();
    for (unsigned round = 0; GetTickCount64() - started < seconds * 1000ull; round++)
        round_of_calls(own, key, index, round);

    /* After the writer: a protected session still holds all it registered, lists and
     * takes a join (the parent told which callers are protected: even indices). */
    HANDLE writer_done = OpenEventW(SYNCHRONIZE, FALSE, argv[4]);
    if (!writer_done || WaitForSingleObject(writer_done, 120000) != WAIT_OBJECT_0)
        return 83;
    if (index % 2 == 0) {
        size_t files = 0, processes = 0, services = 0;
        UINT needed = 0, count = 0;
        DWORD reasons, joined;
        BOOL stored = probe_count_resources(key, &files, &processes, &services);
        DWORD listed = RmGetList(own, &needed, &count, NULL, &reasons);
        DWORD join = RmJoinSession(&joined, key);
        if (join == ERROR_SUCCESS)
            RmEndSession(joined);
        result.protected_ok = stored && files == OWN_FILES + own_registered && listed == ERROR_SUCCESS &&
                              join == ERROR_SUCCESS;
        if (!result.protected_ok)
            fprintf(stderr, "caller %u: store %s, %lu files of %lu; RmGetList %lu; RmJoinSession %lu\n",
                    index, stored ? "read" : "unreadable", (unsigned long)files,
                    OWN_FILES + own_registered, listed, join);
    }
    RmEndSession(own);
    out = _wfopen(argv[2], L"a");
    if (!out)
        return 84;
    fprintf(out, "%lu %lu %lu %lu %lu %lu %lu", result.calls, result.bad, result.first_bad_export,
            result.first_bad_code, result.max_call_ms, result.protected_ok, result.other);
    for (size_t i = 0; i < TALLIED; i++)
        fprintf(out, " %lu", result.by_code[i]);
    fprintf(out, "\n");
    fclose(out);
    return 0;
}

/* ---- the writer -------------------------------------------------------------------- */

typedef struct spared {
    DWORD pids[CALLERS];
    unsigned pid_count;
    uint32_t serials[RM_MAX_SESSIONS];
    unsigned serial_count;
} spared;

static BOOL is_spared_pid(const spared *s, uint32_t pid)
{
    for (unsigned i = 0; i < s->pid_count; i++)
        if (s->pids[i] == pid)
            return TRUE;
    return FALSE;
}

static BOOL is_spared_serial(const spared *s, uint32_t serial)
{
    for (unsigned i = 0; i < s->serial_count; i++)
        if (s->serials[i] == serial)
            return TRUE;
    return FALSE;
}

/* A few random bytes at a random committed place of a store. */
static BOOL scribble_store(uint32_t serial, unsigned *random_state)
{
    wchar_t what[32], name[256];
    _snwprintf(what, ARRAYSIZE(what), L"store.%u", serial);
    if (!probe_object_name(what, name, ARRAYSIZE(name)))
        return FALSE;
    HANDLE section = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
    if (!section)
        return FALSE;
    BOOL wrote = FALSE;
    BYTE *view = MapViewOfFile(section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, STORE_SPAN);
    /* A reserved section's pages are committed view by view (as the DLL does). */
    if (view && VirtualAlloc(view, STORE_SPAN, MEM_COMMIT, PAGE_READWRITE)) {
        /* The header, the newest records (which the next RmGetList reads) or anywhere. */
        size_t bytes = 1 + next_random(random_state) % 8, at;
        uint32_t used = ((volatile rm_store_header *)view)->used; /* untrusted */
        size_t end = sizeof(rm_store_header) + (used < STORE_SPAN / 2 ? used : STORE_SPAN / 2);
        switch (next_random(random_state) % 3) {
        case 0: at = next_random(random_state) % sizeof(rm_store_header); break;
        case 1: at = end > 256 ? end - 1 - next_random(random_state) % 256 : end; break;
        default: at = next_random(random_state) % (STORE_SPAN - bytes); break;
        }
        for (size_t i = 0; i < bytes; i++)
            view[at + i] = (BYTE)next_random(random_state);
        wrote = TRUE;
    }
    if (view)
        UnmapViewOfFile(view);
    CloseHandle(section);
    return wrote;
}

/* writer SECONDS SEED RESULT_FILE PID... (the protected callers' pids) */
static int run_writer(int argc, wchar_t **argv)
{
    unsigned seconds = (unsigned)_wtoi(argv[0]);
    unsigned random_state = (unsigned)wcstoul(argv[1], NULL, 10);
    spared s = { 0 };
    for (int i = 3; i < argc && s.pid_count < CALLERS; i++)
        s.pids[s.pid_count++] = (DWORD)_wtoi(argv[i]);
    HANDLE section;
    rm_table *table = probe_map_table(&section);
    if (!table)
        return 70;
    /* The protected sessions as they are now; their slots never move while they live. */
    BOOL spared_slot[RM_MAX_SESSIONS] = { 0 };
    for (unsigned i = 0; i < RM_MAX_SESSIONS; i++)
        if (table->slots[i].state == RM_SLOT_ACTIVE && is_spared_pid(&s, table->slots[i].owner_pid)) {
            spared_slot[i] = TRUE;
            s.serials[s.serial_count++] = table->slots[i].serial;
        }
    unsigned long slot_writes = 0, store_writes = 0;
    ULONGLONG started = GetTickCount64();
    while (GetTickCount64() - started < seconds * 1000ull) {
        BOOL into_slot = next_random(&random_state) % 4 == 0; /* a slot write ends a session */
        unsigned slot = next_random(&random_state) % RM_MAX_SESSIONS;
        /* A store: that of an active session, found from a random slot on. */
        for (unsigned tries = 0;
             !into_slot && tries < RM_MAX_SESSIONS &&
             (table->slots[slot].state != RM_SLOT_ACTIVE || spared_slot[slot] ||
              is_spared_pid(&s, table->slots[slot].owner_pid));
             tries++)
            slot = (slot + 1) % RM_MAX_SESSIONS;
        /* Read fresh (and untrusted) for each write. */
        uint32_t owner = table->slots[slot].owner_pid, serial = table->slots[slot].serial;
        if (spared_slot[slot] || is_spared_pid(&s, owner))
            continue;
        if (into_slot) {
            BYTE *bytes = (BYTE *)&table->slots[slot];
            unsigned count = 1 + next_random(&random_state) % 4;
            for (unsigned i = 0; i < count; i++)
                bytes[next_random(&random_state) % sizeof(rm_slot)] = (BYTE)next_random(&random_state);
            slot_writes++;
        } else if (!is_spared_serial(&s, serial) && scribble_store(serial, &random_state)) {
            store_writes++;
        }
        if (next_random(&random_state) % 4 == 0)
            Sleep(1);
    }
    UnmapViewOfFile(table);
    CloseHandle(section);
    FILE *out = _wfopen(argv[2], L"w");
    if (!out)
        return 71;
    fprintf(out, "%lu %lu %u\n", slot_writes, store_writes, s.serial_count);
    fclose(out);
    return 0;
}

/* ---- the parent ---------------------------------------------------------------------- */

static const char *export_name(unsigned long id)
{
    static const char *const names[X_COUNT] = {
        "RmStartSession", "RmJoinSession", "RmEndSession", "RmRegisterResources", "RmGetList",
        "RmShutdown", "RmRestart", "RmCancelCurrentTask", "RmAddFilter", "RmRemoveFilter",
        "RmGetFilterList", "RmReserveHeap",
    };
    return id < X_COUNT ? names[id] : "?";
}

static void test_hostile_writer(void **state)
{
    (void)state;
    unsigned seconds = hostile_seconds(), seed = GetTickCount();
    wchar_t seed_text[16];
    DWORD seed_length = GetEnvironmentVariableW(L"RSTRTMGR_HOSTILE_SEED", seed_text,
                                                ARRAYSIZE(seed_text));
    if (seed_length && seed_length < ARRAYSIZE(seed_text))
        seed = (unsigned)wcstoul(seed_text, NULL, 10);
    wchar_t go_name[128], done_name[128], args[4 * RMT_PATH_CCH], result_file[CALLERS][RMT_PATH_CCH];
    wchar_t writer_file[RMT_PATH_CCH];
    rmt_process callers[CALLERS], writer;
    HANDLE go = rmt_event_create(go_name, ARRAYSIZE(go_name));
    HANDLE writer_done = rmt_event_create(done_name, ARRAYSIZE(done_name));
    assert_non_null(go);
    assert_non_null(writer_done);
    printf("hostile: seed %u (RSTRTMGR_HOSTILE_SEED repeats it), %u s\n", seed, seconds);
    for (unsigned c = 0; c < CALLERS; c++) {
        _snwprintf(result_file[c], RMT_PATH_CCH, L"%ls\\caller%02u.txt", rmt_test_dir, c);
        _snwprintf(args, ARRAYSIZE(args), L"--child caller %u %u \"%ls\" %ls %ls", c, seconds,
                   result_file[c], go_name, done_name);
        assert_true(rmt_spawn_self(args, &callers[c]));
    }
    /* Every caller's own session exists (its key file written) before the writer starts. */
    ULONGLONG wait_started = GetTickCount64();
    for (unsigned c = 0; c < CALLERS; c++)
        while (GetFileAttributesW(result_file[c]) == INVALID_FILE_ATTRIBUTES) {
            if (GetTickCount64() - wait_started > 120000 || !rmt_is_running(&callers[c]))
                fail_msg("caller %u did not register", c);
            Sleep(20);
        }
    _snwprintf(writer_file, RMT_PATH_CCH, L"%ls\\writer.txt", rmt_test_dir);
    int used = _snwprintf(args, ARRAYSIZE(args), L"--child writer %u %u \"%ls\"", seconds, seed,
                          writer_file);
    for (unsigned c = 0; c < CALLERS; c += 2)
        used += _snwprintf(args + used, ARRAYSIZE(args) - used, L" %lu", callers[c].pid);
    assert_true(rmt_spawn_self(args, &writer));
    SetEvent(go);
    DWORD code = 0xdeadbeef;
    assert_true(rmt_wait_exit(&writer, seconds * 1000 + CHILD_EXTRA_MS));
    assert_true(rmt_exit_code(&writer, &code));
    assert_int_equal(code, 0);
    SetEvent(writer_done);
    unsigned long slot_writes = 0, store_writes = 0;
    unsigned spared = 0;
    FILE *in = _wfopen(writer_file, L"r");
    assert_non_null(in);
    assert_int_equal(fscanf(in, "%lu %lu %u", &slot_writes, &store_writes, &spared), 3);
    fclose(in);

    caller_result total = { 0 };
    unsigned protected_ok = 0;
    for (unsigned c = 0; c < CALLERS; c++) {
        /* Bounded: each call within CALL_BOUND_MS, so the whole run well within this. */
        if (!rmt_wait_exit(&callers[c], seconds * 1000 + CHILD_EXTRA_MS))
            fail_msg("caller %u still running (a call hangs)", c);
        assert_true(rmt_exit_code(&callers[c], &code));
        if (code != 0)
            fail_msg("caller %u exited with %#lx", c, code);
        caller_result r = { 0 };
        wchar_t key[RMT_KEY_CCH];
        in = _wfopen(result_file[c], L"r");
        assert_non_null(in);
        int fields = fwscanf(in, L"%32ls", key);
        fields += fscanf(in, "%lu %lu %lu %lu %lu %lu %lu", &r.calls, &r.bad, &r.first_bad_export,
                         &r.first_bad_code, &r.max_call_ms, &r.protected_ok, &r.other);
        for (size_t i = 0; i < TALLIED; i++)
            fields += fscanf(in, " %lu", &r.by_code[i]);
        fclose(in);
        assert_int_equal(fields, 8 + (int)TALLIED);
        if (r.bad)
            fail_msg("caller %u: %lu undocumented results, the first %s -> %lu", c, r.bad,
                     export_name(r.first_bad_export), r.first_bad_code);
        if (r.max_call_ms > CALL_BOUND_MS)
            fail_msg("caller %u: a call took %lu ms", c, r.max_call_ms);
        if (c % 2 == 0 && !r.protected_ok)
            fail_msg("caller %u: its untouched session lost registrations or stopped working", c);
        protected_ok += c % 2 == 0 && r.protected_ok;
        total.calls += r.calls;
        total.other += r.other;
        total.max_call_ms = r.max_call_ms > total.max_call_ms ? r.max_call_ms : total.max_call_ms;
        for (size_t i = 0; i < TALLIED; i++)
            total.by_code[i] += r.by_code[i];
    }
    printf("hostile: %lu writes (%lu into table slots, %lu into stores), %u sessions spared; "
           "%d callers, %lu calls, longest %lu ms; results:", slot_writes + store_writes,
           slot_writes, store_writes, spared, CALLERS, total.calls, total.max_call_ms);
    for (size_t i = 0; i < TALLIED; i++)
        if (total.by_code[i])
            printf(" %lu x %lu", total.by_code[i], tallied[i]);
    printf("; other %lu; protected sessions intact: %u of %d\n", total.other, protected_ok,
           CALLERS / 2);
    rmt_assert_gt(slot_writes, 0);
    rmt_assert_gt(store_writes, 0);
    rmt_assert_ge(spared, CALLERS / 2); /* the protected sessions, and their scratch ones */
    CloseHandle(go);
    CloseHandle(writer_done);
}

static const rmt_child_role child_roles[] = {
    { L"caller", 5, run_caller },
    { L"writer", 3, run_writer },
};

RMT_MAIN("hostile", child_roles, rmt_setup, rmt_teardown,
         cmocka_unit_test(test_hostile_writer))
