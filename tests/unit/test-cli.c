// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command parser: every command of the table, the aliases, prefixes,
 * ambiguity, parameters, quoting, bad and oversized input, completion.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "multipathd/cli.h"

struct parse_case {
	const char *line;
	enum cli_cmd_id id;
	bool ro;
};

static const struct parse_case good[] = {
	{ "show paths", CMD_SHOW_PATHS, true },
	{ "list paths", CMD_SHOW_PATHS, true },
	{ "show paths format %d", CMD_SHOW_PATHS_FMT, true },
	{ "show paths raw format %d", CMD_SHOW_PATHS_RAW_FMT, true },
	{ "show path sda", CMD_SHOW_PATH, true },
	{ "show maps", CMD_SHOW_MAPS, true },
	{ "show multipaths", CMD_SHOW_MAPS, true },
	{ "show maps format %n", CMD_SHOW_MAPS_FMT, true },
	{ "show maps raw format %n", CMD_SHOW_MAPS_RAW_FMT, true },
	{ "show maps status", CMD_SHOW_MAPS_STATUS, true },
	{ "show maps stats", CMD_SHOW_MAPS_STATS, true },
	{ "show maps topology", CMD_SHOW_MAPS_TOPOLOGY, true },
	{ "show topology", CMD_SHOW_TOPOLOGY, true },
	{ "show maps json", CMD_SHOW_MAPS_JSON, true },
	{ "show map mpatha topology", CMD_SHOW_MAP_TOPOLOGY, true },
	{ "show multipath mpatha topology", CMD_SHOW_MAP_TOPOLOGY, true },
	{ "show map mpatha format %n", CMD_SHOW_MAP_FMT, true },
	{ "show map mpatha raw format %n", CMD_SHOW_MAP_RAW_FMT, true },
	{ "show map mpatha json", CMD_SHOW_MAP_JSON, true },
	{ "show status", CMD_SHOW_STATUS, true },
	{ "show daemon", CMD_SHOW_DAEMON, true },
	{ "show config", CMD_SHOW_CONFIG, true },
	{ "show config local", CMD_SHOW_CONFIG_LOCAL, true },
	{ "show blacklist", CMD_SHOW_BLACKLIST, true },
	{ "show devices", CMD_SHOW_DEVICES, true },
	{ "show wildcards", CMD_SHOW_WILDCARDS, true },
	{ "show stats", CMD_SHOW_STATS, true },
	{ "show stats json", CMD_SHOW_STATS_JSON, true },
	{ "show path-claim sdb", CMD_SHOW_CLAIM, true },
	{ "show path-claim sdb wwid 3600a", CMD_SHOW_CLAIM, true },
	{ "reset maps stats", CMD_RESET_MAPS_STATS, false },
	{ "reset map mpatha stats", CMD_RESET_MAP_STATS, false },
	{ "add path sdb", CMD_ADD_PATH, false },
	{ "del path sdb", CMD_DEL_PATH, false },
	{ "remove path sdb", CMD_DEL_PATH, false },
	{ "add map mpatha", CMD_ADD_MAP, false },
	{ "del map mpatha", CMD_DEL_MAP, false },
	{ "del maps", CMD_DEL_MAPS, false },
	{ "remove multipaths", CMD_DEL_MAPS, false },
	{ "switch map mpatha group 2", CMD_SWITCH_GROUP, false },
	{ "switchgroup map mpatha group 2", CMD_SWITCH_GROUP, false },
	{ "reconfigure", CMD_RECONFIGURE, false },
	{ "reconfigure all", CMD_RECONFIGURE_ALL, false },
	{ "suspend map mpatha", CMD_SUSPEND_MAP, false },
	{ "resume map mpatha", CMD_RESUME_MAP, false },
	{ "resize map mpatha", CMD_RESIZE_MAP, false },
	{ "reload map mpatha", CMD_RELOAD_MAP, false },
	{ "reset map mpatha", CMD_RESET_MAP, false },
	{ "fail path sdb", CMD_FAIL_PATH, false },
	{ "reinstate path sdb", CMD_REINSTATE_PATH, false },
	{ "disablequeueing maps", CMD_DISABLEQ_MAPS, false },
	{ "disablequeueing map mpatha", CMD_DISABLEQ_MAP, false },
	{ "disablequeueing daemon", CMD_DISABLEQ_DAEMON, false },
	{ "restorequeueing maps", CMD_RESTOREQ_MAPS, false },
	{ "restorequeueing map mpatha", CMD_RESTOREQ_MAP, false },
	{ "restorequeueing daemon", CMD_RESTOREQ_DAEMON, false },
	{ "forcequeueing daemon", CMD_FORCEQ_DAEMON, false },
	{ "getprstatus map mpatha", CMD_GETPRSTATUS, false },
	{ "setprstatus map mpatha", CMD_SETPRSTATUS, false },
	{ "setprstatus map mpatha pathlist sda,sdb", CMD_SETPRSTATUS_LIST, false },
	{ "unsetprstatus map mpatha", CMD_UNSETPRSTATUS, false },
	{ "getprkey map mpatha", CMD_GETPRKEY, false },
	{ "setprkey map mpatha key 0x123", CMD_SETPRKEY, false },
	{ "unsetprkey map mpatha", CMD_UNSETPRKEY, false },
	{ "getprhold map mpatha", CMD_GETPRHOLD, false },
	{ "setprhold map mpatha", CMD_SETPRHOLD, false },
	{ "unsetprhold map mpatha", CMD_UNSETPRHOLD, false },
	{ "setmarginal path sdb", CMD_SETMARGINAL, false },
	{ "unsetmarginal path sdb", CMD_UNSETMARGINAL, false },
	{ "unsetmarginal map mpatha", CMD_UNSETMARGINAL_MAP, false },
	{ "shutdown", CMD_SHUTDOWN, false },
	{ "quit", CMD_QUIT, false },
	{ "exit", CMD_QUIT, false },
	{ "wait map 3600a", CMD_WAIT_MAP, false },
	{ "wait map 3600a timeout 5", CMD_WAIT_MAP_TIMEOUT, false },
};

static void test_every_command(void **state)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct cli_cmd c;
		int r = cli_parse(good[i].line, &c, NULL);

		if (r != 0 || c.id != good[i].id || c.read_only != good[i].ro)
			fail_msg("'%s': r=%d id=%d", good[i].line, r, r ? -1 : (int)c.id);
		cli_cmd_done(&c);
	}
}

static int parse_id(const char *line)
{
	struct cli_cmd c;
	int r = cli_parse(line, &c, NULL);

	if (r < 0)
		return r;
	cli_cmd_done(&c);
	return (int)c.id;
}

static void test_prefixes(void **state)
{
	assert_int_equal(parse_id("sh pa"), -ENOTUNIQ);
	assert_int_equal(parse_id("sh paths"), CMD_SHOW_PATHS);
	assert_int_equal(parse_id("s paths"), CMD_SHOW_PATHS);
	assert_int_equal(parse_id("sh map x top"), CMD_SHOW_MAP_TOPOLOGY);
	assert_int_equal(parse_id("sh maps st"), -ENOTUNIQ);      /* status/stats */
	assert_int_equal(parse_id("sh maps stat"), -ENOTUNIQ);
	assert_int_equal(parse_id("sh maps stats"), CMD_SHOW_MAPS_STATS);
	assert_int_equal(parse_id("sh maps statu"), CMD_SHOW_MAPS_STATUS);
	assert_int_equal(parse_id("sh p"), -ENOTUNIQ);            /* path, paths, … */
	assert_int_equal(parse_id("sw map x gr 1"), CMD_SWITCH_GROUP);
	assert_int_equal(parse_id("re map x"), -ENOTUNIQ);
	assert_int_equal(parse_id("recon"), CMD_RECONFIGURE);
	assert_int_equal(parse_id("disable maps"), CMD_DISABLEQ_MAPS);
	assert_int_equal(parse_id("show path-c sda"), CMD_SHOW_CLAIM);
	assert_int_equal(parse_id("SHOW paths"), -EINVAL);        /* case matters */
}

static void test_params(void **state)
{
	struct cli_cmd c;

	assert_int_equal(cli_parse("switch map 'my map' group 3", &c, NULL), 0);
	assert_string_equal(cli_param(&c, KW_MAP), "my map");
	assert_string_equal(cli_param(&c, KW_GROUP), "3");
	cli_cmd_done(&c);
	assert_int_equal(cli_parse("show maps format \"%n \\\"%w\\\"\"", &c, NULL), 0);
	assert_string_equal(cli_param(&c, KW_FORMAT), "%n \"%w\"");
	cli_cmd_done(&c);
	assert_int_equal(cli_parse("  show   paths \n", &c, NULL), 0);
	cli_cmd_done(&c);
}

static void test_bad_input(void **state)
{
	static const char *const bad[] = {
		"", "   ", "foo", "show", "show path", "show map", "show bogus",
		"paths show", "switch map x", "show maps format", "show 'unterminated",
		"show paths paths", "del", "add path a b", "show maps json json",
		"\x01\x02", "show map x group", "wait map", "show paths extra words here too",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cli_cmd c;
		struct strbuf err = STRBUF_INIT;

		if (cli_parse(bad[i], &c, &err) >= 0)
			fail_msg("'%s' parsed", bad[i]);
		assert_non_null(strstr(strbuf_str(&err), "list|show paths"));
		strbuf_done(&err);
	}
}

static void test_too_long(void **state)
{
	char line[2048];
	struct cli_cmd c;

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(cli_parse(line, &c, NULL), -E2BIG);
	line[510] = '\0';
	assert_int_equal(cli_parse(line, &c, NULL), -EINVAL);
	/* too many words */
	assert_int_equal(cli_parse("show a a a a a a a a a a a a a a a a a a a", &c, NULL), -E2BIG);
}

static void test_read_only(void **state)
{
	assert_true(cli_line_is_read_only("show maps"));
	assert_true(cli_line_is_read_only("list paths"));
	assert_true(cli_line_is_read_only("sh bogus"));
	assert_true(cli_line_is_read_only("garbage"));
	assert_false(cli_line_is_read_only("del maps"));
	assert_false(cli_line_is_read_only("shutdown"));
	assert_false(cli_line_is_read_only("reconfigure all"));
}

static void test_complete(void **state)
{
	const char **v;
	char *w1[] = { "show" };
	char *w2[] = { "show", "map", "mpatha" };
	int n;

	n = cli_complete(NULL, 0, "sh", &v);
	assert_int_equal(n, 2);         /* show, shutdown */
	free(v);
	n = cli_complete(w1, 1, "top", &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "topology");
	free(v);
	n = cli_complete(w2, 3, "", &v);
	assert_true(n >= 4);            /* topology, format, raw, json */
	free(v);
	n = cli_complete(w1, 1, "zz", &v);
	assert_int_equal(n, 0);
	free(v);
}

static void test_split(void **state)
{
	char buf[64], *w[4];

	assert_int_equal(cli_split("a 'b c' \"d\\\"e\"", buf, w, 4), 3);
	assert_string_equal(w[1], "b c");
	assert_string_equal(w[2], "d\"e");
	assert_int_equal(cli_split("a b c d e", buf, w, 4), -E2BIG);
	assert_int_equal(cli_split("a \"b", buf, w, 4), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
