/* What rmtool prints about a list of affected processes: a text table or one JSON
 * object (format in README "rmtool"). LGPL-2.1-or-later. */
#ifndef RMTOOL_REPORT_H
#define RMTOOL_REPORT_H

#include <windows.h>
#include <restartmanager.h>

/* PID, TYPE, NAME, SERVICE per process, then the reboot reasons if any. */
void report_table(const RM_PROCESS_INFO *apps, UINT count, DWORD reboot_reasons);

void report_json(const RM_PROCESS_INFO *apps, UINT count, DWORD reboot_reasons);

/* "main-window", "service", ... */
const wchar_t *report_type_name(RM_APP_TYPE type);

/* Reboot reason bits as words, e.g. L"permission-denied, detected-self". */
void report_reasons_text(DWORD reasons, wchar_t *out, size_t cch);

#endif
