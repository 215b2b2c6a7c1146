// SPDX-License-Identifier: LGPL-2.1-or-later
/* test_documented's two files: the cases documented_shutdown.c holds (the statements on
 * shutting down and restarting), for the table in test_documented.c, and what both use. */
#ifndef RM_TEST_DOCUMENTED_H
#define RM_TEST_DOCUMENTED_H

#include "relaunch_rights.h" /* rm_fact */

#define LOG_BYTES 16384
/* What an output holds before a call that must write it. */
#define SENTINEL 0xA5A5A5A5u

void test_console_app_gets_ctrl_c_from_console_caller(void **state);
void test_one_refusal_cancels_the_whole_shutdown(void **state);
void test_gui_then_console_then_services(void **state);
void test_late_full_length_registration_is_used(void **state);
void test_status_after_shutdown_and_restart(void **state);
void test_elevated_caller_restarts_unelevated_app_unelevated(void **state);

#endif
