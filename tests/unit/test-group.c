// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Grouping policies, marginal groups, group priorities, the sort order and
 * the best group; the table built from a grouping with the map's settings
 * (queueing per no_path_retry, selector, rr_weight, queue_mode bio).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "grouping/group.h"
#include "util/strbuf.h"

#define UP(minor_, prio_) { .devt = makedev(8, minor_), .prio = prio_, .usable = true, \
			    .enabled = true, .tpg_id = -1 }
#define DOWN(minor_, prio_) { .devt = makedev(8, minor_), .prio = prio_, .tpg_id = -1 }

/* The groups as "minor,minor|minor" in sorted order, for compact asserts. */
static char *shape(const struct mp_group_input *in, const struct mp_grouping *g)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < g->n_groups; i++) {
		if (i)
			strbuf_append(&sb, "|");
		for (j = 0; j < g->groups[i].n_members; j++)
			strbuf_appendf(&sb, "%s%u", j ? "," : "",
				       minor(in[g->groups[i].members[j]].devt));
	}
	return strbuf_steal(&sb);
}

static void check(enum mp_pgpolicy pol, const struct mp_group_input *in, size_t n,
		  bool marginal, const char *want, int want_best)
{
	struct mp_grouping g;
	char *s;

	assert_int_equal(mp_group_paths(pol, in, n, marginal, &g), 0);
	s = shape(in, &g);
	if (strcmp(s, want))
		fail_msg("policy %d: got \"%s\", want \"%s\"", pol, s, want);
	assert_int_equal(g.best, want_best);
	free(s);
	mp_grouping_done(&g);
}

static void test_failover(void **state)
{
	struct mp_group_input in[] = { UP(16, 10), UP(32, 50), UP(48, 10), DOWN(64, 90) };

	/* prio desc; equal prio keeps input order; the down path's group has
	 * prio 0 (no usable path) */
	check(PGP_FAILOVER, in, 4, false, "32|16|48|64", 0);
}

static void test_multibus(void **state)
{
	struct mp_group_input in[] = { UP(16, 10), UP(32, 50), DOWN(48, 10) };
	struct mp_grouping g;

	check(PGP_MULTIBUS, in, 3, false, "16,32,48", 0);
	assert_int_equal(mp_group_paths(PGP_MULTIBUS, in, 3, false, &g), 0);
	assert_int_equal(g.groups[0].prio, 30);        /* (10+50)/2, down ignored */
	assert_int_equal(g.groups[0].n_enabled, 2);
	mp_grouping_done(&g);
}

static void test_by_serial(void **state)
{
	struct mp_group_input in[] = { UP(16, 1), UP(32, 1), UP(48, 1), UP(64, 1) };

	in[0].serial = "A";
	in[1].serial = "B";
	in[2].serial = "A";
	in[3].serial = NULL;
	/* equal prio and enabled counts: A has 2 enabled, so first */
	check(PGP_GROUP_BY_SERIAL, in, 4, false, "16,48|32|64", 0);
}

static void test_by_prio(void **state)
{
	struct mp_group_input in[] = { UP(16, 10), UP(32, 50), UP(48, 10), UP(64, 50),
				       UP(80, MP_PRIO_UNDEF) };

	check(PGP_GROUP_BY_PRIO, in, 5, false, "32,64|16,48|80", 0);
}

static void test_by_node_name(void **state)
{
	struct mp_group_input in[] = { UP(16, 1), UP(32, 5), UP(48, 1) };

	in[0].tgt_wwnn = "0x50";
	in[1].tgt_wwnn = "0x51";
	in[2].tgt_wwnn = "0x50";
	check(PGP_GROUP_BY_NODE_NAME, in, 3, false, "32|16,48", 0);
}

static void test_by_tpg(void **state)
{
	struct mp_group_input in[] = { UP(16, 50), UP(32, 10), UP(48, 50), UP(64, 10) };

	in[0].tpg_id = 1;
	in[1].tpg_id = 2;
	in[2].tpg_id = 1;
	in[3].tpg_id = 2;
	check(PGP_GROUP_BY_TPG, in, 4, false, "16,48|32,64", 0);
	/* one unknown TPG: failover */
	in[3].tpg_id = -1;
	check(PGP_GROUP_BY_TPG, in, 4, false, "16|48|32|64", 0);
}

static void test_marginal(void **state)
{
	struct mp_group_input in[] = { UP(16, 50), UP(32, 50), UP(48, 10), UP(64, 50) };
	struct mp_grouping g;

	in[1].marginal = true;
	in[3].marginal = true;
	/* split: marginal groups last even with higher prio */
	check(PGP_MULTIBUS, in, 4, true, "16,48|32,64", 0);
	check(PGP_GROUP_BY_PRIO, in, 4, true, "16|48|32,64", 0);
	check(PGP_FAILOVER, in, 4, true, "16|48|32|64", 0);
	assert_int_equal(mp_group_paths(PGP_FAILOVER, in, 4, true, &g), 0);
	assert_false(g.groups[1].marginal);
	assert_true(g.groups[2].marginal);
	mp_grouping_done(&g);
	/* marginal_pathgroups off: marginal is ignored */
	check(PGP_MULTIBUS, in, 4, false, "16,32,48,64", 0);
}

static void test_prio_average(void **state)
{
	struct mp_group_input in[] = { UP(16, 10), UP(32, 21), UP(48, MP_PRIO_UNDEF),
				       DOWN(64, 100) };
	struct mp_grouping g;

	in[2].enabled = false;          /* ghost: usable, not enabled */
	assert_int_equal(mp_group_paths(PGP_MULTIBUS, in, 4, false, &g), 0);
	assert_int_equal(g.groups[0].prio, 15);
	assert_int_equal(g.groups[0].n_enabled, 2);
	assert_int_equal(g.groups[0].n_members, 4);
	mp_grouping_done(&g);
	/* no usable path with a prio: 0 */
	in[0].usable = in[1].usable = false;
	assert_int_equal(mp_group_paths(PGP_MULTIBUS, in, 4, false, &g), 0);
	assert_int_equal(g.groups[0].prio, 0);
	mp_grouping_done(&g);
}

static void test_sort_and_best(void **state)
{
	/* serial groups: X prio 50 but nothing enabled (ghost), Y prio 50 two
	 * enabled, Z prio 50 one enabled, W prio 10 */
	struct mp_group_input in[] = { UP(16, 50), UP(32, 50), UP(48, 50), UP(64, 50),
				       UP(80, 10) };
	struct mp_grouping g;

	in[0].serial = "X";
	in[0].enabled = false;
	in[1].serial = "Z";
	in[2].serial = "Y";
	in[3].serial = "Y";
	in[4].serial = "W";
	check(PGP_GROUP_BY_SERIAL, in, 5, false, "48,64|32|16|80", 0);
	/* the best-prio groups have nothing enabled: next group */
	in[1].enabled = in[2].enabled = in[3].enabled = false;
	check(PGP_GROUP_BY_SERIAL, in, 5, false, "16|32|48,64|80", 3);
	/* nothing enabled at all: 0 */
	in[4].enabled = false;
	check(PGP_GROUP_BY_SERIAL, in, 5, false, "16|32|48,64|80", 0);
	/* only marginal groups have enabled paths */
	in[4].enabled = true;
	in[4].marginal = true;
	check(PGP_GROUP_BY_SERIAL, in, 5, true, "16|32|48,64|80", 3);
	/* nothing at all */
	assert_int_equal(mp_group_paths(PGP_FAILOVER, NULL, 0, false, &g), 0);
	assert_int_equal(g.n_groups, 0);
	assert_int_equal(g.best, -1);
	mp_grouping_done(&g);
	assert_int_equal(mp_group_paths(_PGP_MAX, in, 5, false, &g), -EINVAL);
}

/* ----------------------------------------------------------------- table */

static struct mp_settings settings(void)
{
	return (struct mp_settings){
		.pgpolicy = PGP_GROUP_BY_PRIO,
		.selector = (char *)"service-time 0",
		.features = (char *)"0",
		.hwhandler = (char *)"1 alua",
		.rr_weight = RR_UNIFORM,
		.rr_min_io = 1000,
		.rr_min_io_rq = 1,
		.no_path_retry = NPR_QUEUE,
	};
}

static char *table_for(const struct mp_settings *s, const struct mp_group_input *in,
		       size_t n, bool expired)
{
	struct mp_grouping g;
	struct mp_table *t = NULL;
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(mp_group_paths(s->pgpolicy, in, n, false, &g), 0);
	assert_int_equal(mp_table_from_grouping(s, in, &g, expired, &t), 0);
	assert_true(mp_table_build(t, &sb) > 0);
	mp_table_free(t);
	mp_grouping_done(&g);
	return strbuf_steal(&sb);
}

static void expect_table(const struct mp_settings *s, const struct mp_group_input *in,
			 size_t n, bool expired, const char *want)
{
	char *got = table_for(s, in, n, expired);

	if (strcmp(got, want))
		fail_msg("got  \"%s\"\nwant \"%s\"", got, want);
	free(got);
}

static void test_table_queueing(void **state)
{
	struct mp_group_input in[] = { UP(16, 10), UP(32, 50), UP(48, 50) };
	struct mp_settings s = settings();

	expect_table(&s, in, 3, false,
		     "1 queue_if_no_path 1 alua 2 1 service-time 0 2 1 8:32 1 8:48 1 "
		     "service-time 0 1 1 8:16 1");
	s.no_path_retry = NPR_RETRY;
	s.no_path_retry_count = 12;
	s.features = (char *)"2 pg_init_retries 50";
	expect_table(&s, in, 3, false,
		     "3 pg_init_retries 50 queue_if_no_path 1 alua 2 1 service-time 0 2 1 "
		     "8:32 1 8:48 1 service-time 0 1 1 8:16 1");
	/* retries ran out */
	expect_table(&s, in, 3, true,
		     "2 pg_init_retries 50 1 alua 2 1 service-time 0 2 1 8:32 1 8:48 1 "
		     "service-time 0 1 1 8:16 1");
	/* fail: removed even when the configured features ask for it */
	s.no_path_retry = NPR_FAIL;
	s.features = (char *)"1 queue_if_no_path";
	s.hwhandler = NULL;
	expect_table(&s, in, 3, false,
		     "0 0 2 1 service-time 0 2 1 8:32 1 8:48 1 service-time 0 1 1 8:16 1");
}

static void test_table_selector_weight(void **state)
{
	struct mp_group_input in[] = { UP(16, 10), UP(32, 0), UP(48, MP_PRIO_UNDEF) };
	struct mp_settings s = settings();

	s.pgpolicy = PGP_MULTIBUS;
	s.no_path_retry = NPR_FAIL;
	s.selector = (char *)"round-robin";
	s.rr_weight = RR_PRIORITIES;
	s.rr_min_io_rq = 2;
	expect_table(&s, in, 3, false,
		     "0 1 alua 1 1 round-robin 0 3 1 8:16 20 8:32 2 8:48 2");
	s.selector = (char *)"historical-service-time 2 0 5";
	s.rr_weight = RR_UNIFORM;
	expect_table(&s, in, 3, false,
		     "0 1 alua 1 1 historical-service-time 2 0 5 3 1 8:16 2 8:32 2 8:48 2");
	/* bio-based maps use rr_min_io */
	s.features = (char *)"2 queue_mode bio";
	s.selector = (char *)"queue-length 0";
	s.rr_min_io_rq = MP_UNSET;
	expect_table(&s, in, 3, false,
		     "2 queue_mode bio 1 alua 1 1 queue-length 0 3 1 8:16 1000 8:32 1000 8:48 1000");
	/* unset repeat counts: 1 */
	s.features = NULL;
	s.selector = NULL;
	expect_table(&s, in, 3, false,
		     "0 1 alua 1 1 service-time 0 3 1 8:16 1 8:32 1 8:48 1");
}

static void test_table_initial_pg(void **state)
{
	struct mp_group_input in[] = { UP(16, 50), UP(32, 10) };
	struct mp_settings s = settings();
	struct mp_grouping g;
	struct mp_table *t = NULL;

	s.no_path_retry = NPR_FAIL;
	in[0].enabled = false;
	assert_int_equal(mp_group_paths(PGP_FAILOVER, in, 2, false, &g), 0);
	assert_int_equal(mp_table_from_grouping(&s, in, &g, false, &t), 0);
	assert_int_equal(t->initial_pg, 2);
	mp_table_free(t);
	mp_grouping_done(&g);
	/* empty grouping */
	assert_int_equal(mp_group_paths(PGP_FAILOVER, in, 0, false, &g), 0);
	assert_int_equal(mp_table_from_grouping(&s, in, &g, false, &t), 0);
	assert_int_equal(t->initial_pg, 0);
	assert_int_equal(t->n_pgs, 0);
	mp_table_free(t);
	mp_grouping_done(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_multibus),
		cmocka_unit_test(test_by_serial),
		cmocka_unit_test(test_by_prio),
		cmocka_unit_test(test_by_node_name),
		cmocka_unit_test(test_by_tpg),
		cmocka_unit_test(test_marginal),
		cmocka_unit_test(test_prio_average),
		cmocka_unit_test(test_sort_and_best),
		cmocka_unit_test(test_table_queueing),
		cmocka_unit_test(test_table_selector_weight),
		cmocka_unit_test(test_table_initial_pg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
