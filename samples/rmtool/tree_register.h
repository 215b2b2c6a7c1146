/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Registers every file under a directory with a session (rmtool who/close/cycle DIR).
 * The Restart Manager refuses a registered directory (RmGetList: ERROR_ACCESS_DENIED),
 * so rmtool expands it itself (file_walk.h), registering TREE_REGISTER_BATCH files per
 * RmRegisterResources call (a session takes any number of calls): memory stays bounded
 * whatever the size of the tree. */
#ifndef RMTOOL_TREE_REGISTER_H
#define RMTOOL_TREE_REGISTER_H

#include <windows.h>

#define TREE_REGISTER_BATCH 1000

/* How often the progress line is redrawn while a tree is listed. */
#define TREE_PROGRESS_INTERVAL_MS 250

/* Registers the files under root (a full path) with session. With show_progress and a
 * console on stderr, a line "listing ROOT: N files" is redrawn every
 * TREE_PROGRESS_INTERVAL_MS once listing has taken that long. Returns ERROR_SUCCESS,
 * ERROR_CANCELLED (Ctrl+C), or the error of the failing call (*failed_call names it). */
DWORD tree_register(DWORD session, const wchar_t *root, BOOL show_progress,
                    const wchar_t **failed_call);

#endif
