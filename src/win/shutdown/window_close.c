// SPDX-License-Identifier: LGPL-2.1-or-later
#include "shutdown/window_close.h"

#include <stdlib.h>

#include "base/trace.h"

/* Top-level windows of one process we deal with; more is pathological. */
#define MAX_WINDOWS 256u

/* After WM_ENDSESSION, how long an application may take to exit before WM_CLOSE. */
#define SETTLE_MS 1000u

typedef struct reply {
    BOOL answered;
    LRESULT result;
} reply;

/* Everything one close needs. Reply slots are written by on_reply while this thread
 * pumps messages, possibly long after their message was given up on: they live as long
 * as the close (and the thread, see window_close.h). */
typedef struct close_state {
    const rm_close_request *request;
    HANDLE process;
    ULONGLONG deadline;
    HWND windows[MAX_WINDOWS];
    size_t count;
    reply query[MAX_WINDOWS];
    reply end[MAX_WINDOWS];
} close_state;

typedef enum answers {
    ANSWERS_ALL,
    ANSWERS_TIMEOUT,
    ANSWERS_EXITED,
    ANSWERS_CANCELLED,
} answers;

static BOOL CALLBACK collect_window(HWND window, LPARAM context)
{
    close_state *state = (close_state *)context;
    DWORD pid = 0;
    GetWindowThreadProcessId(window, &pid);
    if (pid == state->request->pid && state->count < MAX_WINDOWS)
        state->windows[state->count++] = window;
    return TRUE;
}

static VOID CALLBACK on_reply(HWND window, UINT message, ULONG_PTR data, LRESULT result)
{
    (void)window;
    (void)message;
    reply *slot = (reply *)data;
    slot->result = result;
    slot->answered = TRUE;
}

/* Lets pending answers call on_reply. This thread owns no window: anything posted to it
 * is dropped. */
static void pump_answers(void)
{
    MSG message;
    while (PeekMessageW(&message, NULL, 0, 0, PM_REMOVE))
        ;
}

static BOOL all_answered(const close_state *state, const reply *slots)
{
    for (size_t i = 0; i < state->count; i++)
        if (!slots[i].answered)
            return FALSE;
    return TRUE;
}

/* Sends message to every window and waits up to timeout_ms for all answers. */
static answers send_and_wait(close_state *state, UINT message, WPARAM wparam, reply *slots,
                             DWORD timeout_ms)
{
    for (size_t i = 0; i < state->count; i++) {
        slots[i].answered = FALSE;
        if (!SendMessageCallbackW(state->windows[i], message, wparam, ENDSESSION_CLOSEAPP,
                                  on_reply, (ULONG_PTR)&slots[i])) {
            slots[i].answered = TRUE; /* the window is gone: nothing to refuse with */
            slots[i].result = TRUE;
        }
    }
    ULONGLONG end = GetTickCount64() + timeout_ms;
    HANDLE handles[2] = { state->process, state->request->cancel };
    DWORD handle_count = state->request->cancel ? 2 : 1;
    for (;;) {
        pump_answers();
        if (all_answered(state, slots))
            return ANSWERS_ALL;
        DWORD left = rm_close_remaining(end, INFINITE - 1);
        DWORD woke = MsgWaitForMultipleObjectsEx(handle_count, handles, left, QS_ALLINPUT,
                                                 MWMO_INPUTAVAILABLE);
        if (woke == WAIT_OBJECT_0)
            return ANSWERS_EXITED;
        if (woke == WAIT_OBJECT_0 + 1)
            return ANSWERS_CANCELLED;
        if (woke == WAIT_TIMEOUT || woke == WAIT_FAILED) {
            pump_answers();
            return all_answered(state, slots) ? ANSWERS_ALL : ANSWERS_TIMEOUT;
        }
    }
}

static const char *answers_word(answers outcome)
{
    switch (outcome) {
    case ANSWERS_ALL: return "answered";
    case ANSWERS_EXITED: return "the process exited";
    case ANSWERS_CANCELLED: return "cancelled";
    default: return "no answer in time";
    }
}

/* send_and_wait, and the trace of each window's answer with the time it took
 * (B-TRACE-3). */
static answers send_to_all(close_state *state, UINT message, WPARAM wparam, reply *slots,
                           DWORD timeout_ms)
{
    ULONGLONG started = rm_trace_clock();
    answers outcome = send_and_wait(state, message, wparam, slots, timeout_ms);
    if (rm_trace_on()) {
        const char *name = message == WM_QUERYENDSESSION ? "WM_QUERYENDSESSION"
                           : message == WM_ENDSESSION    ? "WM_ENDSESSION"
                                                         : "message";
        unsigned long us = rm_trace_elapsed_us(started);
        for (size_t i = 0; i < state->count; i++)
            RM_TRACE("pid %lu window %p: %s(%lu) -> %s, %lu us: %s",
                     (unsigned long)state->request->pid, (void *)state->windows[i], name,
                     (unsigned long)wparam,
                     slots[i].answered ? (slots[i].result ? "TRUE" : "FALSE") : "-", us,
                     answers_word(outcome));
    }
    return outcome;
}

static BOOL all_agreed(const close_state *state)
{
    for (size_t i = 0; i < state->count; i++)
        if (!state->query[i].result)
            return FALSE;
    return TRUE;
}

/* The shutdown is off for this application: its windows that agreed are told so. */
static void tell_session_continues(const close_state *state)
{
    for (size_t i = 0; i < state->count; i++)
        if (state->query[i].result)
            SendNotifyMessageW(state->windows[i], WM_ENDSESSION, FALSE, ENDSESSION_CLOSEAPP);
}

static BOOL is_main_window(HWND window)
{
    return IsWindowVisible(window) && !GetWindow(window, GW_OWNER);
}

/* WM_CLOSE to the main windows (to every window if it has none). */
static void post_close(const close_state *state)
{
    BOOL any_main = FALSE;
    for (size_t i = 0; i < state->count; i++)
        any_main |= is_main_window(state->windows[i]);
    for (size_t i = 0; i < state->count; i++)
        if (!any_main || is_main_window(state->windows[i])) {
            BOOL posted = PostMessageW(state->windows[i], WM_CLOSE, 0, 0);
            RM_TRACE("pid %lu window %p: WM_CLOSE posted %d", (unsigned long)state->request->pid,
                     (void *)state->windows[i], posted);
        }
}

/* After the grace period: terminated with force, else left running. */
/* Nothing more to ask: terminate with force, else refused. */
static rm_close_outcome give_up(const close_state *state)
{
    return rm_close_after_wait(RM_WAIT_TIMEOUT, state->process, state->request->force);
}

static rm_close_outcome wait_or_close(close_state *state)
{
    ULONGLONG settle = GetTickCount64() + SETTLE_MS;
    rm_wait_result waited = rm_close_wait_exit(
        state->process, settle < state->deadline ? settle : state->deadline, state->request->cancel);
    if (waited == RM_WAIT_TIMEOUT) {
        post_close(state);
        waited = rm_close_wait_exit(state->process, state->deadline, state->request->cancel);
    }
    return rm_close_after_wait(waited, state->process, state->request->force);
}

static rm_close_outcome end_session(close_state *state)
{
    answers ended = send_to_all(state, WM_ENDSESSION, TRUE, state->end,
                                rm_close_remaining(state->deadline, state->request->message_timeout_ms));
    if (ended == ANSWERS_CANCELLED)
        return RM_CLOSE_CANCELLED;
    if (ended == ANSWERS_EXITED)
        return RM_CLOSE_STOPPED;
    return wait_or_close(state);
}

struct rm_window_close {
    close_state state;
    rm_query_answer answer;
    BOOL gone;                  /* it had exited before it was asked */
    ULONGLONG query_ms;         /* what the query took of the grace period */
};

rm_window_close *rm_window_close_begin(const rm_close_request *request)
{
    rm_window_close *close = calloc(1, sizeof(*close));
    if (!close)
        return NULL;
    close->state.request = request;
    close->state.process = rm_close_open(request, &close->gone);
    close->state.deadline = GetTickCount64() + request->app_timeout_ms;
    close->answer = RM_QUERY_REFUSED;
    if (close->state.process)
        EnumWindows(collect_window, (LPARAM)&close->state);
    return close;
}

rm_query_answer rm_window_close_query(rm_window_close *close)
{
    close_state *state = &close->state;
    if (!state->process)
        return close->answer = close->gone ? RM_QUERY_EXITED : RM_QUERY_REFUSED;
    if (state->count == 0)
        return close->answer = RM_QUERY_NO_WINDOWS;
    ULONGLONG started = GetTickCount64();
    answers asked = send_to_all(state, WM_QUERYENDSESSION, 0, state->query,
                                rm_close_remaining(state->deadline, state->request->message_timeout_ms));
    close->query_ms = GetTickCount64() - started;
    switch (asked) {
    case ANSWERS_EXITED: return close->answer = RM_QUERY_EXITED;
    case ANSWERS_CANCELLED: return close->answer = RM_QUERY_CANCELLED;
    case ANSWERS_ALL: return close->answer = all_agreed(state) ? RM_QUERY_AGREED : RM_QUERY_REFUSED;
    default: return close->answer = RM_QUERY_REFUSED; /* not responding in time */
    }
}

void rm_window_close_abandon(rm_window_close *close)
{
    if (close->answer == RM_QUERY_AGREED || close->answer == RM_QUERY_REFUSED)
        tell_session_continues(&close->state);
}

rm_close_outcome rm_window_close_end(rm_window_close *close)
{
    close_state *state = &close->state;
    /* Other phases may have run since the query (Explorer ends last): the grace period
     * is what the query left of it, from now. */
    DWORD grace = state->request->app_timeout_ms;
    state->deadline = GetTickCount64() + (close->query_ms < grace ? grace - close->query_ms : 0);
    switch (close->answer) {
    case RM_QUERY_EXITED:
        return state->process || !close->gone ? RM_CLOSE_STOPPED : RM_CLOSE_ALREADY_GONE;
    case RM_QUERY_CANCELLED:
        return RM_CLOSE_CANCELLED;
    case RM_QUERY_NO_WINDOWS:
        return give_up(state); /* nothing to ask */
    case RM_QUERY_AGREED:
        return end_session(state);
    default: /* refused or not responding: only force goes on */
        if (!state->process)
            return RM_CLOSE_REFUSED;
        return state->request->force ? end_session(state) : RM_CLOSE_REFUSED;
    }
}

void rm_window_close_free(rm_window_close *close)
{
    if (!close)
        return;
    if (close->state.process)
        CloseHandle(close->state.process);
    free(close);
}
