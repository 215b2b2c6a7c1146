// SPDX-License-Identifier: LGPL-2.1-or-later
/* RmRestart's order over a session's record (src/core/shutdown_order.h, rm_restart_order
 * and rm_entry_phase; docs/behaviour.md B-RESTART-2), including Explorer, which Wine
 * cannot provide as an affected application. Orders are compared as text, the record's
 * indices in restart order ("4,3,1"), so that a failure shows the order it got. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "shutdown_order.h"

#define MAX_ITEMS 16

/* The order of items[0..count) as text. */
static const char *order_of(const rm_restart_item *items, size_t count)
{
    static char text[MAX_ITEMS * 4];
    size_t order[MAX_ITEMS], w = 0;
    memset(order, 0xFF, sizeof(order));
    size_t written = rm_restart_order(items, count, order);
    assert_true(written <= count);
    text[0] = 0;
    for (size_t i = 0; i < written; i++)
        w += (size_t)snprintf(text + w, sizeof(text) - w, i ? ",%zu" : "%zu", order[i]);
    return text;
}

#define G { RM_PHASE_GUI, 1 }
#define C { RM_PHASE_CONSOLE, 1 }
#define S { RM_PHASE_SERVICE, 1 }
#define E { RM_PHASE_EXPLORER, 1 }

/* B-RESTART-2 "the reverse of B-SHUT-4 — Explorer, services, console applications, GUI
 * applications". */
static void test_phases_reversed(void **state)
{
    (void)state;
    const rm_restart_item items[] = { G, C, S, E };
    assert_string_equal(order_of(items, 4), "3,2,1,0");
}

/* B-RESTART-2 "services (in the reverse of their stop order)": the record lists them in
 * stop order, so the last stopped starts first. */
static void test_services_reversed(void **state)
{
    (void)state;
    const rm_restart_item items[] = { S, S, S };
    assert_string_equal(order_of(items, 3), "2,1,0");
}

/* Inferred (B-RESTART-2 says nothing of the order within the other phases): applications
 * in the order they were listed, as they were shut down. */
static void test_applications_in_order(void **state)
{
    (void)state;
    const rm_restart_item gui[] = { G, G, G };
    const rm_restart_item console[] = { C, C };
    const rm_restart_item explorer[] = { E, E };
    assert_string_equal(order_of(gui, 3), "0,1,2");
    assert_string_equal(order_of(console, 2), "0,1");
    assert_string_equal(order_of(explorer, 2), "0,1");
}

/* B-RESTART-2 over an interleaved record: Explorer, the services backwards, the console
 * applications, then the GUI applications. */
static void test_interleaved_record(void **state)
{
    (void)state;
    const rm_restart_item items[] = { G, S, C, S, E, G, C };
    assert_string_equal(order_of(items, 7), "4,3,1,2,6,0,5");
}

/* Inferred: RmRestart acts only on what RmShutdown stopped and it has not yet acted on
 * (awaiting_restart); nothing awaiting, or no record at all, is an empty order. */
static void test_only_awaiting_entries(void **state)
{
    (void)state;
    const rm_restart_item items[] = { G, { RM_PHASE_SERVICE, 0 }, S, { RM_PHASE_GUI, 0 }, E };
    const rm_restart_item none[] = { { RM_PHASE_GUI, 0 }, { RM_PHASE_SERVICE, 0 } };
    assert_string_equal(order_of(items, 5), "4,2,0");
    assert_string_equal(order_of(none, 2), "");
    assert_string_equal(order_of(NULL, 0), "");
}

/* Inferred: a service entry restarts with the services whatever application type it was
 * listed with; an application's phase is its type's shutdown phase (B-SHUT-4). */
static void test_entry_phase(void **state)
{
    (void)state;
    assert_int_equal(rm_entry_phase(1, RM_TYPE_SERVICE), RM_PHASE_SERVICE);
    assert_int_equal(rm_entry_phase(1, RM_TYPE_MAIN_WINDOW), RM_PHASE_SERVICE);
    assert_int_equal(rm_entry_phase(0, RM_TYPE_SERVICE), RM_PHASE_SERVICE);
    assert_int_equal(rm_entry_phase(0, RM_TYPE_MAIN_WINDOW), RM_PHASE_GUI);
    assert_int_equal(rm_entry_phase(0, RM_TYPE_OTHER_WINDOW), RM_PHASE_GUI);
    assert_int_equal(rm_entry_phase(0, RM_TYPE_UNKNOWN), RM_PHASE_GUI);
    assert_int_equal(rm_entry_phase(0, RM_TYPE_CONSOLE), RM_PHASE_CONSOLE);
    assert_int_equal(rm_entry_phase(0, RM_TYPE_EXPLORER), RM_PHASE_EXPLORER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phases_reversed),
        cmocka_unit_test(test_services_reversed),
        cmocka_unit_test(test_applications_in_order),
        cmocka_unit_test(test_interleaved_record),
        cmocka_unit_test(test_only_awaiting_entries),
        cmocka_unit_test(test_entry_phase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
