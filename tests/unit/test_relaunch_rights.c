// SPDX-License-Identifier: LGPL-2.1-or-later
/* RmRestart's rights decision (src/core/relaunch_rights.h; docs/behaviour.md B-RESTART-5
 * to B-RESTART-7) over every combination, including those Wine cannot produce: another
 * user, an elevated application beside an unelevated shell, a console application. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "relaunch_rights.h"

static rm_rights_verdict verdict(rm_fact app_elevated, rm_fact same_user, rm_fact shell_elevated,
                                 int caller_elevated)
{
    rm_rights_facts facts = { app_elevated, same_user, shell_elevated, caller_elevated, 0 };
    return rm_relaunch_rights(&facts).verdict;
}

/* "RmRestart ... does not restart applications that are not running as the currently
 * logged-on user" (Guidelines for Applications). */
static void test_other_user_is_never_restarted(void **state)
{
    (void)state;
    const rm_fact facts[] = { RM_FACT_NO, RM_FACT_YES, RM_FACT_UNKNOWN };
    for (int a = 0; a < 3; a++)
        for (int s = 0; s < 3; s++)
            for (int c = 0; c < 2; c++) {
                assert_int_equal(verdict(facts[a], RM_FACT_NO, facts[s], c),
                                 RM_RIGHTS_REFUSE_OTHER_USER);
                assert_int_equal(verdict(facts[a], RM_FACT_UNKNOWN, facts[s], c),
                                 RM_RIGHTS_REFUSE_OTHER_USER);
            }
}

static void test_elevated_app_beside_unelevated_shell_is_not_restarted(void **state)
{
    (void)state;
    for (int c = 0; c < 2; c++) {
        assert_int_equal(verdict(RM_FACT_YES, RM_FACT_YES, RM_FACT_NO, c),
                         RM_RIGHTS_REFUSE_ELEVATED);
        assert_int_equal(verdict(RM_FACT_YES, RM_FACT_YES, RM_FACT_UNKNOWN, c),
                         RM_RIGHTS_REFUSE_ELEVATED);
        assert_int_equal(verdict(RM_FACT_UNKNOWN, RM_FACT_YES, RM_FACT_NO, c),
                         RM_RIGHTS_REFUSE_ELEVATED);
    }
}

/* Elevation as the session's norm (UAC off, Wine): restarted as the caller does. */
static void test_elevated_like_the_shell_is_restarted(void **state)
{
    (void)state;
    assert_int_equal(verdict(RM_FACT_YES, RM_FACT_YES, RM_FACT_YES, 1), RM_RIGHTS_AS_CALLER);
    assert_int_equal(verdict(RM_FACT_YES, RM_FACT_YES, RM_FACT_YES, 0), RM_RIGHTS_AS_CALLER);
}

/* An elevated installer never lends its token. */
static void test_elevated_caller_uses_the_app_token(void **state)
{
    (void)state;
    const rm_fact shells[] = { RM_FACT_NO, RM_FACT_YES, RM_FACT_UNKNOWN };
    for (int s = 0; s < 3; s++) {
        assert_int_equal(verdict(RM_FACT_NO, RM_FACT_YES, shells[s], 1), RM_RIGHTS_WITH_APP_TOKEN);
        assert_int_equal(verdict(RM_FACT_NO, RM_FACT_YES, shells[s], 0), RM_RIGHTS_AS_CALLER);
    }
}

/* "A console application is restarted in a new console" (RmRestart, B-RESTART-7). */
static void test_console_app_gets_a_new_console(void **state)
{
    (void)state;
    rm_rights_facts console = { RM_FACT_NO, RM_FACT_YES, RM_FACT_NO, 0, 1 };
    rm_rights_facts window = { RM_FACT_NO, RM_FACT_YES, RM_FACT_NO, 0, 0 };
    assert_true(rm_relaunch_rights(&console).new_console);
    assert_false(rm_relaunch_rights(&window).new_console);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_other_user_is_never_restarted),
        cmocka_unit_test(test_elevated_app_beside_unelevated_shell_is_not_restarted),
        cmocka_unit_test(test_elevated_like_the_shell_is_restarted),
        cmocka_unit_test(test_elevated_caller_uses_the_app_token),
        cmocka_unit_test(test_console_app_gets_a_new_console),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
