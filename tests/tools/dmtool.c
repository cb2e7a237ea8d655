// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mp-dmtool: drive libmultipath's DM layer by hand, for the VM scenarios.
 * It builds tables with our grouping + table builder, issues every DM
 * operation through the counted wrappers (real libdevmapper backend) and
 * prints parsed status, so shell scripts can compare with dmsetup.
 *
 *   mp-dmtool build  [opts] DEV…            print the table we would load
 *   mp-dmtool create [opts] NAME WWID DEV…  create mpath-WWID, print table
 *   mp-dmtool reload [opts] NAME DEV…       load + resume(noflush)
 *   mp-dmtool equal  [opts] NAME DEV…       exit 0 iff kernel table matches
 *   mp-dmtool table|status|info NAME
 *   mp-dmtool paths NAME                    "maj:min A|F count pg state" lines
 *   mp-dmtool message NAME WORDS…
 *   mp-dmtool fail|reinstate NAME DEV    mp-dmtool switch NAME PG
 *   mp-dmtool queue|noqueue NAME
 *   mp-dmtool rename OLD NEW             mp-dmtool remove NAME [deferred]
 *   mp-dmtool cancel-remove NAME
 *   mp-dmtool list
 *   mp-dmtool wait-event NAME TIMEOUT_MS    arm, print "armed", wait until
 *                                           NAME's event number moves
 *   mp-dmtool stress THREADS MAPS DEV…      THREADS threads each create,
 *                                           fail_path, status, switch_group,
 *                                           reload and remove MAPS maps
 * opts: -p failover|multibus|group_by_prio  -s "selector"  -f "features"
 *       -h "hwhandler"  -P prio,prio,…  -q (no_path_retry queue)  -n (nosync)
 * DEV is sdX, /dev/sdX or maj:min.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "dm/dm.h"
#include "dm/table.h"
#include "grouping/group.h"
#include "util/strbuf.h"
#include "util/util.h"

struct opts {
	struct mp_settings s;
	const char *prios;
	uint32_t flags;
};

static int usage(void)
{
	fprintf(stderr, "usage: mp-dmtool build|create|reload|equal|table|status|info|"
			"paths|message|fail|reinstate|switch|queue|noqueue|rename|remove|"
			"list|wait-event …\n");
	return 2;
}

static int dev_to_devt(const char *dev, dev_t *ret)
{
	char path[PATH_MAX], *v = NULL;
	const char *base = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	int r;

	if (strchr(dev, ':'))
		return parse_devt(dev, ret);
	snprintf(path, sizeof(path), "/sys/class/block/%s/dev", base);
	r = read_file_str(path, &v);
	if (r < 0)
		return r;
	r = parse_devt(v, ret);
	free(v);
	return r;
}

static uint64_t dev_sectors(dev_t d)
{
	char path[PATH_MAX], *v = NULL;
	uint64_t n = 0;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/size", major(d), minor(d));
	if (read_file_str(path, &v) >= 0)
		parse_uint64(v, &n);
	free(v);
	return n;
}

/* DEV… → table params; *ret_size from the first device. */
static int build(const struct opts *o, char **devs, int n, char **ret, uint64_t *ret_size)
{
	struct mp_group_input in[64] = { { 0 } };
	struct mp_grouping g;
	struct mp_table *t = NULL;
	struct strbuf sb = STRBUF_INIT;
	const char *p = o->prios;
	int i, r;

	if (n < 1 || n > 64)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		r = dev_to_devt(devs[i], &in[i].devt);
		if (r < 0) {
			fprintf(stderr, "%s: %s\n", devs[i], strerror(-r));
			return r;
		}
		in[i].prio = p ? atoi(p) : 1;
		p = p && strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
		in[i].usable = in[i].enabled = true;
		in[i].tpg_id = -1;
	}
	r = mp_group_paths(o->s.pgpolicy, in, (size_t)n, false, &g);
	if (r < 0)
		return r;
	r = mp_table_from_grouping(&o->s, in, &g, false, &t);
	mp_grouping_done(&g);
	if (r < 0)
		return r;
	r = mp_table_build(t, &sb);
	mp_table_free(t);
	if (r < 0)
		return r;
	*ret = strbuf_steal(&sb);
	*ret_size = dev_sectors(in[0].devt);
	return 0;
}

static int cmd_build(const struct opts *o, const char *cmd, char **av, int ac)
{
	_cleanup_free_ char *params = NULL;
	uint64_t size;
	int r, skip = !strcmp(cmd, "build") ? 0 : !strcmp(cmd, "create") ? 2 : 1;

	if (ac < skip + 1)
		return -EINVAL;
	r = build(o, av + skip, ac - skip, &params, &size);
	if (r < 0)
		return r;
	if (!strcmp(cmd, "build")) {
		printf("%s\n", params);
		return 0;
	}
	if (!strcmp(cmd, "create")) {
		char uuid[256];

		snprintf(uuid, sizeof(uuid), "%s%s", MP_DM_UUID_PREFIX, av[1]);
		r = mp_dm_create(av[0], uuid, size, params, o->flags);
	} else if (!strcmp(cmd, "reload")) {
		r = mp_dm_reload(av[0], size, params, o->flags);
	} else {
		struct mp_dm_target k = { 0 };
		struct mp_table *want = NULL, *got = NULL;

		r = mp_dm_get_table(av[0], &k);
		if (r < 0)
			return r;
		if (mp_table_parse(params, &want) < 0 || mp_table_parse(k.params, &got) < 0)
			r = -EINVAL;
		else if (!mp_table_equal(want, got))
			r = 1;
		fprintf(stderr, "want:   %s\nkernel: %s\n", params, k.params);
		mp_table_free(want);
		mp_table_free(got);
		mp_dm_target_done(&k);
		return r;
	}
	if (r >= 0)
		printf("%s\n", params);
	return r;
}

static int cmd_get(const char *cmd, const char *name)
{
	struct mp_dm_target t = { 0 };
	struct mp_status *s = NULL;
	size_t i, j;
	int r;

	r = !strcmp(cmd, "table") ? mp_dm_get_table(name, &t) : mp_dm_get_status(name, &t);
	if (r < 0)
		return r;
	if (strcmp(cmd, "paths")) {
		printf("%s\n", t.params);
		mp_dm_target_done(&t);
		return 0;
	}
	r = mp_status_parse(t.params, &s);
	mp_dm_target_done(&t);
	if (r < 0)
		return r;
	printf("active_pg %u\n", s->active_pg);
	for (i = 0; i < s->n_pgs; i++)
		for (j = 0; j < s->pgs[i].n_paths; j++) {
			const struct mp_table_path *p = &s->pgs[i].paths[j];

			printf("%u:%u %c %u %zu %c\n", major(p->devt), minor(p->devt),
			       p->failed ? 'F' : 'A', p->fail_count, i + 1, s->pgs[i].state);
		}
	mp_status_free(s);
	return 0;
}

static int cmd_info(const char *name)
{
	struct mp_dm_info i;
	int r = mp_dm_info(name, &i);

	if (r < 0)
		return r;
	if (!i.exists)
		return -ENXIO;
	printf("name %s\nuuid %s\ndev %u:%u\nevent_nr %u\nopen_count %d\nsuspended %d\n"
	       "deferred_remove %d\n", i.name, i.uuid, major(i.devt), minor(i.devt),
	       i.event_nr, i.open_count, i.suspended, i.deferred_remove);
	mp_dm_info_done(&i);
	return 0;
}

static int event_nr_of(const char *name, int64_t *ret)
{
	struct mp_dm_list_entry *l = NULL;
	size_t n = 0, i;
	int r = mp_dm_list(&l, &n);

	if (r < 0)
		return r;
	*ret = -1;
	for (i = 0; i < n; i++)
		if (!strcmp(l[i].name, name))
			*ret = l[i].event_nr;
	mp_dm_list_free(l, n);
	return 0;
}

static int cmd_list(void)
{
	struct mp_dm_list_entry *l = NULL;
	size_t n = 0, i;
	int r = mp_dm_list(&l, &n);

	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		printf("%s %u:%u %u\n", l[i].name, major(l[i].devt), minor(l[i].devt),
		       l[i].event_nr);
	mp_dm_list_free(l, n);
	return 0;
}

/* The protocol of dm.h: arm, baseline, poll, re-arm, list. */
static int cmd_wait_event(const char *name, int timeout_ms)
{
	int64_t base, cur;
	int fd, r, wakeups = 0;

	fd = mp_dm_events_open();
	if (fd < 0)
		return fd;
	r = event_nr_of(name, &base);
	if (r < 0)
		goto out;
	printf("armed %s %lld\n", name, (long long)base);
	fflush(stdout);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		r = poll(&p, 1, timeout_ms);
		if (r <= 0) {
			r = r < 0 ? -errno : -ETIMEDOUT;
			goto out;
		}
		wakeups++;
		r = mp_dm_events_rearm(fd);
		if (r >= 0)
			r = event_nr_of(name, &cur);
		if (r < 0)
			goto out;
		if (cur != base) {
			printf("event %s %lld %lld wakeups %d\n", name, (long long)base,
			       (long long)cur, wakeups);
			r = 0;
			goto out;
		}
	}
out:
	mp_dm_events_close(fd);
	return r;
}

struct stress {
	const struct opts *o;
	char **devs;
	int n_devs, maps, id;
	const char *params;
	uint64_t size;
	int err;
};

/* One map's life; 0 or -errno, with the step that failed on stderr. */
static int stress_one(struct stress *st, int i)
{
	char name[64], uuid[96];
	struct mp_dm_target t = { 0 };
	struct mp_status *s = NULL;
	dev_t d;
	int r;

	snprintf(name, sizeof(name), "mpstress-%d-%d", st->id, i);
	snprintf(uuid, sizeof(uuid), "%sstress-%d-%d", MP_DM_UUID_PREFIX, st->id, i);
	r = dev_to_devt(st->devs[0], &d);
	if (r >= 0)
		r = mp_dm_create(name, uuid, st->size, st->params, st->o->flags);
	if (r >= 0)
		r = mp_dm_fail_path(name, d);
	if (r >= 0)
		r = mp_dm_get_status(name, &t);
	if (r >= 0)
		r = mp_status_parse(t.params, &s);
	if (r >= 0 && !s->pgs[0].paths[0].failed)
		r = -EPROTO;
	mp_status_free(s);
	mp_dm_target_done(&t);
	if (r >= 0 && st->n_devs > 1)
		r = mp_dm_switch_group(name, 2);
	if (r >= 0)
		r = mp_dm_reload(name, st->size, st->params, st->o->flags);
	if (r >= 0)
		r = mp_dm_remove(name, false);
	if (r < 0)
		fprintf(stderr, "stress %s: %s\n", name, strerror(-r));
	return r;
}

static void *stress_thread(void *arg)
{
	struct stress *st = arg;
	int i;

	for (i = 0; i < st->maps && !st->err; i++)
		st->err = stress_one(st, i);
	return NULL;
}

static int cmd_stress(const struct opts *o, char **av, int ac)
{
	_cleanup_free_ char *params = NULL;
	struct stress st[16];
	pthread_t th[16];
	struct timespec t0, t1;
	uint64_t size;
	int n, maps, i, r, bad = 0;

	if (ac < 3)
		return -EINVAL;
	n = atoi(av[0]);
	maps = atoi(av[1]);
	if (n < 1 || n > 16 || maps < 1)
		return -EINVAL;
	r = build(o, av + 2, ac - 2, &params, &size);
	if (r < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		st[i] = (struct stress){ o, av + 2, ac - 2, maps, i, params, size, 0 };
		if (pthread_create(&th[i], NULL, stress_thread, &st[i]))
			return -EAGAIN;
	}
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		bad |= st[i].err != 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("stress %d threads x %d maps: %s in %.2f s; creates %llu reloads %llu "
	       "messages %llu removes %llu\n", n, maps, bad ? "FAILED" : "ok",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (unsigned long long)mp_dm_stats(DMOP_CREATE),
	       (unsigned long long)mp_dm_stats(DMOP_RELOAD),
	       (unsigned long long)mp_dm_stats(DMOP_MESSAGE),
	       (unsigned long long)mp_dm_stats(DMOP_REMOVE));
	return bad ? -EIO : 0;
}

static int cmd_path_msg(const char *cmd, char **av, int ac)
{
	dev_t d;
	int r;

	if (ac != 2)
		return -EINVAL;
	if (!strcmp(cmd, "switch"))
		return mp_dm_switch_group(av[0], atoi(av[1]));
	r = dev_to_devt(av[1], &d);
	if (r < 0)
		return r;
	return !strcmp(cmd, "fail") ? mp_dm_fail_path(av[0], d) : mp_dm_reinstate_path(av[0], d);
}

static int cmd_message(char **av, int ac)
{
	struct strbuf sb = STRBUF_INIT;
	int i, r;

	if (ac < 2)
		return -EINVAL;
	for (i = 1; i < ac; i++)
		strbuf_appendf(&sb, "%s%s", i > 1 ? " " : "", av[i]);
	r = mp_dm_message(av[0], strbuf_str(&sb));
	strbuf_reset(&sb);
	return r;
}

static int dispatch(const struct opts *o, const char *cmd, char **av, int ac)
{
	if (!strcmp(cmd, "build") || !strcmp(cmd, "create") || !strcmp(cmd, "reload") ||
	    !strcmp(cmd, "equal"))
		return cmd_build(o, cmd, av, ac);
	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (!strcmp(cmd, "stress"))
		return cmd_stress(o, av, ac);
	if (ac < 1)
		return -EINVAL;
	if (!strcmp(cmd, "table") || !strcmp(cmd, "status") || !strcmp(cmd, "paths"))
		return cmd_get(cmd, av[0]);
	if (!strcmp(cmd, "info"))
		return cmd_info(av[0]);
	if (!strcmp(cmd, "message"))
		return cmd_message(av, ac);
	if (!strcmp(cmd, "fail") || !strcmp(cmd, "reinstate") || !strcmp(cmd, "switch"))
		return cmd_path_msg(cmd, av, ac);
	if (!strcmp(cmd, "queue") || !strcmp(cmd, "noqueue"))
		return mp_dm_set_queueing(av[0], cmd[0] == 'q');
	if (!strcmp(cmd, "rename") && ac == 2)
		return mp_dm_rename(av[0], av[1]);
	if (!strcmp(cmd, "cancel-remove"))
		return mp_dm_cancel_deferred_remove(av[0]);
	if (!strcmp(cmd, "remove"))
		return mp_dm_remove(av[0], ac > 1 && !strcmp(av[1], "deferred"));
	if (!strcmp(cmd, "wait-event") && ac == 2)
		return cmd_wait_event(av[0], atoi(av[1]));
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.s = {
			.pgpolicy = PGP_FAILOVER,
			.selector = (char *)"round-robin 0",
			.features = (char *)"0",
			.hwhandler = (char *)"0",
			.rr_min_io = 1000,
			.rr_min_io_rq = 1,
			.no_path_retry = NPR_FAIL,
		},
	};
	int c, r;

	while ((c = getopt(argc, argv, "+p:s:f:h:P:qnw")) != -1) {
		switch (c) {
		case 'p':
			o.s.pgpolicy = mp_pgpolicy_from_string(optarg);
			if ((int)o.s.pgpolicy < 0)
				return usage();
			break;
		case 's': o.s.selector = optarg; break;
		case 'f': o.s.features = optarg; break;
		case 'h': o.s.hwhandler = optarg; break;
		case 'P': o.prios = optarg; o.s.rr_weight = RR_PRIORITIES; break;
		case 'q': o.s.no_path_retry = NPR_QUEUE; break;
		case 'n': o.flags |= MP_DM_FLAG_NOSYNC; break;
		default: return usage();
		}
	}
	if (optind >= argc)
		return usage();
	r = dispatch(&o, argv[optind], argv + optind + 1, argc - optind - 1);
	if (r < 0) {
		fprintf(stderr, "mp-dmtool %s: %s\n", argv[optind], strerror(-r));
		return 1;
	}
	return r;
}
