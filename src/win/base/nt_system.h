// SPDX-License-Identifier: LGPL-2.1-or-later
/* The native (ntdll) information classes and record layouts the resolver reads, declared
 * here because MinGW's winternl.h either lacks them or hides their fields. Layouts are
 * those of the caller's own bitness: a WoW64 caller receives 32-bit records from the
 * system (the static asserts pin every offset we rely on for both targets). */
#ifndef RM_WIN_NT_SYSTEM_H
#define RM_WIN_NT_SYSTEM_H

#include <stddef.h>
#include <windows.h>
#include <winternl.h>

/* NTSTATUS values (ntstatus.h clashes with windows.h). */
#define RM_STATUS_SUCCESS              ((NTSTATUS)0x00000000)
#define RM_STATUS_BUFFER_OVERFLOW      ((NTSTATUS)0x80000005)
#define RM_STATUS_NOT_IMPLEMENTED      ((NTSTATUS)0xC0000002)
#define RM_STATUS_INVALID_INFO_CLASS   ((NTSTATUS)0xC0000003)
#define RM_STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004)
#define RM_STATUS_BUFFER_TOO_SMALL     ((NTSTATUS)0xC0000023)

/* Information classes. */
#define RM_SYSTEM_PROCESS_INFORMATION          5
#define RM_SYSTEM_EXTENDED_HANDLE_INFORMATION  64 /* 32-bit PIDs, unlike class 16 */
#define RM_SYSTEM_EXTENDED_PROCESS_INFORMATION 57 /* class 5 with each thread's TEB */
#define RM_FILE_PROCESS_IDS_USING_FILE         47
#define RM_OBJECT_NAME_INFORMATION             1
#define RM_FILE_FS_DEVICE_INFORMATION          4
#define RM_PROCESS_BASIC_INFORMATION           0
#define RM_PROCESS_WOW64_INFORMATION           26

/* SystemProcessInformation: one variable-size record per process, linked by
 * next_entry_offset (0 ends the list); thread records follow each one. */
typedef struct rm_nt_process_record {
    ULONG next_entry_offset;
    ULONG thread_count;
    LARGE_INTEGER working_set_private_size;
    ULONG hard_fault_count;
    ULONG thread_count_high_watermark;
    ULONGLONG cycle_time;
    LARGE_INTEGER create_time;
    LARGE_INTEGER user_time;
    LARGE_INTEGER kernel_time;
    UNICODE_STRING image_name;
    LONG base_priority;
    HANDLE process_id;
    HANDLE parent_process_id;
    ULONG handle_count;
    ULONG session_id;
} rm_nt_process_record;

_Static_assert(offsetof(rm_nt_process_record, create_time) == 32, "create time");
_Static_assert(offsetof(rm_nt_process_record, image_name) == 56, "image name");
#ifdef _WIN64
_Static_assert(offsetof(rm_nt_process_record, process_id) == 80, "pid (x64)");
_Static_assert(offsetof(rm_nt_process_record, session_id) == 100, "session (x64)");
#else
_Static_assert(offsetof(rm_nt_process_record, process_id) == 68, "pid (x86)");
_Static_assert(offsetof(rm_nt_process_record, session_id) == 80, "session (x86)");
#endif

/* The whole process record's size: its thread records start right after it. */
#ifdef _WIN64
#define RM_NT_PROCESS_RECORD_BYTES 0x100u
#else
#define RM_NT_PROCESS_RECORD_BYTES 0xB8u
#endif

/* SystemExtendedProcessInformation's thread record (SYSTEM_THREAD_INFORMATION followed by
 * the stack bounds, start address and TEB), the fields read. A WoW64 caller gets the
 * 32-bit form, whose TEB is then the thread's 64-bit one if it fits in 32 bits. */
typedef struct rm_nt_thread_record {
    LARGE_INTEGER kernel_time;
    LARGE_INTEGER user_time;
    LARGE_INTEGER create_time;
    ULONG wait_time;
    PVOID start_address;
    HANDLE process_id;
    HANDLE thread_id;
    LONG priority;
    LONG base_priority;
    ULONG context_switches;
    ULONG state;
    ULONG wait_reason;
} rm_nt_thread_record;

typedef struct rm_nt_extended_thread_record {
    rm_nt_thread_record thread;  /* padded to its own alignment, as the system's is */
    PVOID stack_base;
    PVOID stack_limit;
    PVOID win32_start_address;
    PVOID teb_base;
    ULONG_PTR reserved[3];
} rm_nt_extended_thread_record;

#ifdef _WIN64
_Static_assert(offsetof(rm_nt_thread_record, thread_id) == 0x30, "thread id (x64)");
_Static_assert(offsetof(rm_nt_extended_thread_record, teb_base) == 0x68, "TEB (x64)");
_Static_assert(sizeof(rm_nt_extended_thread_record) == 0x88, "thread record (x64)");
#else
_Static_assert(offsetof(rm_nt_thread_record, thread_id) == 0x24, "thread id (x86)");
_Static_assert(offsetof(rm_nt_extended_thread_record, teb_base) == 0x4C, "TEB (x86)");
_Static_assert(sizeof(rm_nt_extended_thread_record) == 0x60, "thread record (x86)");
#endif

/* SystemExtendedHandleInformation: pointer-sized fields, so 40 bytes per entry on x64
 * and 28 on x86 (also for a WoW64 caller, which gets the 32-bit form). */
typedef struct rm_nt_handle_entry {
    PVOID object;
    ULONG_PTR process_id;
    ULONG_PTR handle_value;
    ULONG granted_access;
    USHORT creator_back_trace_index;
    USHORT object_type_index;
    ULONG handle_attributes;
    ULONG reserved;
} rm_nt_handle_entry;

typedef struct rm_nt_handle_table {
    ULONG_PTR handle_count;
    ULONG_PTR reserved;
    rm_nt_handle_entry handles[1];
} rm_nt_handle_table;

#ifdef _WIN64
_Static_assert(sizeof(rm_nt_handle_entry) == 40, "handle entry (x64)");
_Static_assert(offsetof(rm_nt_handle_table, handles) == 16, "handle table (x64)");
#else
_Static_assert(sizeof(rm_nt_handle_entry) == 28, "handle entry (x86)");
_Static_assert(offsetof(rm_nt_handle_table, handles) == 8, "handle table (x86)");
#endif

/* FileProcessIdsUsingFileInformation. */
typedef struct rm_nt_file_users {
    ULONG count;
    ULONG_PTR process_ids[1];
} rm_nt_file_users;

/* ObjectNameInformation: the name's UNICODE_STRING, its text right behind it. */
typedef struct rm_nt_object_name {
    UNICODE_STRING name;
} rm_nt_object_name;

#endif
