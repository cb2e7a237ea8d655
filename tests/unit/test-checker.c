// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checkers against the fake sgio/sysfs: the tur sense table, retries,
 * timeouts with a fake clock (no second request while one is
 * outstanding), vendor checkers on crafted pages, none, the runner, and
 * directio against a real file (skipped where O_DIRECT is unavailable).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>

#include "checkers/checker.h"
#include "tests/fake/fake-sys.h"
#include "util/clock.h"

static uint64_t fake_now = 1000000;
static uint64_t fake_clock(void)
{
	return fake_now;
}
static const struct mp_clock_ops fake_clock_ops = { .now_usec = fake_clock };

static int setup(void **state)
{
	fake_sys_reset();
	fake_sys_install();
	mp_clock_set_ops(&fake_clock_ops);
	return 0;
}

static int teardown(void **state)
{
	mp_clock_set_ops(NULL);
	fake_sys_reset();
	return 0;
}

static enum mp_chk_state run(const char *checker, const char *dev)
{
	struct mp_check *c = NULL;
	enum mp_chk_state st;

	assert_int_equal(mp_checker_new(checker, dev, 0, 1000, &c), 0);
	st = mp_check_start(c);
	if (st == PATH_PENDING)
		st = mp_check_collect(c);
	mp_check_free(c);
	return st;
}

struct tur_case {
	const char *what;
	uint8_t status;
	uint16_t host;
	uint8_t key, asc, ascq;         /* key 0xff: no sense */
	enum mp_chk_state want;
	int commands;                   /* TURs sent */
};

static void test_tur_table(void **state)
{
	static const struct tur_case cases[] = {
		{ "good", 0x00, 0, 0xff, 0, 0, PATH_UP, 1 },
		{ "reservation conflict", 0x18, 0, 0xff, 0, 0, PATH_UP, 1 },
		{ "standby", 0x02, 0, 0x2, 0x04, 0x0b, PATH_GHOST, 1 },
		{ "ALUA transition", 0x02, 0, 0x2, 0x04, 0x0a, PATH_PENDING, 1 },
		{ "not ready other", 0x02, 0, 0x2, 0x04, 0x03, PATH_DOWN, 1 },
		{ "LU not supported", 0x02, 0, 0x5, 0x25, 0x00, PATH_DISCONNECTED, 1 },
		{ "other illegal request", 0x02, 0, 0x5, 0x24, 0x00, PATH_DOWN, 1 },
		{ "medium error", 0x02, 0, 0x3, 0x11, 0x00, PATH_DOWN, 1 },
		{ "recovered error", 0x02, 0, 0x1, 0x00, 0x00, PATH_UP, 1 },
		{ "unit attention forever", 0x02, 0, 0x6, 0x29, 0x00, PATH_DOWN, 4 },
		{ "busy forever", 0x08, 0, 0xff, 0, 0, PATH_DOWN, 4 },
		{ "no connect", 0x00, 0x01, 0xff, 0, 0, PATH_DOWN, 1 },
		{ "transport disrupted forever", 0x00, 0x0e, 0xff, 0, 0, PATH_DOWN, 4 },
		{ "check condition without sense", 0x02, 0, 0xff, 0, 0, PATH_DOWN, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tur_case *t = &cases[i];
		char dev[16];
		enum mp_chk_state st;
		int n;

		snprintf(dev, sizeof(dev), "sd%c", (char)('a' + i));
		if (t->key != 0xff)
			fake_sg_set_sense(dev, 0x00, FAKE_SG_ANY, t->key, t->asc, t->ascq);
		else
			fake_sg_set_status(dev, 0x00, FAKE_SG_ANY, t->status, t->host);
		st = run("tur", dev);
		n = fake_sg_count(dev, 0x00);
		if (st != t->want || n != t->commands)
			fail_msg("%s: state %d (want %d), %d TURs (want %d)", t->what, st, t->want, n,
				 t->commands);
	}
}

static void test_tur_ua_then_good(void **state)
{
	struct fake_sg_reply ua = { .status = 0x02, .sense_len = 18 };

	ua.sense[0] = 0x70;
	ua.sense[2] = 0x06;
	ua.sense[12] = 0x29;
	fake_sg_set_status("sdb", 0x00, FAKE_SG_ANY, 0x00, 0);
	fake_sg_set_once("sdb", 0x00, FAKE_SG_ANY, &ua);
	assert_int_equal(run("tur", "sdb"), PATH_UP);
	assert_int_equal(fake_sg_count("sdb", 0x00), 2);
}

static void test_tur_timeout(void **state)
{
	struct mp_check *c = NULL;

	fake_sg_hold("sdb", true);
	assert_int_equal(mp_checker_new("tur", "sdb", 0, 5000, &c), 0);
	assert_int_equal(mp_check_start(c), PATH_PENDING);
	assert_true(mp_check_in_flight(c));
	assert_int_equal(mp_check_deadline(c), fake_now + 5000000);
	fake_now += 4999000;
	assert_int_equal(mp_check_collect(c), PATH_PENDING);
	fake_now += 1000;
	assert_int_equal(mp_check_collect(c), PATH_TIMEOUT);
	assert_non_null(strstr(mp_check_message(c), "timed out"));
	/* the next start sends nothing: the first request is still owned */
	fake_now += 10000000;
	assert_int_equal(mp_check_start(c), PATH_TIMEOUT);
	assert_int_equal(mp_check_start(c), PATH_TIMEOUT);
	assert_int_equal(fake_sg_count("sdb", 0x00), 1);
	/* the device finally answers */
	fake_sg_release("sdb");
	fake_sg_hold("sdb", false);
	assert_int_equal(mp_check_collect(c), PATH_UP);
	assert_false(mp_check_in_flight(c));
	/* and a new check sends a new request */
	assert_int_equal(mp_check_start(c), PATH_PENDING);
	assert_int_equal(mp_check_collect(c), PATH_UP);
	assert_int_equal(fake_sg_count("sdb", 0x00), 2);
	mp_check_free(c);

	/* freeing with a request outstanding is fine */
	fake_sg_hold("sdc", true);
	assert_int_equal(mp_checker_new("tur", "sdc", 0, 5000, &c), 0);
	assert_int_equal(mp_check_start(c), PATH_PENDING);
	mp_check_free(c);
}

static void test_no_sg_node(void **state)
{
	/* open failures: fake opens always succeed, so use a checker name
	 * check and the cciss gate instead */
	struct mp_check *c = NULL;

	assert_int_equal(mp_checker_new("nosuch", "sdb", 0, 0, &c), -ENOENT);
	assert_int_equal(mp_checker_new("tur", "", 0, 0, &c), -EINVAL);
	assert_true(mp_checker_exists("directio"));
	assert_false(mp_checker_exists("foo"));
	assert_int_equal(run("cciss_tur", "sdb"), PATH_UNCHECKED);
}

static void test_readsector0(void **state)
{
	assert_int_equal(run("readsector0", "sdb"), PATH_UP);
	assert_int_equal(fake_sg_last_cdb("sdb")[0], 0x28);
	fake_sg_set_sense("sdc", 0x28, FAKE_SG_ANY, 0x3, 0x11, 0x00);
	assert_int_equal(run("readsector0", "sdc"), PATH_DOWN);
}

static void test_hp_sw(void **state)
{
	static const uint8_t p80[] = { 0, 0x80, 0, 4, 'A', 'B', 'C', 'D' };

	fake_sg_set_data("sdb", 0x12, 0x80, p80, sizeof(p80));
	assert_int_equal(run("hp_sw", "sdb"), PATH_UP);
	assert_int_equal(fake_sg_count("sdb", 0x00), 1);
	fake_sg_set_data("sdc", 0x12, 0x80, p80, sizeof(p80));
	fake_sg_set_sense("sdc", 0x00, FAKE_SG_ANY, 0x2, 0x04, 0x02);
	assert_int_equal(run("hp_sw", "sdc"), PATH_GHOST);
	/* INQUIRY fails: down, no TUR */
	assert_int_equal(run("hp_sw", "sdd"), PATH_DOWN);
	assert_int_equal(fake_sg_count("sdd", 0x00), 0);
}

static void c9_page(uint8_t *p, uint8_t pq, uint8_t b8, uint8_t b9, uint8_t aas)
{
	memset(p, 0, 0x40);
	p[0] = pq;
	p[1] = 0xc9;
	p[3] = 0x3c;
	memcpy(p + 4, "vac1", 4);
	p[8] = b8;
	p[9] = b9;
	p[37] = aas;
}

static void test_rdac(void **state)
{
	static const struct {
		uint8_t pq, b8, b9, aas;
		enum mp_chk_state want;
	} cases[] = {
		{ 0x00, 0x01, 0x01, 0, PATH_UP },       /* owner */
		{ 0x00, 0x00, 0x02, 0, PATH_GHOST },    /* other controller */
		{ 0x00, 0x20, 0x02, 0, PATH_UP },       /* I/O shipping */
		{ 0x20, 0x01, 0x01, 0, PATH_DOWN },     /* LUN not connected */
		{ 0x1f, 0x01, 0x01, 0, PATH_DOWN },
		{ 0x00, 0x11, 0x01, 0x3, PATH_DOWN },   /* TPG unavailable */
		{ 0x00, 0x11, 0x01, 0x0, PATH_UP },
	};
	uint8_t p[0x40];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dev[16];

		snprintf(dev, sizeof(dev), "sd%c", (char)('a' + i));
		c9_page(p, cases[i].pq, cases[i].b8, cases[i].b9, cases[i].aas);
		fake_sg_set_data(dev, 0x12, 0xc9, p, sizeof(p));
		assert_int_equal(run("rdac", dev), cases[i].want);
	}
	p[4] = 'x';
	fake_sg_set_data("sdz", 0x12, 0xc9, p, sizeof(p));
	assert_int_equal(run("rdac", "sdz"), PATH_DOWN);
}

static void test_emc(void **state)
{
	uint8_t p[0xfc] = { 0, 0xc0, 0, 0xf8, 2, 0, 0, 0, 0 };
	struct mp_check *c = NULL;

	memset(p + 10, 0x5a, 16);
	fake_sg_set_data("sdb", 0x12, 0xc0, p, sizeof(p));
	assert_int_equal(mp_checker_new("emc_clariion", "sdb", 0, 1000, &c), 0);
	assert_int_equal(mp_check_sync(c, 0), PATH_UP);
	p[4] = 1;       /* passive: still up */
	fake_sg_set_data("sdb", 0x12, 0xc0, p, sizeof(p));
	assert_int_equal(mp_check_sync(c, 0), PATH_UP);
	p[12] = 0;      /* the LUN behind the path changed */
	fake_sg_set_data("sdb", 0x12, 0xc0, p, sizeof(p));
	assert_int_equal(mp_check_sync(c, 0), PATH_DOWN);
	mp_check_free(c);
	/* the owner that cannot read (inactive snapshot) */
	p[4] = 2;
	fake_sg_set_data("sdd", 0x12, 0xc0, p, sizeof(p));
	fake_sg_set_sense("sdd", 0x28, FAKE_SG_ANY, 0x2, 0x04, 0x03);
	assert_int_equal(run("emc_clariion", "sdd"), PATH_DOWN);
	assert_int_equal(fake_sg_count("sdd", 0x28), 1);
	assert_int_equal(fake_sg_count("sdb", 0x28), 1);       /* the one owner check of sdb */
	p[4] = 0;       /* unbound */
	fake_sg_set_data("sdc", 0x12, 0xc0, p, sizeof(p));
	assert_int_equal(run("emc_clariion", "sdc"), PATH_DOWN);
}

static void test_none(void **state)
{
	fake_sys_set("/sys/block/sdb/device/state", "running");
	fake_sys_set("/sys/block/sdc/device/state", "offline");
	fake_sys_set("/sys/block/nvme0n1/device/state", "live");
	fake_sys_set("/sys/block/nvme1n1/device/state", "resetting");
	assert_int_equal(run("none", "sdb"), PATH_UP);
	assert_int_equal(run("none", "sdc"), PATH_DOWN);
	assert_int_equal(run("none", "nvme0n1"), PATH_UP);
	assert_int_equal(run("none", "nvme1n1"), PATH_DOWN);
	assert_int_equal(run("none", "sdq"), PATH_UP);
}

struct seen {
	int n;
	enum mp_chk_state st[8];
};

static void on_done(struct mp_check *c, enum mp_chk_state st, void *ud)
{
	struct seen *s = ud;

	s->st[s->n++] = st;
}

static void test_runner(void **state)
{
	struct mp_checker_runner *r = NULL;
	struct mp_check *a = NULL, *b = NULL, *n = NULL;
	struct seen s = { 0 };

	assert_int_equal(mp_runner_new(&r), 0);
	fake_sg_hold("sdb", true);
	fake_sg_set_sense("sdc", 0x00, FAKE_SG_ANY, 0x2, 0x04, 0x0b);
	assert_int_equal(mp_checker_new("tur", "sdb", 0, 2000, &a), 0);
	assert_int_equal(mp_checker_new("tur", "sdc", 0, 2000, &b), 0);
	assert_int_equal(mp_checker_new("none", "sdd", 0, 2000, &n), 0);
	mp_runner_add(r, a);
	mp_runner_add(r, b);
	mp_runner_add(r, n);
	assert_int_equal(mp_runner_next_timeout_ms(r), -1);
	mp_runner_start_all(r);
	assert_int_equal(mp_check_state(n), PATH_UP);
	assert_int_equal(mp_runner_next_timeout_ms(r), 2000);
	assert_true(mp_runner_fd(r) >= 0);
	assert_int_equal(mp_runner_dispatch(r, on_done, &s), 1);
	assert_int_equal(s.st[0], PATH_GHOST);
	fake_now += 2000000;
	assert_int_equal(mp_runner_dispatch(r, on_done, &s), 1);
	assert_int_equal(s.st[1], PATH_TIMEOUT);
	/* reported once */
	assert_int_equal(mp_runner_dispatch(r, on_done, &s), 0);
	assert_int_equal(mp_runner_next_timeout_ms(r), -1);
	/* restarting sends nothing new for the hung one */
	mp_runner_start_all(r);
	assert_int_equal(fake_sg_count("sdb", 0x00), 1);
	assert_int_equal(fake_sg_count("sdc", 0x00), 2);
	fake_sg_release("sdb");
	assert_int_equal(mp_runner_dispatch(r, on_done, &s), 2);
	mp_check_free(a);       /* removes itself from the runner */
	mp_runner_free(r);
	mp_check_free(b);
	mp_check_free(n);
}

/* Many checks, one held: dispatch handles completions per fd and finds
 * the one timeout by deadline. */
static void test_runner_many(void **state)
{
	enum { N = 200 };
	struct mp_checker_runner *r = NULL;
	struct mp_check *c[N];
	struct seen s = { 0 };
	char dev[16];
	int i, total = 0;

	assert_int_equal(mp_runner_new(&r), 0);
	for (i = 0; i < N; i++) {
		snprintf(dev, sizeof(dev), "sd%d", i);
		if (i == 7)
			fake_sg_hold(dev, true);
		assert_int_equal(mp_checker_new("tur", dev, 0, 1000, &c[i]), 0);
		mp_runner_add(r, c[i]);
	}
	mp_runner_start_all(r);
	for (i = 0; i < 3 && total < N - 1; i++) {
		s.n = 0;
		total += mp_runner_dispatch(r, NULL, NULL);
	}
	assert_int_equal(total, N - 1);
	assert_true(mp_check_in_flight(c[7]));
	assert_int_equal(mp_runner_next_timeout_ms(r), 1000);
	fake_now += 1000000;
	assert_int_equal(mp_runner_dispatch(r, on_done, &s), 1);
	assert_int_equal(s.st[0], PATH_TIMEOUT);
	for (i = 0; i < N; i++)
		mp_check_free(c[i]);
	mp_runner_free(r);
}

static void test_timeout_choice(void **state)
{
	assert_int_equal(mp_checker_timeout_ms(10, 30), 10000);
	assert_int_equal(mp_checker_timeout_ms(0, 30), 30000);
	assert_int_equal(mp_checker_timeout_ms(-1, 0), 30000);
	assert_int_equal(mp_checker_timeout_ms(0, 7), 7000);
}

/* ---- directio against a real file (real clock) ---- */

static char dio_path[64];

static int dio_setup(void **state)
{
	char buf[8192];
	int fd;

	mp_clock_set_ops(NULL);
	strcpy(dio_path, "/var/tmp/mp-dio.XXXXXX");
	fd = mkstemp(dio_path);
	if (fd < 0)
		return 0;
	memset(buf, 0xab, sizeof(buf));
	if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		dio_path[0] = '\0';
	close(fd);
	return 0;
}

static int dio_teardown(void **state)
{
	if (dio_path[0])
		unlink(dio_path);
	return 0;
}

static void test_directio(void **state)
{
	struct mp_check *c = NULL, *d = NULL;
	int fd;

	fd = dio_path[0] ? open(dio_path, O_RDONLY | O_DIRECT) : -1;
	if (fd < 0) {
		print_message("directio: O_DIRECT not available on /var/tmp, skipped\n");
		skip();
	}
	close(fd);
	assert_int_equal(mp_checker_new("directio", dio_path, 0, 5000, &c), 0);
	assert_int_equal(mp_checker_new("directio", dio_path, 0, 5000, &d), 0);
	assert_int_equal(mp_check_sync(c, 0), PATH_UP);
	assert_int_equal(mp_check_sync(c, 0), PATH_UP);
	/* two checks share one fd */
	assert_int_equal(mp_check_fd(c), mp_check_fd(d));
	assert_int_equal(mp_check_sync(d, 0), PATH_UP);
	/* in flight then freed: orphaned safely */
	mp_check_start(c);
	mp_check_free(c);
	usleep(100000);
	assert_int_equal(mp_check_sync(d, 0), PATH_UP);     /* reaps the orphan */
	mp_check_free(d);
	assert_int_equal(mp_checker_new("directio", "/nonexistent/file", 0, 5000, &c), 0);
	assert_int_equal(mp_check_sync(c, 0), PATH_DOWN);
	mp_check_free(c);
}

/* Checks on other threads share the process-wide aio context. */
static void *dio_thread(void *arg)
{
	struct mp_check *c = NULL;
	intptr_t bad = 0;
	int i;

	if (mp_checker_new("directio", dio_path, 0, 5000, &c) < 0)
		return (void *)1;
	for (i = 0; i < 50; i++)
		bad += mp_check_sync(c, 0) != PATH_UP;
	mp_check_free(c);
	return (void *)bad;
}

static void test_directio_threads(void **state)
{
	pthread_t t[4];
	void *res;
	int fd, i;

	fd = dio_path[0] ? open(dio_path, O_RDONLY | O_DIRECT) : -1;
	if (fd < 0)
		skip();
	close(fd);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, dio_thread, NULL), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &res), 0);
		assert_null(res);
	}
}

static void test_tur_sync_real_clock(void **state)
{
	struct mp_check *c = NULL;
	uint64_t t0;

	mp_clock_set_ops(NULL);
	fake_sg_hold("sdh", true);
	assert_int_equal(mp_checker_new("tur", "sdh", 0, 50, &c), 0);
	assert_int_equal(mp_check_sync(c, 0), PATH_TIMEOUT);
	fake_sg_release("sdh");
	fake_sg_hold("sdh", false);
	assert_int_equal(mp_check_sync(c, 0), PATH_UP);
	mp_check_free(c);

	/* an ALUA transition verdict returns at once, not after the timeout */
	fake_sg_set_sense("sdi", 0x00, FAKE_SG_ANY, 0x2, 0x04, 0x0a);
	assert_int_equal(mp_checker_new("tur", "sdi", 0, 3000, &c), 0);
	t0 = mp_now_usec();
	assert_int_equal(mp_check_sync(c, 0), PATH_PENDING);
	assert_true(mp_now_usec() - t0 < 1000000);
	mp_check_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tur_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tur_ua_then_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tur_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_sg_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readsector0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hp_sw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rdac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_many, setup, teardown),
		cmocka_unit_test(test_timeout_choice),
		cmocka_unit_test_setup_teardown(test_tur_sync_real_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directio, dio_setup, dio_teardown),
		cmocka_unit_test_setup_teardown(test_directio_threads, dio_setup, dio_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
