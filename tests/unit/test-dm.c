// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The counted DM wrappers over the stateful fake: kernel-like semantics of
 * create / reload / messages / remove / rename, the status the fake prints
 * parsed by our own parser, event numbers and the event fd protocol,
 * failure injection, and many maps from several threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "dm/dm.h"
#include "dm/table.h"
#include "tests/fake/fake-dm.h"

#define T2 "1 queue_if_no_path 1 alua 2 1 service-time 0 1 1 8:16 1 service-time 0 1 1 8:32 1"

static int setup(void **state)
{
	fake_dm_install();
	mp_dm_stats_reset();
	return 0;
}

static int teardown(void **state)
{
	fake_dm_uninstall();
	return 0;
}

static struct mp_status *status_of(const char *name)
{
	struct mp_dm_target t = { 0 };
	struct mp_status *s = NULL;

	assert_int_equal(mp_dm_get_status(name, &t), 0);
	assert_string_equal(t.type, "multipath");
	assert_int_equal(mp_status_parse(t.params, &s), 0);
	mp_dm_target_done(&t);
	return s;
}

static void test_create_info_table(void **state)
{
	struct mp_dm_info i;
	struct mp_dm_target t = { 0 };
	struct mp_table *want = NULL, *got = NULL;

	assert_int_equal(mp_dm_create("mpatha", "mpath-3600a", 2048, T2, 0), 0);
	assert_int_equal(mp_dm_create("mpatha", "mpath-other", 2048, T2, 0), -EBUSY);
	assert_int_equal(mp_dm_create("mpathb", "mpath-3600a", 2048, T2, 0), -EBUSY);
	assert_int_equal(mp_dm_create("mpathc", "mpath-x", 2048, "garbage", 0), -EINVAL);
	assert_int_equal(fake_dm_map_count(), 1);

	assert_int_equal(mp_dm_info("mpatha", &i), 0);
	assert_true(i.exists);
	assert_string_equal(i.uuid, "mpath-3600a");
	assert_string_equal(mp_dm_uuid_wwid(i.uuid), "3600a");
	assert_int_equal(major(i.devt), 253);
	mp_dm_info_done(&i);
	assert_int_equal(mp_dm_info("nope", &i), 0);
	assert_false(i.exists);
	assert_null(mp_dm_uuid_wwid("LVM-xyz"));

	/* the kernel prints service-time paths with two words */
	assert_int_equal(mp_dm_get_table("mpatha", &t), 0);
	assert_int_equal(t.size, 2048);
	assert_string_equal(t.params, "1 queue_if_no_path 1 alua 2 1 service-time 0 1 2 8:16 1 1 "
				      "service-time 0 1 2 8:32 1 1");
	assert_int_equal(mp_table_parse(T2, &want), 0);
	assert_int_equal(mp_table_parse(t.params, &got), 0);
	assert_true(mp_table_equal(want, got));
	mp_table_free(want);
	mp_table_free(got);
	mp_dm_target_done(&t);
	assert_int_equal(mp_dm_get_table("nope", &t), -ENXIO);

	assert_int_equal(mp_dm_stats(DMOP_CREATE), 4);
	assert_int_equal(mp_dm_stats(DMOP_TABLE), 2);
	assert_int_equal(fake_dm_count(DMOP_CREATE), 4);
	assert_string_equal(mp_dm_op_to_string(DMOP_SUSPEND_RESUME), "suspend_resume");
	assert_null(mp_dm_op_to_string(_DMOP_MAX));
}

static void test_messages(void **state)
{
	struct mp_status *s;
	char *tbl;

	assert_int_equal(mp_dm_create("m", "mpath-1", 8, T2, 0), 0);
	assert_int_equal(fake_dm_event_nr("m"), 0);
	s = status_of("m");
	assert_int_equal(s->active_pg, 1);
	assert_int_equal(s->pgs[0].state, 'A');
	assert_int_equal(s->pgs[1].state, 'E');
	mp_status_free(s);

	assert_int_equal(mp_dm_fail_path("m", makedev(8, 16)), 0);
	assert_int_equal(fake_dm_event_nr("m"), 1);
	assert_int_equal(mp_dm_fail_path("m", makedev(8, 16)), 0);   /* no change */
	assert_int_equal(fake_dm_event_nr("m"), 1);
	assert_int_equal(mp_dm_fail_path("m", makedev(8, 99)), -EINVAL);
	s = status_of("m");
	assert_true(s->pgs[0].paths[0].failed);
	assert_int_equal(s->pgs[0].paths[0].fail_count, 1);
	assert_false(s->pgs[1].paths[0].failed);
	mp_status_free(s);

	assert_int_equal(mp_dm_switch_group("m", 2), 0);
	assert_int_equal(fake_dm_active_group("m"), 2);
	assert_int_equal(mp_dm_switch_group("m", 3), -EINVAL);
	assert_int_equal(mp_dm_switch_group("m", 0), -EINVAL);
	s = status_of("m");
	assert_int_equal(s->active_pg, 2);
	assert_int_equal(s->pgs[1].state, 'A');
	mp_status_free(s);
	/* the table reports the current group as its initial group */
	tbl = fake_dm_table("m");
	assert_non_null(strstr(tbl, " 2 2 service-time"));
	free(tbl);

	assert_int_equal(mp_dm_reinstate_path("m", makedev(8, 16)), 0);
	assert_int_equal(fake_dm_path_failed("m", makedev(8, 16)), 0);

	assert_int_equal(mp_dm_set_queueing("m", false), 0);
	assert_int_equal(fake_dm_queueing("m"), 0);
	tbl = fake_dm_table("m");
	assert_true(!strncmp(tbl, "0 1 alua", 8));
	free(tbl);
	assert_int_equal(mp_dm_set_queueing("m", true), 0);
	assert_int_equal(fake_dm_queueing("m"), 1);

	assert_int_equal(mp_dm_message("m", "disable_group 1"), 0);
	s = status_of("m");
	assert_int_equal(s->pgs[0].state, 'D');
	mp_status_free(s);
	assert_int_equal(mp_dm_message("m", "bogus 1"), -EINVAL);
	assert_int_equal(mp_dm_message("nope", "fail_if_no_path"), -ENXIO);

	assert_int_equal(mp_dm_suspend_resume("m", true, true), 0);
	assert_int_equal(mp_dm_fail_path("m", makedev(8, 32)), -EBUSY);
	assert_int_equal(mp_dm_suspend_resume("m", false, false), 0);
	assert_int_equal(mp_dm_fail_path("m", makedev(8, 32)), 0);
}

static void test_reload_resets(void **state)
{
	struct mp_status *s;

	assert_int_equal(mp_dm_create("m", "mpath-1", 8, T2, 0), 0);
	assert_int_equal(mp_dm_fail_path("m", makedev(8, 16)), 0);
	assert_int_equal(mp_dm_reload("m", 16,
				      "0 0 1 1 round-robin 0 3 1 8:16 1 8:32 1 8:48 1", 0), 0);
	s = status_of("m");
	assert_int_equal(s->n_pgs, 1);
	assert_int_equal(s->pgs[0].n_paths, 3);
	assert_false(s->pgs[0].paths[0].failed);
	mp_status_free(s);
	assert_int_equal(fake_dm_queueing("m"), 0);
	assert_int_equal(mp_dm_reload("m", 16, "0 0 1", 0), -EINVAL);
	assert_int_equal(mp_dm_reload("nope", 16, T2, 0), -ENXIO);
	assert_int_equal(mp_dm_stats(DMOP_RELOAD), 3);
}

static void test_remove_rename(void **state)
{
	struct mp_dm_info i;

	assert_int_equal(mp_dm_create("m", "mpath-1", 8, T2, 0), 0);
	assert_int_equal(fake_dm_set_open_count("m", 1), 0);
	assert_int_equal(mp_dm_remove("m", false), -EBUSY);
	assert_int_equal(mp_dm_remove("m", true), 0);
	assert_true(fake_dm_exists("m"));
	assert_int_equal(mp_dm_info("m", &i), 0);
	assert_true(i.deferred_remove);
	mp_dm_info_done(&i);
	assert_int_equal(mp_dm_cancel_deferred_remove("m"), 0);
	assert_int_equal(mp_dm_cancel_deferred_remove("m"), 0);
	assert_int_equal(fake_dm_set_open_count("m", 0), 0);
	assert_true(fake_dm_exists("m"));       /* cancelled: stays */
	assert_int_equal(fake_dm_set_open_count("m", 1), 0);
	assert_int_equal(mp_dm_remove("m", true), 0);
	assert_int_equal(fake_dm_set_open_count("m", 0), 0);
	assert_false(fake_dm_exists("m"));
	assert_int_equal(mp_dm_remove("m", false), -ENXIO);

	assert_int_equal(mp_dm_create("a", "mpath-a", 8, T2, 0), 0);
	assert_int_equal(mp_dm_create("b", "mpath-b", 8, T2, 0), 0);
	assert_int_equal(mp_dm_rename("a", "b"), -EBUSY);
	assert_int_equal(mp_dm_rename("a", "c"), 0);
	assert_false(fake_dm_exists("a"));
	assert_true(fake_dm_exists("c"));
	assert_int_equal(mp_dm_info("c", &i), 0);
	assert_string_equal(i.uuid, "mpath-a");
	mp_dm_info_done(&i);
	assert_int_equal(mp_dm_remove("c", false), 0);
	assert_int_equal(fake_dm_map_count(), 1);
}

static void test_fail_next(void **state)
{
	assert_int_equal(mp_dm_create("m", "mpath-1", 8, T2, 0), 0);
	fake_dm_fail_next(DMOP_MESSAGE, -EIO);
	assert_int_equal(mp_dm_fail_path("m", makedev(8, 16)), -EIO);
	assert_int_equal(fake_dm_path_failed("m", makedev(8, 16)), 0);
	assert_int_equal(mp_dm_fail_path("m", makedev(8, 16)), 0);
	fake_dm_fail_next_n(DMOP_CREATE, -ENOMEM, 2);
	assert_int_equal(mp_dm_create("n", "mpath-2", 8, T2, 0), -ENOMEM);
	assert_int_equal(mp_dm_create("n", "mpath-2", 8, T2, 0), -ENOMEM);
	assert_int_equal(mp_dm_create("n", "mpath-2", 8, T2, 0), 0);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void test_events(void **state)
{
	struct mp_dm_list_entry *l = NULL;
	size_t n = 0;
	int fd;

	fd = mp_dm_events_open();
	assert_true(fd >= 0);
	assert_false(readable(fd));
	assert_int_equal(mp_dm_create("m", "mpath-1", 8, T2, 0), 0);
	assert_true(readable(fd));
	assert_int_equal(mp_dm_events_rearm(fd), 0);
	assert_false(readable(fd));
	/* the kernel fails a path: the fd fires, the list shows the new number */
	assert_int_equal(fake_dm_kernel_fail_path("m", makedev(8, 32)), 0);
	assert_true(readable(fd));
	assert_int_equal(mp_dm_events_rearm(fd), 0);
	assert_int_equal(mp_dm_list(&l, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(l[0].name, "m");
	assert_int_equal(l[0].event_nr, 1);
	mp_dm_list_free(l, n);
	assert_false(readable(fd));
	assert_int_equal(mp_dm_stats(DMOP_ARM_POLL), 3);
	mp_dm_events_close(fd);
}

static void test_wrapper_args(void **state)
{
	struct mp_dm_info i;
	struct mp_dm_target t;

	assert_int_equal(mp_dm_info(NULL, &i), -EINVAL);
	assert_int_equal(mp_dm_get_table("m", NULL), -EINVAL);
	assert_int_equal(mp_dm_get_status(NULL, &t), -EINVAL);
	assert_int_equal(mp_dm_create("", "u", 8, T2, 0), -EINVAL);
	assert_int_equal(mp_dm_create("m", "u", 8, NULL, 0), -EINVAL);
	assert_int_equal(mp_dm_reload("m", 8, NULL, 0), -EINVAL);
	assert_int_equal(mp_dm_message("m", ""), -EINVAL);
	assert_int_equal(mp_dm_rename("m", ""), -EINVAL);
	assert_int_equal(mp_dm_list(NULL, NULL), -EINVAL);
	assert_int_equal(mp_dm_switch_group("m", 0), -EINVAL);
	assert_int_equal(mp_dm_events_rearm(-1), -EBADF);
	/* rejected arguments never reach the backend nor the counters */
	assert_int_equal(fake_dm_count(DMOP_CREATE) + fake_dm_count(DMOP_INFO), 0);
	assert_int_equal(mp_dm_stats(DMOP_CREATE), 0);

	/* maps without uuid don't collide */
	assert_int_equal(mp_dm_create("x", NULL, 8, T2, 0), 0);
	assert_int_equal(mp_dm_create("y", "", 8, T2, 0), 0);
	assert_int_equal(mp_dm_create("z", "", 8, T2, 0), 0);
	assert_int_equal(mp_dm_stats(DMOP_CREATE), 3);
	mp_dm_stats_reset();
	assert_int_equal(mp_dm_stats(DMOP_CREATE), 0);
	assert_int_equal(mp_dm_stats(_DMOP_MAX), 0);
}

#define N_THREADS 4
#define N_PER_THREAD 625        /* 2,500 maps */

static void *storm(void *arg)
{
	int base = (int)(intptr_t)arg, i;
	char name[32], uuid[48], tbl[128];

	for (i = 0; i < N_PER_THREAD; i++) {
		int k = base * N_PER_THREAD + i;

		snprintf(name, sizeof(name), "mpath%d", k);
		snprintf(uuid, sizeof(uuid), "mpath-36000%d", k);
		snprintf(tbl, sizeof(tbl), "0 0 2 1 service-time 0 1 1 8:%d 1 service-time 0 1 1 65:%d 1",
			 k % 256, k % 256);
		if (mp_dm_create(name, uuid, 8, tbl, MP_DM_FLAG_NOSYNC) < 0 ||
		    mp_dm_fail_path(name, makedev(8, (unsigned int)(k % 256))) < 0 ||
		    mp_dm_switch_group(name, 2) < 0)
			return (void *)1;
	}
	return NULL;
}

static void test_many_maps_threads(void **state)
{
	pthread_t th[N_THREADS];
	struct mp_dm_list_entry *l = NULL;
	size_t n = 0, i;
	void *ret;

	for (i = 0; i < N_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, storm, (void *)(intptr_t)i), 0);
	for (i = 0; i < N_THREADS; i++) {
		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_null(ret);
	}
	assert_int_equal(fake_dm_map_count(), N_THREADS * N_PER_THREAD);
	assert_int_equal(mp_dm_list(&l, &n), 0);
	assert_int_equal(n, N_THREADS * N_PER_THREAD);
	for (i = 0; i < n; i++)
		assert_int_equal(l[i].event_nr, 2);
	mp_dm_list_free(l, n);
	assert_int_equal(fake_dm_count(DMOP_MESSAGE), 2 * N_THREADS * N_PER_THREAD);
	assert_int_equal(fake_dm_path_failed("mpath1234", makedev(8, 1234 % 256)), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_info_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_next, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrapper_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_maps_threads, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
