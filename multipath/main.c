// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `multipath`: inspect and manage multipath maps.  When multipathd runs,
 * every change is delegated to it over the socket (it owns the maps;
 * two writers would fight), and -l/-ll print its view.  Without a daemon
 * the command reads DM and sysfs itself and performs flushes and wwids
 * file updates directly.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "discovery/files.h"
#include "discovery/pathinfo.h"
#include "dm/dm.h"
#include "ipc/ipc.h"
#include "multipath/multipath.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/util.h"

enum action {
	ACT_CREATE, ACT_LIST, ACT_FLUSH, ACT_FLUSH_ALL, ACT_RELOAD, ACT_DUMP,
	ACT_DUMP_USER, ACT_ADD_WWID, ACT_DEL_WWID, ACT_RESET_WWIDS, ACT_CLAIM,
	ACT_CLAIM_UDEV, ACT_USABLE, ACT_USABLE_UDEV, ACT_HELP,
};

/* ---- name resolution ---- */

static int dm_name_of_sysfs(const char *blk, char **ret)
{
	char path[512], *name = NULL;

	snprintf(path, sizeof(path), "/sys/block/%s/dm/name", blk);
	if (read_file_str(path, &name) < 0)
		return -ENODEV;
	*ret = name;
	return 0;
}

static int holder_map(const char *blk, char **ret)
{
	char path[256];
	struct dirent *de;
	DIR *d;
	int r = -ENODEV;

	snprintf(path, sizeof(path), "/sys/block/%s/holders", blk);
	d = opendir(path);
	if (!d)
		return -ENODEV;
	while (r < 0 && (de = readdir(d)))
		if (str_startswith(de->d_name, "dm-"))
			r = dm_name_of_sysfs(de->d_name, ret);
	closedir(d);
	return r;
}

static int map_by_wwid(const char *wwid, char **ret)
{
	struct mp_dm_list_entry *l = NULL;
	size_t n = 0;
	int r = mp_dm_list(&l, &n);

	if (r < 0)
		return r;
	r = -ENODEV;
	for (size_t i = 0; r < 0 && i < n; i++) {
		struct mp_dm_info info = { 0 };

		if (mp_dm_info(l[i].name, &info) == 0 && info.uuid &&
		    str_startswith(info.uuid, MP_DM_UUID_PREFIX) &&
		    strcmp(info.uuid + strlen(MP_DM_UUID_PREFIX), wwid) == 0) {
			*ret = strdup(l[i].name);
			r = *ret ? 0 : -ENOMEM;
		}
		mp_dm_info_done(&info);
	}
	mp_dm_list_free(l, n);
	return r;
}

int mp_resolve_map(const char *arg, char **ret_name)
{
	const char *s = arg;
	char blk[128];
	dev_t devt;

	if (str_startswith(s, "/dev/mapper/"))
		s += strlen("/dev/mapper/");
	else if (str_startswith(s, "/dev/"))
		s += strlen("/dev/");
	if (parse_devt(s, &devt) == 0) {
		char path[128], buf[256];
		ssize_t n;

		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(devt), minor(devt));
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n <= 0)
			return -ENODEV;
		buf[n] = '\0';
		strlcpy_mp(blk, strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf, sizeof(blk));
		s = blk;
	}
	if (str_startswith(s, "dm-"))
		return dm_name_of_sysfs(s, ret_name);
	if (!strchr(s, '/')) {
		char path[256];

		snprintf(path, sizeof(path), "/sys/block/%s", s);
		if (access(path, F_OK) == 0)
			return holder_map(s, ret_name);
		{
			struct mp_dm_info info = { 0 };
			int r = mp_dm_info(s, &info);
			bool ok = r == 0 && info.exists;

			mp_dm_info_done(&info);
			if (ok) {
				*ret_name = strdup(s);
				return *ret_name ? 0 : -ENOMEM;
			}
		}
	}
	return map_by_wwid(s, ret_name);
}

int mp_resolve_wwid(const char *arg, char **ret_wwid)
{
	const char *s = str_startswith(arg, "/dev/") ? arg + 5 : arg;
	char path[256], buf[256];
	_cleanup_free_ char *name = NULL;
	struct mp_dm_info info = { 0 };
	int r;

	snprintf(path, sizeof(path), "/sys/block/%s", s);
	if (!str_startswith(s, "dm-") && !strchr(s, '/') && access(path, F_OK) == 0) {
		r = mp_wwid_from_sysfs(s, false, 0, buf, sizeof(buf));
		if (r <= 0)
			return r < 0 ? r : -ENODEV;
		*ret_wwid = strdup(buf);
		return *ret_wwid ? 0 : -ENOMEM;
	}
	r = mp_resolve_map(arg, &name);
	if (r < 0) {
		/* not a device: take it as a WWID */
		*ret_wwid = strdup(arg);
		return *ret_wwid ? 0 : -ENOMEM;
	}
	r = mp_dm_info(name, &info);
	if (r == 0 && info.uuid && str_startswith(info.uuid, MP_DM_UUID_PREFIX))
		*ret_wwid = strdup(info.uuid + strlen(MP_DM_UUID_PREFIX));
	else
		r = -ENODEV;
	mp_dm_info_done(&info);
	return r;
}

/* ---- actions ---- */

/* Print a daemon reply; 1 when it says fail. */
static int show_reply(const char *reply, bool quiet)
{
	bool failed = strncmp(reply, "fail", 4) == 0;

	if (failed)
		fprintf(stderr, "%s", reply + (reply[4] == '\n' ? 5 : 4));
	else if (!quiet && strcmp(reply, "ok\n") != 0)
		fputs(reply, stdout);
	return failed ? 1 : 0;
}

static int delegate(const char *cmd, bool quiet, bool *ret_delegated)
{
	_cleanup_free_ char *reply = NULL;
	int r = mp_daemon_command(cmd, &reply);

	*ret_delegated = r == 0;
	if (r < 0)
		return r;
	return show_reply(reply, quiet);
}

static int do_list(const struct mp_opts *o, const char *dev)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_strbuf_ struct strbuf cmd = STRBUF_INIT;
	bool delegated = false;
	int r;

	if (dev) {
		r = mp_resolve_map(dev, &name);
		if (r < 0)
			return 0;       /* as the incumbent: nothing to show */
	}
	if (!o->no_daemon && o->verbosity >= 2) {
		if (name)
			strbuf_appendf(&cmd, "show map '%s' topology", name);
		else
			strbuf_append(&cmd, "show topology");
		r = delegate(strbuf_str(&cmd), false, &delegated);
		if (delegated)
			return r;
	}
	r = mp_topology_direct(o, name);
	if (r < 0 && r != -ENODEV) {
		fprintf(stderr, "multipath: cannot read device-mapper maps: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}

static int flush_one_direct(const struct mp_opts *o, const char *name)
{
	struct mp_dm_info info = { 0 };
	int r = mp_dm_info(name, &info), open_count = info.open_count;

	mp_dm_info_done(&info);
	if (r < 0)
		return r;
	if (open_count > 0) {
		fprintf(stderr, "%s: map in use\n", name);
		return -EBUSY;
	}
	if (o->dry_run) {
		printf("would flush %s\n", name);
		return 0;
	}
	for (int i = 0; i <= (o->remove_retries > 0 ? o->remove_retries : 0); i++) {
		r = mp_dm_remove(name, false);
		if (r != -EBUSY)
			break;
		sleep(1);
	}
	if (r < 0)
		fprintf(stderr, "%s: flush failed: %s\n", name, strerror(-r));
	else if (o->verbosity >= 2)
		printf("%s: flushed\n", name);
	return r;
}

static int do_flush(const struct mp_opts *o, const char *dev)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_strbuf_ struct strbuf cmd = STRBUF_INIT;
	bool delegated = false;
	int r;

	r = mp_resolve_map(dev, &name);
	if (r < 0) {
		fprintf(stderr, "%s: not a multipath device\n", dev);
		return 1;
	}
	if (!o->no_daemon && !o->dry_run) {
		strbuf_appendf(&cmd, "del map '%s'", name);
		r = delegate(strbuf_str(&cmd), true, &delegated);
		if (delegated)
			return r;
	}
	return flush_one_direct(o, name) < 0 ? 1 : 0;
}

static int do_flush_all(const struct mp_opts *o)
{
	struct mp_dm_list_entry *l = NULL;
	bool delegated = false;
	size_t n = 0;
	int r, ret = 0;

	if (!o->no_daemon && !o->dry_run) {
		r = delegate("del maps", true, &delegated);
		if (delegated)
			return r;
	}
	r = mp_dm_list(&l, &n);
	if (r < 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		struct mp_dm_info info = { 0 };
		bool mpath;

		mpath = mp_dm_info(l[i].name, &info) == 0 && info.uuid &&
			str_startswith(info.uuid, MP_DM_UUID_PREFIX);
		mp_dm_info_done(&info);
		if (mpath && flush_one_direct(o, l[i].name) < 0)
			ret = 1;
	}
	mp_dm_list_free(l, n);
	return ret;
}

static const char *wwids_file(void)
{
	struct mp_config *c = mp_cmd_config();
	const struct mp_globals *g = c ? mp_config_globals(c) : NULL;

	return g && g->wwids_file ? g->wwids_file : MP_WWIDS_FILE;
}

static int do_wwid(const struct mp_opts *o, enum action a, const char *dev)
{
	_cleanup_free_ char *wwid = NULL;
	int r;

	r = mp_resolve_wwid(dev, &wwid);
	if (r < 0) {
		fprintf(stderr, "%s: cannot get the WWID: %s\n", dev, strerror(-r));
		return 1;
	}
	if (o->dry_run) {
		printf("would %s wwid '%s'\n", a == ACT_ADD_WWID ? "add" : "remove", wwid);
		return 0;
	}
	r = a == ACT_ADD_WWID ? mp_wwids_add(wwids_file(), wwid)
			      : mp_wwids_remove(wwids_file(), wwid);
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", wwids_file(), strerror(-r));
		return 1;
	}
	printf("wwid '%s' %s\n", wwid, a == ACT_ADD_WWID ? "added" : "removed");
	return 0;
}

static int do_reset_wwids(const struct mp_opts *o)
{
	struct mp_dm_list_entry *l = NULL;
	char **v;
	size_t n = 0, k = 0;
	int r = mp_dm_list(&l, &n);

	if (r < 0)
		return 1;
	v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; v && i < n; i++) {
		struct mp_dm_info info = { 0 };

		if (mp_dm_info(l[i].name, &info) == 0 && info.uuid &&
		    str_startswith(info.uuid, MP_DM_UUID_PREFIX))
			v[k++] = strdup(info.uuid + strlen(MP_DM_UUID_PREFIX));
		mp_dm_info_done(&info);
	}
	mp_dm_list_free(l, n);
	if (!v)
		return 1;
	r = o->dry_run ? 0 : mp_wwids_replace(wwids_file(), (const char *const *)v, k);
	for (size_t i = 0; i < k; i++)
		free(v[i]);
	free(v);
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", wwids_file(), strerror(-r));
		return 1;
	}
	printf("successfully reset wwids\n");
	return 0;
}

static int do_dump(bool builtin)
{
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	struct mp_config_diags diags = { 0 };
	struct mp_config *c = NULL;
	int r = mp_config_load(MP_DEFAULT_CONFIG_FILE, MP_DEFAULT_CONFIG_DIR, &c, &diags);

	for (size_t i = 0; i < diags.n; i++)
		fprintf(stderr, "%s:%d: %s\n", diags.v[i].file ? diags.v[i].file : "",
			diags.v[i].line, diags.v[i].msg);
	mp_config_diags_done(&diags);
	if (r < 0)
		return 1;
	r = mp_config_dump(c, builtin, &out);
	mp_config_free(c);
	if (r < 0)
		return 1;
	fputs(strbuf_str(&out), stdout);
	return 0;
}

static int do_create(const struct mp_opts *o, const char *dev, bool reload)
{
	_cleanup_strbuf_ struct strbuf cmd = STRBUF_INIT;
	bool delegated = false;
	char path[256];
	int r;

	if (!dev)
		strbuf_append(&cmd, reload ? "reconfigure all" : "reconfigure");
	else {
		const char *s = str_startswith(dev, "/dev/") ? dev + 5 : dev;

		snprintf(path, sizeof(path), "/sys/block/%s/device", s);
		if (!str_startswith(s, "dm-") && access(path, F_OK) == 0)
			strbuf_appendf(&cmd, "add path '%s'", s);
		else
			strbuf_appendf(&cmd, reload ? "reload map '%s'" : "add map '%s'", dev);
	}
	if (!o->no_daemon && !o->dry_run) {
		r = delegate(strbuf_str(&cmd), o->verbosity < 2, &delegated);
		if (delegated)
			return r;
	}
	if (reload) {
		fprintf(stderr, "multipath: multipathd is not running; reloading maps needs it\n");
		return 1;
	}
	return mp_create_direct(o, dev);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: multipath [-v level] [-B|-d|-i|-q|-r] [-b file] [-p policy] [device]\n"
		"       multipath -l|-ll [-v level] [device]\n"
		"       multipath -f device | -F [-R retries]\n"
		"       multipath -a|-w device | -W\n"
		"       multipath -c|-u|-C|-U device\n"
		"       multipath -t|-T\n"
		"       multipath -h\n"
		"\n"
		"  -l      show the topology (kernel view)\n"
		"  -ll     show the topology with path states\n"
		"  -f      flush a map          -F  flush all unused maps\n"
		"  -r      force a reload of all maps (reconfigure all)\n"
		"  -a      add a WWID to the wwids file\n"
		"  -w      remove a WWID from the wwids file\n"
		"  -W      reset the wwids file to the current maps\n"
		"  -c/-u   is the device a multipath path? (-u: udev mode)\n"
		"  -C/-U   has the map usable paths? (-U: udev mode)\n"
		"  -t/-T   dump the configuration (with / without built-in defaults)\n"
		"  -d      dry run                -i  ignore the wwids file\n"
		"  -B      bindings read-only      -b  bindings file\n"
		"  -p      path grouping policy    -q  allow queue_if_no_path without daemon\n"
		"  -R n    flush retries           -v  verbosity 0-4\n"
		"  device  alias, WWID, /dev/sdX, /dev/dm-N, /dev/mapper/X or major:minor\n");
}

static int run(const struct mp_opts *o, enum action a, const char *dev)
{
	switch (a) {
	case ACT_LIST: return do_list(o, dev);
	case ACT_FLUSH: return do_flush(o, dev);
	case ACT_FLUSH_ALL: return do_flush_all(o);
	case ACT_RELOAD: return do_create(o, dev, true);
	case ACT_DUMP: return do_dump(true);
	case ACT_DUMP_USER: return do_dump(false);
	case ACT_ADD_WWID:
	case ACT_DEL_WWID: return do_wwid(o, a, dev);
	case ACT_RESET_WWIDS: return do_reset_wwids(o);
	case ACT_CLAIM: return mp_claim_main(o, dev, false);
	case ACT_CLAIM_UDEV: return mp_claim_main(o, dev, true);
	case ACT_USABLE: return mp_map_usable_main(o, dev, false);
	case ACT_USABLE_UDEV: return mp_map_usable_main(o, dev, true);
	case ACT_HELP: usage(stdout); return 0;
	default: return do_create(o, dev, false);
	}
}

static bool needs_device(enum action a)
{
	return a == ACT_FLUSH || a == ACT_ADD_WWID || a == ACT_DEL_WWID || a == ACT_CLAIM ||
	       a == ACT_CLAIM_UDEV || a == ACT_USABLE || a == ACT_USABLE_UDEV;
}

int main(int argc, char **argv)
{
	struct mp_opts o = { .verbosity = 2 };
	enum action a = ACT_CREATE;
	const char *dev = NULL;
	int c;

	while ((c = getopt(argc, argv, "v:dilfFrtTaAwWcuCUBb:p:qR:hDMe")) != -1) {
		switch (c) {
		case 'v':
			if (parse_int(optarg, &o.verbosity) < 0 || o.verbosity < 0) {
				usage(stderr);
				return 1;
			}
			break;
		case 'd': o.dry_run = true; break;
		case 'i': o.ignore_wwids = true; break;
		case 'l': a = ACT_LIST; o.ll++; break;
		case 'f': a = ACT_FLUSH; break;
		case 'F': a = ACT_FLUSH_ALL; break;
		case 'r': a = ACT_RELOAD; break;
		case 't': a = ACT_DUMP; break;
		case 'T': a = ACT_DUMP_USER; break;
		case 'a': a = ACT_ADD_WWID; break;
		case 'w': a = ACT_DEL_WWID; break;
		case 'W': a = ACT_RESET_WWIDS; break;
		case 'c': a = ACT_CLAIM; break;
		case 'u': a = ACT_CLAIM_UDEV; break;
		case 'C': a = ACT_USABLE; break;
		case 'U': a = ACT_USABLE_UDEV; break;
		case 'B': o.bindings_ro = true; break;
		case 'b': o.bindings_file = optarg; break;
		case 'p': o.policy = optarg; break;
		case 'R': parse_int(optarg, &o.remove_retries); break;
		case 'D': o.no_daemon = true; break;
		case 'h': a = ACT_HELP; break;
		case 'q': case 'M': case 'e': case 'A': break;
		default: usage(stderr); return 1;
		}
	}
	mp_log_init("multipath", MP_LOG_STDERR, o.verbosity, 0);
	if (optind < argc)
		dev = argv[optind];
	if (needs_device(a) && !dev) {
		usage(stderr);
		return 1;
	}
	/* udev passes the kernel name; accept a devnode too */
	return run(&o, a, dev);
}
