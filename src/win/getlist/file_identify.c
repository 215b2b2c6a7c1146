// SPDX-License-Identifier: LGPL-2.1-or-later
#include "getlist/file_identify.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/nt_system.h"
#include "base/trace.h"
#include "getlist/path_match.h"
#include "path_norm.h"

#define NOTHING_IN_FLIGHT ((size_t)-1)
/* A process whose handles hung this often is given up for this call; after this many
 * hangs in all, the walk stops with what it found (each hang costs one timeout). */
#define HANGS_PER_PROCESS 2u
#define HANGS_PER_CALL 16u
#define WORKER_STACK_BYTES (128u * 1024u)
/* Room for the longest object name (32767 units) behind its UNICODE_STRING. */
#define NAME_BUFFER_BYTES (sizeof(UNICODE_STRING) + 65536u + 16u)

/* Shared by the caller and one worker; freed by whichever lets go last. */
typedef struct identify_job {
    LONG references;
    SRWLOCK lock;
    /* Under lock. request is the caller's; valid only while !abandoned. */
    BOOL abandoned;
    const rm_identify_request *request;
    size_t next;
    size_t in_flight;
    /* Read by the caller without the lock: advances with every handle done. */
    volatile LONG progress;
    HANDLE never_set;       /* fault injection only */
    DWORD hang_pid;
    BOOL check_device;      /* see naming_may_block() */
    /* The worker's own. */
    BYTE *name_buffer;
    rm_path_canonicalizer canonicalizer;
} identify_job;

static void job_release(identify_job *job)
{
    if (InterlockedDecrement(&job->references) != 0)
        return;
    if (job->never_set)
        CloseHandle(job->never_set);
    free(job->name_buffer);
    rm_path_canonicalizer_free(&job->canonicalizer);
    free(job);
}

/* On Windows, reading a name goes through the file object and blocks behind a pending
 * synchronous request (pipes, consoles...): only disk files are named, after a device
 * query. Wine answers names from the wineserver's object table and never blocks there,
 * while its device query costs an extra fd transfer per handle: there, the name alone
 * tells (pipes and mailslots, the non-disk handles every process has, are known by name
 * and set aside as the device query would; other non-disk names never match a
 * registered path). The watchdog guards both. */
static BOOL naming_may_block(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return !ntdll || !GetProcAddress(ntdll, "wine_get_version");
}

static identify_job *job_create(const rm_identify_request *request, size_t start)
{
    identify_job *job = calloc(1, sizeof(*job));
    if (!job)
        return NULL;
    job->references = 1;
    InitializeSRWLock(&job->lock);
    job->request = request;
    job->next = start;
    job->in_flight = NOTHING_IN_FLIGHT;
    job->hang_pid = request->hang_pid;
    job->check_device = naming_may_block();
    job->never_set = request->hang_pid ? CreateEventW(NULL, TRUE, FALSE, NULL) : NULL;
    job->name_buffer = malloc(NAME_BUFFER_BYTES);
    if ((request->hang_pid && !job->never_set) || !job->name_buffer ||
        rm_path_canonicalizer_init(&job->canonicalizer) != ERROR_SUCCESS) {
        job_release(job);
        return NULL;
    }
    return job;
}

/* Disk files only: pipes, consoles, sockets and other devices are never registered
 * files, and are the handles whose naming blocks. */
static BOOL is_disk_file(HANDLE file)
{
    IO_STATUS_BLOCK io;
    FILE_FS_DEVICE_INFORMATION device;
    NTSTATUS status = NtQueryVolumeInformationFile(file, &io, &device, sizeof(device),
                                                   (FS_INFORMATION_CLASS)RM_FILE_FS_DEVICE_INFORMATION);
    if (status != RM_STATUS_SUCCESS)
        return FALSE;
    switch (device.DeviceType) {
    case FILE_DEVICE_DISK:
    case FILE_DEVICE_DISK_FILE_SYSTEM:
    case FILE_DEVICE_CD_ROM:
    case FILE_DEVICE_CD_ROM_FILE_SYSTEM:
    case FILE_DEVICE_DFS:
    case FILE_DEVICE_DFS_FILE_SYSTEM:
    case FILE_DEVICE_DFS_VOLUME:
    case FILE_DEVICE_VIRTUAL_DISK:
    case FILE_DEVICE_NETWORK_FILE_SYSTEM:
        return TRUE;
    default:
        return FALSE;
    }
}

/* The only step that may block: duplicate, check the device, read the name, and turn
 * it into a canonical path (in the job's canonicalizer). Returns its length, 0 if the
 * handle is not a named disk file. Touches nothing of the caller's. A handle of our own
 * process is read in place: no duplicate, so two round trips to the system (or, on Wine,
 * to the wineserver) fewer, and it is never closed here. */
static size_t name_handle(identify_job *job, HANDLE source, ULONG_PTR value, DWORD pid)
{
    const BOOL own = source == GetCurrentProcess();
    HANDLE copy = (HANDLE)value;
    ULONG returned = 0;
    size_t length = 0;
    if (!own && !DuplicateHandle(source, (HANDLE)value, GetCurrentProcess(), &copy, 0, FALSE,
                                 DUPLICATE_SAME_ACCESS))
        return 0;
    if (job->hang_pid == pid)
        WaitForSingleObject(job->never_set, INFINITE); /* a query that never returns */
    if ((!job->check_device || is_disk_file(copy)) &&
        NtQueryObject(copy, (OBJECT_INFORMATION_CLASS)RM_OBJECT_NAME_INFORMATION,
                      job->name_buffer, NAME_BUFFER_BYTES, &returned) == RM_STATUS_SUCCESS) {
        const UNICODE_STRING *name = (const UNICODE_STRING *)job->name_buffer;
        const size_t units = name->Buffer ? name->Length / sizeof(WCHAR) : 0;
        /* Where the device was not asked, a pipe's or mailslot's name answers for it; it
         * also spares the drive letters' questions (~0.5 ms under Wine 8) that the first
         * "\Device\..." name would otherwise cost. */
        if (units && (job->check_device ||
                      !rm_path_names_pipe_or_mailslot((const rm_wchar *)name->Buffer, units)))
            length = rm_path_canonicalize_found(&job->canonicalizer, name->Buffer, units,
                                                RM_NAME_REAL);
    }
    if (!own)
        CloseHandle(copy);
    return length;
}

/* Under the lock: the next handle worth naming, skipping processes already settled. */
static size_t take_next(identify_job *job)
{
    const rm_identify_request *request = job->request;
    size_t at = job->next;
    while (at < request->candidates->count &&
           request->process_state[request->candidates->items[at].position] != RM_PROCESS_EXAMINE) {
        at++;
        InterlockedIncrement(&job->progress);
    }
    job->next = at;
    return at;
}

/* The source process of a handle, opened once per process (handles come grouped). */
typedef struct source_process {
    size_t position;
    HANDLE handle;
} source_process;

static void source_close(source_process *source)
{
    if (source->handle && source->handle != GetCurrentProcess())
        CloseHandle(source->handle);
    source->handle = NULL;
    source->position = RM_NO_POSITION;
}

static BOOL source_open(source_process *source, size_t position, DWORD pid)
{
    if (source->position == position)
        return source->handle != NULL;
    source_close(source);
    source->position = position;
    source->handle = pid == GetCurrentProcessId() ? GetCurrentProcess()
                                                  : OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
    return source->handle != NULL;
}

static void worker_run(identify_job *job)
{
    source_process source = { RM_NO_POSITION, NULL };
    for (;;) {
        AcquireSRWLockExclusive(&job->lock);
        if (job->abandoned || take_next(job) >= job->request->candidates->count) {
            ReleaseSRWLockExclusive(&job->lock);
            break;
        }
        const rm_identify_request *request = job->request;
        size_t at = job->next;
        rm_handle_candidate candidate = request->candidates->items[at];
        DWORD pid = request->processes->entries[candidate.position].pid;
        job->next = at + 1;
        if (!source_open(&source, candidate.position, pid)) {
            RM_TRACE("pid %lu: handles not looked into: cannot be opened (%lu)",
                     (unsigned long)pid, GetLastError());
            request->process_state[candidate.position] = RM_PROCESS_GIVEN_UP;
            InterlockedIncrement(&job->progress);
            ReleaseSRWLockExclusive(&job->lock);
            continue;
        }
        job->in_flight = at;
        ReleaseSRWLockExclusive(&job->lock);

        size_t length = name_handle(job, source.handle, candidate.value, pid);

        AcquireSRWLockExclusive(&job->lock);
        job->in_flight = NOTHING_IN_FLIGHT;
        if (job->abandoned) {
            ReleaseSRWLockExclusive(&job->lock);
            break;
        }
        const rm_indexed_file *file =
            length ? rm_path_registered_canonical(request->index, job->canonicalizer.canonical,
                                                  length)
                   : NULL;
        if (file && request->process_state[candidate.position] != RM_PROCESS_MATCHED) {
            request->process_state[candidate.position] = RM_PROCESS_MATCHED;
            request->evidence[candidate.position].handle_value = candidate.value;
            request->evidence[candidate.position].file = file;
        }
        InterlockedIncrement(&job->progress);
        ReleaseSRWLockExclusive(&job->lock);
    }
    source_close(&source);
}

static DWORD WINAPI worker_main(void *parameter)
{
    identify_job *job = parameter;
    worker_run(job);
    job_release(job);
    return 0;
}

/* The job's worker, a member of the call's crew (whose idle threads the earlier phases
 * leave). *done is signalled when it leaves. */
static BOOL start_worker(identify_job *job, rm_crew *crew, HANDLE *done)
{
    size_t started = 0;
    InterlockedIncrement(&job->references); /* the worker's */
    rm_workers_start(crew, done, &started, 1, worker_main, job);
    if (started == 0) {
        InterlockedDecrement(&job->references);
        return FALSE;
    }
    return TRUE;
}

/* Detaches the worker from the caller's data. Returns the handle it was stuck on
 * (NOTHING_IN_FLIGHT if none) and where a successor should resume. */
static size_t abandon(identify_job *job, size_t *resume)
{
    AcquireSRWLockExclusive(&job->lock);
    job->abandoned = TRUE;
    size_t stuck = job->in_flight;
    *resume = stuck != NOTHING_IN_FLIGHT ? stuck + 1 : job->next;
    ReleaseSRWLockExclusive(&job->lock);
    return stuck;
}

/* Waits for the worker to finish, watching its progress. Returns ERROR_SUCCESS when it
 * finished, ERROR_TIMEOUT when it was abandoned on a stuck handle (*stuck, *resume set),
 * ERROR_CANCELLED or a wait error (worker abandoned). */
static DWORD watch(identify_job *job, HANDLE finished, const rm_identify_request *request,
                   size_t *stuck, size_t *resume)
{
    HANDLE waits[2] = { finished, request->cancel };
    DWORD wait_count = request->cancel ? 2 : 1;
    LONG seen = job->progress;
    for (;;) {
        DWORD result = WaitForMultipleObjects(wait_count, waits, FALSE, request->timeout_ms);
        if (result == WAIT_OBJECT_0)
            return ERROR_SUCCESS;
        if (result == WAIT_TIMEOUT) {
            LONG now = job->progress;
            if (now != seen) {
                seen = now;
                continue;
            }
            *stuck = abandon(job, resume);
            return ERROR_TIMEOUT;
        }
        DWORD error = result == WAIT_OBJECT_0 + 1 ? ERROR_CANCELLED : GetLastError();
        abandon(job, resume);
        return error;
    }
}

DWORD rm_identify_handles(const rm_identify_request *request)
{
    const size_t count = request->candidates->count;
    uint8_t *hangs = NULL;
    unsigned total_hangs = 0;
    size_t start = 0;
    DWORD error = ERROR_SUCCESS;

    while (start < count) {
        identify_job *job = job_create(request, start);
        if (!job) {
            error = ERROR_OUTOFMEMORY;
            break;
        }
        HANDLE finished;
        if (!start_worker(job, request->crew, &finished)) {
            error = GetLastError() ? GetLastError() : ERROR_OUTOFMEMORY;
            job_release(job);
            break;
        }
        size_t stuck = NOTHING_IN_FLIGHT;
        error = watch(job, finished, request, &stuck, &start);
        if (error == ERROR_SUCCESS)
            rm_workers_returned(request->crew, finished); /* watch saw it signalled */
        else
            rm_workers_abandon(request->crew, finished); /* it may never return */
        job_release(job);
        if (error != ERROR_TIMEOUT)
            break;
        error = ERROR_SUCCESS;
        if (++total_hangs >= HANGS_PER_CALL)
            break;
        if (stuck == NOTHING_IN_FLIGHT)
            continue;
        if (!hangs && !(hangs = calloc(request->processes->count, 1))) {
            error = ERROR_OUTOFMEMORY;
            break;
        }
        uint32_t position = request->candidates->items[stuck].position;
        if (++hangs[position] >= HANGS_PER_PROCESS) {
            RM_TRACE("pid %lu: handles skipped: naming them makes no progress",
                     (unsigned long)request->processes->entries[position].pid);
            request->process_state[position] = RM_PROCESS_GIVEN_UP;
        }
    }
    free(hangs);
    return error;
}
