// SPDX-License-Identifier: LGPL-2.1-or-later
/* What rmtool prints about a list of affected processes: a text table or one JSON
 * object (format in README "rmtool"). LGPL-2.1-or-later. */
#ifndef RMTOOL_REPORT_H
#define RMTOOL_REPORT_H

#include <windows.h>
#include <restartmanager.h>
#include "rstrtmgr/rstrtmgr_ext.h"

/* PID, TYPE, NAME, SERVICE per process, then the reboot reasons if any. */
void report_table(const RM_PROCESS_INFO *apps, UINT count, DWORD reboot_reasons);

/* With evidence (who --why): under each process, the resource it uses and how; evidence
 * NULL: a line saying the DLL does not tell. */
void report_table_why(const RM_PROCESS_INFO *apps, const RMX_EVIDENCE *evidence, UINT count,
                      DWORD reboot_reasons);

/* evidence (may be NULL; why: it was asked for): each process gets "evidence": [...], or
 * null when asked but the DLL does not tell. */
void report_json(const RM_PROCESS_INFO *apps, const RMX_EVIDENCE *evidence, BOOL why, UINT count,
                 DWORD reboot_reasons);

/* "open-handle", "loaded-module", "program-image", "registered-process",
 * "registered-service". */
const wchar_t *report_evidence_kind(DWORD kind);

/* "main-window", "service", ... */
const wchar_t *report_type_name(RM_APP_TYPE type);

/* Reboot reason bits as words, e.g. L"permission-denied, detected-self". */
void report_reasons_text(DWORD reasons, wchar_t *out, size_t cch);

#endif
