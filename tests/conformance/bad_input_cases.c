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

/* One case: its name, the export, the fixture's extras (FX_*), the handle it passes (and
 * the value, for BH_VALUE), the expected error, then the export's arguments by name. */
#define R(label, call_, fx, h, v, exp, ...) \
    { .name = label, .call = call_, .fixture = fx, .handle = h, .value = v, .expected = (exp), \
      __VA_ARGS__ }

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

/* One row per export: EXPORT(label, [fixture, handle,] expected, .argument = value...),
 * the arguments by their names in the export's member of bi_case. REG leaves out what is
 * 0, BA_NULL, BT_NULL or BPR_NULL; the others name every argument. */
#define START(label, exp, ...) \
    R("RmStartSession: " label, BI_START, 0, BH_NONE, 0, exp, .start = { __VA_ARGS__ })
#define JOIN(label, exp, ...) \
    R("RmJoinSession: " label, BI_JOIN, 0, BH_NONE, 0, exp, .join = { __VA_ARGS__ })
#define REG(label, exp, ...) \
    R("RmRegisterResources: " label, BI_REGISTER, 0, BH_PRIMARY, 0, exp, .reg = { __VA_ARGS__ })
#define ONE_FILE .reg = { .file_count = 1, .files = BA_VALID, .file = BT_FILE }
#define LIST(label, fx, h, exp, ...) \
    R("RmGetList: " label, BI_GETLIST, fx, h, 0, exp, .list = { __VA_ARGS__ })
#define LIST_ARGS                                                                           \
    .list = { .needed = BP_VALID, .count = BP_VALID, .count_in = 0, .apps = BP_NULL,       \
              .reasons = BP_VALID }
/* With a status callback (R for a row without one). */
#define SHUTDOWN(label, fx, h, exp, ...)                                                    \
    R("RmShutdown: " label, BI_SHUTDOWN, fx, h, 0, exp,                                    \
      .shutdown = { .callback = TRUE, __VA_ARGS__ })
#define RESTART(label, fx, h, exp, ...) \
    R("RmRestart: " label, BI_RESTART, fx, h, 0, exp, .restart = { __VA_ARGS__ })
#define ADD(label, fx, h, exp, ...) \
    R("RmAddFilter: " label, BI_ADD_FILTER, fx, h, 0, exp, .add = { __VA_ARGS__ })
#define REMOVE(label, fx, h, exp, ...) \
    R("RmRemoveFilter: " label, BI_REMOVE_FILTER, fx, h, 0, exp, .remove = { __VA_ARGS__ })
#define FILTERS(label, fx, h, exp, ...) \
    R("RmGetFilterList: " label, BI_GET_FILTERS, fx, h, 0, exp, .filters = { __VA_ARGS__ })
#define HEAP(label, value_)                                                                 \
    R("RmReserveHeap: " label, BI_RESERVE_HEAP, 0, BH_NONE, 0, ERROR_SUCCESS,             \
      .heap = { .value = value_ })

#define BAD ERROR_BAD_ARGUMENTS
#define CONFLICT ERROR_SESSION_CREDENTIAL_CONFLICT
#define OK ERROR_SUCCESS

const bi_case bi_cases[] = {
    /* ---- RmStartSession (C-3…C-5: B-SESSION-1, B-SESSION-2) ---- */
    START("NULL handle pointer", BAD, .handle = BP_NULL, .flags = 0, .key = BP_VALID),
    START("NULL key", BAD, .handle = BP_VALID, .flags = 0, .key = BP_NULL),
    START("NULL handle pointer and key", BAD, .handle = BP_NULL, .flags = 0, .key = BP_NULL),
    START("flags 1", BAD, .handle = BP_VALID, .flags = 1, .key = BP_VALID),
    START("flags 2", BAD, .handle = BP_VALID, .flags = 2, .key = BP_VALID),
    START("flags 0x10", BAD, .handle = BP_VALID, .flags = 0x10, .key = BP_VALID),
    START("flags 0x100", BAD, .handle = BP_VALID, .flags = 0x100, .key = BP_VALID),
    START("flags 0x80000000", BAD, .handle = BP_VALID, .flags = 0x80000000, .key = BP_VALID),
    START("flags 0xFFFFFFFF", BAD, .handle = BP_VALID, .flags = 0xFFFFFFFF, .key = BP_VALID),
    START("flags 1, NULL handle pointer", BAD, .handle = BP_NULL, .flags = 1, .key = BP_VALID),
    START("flags 1, NULL key", BAD, .handle = BP_VALID, .flags = 1, .key = BP_NULL),
    START("flags 1, key in a no-access page (refused before writing)", BAD, .handle = BP_VALID,
          .flags = 1, .key = BP_NO_ACCESS),
    START("NULL key, handle pointer in a no-access page", BAD, .handle = BP_NO_ACCESS, .flags = 0,
          .key = BP_NULL),
    START("handle and 33-unit key ending at a no-access page (writes no further)", OK,
          .handle = BP_PAGE_END, .flags = 0, .key = BP_PAGE_END),

    /* ---- RmJoinSession (C-10…C-13: B-SESSION-5) ---- */
    JOIN("NULL handle pointer", BAD, .handle = BP_NULL, .key = BK_SESSION),
    JOIN("NULL key", BAD, .handle = BP_VALID, .key = BK_NULL),
    JOIN("NULL handle pointer and key", BAD, .handle = BP_NULL, .key = BK_NULL),
    JOIN("NULL key, handle pointer in a no-access page", BAD, .handle = BP_NO_ACCESS,
         .key = BK_NULL),
    JOIN("empty key, handle pointer in a no-access page", CONFLICT, .handle = BP_NO_ACCESS,
         .key = BK_EMPTY),
    JOIN("empty key", CONFLICT, .handle = BP_VALID, .key = BK_EMPTY),
    JOIN("31 digits", CONFLICT, .handle = BP_VALID, .key = BK_SHORT_31),
    JOIN("33 digits", CONFLICT, .handle = BP_VALID, .key = BK_LONG_33),
    JOIN("braces", CONFLICT, .handle = BP_VALID, .key = BK_BRACED),
    JOIN("GUID with dashes", CONFLICT, .handle = BP_VALID, .key = BK_GUID_DASHED),
    JOIN("32 zeros", CONFLICT, .handle = BP_VALID, .key = BK_ZEROS),
    JOIN("one digit changed", CONFLICT, .handle = BP_VALID, .key = BK_ONE_DIGIT_CHANGED),
    JOIN("trailing space", CONFLICT, .handle = BP_VALID, .key = BK_SPACE_AFTER),
    JOIN("leading space", CONFLICT, .handle = BP_VALID, .key = BK_SPACE_BEFORE),
    JOIN("non-hex last digit", CONFLICT, .handle = BP_VALID, .key = BK_NON_HEX),
    JOIN("digit with a high byte (U+0161)", CONFLICT, .handle = BP_VALID, .key = BK_HIGH_BYTE),
    JOIN("fullwidth digits", CONFLICT, .handle = BP_VALID, .key = BK_FULLWIDTH),
    JOIN("NUL in the middle", CONFLICT, .handle = BP_VALID, .key = BK_EMBEDDED_NUL),
    JOIN("key of an ended session", CONFLICT, .handle = BP_VALID, .key = BK_ENDED),
    JOIN("key of a session ended while joined", CONFLICT, .handle = BP_VALID, .key = BK_ORPHANED),
    JOIN("40000 digits", CONFLICT, .handle = BP_VALID, .key = BK_OVERLONG),
    JOIN("33 digits without NUL at a no-access page (reads <= 33 units)", CONFLICT,
         .handle = BP_VALID, .key = BK_PAGE_END_33_HEX),
    JOIN("33 'x' without NUL at a no-access page", CONFLICT, .handle = BP_VALID,
         .key = BK_PAGE_END_33_X),
    JOIN("the key and its NUL as the last 33 units before a no-access page", OK,
         .handle = BP_VALID, .key = BK_PAGE_END_SESSION),
    JOIN("handle pointer ending at a no-access page", OK, .handle = BP_PAGE_END, .key = BK_SESSION),
    JOIN("upper-case digits", OK, .handle = BP_VALID, .key = BK_SESSION_UPPER),

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
    LIST("NULL needed", 0, BH_PRIMARY, BAD, .needed = BP_NULL, .count = BP_VALID, .count_in = 0,
         .apps = BP_NULL, .reasons = BP_VALID),
    LIST("NULL count", 0, BH_PRIMARY, BAD, .needed = BP_VALID, .count = BP_NULL, .count_in = 0,
         .apps = BP_NULL, .reasons = BP_VALID),
    LIST("NULL reasons", 0, BH_PRIMARY, BAD, .needed = BP_VALID, .count = BP_VALID, .count_in = 0,
         .apps = BP_NULL, .reasons = BP_NULL),
    LIST("NULL needed, count and reasons", 0, BH_PRIMARY, BAD, .needed = BP_NULL, .count = BP_NULL,
         .count_in = 0, .apps = BP_NULL, .reasons = BP_NULL),
    LIST("count 1, NULL buffer", 0, BH_PRIMARY, BAD, .needed = BP_VALID, .count = BP_VALID,
         .count_in = 1, .apps = BP_NULL, .reasons = BP_VALID),
    LIST("count 0xFFFFFFFF, NULL buffer", 0, BH_PRIMARY, BAD, .needed = BP_VALID,
         .count = BP_VALID, .count_in = 0xFFFFFFFF, .apps = BP_NULL, .reasons = BP_VALID),
    LIST("NULL needed, a holder exists", FX_HELD, BH_PRIMARY, BAD, .needed = BP_NULL,
         .count = BP_VALID, .count_in = 0, .apps = BP_NULL, .reasons = BP_VALID),
    LIST("count 1, NULL buffer, a holder exists", FX_HELD, BH_PRIMARY, BAD, .needed = BP_VALID,
         .count = BP_VALID, .count_in = 1, .apps = BP_NULL, .reasons = BP_VALID),
    LIST("count 0, NULL buffer, nothing found", 0, BH_PRIMARY, OK, .needed = BP_VALID,
         .count = BP_VALID, .count_in = 0, .apps = BP_NULL, .reasons = BP_VALID),
    LIST("count 0, buffer in a no-access page, nothing found", 0, BH_PRIMARY, OK,
         .needed = BP_VALID, .count = BP_VALID, .count_in = 0, .apps = BP_NO_ACCESS,
         .reasons = BP_VALID),
    LIST("count 1, buffer ending at a no-access page, nothing found", 0, BH_PRIMARY, OK,
         .needed = BP_VALID, .count = BP_VALID, .count_in = 1, .apps = BP_PAGE_END,
         .reasons = BP_VALID),
    LIST("needed, count and reasons ending at a no-access page", 0, BH_PRIMARY, OK,
         .needed = BP_PAGE_END, .count = BP_PAGE_END, .count_in = 0, .apps = BP_NULL,
         .reasons = BP_PAGE_END),
    LIST("count 0, NULL buffer, one holder", FX_HELD, BH_PRIMARY, ERROR_MORE_DATA,
         .needed = BP_VALID, .count = BP_VALID, .count_in = 0, .apps = BP_NULL,
         .reasons = BP_VALID),
    LIST("count 0, buffer in a no-access page, one holder (not written)",
         FX_HELD, BH_PRIMARY, ERROR_MORE_DATA,
         .needed = BP_VALID, .count = BP_VALID, .count_in = 0, .apps = BP_NO_ACCESS,
         .reasons = BP_VALID),
    LIST("count 1, buffer ending at a no-access page, one holder", FX_HELD, BH_PRIMARY, OK,
         .needed = BP_VALID, .count = BP_VALID, .count_in = 1, .apps = BP_PAGE_END,
         .reasons = BP_VALID),
    LIST("count 4, one holder (writes one entry only)", FX_HELD, BH_PRIMARY, OK,
         .needed = BP_VALID, .count = BP_VALID, .count_in = 4, .apps = BP_VALID,
         .reasons = BP_VALID),
    LIST("count 0xFFFFFFFF, 4 entries ending at a no-access page, one holder",
         FX_HELD, BH_PRIMARY, OK,
         .needed = BP_VALID, .count = BP_VALID, .count_in = 0xFFFFFFFF, .apps = BP_PAGE_END,
         .reasons = BP_VALID),
    UNKNOWN_HANDLES("RmGetList", BI_GETLIST, 0, LIST_ARGS),
    R("RmGetList: ended handle, a holder exists", BI_GETLIST, FX_HELD, BH_ENDED, 0,
      ERROR_INVALID_HANDLE, LIST_ARGS),
    LIST("joined handle", 0, BH_JOINED, CONFLICT, .needed = BP_VALID, .count = BP_VALID,
         .count_in = 0, .apps = BP_NULL, .reasons = BP_VALID),
    LIST("joined handle, a holder exists", FX_HELD, BH_JOINED, CONFLICT, .needed = BP_VALID,
         .count = BP_VALID, .count_in = 0, .apps = BP_NULL, .reasons = BP_VALID),

    /* ---- RmShutdown (C-18, C-49: B-SHUT-1) ---- */
    SHUTDOWN("flags 0x2", 0, BH_PRIMARY, BAD, .flags = 0x2),
    SHUTDOWN("flags 0x4", 0, BH_PRIMARY, BAD, .flags = 0x4),
    SHUTDOWN("flags 0x8", 0, BH_PRIMARY, BAD, .flags = 0x8),
    SHUTDOWN("flags 0x20", 0, BH_PRIMARY, BAD, .flags = 0x20),
    SHUTDOWN("flags 0x100", 0, BH_PRIMARY, BAD, .flags = 0x100),
    SHUTDOWN("flags 0x12", 0, BH_PRIMARY, BAD, .flags = 0x12),
    SHUTDOWN("flags 0x21", 0, BH_PRIMARY, BAD, .flags = 0x21),
    SHUTDOWN("flags 0x80000000", 0, BH_PRIMARY, BAD, .flags = 0x80000000),
    SHUTDOWN("flags 0xFFFFFFFF", 0, BH_PRIMARY, BAD, .flags = 0xFFFFFFFF),
    R("RmShutdown: flags 0x4, no callback", BI_SHUTDOWN, 0, BH_PRIMARY, 0, BAD,
      .shutdown = { .flags = 0x4, .callback = FALSE }),
    SHUTDOWN("flags 0, nothing affected", 0, BH_PRIMARY, OK, .flags = 0),
    SHUTDOWN("flags RmForceShutdown, nothing affected", 0, BH_PRIMARY, OK,
             .flags = RmForceShutdown),
    SHUTDOWN("flags RmShutdownOnlyRegistered, nothing affected", 0, BH_PRIMARY, OK,
             .flags = RmShutdownOnlyRegistered),
    SHUTDOWN("flags 0x11, nothing affected", 0, BH_PRIMARY, OK, .flags = 0x11),
    UNKNOWN_HANDLES("RmShutdown", BI_SHUTDOWN, 0, .shutdown = { .flags = 0, .callback = TRUE }),
    SHUTDOWN("joined handle", 0, BH_JOINED, CONFLICT, .flags = 0),
    SHUTDOWN("joined handle after the primary's shutdown", FX_SHUT_DOWN, BH_JOINED, CONFLICT,
             .flags = 0),

    /* ---- RmRestart (C-51, C-53: B-RESTART-1) ---- */
    RESTART("flags 1", 0, BH_PRIMARY, BAD, .flags = 1, .callback = TRUE),
    RESTART("flags 2", 0, BH_PRIMARY, BAD, .flags = 2, .callback = TRUE),
    RESTART("flags 0x80000000", 0, BH_PRIMARY, BAD, .flags = 0x80000000, .callback = TRUE),
    RESTART("flags 0xFFFFFFFF", 0, BH_PRIMARY, BAD, .flags = 0xFFFFFFFF, .callback = TRUE),
    RESTART("before RmShutdown", 0, BH_PRIMARY, ERROR_REQUEST_OUT_OF_SEQUENCE, .flags = 0,
            .callback = FALSE),
    RESTART("before RmShutdown, with a callback", 0, BH_PRIMARY, ERROR_REQUEST_OUT_OF_SEQUENCE,
            .flags = 0, .callback = TRUE),
    RESTART("flags 1 after RmShutdown", FX_SHUT_DOWN, BH_PRIMARY, BAD, .flags = 1,
            .callback = TRUE),
    RESTART("after RmShutdown that found nothing", FX_SHUT_DOWN, BH_PRIMARY, OK, .flags = 0,
            .callback = TRUE),
    UNKNOWN_HANDLES("RmRestart", BI_RESTART, 0, .restart = { .flags = 0, .callback = TRUE }),
    RESTART("joined handle", 0, BH_JOINED, CONFLICT, .flags = 0, .callback = TRUE),
    RESTART("joined handle after the primary's shutdown", FX_SHUT_DOWN, BH_JOINED, CONFLICT,
            .flags = 0, .callback = TRUE),

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
    ADD("no trigger, RmNoRestart", 0, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_NULL,
        .service = BT_NULL, .action = RmNoRestart, .added = 0),
    ADD("no trigger, RmNoShutdown", 0, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_NULL,
        .service = BT_NULL, .action = RmNoShutdown, .added = 0),
    ADD("module and process", 0, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE, .process = BPR_SELF,
        .service = BT_NULL, .action = RmNoRestart, .added = 0),
    ADD("module and service", 0, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE, .process = BPR_NULL,
        .service = BT_FILTER_SERVICE, .action = RmNoRestart, .added = 0),
    ADD("process and service", 0, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_SELF,
        .service = BT_FILTER_SERVICE, .action = RmNoRestart, .added = 0),
    ADD("all three triggers", 0, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE, .process = BPR_SELF,
        .service = BT_FILTER_SERVICE, .action = RmNoShutdown, .added = 0),
    ADD("module, action 0", 0, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE, .process = BPR_NULL,
        .service = BT_NULL, .action = 0, .added = 0),
    ADD("module, action 3", 0, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE, .process = BPR_NULL,
        .service = BT_NULL, .action = 3, .added = 0),
    ADD("module, action 0xFFFFFFFF", 0, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE,
        .process = BPR_NULL, .service = BT_NULL, .action = 0xFFFFFFFF, .added = 0),
    ADD("process, action 0", 0, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_SELF,
        .service = BT_NULL, .action = 0, .added = 0),
    ADD("service, action 0", 0, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_NULL,
        .service = BT_FILTER_SERVICE, .action = 0, .added = 0),
    ADD("service, action 3", 0, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_NULL,
        .service = BT_FILTER_SERVICE, .action = 3, .added = 0),
    ADD("empty module", 0, BH_PRIMARY, BAD, .module = BT_EMPTY, .process = BPR_NULL,
        .service = BT_NULL, .action = RmNoRestart, .added = 0),
    ADD("empty service", 0, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_NULL,
        .service = BT_EMPTY, .action = RmNoRestart, .added = 0),
    ADD("service name of 64 units", 0, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_NULL,
        .service = BT_SERVICE_64, .action = RmNoRestart, .added = 0),
    ADD("module of 32768 units", 0, BH_PRIMARY, BAD, .module = BT_PATH_32768, .process = BPR_NULL,
        .service = BT_NULL, .action = RmNoRestart, .added = 0),
    ADD("module without NUL in 32768 units, then a no-access page", 0, BH_PRIMARY, BAD,
        .module = BT_UNTERMINATED, .process = BPR_NULL, .service = BT_NULL, .action = RmNoRestart,
        .added = 0),
    ADD("relative module without NUL in 32768 units, then a no-access page", 0, BH_PRIMARY, BAD,
        .module = BT_UNTERMINATED_RELATIVE, .process = BPR_NULL, .service = BT_NULL,
        .action = RmNoRestart, .added = 0),
    ADD("service without NUL, then a no-access page", 0, BH_PRIMARY, BAD, .module = BT_NULL,
        .process = BPR_NULL, .service = BT_SERVICE_UNTERMINATED, .action = RmNoRestart, .added = 0),
    ADD("module, RmNoRestart", 0, BH_PRIMARY, OK, .module = BT_FILTER_MODULE, .process = BPR_NULL,
        .service = BT_NULL, .action = RmNoRestart, .added = 1),
    ADD("module, RmNoShutdown", 0, BH_PRIMARY, OK, .module = BT_FILTER_MODULE, .process = BPR_NULL,
        .service = BT_NULL, .action = RmNoShutdown, .added = 1),
    ADD("this process, RmNoShutdown", 0, BH_PRIMARY, OK, .module = BT_NULL, .process = BPR_SELF,
        .service = BT_NULL, .action = RmNoShutdown, .added = 1),
    ADD("a process that does not exist, RmNoRestart", 0, BH_PRIMARY, OK, .module = BT_NULL,
        .process = BPR_BOGUS, .service = BT_NULL, .action = RmNoRestart, .added = 1),
    ADD("service, RmNoRestart", 0, BH_PRIMARY, OK, .module = BT_NULL, .process = BPR_NULL,
        .service = BT_FILTER_SERVICE, .action = RmNoRestart, .added = 1),
    ADD("service name of 63 units", 0, BH_PRIMARY, OK, .module = BT_NULL, .process = BPR_NULL,
        .service = BT_SERVICE_63, .action = RmNoShutdown, .added = 1),
    ADD("existing module again, other action (updates)", FX_FILTERS, BH_PRIMARY, OK,
        .module = BT_FILTER_MODULE, .process = BPR_NULL, .service = BT_NULL,
        .action = RmNoShutdown, .added = 0),
    ADD("existing service in another case (updates)", FX_FILTERS, BH_PRIMARY, OK,
        .module = BT_NULL, .process = BPR_NULL, .service = BT_FILTER_SERVICE_UPPER,
        .action = RmNoShutdown, .added = 0),
    UNKNOWN_HANDLES("RmAddFilter", BI_ADD_FILTER, 0,
                    .add = { .module = BT_FILTER_MODULE, .process = BPR_NULL, .service = BT_NULL,
                             .action = RmNoRestart, .added = 0 }),
    ADD("joined handle", 0, BH_JOINED, CONFLICT, .module = BT_FILTER_MODULE, .process = BPR_NULL,
        .service = BT_NULL, .action = RmNoRestart, .added = 0),

    /* ---- RmRemoveFilter (B-FILTER-4, B-FILTER-5: no such filter, ERROR_FILE_NOT_FOUND) ---- */
    REMOVE("no trigger", FX_FILTERS, BH_PRIMARY, BAD, .module = BT_NULL, .process = BPR_NULL,
           .service = BT_NULL, .removed = 0),
    REMOVE("module and process", FX_FILTERS, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE,
           .process = BPR_SELF, .service = BT_NULL, .removed = 0),
    REMOVE("module and service", FX_FILTERS, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE,
           .process = BPR_NULL, .service = BT_FILTER_SERVICE, .removed = 0),
    REMOVE("process and service", FX_FILTERS, BH_PRIMARY, BAD, .module = BT_NULL,
           .process = BPR_SELF, .service = BT_FILTER_SERVICE, .removed = 0),
    REMOVE("all three triggers", FX_FILTERS, BH_PRIMARY, BAD, .module = BT_FILTER_MODULE,
           .process = BPR_SELF, .service = BT_FILTER_SERVICE, .removed = 0),
    REMOVE("module, no filters", 0, BH_PRIMARY, ERROR_FILE_NOT_FOUND, .module = BT_FILTER_MODULE,
           .process = BPR_NULL, .service = BT_NULL, .removed = 0),
    REMOVE("process, no filters", 0, BH_PRIMARY, ERROR_FILE_NOT_FOUND, .module = BT_NULL,
           .process = BPR_SELF, .service = BT_NULL, .removed = 0),
    REMOVE("service, no filters", 0, BH_PRIMARY, ERROR_FILE_NOT_FOUND, .module = BT_NULL,
           .process = BPR_NULL, .service = BT_FILTER_SERVICE, .removed = 0),
    REMOVE("module not filtered", FX_FILTERS, BH_PRIMARY, ERROR_FILE_NOT_FOUND, .module = BT_FILE,
           .process = BPR_NULL, .service = BT_NULL, .removed = 0),
    REMOVE("process not filtered", FX_FILTERS, BH_PRIMARY, ERROR_FILE_NOT_FOUND, .module = BT_NULL,
           .process = BPR_BOGUS, .service = BT_NULL, .removed = 0),
    REMOVE("empty module", FX_FILTERS, BH_PRIMARY, ERROR_FILE_NOT_FOUND, .module = BT_EMPTY,
           .process = BPR_NULL, .service = BT_NULL, .removed = 0),
    REMOVE("service name of 64 units", FX_FILTERS, BH_PRIMARY, ERROR_FILE_NOT_FOUND,
           .module = BT_NULL, .process = BPR_NULL, .service = BT_SERVICE_64, .removed = 0),
    REMOVE("module without NUL in 32768 units, then a no-access page",
           FX_FILTERS, BH_PRIMARY, ERROR_FILE_NOT_FOUND,
           .module = BT_UNTERMINATED, .process = BPR_NULL, .service = BT_NULL, .removed = 0),
    REMOVE("filtered module", FX_FILTERS, BH_PRIMARY, OK, .module = BT_FILTER_MODULE,
           .process = BPR_NULL, .service = BT_NULL, .removed = 1),
    REMOVE("filtered process", FX_FILTERS, BH_PRIMARY, OK, .module = BT_NULL, .process = BPR_SELF,
           .service = BT_NULL, .removed = 1),
    REMOVE("filtered service", FX_FILTERS, BH_PRIMARY, OK, .module = BT_NULL, .process = BPR_NULL,
           .service = BT_FILTER_SERVICE, .removed = 1),
    REMOVE("filtered service, other case", FX_FILTERS, BH_PRIMARY, OK, .module = BT_NULL,
           .process = BPR_NULL, .service = BT_FILTER_SERVICE_UPPER, .removed = 1),
    UNKNOWN_HANDLES("RmRemoveFilter", BI_REMOVE_FILTER, FX_FILTERS,
                    .remove = { .module = BT_FILTER_MODULE, .process = BPR_NULL,
                                .service = BT_NULL, .removed = 0 }),
    REMOVE("joined handle", FX_FILTERS, BH_JOINED, CONFLICT, .module = BT_FILTER_MODULE,
           .process = BPR_NULL, .service = BT_NULL, .removed = 0),

    /* ---- RmGetFilterList (B-FILTER-6, B-FILTER-7: too small or no needed, ERROR_MORE_DATA) ---- */
    FILTERS("NULL needed", 0, BH_PRIMARY, ERROR_MORE_DATA, .buffer = BP_NULL, .size = BS_VALUE,
            .size_value = 0, .needed = BP_NULL),
    FILTERS("NULL needed, filters exist", FX_FILTERS, BH_PRIMARY, ERROR_MORE_DATA,
            .buffer = BP_VALID, .size = BS_NEEDED, .size_value = 0, .needed = BP_NULL),
    FILTERS("NULL buffer, size 100", 0, BH_PRIMARY, BAD, .buffer = BP_NULL, .size = BS_VALUE,
            .size_value = 100, .needed = BP_VALID),
    FILTERS("NULL buffer, size 100, filters exist", FX_FILTERS, BH_PRIMARY, BAD, .buffer = BP_NULL,
            .size = BS_VALUE, .size_value = 100, .needed = BP_VALID),
    FILTERS("no filters, NULL buffer, size 0", 0, BH_PRIMARY, OK, .buffer = BP_NULL,
            .size = BS_VALUE, .size_value = 0, .needed = BP_VALID),
    FILTERS("no filters, buffer in a no-access page, size 0", 0, BH_PRIMARY, OK,
            .buffer = BP_NO_ACCESS, .size = BS_VALUE, .size_value = 0, .needed = BP_VALID),
    FILTERS("no filters, size 64", 0, BH_PRIMARY, OK, .buffer = BP_VALID, .size = BS_VALUE,
            .size_value = 64, .needed = BP_VALID),
    FILTERS("NULL buffer, size 0", FX_FILTERS, BH_PRIMARY, ERROR_MORE_DATA, .buffer = BP_NULL,
            .size = BS_VALUE, .size_value = 0, .needed = BP_VALID),
    FILTERS("buffer in a no-access page, size 0", FX_FILTERS, BH_PRIMARY, ERROR_MORE_DATA,
            .buffer = BP_NO_ACCESS, .size = BS_VALUE, .size_value = 0, .needed = BP_VALID),
    FILTERS("size 1", FX_FILTERS, BH_PRIMARY, ERROR_MORE_DATA, .buffer = BP_VALID,
            .size = BS_VALUE, .size_value = 1, .needed = BP_VALID),
    FILTERS("one byte short", FX_FILTERS, BH_PRIMARY, ERROR_MORE_DATA, .buffer = BP_VALID,
            .size = BS_NEEDED_LESS_ONE, .size_value = 0, .needed = BP_VALID),
    FILTERS("one byte short, ending at a no-access page", FX_FILTERS, BH_PRIMARY, ERROR_MORE_DATA,
            .buffer = BP_PAGE_END, .size = BS_NEEDED_LESS_ONE, .size_value = 0, .needed = BP_VALID),
    FILTERS("exact size ending at a no-access page", FX_FILTERS, BH_PRIMARY, OK,
            .buffer = BP_PAGE_END, .size = BS_NEEDED, .size_value = 0, .needed = BP_VALID),
    FILTERS("needed ending at a no-access page", FX_FILTERS, BH_PRIMARY, OK, .buffer = BP_VALID,
            .size = BS_NEEDED, .size_value = 0, .needed = BP_PAGE_END),
    UNKNOWN_HANDLES("RmGetFilterList", BI_GET_FILTERS, FX_FILTERS,
                    .filters = { .buffer = BP_VALID, .size = BS_NEEDED, .size_value = 0,
                                 .needed = BP_VALID }),
    FILTERS("joined handle", FX_FILTERS, BH_JOINED, CONFLICT, .buffer = BP_VALID,
            .size = BS_NEEDED, .size_value = 0, .needed = BP_VALID),
};

const size_t bi_case_count = sizeof(bi_cases) / sizeof(bi_cases[0]);
