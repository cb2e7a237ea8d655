// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kpartx: create, update, list and delete device-mapper `linear` maps for
 * the partitions of a block device (usually a multipath map) or of an
 * image file (through a loop device).
 *
 * Naming: <parent><delim><N>; the parent is the DM name for DM devices and
 * the kernel name (sda, loop0) otherwise; delim defaults to "p" when the
 * parent name ends in a digit, else "".  DM parents give their partitions
 * the UUID part<N>-<parent uuid>; other parents give none, and their maps
 * are recognised by name plus a linear table on the parent.  Sub-label
 * partitions (BSD in a DOS slice...) are stacked on their slice's map;
 * logical partitions sit on the parent, their extended container being a
 * two-sector stub.
 *
 * Listing a regular file (-l) reads the file directly and attaches no loop
 * device, so it needs no privileges; the device column then names the loop
 * device already backing the file, or the file itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kpartx/devmap.h"
#include "kpartx/loop.h"
#include "kpartx/ptable.h"
#include "util/log.h"
#include "util/util.h"

enum action { ACT_NONE, ACT_ADD, ACT_DELETE, ACT_UPDATE, ACT_LIST };

struct opts {
	enum action act;
	bool ro, force, force_gpt, sync, verbose;
	const char *delim;
	const struct pt_reader *only;
	const char *path;
};

struct parent {
	dev_t devt;             /* 0 for a file listed directly */
	bool is_file;
	char name[DMP_NAME_MAX];        /* naming base */
	char uuid[DMP_UUID_MAX];        /* DM uuid or "" */
	char devname[PATH_MAX];         /* shown by -l */
	char prefix[DMP_NAME_MAX + 32];
	int fd, loop_fd;
	bool loop_attached;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kpartx [-a|-d|-u|-l] [-r] [-p delim] [-f] [-g] [-s|-n] [-v]\n"
		"              [-t type] device|file\n"
		"  -a  add partition maps           -d  delete partition maps\n"
		"  -u  update (add, resize, remove stale)\n"
		"  -l  list partitions (name : 0 size device offset)\n"
		"  -r  read-only maps               -p  name delimiter\n"
		"  -f  map even if the parent has no_partitions\n"
		"  -g  accept GPT without protective MBR\n"
		"  -s  wait for udev (default)      -n  do not wait for udev\n"
		"  -v  verbose                      -t  only this table type\n"
		"      (%s)\n"
		"  -h  this help\n", pt_reader_names());
}

static int set_action(struct opts *o, enum action a)
{
	if (o->act != ACT_NONE && o->act != a) {
		log_err("only one of -a, -d, -u, -l may be given");
		return -EINVAL;
	}
	o->act = a;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .sync = true };
	while ((c = getopt(argc, argv, "adulrp:fgsnvt:h")) != -1) {
		int r = 0;

		switch (c) {
		case 'a': r = set_action(o, ACT_ADD); break;
		case 'd': r = set_action(o, ACT_DELETE); break;
		case 'u': r = set_action(o, ACT_UPDATE); break;
		case 'l': r = set_action(o, ACT_LIST); break;
		case 'r': o->ro = true; break;
		case 'p': o->delim = optarg; break;
		case 'f': o->force = true; break;
		case 'g': o->force_gpt = true; break;
		case 's': o->sync = true; break;
		case 'n': o->sync = false; break;
		case 'v': o->verbose = true; break;
		case 't':
			o->only = pt_reader_by_name(optarg);
			if (!o->only) {
				log_err("unknown table type '%s' (known: %s)", optarg,
					pt_reader_names());
				r = -EINVAL;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
		if (r < 0)
			return r;
	}
	if (optind != argc - 1 || o->act == ACT_NONE) {
		usage(stderr);
		return -EINVAL;
	}
	if (o->delim && strchr(o->delim, '/')) {
		log_err("delimiter '%s' may not contain '/'", o->delim);
		return -EINVAL;
	}
	o->path = argv[optind];
	return 0;
}

static void set_prefix(struct parent *p, const char *delim)
{
	size_t l = strlen(p->name);

	if (!delim)
		delim = (l && p->name[l - 1] >= '0' && p->name[l - 1] <= '9') ? "p" : "";
	snprintf(p->prefix, sizeof(p->prefix), "%s%s", p->name, delim);
}

/* Kernel name of a block device (sda, dm-0, loop0) from sysfs. */
static int kernel_name(dev_t devt, char *buf, size_t len)
{
	char link[64], target[PATH_MAX];
	ssize_t n;
	const char *b;

	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(devt), minor(devt));
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	b = strrchr(target, '/');
	strlcpy_mp(buf, b ? b + 1 : target, len);
	return 0;
}

static int parent_from_blockdev(struct parent *p, dev_t devt)
{
	char kname[NAME_MAX + 1];
	int r;

	p->devt = devt;
	if (kernel_name(devt, kname, sizeof(kname)) < 0)
		snprintf(kname, sizeof(kname), "%u:%u", major(devt), minor(devt));
	snprintf(p->devname, sizeof(p->devname), "/dev/%s", kname);
	r = dmp_parent_info(devt, p->name, sizeof(p->name), p->uuid, sizeof(p->uuid));
	if (r < 0)
		return log_error_errno(r, "%s: cannot query device-mapper", p->devname);
	if (r == 0)
		strlcpy_mp(p->name, kname, sizeof(p->name));
	return 0;
}

/* A regular file: find or (for -a/-u) attach its loop device. */
static int parent_from_file(struct parent *p, const struct opts *o)
{
	char loopdev[64];
	struct stat st;
	int r;

	p->is_file = true;
	r = loop_find(o->path, loopdev, sizeof(loopdev));
	if (r == 0 && o->act == ACT_LIST) {
		const char *b = strrchr(o->path, '/');

		strlcpy_mp(p->name, b ? b + 1 : o->path, sizeof(p->name));
		strlcpy_mp(p->devname, o->path, sizeof(p->devname));
		return 0;
	}
	if (r == 0 && o->act == ACT_DELETE) {
		log_info("%s: not attached to a loop device", o->path);
		return -ENOENT;
	}
	if (r == 0) {
		p->loop_fd = loop_attach(o->path, o->ro, loopdev, sizeof(loopdev));
		if (p->loop_fd < 0)
			return log_error_errno(p->loop_fd, "%s: cannot attach a loop device: %s",
					       o->path, strerror(-p->loop_fd));
		p->loop_attached = true;
		if (o->verbose)
			printf("add loop device %s for %s\n", loopdev, o->path);
	} else if (r < 0)
		return log_error_errno(r, "%s: %s", o->path, strerror(-r));
	if (stat(loopdev, &st) < 0)
		return log_error_errno(-errno, "%s: %m", loopdev);
	return parent_from_blockdev(p, st.st_rdev);
}

static int parent_open(struct parent *p, const struct opts *o)
{
	struct stat st;
	int r;

	p->fd = p->loop_fd = -1;
	if (stat(o->path, &st) < 0)
		return log_error_errno(-errno, "%s: %m", o->path);
	if (S_ISREG(st.st_mode))
		r = parent_from_file(p, o);
	else if (S_ISBLK(st.st_mode))
		r = parent_from_blockdev(p, st.st_rdev);
	else
		return log_error_errno(-ENOTBLK, "%s: not a block device or file", o->path);
	if (r < 0)
		return r;
	set_prefix(p, o->delim);
	if (o->act == ACT_DELETE)
		return 0;
	p->fd = open(p->devt ? p->devname : o->path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0 && p->devt)       /* /dev may lack the kernel name */
		p->fd = open(o->path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0)
		return log_error_errno(-errno, "%s: cannot open: %m", o->path);
	return 0;
}

static int read_table(const struct parent *p, const struct opts *o,
		      struct pt_slice *s)
{
	struct pt_source src;
	const char *type = "?";
	int r, n;

	r = pt_source_init_fd(&src, p->fd);
	if (r < 0)
		return log_error_errno(r, "%s: %s", o->path, strerror(-r));
	n = pt_scan(&src, o->only, o->force_gpt, s, PT_MAX_SLICES, &type);
	if (n < 0)
		log_err("%s: bad %s partition table, no partitions mapped", o->path, type);
	else if (o->verbose)
		log_notice("%s: %s table, %d slots", o->path, n ? type : "no", n);
	return n;
}

static void part_name(const struct parent *p, int no, char *buf, size_t len)
{
	snprintf(buf, len, "%s%d", p->prefix, no);
}

static int do_list(const struct parent *p, const struct pt_slice *s, int n)
{
	for (int i = 0; i < n; i++) {
		char name[sizeof(p->prefix) + 16];

		if (!s[i].size)
			continue;
		part_name(p, i + 1, name, sizeof(name));
		printf("%s : 0 %" PRIu64 " %s %" PRIu64 "\n", name, s[i].size,
		       p->devname, s[i].start);
	}
	return 0;
}

/*
 * Where slot no's map goes: on its container's map, at the offset inside
 * it, when the container is a real (not stub) partition that was mapped
 * and holds it whole (BSD/Solaris/UnixWare sub-partitions); else on the
 * parent.  Extended partitions are two-sector stubs, so logical partitions
 * always land on the parent.
 */
static void map_target(const struct parent *p, const struct pt_slice *s, int n,
		       int no, dev_t *dev, uint64_t *off)
{
	const struct pt_slice *me = &s[no - 1], *c;
	char cname[sizeof(p->prefix) + 16];

	*dev = p->devt;
	*off = me->start;
	if (me->container <= 0 || me->container > n)
		return;
	c = &s[me->container - 1];
	if (!c->size || c->is_container || me->start < c->start ||
	    me->start - c->start > c->size || me->size > c->size - (me->start - c->start))
		return;
	part_name(p, me->container, cname, sizeof(cname));
	if (dmp_devt(cname, dev) < 0) {
		*dev = p->devt;
		return;
	}
	*off = me->start - c->start;
}

static int add_one(const struct parent *p, const struct opts *o,
		   const struct pt_slice *s, int n, int no)
{
	char name[sizeof(p->prefix) + 16], uuid[DMP_UUID_MAX] = "";
	uint64_t off;
	dev_t dev;
	int r;

	part_name(p, no, name, sizeof(name));
	if (strlen(name) >= DMP_NAME_MAX)
		return log_error_errno(-ENAMETOOLONG, "%s: map name too long", name);
	if (*p->uuid &&
	    (size_t)snprintf(uuid, sizeof(uuid), "part%d-%s", no, p->uuid) >= sizeof(uuid)) {
		log_warn("%s: parent uuid too long, map gets no uuid", name);
		uuid[0] = '\0';
	}
	map_target(p, s, n, no, &dev, &off);
	r = dmp_ensure(name, uuid, dev, off, s[no - 1].size, o->ro);
	if (r < 0)
		return log_error_errno(r, "%s: cannot create or reload map", name);
	if (o->verbose && r > 0)
		printf("%s map %s : 0 %" PRIu64 " linear %u:%u %" PRIu64 "\n",
		       r == 1 ? "add" : "reload", name, s[no - 1].size, major(dev),
		       minor(dev), off);
	return 0;
}

static int remove_one(const struct dmp_map *m, const struct opts *o)
{
	/* fresh count: maps stacked on this one were removed just before.
	 * udev opens a map briefly after every change (blkid after a write
	 * closes it): give such an opener up to 2 s before refusing. */
	int r = dmp_open_count(m->name);

	for (int tries = 0; r > 0 && tries < 20; tries++) {
		usleep(100 * 1000);
		r = dmp_open_count(m->name);
	}
	if (r == -ENOENT)
		return 0;
	if (r > 0) {
		log_err("%s: in use (open count %d), not removed", m->name, r);
		return -EBUSY;
	}
	r = dmp_remove(m->name);
	if (r < 0)
		return log_error_errno(r, "%s: cannot remove map", m->name);
	if (o->verbose)
		printf("del devmap : %s\n", m->name);
	return 0;
}

/* -u: drop maps of this parent whose partition no longer exists. */
static int remove_stale(const struct parent *p, const struct opts *o,
			const struct pt_slice *s, int n)
{
	_cleanup_free_ struct dmp_map *maps = NULL;
	int nm = 0, rc = 0;

	if (dmp_list_parts(p->devt, p->uuid, p->prefix, &maps, &nm) < 0)
		return log_error_errno(-EIO, "cannot list device-mapper devices");
	for (int i = 0; i < nm; i++) {
		int no = maps[i].partno;

		if (no <= n && s[no - 1].size)
			continue;
		if (remove_one(&maps[i], o) < 0)
			rc = -EIO;
	}
	return rc;
}

static int do_add(const struct parent *p, const struct opts *o,
		  const struct pt_slice *s, int n)
{
	int rc = 0;

	if (*p->uuid && !o->force && dmp_has_feature(p->name, "no_partitions")) {
		log_notice("%s: no_partitions is set, not mapping partitions (use -f)",
			   p->name);
		return 0;
	}
	for (int i = 0; i < n; i++)
		if (s[i].size && add_one(p, o, s, n, i + 1) < 0)
			rc = -EIO;
	if (o->act == ACT_UPDATE && remove_stale(p, o, s, n) < 0)
		rc = -EIO;
	return rc;
}

static int do_delete(struct parent *p, const struct opts *o)
{
	_cleanup_free_ struct dmp_map *maps = NULL;
	int nm = 0, rc = 0;

	if (dmp_list_parts(p->devt, p->uuid, p->prefix, &maps, &nm) < 0)
		return log_error_errno(-EIO, "cannot list device-mapper devices");
	for (int i = 0; i < nm; i++)
		if (remove_one(&maps[i], o) < 0)
			rc = -EIO;
	if (p->is_file && rc == 0) {
		int r = loop_detach(p->devname);

		if (r < 0)
			return log_error_errno(r, "%s: cannot detach: %s", p->devname,
					       strerror(-r));
		if (o->verbose)
			printf("loop deleted : %s\n", p->devname);
	}
	return rc;
}

static int run(struct parent *p, const struct opts *o)
{
	_cleanup_free_ struct pt_slice *s = NULL;
	int n;

	if (o->act == ACT_DELETE)
		return do_delete(p, o);
	s = calloc(PT_MAX_SLICES, sizeof(*s));
	if (!s)
		return -ENOMEM;
	n = read_table(p, o, s);
	if (n < 0)
		return n;
	if (o->act == ACT_LIST)
		return do_list(p, s, n);
	return do_add(p, o, s, n);
}

int main(int argc, char **argv)
{
	struct parent p = { 0 };
	struct opts o;
	int r;

	mp_log_init("kpartx", MP_LOG_STDERR, 2, 0);
	if (parse_opts(argc, argv, &o) < 0)
		return 1;
	if (o.verbose)
		mp_log_set_verbosity(3);
	if (o.act != ACT_LIST)
		dmp_set_sync(o.sync);
	r = parent_open(&p, &o);
	if (r == -ENOENT && o.act == ACT_DELETE && p.is_file)
		return 0;
	if (r >= 0)
		r = run(&p, &o);
	if (p.fd >= 0)
		close(p.fd);
	if (p.loop_fd >= 0)
		close(p.loop_fd);
	return r < 0 ? 1 : 0;
}
