// SPDX-License-Identifier: LGPL-2.1-or-later
/* See report.h. LGPL-2.1-or-later. */
#include "report.h"

#include <wchar.h>

#include "output.h"

/* A flag bit and its word in the output. */
typedef struct bit_name {
    DWORD bit;
    const wchar_t *name;
} bit_name;

static const bit_name reason_names[] = {
    { RmRebootReasonPermissionDenied, L"permission-denied" },
    { RmRebootReasonSessionMismatch, L"session-mismatch" },
    { RmRebootReasonCriticalProcess, L"critical-process" },
    { RmRebootReasonCriticalService, L"critical-service" },
    { RmRebootReasonDetectedSelf, L"detected-self" },
};

static const bit_name status_names[] = {
    { RmStatusRunning, L"running" },
    { RmStatusStopped, L"stopped" },
    { RmStatusStoppedOther, L"stopped-other" },
    { RmStatusRestarted, L"restarted" },
    { RmStatusErrorOnStop, L"error-on-stop" },
    { RmStatusErrorOnRestart, L"error-on-restart" },
    { RmStatusShutdownMasked, L"shutdown-masked" },
    { RmStatusRestartMasked, L"restart-masked" },
};

const wchar_t *report_type_name(RM_APP_TYPE type)
{
    switch (type) {
    case RmMainWindow: return L"main-window";
    case RmOtherWindow: return L"other-window";
    case RmService: return L"service";
    case RmExplorer: return L"explorer";
    case RmConsole: return L"console";
    case RmCritical: return L"critical";
    default: return L"unknown";
    }
}

void report_reasons_text(DWORD reasons, wchar_t *out, size_t cch)
{
    size_t used = 0;
    out[0] = L'\0';
    for (size_t i = 0; i < ARRAYSIZE(reason_names); i++) {
        if (!(reasons & reason_names[i].bit))
            continue;
        int n = _snwprintf(out + used, cch - used, L"%ls%ls", used ? L", " : L"",
                           reason_names[i].name);
        if (n < 0 || (size_t)n >= cch - used)
            break;
        used += (size_t)n;
        reasons &= ~reason_names[i].bit;
    }
    /* Bits this tool does not know are shown, not dropped. */
    if (reasons && used + 24 < cch)
        _snwprintf(out + used, cch - used, L"%lsunknown 0x%lx", used ? L", " : L"",
                   (unsigned long)reasons);
    out[cch - 1] = L'\0';
}

void report_table(const RM_PROCESS_INFO *apps, UINT count, DWORD reboot_reasons)
{
    if (count == 0) {
        out_printf(L"No process uses the files.\n");
    } else {
        out_printf(L"%-8ls %-12ls %-32ls %ls\n", L"PID", L"TYPE", L"NAME", L"SERVICE");
        for (UINT i = 0; i < count; i++)
            out_printf(L"%-8lu %-12ls %-32ls %ls\n", (unsigned long)apps[i].Process.dwProcessId,
                       report_type_name(apps[i].ApplicationType), apps[i].strAppName,
                       apps[i].strServiceShortName[0] ? apps[i].strServiceShortName : L"-");
        out_printf(L"%u process%ls use%ls the files.\n", count, count == 1 ? L"" : L"es",
                   count == 1 ? L"s" : L"");
    }
    if (reboot_reasons) {
        wchar_t reasons[256];
        report_reasons_text(reboot_reasons, reasons, ARRAYSIZE(reasons));
        out_printf(L"A reboot is needed to free them: %ls.\n", reasons);
    }
}

const wchar_t *report_evidence_kind(DWORD kind)
{
    switch (kind) {
    case RmxEvidenceHandle: return L"open-handle";
    case RmxEvidenceModule: return L"loaded-module";
    case RmxEvidenceImage: return L"program-image";
    case RmxEvidenceProcess: return L"registered-process";
    case RmxEvidenceService: return L"registered-service";
    default: return L"unknown";
    }
}

void report_table_why(const RM_PROCESS_INFO *apps, const RMX_EVIDENCE *evidence, UINT count,
                      DWORD reboot_reasons)
{
    report_table(apps, count, reboot_reasons);
    if (count && !evidence) {
        out_printf(L"(this rstrtmgr.dll does not say why: it has no RmxGetEvidence)\n");
        return;
    }
    for (UINT i = 0; i < count; i++) {
        out_printf(L"  %lu uses %ls: %ls", (unsigned long)apps[i].Process.dwProcessId,
                   evidence[i].strResource[0] ? evidence[i].strResource : L"(the process itself)",
                   report_evidence_kind(evidence[i].Kind));
        if (evidence[i].Kind == RmxEvidenceHandle && evidence[i].HandleValue)
            out_printf(L" 0x%llx", (unsigned long long)evidence[i].HandleValue);
        out_printf(L"\n");
    }
}

static void json_string_field(const wchar_t *name, const wchar_t *value, BOOL last)
{
    out_printf(L"\"%ls\": ", name);
    if (value && value[0]) {
        out_printf(L"\"");
        out_json_string(value);
        out_printf(L"\"");
    } else {
        out_printf(L"null");
    }
    out_printf(last ? L"" : L", ");
}

static void json_word_list(const wchar_t *name, DWORD bits, const bit_name *words,
                           size_t entries)
{
    BOOL first = TRUE;
    out_printf(L"\"%ls\": [", name);
    for (size_t i = 0; i < entries; i++) {
        if (bits & words[i].bit) {
            out_printf(L"%ls\"%ls\"", first ? L"" : L", ", words[i].name);
            first = FALSE;
        }
    }
    out_printf(L"]");
}

static void json_evidence(const RMX_EVIDENCE *evidence, BOOL why)
{
    if (!why)
        return;
    if (!evidence) {
        out_printf(L", \"evidence\": null");
        return;
    }
    out_printf(L", \"evidence\": [{");
    json_string_field(L"resource", evidence->strResource, FALSE);
    out_printf(L"\"kind\": \"%ls\"", report_evidence_kind(evidence->Kind));
    if (evidence->Kind == RmxEvidenceHandle)
        out_printf(L", \"handle\": %llu", (unsigned long long)evidence->HandleValue);
    out_printf(L"}]");
}

static void json_process(const RM_PROCESS_INFO *app, const RMX_EVIDENCE *evidence, BOOL why,
                         BOOL last)
{
    ULARGE_INTEGER start;
    start.LowPart = app->Process.ProcessStartTime.dwLowDateTime;
    start.HighPart = app->Process.ProcessStartTime.dwHighDateTime;
    /* start_time as a string: FILETIME values exceed the integers JSON readers keep exact. */
    out_printf(L"    {\"pid\": %lu, \"start_time\": \"%llu\", ",
               (unsigned long)app->Process.dwProcessId, (unsigned long long)start.QuadPart);
    json_string_field(L"name", app->strAppName, FALSE);
    out_printf(L"\"type\": \"%ls\", ", report_type_name(app->ApplicationType));
    json_string_field(L"service", app->strServiceShortName, FALSE);
    json_word_list(L"status", app->AppStatus, status_names, ARRAYSIZE(status_names));
    out_printf(L", \"restartable\": %ls, \"session_id\": %lu",
               app->bRestartable ? L"true" : L"false", (unsigned long)app->TSSessionId);
    json_evidence(evidence, why);
    out_printf(L"}%ls\n", last ? L"" : L",");
}

void report_json(const RM_PROCESS_INFO *apps, const RMX_EVIDENCE *evidence, BOOL why, UINT count,
                 DWORD reboot_reasons)
{
    out_printf(L"{\n  \"in_use\": %ls,\n  \"count\": %u,\n  \"reboot_reasons_mask\": %lu,\n  ",
               count || reboot_reasons ? L"true" : L"false", count,
               (unsigned long)reboot_reasons);
    json_word_list(L"reboot_reasons", reboot_reasons, reason_names, ARRAYSIZE(reason_names));
    out_printf(L",\n  \"processes\": [%ls", count ? L"\n" : L"");
    for (UINT i = 0; i < count; i++)
        json_process(&apps[i], evidence ? &evidence[i] : NULL, why, i + 1 == count);
    out_printf(L"%ls]\n}\n", count ? L"  " : L"");
}
