// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `multipath [device]` without a daemon: find the paths in sysfs, group
 * them by WWID, decide with find_multipaths (an explicit device is always
 * taken), and create each missing map with one DM create.  Existing maps
 * are left alone (reloading them is the daemon's job).  Slow I/O is fine
 * here (prioritizers may send SCSI commands): this is a one-shot tool.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discovery/files.h"
#include "discovery/pathinfo.h"
#include "discovery/tunables.h"
#include "dm/dm.h"
#include "dm/table.h"
#include "grouping/group.h"
#include "multipath/multipath.h"
#include "prioritizers/prio.h"
#include "util/strbuf.h"
#include "util/util.h"

struct found {
	struct mp_path_info **v;
	size_t n;
};

static void found_done(struct found *f)
{
	for (size_t i = 0; i < f->n; i++)
		mp_path_info_free(f->v[i]);
	free(f->v);
}

static int scan_paths(struct mp_config *c, struct found *f)
{
	DIR *d = opendir("/sys/block");
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		struct mp_path_info *pi = NULL, **nv;
		const char *reason;

		if (de->d_name[0] == '.' || str_startswith(de->d_name, "dm-") ||
		    (c && mp_config_blacklisted_devnode(c, de->d_name, &reason) == 1))
			continue;
		if (mp_pathinfo_from_sysfs(de->d_name, NULL, NULL, NULL, &pi) < 0)
			continue;
		if (!pi->wwid || !*pi->wwid ||
		    (c && (mp_config_blacklisted_path(c, pi, NULL, NULL, &reason) == 1 ||
			   mp_config_blacklisted_wwid(c, pi->wwid, &reason) == 1))) {
			mp_path_info_free(pi);
			continue;
		}
		nv = realloc(f->v, (f->n + 1) * sizeof(*nv));
		if (!nv) {
			mp_path_info_free(pi);
			break;
		}
		f->v = nv;
		f->v[f->n++] = pi;
	}
	closedir(d);
	return 0;
}

static bool map_exists(const char *wwid)
{
	char link[512];

	snprintf(link, sizeof(link), "/dev/disk/by-id/dm-uuid-" MP_DM_UUID_PREFIX "%s", wwid);
	if (access(link, F_OK) == 0)
		return true;
	{
		_cleanup_free_ char *name = NULL;

		return mp_resolve_map(wwid, &name) == 0;
	}
}

static char *map_alias(const struct mp_opts *o, const struct mp_settings *s, const char *wwid)
{
	struct mp_config *c = mp_cmd_config();
	const struct mp_globals *g = c ? mp_config_globals(c) : NULL;
	const char *file = o->bindings_file ? o->bindings_file
			   : g && g->bindings_file ? g->bindings_file : MP_BINDINGS_FILE;
	char *alias = NULL;

	if (s->alias)
		return strdup(s->alias);
	if (s->user_friendly_names &&
	    mp_bindings_get_alias(file, wwid, s->alias_prefix ? s->alias_prefix : "mpath",
				  o->bindings_ro || o->dry_run, NULL, NULL, &alias) == 0)
		return alias;
	return strdup(wwid);
}

/* Table parameters for the paths `idx` of `f` with settings `s`. */
static int build_params(const struct mp_opts *o, struct mp_settings *s, struct found *f,
			const size_t *idx, size_t n, struct strbuf *params)
{
	struct mp_config *c = mp_cmd_config();
	struct mp_group_input *in = calloc(n, sizeof(*in));
	struct mp_grouping g = { 0 };
	struct mp_table *t = NULL;
	int r;

	if (!in)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct mp_path_info *pi = f->v[idx[i]];
		bool up = pi->state == SDEV_RUNNING || pi->state == SDEV_UNKNOWN;

		in[i] = (struct mp_group_input){
			.devt = pi->devt, .usable = up, .enabled = up, .serial = pi->serial,
			.tgt_wwnn = pi->tgt_wwnn, .tpg_id = pi->tpg_id,
			.prio = s->prio ? mp_prio_get(s->prio, s->prio_args, pi, -1, 5000)
					: MP_PRIO_UNDEF,
		};
	}
	if (o->policy && mp_pgpolicy_from_string(o->policy) >= 0)
		s->pgpolicy = mp_pgpolicy_from_string(o->policy);
	r = mp_group_paths(s->pgpolicy, in, n,
			   c && mp_config_globals(c)->marginal_pathgroups != MARGINAL_PG_OFF, &g);
	if (r == 0)
		r = mp_table_from_grouping(s, in, &g, false, &t);
	if (r == 0)
		r = mp_table_build(t, params);
	mp_table_free(t);
	mp_grouping_done(&g);
	free(in);
	return r < 0 ? r : 0;
}

static int create_one(const struct mp_opts *o, struct found *f, const size_t *idx, size_t n)
{
	const struct mp_path_info *pi = f->v[idx[0]];
	_cleanup_strbuf_ struct strbuf params = STRBUF_INIT;
	struct mp_settings *s = NULL;
	_cleanup_free_ char *alias = NULL, *uuid = NULL;
	int r;

	r = mp_config_resolve(mp_cmd_config(), pi, pi->wwid, &s);
	if (r < 0)
		return r;
	r = build_params(o, s, f, idx, n, &params);
	alias = r == 0 ? map_alias(o, s, pi->wwid) : NULL;
	mp_settings_free(s);
	if (r < 0 || !alias || asprintf(&uuid, MP_DM_UUID_PREFIX "%s", pi->wwid) < 0)
		return r < 0 ? r : -ENOMEM;
	if (o->verbosity >= 2)
		printf("%s: %s (%s) %s,%s\n", o->dry_run ? "create (dry run)" : "create", alias,
		       pi->wwid, pi->vendor ? pi->vendor : "##", pi->product ? pi->product : "##");
	if (o->verbosity >= 3 || o->dry_run)
		printf("0 %" PRIu64 " multipath %s\n", pi->size, strbuf_str(&params));
	if (o->dry_run)
		return 0;
	/* before the create: the map takes max_sectors_kb from its paths */
	for (size_t i = 0; i < n; i++)
		mp_tunables_apply_config(mp_cmd_config(), f->v[idx[i]], pi->wwid);
	r = mp_dm_create(alias, uuid, pi->size, strbuf_str(&params), 0);
	if (r < 0) {
		fprintf(stderr, "%s: create failed: %s\n", alias, strerror(-r));
		return r;
	}
	if (o->verbosity == 1)
		printf("%s\n", alias);
	return 0;
}

int mp_create_direct(const struct mp_opts *o, const char *dev)
{
	struct mp_config *c = mp_cmd_config();
	const struct mp_globals *g = c ? mp_config_globals(c) : NULL;
	const char *wfile = g && g->wwids_file ? g->wwids_file : MP_WWIDS_FILE;
	_cleanup_free_ char *only = NULL;
	struct found f = { 0 };
	bool *done;
	size_t *idx;
	int r, ret = 0;

	if (dev && mp_resolve_wwid(dev, &only) < 0) {
		fprintf(stderr, "%s: cannot get the WWID\n", dev);
		return 1;
	}
	r = scan_paths(c, &f);
	done = calloc(f.n + 1, sizeof(*done));
	idx = calloc(f.n + 1, sizeof(*idx));
	if (r < 0 || !done || !idx) {
		free(done);
		free(idx);
		found_done(&f);
		return 1;
	}
	for (size_t i = 0; i < f.n; i++) {
		const char *wwid = f.v[i]->wwid;
		size_t n = 0;
		bool in_file;

		if (done[i])
			continue;
		for (size_t j = i; j < f.n; j++)
			if (!done[j] && strcmp(f.v[j]->wwid, wwid) == 0) {
				done[j] = true;
				idx[n++] = j;
			}
		if ((only && strcmp(only, wwid) != 0) || map_exists(wwid))
			continue;
		in_file = !o->ignore_wwids && mp_wwids_check(wfile, wwid) == 1;
		if (!only && mp_should_multipath(g ? g->find_multipaths : FIND_STRICT, in_file,
						 false, (int)n, false) != MP_FIND_YES)
			continue;
		if (create_one(o, &f, idx, n) < 0)
			ret = 1;
		else if (!o->dry_run)
			mp_wwids_add(wfile, wwid);
	}
	free(done);
	free(idx);
	found_done(&f);
	return ret;
}
