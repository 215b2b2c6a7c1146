// SPDX-License-Identifier: LGPL-2.1-or-later
/* Whether and how RmRestart may start an application again without giving it more rights
 * than it had (docs/behaviour.md B-RESTART-5, B-RESTART-6, B-RESTART-7), from facts the
 * adapter reads from tokens (relaunch.c). Plain C11, no Windows.
 *
 *   another user    the application's token user is not the logged-on user (the user of
 *                   the session's shell, else the caller's): not restartable;
 *   elevated        its token is elevated while the logged-on user's shell is not (or
 *                   that cannot be told): not restartable. Where the shell itself runs
 *                   elevated (UAC off; Wine, where every process is), elevation is the
 *                   session's normal state and gives the application nothing extra;
 *   caller elevated, application not: started with the application's own token, never
 *                   the caller's;
 *   otherwise       started as the caller would start it.
 * A console application is started in a new console. */
#ifndef RM_CORE_RELAUNCH_RIGHTS_H
#define RM_CORE_RELAUNCH_RIGHTS_H

typedef enum rm_fact { RM_FACT_NO, RM_FACT_YES, RM_FACT_UNKNOWN } rm_fact;

typedef struct rm_rights_facts {
    rm_fact app_elevated;
    rm_fact app_is_logged_on_user;
    rm_fact shell_elevated;      /* UNKNOWN when no shell runs in the session */
    int caller_elevated;
    int app_is_console;
} rm_rights_facts;

typedef enum rm_rights_verdict {
    RM_RIGHTS_AS_CALLER,          /* the caller's own way of starting it */
    RM_RIGHTS_WITH_APP_TOKEN,     /* with the application's own (unelevated) token */
    RM_RIGHTS_REFUSE_OTHER_USER,  /* not restartable */
    RM_RIGHTS_REFUSE_ELEVATED,    /* not restartable */
} rm_rights_verdict;

typedef struct rm_rights_decision {
    rm_rights_verdict verdict;
    int new_console;
} rm_rights_decision;

rm_rights_decision rm_relaunch_rights(const rm_rights_facts *facts);

#endif
