/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text and JSON views of the topology: `%` wildcards for maps, paths and
 * path groups, column tables, the `multipath -ll` tree and the JSON
 * documents libdmmp reads.  Callers hold rcu_read_lock() and pass arrays
 * of objects they collected; printers only read (snapshots, uatomic live
 * state), never block, and never touch the hash tables, so tests feed
 * hand-built objects.
 */
#ifndef MULTIPATHD_PRINT_H
#define MULTIPATHD_PRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "topology/topology.h"
#include "util/strbuf.h"

#define PRINT_MAPS_DEFAULT_FMT "%n %d %w"
#define PRINT_MAPS_STATUS_FMT "%n %F %Q %N %t %r"
#define PRINT_MAPS_STATS_FMT "%n %0 %1 %2 %3 %4"
#define PRINT_PATHS_DEFAULT_FMT "%i %d %D %p %t %T %o %C"
#define PRINT_JSON_MAJOR 0
#define PRINT_JSON_MINOR 1

/* Column tables.  header=false is the `raw` form: no header, no padding. */
int print_maps_table(struct strbuf *out, struct mp_map *const *maps, size_t n,
		     const char *fmt, bool header);
int print_paths_table(struct strbuf *out, struct mp_path *const *paths, size_t n,
		      const char *fmt, bool header);
/* One wildcard expansion of `fmt` for one object (no padding). */
int print_map_line(struct strbuf *out, const struct mp_map *m, const char *fmt);
int print_path_line(struct strbuf *out, const struct mp_path *p, const char *fmt);
int print_group_line(struct strbuf *out, const struct mp_pg_snap *pg, const char *fmt);

/* `multipath -ll` tree for the maps, path columns aligned across them. */
int print_topology(struct strbuf *out, struct mp_map *const *maps, size_t n);
/* JSON: `{"major_version":0,…,"maps":[…]}`, or with single=true and n==1
 * `{…,"map":{…}}`. */
int print_maps_json(struct strbuf *out, struct mp_map *const *maps, size_t n, bool single);
/* `show wildcards` */
int print_wildcards(struct strbuf *out);

/* dm-N name of a map snapshot ("dm-3") into buf */
const char *print_dm_name(const struct mp_map_snap *s, char *buf, size_t len);
/* The strings the printers use for states, exported for `show status`. */
const char *print_chk_state(int s);
const char *print_dm_state(int s);
const char *print_pg_state(int s);

#endif
