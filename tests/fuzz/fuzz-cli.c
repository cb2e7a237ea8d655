// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the command language and the format engine: any
 * bytes go through cli_parse (with the help text on errors), the
 * read-only classifier and completion; the same bytes are then used as a
 * format string for map, path and group wildcards on a fixed topology.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "multipathd/cli.h"
#include "multipathd/print.h"

static struct mp_path_info pi = {
	.devname = "sda", .vendor = "V", .product = "P", .revision = "R",
	.wwid = "3600", .tpg_id = -1,
};
static struct mp_map map;
static struct mp_path path = { .info = &pi, .map = &map, .checkint = 5, .tick = 2 };
static struct mp_path *pvec[] = { &path };
static struct mp_pg_snap pg = { .selector = "round-robin 0", .n_paths = 1, .paths = pvec };
static struct mp_map_snap snap = {
	.name = "mpatha", .wwid = "3600", .n_pgs = 1, .pgs = &pg, .features = "0",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	char *line = malloc(size + 1), *words[CLI_MAX_WORDS], *storage;
	struct cli_cmd c;
	const char **v = NULL;
	struct mp_map *mv[] = { &map };
	int n;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	map.snap = &snap;
	path.devt = makedev(8, 0);
	if (cli_parse(line, &c, &err) == 0)
		cli_cmd_done(&c);
	(void)cli_line_is_read_only(line);
	storage = malloc(size + 1);
	n = cli_split(line, storage, words, CLI_MAX_WORDS);
	if (n > 0 && cli_complete(words, (size_t)n - 1, words[n - 1], &v) >= 0)
		free(v);
	free(storage);
	if (size < 256) {
		print_maps_table(&out, mv, 1, line, true);
		print_paths_table(&out, pvec, 1, line, false);
		print_group_line(&out, &pg, line);
	}
	strbuf_done(&out);
	strbuf_done(&err);
	free(line);
	return 0;
}
