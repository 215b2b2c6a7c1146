// SPDX-License-Identifier: LGPL-2.1-or-later
/* Readable output for the samples: each step's result and the affected applications. */
#ifndef SAMPLE_REPORT_H
#define SAMPLE_REPORT_H

#include <windows.h>
#include <restartmanager.h>

void sample_step(const WCHAR *step, DWORD result);
void sample_print_apps(const RM_PROCESS_INFO *apps, UINT count, DWORD reboot_reasons);

#endif
