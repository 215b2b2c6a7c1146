// SPDX-License-Identifier: LGPL-2.1-or-later
/* Orchestrates one resolution (see resolver.h). Cheapest evidence first, and every
 * process settled by one kind of evidence is skipped by the costlier ones:
 *   1. a probe of the registered files when there are few, or few whose parent
 *      directory exists: absent files, files that cannot be images, and (Windows) the
 *      system's own list of their users; it needs no process list, so when the module
 *      scan is to follow, the threads it will use come up during the next step;
 *   2. one process snapshot (pid, exact start time, session, image name);
 *   3. registered processes (pid + start time) and registered running services;
 *   4. modules and program images of the remaining processes, unless no registered file
 *      can be an image;
 *   5. open handles of the remaining processes (one snapshot, one identification per
 *      File handle, hang-proof), unless the probe already knows the users. Nothing is
 *      remembered between calls: see file_identify.h;
 *   6. a description of every affected process other than the caller, which only
 *      contributes RmRebootReasonDetectedSelf: those found before the handle walk are
 *      described on the crew while it names the other processes' handles (the caller's
 *      own are named before: see match_handles), the others after it, and the two
 *      batches merged back into the snapshot's order. */
#include "getlist/resolver.h"

#include <stdlib.h>
#include <string.h>

#include "base/cancel.h"
#include "base/parallel.h"
#include "base/trace.h"
#include "base/tunables.h"
#include "getlist/app_info.h"
#include "getlist/describe.h"
#include "getlist/file_identify.h"
#include "getlist/file_probe.h"
#include "getlist/handle_scan.h"
#include "getlist/module_scan.h"
#include "getlist/path_match.h"
#include "getlist/service_lookup.h"
#include "getlist/window_list.h"
#include "process/process_snapshot.h"
#include "process/remote_memory.h"
#include "process/wow64_helper.h"

/* Without progress for this long, naming one handle is given up (docs/behaviour.md B-GETLIST-15). */
#define IDENTIFY_TIMEOUT_MS 250u

/* Affected processes described together (describe.h), in snapshot order. */
typedef struct description_batch {
    size_t *targets;          /* snapshot positions, ascending */
    DWORD *pids;
    BOOL *started_by_scm;
    RM_PROCESS_INFO *apps;    /* per target */
    ULONG *elapsed_us;
    size_t count;
    DWORD reasons;
    DWORD error;
} description_batch;

typedef struct resolution {
    const rm_resource_index *index;
    HANDLE cancel;
    rm_process_snapshot processes;
    uint8_t *process_state;              /* RM_PROCESS_* per process */
    const WCHAR **matched_service;    /* per process: the registered service it runs */
    rm_opened_process *opened;        /* per process: kept open by the module scan for its
                                       * description (it found the process affected) */
    size_t self_position;
    rm_service_list services;
    BOOL services_loaded;
    /* The services loaded ahead, beside the module scan (see preload_services). */
    HANDLE preload_thread;          /* its run's handle in crew */
    rm_crew crew;                   /* the threads of every phase's workers */
    rm_service_list preloaded;
    DWORD preload_error;
    rm_wow64_pebs pebs;               /* WoW64 caller, Wine 8: what is known of 64-bit PEBs */
    rm_handle_evidence *handles;      /* per process: the handle that settled it */
    struct position_evidence *evidence;   /* per process: how it was settled */
    uint8_t *described;               /* per process: in the early batch */
    struct description_batch early;   /* described while the handles are named */
    HANDLE early_runner;              /* its run in crew, NULL if none */
    rm_window_list windows;           /* of every process but the caller, if loaded */
    BOOL windows_loaded;
    rm_relaunch_context relaunch;     /* the call's, shared by every restart capture */
    rm_file_probe probe;              /* the registered files, looked at first */
    BOOL probed;
    DWORD reasons;
} resolution;

/* How a process was settled (RMX_EVIDENCE_KIND), and the registered resource. */
typedef struct position_evidence {
    DWORD kind;
    ULONGLONG handle_value;
    const WCHAR *resource;            /* into the index or the service list; may be NULL */
    size_t resource_length;
} position_evidence;

static BOOL cancelled(const resolution *r)
{
    return rm_cancel_requested(r->cancel);
}

static void mark(resolution *r, size_t position, DWORD kind, const WCHAR *resource,
                 size_t resource_length)
{
    if (position == RM_NO_POSITION || r->process_state[position] == RM_PROCESS_MATCHED)
        return;
    r->process_state[position] = RM_PROCESS_MATCHED;
    r->evidence[position].kind = kind;
    r->evidence[position].resource = resource;
    r->evidence[position].resource_length = resource_length;
}

static BOOL is_matched(const resolution *r, size_t position)
{
    return r->process_state[position] == RM_PROCESS_MATCHED;
}

/* Whether a process the service manager started is among the affected: only those can
 * host services (the SCM starts every service process), so without one the description
 * needs no service list — and asking the SCM for it is the costliest step of a small
 * answer. A parent that merely has the SCM's name only costs that question. */
/* Whether the SCM created the process: only such a process can host a service. */
static BOOL started_by_the_scm(const resolution *r, size_t position)
{
    static const WCHAR scm[] = L"services.exe";
    const size_t scm_length = sizeof(scm) / sizeof(scm[0]) - 1;
    size_t parent = rm_process_snapshot_find(&r->processes, r->processes.entries[position].parent_pid);
    if (parent == RM_NO_POSITION)
        return FALSE;
    const rm_process_entry *creator = &r->processes.entries[parent];
    return creator->image_name_length == scm_length &&
           _wcsnicmp(creator->image_name, scm, scm_length) == 0;
}

static DWORD load_services(resolution *r)
{
    if (r->services_loaded)
        return ERROR_SUCCESS;
    r->services_loaded = TRUE;
    return rm_service_list_load(&r->services);
}

/* (d) registered processes, matched by pid and exact start time (PID reuse). */
static void match_processes(resolution *r)
{
    for (size_t i = 0; i < rm_index_process_count(r->index); i++) {
        uint32_t pid;
        uint64_t start;
        rm_index_process_at(r->index, i, &pid, &start);
        size_t position = rm_process_snapshot_find(&r->processes, pid);
        if (position != RM_NO_POSITION && r->processes.entries[position].create_time == start)
            mark(r, position, RmxEvidenceProcess, NULL, 0);
    }
}

/* (e) registered services that run: their host processes. */
static DWORD match_services(resolution *r)
{
    if (rm_index_service_count(r->index) == 0)
        return ERROR_SUCCESS;
    DWORD error = load_services(r);
    if (error != ERROR_SUCCESS)
        return error;
    for (size_t i = 0; i < r->services.count; i++) {
        const rm_service *service = &r->services.by_pid[i];
        if (!rm_index_has_service(r->index, (const rm_wchar *)service->name, wcslen(service->name)))
            continue;
        size_t position = rm_process_snapshot_find(&r->processes, service->pid);
        if (position == RM_NO_POSITION)
            continue;
        mark(r, position, RmxEvidenceService, service->name, wcslen(service->name));
        if (!r->matched_service[position])
            r->matched_service[position] = service->name;
    }
    return ERROR_SUCCESS;
}

typedef struct module_match {
    rm_path_canonicalizer *canonicalizer;
    const rm_resource_index *index;
    WCHAR *image_path;   /* RM_PATH_CANON_CAP units */
    const rm_indexed_file *found;
    BOOL found_image;    /* the match is the program file (first in load order) */
    size_t visited;
} module_match;

static BOOL visit_module(void *context, const WCHAR *path, size_t length, rm_name_view view)
{
    module_match *match = context;
    match->found = rm_path_registered_file(match->canonicalizer, match->index, path, length, view);
    match->found_image = match->found && match->visited == 0;
    match->visited++;
    return match->found != NULL;
}

/* (b) and (c): a process's loaded modules (its image among them) or, when they cannot
 * be read, at least its program image. The process is opened as its description opens
 * it (app_info.h); *opened keeps the handle when the process is found affected. */
static BOOL uses_as_module(rm_module_reader *reader, module_match *match, DWORD pid,
                           rm_opened_process *opened)
{
    BOOL walked = FALSE;
    match->found = NULL;
    match->found_image = FALSE;
    match->visited = 0;
    rm_app_process_open(pid, opened);
    if (!opened->handle) {
        RM_TRACE("pid %lu: modules and image not looked into: cannot be opened (%lu)",
                 (unsigned long)pid, GetLastError());
        return FALSE;
    }
    if (opened->can_read)
        walked = rm_module_scan(reader, opened->handle, visit_module, match) == ERROR_SUCCESS;
    DWORD length = RM_PATH_CANON_CAP;
    if (!walked && !match->found &&
        QueryFullProcessImageNameW(opened->handle, 0, match->image_path, &length)) {
        match->found = rm_path_registered_file(match->canonicalizer, match->index,
                                               match->image_path, length, RM_NAME_REAL);
        match->found_image = match->found != NULL;
    }
    if (!match->found) {
        CloseHandle(opened->handle);
        memset(opened, 0, sizeof(*opened));
    }
    return match->found != NULL;
}

/* Processes whose modules the scan must look at. */
static BOOL needs_module_scan(const resolution *r, size_t position)
{
    DWORD pid = r->processes.entries[position].pid;
    return !is_matched(r, position) && !rm_pid_is_system_idle_or_system(pid);
}

/* A WoW64 caller on a system that does not say where 64-bit processes' PEBs are: what
 * the call learns of them, for the module scan and then the restart captures. Every
 * process but this one gets an entry, with the TEB the process list gave where TEBs may
 * be used (the readers look there first). */
static DWORD know_64bit_pebs(resolution *r)
{
    const BOOL use_tebs = rm_tunable_wow64_tebs_allowed();
    size_t count = 0;
    r->pebs.entries = malloc((r->processes.count ? r->processes.count : 1) * sizeof(*r->pebs.entries));
    if (!r->pebs.entries)
        return ERROR_OUTOFMEMORY;
    for (size_t position = 0; position < r->processes.count; position++) {
        const rm_process_entry *entry = &r->processes.entries[position];
        if (position == r->self_position || rm_pid_is_system_idle_or_system(entry->pid))
            continue;
        rm_peb64_known *known = &r->pebs.entries[count++];
        memset(known, 0, sizeof(*known));
        known->pid = entry->pid;
        known->create_time = entry->create_time;
        known->teb = use_tebs ? entry->teb : 0;
        known->teb_thread = use_tebs ? entry->teb_thread : 0;
    }
    r->pebs.count = count;
    return ERROR_SUCCESS;
}

/* One question to the 64-bit half about the processes still to scan whose TEB is not
 * known (it answers for the 64-bit ones). Without an answer those are known by image
 * and handles only. */
static DWORD ask_64bit_half(resolution *r)
{
    size_t count = 0;
    for (size_t i = 0; i < r->pebs.count; i++) {
        size_t position = rm_process_snapshot_find(&r->processes, r->pebs.entries[i].pid);
        count += !r->pebs.entries[i].teb && needs_module_scan(r, position);
    }
    if (count == 0)
        return ERROR_SUCCESS;
    rm_wow64_query *queries = malloc(count * sizeof(*queries));
    size_t *from = malloc(count * sizeof(*from));
    if (!queries || !from) {
        free(queries);
        free(from);
        return ERROR_OUTOFMEMORY;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->pebs.count; i++) {
        size_t position = rm_process_snapshot_find(&r->processes, r->pebs.entries[i].pid);
        if (!r->pebs.entries[i].teb && needs_module_scan(r, position)) {
            from[n] = i;
            queries[n].pid = r->pebs.entries[i].pid;
            queries[n++].create_time = r->pebs.entries[i].create_time;
        }
    }
    ULONGLONG started = rm_trace_clock();
    DWORD error = rm_wow64_helper_query(queries, count, r->cancel);
    for (size_t k = 0; k < count; k++)
        r->pebs.entries[from[k]].peb = queries[k].peb;
    RM_TRACE("64-bit half asked about %zu processes: %lu, %lu us", count, error,
             rm_trace_elapsed_us(started));
    free(queries);
    free(from);
    return error == ERROR_CANCELLED ? error : ERROR_SUCCESS;
}

/* The module scan, shared by its workers: each takes the next process until none is
 * left. A process is looked into by one worker only, so what it settles is its own. */
typedef struct module_scan_run {
    resolution *r;
    const rm_file_probe *probe;
    volatile LONG next;       /* the next snapshot position to take */
    volatile LONG cancelled;
} module_scan_run;

/* Workers besides the caller's thread: reading another process's memory is mostly
 * waiting on the system, and a few readers at once finish sooner. */
#define MODULE_SCAN_WORKERS 2u
/* Fewer processes to scan than this are scanned on the caller's thread alone. */
#define MODULE_SCAN_PARALLEL_FROM 4u

/* One worker's part; ERROR_SUCCESS, ERROR_CANCELLED, or an allocation error (then the
 * others, and the caller's thread last, take its processes). */
static DWORD scan_modules(module_scan_run *run)
{
    resolution *r = run->r;
    rm_module_reader *reader = NULL;
    rm_path_canonicalizer canonicalizer;
    DWORD error = rm_path_canonicalizer_init(&canonicalizer);
    if (error != ERROR_SUCCESS)
        return error;
    module_match match = { &canonicalizer, r->index, malloc(RM_PATH_CANON_CAP * sizeof(WCHAR)),
                           NULL, FALSE, 0 };
    error = match.image_path ? rm_module_reader_create(&reader) : ERROR_OUTOFMEMORY;
    if (error == ERROR_SUCCESS) {
        rm_module_reader_only_lengths(reader, &run->probe->image_name_lengths);
        if (r->pebs.entries)
            rm_module_reader_use_pebs(reader, r->pebs.entries, r->pebs.count);
    }
    while (error == ERROR_SUCCESS) {
        size_t position = (size_t)InterlockedIncrement(&run->next) - 1;
        if (position >= r->processes.count)
            break;
        if (!needs_module_scan(r, position))
            continue;
        if (run->cancelled || cancelled(r)) {
            InterlockedExchange(&run->cancelled, 1);
            error = ERROR_CANCELLED;
        } else if (uses_as_module(reader, &match, r->processes.entries[position].pid,
                                  &r->opened[position])) {
            mark(r, position, match.found_image ? RmxEvidenceImage : RmxEvidenceModule,
                 (const WCHAR *)match.found->path, match.found->length);
        }
    }
    rm_module_reader_destroy(reader);
    free(match.image_path);
    rm_path_canonicalizer_free(&canonicalizer);
    return error;
}

static DWORD WINAPI module_scan_worker(void *parameter)
{
    scan_modules(parameter);
    return 0; /* its processes went to the others, or the call is cancelled */
}

static DWORD match_modules(resolution *r, const rm_file_probe *probe)
{
    /* The 64-bit half is asked once, before any worker reads (they share its answers). */
    DWORD error = r->pebs.entries ? ask_64bit_half(r) : ERROR_SUCCESS;
    if (error != ERROR_SUCCESS)
        return error;
    module_scan_run run = { r, probe, 0, 0 };
    size_t to_scan = 0;
    for (size_t position = 0; position < r->processes.count; position++)
        to_scan += needs_module_scan(r, position);
    HANDLE workers[MODULE_SCAN_WORKERS];
    size_t started = 0;
    if (to_scan >= MODULE_SCAN_PARALLEL_FROM)
        rm_workers_start(&r->crew, workers, &started, MODULE_SCAN_WORKERS, module_scan_worker,
                         &run);
    error = scan_modules(&run); /* the caller's thread takes part, and takes what is left */
    rm_workers_join(&r->crew, workers, started);
    if (error == ERROR_SUCCESS && run.cancelled)
        error = ERROR_CANCELLED;
    return error;
}

/* The system listed who has the files open: those processes are affected. One that
 * cannot even be queried could not be shut down by us. */
static void match_known_users(resolution *r, const rm_file_probe *probe)
{
    for (size_t i = 0; i < probe->user_count; i++) {
        size_t position = rm_process_snapshot_find(&r->processes, probe->user_pids[i]);
        if (position == RM_NO_POSITION || is_matched(r, position))
            continue;
        mark(r, position, RmxEvidenceHandle, NULL, 0); /* the system's list: which file is not said */
        HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, probe->user_pids[i]);
        if (process)
            CloseHandle(process);
        else if (GetLastError() == ERROR_ACCESS_DENIED)
            r->reasons |= RmRebootReasonPermissionDenied;
    }
}

static void begin_early_description(resolution *r);

static void reverse_candidates(rm_handle_candidate *items, size_t count)
{
    for (size_t lo = 0, hi = count; lo + 1 < hi; lo++, hi--) {
        rm_handle_candidate swapped = items[lo];
        items[lo] = items[hi - 1];
        items[hi - 1] = swapped;
    }
}

/* Moves the caller's own candidates (adjacent, handle_scan.h) to the front, the others
 * keeping their order; returns how many they are. */
static size_t own_candidates_first(rm_handle_candidates *candidates, size_t self_position)
{
    rm_handle_candidate *items = candidates->items;
    size_t first = 0;
    while (first < candidates->count && items[first].position != self_position)
        first++;
    size_t end = first;
    while (end < candidates->count && items[end].position == self_position)
        end++;
    /* [0, first) [first, end) becomes [first, end) [0, first): three reversals. */
    reverse_candidates(items, first);
    reverse_candidates(items + first, end - first);
    reverse_candidates(items, end);
    return end - first;
}

/* (a) open handles: every remaining process, or only the caller when the system
 * already listed the other users. The caller's own are named first, and only then are
 * the processes found so far described meanwhile: a description opens files of its own
 * (program images, often registered ones) that must not be taken for the caller's. */
static DWORD match_handles(resolution *r, BOOL only_self)
{
    rm_handle_candidates candidates;
    uint8_t *exclude = malloc(r->processes.count ? r->processes.count : 1);
    if (!exclude)
        return ERROR_OUTOFMEMORY;
    for (size_t position = 0; position < r->processes.count; position++)
        exclude[position] = r->process_state[position] != RM_PROCESS_EXAMINE || (only_self && position != r->self_position);
    DWORD error = rm_handle_scan(&r->processes, exclude, &candidates);
    free(exclude);
    if (error == ERROR_ACCESS_DENIED || error == ERROR_NOT_SUPPORTED) {
        /* No handle table for us (e.g. a low-integrity caller): registered files exist
         * and their users cannot be known. */
        r->reasons |= RmRebootReasonPermissionDenied;
        return ERROR_SUCCESS;
    }
    if (error != ERROR_SUCCESS)
        return error;
    const size_t own = own_candidates_first(&candidates, r->self_position);
    rm_handle_candidates own_part = { candidates.items, own, candidates.file_handle_total };
    rm_handle_candidates other_part = { candidates.items + own, candidates.count - own,
                                        candidates.file_handle_total };
    rm_identify_request request = {
        &own_part, &r->processes, r->index, r->process_state, r->cancel,
        IDENTIFY_TIMEOUT_MS, rm_tunable_fault_hang_pid(), r->handles, &r->crew,
    };
    error = own ? rm_identify_handles(&request) : ERROR_SUCCESS;
    if (error == ERROR_SUCCESS && other_part.count) {
        begin_early_description(r);
        request.candidates = &other_part;
        error = rm_identify_handles(&request);
    }
    for (size_t position = 0; position < r->processes.count; position++)
        if (r->handles[position].file && !r->evidence[position].kind) {
            r->evidence[position].kind = RmxEvidenceHandle;
            r->evidence[position].handle_value = r->handles[position].handle_value;
            r->evidence[position].resource = (const WCHAR *)r->handles[position].file->path;
            r->evidence[position].resource_length = r->handles[position].file->length;
        }
    rm_handle_candidates_free(&candidates);
    return error;
}

/* How many processes are settled so far (for the trace). */
static size_t matched_count(const resolution *r)
{
    size_t count = 0;
    for (size_t position = 0; position < r->processes.count; position++)
        count += is_matched(r, position);
    return count;
}

static DWORD WINAPI preload_worker(void *parameter)
{
    resolution *r = parameter;
    r->preload_error = rm_service_list_load(&r->preloaded);
    return 0;
}

/* Files that may be images are loaded by many processes, the SCM's among them: the
 * services the description will then need are asked for now, on a thread of their own,
 * while the modules and handles are looked at (the SCM takes milliseconds to answer).
 * Only when some process other than the caller was started by the SCM. */
static void preload_services(resolution *r)
{
    if (r->services_loaded)
        return;
    for (size_t position = 0; position < r->processes.count; position++) {
        if (position != r->self_position && started_by_the_scm(r, position)) {
            size_t started = 0; /* none: the description loads them itself */
            rm_workers_start(&r->crew, &r->preload_thread, &started, 1, preload_worker, r);
            return;
        }
    }
}

/* Waits for the preload, if any, and makes its list the resolution's. */
static DWORD finish_preload(resolution *r)
{
    if (!r->preload_thread)
        return ERROR_SUCCESS;
    rm_workers_join(&r->crew, &r->preload_thread, 1);
    r->preload_thread = NULL;
    if (r->preload_error != ERROR_SUCCESS)
        return r->preload_error; /* ERROR_OUTOFMEMORY: the list was freed */
    r->services = r->preloaded;
    memset(&r->preloaded, 0, sizeof(r->preloaded));
    r->services_loaded = TRUE;
    return ERROR_SUCCESS;
}

/* (1) The probe, before the process snapshot: it needs none, and when the module scan
 * will follow, its workers (and the SCM preload's) come up while the snapshot is taken. */
static DWORD probe_files(resolution *r)
{
    if (rm_index_file_count(r->index) == 0)
        return ERROR_SUCCESS;
    ULONGLONG started = rm_trace_clock();
    DWORD error = rm_file_probe_run(r->index, &r->probe);
    if (error != ERROR_SUCCESS)
        return error;
    r->probed = TRUE;
    RM_TRACE("probe: present %d, may be an image %d, users known %d, %lu us",
             r->probe.any_present, r->probe.maybe_image, r->probe.users_known,
             rm_trace_elapsed_us(started));
    if (r->probe.any_present && r->probe.maybe_image)
        rm_crew_prepare(&r->crew, MODULE_SCAN_WORKERS + 1);
    return ERROR_SUCCESS;
}

static DWORD match_files(resolution *r)
{
    if (!r->probed)
        return ERROR_SUCCESS;
    const rm_file_probe *probe = &r->probe;
    DWORD error = ERROR_SUCCESS;
    ULONGLONG started;
    if (probe->any_present && probe->maybe_image) {
        preload_services(r);
        started = rm_trace_clock();
        error = match_modules(r, probe);
        RM_TRACE("modules and images: %lu, %zu processes settled, %lu us", error,
                 matched_count(r), rm_trace_elapsed_us(started));
    }
    if (error == ERROR_SUCCESS && cancelled(r))
        error = ERROR_CANCELLED;
    if (error == ERROR_SUCCESS && probe->any_present) {
        started = rm_trace_clock();
        if (probe->users_known)
            match_known_users(r, probe);
        error = match_handles(r, probe->users_known);
        RM_TRACE("handles: %lu, %zu processes settled, %lu us", error, matched_count(r),
                 rm_trace_elapsed_us(started));
    }
    return error;
}

static const char *evidence_word(DWORD kind)
{
    switch (kind) {
    case RmxEvidenceHandle: return "open handle";
    case RmxEvidenceModule: return "loaded module";
    case RmxEvidenceImage: return "program image";
    case RmxEvidenceProcess: return "registered process";
    case RmxEvidenceService: return "registered service";
    default: return "?";
    }
}

static void report_evidence(const position_evidence *found, rm_evidence *out)
{
    size_t length = found->resource_length;
    out->kind = found->kind;
    out->handle_value = found->handle_value;
    out->truncated = length >= RMX_RESOURCE_CCH;
    if (out->truncated)
        length = RMX_RESOURCE_CCH - 1;
    if (found->resource)
        memcpy(out->resource, found->resource, length * sizeof(WCHAR));
    out->resource[found->resource ? length : 0] = 0;
}

/* Why a process is listed, for whoever follows the decision (B-TRACE-2). */
static void trace_evidence(DWORD pid, const rm_evidence *evidence)
{
    if (!rm_trace_on())
        return;
    if (evidence->kind == RmxEvidenceHandle)
        RM_TRACE_AS("describe", "pid %lu uses %s: %s %#llx", pid,
                    rm_trace_wstr(evidence->resource, RMX_RESOURCE_CCH),
                    evidence_word(evidence->kind), evidence->handle_value);
    else
        RM_TRACE_AS("describe", "pid %lu uses %s: %s", pid,
                    rm_trace_wstr(evidence->resource, RMX_RESOURCE_CCH),
                    evidence_word(evidence->kind));
}

/* ---- the description -------------------------------------------------------------- */

/* Describing workers of the batch described while the handles are named: the crew's idle
 * members then (one names handles, one runs the batch), not new threads. */
#define EARLY_DESCRIBE_WORKERS 1u

/* The affected processes not yet described, but the caller, in snapshot order. */
static DWORD batch_collect(resolution *r, description_batch *batch)
{
    memset(batch, 0, sizeof(*batch));
    size_t count = 0;
    for (size_t position = 0; position < r->processes.count; position++)
        count += is_matched(r, position) && position != r->self_position && !r->described[position];
    if (count == 0)
        return ERROR_SUCCESS;
    batch->targets = malloc(count * sizeof(*batch->targets));
    batch->pids = malloc(count * sizeof(*batch->pids));
    batch->started_by_scm = malloc(count * sizeof(*batch->started_by_scm));
    batch->elapsed_us = calloc(count, sizeof(*batch->elapsed_us));
    batch->apps = calloc(count, sizeof(*batch->apps));
    if (!batch->targets || !batch->pids || !batch->started_by_scm || !batch->elapsed_us ||
        !batch->apps)
        return ERROR_OUTOFMEMORY;
    for (size_t position = 0; position < r->processes.count; position++) {
        if (!is_matched(r, position) || position == r->self_position || r->described[position])
            continue;
        batch->targets[batch->count] = position;
        batch->pids[batch->count] = r->processes.entries[position].pid;
        batch->started_by_scm[batch->count] = started_by_the_scm(r, position);
        batch->count++;
    }
    return ERROR_SUCCESS;
}

static void batch_free(description_batch *batch)
{
    free(batch->targets);
    free(batch->pids);
    free(batch->started_by_scm);
    free(batch->elapsed_us);
    free(batch->apps);
    memset(batch, 0, sizeof(*batch));
}

/* The windows of every process but the caller, for both batches (one enumeration). */
static DWORD load_all_windows(resolution *r)
{
    DWORD *pids = malloc((r->processes.count ? r->processes.count : 1) * sizeof(*pids));
    if (!pids)
        return ERROR_OUTOFMEMORY;
    size_t count = 0;
    for (size_t position = 0; position < r->processes.count; position++)
        if (position != r->self_position)
            pids[count++] = r->processes.entries[position].pid;
    DWORD error = rm_window_list_load(&r->windows, pids, count);
    free(pids);
    r->windows_loaded = error == ERROR_SUCCESS;
    return error;
}

static DWORD batch_describe(resolution *r, description_batch *batch, size_t max_workers)
{
    rm_window_list own_windows = { NULL, 0 };
    DWORD error = finish_preload(r);
    ULONGLONG started = rm_trace_clock();
    if (error == ERROR_SUCCESS && !r->windows_loaded)
        error = rm_window_list_load(&own_windows, batch->pids, batch->count);
    RM_TRACE("windows: %lu, %lu us", error, rm_trace_elapsed_us(started));
    rm_describe_request request = {
        .processes = &r->processes,
        .targets = batch->targets,
        .count = batch->count,
        .started_by_scm = batch->started_by_scm,
        .matched_service = r->matched_service,
        .opened = r->opened,
        .services = &r->services,
        .services_loaded = r->services_loaded,
        .windows = r->windows_loaded ? &r->windows : &own_windows,
        .caller_session = r->self_position != RM_NO_POSITION
                              ? r->processes.entries[r->self_position].session_id : 0,
        .relaunch = &r->relaunch,
        .crew = &r->crew,
        .max_workers = max_workers,
        .apps = batch->apps,
        .reasons = &batch->reasons,
        .elapsed_us = batch->elapsed_us,
    };
    if (error == ERROR_SUCCESS)
        error = rm_describe_processes(&request); /* r->services freed with the resolution */
    rm_window_list_free(&own_windows);
    return error;
}

static DWORD WINAPI early_describer(void *parameter)
{
    resolution *r = parameter;
    r->early.error = load_all_windows(r);
    if (r->early.error == ERROR_SUCCESS)
        r->early.error = batch_describe(r, &r->early, EARLY_DESCRIBE_WORKERS);
    return 0;
}

/* The processes found so far are described on the crew while the handles are named:
 * both mostly wait on the system, each on its own thread. */
static void begin_early_description(resolution *r)
{
    if (batch_collect(r, &r->early) != ERROR_SUCCESS || r->early.count == 0) {
        batch_free(&r->early); /* no memory: all are described afterwards */
        return;
    }
    size_t started = 0;
    rm_workers_start(&r->crew, &r->early_runner, &started, 1, early_describer, r);
    if (started == 0) {
        batch_free(&r->early);
        return;
    }
    for (size_t k = 0; k < r->early.count; k++)
        r->described[r->early.targets[k]] = 1;
}

static void join_early_description(resolution *r)
{
    if (!r->early_runner)
        return;
    rm_workers_join(&r->crew, &r->early_runner, 1);
    r->early_runner = NULL;
}

/* Every affected process but the caller, described (those of the early batch already),
 * in snapshot order. */
static DWORD describe(resolution *r, rm_affected_list *out)
{
    description_batch late;
    join_early_description(r);
    if (r->early.error != ERROR_SUCCESS)
        return r->early.error;
    if (r->self_position != RM_NO_POSITION && is_matched(r, r->self_position))
        r->reasons |= RmRebootReasonDetectedSelf;
    DWORD error = batch_collect(r, &late);
    if (error == ERROR_SUCCESS && late.count)
        error = batch_describe(r, &late, 0);
    const size_t count = r->early.count + late.count;
    if (error == ERROR_SUCCESS && count) {
        out->apps = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, count * sizeof(*out->apps));
        out->evidence = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                                  count * sizeof(*out->evidence));
        if (!out->apps || !out->evidence)
            error = ERROR_OUTOFMEMORY;
    }
    /* The two batches merged in snapshot order, the answer's. */
    size_t e = 0, l = 0;
    for (size_t k = 0; error == ERROR_SUCCESS && k < count; k++) {
        BOOL from_early = l == late.count ||
                          (e < r->early.count && r->early.targets[e] < late.targets[l]);
        description_batch *batch = from_early ? &r->early : &late;
        size_t at = from_early ? e++ : l++;
        out->apps[k] = batch->apps[at];
        report_evidence(&r->evidence[batch->targets[at]], &out->evidence[k]);
        RM_TRACE("pid %lu described: type %d, %lu us", (unsigned long)batch->pids[at],
                 out->apps[k].ApplicationType, batch->elapsed_us[at]);
        trace_evidence(batch->pids[at], &out->evidence[k]);
    }
    if (error == ERROR_SUCCESS) {
        out->count = count;
        r->reasons |= r->early.reasons | late.reasons;
    }
    batch_free(&late);
    return error;
}

static DWORD resolve(resolution *r, rm_affected_list *out)
{
    DWORD error = probe_files(r);
    if (error != ERROR_SUCCESS)
        return error;
    ULONGLONG started = rm_trace_clock();
    /* A WoW64 caller the system does not tell where 64-bit PEBs are lists threads' TEBs. */
    const BOOL pebs_unsaid = rm_remote_peb64_unsaid();
    error = pebs_unsaid && rm_tunable_wow64_tebs_allowed()
                ? rm_process_snapshot_take_with_tebs(&r->processes)
                : rm_process_snapshot_take(&r->processes);
    if (error != ERROR_SUCCESS)
        return error;
    r->process_state = calloc(r->processes.count, sizeof(*r->process_state));
    r->matched_service = calloc(r->processes.count, sizeof(*r->matched_service));
    r->handles = calloc(r->processes.count ? r->processes.count : 1, sizeof(*r->handles));
    r->evidence = calloc(r->processes.count ? r->processes.count : 1, sizeof(*r->evidence));
    r->opened = calloc(r->processes.count ? r->processes.count : 1, sizeof(*r->opened));
    r->described = calloc(r->processes.count ? r->processes.count : 1, sizeof(*r->described));
    if (!r->process_state || !r->matched_service || !r->handles || !r->evidence || !r->opened ||
        !r->described)
        return ERROR_OUTOFMEMORY;
    r->self_position = rm_process_snapshot_find(&r->processes, GetCurrentProcessId());
    RM_TRACE("process snapshot: %zu processes, %lu us", r->processes.count,
             rm_trace_elapsed_us(started));
    if (pebs_unsaid && (error = know_64bit_pebs(r)) != ERROR_SUCCESS)
        return error;
    rm_relaunch_context_init(&r->relaunch, &r->pebs); /* one question to the 64-bit half per call */
    r->relaunch.processes = &r->processes;            /* and no snapshot of its own */
    match_processes(r);
    error = match_services(r);
    if (error == ERROR_SUCCESS)
        error = match_files(r);
    if (error == ERROR_SUCCESS && cancelled(r))
        error = ERROR_CANCELLED;
    started = rm_trace_clock();
    if (error == ERROR_SUCCESS)
        error = describe(r, out);
    RM_TRACE("description: %lu, %zu applications, %lu us", error, out->count,
             rm_trace_elapsed_us(started));
    return error;
}

DWORD rm_resolve_affected(const rm_resource_index *index, HANDLE cancel, rm_affected_list *out)
{
    resolution r;
    memset(&r, 0, sizeof(r));
    memset(out, 0, sizeof(*out));
    r.index = index;
    r.cancel = cancel;
    r.self_position = RM_NO_POSITION;
    rm_crew_init(&r.crew);
    DWORD error = resolve(&r, out);
    join_early_description(&r); /* the call failed while it ran */
    if (error == ERROR_SUCCESS) {
        out->reboot_reasons = r.reasons;
    } else {
        rm_affected_list_free(out);
    }
    free(r.process_state);
    free((void *)r.matched_service);
    free(r.handles);
    free(r.evidence);
    for (size_t position = 0; r.opened && position < r.processes.count; position++)
        if (r.opened[position].handle)
            CloseHandle(r.opened[position].handle);
    free(r.opened);
    free(r.described);
    batch_free(&r.early);
    rm_window_list_free(&r.windows);
    free(r.pebs.entries);
    finish_preload(&r);
    rm_crew_end(&r.crew); /* no thread outlives the call */
    rm_service_list_free(&r.preloaded);
    if (r.probed)
        rm_file_probe_free(&r.probe);
    rm_service_list_free(&r.services);
    rm_process_snapshot_free(&r.processes);
    return error;
}

void rm_affected_list_free(rm_affected_list *list)
{
    if (list->apps)
        HeapFree(GetProcessHeap(), 0, list->apps);
    if (list->evidence)
        HeapFree(GetProcessHeap(), 0, list->evidence);
    memset(list, 0, sizeof(*list));
}
