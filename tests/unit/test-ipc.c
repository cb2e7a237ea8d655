// SPDX-License-Identifier: GPL-2.0-or-later
/* IPC framing over socketpairs: round trips, limits, timeouts, EOF, names. */
#include <errno.h>
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

static void test_roundtrip(void **state)
{
	int sv[2];
	char *s = NULL;
	size_t len;
	char raw[16];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(mp_ipc_send(sv[0], "show maps", 1000), 0);
	/* the wire: native size_t length including the NUL, then the bytes */
	assert_int_equal(read(sv[1], &len, sizeof(len)), sizeof(len));
	assert_int_equal(len, 10);
	assert_int_equal(read(sv[1], raw, len), 10);
	assert_string_equal(raw, "show maps");
	assert_int_equal(mp_ipc_send(sv[1], "ok\n", 1000), 0);
	assert_int_equal(mp_ipc_recv(sv[0], &s, 100, 1000), 3);
	assert_string_equal(s, "ok\n");
	free(s);
	close(sv[0]);
	close(sv[1]);
}

static void test_limits(void **state)
{
	int sv[2];
	char *s = NULL;
	size_t len = 1000;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], &len, sizeof(len)), sizeof(len));
	assert_int_equal(mp_ipc_recv(sv[0], &s, 512, 1000), -EMSGSIZE);
	len = 0;
	assert_int_equal(write(sv[1], &len, sizeof(len)), sizeof(len));
	assert_int_equal(mp_ipc_recv(sv[0], &s, 512, 1000), -EPROTO);
	/* partial frame then silence: times out */
	len = 10;
	assert_int_equal(write(sv[1], &len, sizeof(len)), sizeof(len));
	assert_int_equal(write(sv[1], "abc", 3), 3);
	assert_int_equal(mp_ipc_recv(sv[0], &s, 512, 50), -ETIMEDOUT);
	close(sv[1]);
	assert_int_equal(mp_ipc_recv(sv[0], &s, 512, 50), -ECONNRESET);
	close(sv[0]);
}

static void test_large_reply(void **state)
{
	int sv[2];
	char *big = malloc(1 << 20), *s = NULL;
	pid_t pid;

	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	if (pid == 0) {
		_exit(mp_ipc_send(sv[1], big, 5000) == 0 ? 0 : 1);
	}
	assert_int_equal(mp_ipc_recv(sv[0], &s, MP_IPC_MAX_REPLY, 5000), (1 << 20) - 1);
	assert_memory_equal(s, big, 1 << 20);
	free(s);
	free(big);
	close(sv[0]);
	close(sv[1]);
}

static void test_names(void **state)
{
	struct sockaddr_un sa;
	socklen_t len;
	char longname[200];

	assert_int_equal(mp_ipc_sockaddr("@abc", &sa, &len), 0);
	assert_int_equal(sa.sun_path[0], 0);
	assert_memory_equal(sa.sun_path + 1, "abc", 3);
	assert_int_equal(len, offsetof(struct sockaddr_un, sun_path) + 4);
	assert_int_equal(mp_ipc_sockaddr("/run/x", &sa, &len), 0);
	assert_string_equal(sa.sun_path, "/run/x");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(mp_ipc_sockaddr(longname, &sa, &len), -EINVAL);
	assert_int_equal(mp_ipc_sockaddr("", &sa, &len), -EINVAL);
	setenv(MP_IPC_ENV_NAME, "@/test/mp-ipc-nobody-listens", 1);
	assert_true(mp_ipc_connect() < 0);
	unsetenv(MP_IPC_ENV_NAME);
}

static void test_config_timeout(void **state)
{
	char dir[] = "/tmp/test-ipc-XXXXXX", file[128], dropin[160];
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/multipath.conf", dir);
	f = fopen(file, "w");
	fputs("defaults {\n\tuxsock_timeout 12345\n\tuxsock_timeoutx 1\n}\n", f);
	fclose(f);
	assert_int_equal(mp_ipc_config_timeout(file, NULL), 12345);
	snprintf(dropin, sizeof(dropin), "%s/z.conf", dir);
	f = fopen(dropin, "w");
	fputs("  uxsock_timeout 777 # comment\n", f);
	fclose(f);
	assert_int_equal(mp_ipc_config_timeout(file, dir), 777);
	assert_int_equal(mp_ipc_config_timeout("/nonexistent", "/nonexistent"),
			 MP_IPC_DEFAULT_TIMEOUT_MS);
	unlink(dropin);
	unlink(file);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_large_reply),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_config_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
