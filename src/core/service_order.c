// SPDX-License-Identifier: LGPL-2.1-or-later
#include "service_order.h"
#include "name_compare.h"

#include <stdint.h>
#include <stdlib.h>

/* One service being planned: its dependents are looked at from `next` on. */
typedef struct frame {
    size_t node;
    size_t next;
    int requested;
} frame;

_Static_assert(_Alignof(frame) <= _Alignof(rm_service_order_step), "the frames follow the steps");

typedef struct planner {
    const rm_service_node *nodes;
    size_t node_count;
    rm_service_order *order;
    frame *stack;              /* node_count frames: a service is on it at most once */
    unsigned char *planned;    /* node_count flags */
} planner;

/* Rule 3: whether service depends on `on`, by name or through on's load order group. */
static int depends_on(const rm_service_node *service, const rm_service_node *on)
{
    for (const rm_wchar *d = service->dependencies; d && *d; d += rm_wcsnlen(d, SIZE_MAX) + 1) {
        if (d[0] == RM_SERVICE_GROUP_MARK) {
            if (on->group && on->group[0] && rm_name_equal(d + 1, on->group))
                return 1;
        } else if (rm_name_equal(d, on->name)) {
            return 1;
        }
    }
    return 0;
}

/* Rules 4 and 5: a name already planned marks its step, else it is a new step. */
static void append_step(rm_service_order *order, const rm_wchar *name, int requested)
{
    for (size_t i = 0; i < order->count; i++) {
        rm_service_order_step *step = &order->steps[i];
        if (rm_name_equal_n(step->name, RM_SERVICE_STEP_NAME_MAX, name)) {
            step->requested |= requested;
            return;
        }
    }
    order->steps[order->count].name = name;
    order->steps[order->count].requested = requested;
    order->count++;
}

/* Rule 2, depth first without recursion: a frame stays on the stack until every running
 * dependent it has is planned, then its service becomes the next step. */
static void plan_node(planner *p, size_t root, int requested)
{
    if (p->planned[root]) {
        if (requested)
            append_step(p->order, p->nodes[root].name, 1); /* marks the planned step */
        return;
    }
    size_t depth = 0;
    p->planned[root] = 1;
    p->stack[depth++] = (frame){ root, 0, requested };
    while (depth) {
        frame *top = &p->stack[depth - 1];
        size_t dependent = p->node_count;
        while (top->next < p->node_count && dependent == p->node_count) {
            size_t i = top->next++;
            if (i != top->node && !p->planned[i] && depends_on(&p->nodes[i], &p->nodes[top->node]))
                dependent = i;
        }
        if (dependent < p->node_count) {
            p->planned[dependent] = 1;
            p->stack[depth++] = (frame){ dependent, 0, 0 };
        } else {
            append_step(p->order, p->nodes[top->node].name, top->requested);
            depth--;
        }
    }
}

int rm_service_order_plan(const rm_service_node *nodes, size_t node_count,
                          const rm_wchar *const *requested, size_t requested_count,
                          rm_service_order *order)
{
    order->steps = NULL;
    order->count = 0;
    if (requested_count == 0)
        return 0;
    /* One block: the steps, then the stack, then the flags. */
    const size_t per_node = sizeof(frame) + 1;
    size_t max_steps = node_count + requested_count;
    if (max_steps < node_count || node_count > SIZE_MAX / per_node ||
        max_steps > (SIZE_MAX - node_count * per_node) / sizeof(rm_service_order_step))
        return -1; /* no such block can exist */
    size_t step_bytes = max_steps * sizeof(rm_service_order_step);
    unsigned char *block = calloc(1, step_bytes + node_count * per_node);
    if (!block)
        return -1;
    planner p = { nodes, node_count, order, (frame *)(block + step_bytes),
                  block + step_bytes + node_count * sizeof(frame) };
    order->steps = (rm_service_order_step *)block;
    for (size_t n = 0; n < requested_count; n++) {
        size_t found = node_count;
        for (size_t i = 0; i < node_count && found == node_count; i++)
            if (rm_name_equal(nodes[i].name, requested[n]))
                found = i;
        if (found < node_count)
            plan_node(&p, found, 1);
        else
            append_step(order, requested[n], 1); /* no longer running */
    }
    return 0;
}

void rm_service_order_free(rm_service_order *order)
{
    free(order->steps);
    order->steps = NULL;
    order->count = 0;
}
