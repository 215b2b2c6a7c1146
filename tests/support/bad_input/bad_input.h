// SPDX-License-Identifier: LGPL-2.1-or-later
/* The bad-input table (bad_input_cases.c) and what test_bad_input.c needs to run it.
 * Each row names one export, the session state it runs in, the arguments as symbols the
 * runner turns into real (possibly guarded) memory, the exact expected error and what
 * may change. */
#ifndef RM_TEST_BAD_INPUT_H
#define RM_TEST_BAD_INPUT_H

#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"

typedef enum bi_export {
    BI_START, BI_JOIN, BI_END, BI_REGISTER, BI_GETLIST, BI_SHUTDOWN, BI_RESTART, BI_CANCEL,
    BI_ADD_FILTER, BI_REMOVE_FILTER, BI_GET_FILTERS, BI_RESERVE_HEAP, BI_EXPORT_COUNT
} bi_export;

/* Session state built before the call (bits). Every case gets a live primary with one
 * registered file nobody uses, a live joined handle of it, and stale handle values. */
enum {
    FX_HELD = 1,      /* also a registered file a helper process holds open */
    FX_FILTERS = 2,   /* three filters: a module, this process, a service */
    FX_SHUT_DOWN = 4, /* RmShutdown already ran (it found nothing to shut down) */
};

/* The session handle a case passes. */
typedef enum bi_handle {
    BH_NONE,     /* the export takes no handle */
    BH_PRIMARY,  /* the fixture's live primary */
    BH_JOINED,   /* a live joined handle of the same session */
    BH_ENDED,    /* a primary handle already ended */
    BH_ORPHANED, /* a joined handle whose primary has ended the session */
    BH_LEFT,     /* a joined handle already ended */
    BH_FOREIGN,  /* a live handle of ANOTHER process; no handle of ours has that value */
    BH_VALUE,    /* the literal value (the runner keeps 0 and 1 free) */
} bi_handle;

/* A pointer argument. */
typedef enum bi_pointer {
    BP_VALID,     /* an ordinary buffer pre-filled with a sentinel */
    BP_NULL,
    BP_PAGE_END,  /* the object ends exactly where a PAGE_NOACCESS page begins */
    BP_NO_ACCESS, /* points into a PAGE_NOACCESS page: must not be touched */
} bi_pointer;

/* A string argument (paths, service names). */
typedef enum bi_text {
    BT_NULL,
    BT_FILE,            /* an ordinary full path, distinct per use */
    BT_EMPTY,
    BT_PATH_32767,      /* the longest path: 32767 units, terminated */
    BT_PATH_32768,      /* one unit too long, terminated */
    BT_PATH_100000,     /* far too long, terminated */
    BT_UNTERMINATED,    /* "C:\..." 32768 units with no NUL, then PAGE_NOACCESS */
    BT_UNTERMINATED_SHORT_NAME, /* the same with a '~' (an 8.3 name lookup) */
    BT_UNTERMINATED_RELATIVE,   /* the same, relative ("a\...") */
    BT_SERVICE,         /* an ordinary service short name */
    BT_SERVICE_63,      /* CCH_RM_MAX_SVC_NAME units */
    BT_SERVICE_64,      /* one unit more */
    BT_SERVICE_300,     /* longer than any service name */
    BT_SERVICE_UNTERMINATED, /* 32768 units with no NUL, then PAGE_NOACCESS */
    BT_FILTER_MODULE,   /* the module FX_FILTERS filters */
    BT_FILTER_SERVICE,  /* the service FX_FILTERS filters */
    BT_FILTER_SERVICE_UPPER, /* the same name upper-cased */
} bi_text;

/* A session key for RmJoinSession. */
typedef enum bi_key {
    BK_NULL,
    BK_SESSION,         /* the fixture session's key */
    BK_SESSION_UPPER,   /* the same, upper-case digits */
    BK_EMPTY,
    BK_SHORT_31,        /* its first 31 digits */
    BK_LONG_33,         /* the key and one more digit */
    BK_BRACED,          /* 32 units: braces around 30 digits */
    BK_GUID_DASHED,     /* the GUID form with dashes, 36 units */
    BK_ZEROS,           /* 32 zeros: well formed, no such session */
    BK_ONE_DIGIT_CHANGED,
    BK_SPACE_AFTER,
    BK_SPACE_BEFORE,
    BK_NON_HEX,         /* 'g' as the last digit */
    BK_HIGH_BYTE,       /* a digit with a non-zero high byte (U+0161, low byte 'a') */
    BK_FULLWIDTH,       /* fullwidth digits and letters */
    BK_EMBEDDED_NUL,    /* the key with a NUL in the middle */
    BK_ENDED,           /* the key of a session its primary ended */
    BK_ORPHANED,        /* the key of the session whose primary ended (joined before) */
    BK_OVERLONG,        /* 40000 hex digits, terminated */
    BK_PAGE_END_33_HEX, /* 33 hex digits, no NUL, then PAGE_NOACCESS */
    BK_PAGE_END_SESSION,/* the key and its NUL as the last 33 units before PAGE_NOACCESS */
    BK_PAGE_END_33_X,   /* 33 'x', no NUL, then PAGE_NOACCESS */
} bi_key;

/* An array argument of RmRegisterResources (files, processes or services). */
typedef enum bi_array {
    BA_NULL,
    BA_VALID,           /* count entries (at most BI_MAX_ENTRIES) */
    BA_FIRST_NULL,      /* [NULL, valid...] (strings only) */
    BA_LAST_NULL,       /* [valid..., NULL] (strings only) */
    BA_NO_ACCESS,       /* the array is in a PAGE_NOACCESS page */
    BA_PAGE_END,        /* count entries, the last one just before PAGE_NOACCESS */
    BA_NULL_AT_PAGE_END,/* [valid, NULL] just before PAGE_NOACCESS, whatever the count:
                           the DLL must refuse at the NULL without reading further */
} bi_array;

#define BI_MAX_ENTRIES 4

/* A process argument. */
typedef enum bi_process {
    BPR_NULL,
    BPR_SELF,           /* this process, with its real start time */
    BPR_BOGUS,          /* pid 0xFFFFFFFF, start time 0 */
    BPR_ZERO,           /* pid 0 (the idle process) */
} bi_process;

/* A buffer size argument of RmGetFilterList. */
typedef enum bi_size {
    BS_VALUE,           /* .size_value */
    BS_NEEDED,          /* exactly what the filter list takes */
    BS_NEEDED_LESS_ONE,
} bi_size;

/* Don't check the store/filter count after a successful call. */
#define BI_ANY (-1)

typedef struct bi_case {
    const char *name;
    bi_export call;
    unsigned fixture;
    bi_handle handle;
    DWORD value;        /* BH_VALUE */
    union {
        struct { bi_pointer handle; DWORD flags; bi_pointer key; } start;
        struct { bi_pointer handle; bi_key key; } join;
        struct {
            UINT file_count; bi_array files; bi_text file;
            UINT process_count; bi_array processes; bi_process process;
            UINT service_count; bi_array services; bi_text service;
            int added_files, added_processes, added_services;
        } reg;
        struct {
            bi_pointer needed; bi_pointer count; UINT count_in; bi_pointer apps;
            bi_pointer reasons;
        } list;
        struct { ULONG flags; BOOL callback; } shutdown;
        struct { DWORD flags; BOOL callback; } restart;
        struct { bi_text module; bi_process process; bi_text service; DWORD action;
                 int added; } add;
        struct { bi_text module; bi_process process; bi_text service; int removed; } remove;
        struct { bi_pointer buffer; bi_size size; DWORD size_value; bi_pointer needed; } filters;
        struct { DWORD value; } heap;
    };
    DWORD expected;
} bi_case;

extern const bi_case bi_cases[];
extern const size_t bi_case_count;

#endif
