// SPDX-License-Identifier: LGPL-2.1-or-later
/* The service stop plan of src/core/service_order.h (docs/behaviour.md B-SHUT-8, and
 * B-RESTART-2, which starts services in the reverse of this order), rule by rule, with
 * the graphs Wine's SCM cannot easily hold: groups, cycles, diamonds, names that differ
 * only beyond ASCII or beyond 63 units. Every string is copied to an exact-size heap
 * block, so a sanitizer build reports a read past a name or a dependency list. Plans are
 * compared as text, "dependent,service*" (a '*' marks a requested step), so that a failure
 * shows the plan it got. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "name_compare.h"
#include "service_order.h"

#define MAX_NODES 16

/* Units of a NUL-terminated string, or of a multi-sz with its final NUL (multi). */
static size_t units(const rm_wchar *s, int multi)
{
    size_t n = 0;
    if (!multi)
        return rm_wcsnlen(s, SIZE_MAX) + 1;
    while (s[n])
        n += rm_wcsnlen(s + n, SIZE_MAX) + 1;
    return n + 1;
}

static rm_wchar *heap_copy(const rm_wchar *s, int multi)
{
    if (!s)
        return NULL;
    size_t n = units(s, multi);
    rm_wchar *copy = malloc(n * sizeof(rm_wchar));
    assert_non_null(copy);
    memcpy(copy, s, n * sizeof(rm_wchar));
    return copy;
}

/* One running service: name, dependencies (multi-sz literal, u"A\0+G\0"), group. */
typedef struct spec {
    const rm_wchar *name, *dependencies, *group;
} spec;

typedef struct fixture {
    rm_service_node nodes[MAX_NODES];
    size_t node_count;
    rm_wchar *requested[MAX_NODES];
    size_t requested_count;
    rm_service_order order;
    char text[2048];
} fixture;

static void show_name(char *out, size_t cap, size_t *w, const rm_wchar *name)
{
    for (size_t i = 0; name[i] && *w + 8 < cap; i++) {
        if (name[i] >= 0x20 && name[i] < 0x7F)
            out[(*w)++] = (char)name[i];
        else
            *w += (size_t)snprintf(out + *w, cap - *w, "\\u%04X", name[i]);
    }
}

/* Plans requested (a NULL-terminated list) over the running services specs[0..count). */
static const char *plan(fixture *f, const spec *specs, size_t count, const rm_wchar *const *requested)
{
    memset(f, 0, sizeof(*f));
    assert_true(count <= MAX_NODES);
    for (size_t i = 0; i < count; i++) {
        f->nodes[i].name = heap_copy(specs[i].name, 0);
        f->nodes[i].dependencies = heap_copy(specs[i].dependencies, 1);
        f->nodes[i].group = heap_copy(specs[i].group, 0);
    }
    f->node_count = count;
    while (requested[f->requested_count]) {
        assert_true(f->requested_count < MAX_NODES);
        f->requested[f->requested_count] = heap_copy(requested[f->requested_count], 0);
        f->requested_count++;
    }
    int result = rm_service_order_plan(f->nodes, f->node_count,
                                       (const rm_wchar *const *)f->requested,
                                       f->requested_count, &f->order);
    assert_int_equal(result, 0);
    assert_true(f->order.count <= f->node_count + f->requested_count);
    size_t w = 0;
    for (size_t i = 0; i < f->order.count; i++) {
        if (i)
            f->text[w++] = ',';
        show_name(f->text, sizeof(f->text), &w, f->order.steps[i].name);
        if (f->order.steps[i].requested)
            f->text[w++] = '*';
    }
    f->text[w] = 0;
    return f->text;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rm_service_order_free(&f->order);
    for (size_t i = 0; i < f->node_count; i++) {
        free((rm_wchar *)f->nodes[i].name);
        free((rm_wchar *)f->nodes[i].dependencies);
        free((rm_wchar *)f->nodes[i].group);
    }
    for (size_t i = 0; i < f->requested_count; i++)
        free(f->requested[i]);
    memset(f, 0, sizeof(*f));
    return 0;
}

static fixture the_fixture;

static int setup(void **state)
{
    *state = &the_fixture;
    return 0;
}

#define REQUEST(...) ((const rm_wchar *const[]){ __VA_ARGS__, NULL })
#define SPECS(...) ((const spec[]){ __VA_ARGS__ }), (sizeof((const spec[]){ __VA_ARGS__ }) / sizeof(spec))

/* B-SHUT-8 "Services are stopped through the SCM": a service nothing depends on is one
 * requested step. */
static void test_service_alone(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, NULL }, { u"B", NULL, NULL }),
                             REQUEST(u"A")),
                        "A*");
}

/* B-SHUT-8 "dependent services first", also through a chain, each unrequested. */
static void test_dependents_first(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, NULL }, { u"C", u"B\0", NULL },
                                           { u"B", u"A\0", NULL }),
                             REQUEST(u"A")),
                        "C,B,A*");
}

/* Inferred (rule 2): the dependents of one service in the order the SCM listed them. */
static void test_dependents_in_listed_order(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, NULL }, { u"C", u"A\0", NULL },
                                           { u"B", u"A\0", NULL }),
                             REQUEST(u"A")),
                        "C,B,A*");
}

/* B-SHUT-8, depth first: a shared dependent is stopped once, before the first of the
 * services it depends on to be planned. */
static void test_diamond(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, NULL }, { u"B", u"A\0", NULL },
                                           { u"C", u"A\0", NULL },
                                           { u"D", u"B\0C\0", NULL }),
                             REQUEST(u"A")),
                        "D,B,C,A*");
}

/* Inferred (rule 3, the SCM's DependOnGroup): "+G" depends on every service of group G,
 * any case; a later entry of the list counts as well as the first. */
static void test_group_dependency(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, u"Net Group" },
                                           { u"B", u"X\0+net GROUP\0", NULL }),
                             REQUEST(u"A")),
                        "B,A*");
}

/* Inferred (rule 3): no group is no group, even for a "+" entry that names none. */
static void test_no_group_matches_nothing(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, u"" }, { u"B", u"+\0", NULL },
                                           { u"C", NULL, NULL }, { u"D", u"+\0", NULL }),
                             REQUEST(u"A", u"C")),
                        "A*,C*");
}

/* Inferred (rule 3): a group entry is not a service name and a name is not a group. */
static void test_group_and_name_kept_apart(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"G", NULL, u"H" }, { u"B", u"H\0", NULL },
                                           { u"C", u"+G\0", NULL }),
                             REQUEST(u"G")),
                        "G*");
}

/* Inferred (rule 5, _wcsicmp): ASCII letters fold, in dependencies and in requests; the
 * step is named as the SCM names the service. */
static void test_ascii_case_folds(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"Spooler", NULL, NULL },
                                           { u"Fax", u"SPOOLER\0", NULL }),
                             REQUEST(u"spooler")),
                        "Fax,Spooler*");
}

/* Inferred (rule 5): _wcsicmp in the C locale folds nothing beyond ASCII: "\u00E9" is
 * not "\u00C9" (where rm_char_upcase would make them one), so B does not depend on the
 * running service, and the request for "\u00E9" names one that is not running. */
static void test_non_ascii_does_not_fold(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"\u00C9", NULL, NULL },
                                           { u"B", u"\u00E9\0", NULL }),
                             REQUEST(u"\u00C9", u"\u00E9")),
                        "\\u00C9*,\\u00E9*");
    assert_int_equal(rm_name_equal(u"\u00C9", u"\u00E9"), 0);
    assert_int_equal(rm_name_equal(u"Z", u"z"), 1);
    assert_int_equal(rm_name_equal(u"@", u"`"), 0);   /* 'A' - 1 and 'a' - 1 */
    assert_int_equal(rm_name_equal(u"[", u"{"), 0);   /* 'Z' + 1 and 'z' + 1 */
}

/* Inferred (rule 1): a requested service that no longer runs is still a step, so that its
 * outcome is reported; with no running service at all too. */
static void test_not_running_is_a_step(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, NULL }), REQUEST(u"Gone", u"A")),
                        "Gone*,A*");
    teardown(state);
    rm_service_order order = { NULL, 1 };
    const rm_wchar *gone[] = { u"Gone" };
    assert_int_equal(rm_service_order_plan(NULL, 0, gone, 1, &order), 0);
    assert_int_equal(order.count, 1);
    assert_int_equal(order.steps[0].requested, 1);
    assert_ptr_equal(order.steps[0].name, gone[0]);
    rm_service_order_free(&order);
}

/* Inferred (rule 4): requesting a service already planned as a dependent marks its step;
 * requesting one twice plans it once. */
static void test_requested_dependent_is_marked(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, NULL }, { u"B", u"A\0", NULL }),
                             REQUEST(u"A", u"b", u"A")),
                        "B*,A*");
}

/* Inferred (rule 2): a dependent requested first keeps its place before what it depends
 * on, which is planned later. */
static void test_dependent_requested_first(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", NULL, NULL }, { u"B", u"A\0", NULL }),
                             REQUEST(u"B", u"A")),
                        "B*,A*");
}

/* Inferred (rule 2): a cycle ends where it meets a service being planned; a service's
 * dependency on itself is none. */
static void test_cycles_end(void **state)
{
    assert_string_equal(plan(*state, SPECS({ u"A", u"B\0", NULL }, { u"B", u"A\0", NULL },
                                           { u"S", u"S\0", NULL }),
                             REQUEST(u"A", u"S")),
                        "B,A*,S*");
}

/* Inferred (rule 5): a step keeps 63 units of its name (CCH_RM_MAX_SVC_NAME), so the
 * 63-unit short name RmGetList reported for a longer service name marks that step, as it
 * matched the adapter's copy; the full name does not match the requested one. */
static void test_long_names_match_as_kept(void **state)
{
    rm_wchar longer[71], kept[64];
    for (size_t i = 0; i < 70; i++)
        longer[i] = (rm_wchar)('a' + i % 26);
    longer[70] = 0;
    memcpy(kept, longer, 63 * sizeof(rm_wchar));
    kept[63] = 0;
    fixture *f = *state;
    plan(f, SPECS({ u"A", NULL, NULL }, { longer, u"A\0", NULL }), REQUEST(u"A", kept));
    assert_int_equal(f->order.count, 2);
    assert_int_equal(rm_wcsnlen(f->order.steps[0].name, 100), 70);
    assert_int_equal(f->order.steps[0].requested, 1);
    assert_int_equal(f->order.steps[1].requested, 1);
}

/* Inferred: no request, no plan and no allocation. */
static void test_nothing_requested(void **state)
{
    (void)state;
    rm_service_order order = { NULL, 5 };
    rm_service_node node = { u"A", NULL, NULL };
    assert_int_equal(rm_service_order_plan(&node, 1, NULL, 0, &order), 0);
    assert_int_equal(order.count, 0);
    assert_null(order.steps);
    rm_service_order_free(&order);
}

/* Deterministic pseudo-random numbers for the property test. */
static uint32_t next_random(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

/* B-SHUT-8 over many acyclic graphs: every running service that depends on a requested
 * one, directly or not, is in the plan, before everything it depends on; every requested
 * service is a requested step; nothing is planned twice. */
static void test_acyclic_graphs(void **state)
{
    static const rm_wchar *const names[] = { u"S0", u"S1", u"S2", u"S3", u"S4", u"S5",
                                             u"S6", u"S7", u"S8", u"S9" };
    static const rm_wchar *const groups[] = { NULL, u"G0", u"G1" };
    rm_wchar dependencies[10][40];
    uint32_t seed = 12;
    fixture *f = *state;
    for (int round = 0; round < 2000; round++) {
        size_t count = 1 + next_random(&seed) % 10;
        spec specs[10];
        int edge[10][10] = { { 0 } };  /* edge[b][a]: b depends on a (b > a only) */
        for (size_t b = 0; b < count; b++) {
            specs[b].name = names[b];
            specs[b].group = groups[next_random(&seed) % 3];
            size_t w = 0;
            for (size_t a = 0; a < b; a++) {
                if (next_random(&seed) % 3 == 0) {
                    dependencies[b][w++] = 'S';
                    dependencies[b][w++] = (rm_wchar)('0' + a);
                    dependencies[b][w++] = 0;
                }
            }
            dependencies[b][w] = 0;
            specs[b].dependencies = dependencies[b];
        }
        for (size_t b = 0; b < count; b++)
            for (const rm_wchar *d = dependencies[b]; *d; d += rm_wcsnlen(d, 40) + 1)
                edge[b][d[1] - '0'] = 1;
        /* Group entries: S<b> may depend on group G<k> when every member is lower. */
        for (size_t b = 0; b < count; b++) {
            if (next_random(&seed) % 4)
                continue;
            size_t k = next_random(&seed) % 2;
            int all_lower = 1;
            for (size_t a = b; a < count; a++)
                if (specs[a].group && rm_name_equal(specs[a].group, groups[1 + k]))
                    all_lower = 0;
            if (!all_lower)
                continue;
            size_t w = units(dependencies[b], 1) - 1;
            dependencies[b][w++] = '+';
            dependencies[b][w++] = 'G';
            dependencies[b][w++] = (rm_wchar)('0' + k);
            dependencies[b][w++] = 0;
            dependencies[b][w] = 0;
            for (size_t a = 0; a < b; a++)
                if (specs[a].group && rm_name_equal(specs[a].group, groups[1 + k]))
                    edge[b][a] = 1;
        }
        const rm_wchar *requested[4] = { NULL };
        size_t request_count = 1 + next_random(&seed) % 3;
        for (size_t r = 0; r < request_count; r++)
            requested[r] = names[next_random(&seed) % count];
        plan(f, specs, count, requested);
        /* needed[x]: x is requested or depends (transitively) on a needed service. */
        int needed[10] = { 0 }, position[10];
        for (size_t r = 0; r < request_count; r++)
            needed[requested[r][1] - '0'] = 1;
        for (size_t a = 0; a < count; a++) /* edges go from higher to lower indices */
            for (size_t b = a + 1; b < count; b++)
                if (needed[a] && edge[b][a])
                    needed[b] = 1;
        for (size_t x = 0; x < count; x++)
            position[x] = -1;
        for (size_t i = 0; i < f->order.count; i++) {
            size_t x = (size_t)(f->order.steps[i].name[1] - '0');
            if (position[x] != -1)
                fail_msg("round %d: S%zu planned twice: %s", round, x, f->text);
            position[x] = (int)i;
        }
        for (size_t x = 0; x < count; x++)
            if ((position[x] != -1) != needed[x])
                fail_msg("round %d: S%zu %s: %s", round, x,
                         needed[x] ? "missing" : "planned, not needed", f->text);
        for (size_t b = 0; b < count; b++)
            for (size_t a = 0; a < b; a++)
                if (edge[b][a] && needed[a] && position[b] > position[a])
                    fail_msg("round %d: S%zu depends on S%zu but comes after it: %s", round,
                             b, a, f->text);
        for (size_t r = 0; r < request_count; r++)
            if (!f->order.steps[position[requested[r][1] - '0']].requested)
                fail_msg("round %d: S%c unmarked: %s", round, (char)requested[r][1], f->text);
        teardown(state);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_service_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dependents_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dependents_in_listed_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diamond, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_dependency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_group_matches_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_and_name_kept_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ascii_case_folds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_ascii_does_not_fold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_running_is_a_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requested_dependent_is_marked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dependent_requested_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cycles_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_names_match_as_kept, setup, teardown),
        cmocka_unit_test(test_nothing_requested),
        cmocka_unit_test_setup_teardown(test_acyclic_graphs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
