/* Shared by the exported API and the Win32 adapters. */
#ifndef RM_INTERNAL_H
#define RM_INTERNAL_H

#include <windows.h>
#include <restartmanager.h>
#include "rstrtmgr/rstrtmgr_ext.h"

#endif
