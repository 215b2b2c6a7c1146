// SPDX-License-Identifier: LGPL-2.1-or-later
/* For programs that test the DLL rmt_target.h loaded: the Restart Manager functions
 * become calls through rmt_rm, so test code reads as ordinary client code. Include
 * after <restartmanager.h>; do not link the import library. */
#ifndef RMT_DYNAMIC_API_H
#define RMT_DYNAMIC_API_H

#include "rmt_target.h"

#define RmStartSession rmt_rm.StartSession
#define RmJoinSession rmt_rm.JoinSession
#define RmEndSession rmt_rm.EndSession
#define RmRegisterResources rmt_rm.RegisterResources
#define RmGetList rmt_rm.GetList
#define RmShutdown rmt_rm.Shutdown
#define RmRestart rmt_rm.Restart
#define RmCancelCurrentTask rmt_rm.CancelCurrentTask
#define RmAddFilter rmt_rm.AddFilter
#define RmRemoveFilter rmt_rm.RemoveFilter
#define RmGetFilterList rmt_rm.GetFilterList

#endif
