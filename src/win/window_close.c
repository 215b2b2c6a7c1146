#include "window_close.h"

#include <stdlib.h>

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
static answers send_to_all(close_state *state, UINT message, WPARAM wparam, reply *slots,
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
        if (!any_main || is_main_window(state->windows[i]))
            PostMessageW(state->windows[i], WM_CLOSE, 0, 0);
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

static rm_close_outcome close_windows(close_state *state)
{
    EnumWindows(collect_window, (LPARAM)state);
    if (state->count == 0)
        return give_up(state); /* nothing to ask */
    answers asked = send_to_all(state, WM_QUERYENDSESSION, 0, state->query,
                                rm_close_remaining(state->deadline, state->request->message_timeout_ms));
    if (asked == ANSWERS_EXITED)
        return RM_CLOSE_STOPPED;
    if (asked == ANSWERS_CANCELLED)
        return RM_CLOSE_CANCELLED;
    if ((asked == ANSWERS_ALL && all_agreed(state)) || state->request->force)
        return end_session(state);
    if (asked == ANSWERS_ALL)
        tell_session_continues(state); /* a window refused */
    return RM_CLOSE_REFUSED;
}

rm_close_outcome rm_window_close(const rm_close_request *request)
{
    BOOL gone;
    HANDLE process = rm_close_open(request, &gone);
    if (!process)
        return gone ? RM_CLOSE_ALREADY_GONE : RM_CLOSE_REFUSED;
    close_state *state = calloc(1, sizeof(*state));
    rm_close_outcome outcome = RM_CLOSE_REFUSED;
    if (state) {
        state->request = request;
        state->process = process;
        state->deadline = GetTickCount64() + request->app_timeout_ms;
        outcome = close_windows(state);
        free(state);
    }
    CloseHandle(process);
    return outcome;
}
