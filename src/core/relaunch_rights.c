// SPDX-License-Identifier: LGPL-2.1-or-later
#include "relaunch_rights.h"

static rm_rights_verdict verdict_of(const rm_rights_facts *facts)
{
    if (facts->app_is_logged_on_user != RM_FACT_YES)
        return RM_RIGHTS_REFUSE_OTHER_USER;
    switch (facts->app_elevated) {
    case RM_FACT_YES:
        /* Elevated like the session's shell: nothing more than everyone has. */
        return facts->shell_elevated == RM_FACT_YES ? RM_RIGHTS_AS_CALLER
                                                    : RM_RIGHTS_REFUSE_ELEVATED;
    case RM_FACT_NO:
        return facts->caller_elevated ? RM_RIGHTS_WITH_APP_TOKEN : RM_RIGHTS_AS_CALLER;
    default:
        return RM_RIGHTS_REFUSE_ELEVATED; /* cannot tell: never risk more rights */
    }
}

rm_rights_decision rm_relaunch_rights(const rm_rights_facts *facts)
{
    rm_rights_decision decision = { verdict_of(facts), facts->app_is_console != 0 };
    return decision;
}
