// SPDX-License-Identifier: LGPL-2.1-or-later
/* The DLL the tests load is ours, and it exports exactly what the system DLL exports:
 * twelve undecorated names (no "@N" stdcall suffixes on x86), plus, in this DLL only, its
 * one documented extension RmxGetEvidence (rstrtmgr_ext.h; docs/behaviour.md B-EXT-1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <windows.h>
#include "rstrtmgr/rstrtmgr_ext.h"
#include "rmt_child.h"

static const char *const export_names[] = {
    "RmAddFilter", "RmCancelCurrentTask", "RmEndSession", "RmGetFilterList", "RmGetList",
    "RmJoinSession", "RmRegisterResources", "RmRemoveFilter", "RmReserveHeap", "RmRestart",
    "RmShutdown", "RmStartSession",
};

static HMODULE loaded_dll(void)
{
    HMODULE module = GetModuleHandleW(L"rstrtmgr.dll");
    assert_non_null(module);
    return module;
}

/* The DLL under test: RSTRTMGR_TEST_DLL's directory when it names a path (rmt_target.h;
 * this program imports the DLL, so the loader's search must find that one), else the
 * test's own directory. */
static void expected_directory(wchar_t *out)
{
    DWORD length = GetEnvironmentVariableW(L"RSTRTMGR_TEST_DLL", out, MAX_PATH);
    if (length == 0 || length >= MAX_PATH || !wcschr(out, L'\\'))
        assert_true(GetModuleFileNameW(NULL, out, MAX_PATH));
    *wcsrchr(out, L'\\') = 0;
}

static void test_loaded_dll_is_ours(void **state)
{
    (void)state;
    wchar_t dll[MAX_PATH], expected[MAX_PATH];
    assert_true(GetModuleFileNameW(loaded_dll(), dll, MAX_PATH));
    expected_directory(expected);
    *wcsrchr(dll, L'\\') = 0;
    /* Beside the test (or where RSTRTMGR_TEST_DLL says), not Wine's builtin stub. */
    if (_wcsicmp(dll, expected) != 0)
        fail_msg("rstrtmgr.dll loaded from %ls, expected %ls", dll, expected);
    /* Wine's builtin stub aborts the caller here; the real DLL refuses an unknown key. */
    DWORD handle;
    assert_int_equal(RmJoinSession(&handle, L"0123456789abcdef0123456789abcdef"),
                     ERROR_SESSION_CREDENTIAL_CONFLICT);
}

static void test_exports_are_undecorated(void **state)
{
    (void)state;
    HMODULE module = loaded_dll();
    char decorated[64];
    for (size_t i = 0; i < ARRAYSIZE(export_names); i++) {
        assert_non_null(GetProcAddress(module, export_names[i]));
        _snprintf(decorated, sizeof(decorated), "%s@12", export_names[i]);
        assert_null(GetProcAddress(module, decorated));
        _snprintf(decorated, sizeof(decorated), "_%s", export_names[i]);
        assert_null(GetProcAddress(module, decorated));
    }
}

static void test_export_table_has_exactly_twelve(void **state)
{
    (void)state;
    BYTE *base = (BYTE *)loaded_dll();
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
    IMAGE_DATA_DIRECTORY directory = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    IMAGE_EXPORT_DIRECTORY *exports = (IMAGE_EXPORT_DIRECTORY *)(base + directory.VirtualAddress);
    /* The twelve (sorted, as the table holds them), and at most our extension after them. */
    const DWORD twelve = ARRAYSIZE(export_names);
    if (exports->NumberOfNames != twelve && exports->NumberOfNames != twelve + 1)
        fail_msg("%lu exported names, expected 12 (+ RmxGetEvidence)",
                 (unsigned long)exports->NumberOfNames);
    assert_string_equal((const char *)(base + exports->Name), "rstrtmgr.dll");
    DWORD *names = (DWORD *)(base + exports->AddressOfNames);
    for (DWORD i = 0; i < twelve; i++)
        assert_string_equal((const char *)(base + names[i]), export_names[i]);
    if (exports->NumberOfNames > twelve)
        assert_string_equal((const char *)(base + names[twelve]), "RmxGetEvidence");
}

static void test_reserve_heap_is_harmless(void **state)
{
    (void)state;
    assert_int_equal(RmReserveHeap(0), ERROR_SUCCESS);
    assert_int_equal(RmReserveHeap(0xFFFFFFFF), ERROR_SUCCESS);
}

RMT_MAIN_CASES("exports", NULL, NULL,
         cmocka_unit_test(test_loaded_dll_is_ours),
         cmocka_unit_test(test_exports_are_undecorated),
         cmocka_unit_test(test_export_table_has_exactly_twelve),
         cmocka_unit_test(test_reserve_heap_is_harmless))
