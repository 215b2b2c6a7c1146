// SPDX-License-Identifier: LGPL-2.1-or-later
/* The size of a buffer that holds a session key: RmStartSession writes
 * CCH_RM_SESSION_KEY hexadecimal digits and a NUL. */
#ifndef RMT_SESSION_KEY_H
#define RMT_SESSION_KEY_H

#include <restartmanager.h>

#define RMT_KEY_CCH (CCH_RM_SESSION_KEY + 1)

#endif
