// SPDX-License-Identifier: LGPL-2.1-or-later
/* The load test_stress runs and soak runs for longer: 16 processes x 4 sessions x 1,000
 * registered files (the first HOT_FILES of them real files in the run's directory), file
 * holders of some hot files starting and exiting underneath, and the growth allowed per
 * process. Header-only like session_calls.h (the programs link the DLL); include after
 * rm_test_support.h. */
#ifndef RM_STRESS_MIX_H
#define RM_STRESS_MIX_H

#include <wchar.h>

#define WORKERS 16
#define SESSIONS_PER_WORKER 4
#define FILES_PER_SESSION 1000
#define HOT_FILES 40            /* real files, registered in every session */
#define HOLDER_SLOTS 4          /* holders alive at once, each holding some hot files */
#define HOLD_PER_HOLDER 5
#define APPS_CAPACITY 64
/* Growth allowed between the end of the warm-up and the end of the run. */
#define HANDLE_GROWTH_MAX 2
#define PRIVATE_GROWTH_MAX (256 * 1024)

static inline void hot_file(const wchar_t *dir, unsigned index, wchar_t *out)
{
    _snwprintf(out, RMT_PATH_CCH, L"%ls\\hot%02u.dat", dir, index);
}

/* Registers the session's FILES_PER_SESSION files: the hot files of dir, then names of
 * files that do not exist, distinct per run (tag), worker and session. */
static inline DWORD register_session(DWORD handle, const wchar_t *dir, const wchar_t *tag,
                                     unsigned worker, unsigned session)
{
    enum { STRIDE = 128 };
    static wchar_t storage[FILES_PER_SESSION][STRIDE];
    LPCWSTR paths[FILES_PER_SESSION];
    for (unsigned i = 0; i < FILES_PER_SESSION; i++) {
        if (i < HOT_FILES)
            hot_file(dir, i, storage[i]);
        else
            _snwprintf(storage[i], STRIDE, L"C:\\rmt %ls\\w%02u\\s%u\\file%04u.dll", tag, worker,
                       session, i);
        paths[i] = storage[i];
    }
    return RmRegisterResources(handle, FILES_PER_SESSION, paths, 0, NULL, 0, NULL);
}

/* A holder of a few random hot files of dir that ends itself after a random lifetime. */
static inline BOOL start_holder(const wchar_t *dir, rmt_process *holder, unsigned *random_state)
{
    wchar_t args[HOLD_PER_HOLDER * (RMT_PATH_CCH + 16)], file[RMT_PATH_CCH];
    size_t used = 0;
    *random_state = *random_state * 1103515245u + 12345u;
    unsigned lifetime = 300 + (*random_state >> 8) % 1200;
    used += _snwprintf(args, ARRAYSIZE(args), L"--share read --lifetime-ms %u", lifetime);
    for (int i = 0; i < HOLD_PER_HOLDER; i++) {
        *random_state = *random_state * 1103515245u + 12345u;
        hot_file(dir, (*random_state >> 8) % HOT_FILES, file);
        used += _snwprintf(args + used, ARRAYSIZE(args) - used, L" --hold \"%ls\"", file);
    }
    return rmt_spawn(L"rm_file_holder.exe", args, holder);
}

#endif
