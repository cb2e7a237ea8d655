// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CLI server end to end over a real (abstract) socket: show commands
 * from a topology built with the topology API, actions against fake mpd_*
 * functions defined here, errors, oversized frames, a stalled client that
 * must not block others, a slow action that must not block readers, and
 * many concurrent clients.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <urcu.h>

#include "config/config.h"
#include "ipc/ipc.h"
#include "multipathd/daemon.h"
#include "multipathd/uxsrv.h"

/* ---- fake daemon ---- */

/* the fakes run in the server's handler threads: share through a lock */
static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_call[128];
static int slow_ms;

static void record(const char *fn, const char *arg)
{
	int slow;

	pthread_mutex_lock(&fake_lock);
	snprintf(last_call, sizeof(last_call), "%s %s", fn, arg ? arg : "(null)");
	slow = slow_ms;
	pthread_mutex_unlock(&fake_lock);
	if (slow)
		usleep(slow * 1000);
}

static void set_slow(int ms)
{
	pthread_mutex_lock(&fake_lock);
	slow_ms = ms;
	pthread_mutex_unlock(&fake_lock);
}

static bool last_call_is(const char *want)
{
	bool r;

	pthread_mutex_lock(&fake_lock);
	r = strcmp(last_call, want) == 0;
	pthread_mutex_unlock(&fake_lock);
	return r;
}

static void clear_last_call(void)
{
	pthread_mutex_lock(&fake_lock);
	last_call[0] = '\0';
	pthread_mutex_unlock(&fake_lock);
}

const char *mpd_state_to_string(enum mpd_state s) { return s == MPD_RUNNING ? "running" : "idle"; }
enum mpd_state mpd_get_state(struct mpd *d) { return MPD_RUNNING; }
bool mpd_reconfigure_pending(struct mpd *d) { return false; }
bool mpd_busy(struct mpd *d) { return false; }
int mpd_stats_print(struct mpd *d, struct strbuf *out, bool json)
{
	strbuf_append(out, json ? "{}\n" : "uevents: 0\n");
	return 0;
}
int mpd_add_path(struct mpd *d, const char *dev, int t) { record("add_path", dev); return 0; }
int mpd_del_path(struct mpd *d, const char *dev, int t) { record("del_path", dev); return 0; }
int mpd_add_map(struct mpd *d, const char *m, int t) { record("add_map", m); return 0; }
int mpd_del_map(struct mpd *d, const char *m, int t)
{
	record("del_map", m);
	return strcmp(m, "busy") == 0 ? -EBUSY : 0;
}
int mpd_del_maps(struct mpd *d, int t) { record("del_maps", NULL); return 0; }
int mpd_switch_group(struct mpd *d, const char *m, int pg, int t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s %d", m, pg);
	record("switch_group", buf);
	return 0;
}
int mpd_suspend_map(struct mpd *d, const char *m, int t) { record("suspend", m); return 0; }
int mpd_resume_map(struct mpd *d, const char *m, int t) { record("resume", m); return 0; }
int mpd_reload_map(struct mpd *d, const char *m, int t) { record("reload", m); return 0; }
int mpd_resize_map(struct mpd *d, const char *m, int t) { record("resize", m); return 0; }
int mpd_reset_map(struct mpd *d, const char *m, int t) { record("reset", m); return 0; }
int mpd_fail_path(struct mpd *d, const char *p, int t) { record("fail_path", p); return 0; }
int mpd_reinstate_path(struct mpd *d, const char *p, int t) { record("reinstate_path", p); return 0; }
int mpd_disable_queueing(struct mpd *d, const char *m, int t) { record("disableq", m); return 0; }
int mpd_restore_queueing(struct mpd *d, const char *m, int t) { record("restoreq", m); return 0; }
int mpd_force_queueing_daemon(struct mpd *d, bool f) { record("forceq", f ? "1" : "0"); return 0; }
int mpd_reconfigure(struct mpd *d, bool all) { record("reconfigure", all ? "all" : "weak"); return 0; }
int mpd_reset_stats(struct mpd *d, const char *m) { record("reset_stats", m); return 0; }
int mpd_set_marginal(struct mpd *d, const char *p, bool on, int t) { record(on ? "setmarginal" : "unsetmarginal", p); return 0; }
int mpd_unset_marginal_map(struct mpd *d, const char *m, int t) { record("unsetmarginal_map", m); return 0; }
int mpd_pr_get(struct mpd *d, const char *m, enum mpd_pr_flag f, bool *ret) { record("pr_get", m); *ret = true; return 0; }
int mpd_pr_set(struct mpd *d, const char *m, enum mpd_pr_flag f, bool on) { record(on ? "pr_set" : "pr_unset", m); return 0; }
int mpd_prkey_get(struct mpd *d, const char *m, char **ret) { record("prkey_get", m); *ret = strdup("0x123"); return 0; }
int mpd_prkey_set(struct mpd *d, const char *m, const char *k) { record("prkey_set", k); return 0; }
int mpd_wait_map(struct mpd *d, const char *w, int t) { record("wait_map", w); return -ETIMEDOUT; }
int mpd_find_hold(struct mpd *d, const char *w, long long *until)
{
	if (w && !strcmp(w, "3600held")) {
		*until = 4102444800LL;
		return 1;
	}
	return w && !strcmp(w, "3600released") ? 0 : -ENOENT;
}
void mpd_request_shutdown(struct mpd *d) { record("shutdown", NULL); }

/* ---- fixture ---- */

static struct mpd daemon_ctx;

static void add_topology(void)
{
	struct mp_path_info *pi = calloc(1, sizeof(*pi));
	struct mp_map_snap *s = calloc(1, sizeof(*s));
	struct mp_path *p;
	struct mp_map *m;

	pi->devname = strdup("sdx");
	pi->devt = makedev(8, 16);
	pi->host = 1;
	pi->wwid = strdup("36001405abc");
	pi->vendor = strdup("NETAPP");
	pi->product = strdup("LUN C-Mode");
	assert_int_equal(mp_topo_add_path(&daemon_ctx.topo, pi, &p), 0);
	p->chk_state = PATH_UP;
	p->dm_state = DMP_ACTIVE;
	assert_int_equal(mp_topo_add_map(&daemon_ctx.topo, "36001405abc", &m), 0);
	s->name = strdup("mp\"x");
	s->wwid = strdup("36001405abc");
	s->devt = makedev(253, 4);
	s->n_pgs = 1;
	s->pgs = calloc(1, sizeof(*s->pgs));
	s->pgs[0].selector = strdup("service-time 0");
	s->pgs[0].n_paths = 1;
	s->pgs[0].paths = calloc(1, sizeof(struct mp_path *));
	s->pgs[0].paths[0] = p;
	rcu_assign_pointer(p->map, m);
	mp_map_publish(m, s);
}

static int setup(void **state)
{
	static char name[64];
	struct mp_config *c;

	snprintf(name, sizeof(name), "@/test/mp-cli-server-%d", (int)getpid());
	setenv(MP_IPC_ENV_NAME, name, 1);
	rcu_register_thread();
	assert_int_equal(mp_config_load_string("defaults {\n\tuxsock_timeout 400\n}\n",
					       "test", &c, NULL), 0);
	mp_config_publish(c);
	assert_int_equal(mp_topo_init(&daemon_ctx.topo), 0);
	add_topology();
	assert_int_equal(uxsrv_start(&daemon_ctx, NULL, 0), 0);
	return 0;
}

static int teardown(void **state)
{
	uxsrv_stop(&daemon_ctx);
	return 0;
}

static char *cmd(const char *line)
{
	char *reply = NULL;
	int r = mp_ipc_command(line, &reply, 3000);

	if (r < 0)
		fail_msg("'%s': %s", line, strerror(-r));
	return reply;
}

static void expect(const char *line, const char *want)
{
	char *r = cmd(line);

	if (strcmp(r, want) != 0)
		fail_msg("'%s' replied '%s', want '%s'", line, r, want);
	free(r);
}

/* find_multipaths smart: the daemon's hold decides once it knows the path
 * (its deadline; released = not a path); unknown paths wait the timeout. */
static void test_claim_smart(void **state)
{
	struct mp_config *c = NULL;
	char *r;

	assert_int_equal(mp_config_load_string("defaults {\n\tfind_multipaths smart\n"
					       "\tfind_multipaths_timeout 5\n}\n", "smart", &c, NULL), 0);
	mp_config_publish(c);
	expect("show path-claim sdq wwid 3600held",
	       "DM_MULTIPATH_DEVICE_PATH=2\nFIND_MULTIPATHS_WAIT_UNTIL=4102444800\n");
	expect("show path-claim sdq wwid 3600released", "DM_MULTIPATH_DEVICE_PATH=0\n");
	expect("show path-claim sdx", "DM_MULTIPATH_DEVICE_PATH=1\n");
	r = cmd("show path-claim sdq wwid 3600new");
	assert_non_null(strstr(r, "DM_MULTIPATH_DEVICE_PATH=2\nFIND_MULTIPATHS_WAIT_UNTIL="));
	free(r);
	assert_int_equal(mp_config_load_string("defaults {\n\tuxsock_timeout 400\n}\n",
					       "test", &c, NULL), 0);
	mp_config_publish(c);
}

static void test_show(void **state)
{
	expect("show maps", "name sysfs uuid\nmp\"x dm-4  36001405abc\n");
	expect("list maps raw format \"%n|%N\"", "mp\"x|0\n");
	expect("show path sdx", "running\n");
	expect("show path /dev/sdx", "running\n");
	expect("show path 8:16", "running\n");
	expect("show path sdz", "fail\ndevice not found\n");
	expect("show map dm-4 raw format %w", "36001405abc\n");
	expect("show map 253:4 raw format %w", "36001405abc\n");
	expect("show map 36001405abc raw format %d", "dm-4\n");
	expect("show map nope topology", "fail\ndevice not found\n");
	/* udev claim answers: a path of a map; a new path of a known map's WWID;
	 * an unknown WWID under the default find_multipaths strict */
	expect("show path-claim sdx", "DM_MULTIPATH_DEVICE_PATH=1\n");
	expect("show path-claim /dev/sdq wwid 36001405abc", "DM_MULTIPATH_DEVICE_PATH=1\n");
	expect("show path-claim sdq wwid 3600nothing-known", "DM_MULTIPATH_DEVICE_PATH=0\n");
	expect("show path-claim sdq", "DM_MULTIPATH_DEVICE_PATH=0\n");
}

static void test_show_daemon_status(void **state)
{
	char want[64], *r;

	snprintf(want, sizeof(want), "pid %d running\n", (int)getpid());
	expect("show daemon", want);
	r = cmd("show status");
	assert_non_null(strstr(r, "ready               1\n"));
	assert_non_null(strstr(r, "paths: 1\nbusy: False\n"));
	free(r);
	expect("show stats", "uevents: 0\n");
	r = cmd("show topology");
	assert_true(strncmp(r, "mp\"x (36001405abc) dm-4 ##,##\n", 30) == 0);
	assert_non_null(strstr(r, "`-+- policy='service-time 0' prio=0 status=undef\n"));
	assert_non_null(strstr(r, "  `- 1:0:0:0 sdx 8:16 active ready running\n"));
	free(r);
	r = cmd("show wildcards");
	assert_non_null(strstr(r, "%w"));
	free(r);
}

/* `show config local` keeps only the built-in device entries matching a
 * known path (here NETAPP/LUN); `show config` keeps them all. */
static void test_show_config_local(void **state)
{
	char *all = cmd("show config"), *local = cmd("show config local");

	assert_non_null(strstr(all, "\t\tvendor \"NETAPP\"\n\t\tproduct \"LUN\"\n"));
	assert_non_null(strstr(all, "\t\tvendor \"PURE\"\n"));
	assert_non_null(strstr(local, "\t\tvendor \"NETAPP\"\n\t\tproduct \"LUN\"\n"));
	assert_null(strstr(local, "\t\tvendor \"PURE\"\n"));
	/* the rest of the dump is the same */
	assert_non_null(strstr(local, "\tuxsock_timeout 400\n"));
	assert_true(strlen(local) < strlen(all) / 4);
	free(all);
	free(local);
}

static void test_json(void **state)
{
	char *r = cmd("show maps json");
	struct json_object *o = json_tokener_parse(r), *maps, *name;

	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "maps", &maps));
	assert_true(json_object_object_get_ex(json_object_array_get_idx(maps, 0), "name", &name));
	assert_string_equal(json_object_get_string(name), "mp\"x");
	json_object_put(o);
	free(r);
	r = cmd("show map mp\\\"x json");
	free(r);
	r = cmd("show map 'mp\"x' json");
	o = json_tokener_parse(r);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "map", &maps));
	json_object_put(o);
	free(r);
}

struct action_case {
	const char *line, *reply, *call;
};

static void test_actions(void **state)
{
	static const struct action_case cases[] = {
		{ "add path sdb", "ok\n", "add_path sdb" },
		{ "del path sdb", "ok\n", "del_path sdb" },
		{ "add map mpatha", "ok\n", "add_map mpatha" },
		{ "del map mpatha", "ok\n", "del_map mpatha" },
		{ "del map busy", "fail\nmap or partition in use\n", "del_map busy" },
		{ "del maps", "ok\n", "del_maps (null)" },
		{ "switch map mpatha group 2", "ok\n", "switch_group mpatha 2" },
		{ "switch map mpatha group x", "fail\ninvalid argument\n", NULL },
		{ "suspend map m", "ok\n", "suspend m" },
		{ "resume map m", "ok\n", "resume m" },
		{ "reload map m", "ok\n", "reload m" },
		{ "resize map m", "ok\n", "resize m" },
		{ "reset map m", "ok\n", "reset m" },
		{ "fail path sdb", "ok\n", "fail_path sdb" },
		{ "reinstate path sdb", "ok\n", "reinstate_path sdb" },
		{ "disablequeueing maps", "ok\n", "disableq (null)" },
		{ "disablequeueing map m", "ok\n", "disableq m" },
		{ "restorequeueing maps", "ok\n", "restoreq (null)" },
		{ "restorequeueing map m", "ok\n", "restoreq m" },
		{ "forcequeueing daemon", "ok\n", "forceq 1" },
		{ "restorequeueing daemon", "ok\n", "forceq 0" },
		{ "reconfigure", "ok\n", "reconfigure weak" },
		{ "reconfigure all", "ok\n", "reconfigure all" },
		{ "reset maps stats", "ok\n", "reset_stats (null)" },
		{ "reset map m stats", "ok\n", "reset_stats m" },
		{ "getprstatus map m", "set\n", "pr_get m" },
		{ "setprstatus map m", "ok\n", "pr_set m" },
		{ "unsetprstatus map m", "ok\n", "pr_unset m" },
		{ "getprhold map m", "set\n", "pr_get m" },
		{ "setprhold map m", "ok\n", "pr_set m" },
		{ "unsetprhold map m", "ok\n", "pr_unset m" },
		{ "getprkey map m", "0x123\n", "prkey_get m" },
		{ "setprkey map m key 0xabc", "ok\n", "prkey_set 0xabc" },
		{ "unsetprkey map m", "ok\n", "prkey_set (null)" },
		{ "setmarginal path sdb", "ok\n", "setmarginal sdb" },
		{ "unsetmarginal path sdb", "ok\n", "unsetmarginal sdb" },
		{ "unsetmarginal map m", "ok\n", "unsetmarginal_map m" },
		{ "wait map 36001405abc timeout 1", "fail\ntimeout\n", "wait_map 36001405abc" },
		{ "shutdown", "ok\n", "shutdown (null)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		clear_last_call();
		expect(cases[i].line, cases[i].reply);
		if (cases[i].call && !last_call_is(cases[i].call))
			fail_msg("'%s' did not call '%s'", cases[i].line, cases[i].call);
	}
}

static void test_bad(void **state)
{
	char *r = cmd("bogus command");

	assert_non_null(strstr(r, "list|show paths"));
	free(r);
	r = cmd("");
	assert_non_null(strstr(r, "list|show"));
	free(r);
}

static void test_oversized_frame(void **state)
{
	int fd = mp_ipc_connect();
	size_t len = 100000;
	char *r = NULL;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, &len, sizeof(len)), sizeof(len));
	assert_true(mp_ipc_recv(fd, &r, 1024, 2000) > 0);
	assert_string_equal(r, "fail\ncommand too long\n");
	free(r);
	close(fd);
}

static double process_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int highest_fd(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	int max = 2;

	assert_non_null(dir);
	while ((de = readdir(dir)))
		if (atoi(de->d_name) > max)
			max = atoi(de->d_name);
	closedir(dir);
	return max;
}

/* Out of fds: the pending connection cannot be accepted; the server must
 * neither spin on its readable listening socket nor forget the client once
 * fds are free again. */
static void test_accept_out_of_fds(void **state)
{
	struct rlimit old, low;
	static int fill[4096];
	int n = 0, fd;
	double cpu0, cpu;
	char *r = NULL;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)highest_fd() + 8;       /* a few above what is open */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	while (n < 4096 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		fill[n++] = fd;
	if (n > 0)
		close(fill[--n]);               /* one left: the client's */
	fd = mp_ipc_connect();
	if (fd < 0 || n == 4095) {
		while (n > 0)
			close(fill[--n]);
		setrlimit(RLIMIT_NOFILE, &old);
		fail_msg("could not set up the fd shortage (fd %d)", fd);
	}
	cpu0 = process_cpu_ms();
	usleep(600 * 1000);
	cpu = process_cpu_ms() - cpu0;
	while (n > 0)
		close(fill[--n]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	if (cpu > 200)
		fail_msg("the server spun on its listening socket: %.0f ms CPU in 600 ms", cpu);
	assert_true(mp_ipc_request(fd, "show maps raw format %d", &r, 3000) > 0);
	assert_string_equal(r, "dm-4\n");
	free(r);
	close(fd);
}

static void test_session_reuse_and_quit(void **state)
{
	int fd = mp_ipc_connect();
	char *r = NULL;

	assert_true(fd >= 0);
	for (int i = 0; i < 3; i++) {
		assert_true(mp_ipc_request(fd, "show maps raw format %d", &r, 2000) > 0);
		assert_string_equal(r, "dm-4\n");
		free(r);
	}
	assert_int_equal(mp_ipc_request(fd, "quit", &r, 2000), 0);
	free(r);
	assert_true(mp_ipc_request(fd, "show maps", &r, 500) < 0);
	close(fd);
}

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static void *slow_reload(void *arg)
{
	char *r = NULL;

	mp_ipc_command("reload map m", &r, 3000);
	free(r);
	return NULL;
}

static void test_stalled_and_slow(void **state)
{
	int stalled = mp_ipc_connect();
	size_t len = 50;
	pthread_t t;
	uint64_t t0;
	char *r = NULL;

	/* a client that sends half a frame and then nothing */
	assert_true(stalled >= 0);
	assert_int_equal(write(stalled, &len, 3), 3);
	/* an action that takes 800 ms */
	set_slow(800);
	pthread_create(&t, NULL, slow_reload, NULL);
	usleep(50000);
	t0 = ms_now();
	expect("show maps raw format %n", "mp\"x\n");
	assert_true(ms_now() - t0 < 500);
	pthread_join(t, NULL);
	set_slow(0);
	/* the stalled client is dropped after uxsock_timeout (400 ms) */
	usleep(700000);
	assert_int_equal(read(stalled, &len, sizeof(len)), 0);
	close(stalled);
	(void)r;
}

static void test_gone_during_action(void **state)
{
	int fd = mp_ipc_connect();
	uint64_t t0;

	assert_true(fd >= 0);
	set_slow(800);
	assert_int_equal(mp_ipc_send(fd, "reload map gone", 1000), 0);
	usleep(20000);
	close(fd);
	t0 = ms_now();
	expect("show maps raw format %d", "dm-4\n");
	assert_true(ms_now() - t0 < 500);
	usleep(900000);
	set_slow(0);
	expect("show maps raw format %d", "dm-4\n");
}

static void *many(void *arg)
{
	for (int i = 0; i < 5; i++) {
		char *r = NULL;

		if (mp_ipc_command("show paths", &r, 5000) < 0 || !strstr(r, "sdx"))
			*(int *)arg = 1;
		free(r);
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	pthread_t t[100];
	int bad = 0;

	for (int i = 0; i < 100; i++)
		pthread_create(&t[i], NULL, many, &bad);
	for (int i = 0; i < 100; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(bad, 0);
}

static char *shutdown_reply;

static void *send_shutdown(void *arg)
{
	mp_ipc_command("shutdown", &shutdown_reply, 3000);
	return NULL;
}

/* The daemon stops the server right after `shutdown`: the reply still
 * reaches the client. */
static void test_shutdown_reply_delivered(void **state)
{
	pthread_t t;

	clear_last_call();
	set_slow(100);
	pthread_create(&t, NULL, send_shutdown, NULL);
	while (!last_call_is("shutdown (null)"))
		usleep(1000);
	uxsrv_stop(&daemon_ctx);
	pthread_join(t, NULL);
	set_slow(0);
	assert_non_null(shutdown_reply);
	assert_string_equal(shutdown_reply, "ok\n");
	free(shutdown_reply);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_claim_smart),
		cmocka_unit_test(test_show_daemon_status),
		cmocka_unit_test(test_show_config_local),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_oversized_frame),
		cmocka_unit_test(test_session_reuse_and_quit),
		cmocka_unit_test(test_accept_out_of_fds),
		cmocka_unit_test(test_stalled_and_slow),
		cmocka_unit_test(test_gone_during_action),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_shutdown_reply_delivered),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
