// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The thread scheduling boost: mode names both ways, "off" leaves a
 * thread alone, "nice"/"rr" change the calling thread only and report
 * what took effect (an unprivileged run may get less than it asked for,
 * but never a wrong report).  Each case runs in a thread of its own so
 * the test process keeps its normal policy.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "multipathd/sched.h"
#include "util/log.h"

struct outcome {
	enum mpd_sched_mode got;
	int policy, prio, nice_val;
};

static void *boost_main(void *arg)
{
	struct outcome *o = arg;
	struct sched_param sp;

	o->got = mpd_sched_boost_self("test");
	o->policy = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
	sched_getparam(0, &sp);
	o->prio = sp.sched_priority;
	o->nice_val = getpriority(PRIO_PROCESS, (id_t)gettid());
	return NULL;
}

static struct outcome boost_in_thread(const char *mode)
{
	struct outcome o = { 0 };
	pthread_t t;

	mpd_sched_enable(mode);
	assert_int_equal(pthread_create(&t, NULL, boost_main, &o), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	return o;
}

static void test_names(void **state)
{
	static const struct { const char *s; int m; } t[] = {
		{ "off", MPD_SCHED_OFF }, { "rr", MPD_SCHED_RR }, { "nice", MPD_SCHED_NICE },
		{ "RR", _MPD_SCHED_INVALID }, { "", _MPD_SCHED_INVALID },
		{ NULL, _MPD_SCHED_INVALID },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(mpd_sched_mode_from_string(t[i].s), t[i].m);
		if (t[i].m >= 0)
			assert_string_equal(mpd_sched_mode_to_string(t[i].m), t[i].s);
	}
	assert_null(mpd_sched_mode_to_string(_MPD_SCHED_MAX));
}

static void test_bad_mode_is_off(void **state)
{
	mpd_sched_enable("fast");
	assert_int_equal(mpd_sched_mode(), MPD_SCHED_OFF);
}

static void test_off_leaves_thread(void **state)
{
	int nice0 = getpriority(PRIO_PROCESS, 0);
	struct outcome o = boost_in_thread("off");

	assert_int_equal(o.got, MPD_SCHED_OFF);
	assert_int_equal(o.policy, SCHED_OTHER);
	assert_int_equal(o.nice_val, nice0);
}

/* Whatever was granted is what the thread has; the caller is untouched. */
static void check_granted(const struct outcome *o, int nice0)
{
	switch (o->got) {
	case MPD_SCHED_RR:
		assert_int_equal(o->policy, SCHED_RR);
		assert_true(o->prio >= 1 && o->prio <= MPD_SCHED_RT_PRIO);
		break;
	case MPD_SCHED_NICE:
		assert_int_equal(o->policy, SCHED_OTHER);
		assert_int_equal(o->nice_val, MPD_SCHED_NICE_VAL);
		break;
	default:
		assert_int_equal(o->policy, SCHED_OTHER);
		assert_int_equal(o->nice_val, nice0);
	}
	assert_int_equal(sched_getscheduler(0) & ~SCHED_RESET_ON_FORK, SCHED_OTHER);
	assert_int_equal(getpriority(PRIO_PROCESS, (id_t)gettid()), nice0);
}

static void test_nice(void **state)
{
	int nice0 = getpriority(PRIO_PROCESS, 0);
	struct outcome o = boost_in_thread("nice");

	assert_true(o.got == MPD_SCHED_NICE || o.got == MPD_SCHED_OFF);
	check_granted(&o, nice0);
	/* root may always lower the nice value */
	if (geteuid() == 0)
		assert_int_equal(o.got, MPD_SCHED_NICE);
}

static void test_rr(void **state)
{
	int nice0 = getpriority(PRIO_PROCESS, 0);
	struct outcome o = boost_in_thread("rr");

	check_granted(&o, nice0);
	if (geteuid() == 0)
		assert_true(o.got != MPD_SCHED_OFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_mode_is_off),
		cmocka_unit_test(test_off_leaves_thread),
		cmocka_unit_test(test_nice),
		cmocka_unit_test(test_rr),
	};

	mp_log_init("test-sched", MP_LOG_STDERR, 1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
