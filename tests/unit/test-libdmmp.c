// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmmp against a fake multipathd: a thread serving an abstract socket
 * with canned replies per command (and scripted failures), so the whole
 * path — framing, retries on "timeout", JSON parsing, error mapping — runs.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ipc/ipc.h"
#include "libdmmp/libdmmp.h"

static const char maps_json[] =
	"{\"major_version\": 0, \"minor_version\": 1, \"maps\": ["
	"{\"name\": \"mpatha\", \"uuid\": \"3600a\", \"sysfs\": \"dm-0\", \"paths\": 2,"
	" \"path_groups\": ["
	"  {\"selector\": \"service-time 0\", \"pri\": 50, \"dm_st\": \"active\", \"group\": 1,"
	"   \"paths\": [{\"dev\": \"sda\", \"chk_st\": \"ready\"}, {\"dev\": \"sdb\", \"chk_st\": \"faulty\"}]},"
	"  {\"selector\": \"round-robin 0\", \"pri\": 10, \"dm_st\": \"enabled\", \"group\": 2,"
	"   \"paths\": [{\"dev\": \"sdc\", \"chk_st\": \"ghost\"}]}]},"
	"{\"name\": \"we\\\"ird\", \"uuid\": \"3600b\", \"sysfs\": \"dm-1\", \"path_groups\": []}"
	"]}";

/* What the fake daemon says: per command, after `busy` "fail\ntimeout" replies. */
static const char *reply_maps = maps_json;
static const char *reply_other = "ok\n";
static int busy;
static int n_requests;
static char last_cmd[600];
/* The fake server thread and the test share the above. */
static pthread_mutex_t st_lock = PTHREAD_MUTEX_INITIALIZER;

static void set_int(int *v, int x)
{
	pthread_mutex_lock(&st_lock);
	*v = x;
	pthread_mutex_unlock(&st_lock);
}

static void set_str(const char **v, const char *x)
{
	pthread_mutex_lock(&st_lock);
	*v = x;
	pthread_mutex_unlock(&st_lock);
}

static int requests(void)
{
	int n;

	pthread_mutex_lock(&st_lock);
	n = n_requests;
	pthread_mutex_unlock(&st_lock);
	return n;
}

static const char *cmd_seen(void)
{
	static char copy[sizeof(last_cmd)];

	pthread_mutex_lock(&st_lock);
	memcpy(copy, last_cmd, sizeof(copy));
	pthread_mutex_unlock(&st_lock);
	return copy;
}
static int lfd = -1;
static pthread_t srv;

static void *serve(void *arg)
{
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		char *cmd = NULL;

		if (fd < 0)
			return NULL;
		if (mp_ipc_recv(fd, &cmd, MP_IPC_MAX_CMD, 2000) >= 0) {
			const char *r;

			pthread_mutex_lock(&st_lock);
			n_requests++;
			snprintf(last_cmd, sizeof(last_cmd), "%s", cmd);
			if (busy > 0) {
				busy--;
				r = "fail\ntimeout\n";
			} else {
				r = strcmp(cmd, "show maps json") == 0 ? reply_maps : reply_other;
			}
			pthread_mutex_unlock(&st_lock);
			if (r)
				mp_ipc_send(fd, r, 2000);
		}
		free(cmd);
		close(fd);
	}
}

static int setup(void **state)
{
	static char name[80];
	struct sockaddr_un sa;
	socklen_t len;

	snprintf(name, sizeof(name), "@/test/libdmmp-%d", (int)getpid());
	setenv(MP_IPC_ENV_NAME, name, 1);
	mp_ipc_sockaddr(name, &sa, &len);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, len), 0);
	assert_int_equal(listen(lfd, 16), 0);
	pthread_create(&srv, NULL, serve, NULL);
	return 0;
}

static int teardown(void **state)
{
	shutdown(lfd, SHUT_RDWR);
	close(lfd);
	pthread_join(srv, NULL);
	return 0;
}

static void reset(void)
{
	pthread_mutex_lock(&st_lock);
	reply_maps = maps_json;
	reply_other = "ok\n";
	busy = 0;
	n_requests = 0;
	pthread_mutex_unlock(&st_lock);
}

static void test_maps(void **state)
{
	struct dmmp_context *ctx = dmmp_context_new();
	struct dmmp_mpath **mps;
	struct dmmp_path_group **pgs;
	struct dmmp_path **ps;
	uint32_t n, npg, np;

	reset();
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(dmmp_mpath_name_get(mps[0]), "mpatha");
	assert_string_equal(dmmp_mpath_wwid_get(mps[0]), "3600a");
	assert_string_equal(dmmp_mpath_kdev_name_get(mps[0]), "dm-0");
	assert_string_equal(dmmp_mpath_name_get(mps[1]), "we\"ird");
	dmmp_path_group_array_get(mps[0], &pgs, &npg);
	assert_int_equal(npg, 2);
	assert_int_equal(dmmp_path_group_id_get(pgs[1]), 2);
	assert_int_equal(dmmp_path_group_priority_get(pgs[0]), 50);
	assert_int_equal(dmmp_path_group_status_get(pgs[0]), DMMP_PATH_GROUP_STATUS_ACTIVE);
	assert_int_equal(dmmp_path_group_status_get(pgs[1]), DMMP_PATH_GROUP_STATUS_ENABLED);
	assert_string_equal(dmmp_path_group_selector_get(pgs[1]), "round-robin 0");
	dmmp_path_array_get(pgs[0], &ps, &np);
	assert_int_equal(np, 2);
	assert_string_equal(dmmp_path_blk_name_get(ps[1]), "sdb");
	assert_int_equal(dmmp_path_status_get(ps[0]), DMMP_PATH_STATUS_UP);
	assert_int_equal(dmmp_path_status_get(ps[1]), DMMP_PATH_STATUS_DOWN);
	dmmp_path_array_get(pgs[1], &ps, &np);
	assert_int_equal(dmmp_path_status_get(ps[0]), DMMP_PATH_STATUS_GHOST);
	dmmp_path_group_array_get(mps[1], &pgs, &npg);
	assert_int_equal(npg, 0);
	dmmp_mpath_array_free(mps, n);
	dmmp_context_free(ctx);
}

static void test_retry_on_timeout(void **state)
{
	struct dmmp_context *ctx = dmmp_context_new();
	struct dmmp_mpath **mps;
	uint32_t n;

	reset();
	set_int(&busy, 2);
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_OK);
	assert_int_equal(requests(), 3);
	dmmp_mpath_array_free(mps, n);
	/* busy for longer than the context timeout */
	reset();
	set_int(&busy, 1000);
	dmmp_context_timeout_set(ctx, 300);
	assert_int_equal(dmmp_context_timeout_get(ctx), 300);
	dmmp_context_log_priority_set(ctx, 0);
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_ERR_IPC_TIMEOUT);
	assert_true(strlen(dmmp_last_error_msg(ctx)) > 0);
	set_int(&busy, 0);
	dmmp_context_free(ctx);
}

static void test_errors(void **state)
{
	struct dmmp_context *ctx = dmmp_context_new();
	struct dmmp_mpath **mps;
	uint32_t n;

	dmmp_context_log_priority_set(ctx, 0);
	reset();
	set_str(&reply_maps, "{\"major_version\": 1, \"minor_version\": 0, \"maps\": []}");
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_ERR_INCOMPATIBLE);
	set_str(&reply_maps, "{ not json");
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_ERR_BUG);
	set_str(&reply_maps, "fail\npermission deny: need to be root\n");
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_ERR_PERMISSION_DENY);
	set_str(&reply_maps, "{\"major_version\": 0, \"maps\": [{\"name\": \"x\"}]}");
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_ERR_BUG);
	set_str(&reply_maps, NULL);      /* daemon hangs up without answering */
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_ERR_IPC_ERROR);
	assert_int_equal(dmmp_mpath_array_get(NULL, &mps, &n), DMMP_ERR_INVALID_ARGUMENT);
	setenv(MP_IPC_ENV_NAME, "@/test/libdmmp-nobody", 1);
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_ERR_NO_DAEMON);
	{
		char name[80];

		snprintf(name, sizeof(name), "@/test/libdmmp-%d", (int)getpid());
		setenv(MP_IPC_ENV_NAME, name, 1);
	}
	dmmp_context_free(ctx);
}

static void test_flush_reconfig(void **state)
{
	struct dmmp_context *ctx = dmmp_context_new();

	dmmp_context_log_priority_set(ctx, 0);
	reset();
	assert_int_equal(dmmp_flush_mpath(ctx, "mpatha"), DMMP_OK);
	assert_string_equal(cmd_seen(), "del map \"mpatha\"");
	set_str(&reply_other, "fail\nmap or partition in use\n");
	assert_int_equal(dmmp_flush_mpath(ctx, "mpatha"), DMMP_ERR_MPATH_BUSY);
	set_str(&reply_other, "fail\ndevice not found\n");
	assert_int_equal(dmmp_flush_mpath(ctx, "nope"), DMMP_ERR_MPATH_NOT_FOUND);
	assert_int_equal(dmmp_flush_mpath(ctx, NULL), DMMP_ERR_INVALID_ARGUMENT);
	set_str(&reply_other, "ok\n");
	assert_int_equal(dmmp_reconfig(ctx), DMMP_OK);
	assert_string_equal(cmd_seen(), "reconfigure");
	set_str(&reply_other, "fail\npermission deny: need to be root\n");
	assert_int_equal(dmmp_reconfig(ctx), DMMP_ERR_PERMISSION_DENY);
	dmmp_context_free(ctx);
}

static int log_calls;

static void my_log(struct dmmp_context *ctx, int priority, const char *file, int line,
		   const char *func, const char *fmt, va_list ap)
{
	assert_ptr_equal(dmmp_context_userdata_get(ctx), &log_calls);
	log_calls++;
}

static void test_context_and_strings(void **state)
{
	struct dmmp_context *ctx = dmmp_context_new();
	struct dmmp_mpath **mps;
	uint32_t n;

	assert_int_equal(dmmp_context_log_priority_get(ctx), DMMP_LOG_PRIORITY_DEFAULT);
	assert_int_equal(dmmp_context_timeout_get(ctx), 60000);
	dmmp_context_userdata_set(ctx, &log_calls);
	dmmp_context_log_func_set(ctx, my_log);
	dmmp_context_log_priority_set(ctx, DMMP_LOG_PRIORITY_DEBUG);
	reset();
	assert_int_equal(dmmp_mpath_array_get(ctx, &mps, &n), DMMP_OK);
	dmmp_mpath_array_free(mps, n);
	assert_true(log_calls > 0);
	assert_string_equal(dmmp_strerror(DMMP_OK), "OK");
	assert_string_equal(dmmp_strerror(DMMP_ERR_PERMISSION_DENY), "Permission deny");
	assert_string_equal(dmmp_strerror(99), "Invalid argument");
	assert_string_equal(dmmp_log_priority_str(DMMP_LOG_PRIORITY_WARNING), "WARNING");
	assert_string_equal(dmmp_path_status_str(DMMP_PATH_STATUS_PENDING), "i/o pending");
	assert_string_equal(dmmp_path_group_status_str(DMMP_PATH_GROUP_STATUS_DISABLED), "disabled");
	assert_string_equal(dmmp_path_group_status_str(42), "Invalid argument");
	dmmp_mpath_array_free(NULL, 0);
	dmmp_context_free(ctx);
	dmmp_context_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_retry_on_timeout),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_flush_reconfig),
		cmocka_unit_test(test_context_and_strings),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
