// SPDX-License-Identifier: LGPL-2.1-or-later
#include "session/session_registry.h"

#include "base/filetime.h"
#include "base/tunables.h"

DWORD rm_registry_open(rm_registry *registry)
{
    WCHAR name[RM_OBJECT_NAME_CCH];
    DWORD error;

    ZeroMemory(registry, sizeof(*registry));
    error = rm_object_security_init(&registry->security);
    if (error != ERROR_SUCCESS)
        return error;
    rm_object_name(&registry->security, L"lock", name);
    registry->mutex = CreateMutexW(&registry->security.attributes, FALSE, name);
    if (!registry->mutex)
        goto failed;
    rm_object_name(&registry->security, L"table", name);
    registry->section = CreateFileMappingW(INVALID_HANDLE_VALUE, &registry->security.attributes,
                                           PAGE_READWRITE, 0, sizeof(rm_table), name);
    if (!registry->section)
        goto failed;
    registry->table = MapViewOfFile(registry->section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0,
                                    sizeof(rm_table));
    if (!registry->table)
        goto failed;
    return ERROR_SUCCESS;

failed:
    error = GetLastError();
    rm_registry_close(registry);
    /* Someone else's object under our name (wrong DACL) reads as a damaged store. */
    return error == ERROR_ACCESS_DENIED ? ERROR_WRITE_FAULT : error;
}

void rm_registry_close(rm_registry *registry)
{
    if (registry->table)
        UnmapViewOfFile(registry->table);
    if (registry->section)
        CloseHandle(registry->section);
    if (registry->mutex)
        CloseHandle(registry->mutex);
    rm_object_security_free(&registry->security);
    ZeroMemory(registry, sizeof(*registry));
}

DWORD rm_registry_lock(rm_registry *registry)
{
    DWORD wait = WaitForSingleObject(registry->mutex, rm_tunable_ms(RM_TUNABLE_LOCK_TIMEOUT));
    if (wait == WAIT_TIMEOUT)
        return ERROR_SEM_TIMEOUT;
    if (wait != WAIT_OBJECT_0 && wait != WAIT_ABANDONED)
        return GetLastError();
    rm_table_format_if_new(registry->table);
    if (!rm_table_header_valid(registry->table)) {
        ReleaseMutex(registry->mutex);
        return ERROR_WRITE_FAULT;
    }
    if (wait == WAIT_ABANDONED) {
        /* The holder died mid-update: drop whatever slot it may have left half written. */
        rm_registry_reclaim(registry);
    }
    return ERROR_SUCCESS;
}

void rm_registry_unlock(rm_registry *registry)
{
    ReleaseMutex(registry->mutex);
}

BOOL rm_process_alive(DWORD pid, ULONGLONG start)
{
    uint64_t created;
    DWORD exit_code;
    BOOL alive;
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);

    if (!process)
        /* A process we may not open still exists; only "no such process" means gone. */
        return GetLastError() != ERROR_INVALID_PARAMETER;
    alive = GetExitCodeProcess(process, &exit_code) && exit_code == STILL_ACTIVE &&
            rm_process_created(process, &created) && created == start;
    CloseHandle(process);
    return alive;
}

static int owner_alive(uint32_t pid, uint64_t start, void *context)
{
    (void)context;
    return rm_process_alive(pid, start);
}

void rm_registry_reclaim(rm_registry *registry)
{
    rm_table_reclaim(registry->table, owner_alive, NULL);
}
