// SPDX-License-Identifier: LGPL-2.1-or-later
/* The shutdown and restart order of src/core/shutdown_order.h (docs/behaviour.md B-SHUT-3,
 * B-SHUT-4, B-RESTART-2), including Explorer, which Wine cannot provide as an affected
 * application. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "shutdown_order.h"

/* "GUI applications, then console applications, then services, Explorer last". */
static void test_shutdown_phases_in_documented_order(void **state)
{
    (void)state;
    assert_int_equal(rm_shutdown_phase(RM_TYPE_MAIN_WINDOW), RM_PHASE_GUI);
    assert_int_equal(rm_shutdown_phase(RM_TYPE_OTHER_WINDOW), RM_PHASE_GUI);
    assert_int_equal(rm_shutdown_phase(RM_TYPE_UNKNOWN), RM_PHASE_GUI);
    assert_int_equal(rm_shutdown_phase(RM_TYPE_CONSOLE), RM_PHASE_CONSOLE);
    assert_int_equal(rm_shutdown_phase(RM_TYPE_SERVICE), RM_PHASE_SERVICE);
    assert_int_equal(rm_shutdown_phase(RM_TYPE_EXPLORER), RM_PHASE_EXPLORER);
    assert_true(RM_PHASE_GUI < RM_PHASE_CONSOLE);
    assert_true(RM_PHASE_CONSOLE < RM_PHASE_SERVICE);
    assert_true(RM_PHASE_SERVICE < RM_PHASE_EXPLORER);
    assert_int_equal(RM_PHASE_EXPLORER, RM_PHASE_COUNT - 1);
}

/* "restart in the reverse order": Explorer first, GUI applications last. */
static void test_restart_is_the_reverse(void **state)
{
    (void)state;
    assert_int_equal(rm_restart_phase(0), RM_PHASE_EXPLORER);
    assert_int_equal(rm_restart_phase(1), RM_PHASE_SERVICE);
    assert_int_equal(rm_restart_phase(2), RM_PHASE_CONSOLE);
    assert_int_equal(rm_restart_phase(3), RM_PHASE_GUI);
    assert_int_equal(rm_restart_phase(4), RM_PHASE_COUNT);
    assert_int_equal(rm_restart_phase(-1), RM_PHASE_COUNT);
}

/* GUI applications and Explorer are asked before anything is ended. */
static void test_queried_phases(void **state)
{
    (void)state;
    assert_true(rm_phase_is_queried(RM_PHASE_GUI));
    assert_true(rm_phase_is_queried(RM_PHASE_EXPLORER));
    assert_false(rm_phase_is_queried(RM_PHASE_CONSOLE));
    assert_false(rm_phase_is_queried(RM_PHASE_SERVICE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shutdown_phases_in_documented_order),
        cmocka_unit_test(test_restart_is_the_reverse),
        cmocka_unit_test(test_queried_phases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
