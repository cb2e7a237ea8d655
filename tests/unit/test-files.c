// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's caches of the wwids and bindings files (files.c,
 * bindings.c): that additions are appended lines in the files' formats,
 * that a cache notices every change made by another writer (append,
 * rename, in-place rewrite) and otherwise does not read the file again,
 * that aliases come in the same order as without a cache, and that two
 * processes with caches of their own never lose or duplicate an entry.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "discovery/files.h"
#include "util/log.h"

static char tmpdir[64];
static char wwids[128], bindings[128];
static int warnings;

static void count_warn(int prio, const char *msg, void *ud)
{
	(void)msg;
	(void)ud;
	if (prio <= LOG_WARNING)
		warnings++;
}

static int setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/mp-test-fcache.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(wwids, sizeof(wwids), "%s/wwids", tmpdir);
	snprintf(bindings, sizeof(bindings), "%s/bindings", tmpdir);
	warnings = 0;
	mp_log_set_sink(count_warn, NULL);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	mp_log_set_sink(NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

static void write_text(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Lines of the file that are not comments, joined by '|'. */
static void data_lines(const char *path, char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && line[0] != '#')
			snprintf(buf + strlen(buf), len - strlen(buf), "%s|", line);
	}
	fclose(f);
}

static ino_t inode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

/* A cache must not keep the file locked once its call returned (flock
 * belongs to the open file description, which a dup would share). */
static void assert_unlocked(const char *path)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	close(fd);
}

static char *alias_for(struct mp_bindings_cache *c, const char *wwid)
{
	char *alias = NULL;

	assert_int_equal(mp_bindings_cache_get_alias(c, bindings, wwid, "mpath", false, NULL,
						     NULL, &alias), 0);
	return alias;
}

static void expect_alias(struct mp_bindings_cache *c, const char *wwid, const char *want)
{
	char *alias = alias_for(c, wwid);

	assert_string_equal(alias, want);
	free(alias);
}

static void test_wwids_append(void **state)
{
	struct mp_wwids_cache *c = mp_wwids_cache_new();
	char buf[512];
	ino_t ino;

	(void)state;
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3a"), 0);
	assert_int_equal(mp_wwids_cache_add(c, wwids, "3a"), 1);
	ino = inode_of(wwids);
	assert_int_equal(mp_wwids_cache_add(c, wwids, "3b"), 1);
	assert_int_equal(mp_wwids_cache_add(c, wwids, "3a"), 0);
	assert_int_equal(mp_wwids_cache_add(c, wwids, "bad/one"), -EINVAL);
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3b"), 1);
	assert_unlocked(wwids);
	/* appended in place, not replaced */
	assert_int_equal(inode_of(wwids), ino);
	data_lines(wwids, buf, sizeof(buf));
	assert_string_equal(buf, "/3a/|/3b/|");
	/* the header went in once, first */
	{
		FILE *f = fopen(wwids, "r");

		assert_non_null(f);
		assert_non_null(fgets(buf, sizeof(buf), f));
		assert_int_equal(buf[0], '#');
		fclose(f);
	}
	mp_wwids_cache_free(c);
	assert_int_equal(warnings, 0);
}

/* Another writer changes the file: by appending (same inode), by
 * renaming a new file over it (multipath -w), by rewriting it in place. */
static void test_wwids_invalidation(void **state)
{
	struct mp_wwids_cache *c = mp_wwids_cache_new();

	(void)state;
	assert_int_equal(mp_wwids_cache_add(c, wwids, "3a"), 1);
	assert_int_equal(mp_wwids_add(wwids, "3b"), 1);
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3b"), 1);
	assert_int_equal(mp_wwids_cache_add(c, wwids, "3b"), 0);
	assert_int_equal(mp_wwids_remove(wwids, "3a"), 1);
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3a"), 0);
	assert_int_equal(mp_wwids_cache_add(c, wwids, "3a"), 1);
	write_text(wwids, "w", "/3x/\n");
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3a"), 0);
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3x"), 1);
	/* another file name is another cache content */
	assert_int_equal(mp_wwids_cache_check(c, bindings, "3x"), 0);
	mp_wwids_cache_free(c);
}

/* Corrupt lines are skipped, the cache reads a file once while it is
 * unchanged (one warning, not one per call), and an append after a last
 * line without newline starts a line of its own. */
static void test_wwids_corrupt(void **state)
{
	struct mp_wwids_cache *c = mp_wwids_cache_new();
	char buf[512];
	char **v = NULL;

	(void)state;
	write_text(wwids, "w", "# h\n/3good/\ngarbage\n/3last/");
	assert_int_equal(mp_wwids_cache_check(c, wwids, "garbage"), 0);
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3good"), 1);
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3last"), 1);
	assert_int_equal(warnings, 1);
	assert_int_equal(mp_wwids_cache_add(c, wwids, "3new"), 1);
	assert_int_equal(mp_wwids_cache_check(c, wwids, "3new"), 1);
	assert_int_equal(warnings, 1);
	data_lines(wwids, buf, sizeof(buf));
	assert_string_equal(buf, "/3good/|garbage|/3last/|/3new/|");
	assert_int_equal(mp_wwids_list(wwids, &v), 0);
	assert_string_equal(v[2], "3new");
	assert_null(v[3]);
	mp_strv_free(v);
	mp_wwids_cache_free(c);
}

/* mpatha … mpathz, mpathaa …; lowest free index; gaps filled. */
static void test_bindings_order(void **state)
{
	struct mp_bindings_cache *c = mp_bindings_cache_new();
	char wwid[32], want[16], buf[2048];
	unsigned int i;

	(void)state;
	write_text(bindings, "w", "# h\nmpathb 3pre-b\nmpathd 3pre-d\nmpathb 3dup\nzz\n");
	for (i = 0; i < 30; i++) {
		unsigned int n = i < 1 ? 0 : i < 2 ? 2 : i + 2;

		snprintf(wwid, sizeof(wwid), "3w%02u", i);
		mp_alias_format("mpath", n, want, sizeof(want));
		expect_alias(c, wwid, want);
	}
	assert_int_equal(warnings, 2);
	expect_alias(c, "3w29", "mpathaf");
	expect_alias(c, "3pre-d", "mpathd");
	data_lines(bindings, buf, sizeof(buf));
	assert_non_null(strstr(buf, "zz|mpatha 3w00|mpathc 3w01|mpathe 3w02|"));
	assert_non_null(strstr(buf, "|mpathaf 3w29|"));
	mp_bindings_cache_free(c);
}

/* A binding written by someone else is never handed out again, and an
 * alias freed by someone else is the lowest free one again. */
static void test_bindings_invalidation(void **state)
{
	struct mp_bindings_cache *c = mp_bindings_cache_new();
	char *alias = NULL;

	(void)state;
	expect_alias(c, "3a", "mpatha");
	expect_alias(c, "3b", "mpathb");
	assert_unlocked(bindings);
	/* another daemon allocates mpathc */
	assert_int_equal(mp_bindings_get_alias(bindings, "3other", "mpath", false, NULL, NULL,
					       &alias), 0);
	assert_string_equal(alias, "mpathc");
	free(alias);
	expect_alias(c, "3c", "mpathd");
	/* multipath -a style rebinding frees mpatha (file renamed over) */
	assert_int_equal(mp_bindings_set(bindings, "mydb", "3a"), 0);
	expect_alias(c, "3e", "mpatha");
	expect_alias(c, "3a", "mydb");
	/* hand edit in place taking mpathe */
	write_text(bindings, "a", "mpathe 3hand\n");
	expect_alias(c, "3f", "mpathf");
	assert_int_equal(mp_bindings_cache_get_alias(c, bindings, "3hand", "mpath", true, NULL,
						     NULL, &alias), 0);
	assert_string_equal(alias, "mpathe");
	free(alias);
	assert_int_equal(mp_bindings_cache_get_alias(c, bindings, "3none", "mpath", true, NULL,
						     NULL, &alias), -ENOENT);
	mp_bindings_cache_free(c);
}

static bool in_use_a(const char *alias, void *ud)
{
	(void)ud;
	return !strcmp(alias, "mpatha");
}

/* A name taken by a foreign DM map is skipped only while it is taken. */
static void test_bindings_in_use(void **state)
{
	struct mp_bindings_cache *c = mp_bindings_cache_new();
	char *alias = NULL;

	(void)state;
	assert_int_equal(mp_bindings_cache_get_alias(c, bindings, "3a", "mpath", false, in_use_a,
						     NULL, &alias), 0);
	assert_string_equal(alias, "mpathb");
	free(alias);
	expect_alias(c, "3b", "mpatha");
	expect_alias(c, "3c", "mpathc");
	/* another prefix has indexes of its own */
	assert_int_equal(mp_bindings_cache_get_alias(c, bindings, "3d", "data", false, NULL,
						     NULL, &alias), 0);
	assert_string_equal(alias, "dataa");
	free(alias);
	expect_alias(c, "3e", "mpathd");
	mp_bindings_cache_free(c);
}

enum { EACH = 150 };

static int child_work(int who)
{
	struct mp_bindings_cache *bc = mp_bindings_cache_new();
	struct mp_wwids_cache *wc = mp_wwids_cache_new();
	int i, bad = 0;

	for (i = 0; i < EACH && !bad; i++) {
		char wwid[32], *alias = NULL;

		snprintf(wwid, sizeof(wwid), "3p%dw%d", who, i);
		bad = mp_bindings_cache_get_alias(bc, bindings, wwid, "mpath", false, NULL, NULL,
						  &alias) < 0 ||
		      mp_wwids_cache_add(wc, wwids, wwid) != 1;
		free(alias);
	}
	mp_bindings_cache_free(bc);
	mp_wwids_cache_free(wc);
	return bad;
}

/* Two processes, each with its own caches, interleave: every WWID is
 * listed once, every alias bound once, and the aliases used are exactly
 * the lowest 2*EACH indexes. */
static void test_concurrent_writers(void **state)
{
	struct mp_bindings b;
	char **v = NULL;
	bool *seen = calloc(2 * EACH, sizeof(bool));
	int status, n;
	size_t i;
	pid_t pid;

	(void)state;
	assert_non_null(seen);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_work(1));
	assert_int_equal(child_work(0), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(mp_bindings_read(bindings, &b), 0);
	assert_int_equal(b.n, 2 * EACH);
	for (i = 0; i < b.n; i++) {
		n = mp_alias_index("mpath", b.v[i].alias);
		assert_true(n >= 0 && n < 2 * EACH);
		assert_false(seen[n]);
		seen[n] = true;
	}
	mp_bindings_done(&b);
	assert_int_equal(mp_wwids_list(wwids, &v), 0);
	for (i = 0; v[i]; i++)
		;
	assert_int_equal(i, 2 * EACH);
	mp_strv_free(v);
	free(seen);
	assert_int_equal(warnings, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wwids_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wwids_invalidation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wwids_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bindings_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bindings_invalidation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bindings_in_use, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
