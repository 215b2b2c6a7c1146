// SPDX-License-Identifier: LGPL-2.1-or-later
/* How RmGetList describes a process (src/core/app_type.h; docs/behaviour.md B-GETLIST-6
 * to -10 and -13), including what Wine cannot show: the real system processes, Explorer,
 * the hosts of RpcSs, DcomLaunch and PlugPlay, services that refuse to stop, other
 * terminal sessions. A description is compared as text, e.g.
 * "CRITICAL name=FILE restart=NEVER reasons=CriticalProcess image=0", so that a failure
 * shows the whole description it got. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app_type.h"
#include "shutdown_order.h"

static size_t ulen(const rm_wchar *s)
{
    return rm_wcsnlen(s, 1024);
}

/* The facts of a plain application: "TOOL.EXE" from C:\TOOLS, in the caller's session,
 * with no window, not a service. */
static rm_app_facts app(const rm_wchar *base_name, rm_program_directory directory)
{
    rm_app_facts facts;
    memset(&facts, 0, sizeof(facts));
    facts.pid = 1234;
    facts.base_name = base_name ? base_name : u"TOOL.EXE";
    facts.base_name_length = ulen(facts.base_name);
    facts.has_path = 1;
    facts.directory = directory;
    return facts;
}

static rm_app_facts service(int has_display_name)
{
    rm_app_facts facts = app(u"SVCHOST.EXE", RM_DIR_SYSTEM32);
    facts.is_service = 1;
    facts.service_has_display_name = has_display_name;
    facts.service_running = 1;
    facts.service_accepts_stop = 1;
    return facts;
}

static const char *type_name(int type)
{
    switch (type) {
    case RM_TYPE_UNKNOWN: return "UNKNOWN";
    case RM_TYPE_MAIN_WINDOW: return "MAIN_WINDOW";
    case RM_TYPE_OTHER_WINDOW: return "OTHER_WINDOW";
    case RM_TYPE_SERVICE: return "SERVICE";
    case RM_TYPE_EXPLORER: return "EXPLORER";
    case RM_TYPE_CONSOLE: return "CONSOLE";
    case RM_TYPE_CRITICAL: return "CRITICAL";
    default: return "?";
    }
}

/* The description as text; is_console: what the image would say, when read. */
static const char *describe(const rm_app_facts *facts, int is_console)
{
    static char text[4][256];
    static int which;
    static const char *const names[] = { "FILE", "SERVICE", "WINDOW_TITLE", "PROGRAM" };
    static const char *const restarts[] = { "NEVER", "ALWAYS", "IF_RELAUNCHABLE" };
    char *out = text[which++ & 3];
    rm_app_verdict verdict = rm_app_judge(facts);
    char reasons[128] = "";
    if (verdict.critical)
        strcat(reasons, "+CriticalProcess");
    if (verdict.permission_denied)
        strcat(reasons, "+PermissionDenied");
    if (verdict.critical_service)
        strcat(reasons, "+CriticalService");
    if (verdict.session_mismatch)
        strcat(reasons, "+SessionMismatch");
    assert_true(verdict.name >= RM_APP_NAME_FILE && verdict.name <= RM_APP_NAME_PROGRAM);
    assert_true(verdict.restart >= RM_APP_RESTART_NEVER &&
                verdict.restart <= RM_APP_RESTART_IF_RELAUNCHABLE);
    snprintf(out, sizeof(text[0]), "%s name=%s restart=%s reasons=%s image=%d",
             type_name(rm_app_type(facts, &verdict, is_console)), names[verdict.name],
             restarts[verdict.restart], reasons[0] ? reasons + 1 : "none", verdict.needs_image);
    return out;
}

/* ---- critical processes -------------------------------------------------------------- */

/* B-GETLIST-9 "System": pid 0 (System Idle) and 4 (System), whatever they are called;
 * B-GETLIST-10 named by their file name; B-GETLIST-8 never restartable. */
static void test_system_pids_are_critical(void **state)
{
    (void)state;
    rm_app_facts facts = app(u"SYSTEM", RM_DIR_ELSEWHERE);
    facts.has_path = 0;
    facts.pid = RM_PID_SYSTEM;
    assert_string_equal(describe(&facts, 0),
                        "CRITICAL name=FILE restart=NEVER reasons=CriticalProcess image=0");
    facts.pid = RM_PID_SYSTEM_IDLE;
    assert_string_equal(describe(&facts, 0),
                        "CRITICAL name=FILE restart=NEVER reasons=CriticalProcess image=0");
    facts.pid = 8;
    assert_string_equal(describe(&facts, 0),
                        "UNKNOWN name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1");
    assert_int_equal(rm_pid_is_system_idle_or_system(0), 1);
    assert_int_equal(rm_pid_is_system_idle_or_system(4), 1);
    assert_int_equal(rm_pid_is_system_idle_or_system(1), 0);
    assert_int_equal(rm_pid_is_system_idle_or_system(8), 0);
}

/* B-GETLIST-9 "csrss, smss, wininit, winlogon, services, lsass and logonui from the
 * system directory" (SysWOW64 too, inferred: a 32-bit view of it); inferred: a path that
 * cannot be read is one of the protected system processes themselves. */
static void test_system_programs_are_critical(void **state)
{
    (void)state;
    static const rm_wchar *const programs[] = { u"CSRSS.EXE", u"SMSS.EXE", u"WININIT.EXE",
                                                u"WINLOGON.EXE", u"SERVICES.EXE",
                                                u"LSASS.EXE", u"LOGONUI.EXE" };
    const char *critical = "CRITICAL name=FILE restart=NEVER reasons=CriticalProcess image=0";
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
        rm_app_facts facts = app(programs[i], RM_DIR_SYSTEM32);
        assert_string_equal(describe(&facts, 0), critical);
        facts.directory = RM_DIR_SYSWOW64;
        assert_string_equal(describe(&facts, 0), critical);
        facts.has_path = 0;
        facts.directory = RM_DIR_ELSEWHERE;
        assert_string_equal(describe(&facts, 0), critical);
    }
}

/* Inferred (B-GETLIST-9 names the system directory): the same names elsewhere, or names
 * that only begin like them, are ordinary programs. */
static void test_system_names_elsewhere_are_not_critical(void **state)
{
    (void)state;
    const char *plain = "UNKNOWN name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1";
    rm_app_facts facts = app(u"CSRSS.EXE", RM_DIR_WINDOWS);
    assert_string_equal(describe(&facts, 0), plain);
    facts.directory = RM_DIR_ELSEWHERE;
    assert_string_equal(describe(&facts, 0), plain);
    facts = app(u"CSRSS.EXE.BAK", RM_DIR_SYSTEM32);
    assert_string_equal(describe(&facts, 0), plain);
    facts = app(u"CSRSS", RM_DIR_SYSTEM32);
    assert_string_equal(describe(&facts, 0), plain);
    facts = app(u"CSRSS.EXE", RM_DIR_SYSTEM32);
    facts.base_name_length = 5; /* "CSRSS" of a longer buffer */
    assert_string_equal(describe(&facts, 0), plain);
}

/* B-GETLIST-9 "the process hosting RpcSs, DcomLaunch or PlugPlay" (page: Critical System
 * Services), and B-GETLIST-13 a service living in a critical process -> CriticalService. */
static void test_host_of_critical_service(void **state)
{
    (void)state;
    rm_app_facts facts = service(1);
    facts.hosts_critical_service = 1;
    assert_string_equal(describe(&facts, 0),
                        "CRITICAL name=FILE restart=NEVER "
                        "reasons=CriticalProcess+CriticalService image=0");
    assert_int_equal(rm_service_name_is_critical(u"RpcSs"), 1);
    assert_int_equal(rm_service_name_is_critical(u"rpcss"), 1);   /* _wcsicmp */
    assert_int_equal(rm_service_name_is_critical(u"DCOMLAUNCH"), 1);
    assert_int_equal(rm_service_name_is_critical(u"PlugPlay"), 1);
    assert_int_equal(rm_service_name_is_critical(u"RpcSs2"), 0);
    assert_int_equal(rm_service_name_is_critical(u"RpcEptMapper"), 0);
    assert_int_equal(rm_service_name_is_critical(u"Rpc"), 0);
    assert_int_equal(rm_service_name_is_critical(u""), 0);
    /* Inferred: the host of a critical service is critical as a service host only. */
    facts.is_service = 0;
    assert_string_equal(describe(&facts, 0),
                        "UNKNOWN name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1");
}

/* B-GETLIST-9 "an application the caller may not terminate (also PermissionDenied)";
 * B-GETLIST-10 named by its file name, even with a titled window; B-GETLIST-13 an
 * application in another session is also a SessionMismatch. */
static void test_denied_application(void **state)
{
    (void)state;
    rm_app_facts facts = app(NULL, RM_DIR_ELSEWHERE);
    facts.denied = 1;
    facts.has_main_window = facts.main_window_has_title = 1;
    assert_string_equal(describe(&facts, 0),
                        "CRITICAL name=FILE restart=NEVER "
                        "reasons=CriticalProcess+PermissionDenied image=0");
    facts.other_session = 1;
    assert_string_equal(describe(&facts, 0),
                        "CRITICAL name=FILE restart=NEVER "
                        "reasons=CriticalProcess+PermissionDenied+SessionMismatch image=0");
}

/* B-GETLIST-9 (inferred part): "services are exempt, the SCM stops them". */
static void test_denied_service_is_exempt(void **state)
{
    (void)state;
    rm_app_facts facts = service(1);
    facts.denied = 1;
    assert_string_equal(describe(&facts, 0),
                        "SERVICE name=SERVICE restart=ALWAYS reasons=none image=0");
}

/* ---- services ------------------------------------------------------------------------ */

/* B-GETLIST-6 RmService before everything but RmCritical (even Explorer hosting one);
 * B-GETLIST-7 its display name, else the program's own; B-GETLIST-8 always restartable;
 * B-GETLIST-13 no SessionMismatch for a service (the SCM stops it from any session). */
static void test_service(void **state)
{
    (void)state;
    rm_app_facts facts = service(1);
    facts.other_session = 1;
    facts.has_main_window = facts.main_window_has_title = 1;
    assert_string_equal(describe(&facts, 1),
                        "SERVICE name=SERVICE restart=ALWAYS reasons=none image=0");
    facts = service(0);
    assert_string_equal(describe(&facts, 1),
                        "SERVICE name=PROGRAM restart=ALWAYS reasons=none image=1");
    facts = service(1);
    facts.base_name = u"EXPLORER.EXE";
    facts.base_name_length = ulen(facts.base_name);
    facts.directory = RM_DIR_WINDOWS;
    assert_string_equal(describe(&facts, 0),
                        "SERVICE name=SERVICE restart=ALWAYS reasons=none image=0");
}

/* B-GETLIST-13 "a service that cannot be stopped or lives in a critical process ->
 * CriticalService": running without accepting STOP, or in the system process. */
static void test_critical_service_reason(void **state)
{
    (void)state;
    const char *critical_service =
        "SERVICE name=SERVICE restart=ALWAYS reasons=CriticalService image=0";
    rm_app_facts facts = service(1);
    facts.service_accepts_stop = 0;
    assert_string_equal(describe(&facts, 0), critical_service);
    facts = service(1);
    facts.service_runs_in_system_process = 1;
    assert_string_equal(describe(&facts, 0), critical_service);
    /* Inferred: a pending service that cannot take STOP yet may still stop. */
    facts = service(1);
    facts.service_running = 0;
    facts.service_accepts_stop = 0;
    assert_string_equal(describe(&facts, 0),
                        "SERVICE name=SERVICE restart=ALWAYS reasons=none image=0");
}

/* ---- applications -------------------------------------------------------------------- */

/* B-GETLIST-6 RmExplorer: explorer.exe from the Windows directory (System32, SysWOW64
 * inferred), named by its program (B-GETLIST-7), before any window rule; elsewhere it is
 * an ordinary program. */
static void test_explorer(void **state)
{
    (void)state;
    const char *explorer = "EXPLORER name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1";
    const rm_program_directory places[] = { RM_DIR_WINDOWS, RM_DIR_SYSTEM32, RM_DIR_SYSWOW64 };
    for (size_t i = 0; i < 3; i++) {
        rm_app_facts facts = app(u"EXPLORER.EXE", places[i]);
        facts.has_main_window = facts.main_window_has_title = 1;
        assert_string_equal(describe(&facts, 0), explorer);
    }
    rm_app_facts facts = app(u"EXPLORER.EXE", RM_DIR_ELSEWHERE);
    facts.has_main_window = facts.main_window_has_title = 1;
    assert_string_equal(describe(&facts, 0),
                        "MAIN_WINDOW name=WINDOW_TITLE restart=IF_RELAUNCHABLE reasons=none image=0");
    facts = app(u"EXPLORER.EXE", RM_DIR_WINDOWS);
    facts.has_path = 0; /* a place that cannot be read is no place */
    assert_string_equal(describe(&facts, 0),
                        "UNKNOWN name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1");
}

/* B-GETLIST-6 RmMainWindow (a visible unowned top-level window) before RmConsole;
 * B-GETLIST-7 its title, else the program's description or file name. */
static void test_main_window(void **state)
{
    (void)state;
    rm_app_facts facts = app(NULL, RM_DIR_ELSEWHERE);
    facts.has_main_window = facts.main_window_has_title = 1;
    assert_string_equal(describe(&facts, 1),
                        "MAIN_WINDOW name=WINDOW_TITLE restart=IF_RELAUNCHABLE reasons=none image=0");
    facts.main_window_has_title = 0;
    assert_string_equal(describe(&facts, 1),
                        "MAIN_WINDOW name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1");
    facts.main_window_has_title = 1; /* a title without a main window names nothing */
    facts.has_main_window = 0;
    assert_string_equal(describe(&facts, 0),
                        "UNKNOWN name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1");
}

/* B-GETLIST-6 RmConsole (console subsystem) before RmOtherWindow: a console program with
 * only hidden windows stays a console application (inferred: it is shut down like one),
 * then RmOtherWindow, then RmUnknownApp. B-GETLIST-13 SessionMismatch in another session. */
static void test_console_other_unknown(void **state)
{
    (void)state;
    rm_app_facts facts = app(NULL, RM_DIR_ELSEWHERE);
    facts.has_other_window = 1;
    assert_string_equal(describe(&facts, 1),
                        "CONSOLE name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1");
    assert_string_equal(describe(&facts, 0),
                        "OTHER_WINDOW name=PROGRAM restart=IF_RELAUNCHABLE reasons=none image=1");
    facts.has_other_window = 0;
    facts.other_session = 1;
    assert_string_equal(describe(&facts, 0),
                        "UNKNOWN name=PROGRAM restart=IF_RELAUNCHABLE reasons=SessionMismatch image=1");
}

/* ---- over every combination ---------------------------------------------------------- */

/* Inferred, over every combination of the facts: the image is read exactly when the name
 * comes from it, and whatever is decided without it does not depend on it; B-GETLIST-9,
 * -8, -10: critical is never restartable and named by its file; B-GETLIST-8, -13: a
 * service is always restartable and never a SessionMismatch; PermissionDenied comes only
 * with CriticalProcess. */
static void test_every_combination(void **state)
{
    (void)state;
    static const rm_wchar *const names[] = { u"TOOL.EXE", u"EXPLORER.EXE", u"LSASS.EXE" };
    unsigned long checked = 0;
    for (size_t n = 0; n < 3; n++)
        for (int directory = RM_DIR_ELSEWHERE; directory <= RM_DIR_SYSWOW64; directory++)
            for (unsigned bits = 0; bits < (1u << 13); bits++) {
                rm_app_facts facts = app(names[n], (rm_program_directory)directory);
                facts.pid = (bits & 1) ? RM_PID_SYSTEM : 1234;
                facts.has_path = (bits >> 1) & 1;
                facts.denied = (bits >> 2) & 1;
                facts.other_session = (bits >> 3) & 1;
                facts.is_service = (bits >> 4) & 1;
                facts.hosts_critical_service = (bits >> 5) & 1;
                facts.service_has_display_name = (bits >> 6) & 1;
                facts.service_runs_in_system_process = (bits >> 7) & 1;
                facts.service_running = (bits >> 8) & 1;
                facts.service_accepts_stop = (bits >> 9) & 1;
                facts.has_main_window = (bits >> 10) & 1;
                facts.main_window_has_title = (bits >> 11) & 1;
                facts.has_other_window = (bits >> 12) & 1;
                rm_app_verdict v = rm_app_judge(&facts);
                int type = rm_app_type(&facts, &v, 0), console_type = rm_app_type(&facts, &v, 1);
                const char *got = describe(&facts, 0);
                if (v.needs_image != (v.name == RM_APP_NAME_PROGRAM))
                    fail_msg("bits %#x name %zu: image read %d for name %d: %s", bits, n,
                             v.needs_image, (int)v.name, got);
                if (!v.needs_image && type != console_type)
                    fail_msg("bits %#x name %zu: typed %d/%d by an image not read: %s", bits,
                             n, type, console_type, got);
                if (v.critical != (type == RM_TYPE_CRITICAL) ||
                    (v.critical && (v.name != RM_APP_NAME_FILE ||
                                    v.restart != RM_APP_RESTART_NEVER)))
                    fail_msg("bits %#x name %zu: critical %d: %s", bits, n, v.critical, got);
                if (facts.is_service && !v.critical &&
                    (type != RM_TYPE_SERVICE || v.restart != RM_APP_RESTART_ALWAYS))
                    fail_msg("bits %#x name %zu: service: %s", bits, n, got);
                if ((facts.is_service && v.session_mismatch) ||
                    (v.permission_denied && !v.critical) || (v.explorer && v.critical))
                    fail_msg("bits %#x name %zu: reasons: %s", bits, n, got);
                checked++;
            }
    assert_int_equal(checked, 3ul * 4 * 8192);
}

/* ---- where a program lives ----------------------------------------------------------- */

/* The directory's class, from exact-size heap copies (a sanitizer build reports a read
 * past either). */
static rm_program_directory directory_of(const rm_wchar *directory, const rm_wchar *windows)
{
    size_t dl = ulen(directory), wl = ulen(windows);
    rm_wchar *d = malloc(dl ? dl * sizeof(rm_wchar) : 1), *w = malloc(wl ? wl * sizeof(rm_wchar) : 1);
    assert_non_null(d);
    assert_non_null(w);
    memcpy(d, directory, dl * sizeof(rm_wchar));
    memcpy(w, windows, wl * sizeof(rm_wchar));
    rm_program_directory result = rm_program_directory_of(d, dl, w, wl);
    free(d);
    free(w);
    return result;
}

/* B-GETLIST-9 "from the system directory", B-GETLIST-6 Explorer "from the Windows
 * directory": exactly <windows>, <windows>\SYSTEM32 or <windows>\SYSWOW64 (canonical,
 * upper-case), nothing below or beside them; an unknown Windows directory places
 * nothing (inferred). */
static void test_program_directory(void **state)
{
    (void)state;
    const rm_wchar *windows = u"C:\\WINDOWS";
    assert_int_equal(directory_of(u"C:\\WINDOWS", windows), RM_DIR_WINDOWS);
    assert_int_equal(directory_of(u"C:\\WINDOWS\\SYSTEM32", windows), RM_DIR_SYSTEM32);
    assert_int_equal(directory_of(u"C:\\WINDOWS\\SYSWOW64", windows), RM_DIR_SYSWOW64);
    assert_int_equal(directory_of(u"C:\\WINDOWS\\SYSTEM32\\DRIVERS", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"C:\\WINDOWS\\SYSTEM", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"C:\\WINDOWS\\SYSTEM3", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"C:\\WINDOWSXSYSTEM32", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"C:\\WINDOWS2", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"C:\\WINDOW", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"D:\\WINDOWS", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"C:\\windows\\system32", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"", windows), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"C:\\WINDOWS", u""), RM_DIR_ELSEWHERE);
    assert_int_equal(directory_of(u"\\\\S\\T\\WINNT\\SYSTEM32", u"\\\\S\\T\\WINNT"),
                     RM_DIR_SYSTEM32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_system_pids_are_critical),
        cmocka_unit_test(test_system_programs_are_critical),
        cmocka_unit_test(test_system_names_elsewhere_are_not_critical),
        cmocka_unit_test(test_host_of_critical_service),
        cmocka_unit_test(test_denied_application),
        cmocka_unit_test(test_denied_service_is_exempt),
        cmocka_unit_test(test_service),
        cmocka_unit_test(test_critical_service_reason),
        cmocka_unit_test(test_explorer),
        cmocka_unit_test(test_main_window),
        cmocka_unit_test(test_console_other_unknown),
        cmocka_unit_test(test_every_combination),
        cmocka_unit_test(test_program_directory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
