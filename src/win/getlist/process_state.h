// SPDX-License-Identifier: LGPL-2.1-or-later
/* What one RmGetList resolution knows of each process of its snapshot (one byte per
 * position in rm_process_snapshot.entries): read and written by the handle walk
 * (file_identify.h) and the resolver. */
#ifndef RM_WIN_PROCESS_STATE_H
#define RM_WIN_PROCESS_STATE_H

enum {
    RM_PROCESS_EXAMINE = 0,   /* its handles are looked at */
    RM_PROCESS_MATCHED = 1,   /* a handle of it names a registered file */
    RM_PROCESS_GIVEN_UP = 2   /* skipped: cannot be opened, or its handles hang */
};

#endif
