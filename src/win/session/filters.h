// SPDX-License-Identifier: LGPL-2.1-or-later
/* RmAddFilter, RmRemoveFilter and RmGetFilterList over the session's filter list
 * (core/filter_list.h), and the filter an affected application falls under.
 * A file trigger is the full path of an application's executable; it is stored in its
 * canonical form (as registered files are) and listed as the caller spelled it. A
 * process trigger is pid + start time, a service trigger a short name (any case). */
#ifndef RM_WIN_FILTERS_H
#define RM_WIN_FILTERS_H

#include <windows.h>
#include <restartmanager.h>

struct rm_session;
struct rm_session_record;

/* Exactly one of module, process and service is non-NULL (the API checked it), action is
 * RmNoRestart or RmNoShutdown. ERROR_BAD_ARGUMENTS for an unusable path or name. */
DWORD rm_filters_add(struct rm_session *session, LPCWSTR module, const RM_UNIQUE_PROCESS *process,
                     LPCWSTR service, RM_FILTER_ACTION action);

/* ERROR_FILE_NOT_FOUND when the trigger has no filter. */
DWORD rm_filters_remove(struct rm_session *session, LPCWSTR module,
                        const RM_UNIQUE_PROCESS *process, LPCWSTR service);

/* The RM_FILTER_INFO chain of this architecture; *needed gets its size. buffer may be
 * NULL when size is 0. ERROR_MORE_DATA when it does not fit or needed is NULL. */
DWORD rm_filters_get(struct rm_session *session, BYTE *buffer, DWORD size, DWORD *needed);

/* The filter action (RmNoRestart, RmNoShutdown) that applies to a process: its own
 * filter, else its executable's, else its service's (service may be NULL or ""); the
 * strongest if several apply (RmNoShutdown also means no restart). 0 if none;
 * RM_FILTER_UNKNOWN if there was no memory to tell (the caller must not act on it). */
#define RM_FILTER_UNKNOWN (-1)
int rm_filters_action_for(const struct rm_session_record *session_record, DWORD pid, ULONGLONG start,
                          const WCHAR *image_path, const WCHAR *service);

#endif
