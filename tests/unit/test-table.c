// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The multipath table and status as data: round trips over real-looking
 * kernel lines (0/1/2 path args, handlers with args, many groups), the
 * status fields, malformed input (always -EINVAL, never a crash), the
 * features helpers and the semantic table comparison.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "dm/table.h"
#include "util/strbuf.h"

static const char *const good_tables[] = {
	"0 0 0 0",
	"0 0 1 1 round-robin 0 1 1 8:16 1",
	"1 queue_if_no_path 0 1 1 service-time 0 2 1 8:16 1 8:32 1",
	"2 queue_if_no_path retain_attached_hw_handler 1 alua 2 1 service-time 0 2 1 8:16 1 8:32 1 service-time 0 1 1 8:48 1",
	/* kernel output for service-time: two words per path */
	"1 queue_if_no_path 1 alua 2 2 service-time 0 2 2 8:16 1 1 8:32 1 1 service-time 0 2 2 8:48 1 1 8:64 1 1",
	/* no path args at all */
	"0 0 1 1 round-robin 0 3 0 8:16 8:32 8:48",
	/* handler with args */
	"0 2 rdac 1 1 1 queue-length 0 1 1 65:0 100",
	"3 pg_init_retries 50 queue_if_no_path 3 emc 1 0 2 1 round-robin 0 1 1 8:0 1000 round-robin 0 1 1 8:16 1000",
	"5 queue_if_no_path pg_init_retries 50 pg_init_delay_msecs 2000 1 alua 1 1 historical-service-time 2 0 5 2 1 259:0 1 259:1 1",
	"2 queue_mode bio 0 1 1 queue-length 0 1 1 259:3 1",
	"1 retain_attached_hw_handler 0 4 3 round-robin 0 1 1 8:0 1 round-robin 0 1 1 8:16 1 round-robin 0 1 1 8:32 1 round-robin 0 1 1 8:48 1",
	"0 0 2 2 service-time 0 1 1 4095:1048575 4294967295 service-time 0 1 1 1:2 0",
};

static void test_round_trip(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(good_tables) / sizeof(good_tables[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		struct mp_table *t = NULL;

		assert_int_equal(mp_table_parse(good_tables[i], &t), 0);
		assert_true(mp_table_build(t, &sb) > 0);
		assert_string_equal(strbuf_str(&sb), good_tables[i]);
		mp_table_free(t);
		strbuf_reset(&sb);
	}
}

static void test_parse_fields(void **state)
{
	struct mp_table *t = NULL;

	assert_int_equal(mp_table_parse("2 queue_if_no_path retain_attached_hw_handler 1 alua "
					 "2 2 service-time 0 2 2 8:16 3 1 8:32 3 1 "
					 "round-robin 0 1 0 8:48 \n", &t), 0);
	assert_string_equal(t->features, "2 queue_if_no_path retain_attached_hw_handler");
	assert_string_equal(t->hwhandler, "1 alua");
	assert_int_equal(t->n_pgs, 2);
	assert_int_equal(t->initial_pg, 2);
	assert_string_equal(t->pgs[0].selector, "service-time");
	assert_string_equal(t->pgs[0].selector_args, "0");
	assert_int_equal(t->pgs[0].n_path_args, 2);
	assert_int_equal(t->pgs[0].n_paths, 2);
	assert_true(t->pgs[0].paths[1].devt == makedev(8, 32));
	assert_int_equal(t->pgs[0].paths[1].repeat, 3);
	assert_string_equal(t->pgs[0].paths[1].args, "1");
	assert_int_equal(t->pgs[1].n_path_args, 0);
	assert_null(t->pgs[1].paths[0].args);
	assert_int_equal(mp_table_n_paths(t), 3);
	mp_table_free(t);
}

static void test_build_validates(void **state)
{
	struct mp_table_path p = { .devt = makedev(8, 16), .repeat = 1 };
	struct mp_table_pg pg = { .selector = (char *)"round-robin", .n_path_args = 1,
				  .n_paths = 1, .paths = &p };
	struct mp_table t = { .features = (char *)"1 queue_if_no_path", .hwhandler = NULL,
			      .initial_pg = 1, .n_pgs = 1, .pgs = &pg };
	struct strbuf sb = STRBUF_INIT;

	assert_true(mp_table_build(&t, &sb) > 0);
	assert_string_equal(strbuf_str(&sb), "1 queue_if_no_path 0 1 1 round-robin 0 1 1 8:16 1");
	strbuf_reset(&sb);
	t.features = (char *)"2 queue_if_no_path";      /* count lies */
	assert_int_equal(mp_table_build(&t, &sb), -EINVAL);
	assert_int_equal(strbuf_len(&sb), 0);
	t.features = NULL;
	t.initial_pg = 2;
	assert_int_equal(mp_table_build(&t, &sb), -EINVAL);
	t.initial_pg = 1;
	pg.n_path_args = 2;                             /* args missing */
	assert_int_equal(mp_table_build(&t, &sb), -EINVAL);
	pg.n_path_args = 1;
	pg.selector = (char *)"two words";
	assert_int_equal(mp_table_build(&t, &sb), -EINVAL);
	strbuf_reset(&sb);
}

static const char *const bad_tables[] = {
	"", "   ", "x", "1", "0 0", "0 0 1", "0 0 1 2 round-robin 0 1 1 8:16 1",
	"2 queue_if_no_path 0 0 0",             /* features count beyond */
	"0 0 1 1 round-robin 0 1 1 8:16",       /* missing path arg */
	"0 0 1 1 round-robin 0 1 1 8:16 1 extra",
	"0 0 1 1 round-robin 0 1 1 sdb 1",
	"0 0 1 1 round-robin 0 1 1 8: 1",
	"0 0 1 1 round-robin 0 1 1 :16 1",
	"0 0 1 1 round-robin 0 1 1 8:16x 1",
	"0 0 1 1 round-robin 0 1 1 -8:16 1",
	"0 0 1 1 round-robin 0 1 1 8:16 -1",
	"0 0 1 1 round-robin 0 1 1 8:16 x",
	"0 0 1 1 round-robin 9 1 1 8:16 1",
	"0 0 1 1 round-robin 0 99999999999 1 8:16 1",
	"0 0 1 1 round-robin 0 4294967295 4294967295 8:16 1",
	"0 0 4294967295 1 round-robin 0 1 1 8:16 1",
	"-1 0 0 0",
	"0 0 1 1 round-robin 0 2 1 8:16 1",
	"0 0 1 1 round-robin 0 1 1 99999999999:1 1",
	"1 queue_mode 0 0 0",                   /* keyword without its value */
	"2 queue_if_no_path pg_init_retries 0 0 0",
};

static void test_bad_tables(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_tables) / sizeof(bad_tables[0]); i++) {
		struct mp_table *t = (struct mp_table *)0x1;

		if (mp_table_parse(bad_tables[i], &t) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad_tables[i]);
		assert_ptr_equal(t, (struct mp_table *)0x1);   /* untouched */
	}
	assert_int_equal(mp_table_parse(NULL, (struct mp_table **)&i), -EINVAL);
}

/* ---------------------------------------------------------------- status */

static void test_status_parse(void **state)
{
	struct mp_status *s = NULL;

	/* service-time: 2 info words per path; group selector status "0" */
	assert_int_equal(mp_status_parse("2 0 0 0 2 1 A 0 2 2 8:16 A 0 0 1 8:32 F 3 0 1 "
					 "E 0 1 2 8:48 A 0 0 1 ", &s), 0);
	assert_false(s->queue_io);
	assert_int_equal(s->n_pgs, 2);
	assert_int_equal(s->active_pg, 1);
	assert_int_equal(s->pgs[0].state, 'A');
	assert_int_equal(s->pgs[1].state, 'E');
	assert_int_equal(s->pgs[0].n_paths, 2);
	assert_false(s->pgs[0].paths[0].failed);
	assert_true(s->pgs[0].paths[1].failed);
	assert_int_equal(s->pgs[0].paths[1].fail_count, 3);
	assert_true(s->pgs[1].paths[0].devt == makedev(8, 48));
	mp_status_free(s);

	/* round-robin: no info words; queue_io set, pg_init_count 7 */
	assert_int_equal(mp_status_parse("2 1 7 0 1 1 D 0 3 0 8:0 F 1 8:16 A 0 8:32 A 12", &s), 0);
	assert_true(s->queue_io);
	assert_true(s->queue_if_no_path);
	assert_int_equal(s->pg_init_count, 7);
	assert_int_equal(s->pgs[0].state, 'D');
	assert_int_equal(s->pgs[0].paths[2].fail_count, 12);
	mp_status_free(s);

	/* group selector status with words, handler status words */
	assert_int_equal(mp_status_parse("2 0 0 2 alua x 1 1 A 2 w1 w2 1 1 259:0 A 0 5", &s), 0);
	assert_int_equal(s->pgs[0].n_paths, 1);
	mp_status_free(s);

	assert_int_equal(mp_status_parse("2 0 0 0 0 0", &s), 0);
	assert_int_equal(s->n_pgs, 0);
	mp_status_free(s);
}

static const char *const bad_status[] = {
	"", "2 0 0 0 1 1", "2 0 0 0 1 1 X 0 1 0 8:0 A 0",
	"2 0 0 0 1 1 A 0 1 0 8:0 B 0",
	"2 0 0 0 1 1 A 0 1 0 8:0 A",
	"2 0 0 0 1 1 A 0 1 0 8:0 A x",
	"2 0 0 0 1 1 A 0 1 2 8:0 A 0 1",
	"2 0 0 0 1 1 A 0 1 0 8:0 A 0 junk",
	"2 0 0 0 1 2 A 0 1 0 8:0 A 0",
	"2 0 0 5 a 1 1 A 0 1 0 8:0 A 0",
	"2 0 0 0 1 1 AA 0 1 0 8:0 A 0",
	"9 0 0",
};

static void test_bad_status(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_status) / sizeof(bad_status[0]); i++) {
		struct mp_status *s = NULL;

		if (mp_status_parse(bad_status[i], &s) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad_status[i]);
		assert_null(s);
	}
}

/* Every prefix of a valid line is either valid or -EINVAL, never a crash. */
static void test_truncations(void **state)
{
	const char *line = "2 queue_if_no_path retain_attached_hw_handler 1 alua 2 1 "
			   "service-time 0 2 2 8:16 1 1 8:32 1 1 round-robin 0 1 1 8:48 1";
	const char *st = "2 0 0 0 2 1 A 0 2 2 8:16 A 0 0 1 8:32 F 3 0 1 E 0 1 2 8:48 A 0 0 1";
	char buf[256];
	size_t n;

	for (n = 0; n < strlen(line); n++) {
		struct mp_table *t = NULL;
		int r;

		memcpy(buf, line, n);
		buf[n] = '\0';
		r = mp_table_parse(buf, &t);
		assert_true(r == 0 || r == -EINVAL);
		mp_table_free(t);
	}
	for (n = 0; n < strlen(st); n++) {
		struct mp_status *s = NULL;
		int r;

		memcpy(buf, st, n);
		buf[n] = '\0';
		r = mp_status_parse(buf, &s);
		assert_true(r == 0 || r == -EINVAL);
		mp_status_free(s);
	}
}

/* -------------------------------------------------------------- features */

static void test_features(void **state)
{
	char *f = NULL;

	assert_true(mp_features_has("1 queue_if_no_path", "queue_if_no_path"));
	assert_false(mp_features_has("0", "queue_if_no_path"));
	assert_true(mp_features_has("2 pg_init_retries 50", "pg_init_retries"));
	/* a value never matches a keyword */
	assert_false(mp_features_has("2 queue_mode queue_if_no_path", "queue_if_no_path"));
	assert_false(mp_features_has("3 queue_if_no_path", "queue_if_no_path"));
	assert_false(mp_features_has(NULL, "queue_if_no_path"));
	/* a keyword missing its value: malformed */
	assert_false(mp_features_has("1 queue_mode", "queue_mode"));
	assert_int_equal(mp_features_add("1 queue_mode", "queue_if_no_path", &f), -EINVAL);
	assert_int_equal(mp_features_remove("2 queue_if_no_path pg_init_retries", "queue_if_no_path", &f), -EINVAL);
	assert_int_equal(mp_features_normalise("1 pg_init_delay_msecs", &f), -EINVAL);

	assert_int_equal(mp_features_add("0", "queue_if_no_path", &f), 0);
	assert_string_equal(f, "1 queue_if_no_path");
	free(f);
	assert_int_equal(mp_features_add("1 queue_if_no_path", "queue_if_no_path", &f), 0);
	assert_string_equal(f, "1 queue_if_no_path");
	free(f);
	assert_int_equal(mp_features_add("2 pg_init_retries 50", "queue_if_no_path", &f), 0);
	assert_string_equal(f, "3 pg_init_retries 50 queue_if_no_path");
	free(f);
	assert_int_equal(mp_features_add("3 pg_init_retries 50 queue_if_no_path",
					 "pg_init_retries  10", &f), 0);
	assert_string_equal(f, "3 queue_if_no_path pg_init_retries 10");
	free(f);
	assert_int_equal(mp_features_add(NULL, "queue_if_no_path", &f), 0);
	assert_string_equal(f, "1 queue_if_no_path");
	free(f);
	assert_int_equal(mp_features_add("0", "pg_init_retries", &f), -EINVAL);
	assert_int_equal(mp_features_add("0", "", &f), -EINVAL);
	assert_int_equal(mp_features_add("2 x", "queue_if_no_path", &f), -EINVAL);

	assert_int_equal(mp_features_remove("3 queue_if_no_path pg_init_retries 50",
					    "queue_if_no_path", &f), 0);
	assert_string_equal(f, "2 pg_init_retries 50");
	free(f);
	assert_int_equal(mp_features_remove("3 queue_if_no_path pg_init_retries 50",
					    "pg_init_retries", &f), 0);
	assert_string_equal(f, "1 queue_if_no_path");
	free(f);
	assert_int_equal(mp_features_remove("0", "queue_if_no_path", &f), 0);
	assert_string_equal(f, "0");
	free(f);
	assert_int_equal(mp_features_remove("1 queue_if_no_path", "queue_if_no_path", &f), 0);
	assert_string_equal(f, "0");
	free(f);
}

static void test_features_normalise(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "0", "0" },
		{ "3 pg_init_retries 50 queue_if_no_path", "3 queue_if_no_path pg_init_retries 50" },
		{ "2 queue_mode mq", "0" },
		{ "3 queue_mode bio queue_if_no_path", "3 queue_if_no_path queue_mode bio" },
		{ "4 retain_attached_hw_handler pg_init_delay_msecs 100 queue_if_no_path",
		  "4 queue_if_no_path pg_init_delay_msecs 100 retain_attached_hw_handler" },
		{ "2 weird queue_if_no_path", "2 queue_if_no_path weird" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *f = NULL;

		assert_int_equal(mp_features_normalise(cases[i].in, &f), 0);
		assert_string_equal(f, cases[i].out);
		free(f);
	}
}

static bool equal(const char *a, const char *b)
{
	struct mp_table *ta = NULL, *tb = NULL;
	bool r;

	assert_int_equal(mp_table_parse(a, &ta), 0);
	assert_int_equal(mp_table_parse(b, &tb), 0);
	r = mp_table_equal(ta, tb);
	mp_table_free(ta);
	mp_table_free(tb);
	return r;
}

static void test_table_equal(void **state)
{
	/* what we load vs what the kernel prints back */
	assert_true(equal("3 pg_init_retries 50 queue_if_no_path 2 alua x 2 1 "
			  "service-time 0 2 1 8:16 1 8:32 1 service-time 0 1 1 8:48 1",
			  "3 queue_if_no_path pg_init_retries 50 1 alua 2 2 "
			  "service-time 0 2 2 8:16 1 1 8:32 1 1 service-time 0 1 2 8:48 1 1"));
	assert_true(equal("2 queue_mode mq 0 1 1 round-robin 0 1 1 8:16 1",
			  "0 0 1 1 round-robin 0 1 1 8:16 1"));
	assert_false(equal("1 queue_if_no_path 0 1 1 round-robin 0 1 1 8:16 1",
			   "0 0 1 1 round-robin 0 1 1 8:16 1"));
	assert_false(equal("0 1 alua 1 1 round-robin 0 1 1 8:16 1",
			   "0 0 1 1 round-robin 0 1 1 8:16 1"));
	/* the kernel kept the handler attached to the paths */
	assert_true(equal("0 0 1 1 round-robin 0 1 1 8:16 1",
			  "0 1 alua 1 1 round-robin 0 1 1 8:16 1"));
	assert_true(equal("0 1 rdac 1 1 round-robin 0 1 1 8:16 1",
			  "0 1 alua 1 1 round-robin 0 1 1 8:16 1"));
	assert_false(equal("0 0 1 1 round-robin 0 1 1 8:16 2",
			   "0 0 1 1 round-robin 0 1 1 8:16 1"));
	assert_false(equal("0 0 1 1 round-robin 0 1 1 8:16 1",
			   "0 0 1 1 round-robin 0 1 1 8:32 1"));
	assert_false(equal("0 0 1 1 round-robin 0 1 1 8:16 1",
			   "0 0 1 1 queue-length 0 1 1 8:16 1"));
	assert_false(equal("0 0 2 1 round-robin 0 1 1 8:16 1 round-robin 0 1 1 8:32 1",
			   "0 0 1 1 round-robin 0 2 1 8:16 1 8:32 1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_build_validates),
		cmocka_unit_test(test_bad_tables),
		cmocka_unit_test(test_status_parse),
		cmocka_unit_test(test_bad_status),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_features_normalise),
		cmocka_unit_test(test_table_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
