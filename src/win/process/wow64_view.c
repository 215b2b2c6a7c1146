/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "process/wow64_view.h"

#include <string.h>

#include "path_norm.h"
#include "wow64_path.h"

/* ntdll's per-thread switch behind Wow64DisableWow64FsRedirection: TRUE disables, and
 * the previous "disabled" flag comes back, which also tells the thread's state. */
typedef NTSTATUS (NTAPI *rm_fs_redirection_fn)(ULONG_PTR disable, ULONG_PTR *previous);

static rm_fs_redirection_fn fs_redirection_switch(void)
{
#ifdef _WIN64
    return NULL;
#else
    return (rm_fs_redirection_fn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                        "RtlWow64EnableFsRedirectionEx");
#endif
}

void rm_wow64_view_init(rm_wow64_view *view)
{
    memset(view, 0, sizeof(*view));
#ifdef _WIN64
    view->system_has_wow64 = TRUE;
#else
    BOOL wow64 = FALSE;
    view->caller_is_wow64 = IsWow64Process(GetCurrentProcess(), &wow64) && wow64;
    view->system_has_wow64 = view->caller_is_wow64;
#endif
    if (!view->system_has_wow64)
        return;
    WCHAR raw[MAX_PATH];
    UINT length = GetSystemWindowsDirectoryW(raw, MAX_PATH);
    if (length && length < MAX_PATH)
        view->windir_length = rm_path_canonicalize((const rm_wchar *)raw, length,
                                                   (rm_wchar *)view->windir, MAX_PATH, NULL);
}

BOOL rm_wow64_thread_redirected(const rm_wow64_view *view)
{
    rm_fs_redirection_fn toggle = view->caller_is_wow64 ? fs_redirection_switch() : NULL;
    ULONG_PTR was_disabled = 0, ignored;
    if (!toggle || toggle(TRUE, &was_disabled) != 0)
        return view->caller_is_wow64;
    toggle(was_disabled, &ignored);
    return !was_disabled;
}

size_t rm_wow64_view_to_real(const rm_wow64_view *view, WCHAR *canonical, size_t length,
                             size_t cap, BOOL redirected, WCHAR *scratch)
{
    if (!view->system_has_wow64 || length == 0)
        return length;
    size_t real = rm_wow64_real_path((const rm_wchar *)canonical, length,
                                     (const rm_wchar *)view->windir, view->windir_length,
                                     redirected, (rm_wchar *)scratch, cap);
    if (real)
        memcpy(canonical, scratch, (real + 1) * sizeof(WCHAR));
    return real;
}

void rm_native_fs_enter(rm_native_fs_scope *scope)
{
    rm_fs_redirection_fn toggle = fs_redirection_switch();
    scope->changed = toggle && toggle(TRUE, &scope->previous) == 0;
}

void rm_native_fs_leave(rm_native_fs_scope *scope)
{
    rm_fs_redirection_fn toggle = scope->changed ? fs_redirection_switch() : NULL;
    ULONG_PTR ignored;
    if (toggle)
        toggle(scope->previous, &ignored);
    scope->changed = FALSE;
}
