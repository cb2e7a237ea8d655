// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Printers against hand-built topology objects: default tables, raw and
 * custom formats, every wildcard, the -ll tree, JSON parsed back with json-c
 * (including names that need escaping).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "multipathd/print.h"

struct fixture {
	struct mp_path_info pi[3];
	struct mp_path p[3];
	struct mp_path *pg1[2], *pg2[1];
	struct mp_pg_snap pgs[2];
	struct mp_map_snap snap;
	struct mp_map map;
};

static void set_path(struct fixture *f, int i, const char *dev, int h, int maj, int mn,
		     int chk, int dm)
{
	f->pi[i] = (struct mp_path_info){
		.devname = (char *)dev, .devt = makedev(maj, mn), .size = 32768,
		.vendor = "Linux", .product = "scsi_debug", .revision = "0191",
		.host = h, .channel = 0, .target = 0, .lun = 0, .wwid = "3600a",
		.state = SDEV_RUNNING, .tpg_id = -1, .proto = PROTO_SCSI_SAS,
	};
	f->p[i] = (struct mp_path){
		.devt = makedev(maj, mn), .info = &f->pi[i], .map = &f->map,
		.chk_state = chk, .dm_state = dm, .prio = 50, .checkint = 20,
		.tick = 15, .checker_name = "tur",
	};
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	set_path(f, 0, "sda", 2, 8, 0, PATH_UP, DMP_ACTIVE);
	set_path(f, 1, "sdb", 3, 8, 16, PATH_DOWN, DMP_FAILED);
	set_path(f, 2, "sdaa", 14, 65, 160, PATH_GHOST, DMP_ACTIVE);
	f->p[2].prio = 1;
	f->pg1[0] = &f->p[0];
	f->pg1[1] = &f->p[1];
	f->pg2[0] = &f->p[2];
	f->pgs[0] = (struct mp_pg_snap){ .prio = 50, .state = PGS_ACTIVE,
		.selector = "service-time 0", .n_paths = 2, .paths = f->pg1 };
	f->pgs[1] = (struct mp_pg_snap){ .prio = 1, .state = PGS_ENABLED,
		.selector = "service-time 0", .n_paths = 1, .paths = f->pg2 };
	f->snap = (struct mp_map_snap){
		.name = "mpatha", .wwid = "3600a", .devt = makedev(253, 0),
		.size = 32768, .features = "1 queue_if_no_path", .hwhandler = "1 alua",
		.vendor = "Linux", .product = "scsi_debug", .revision = "0191",
		.failback = FB_IMMEDIATE, .no_path_retry = NPR_QUEUE, .queueing = true,
		.active_pg = 1, .n_active_paths = 2, .action = "create",
		.n_pgs = 2, .pgs = f->pgs,
	};
	f->map.wwid = "3600a";
	f->map.snap = &f->snap;
	f->map.stats.map_loads = 3;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void test_paths_default(void **state)
{
	struct fixture *f = *state;
	struct mp_path *v[] = { &f->p[0], &f->p[1], &f->p[2] };
	struct strbuf sb = STRBUF_INIT;

	print_paths_table(&sb, v, 3, PRINT_PATHS_DEFAULT_FMT, true);
	assert_string_equal(strbuf_str(&sb),
		"hcil     dev  dev_t  pri dm_st  chk_st dev_st  next_check\n"
		"2:0:0:0  sda  8:0    50  active ready  running XX........ 5/20\n"
		"3:0:0:0  sdb  8:16   50  failed faulty running XX........ 5/20\n"
		"14:0:0:0 sdaa 65:160 1   active ghost  running XX........ 5/20\n");
	strbuf_done(&sb);
	print_paths_table(&sb, v, 2, "%d %D", false);
	assert_string_equal(strbuf_str(&sb), "sda 8:0\nsdb 8:16\n");
	strbuf_done(&sb);
}

static void test_maps_default(void **state)
{
	struct fixture *f = *state;
	struct mp_map *v[] = { &f->map };
	struct strbuf sb = STRBUF_INIT;

	print_maps_table(&sb, v, 1, PRINT_MAPS_DEFAULT_FMT, true);
	assert_string_equal(strbuf_str(&sb), "name   sysfs uuid\nmpatha dm-0  3600a\n");
	strbuf_done(&sb);
	print_maps_table(&sb, v, 1, PRINT_MAPS_STATUS_FMT, true);
	assert_string_equal(strbuf_str(&sb),
		"name   failback  queueing paths dm-st  write_prot\n"
		"mpatha immediate on       2     active rw\n");
	strbuf_done(&sb);
	print_maps_table(&sb, v, 1, PRINT_MAPS_STATS_FMT, false);
	assert_string_equal(strbuf_str(&sb), "mpatha 0 0 3 0 0\n");
	strbuf_done(&sb);
}

static void test_every_map_wildcard(void **state)
{
	struct fixture *f = *state;
	struct strbuf sb = STRBUF_INIT;

	print_map_line(&sb, &f->map, "%n|%w|%d|%F|%Q|%N|%r|%t|%S|%f|%x|%h|%A|%0|%1|%2|%3|%4|%s|%v|%p|%e|%G|%g|%k|%%|%Z");
	assert_string_equal(strbuf_str(&sb),
		"mpatha|3600a|dm-0|immediate|on|2|rw|active|16M|1 queue_if_no_path|0|1 alua|create|0|0|3|0|0|"
		"Linux,scsi_debug|Linux|scsi_debug|0191|--|[undef]|[undef]|%|%Z");
	strbuf_done(&sb);
}

static void test_every_path_wildcard(void **state)
{
	struct fixture *f = *state;
	struct strbuf sb = STRBUF_INIT;

	print_path_line(&sb, &f->p[1], "%w|%i|%d|%D|%t|%o|%T|%s|%c|%p|%S|%z|%M|%m|%N|%0|%P|%I|%L|%A|%k");
	assert_string_equal(strbuf_str(&sb),
		"3600a|3:0:0:0|sdb|8:16|failed|running|faulty|Linux,scsi_debug,0191|tur|50|16M|"
		"[undef]|normal|mpatha|[undef]|0|scsi:sas|ok|0x0000000000000000|[undef]|[undef]");
	strbuf_done(&sb);
	f->p[1].map = NULL;
	print_path_line(&sb, &f->p[1], "%m %C");
	assert_string_equal(strbuf_str(&sb), "[orphan] orphan");
	strbuf_done(&sb);
	print_group_line(&sb, &f->pgs[0], "%s %p %t %M");
	assert_string_equal(strbuf_str(&sb), "service-time 0 50 active normal");
	strbuf_done(&sb);
}

static void test_topology(void **state)
{
	struct fixture *f = *state;
	struct mp_map *v[] = { &f->map };
	struct strbuf sb = STRBUF_INIT;

	print_topology(&sb, v, 1);
	assert_string_equal(strbuf_str(&sb),
		"mpatha (3600a) dm-0 Linux,scsi_debug\n"
		"size=16M features='1 queue_if_no_path' hwhandler='1 alua' wp=rw\n"
		"|-+- policy='service-time 0' prio=50 status=active\n"
		"| |- 2:0:0:0  sda  8:0    active ready  running\n"
		"| `- 3:0:0:0  sdb  8:16   failed faulty running\n"
		"`-+- policy='service-time 0' prio=1 status=enabled\n"
		"  `- 14:0:0:0 sdaa 65:160 active ghost  running\n");
	strbuf_done(&sb);
	f->snap.name = "3600a";
	print_topology(&sb, v, 1);
	assert_true(strncmp(strbuf_str(&sb), "3600a dm-0 Linux,scsi_debug\n", 28) == 0);
	strbuf_done(&sb);
}

static void test_json(void **state)
{
	struct fixture *f = *state;
	struct mp_map *v[] = { &f->map, &f->map };
	struct strbuf sb = STRBUF_INIT;
	struct json_object *root, *maps, *m, *pgs, *pg, *paths, *p, *o;

	f->snap.name = "we\"ird\\na\nme\t\x01";
	print_maps_json(&sb, v, 2, false);
	root = json_tokener_parse(strbuf_str(&sb));
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "major_version", &o));
	assert_int_equal(json_object_get_int(o), 0);
	assert_true(json_object_object_get_ex(root, "maps", &maps));
	assert_int_equal(json_object_array_length(maps), 2);
	m = json_object_array_get_idx(maps, 0);
	assert_true(json_object_object_get_ex(m, "name", &o));
	assert_string_equal(json_object_get_string(o), f->snap.name);
	assert_true(json_object_object_get_ex(m, "paths", &o));
	assert_true(json_object_is_type(o, json_type_int));
	assert_true(json_object_object_get_ex(m, "map_loads", &o));
	assert_int_equal(json_object_get_int(o), 3);
	assert_true(json_object_object_get_ex(m, "path_groups", &pgs));
	assert_int_equal(json_object_array_length(pgs), 2);
	pg = json_object_array_get_idx(pgs, 1);
	assert_true(json_object_object_get_ex(pg, "group", &o));
	assert_int_equal(json_object_get_int(o), 2);
	assert_true(json_object_object_get_ex(pg, "paths", &paths));
	p = json_object_array_get_idx(paths, 0);
	assert_true(json_object_object_get_ex(p, "dev", &o));
	assert_string_equal(json_object_get_string(o), "sdaa");
	assert_true(json_object_object_get_ex(p, "chk_st", &o));
	assert_string_equal(json_object_get_string(o), "ghost");
	json_object_put(root);
	strbuf_done(&sb);

	print_maps_json(&sb, v, 1, true);
	root = json_tokener_parse(strbuf_str(&sb));
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "map", &m));
	assert_true(json_object_object_get_ex(m, "sysfs", &o));
	assert_string_equal(json_object_get_string(o), "dm-0");
	json_object_put(root);
	strbuf_done(&sb);

	print_maps_json(&sb, v, 0, false);
	root = json_tokener_parse(strbuf_str(&sb));
	assert_non_null(root);
	json_object_put(root);
	strbuf_done(&sb);
}

static void test_wildcards_help(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	print_wildcards(&sb);
	assert_non_null(strstr(strbuf_str(&sb), "%n  name"));
	assert_non_null(strstr(strbuf_str(&sb), "%i  hcil"));
	assert_non_null(strstr(strbuf_str(&sb), "pathgroup format wildcards"));
	strbuf_done(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maps_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_map_wildcard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_path_wildcard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_topology, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wildcards_help, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
