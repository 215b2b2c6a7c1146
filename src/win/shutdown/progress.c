// SPDX-License-Identifier: LGPL-2.1-or-later
#include "shutdown/progress.h"

static void report(rm_progress *progress, UINT percent)
{
    if (percent <= progress->reported)
        return;
    progress->reported = percent;
    if (progress->callback)
        progress->callback(percent);
}

void rm_progress_step(rm_progress *progress, size_t done, size_t total)
{
    if (total == 0)
        return;
    UINT percent = (UINT)(done * 100 / total);
    report(progress, percent < 100 ? percent : 99); /* 100 means finished */
}

void rm_progress_finish(rm_progress *progress)
{
    report(progress, 100);
}
