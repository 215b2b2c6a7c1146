// SPDX-License-Identifier: LGPL-2.1-or-later
/* The bad-input table: every export, with the exact error docs/behaviour.md gives (its
 * [inferred] choices followed; B-CONV-4, B-CONV-5), run by test_bad_input.c. Section
 * comments name the cases (C-N) and rules of docs/behaviour.md.
 *
 * Not in the table, on purpose: a count larger than its array when every entry the DLL
 * reads is valid (e.g. nFiles = 0xFFFFFFFF with three good paths). The DLL must read
 * the entries to know, so on Windows too that is the caller's fault (undefined
 * behaviour), not an input the DLL can refuse. Huge counts appear only with NULL arrays
 * or with a NULL entry the DLL reaches before the end of readable memory. */
#include "bad_input.h"

#define R(label, call_, fx, h, v, exp, ...) \
    { label, call_, fx, h, v, .expected = (exp), __VA_ARGS__ }

/* The handle values no call may accept: literal ones this process never holds, stale
 * ones, and another process's. */
#define UNKNOWN_HANDLES(label, call_, fx, ...)                                               \
    R(label ", handle 0", call_, fx, BH_VALUE, 0, ERROR_INVALID_HANDLE, __VA_ARGS__),       \
    R(label ", handle 1", call_, fx, BH_VALUE, 1, ERROR_INVALID_HANDLE, __VA_ARGS__),       \
    R(label ", handle 0xFFFFFFFF", call_, fx, BH_VALUE, 0xFFFFFFFF, ERROR_INVALID_HANDLE,  \
      __VA_ARGS__),                                                                         \
    R(label ", handle 0x12345", call_, fx, BH_VALUE, 0x12345, ERROR_INVALID_HANDLE,        \
      __VA_ARGS__),                                                                         \
    R(label ", handle 0x80000000", call_, fx, BH_VALUE, 0x80000000, ERROR_INVALID_HANDLE,  \
      __VA_ARGS__),                                                                         \
    R(label ", ended handle", call_, fx, BH_ENDED, 0, ERROR_INVALID_HANDLE, __VA_ARGS__),  \
    R(label ", joined handle of an ended session", call_, fx, BH_ORPHANED, 0,              \
      ERROR_INVALID_HANDLE, __VA_ARGS__),                                                   \
    R(label ", joined handle that left", call_, fx, BH_LEFT, 0, ERROR_INVALID_HANDLE,      \
      __VA_ARGS__),                                                                         \
    R(label ", another process's handle", call_, fx, BH_FOREIGN, 0, ERROR_INVALID_HANDLE,  \
      __VA_ARGS__)

#define START(label, h, flags, key, exp) \
    R("RmStartSession: " label, BI_START, 0, BH_NONE, 0, exp, .start = { h, flags, key })
#define JOIN(label, h, key, exp) \
    R("RmJoinSession: " label, BI_JOIN, 0, BH_NONE, 0, exp, .join = { h, key })
/* REG(label, expected, .field = value...): the arguments by their names in bi_case.reg;
 * a field left out is 0, BA_NULL, BT_NULL or BPR_NULL. */
#define REG(label, exp, ...) \
    R("RmRegisterResources: " label, BI_REGISTER, 0, BH_PRIMARY, 0, exp, .reg = { __VA_ARGS__ })
#define ONE_FILE .reg = { .file_count = 1, .files = BA_VALID, .file = BT_FILE }
#define LIST(label, fx, h, needed, count, count_in, apps, reasons, exp)                      \
    R("RmGetList: " label, BI_GETLIST, fx, h, 0, exp,                                      \
      .list = { needed, count, count_in, apps, reasons })
#define LIST_ARGS .list = { BP_VALID, BP_VALID, 0, BP_NULL, BP_VALID }
#define SHUTDOWN(label, fx, h, flags, exp) \
    R("RmShutdown: " label, BI_SHUTDOWN, fx, h, 0, exp, .shutdown = { flags, TRUE })
#define RESTART(label, fx, h, flags, callback, exp) \
    R("RmRestart: " label, BI_RESTART, fx, h, 0, exp, .restart = { flags, callback })
#define ADD(label, fx, h, m, p, s, action, added, exp) \
    R("RmAddFilter: " label, BI_ADD_FILTER, fx, h, 0, exp, .add = { m, p, s, action, added })
#define REMOVE(label, fx, h, m, p, s, removed, exp) \
    R("RmRemoveFilter: " label, BI_REMOVE_FILTER, fx, h, 0, exp, .remove = { m, p, s, removed })
#define FILTERS(label, fx, h, buffer, size, value, needed, exp) \
    R("RmGetFilterList: " label, BI_GET_FILTERS, fx, h, 0, exp, \
      .filters = { buffer, size, value, needed })
#define HEAP(label, value) \
    R("RmReserveHeap: " label, BI_RESERVE_HEAP, 0, BH_NONE, 0, ERROR_SUCCESS, .heap = { value })

#define BAD ERROR_BAD_ARGUMENTS
#define CONFLICT ERROR_SESSION_CREDENTIAL_CONFLICT
#define OK ERROR_SUCCESS

const bi_case bi_cases[] = {
    /* ---- RmStartSession (C-3…C-5: B-SESSION-1, B-SESSION-2) ---- */
    START("NULL handle pointer", BP_NULL, 0, BP_VALID, BAD),
    START("NULL key", BP_VALID, 0, BP_NULL, BAD),
    START("NULL handle pointer and key", BP_NULL, 0, BP_NULL, BAD),
    START("flags 1", BP_VALID, 1, BP_VALID, BAD),
    START("flags 2", BP_VALID, 2, BP_VALID, BAD),
    START("flags 0x10", BP_VALID, 0x10, BP_VALID, BAD),
    START("flags 0x100", BP_VALID, 0x100, BP_VALID, BAD),
    START("flags 0x80000000", BP_VALID, 0x80000000, BP_VALID, BAD),
    START("flags 0xFFFFFFFF", BP_VALID, 0xFFFFFFFF, BP_VALID, BAD),
    START("flags 1, NULL handle pointer", BP_NULL, 1, BP_VALID, BAD),
    START("flags 1, NULL key", BP_VALID, 1, BP_NULL, BAD),
    START("flags 1, key in a no-access page (refused before writing)", BP_VALID, 1,
          BP_NO_ACCESS, BAD),
    START("NULL key, handle pointer in a no-access page", BP_NO_ACCESS, 0, BP_NULL, BAD),
    START("handle and 33-unit key ending at a no-access page (writes no further)",
          BP_PAGE_END, 0, BP_PAGE_END, OK),

    /* ---- RmJoinSession (C-10…C-13: B-SESSION-5) ---- */
    JOIN("NULL handle pointer", BP_NULL, BK_SESSION, BAD),
    JOIN("NULL key", BP_VALID, BK_NULL, BAD),
    JOIN("NULL handle pointer and key", BP_NULL, BK_NULL, BAD),
    JOIN("NULL key, handle pointer in a no-access page", BP_NO_ACCESS, BK_NULL, BAD),
    JOIN("empty key, handle pointer in a no-access page", BP_NO_ACCESS, BK_EMPTY, CONFLICT),
    JOIN("empty key", BP_VALID, BK_EMPTY, CONFLICT),
    JOIN("31 digits", BP_VALID, BK_SHORT_31, CONFLICT),
    JOIN("33 digits", BP_VALID, BK_LONG_33, CONFLICT),
    JOIN("braces", BP_VALID, BK_BRACED, CONFLICT),
    JOIN("GUID with dashes", BP_VALID, BK_GUID_DASHED, CONFLICT),
    JOIN("32 zeros", BP_VALID, BK_ZEROS, CONFLICT),
    JOIN("one digit changed", BP_VALID, BK_ONE_DIGIT_CHANGED, CONFLICT),
    JOIN("trailing space", BP_VALID, BK_SPACE_AFTER, CONFLICT),
    JOIN("leading space", BP_VALID, BK_SPACE_BEFORE, CONFLICT),
    JOIN("non-hex last digit", BP_VALID, BK_NON_HEX, CONFLICT),
    JOIN("digit with a high byte (U+0161)", BP_VALID, BK_HIGH_BYTE, CONFLICT),
    JOIN("fullwidth digits", BP_VALID, BK_FULLWIDTH, CONFLICT),
    JOIN("NUL in the middle", BP_VALID, BK_EMBEDDED_NUL, CONFLICT),
    JOIN("key of an ended session", BP_VALID, BK_ENDED, CONFLICT),
    JOIN("key of a session ended while joined", BP_VALID, BK_ORPHANED, CONFLICT),
    JOIN("40000 digits", BP_VALID, BK_OVERLONG, CONFLICT),
    JOIN("33 digits without NUL at a no-access page (reads <= 33 units)", BP_VALID,
         BK_PAGE_END_33_HEX, CONFLICT),
    JOIN("33 'x' without NUL at a no-access page", BP_VALID, BK_PAGE_END_33_X, CONFLICT),
    JOIN("the key and its NUL as the last 33 units before a no-access page", BP_VALID,
         BK_PAGE_END_SESSION, OK),
    JOIN("handle pointer ending at a no-access page", BP_PAGE_END, BK_SESSION, OK),
    JOIN("upper-case digits", BP_VALID, BK_SESSION_UPPER, OK),

    /* ---- RmEndSession (C-7, C-8, C-16: B-SESSION-7) ---- */
    UNKNOWN_HANDLES("RmEndSession", BI_END, 0, ),

    /* ---- RmRegisterResources (C-19…C-21: B-REG-2) ---- */
    REG("1 file, NULL array", BAD, .file_count = 1),
    REG("1 process, NULL array", BAD, .process_count = 1),
    REG("1 service, NULL array", BAD, .service_count = 1),
    REG("files [NULL, path]", BAD, .file_count = 2, .files = BA_FIRST_NULL, .file = BT_FILE),
    REG("files [path, NULL]", BAD, .file_count = 2, .files = BA_LAST_NULL, .file = BT_FILE),
    REG("services [NULL, name]", BAD, .service_count = 2, .services = BA_FIRST_NULL,
        .service = BT_SERVICE),
    REG("services [name, NULL]", BAD, .service_count = 2, .services = BA_LAST_NULL,
        .service = BT_SERVICE),
    REG("3 good files + 1 process, NULL array (nothing registered)", BAD, .file_count = 3,
        .files = BA_VALID, .file = BT_FILE, .process_count = 1),
    REG("3 good files + services [name, NULL] (nothing registered)", BAD, .file_count = 3,
        .files = BA_VALID, .file = BT_FILE, .service_count = 2, .services = BA_LAST_NULL,
        .service = BT_SERVICE),
    REG("good files and processes + services [NULL, name]", BAD, .file_count = 3,
        .files = BA_VALID, .file = BT_FILE, .process_count = 2, .processes = BA_VALID,
        .process = BPR_SELF, .service_count = 2, .services = BA_FIRST_NULL, .service = BT_SERVICE),
    REG("0xFFFFFFFF files, NULL array", BAD, .file_count = 0xFFFFFFFF),
    REG("0xFFFFFFFF processes, NULL array", BAD, .process_count = 0xFFFFFFFF),
    REG("0xFFFFFFFF services, NULL array", BAD, .service_count = 0xFFFFFFFF),
    REG("0xFFFFFFFF files, [path, NULL] at a no-access page", BAD, .file_count = 0xFFFFFFFF,
        .files = BA_NULL_AT_PAGE_END, .file = BT_FILE),
    REG("0x80000000 files, [path, NULL] at a no-access page", BAD, .file_count = 0x80000000,
        .files = BA_NULL_AT_PAGE_END, .file = BT_FILE),
    REG("0xFFFFFFFF services, [name, NULL] at a no-access page", BAD, .service_count = 0xFFFFFFFF,
        .services = BA_NULL_AT_PAGE_END, .service = BT_SERVICE),
    REG("all counts 0, NULL arrays", OK, .file_count = 0, .process_count = 0, .service_count = 0),
    REG("all counts 0, arrays in no-access pages (not read)", OK, .files = BA_NO_ACCESS,
        .processes = BA_NO_ACCESS, .services = BA_NO_ACCESS),
    REG("1 file pointer ending at a no-access page", OK, .file_count = 1, .files = BA_PAGE_END,
        .file = BT_FILE, .added_files = 1),
    REG("4 file pointers ending at a no-access page", OK, .file_count = 4, .files = BA_PAGE_END,
        .file = BT_FILE, .added_files = 4),
    REG("1 process ending at a no-access page", OK, .process_count = 1, .processes = BA_PAGE_END,
        .process = BPR_SELF, .added_processes = 1),
    REG("1 service pointer ending at a no-access page", OK, .service_count = 1,
        .services = BA_PAGE_END, .service = BT_SERVICE, .added_services = 1),
    REG("empty path (accepted, matches nothing)", OK, .file_count = 1, .files = BA_VALID,
        .file = BT_EMPTY),
    REG("empty service name (accepted, matches nothing)", OK, .service_count = 1,
        .services = BA_VALID, .service = BT_EMPTY),
    REG("path of 32767 units (the longest)", OK, .file_count = 1, .files = BA_VALID,
        .file = BT_PATH_32767, .added_files = 1),
    REG("path of 32768 units (too long: matches nothing)", OK, .file_count = 1, .files = BA_VALID,
        .file = BT_PATH_32768),
    REG("path of 100000 units", OK, .file_count = 1, .files = BA_VALID, .file = BT_PATH_100000),
    REG("path without NUL in 32768 units, then a no-access page", OK, .file_count = 1,
        .files = BA_VALID, .file = BT_UNTERMINATED),
    REG("8.3 path without NUL in 32768 units, then a no-access page", OK, .file_count = 1,
        .files = BA_VALID, .file = BT_UNTERMINATED_SHORT_NAME),
    REG("relative path without NUL in 32768 units, then a no-access page", OK, .file_count = 1,
        .files = BA_VALID, .file = BT_UNTERMINATED_RELATIVE),
    REG("service name without NUL in 32768 units, then a no-access page", OK, .service_count = 1,
        .services = BA_VALID, .service = BT_SERVICE_UNTERMINATED, .added_services = BI_ANY),
    REG("service name of 300 units (accepted, matches nothing)", OK, .service_count = 1,
        .services = BA_VALID, .service = BT_SERVICE_300),
    REG("process id 0xFFFFFFFF, start time 0 (matches nothing)", OK, .process_count = 1,
        .processes = BA_VALID, .process = BPR_BOGUS, .added_processes = 1),
    REG("process id 0 (matches nothing)", OK, .process_count = 1, .processes = BA_VALID,
        .process = BPR_ZERO, .added_processes = 1),
    REG("control: 3 files, 2 equal processes, 2 services", OK, .file_count = 3, .files = BA_VALID,
        .file = BT_FILE, .process_count = 2, .processes = BA_VALID, .process = BPR_SELF,
        .service_count = 2, .services = BA_VALID, .service = BT_SERVICE, .added_files = 3,
        .added_processes = 1, .added_services = 2),
    R("RmRegisterResources: joined handle may register", BI_REGISTER, 0, BH_JOINED, 0, OK,
      .reg = { .file_count = 1, .files = BA_VALID, .file = BT_FILE, .added_files = 1 }),
    UNKNOWN_HANDLES("RmRegisterResources", BI_REGISTER, 0, ONE_FILE),

    /* ---- RmGetList (C-17, C-24…C-27: B-GETLIST-2, B-GETLIST-3) ---- */
    LIST("NULL needed", 0, BH_PRIMARY, BP_NULL, BP_VALID, 0, BP_NULL, BP_VALID, BAD),
    LIST("NULL count", 0, BH_PRIMARY, BP_VALID, BP_NULL, 0, BP_NULL, BP_VALID, BAD),
    LIST("NULL reasons", 0, BH_PRIMARY, BP_VALID, BP_VALID, 0, BP_NULL, BP_NULL, BAD),
    LIST("NULL needed, count and reasons", 0, BH_PRIMARY, BP_NULL, BP_NULL, 0, BP_NULL,
         BP_NULL, BAD),
    LIST("count 1, NULL buffer", 0, BH_PRIMARY, BP_VALID, BP_VALID, 1, BP_NULL, BP_VALID, BAD),
    LIST("count 0xFFFFFFFF, NULL buffer", 0, BH_PRIMARY, BP_VALID, BP_VALID, 0xFFFFFFFF,
         BP_NULL, BP_VALID, BAD),
    LIST("NULL needed, a holder exists", FX_HELD, BH_PRIMARY, BP_NULL, BP_VALID, 0, BP_NULL,
         BP_VALID, BAD),
    LIST("count 1, NULL buffer, a holder exists", FX_HELD, BH_PRIMARY, BP_VALID, BP_VALID, 1,
         BP_NULL, BP_VALID, BAD),
    LIST("count 0, NULL buffer, nothing found", 0, BH_PRIMARY, BP_VALID, BP_VALID, 0, BP_NULL,
         BP_VALID, OK),
    LIST("count 0, buffer in a no-access page, nothing found", 0, BH_PRIMARY, BP_VALID,
         BP_VALID, 0, BP_NO_ACCESS, BP_VALID, OK),
    LIST("count 1, buffer ending at a no-access page, nothing found", 0, BH_PRIMARY, BP_VALID,
         BP_VALID, 1, BP_PAGE_END, BP_VALID, OK),
    LIST("needed, count and reasons ending at a no-access page", 0, BH_PRIMARY, BP_PAGE_END,
         BP_PAGE_END, 0, BP_NULL, BP_PAGE_END, OK),
    LIST("count 0, NULL buffer, one holder", FX_HELD, BH_PRIMARY, BP_VALID, BP_VALID, 0,
         BP_NULL, BP_VALID, ERROR_MORE_DATA),
    LIST("count 0, buffer in a no-access page, one holder (not written)", FX_HELD, BH_PRIMARY,
         BP_VALID, BP_VALID, 0, BP_NO_ACCESS, BP_VALID, ERROR_MORE_DATA),
    LIST("count 1, buffer ending at a no-access page, one holder", FX_HELD, BH_PRIMARY,
         BP_VALID, BP_VALID, 1, BP_PAGE_END, BP_VALID, OK),
    LIST("count 4, one holder (writes one entry only)", FX_HELD, BH_PRIMARY, BP_VALID,
         BP_VALID, 4, BP_VALID, BP_VALID, OK),
    LIST("count 0xFFFFFFFF, 4 entries ending at a no-access page, one holder", FX_HELD,
         BH_PRIMARY, BP_VALID, BP_VALID, 0xFFFFFFFF, BP_PAGE_END, BP_VALID, OK),
    UNKNOWN_HANDLES("RmGetList", BI_GETLIST, 0, LIST_ARGS),
    R("RmGetList: ended handle, a holder exists", BI_GETLIST, FX_HELD, BH_ENDED, 0,
      ERROR_INVALID_HANDLE, LIST_ARGS),
    LIST("joined handle", 0, BH_JOINED, BP_VALID, BP_VALID, 0, BP_NULL, BP_VALID, CONFLICT),
    LIST("joined handle, a holder exists", FX_HELD, BH_JOINED, BP_VALID, BP_VALID, 0, BP_NULL,
         BP_VALID, CONFLICT),

    /* ---- RmShutdown (C-18, C-49: B-SHUT-1) ---- */
    SHUTDOWN("flags 0x2", 0, BH_PRIMARY, 0x2, BAD),
    SHUTDOWN("flags 0x4", 0, BH_PRIMARY, 0x4, BAD),
    SHUTDOWN("flags 0x8", 0, BH_PRIMARY, 0x8, BAD),
    SHUTDOWN("flags 0x20", 0, BH_PRIMARY, 0x20, BAD),
    SHUTDOWN("flags 0x100", 0, BH_PRIMARY, 0x100, BAD),
    SHUTDOWN("flags 0x12", 0, BH_PRIMARY, 0x12, BAD),
    SHUTDOWN("flags 0x21", 0, BH_PRIMARY, 0x21, BAD),
    SHUTDOWN("flags 0x80000000", 0, BH_PRIMARY, 0x80000000, BAD),
    SHUTDOWN("flags 0xFFFFFFFF", 0, BH_PRIMARY, 0xFFFFFFFF, BAD),
    R("RmShutdown: flags 0x4, no callback", BI_SHUTDOWN, 0, BH_PRIMARY, 0, BAD,
      .shutdown = { 0x4, FALSE }),
    SHUTDOWN("flags 0, nothing affected", 0, BH_PRIMARY, 0, OK),
    SHUTDOWN("flags RmForceShutdown, nothing affected", 0, BH_PRIMARY, RmForceShutdown, OK),
    SHUTDOWN("flags RmShutdownOnlyRegistered, nothing affected", 0, BH_PRIMARY,
             RmShutdownOnlyRegistered, OK),
    SHUTDOWN("flags 0x11, nothing affected", 0, BH_PRIMARY, 0x11, OK),
    UNKNOWN_HANDLES("RmShutdown", BI_SHUTDOWN, 0, .shutdown = { 0, TRUE }),
    SHUTDOWN("joined handle", 0, BH_JOINED, 0, CONFLICT),
    SHUTDOWN("joined handle after the primary's shutdown", FX_SHUT_DOWN, BH_JOINED, 0,
             CONFLICT),

    /* ---- RmRestart (C-51, C-53: B-RESTART-1) ---- */
    RESTART("flags 1", 0, BH_PRIMARY, 1, TRUE, BAD),
    RESTART("flags 2", 0, BH_PRIMARY, 2, TRUE, BAD),
    RESTART("flags 0x80000000", 0, BH_PRIMARY, 0x80000000, TRUE, BAD),
    RESTART("flags 0xFFFFFFFF", 0, BH_PRIMARY, 0xFFFFFFFF, TRUE, BAD),
    RESTART("before RmShutdown", 0, BH_PRIMARY, 0, FALSE, ERROR_REQUEST_OUT_OF_SEQUENCE),
    RESTART("before RmShutdown, with a callback", 0, BH_PRIMARY, 0, TRUE,
            ERROR_REQUEST_OUT_OF_SEQUENCE),
    RESTART("flags 1 after RmShutdown", FX_SHUT_DOWN, BH_PRIMARY, 1, TRUE, BAD),
    RESTART("after RmShutdown that found nothing", FX_SHUT_DOWN, BH_PRIMARY, 0, TRUE, OK),
    UNKNOWN_HANDLES("RmRestart", BI_RESTART, 0, .restart = { 0, TRUE }),
    RESTART("joined handle", 0, BH_JOINED, 0, TRUE, CONFLICT),
    RESTART("joined handle after the primary's shutdown", FX_SHUT_DOWN, BH_JOINED, 0, TRUE,
            CONFLICT),

    /* ---- RmCancelCurrentTask (C-59: B-CANCEL-2) ---- */
    R("RmCancelCurrentTask: nothing running", BI_CANCEL, 0, BH_PRIMARY, 0, OK, ),
    R("RmCancelCurrentTask: nothing running, after RmShutdown", BI_CANCEL, FX_SHUT_DOWN,
      BH_PRIMARY, 0, OK, ),
    UNKNOWN_HANDLES("RmCancelCurrentTask", BI_CANCEL, 0, ),

    /* ---- RmReserveHeap: accepted, does nothing ---- */
    HEAP("0", 0),
    HEAP("1", 1),
    HEAP("4096", 4096),
    HEAP("0x100000", 0x100000),
    HEAP("0x7FFFFFFF", 0x7FFFFFFF),
    HEAP("0x80000000", 0x80000000),
    HEAP("0xFFFFFFFF", 0xFFFFFFFF),

    /* ---- RmAddFilter (C-55: B-FILTER-1) ---- */
    ADD("no trigger, RmNoRestart", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_NULL, RmNoRestart, 0,
        BAD),
    ADD("no trigger, RmNoShutdown", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_NULL, RmNoShutdown, 0,
        BAD),
    ADD("module and process", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_SELF, BT_NULL, RmNoRestart,
        0, BAD),
    ADD("module and service", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL, BT_FILTER_SERVICE,
        RmNoRestart, 0, BAD),
    ADD("process and service", 0, BH_PRIMARY, BT_NULL, BPR_SELF, BT_FILTER_SERVICE,
        RmNoRestart, 0, BAD),
    ADD("all three triggers", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_SELF, BT_FILTER_SERVICE,
        RmNoShutdown, 0, BAD),
    ADD("module, action 0", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL, BT_NULL, 0, 0, BAD),
    ADD("module, action 3", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL, BT_NULL, 3, 0, BAD),
    ADD("module, action 0xFFFFFFFF", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL, BT_NULL,
        0xFFFFFFFF, 0, BAD),
    ADD("process, action 0", 0, BH_PRIMARY, BT_NULL, BPR_SELF, BT_NULL, 0, 0, BAD),
    ADD("service, action 0", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_FILTER_SERVICE, 0, 0, BAD),
    ADD("service, action 3", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_FILTER_SERVICE, 3, 0, BAD),
    ADD("empty module", 0, BH_PRIMARY, BT_EMPTY, BPR_NULL, BT_NULL, RmNoRestart, 0, BAD),
    ADD("empty service", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_EMPTY, RmNoRestart, 0, BAD),
    ADD("service name of 64 units", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_SERVICE_64,
        RmNoRestart, 0, BAD),
    ADD("module of 32768 units", 0, BH_PRIMARY, BT_PATH_32768, BPR_NULL, BT_NULL, RmNoRestart,
        0, BAD),
    ADD("module without NUL in 32768 units, then a no-access page", 0, BH_PRIMARY,
        BT_UNTERMINATED, BPR_NULL, BT_NULL, RmNoRestart, 0, BAD),
    ADD("relative module without NUL in 32768 units, then a no-access page", 0, BH_PRIMARY,
        BT_UNTERMINATED_RELATIVE, BPR_NULL, BT_NULL, RmNoRestart, 0, BAD),
    ADD("service without NUL, then a no-access page", 0, BH_PRIMARY, BT_NULL, BPR_NULL,
        BT_SERVICE_UNTERMINATED, RmNoRestart, 0, BAD),
    ADD("module, RmNoRestart", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL, BT_NULL, RmNoRestart,
        1, OK),
    ADD("module, RmNoShutdown", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL, BT_NULL,
        RmNoShutdown, 1, OK),
    ADD("this process, RmNoShutdown", 0, BH_PRIMARY, BT_NULL, BPR_SELF, BT_NULL, RmNoShutdown,
        1, OK),
    ADD("a process that does not exist, RmNoRestart", 0, BH_PRIMARY, BT_NULL, BPR_BOGUS,
        BT_NULL, RmNoRestart, 1, OK),
    ADD("service, RmNoRestart", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_FILTER_SERVICE,
        RmNoRestart, 1, OK),
    ADD("service name of 63 units", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_SERVICE_63,
        RmNoShutdown, 1, OK),
    ADD("existing module again, other action (updates)", FX_FILTERS, BH_PRIMARY,
        BT_FILTER_MODULE, BPR_NULL, BT_NULL, RmNoShutdown, 0, OK),
    ADD("existing service in another case (updates)", FX_FILTERS, BH_PRIMARY, BT_NULL,
        BPR_NULL, BT_FILTER_SERVICE_UPPER, RmNoShutdown, 0, OK),
    UNKNOWN_HANDLES("RmAddFilter", BI_ADD_FILTER, 0,
                    .add = { BT_FILTER_MODULE, BPR_NULL, BT_NULL, RmNoRestart, 0 }),
    ADD("joined handle", 0, BH_JOINED, BT_FILTER_MODULE, BPR_NULL, BT_NULL, RmNoRestart, 0,
        CONFLICT),

    /* ---- RmRemoveFilter (B-FILTER-4, B-FILTER-5: no such filter, ERROR_FILE_NOT_FOUND) ---- */
    REMOVE("no trigger", FX_FILTERS, BH_PRIMARY, BT_NULL, BPR_NULL, BT_NULL, 0, BAD),
    REMOVE("module and process", FX_FILTERS, BH_PRIMARY, BT_FILTER_MODULE, BPR_SELF, BT_NULL,
           0, BAD),
    REMOVE("module and service", FX_FILTERS, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL,
           BT_FILTER_SERVICE, 0, BAD),
    REMOVE("process and service", FX_FILTERS, BH_PRIMARY, BT_NULL, BPR_SELF, BT_FILTER_SERVICE,
           0, BAD),
    REMOVE("all three triggers", FX_FILTERS, BH_PRIMARY, BT_FILTER_MODULE, BPR_SELF,
           BT_FILTER_SERVICE, 0, BAD),
    REMOVE("module, no filters", 0, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL, BT_NULL, 0,
           ERROR_FILE_NOT_FOUND),
    REMOVE("process, no filters", 0, BH_PRIMARY, BT_NULL, BPR_SELF, BT_NULL, 0,
           ERROR_FILE_NOT_FOUND),
    REMOVE("service, no filters", 0, BH_PRIMARY, BT_NULL, BPR_NULL, BT_FILTER_SERVICE, 0,
           ERROR_FILE_NOT_FOUND),
    REMOVE("module not filtered", FX_FILTERS, BH_PRIMARY, BT_FILE, BPR_NULL, BT_NULL, 0,
           ERROR_FILE_NOT_FOUND),
    REMOVE("process not filtered", FX_FILTERS, BH_PRIMARY, BT_NULL, BPR_BOGUS, BT_NULL, 0,
           ERROR_FILE_NOT_FOUND),
    REMOVE("empty module", FX_FILTERS, BH_PRIMARY, BT_EMPTY, BPR_NULL, BT_NULL, 0,
           ERROR_FILE_NOT_FOUND),
    REMOVE("service name of 64 units", FX_FILTERS, BH_PRIMARY, BT_NULL, BPR_NULL,
           BT_SERVICE_64, 0, ERROR_FILE_NOT_FOUND),
    REMOVE("module without NUL in 32768 units, then a no-access page", FX_FILTERS, BH_PRIMARY,
           BT_UNTERMINATED, BPR_NULL, BT_NULL, 0, ERROR_FILE_NOT_FOUND),
    REMOVE("filtered module", FX_FILTERS, BH_PRIMARY, BT_FILTER_MODULE, BPR_NULL, BT_NULL, 1,
           OK),
    REMOVE("filtered process", FX_FILTERS, BH_PRIMARY, BT_NULL, BPR_SELF, BT_NULL, 1, OK),
    REMOVE("filtered service", FX_FILTERS, BH_PRIMARY, BT_NULL, BPR_NULL, BT_FILTER_SERVICE,
           1, OK),
    REMOVE("filtered service, other case", FX_FILTERS, BH_PRIMARY, BT_NULL, BPR_NULL,
           BT_FILTER_SERVICE_UPPER, 1, OK),
    UNKNOWN_HANDLES("RmRemoveFilter", BI_REMOVE_FILTER, FX_FILTERS,
                    .remove = { BT_FILTER_MODULE, BPR_NULL, BT_NULL, 0 }),
    REMOVE("joined handle", FX_FILTERS, BH_JOINED, BT_FILTER_MODULE, BPR_NULL, BT_NULL, 0,
           CONFLICT),

    /* ---- RmGetFilterList (B-FILTER-6, B-FILTER-7: too small or no needed, ERROR_MORE_DATA) ---- */
    FILTERS("NULL needed", 0, BH_PRIMARY, BP_NULL, BS_VALUE, 0, BP_NULL, ERROR_MORE_DATA),
    FILTERS("NULL needed, filters exist", FX_FILTERS, BH_PRIMARY, BP_VALID, BS_NEEDED, 0,
            BP_NULL, ERROR_MORE_DATA),
    FILTERS("NULL buffer, size 100", 0, BH_PRIMARY, BP_NULL, BS_VALUE, 100, BP_VALID, BAD),
    FILTERS("NULL buffer, size 100, filters exist", FX_FILTERS, BH_PRIMARY, BP_NULL, BS_VALUE,
            100, BP_VALID, BAD),
    FILTERS("no filters, NULL buffer, size 0", 0, BH_PRIMARY, BP_NULL, BS_VALUE, 0, BP_VALID,
            OK),
    FILTERS("no filters, buffer in a no-access page, size 0", 0, BH_PRIMARY, BP_NO_ACCESS,
            BS_VALUE, 0, BP_VALID, OK),
    FILTERS("no filters, size 64", 0, BH_PRIMARY, BP_VALID, BS_VALUE, 64, BP_VALID, OK),
    FILTERS("NULL buffer, size 0", FX_FILTERS, BH_PRIMARY, BP_NULL, BS_VALUE, 0, BP_VALID,
            ERROR_MORE_DATA),
    FILTERS("buffer in a no-access page, size 0", FX_FILTERS, BH_PRIMARY, BP_NO_ACCESS,
            BS_VALUE, 0, BP_VALID, ERROR_MORE_DATA),
    FILTERS("size 1", FX_FILTERS, BH_PRIMARY, BP_VALID, BS_VALUE, 1, BP_VALID,
            ERROR_MORE_DATA),
    FILTERS("one byte short", FX_FILTERS, BH_PRIMARY, BP_VALID, BS_NEEDED_LESS_ONE, 0,
            BP_VALID, ERROR_MORE_DATA),
    FILTERS("one byte short, ending at a no-access page", FX_FILTERS, BH_PRIMARY, BP_PAGE_END,
            BS_NEEDED_LESS_ONE, 0, BP_VALID, ERROR_MORE_DATA),
    FILTERS("exact size ending at a no-access page", FX_FILTERS, BH_PRIMARY, BP_PAGE_END,
            BS_NEEDED, 0, BP_VALID, OK),
    FILTERS("needed ending at a no-access page", FX_FILTERS, BH_PRIMARY, BP_VALID, BS_NEEDED,
            0, BP_PAGE_END, OK),
    UNKNOWN_HANDLES("RmGetFilterList", BI_GET_FILTERS, FX_FILTERS,
                    .filters = { BP_VALID, BS_NEEDED, 0, BP_VALID }),
    FILTERS("joined handle", FX_FILTERS, BH_JOINED, BP_VALID, BS_NEEDED, 0, BP_VALID, CONFLICT),
};

const size_t bi_case_count = sizeof(bi_cases) / sizeof(bi_cases[0]);
