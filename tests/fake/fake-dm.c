// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stateful fake device-mapper (see fake-dm.h for the behaviour).  Maps
 * live in a chained hash table keyed by name under one mutex; the table of
 * each map is kept parsed (struct mp_table) and printed on demand, so the
 * per-path state changes of messages are plain field updates.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "dm/table.h"
#include "fake-dm.h"
#include "util/strbuf.h"

#define N_BUCKETS 4096
#define MAX_EVENT_FDS 8
#define FAKE_DM_MAJOR 253

struct fmap {
	struct fmap *next;              /* name hash chain */
	struct fmap *next_uuid;         /* uuid hash chain (maps with a uuid) */
	char *name;
	char *uuid;
	dev_t devt;
	uint64_t size;
	struct mp_table *t;
	unsigned int active_pg;
	uint32_t event_nr;
	int open_count;
	bool suspended;
	bool readonly;
	bool deferred_remove;
	uint32_t flags;                 /* of the last create/reload (udev flags) */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fmap *buckets[N_BUCKETS];
static struct fmap *uuid_buckets[N_BUCKETS];
static size_t n_maps;
static uint64_t list_cpu_ns;       /* thread CPU time spent in list() */
static size_t name_bytes;         /* sum of strlen(name) + 1: list() sizes its block */
static unsigned int next_minor;
static uint64_t counts[_DMOP_MAX];
static int fail_err[_DMOP_MAX];
static unsigned int fail_n[_DMOP_MAX];
static int event_fds[MAX_EVENT_FDS];
static size_t n_event_fds;
static struct mp_backend fake_backend;
static const struct mp_backend *saved_backend;

static unsigned int hash(const char *s)
{
	unsigned int h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % N_BUCKETS;
}

static struct fmap **find_slot(const char *name)
{
	struct fmap **pp = &buckets[hash(name)];

	while (*pp && strcmp((*pp)->name, name))
		pp = &(*pp)->next;
	return pp;
}

static struct fmap *find(const char *name)
{
	return *find_slot(name);
}

static struct fmap *find_uuid(const char *uuid)
{
	struct fmap *m = uuid_buckets[hash(uuid)];

	while (m && strcmp(m->uuid, uuid))
		m = m->next_uuid;
	return m;
}

static void uuid_unlink(struct fmap *m)
{
	struct fmap **pp;

	if (!m->uuid)
		return;
	for (pp = &uuid_buckets[hash(m->uuid)]; *pp; pp = &(*pp)->next_uuid)
		if (*pp == m) {
			*pp = m->next_uuid;
			return;
		}
}

static void fmap_free(struct fmap *m)
{
	free(m->name);
	free(m->uuid);
	mp_table_free(m->t);
	free(m);
}

static void signal_events(void)
{
	uint64_t one = 1;
	size_t i;

	for (i = 0; i < n_event_fds; i++)
		if (write(event_fds[i], &one, sizeof(one)) < 0) {
			/* counter saturated: it is readable anyway */
		}
}

static void map_event(struct fmap *m)
{
	m->event_nr++;
	signal_events();
}

/* Count the call and consume an injected failure; under lock. */
static int enter(enum mp_dm_op op)
{
	counts[op]++;
	if (fail_n[op]) {
		fail_n[op]--;
		return fail_err[op];
	}
	return 0;
}

/* ------------------------------------------------------------- the table */

/* What the kernel would print back for a table it accepted. */
static int normalise_table(struct mp_table *t)
{
	char *f = NULL;
	size_t i, j;

	if (mp_features_normalise(t->features, &f) < 0)
		return -EINVAL;
	free(t->features);
	t->features = f;
	if (strcmp(t->hwhandler, "0")) {
		char name[64];

		if (sscanf(t->hwhandler, "%*u %63s", name) != 1)
			return -EINVAL;
		free(t->hwhandler);
		if (asprintf(&t->hwhandler, "1 %s", name) < 0)
			return -ENOMEM;
	}
	for (i = 0; i < t->n_pgs; i++) {
		struct mp_table_pg *pg = &t->pgs[i];
		bool st = !strcmp(pg->selector, "service-time");
		bool one = !strcmp(pg->selector, "round-robin") ||
			   !strcmp(pg->selector, "queue-length");

		pg->state = 'E';
		if (!st && !one)
			continue;
		for (j = 0; j < pg->n_paths; j++) {
			if (pg->n_path_args == 0)
				pg->paths[j].repeat = 1;
			if (st && pg->n_path_args < 2) {
				free(pg->paths[j].args);
				pg->paths[j].args = strdup("1");
				if (!pg->paths[j].args)
					return -ENOMEM;
			}
		}
		pg->n_path_args = st ? 2 : 1;
	}
	if (t->n_pgs && !t->initial_pg)
		t->initial_pg = 1;
	return 0;
}

static int load_table(const char *params, struct mp_table **ret)
{
	struct mp_table *t;
	int r;

	r = mp_table_parse(params, &t);
	if (r < 0)
		return -EINVAL;
	r = normalise_table(t);
	if (r < 0) {
		mp_table_free(t);
		return r;
	}
	*ret = t;
	return 0;
}

static char *print_table(const struct fmap *m)
{
	struct strbuf sb = STRBUF_INIT;

	m->t->initial_pg = m->active_pg;
	if (mp_table_build(m->t, &sb) < 0) {
		strbuf_reset(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

static unsigned int info_words(const char *selector)
{
	if (!strcmp(selector, "service-time"))
		return 2;
	if (!strcmp(selector, "queue-length") || !strcmp(selector, "historical-service-time"))
		return 1;
	return 0;
}

static char *print_status(const struct fmap *m)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	strbuf_appendf(&sb, "2 0 0 0 %zu %u", m->t->n_pgs, m->active_pg);
	for (i = 0; i < m->t->n_pgs; i++) {
		const struct mp_table_pg *pg = &m->t->pgs[i];
		unsigned int w = info_words(pg->selector);
		char st = pg->state == 'D' ? 'D' : (i + 1 == m->active_pg ? 'A' : 'E');

		strbuf_appendf(&sb, " %c 0 %zu %u", st, pg->n_paths, w);
		for (j = 0; j < pg->n_paths; j++) {
			const struct mp_table_path *p = &pg->paths[j];

			strbuf_appendf(&sb, " %u:%u %c %u%s", major(p->devt), minor(p->devt),
				       p->failed ? 'F' : 'A', p->fail_count,
				       w == 2 ? " 0 1" : w == 1 ? " 0" : "");
		}
	}
	return strbuf_steal(&sb);
}

static struct mp_table_path *find_path(struct fmap *m, dev_t devt)
{
	size_t i, j;

	for (i = 0; i < m->t->n_pgs; i++)
		for (j = 0; j < m->t->pgs[i].n_paths; j++)
			if (m->t->pgs[i].paths[j].devt == devt)
				return &m->t->pgs[i].paths[j];
	return NULL;
}

/* ------------------------------------------------------------------- ops */

/* As the kernel's DM_LIST_DEVICES: every map's name, dev_t and event
 * number; like the real backend, entries and names in one block.  One
 * walk over the maps (the kernel's is one too): the names' total size is
 * kept up to date rather than summed first. */
static int fake_list(struct mp_dm_list_entry **ret, size_t *ret_n)
{
	struct mp_dm_list_entry *l;
	struct fmap *m;
	size_t b, i = 0;
	struct timespec t0, t1;
	char *s;
	int r;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	pthread_mutex_lock(&lock);
	r = enter(DMOP_LIST);
	if (r < 0)
		goto out;
	l = malloc((n_maps ? n_maps : 1) * sizeof(*l) + name_bytes);
	if (!l) {
		r = -ENOMEM;
		goto out;
	}
	s = (char *)(l + (n_maps ? n_maps : 1));
	for (b = 0; b < N_BUCKETS; b++)
		for (m = buckets[b]; m; m = m->next, i++) {
			size_t len = strlen(m->name) + 1;

			memcpy(s, m->name, len);
			l[i].name = s;
			s += len;
			l[i].devt = m->devt;
			l[i].event_nr = m->event_nr;
		}
	*ret = l;
	*ret_n = n_maps;
out:
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	list_cpu_ns += (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u +
		       (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
	pthread_mutex_unlock(&lock);
	return r;
}

uint64_t fake_dm_list_cpu_ns(void)
{
	uint64_t v;

	pthread_mutex_lock(&lock);
	v = list_cpu_ns;
	pthread_mutex_unlock(&lock);
	return v;
}

static int fake_info(const char *name, struct mp_dm_info *ret)
{
	struct mp_dm_info i = { 0 };
	struct fmap *m;
	int r;

	pthread_mutex_lock(&lock);
	r = enter(DMOP_INFO);
	m = r < 0 ? NULL : find(name);
	if (m) {
		i.name = strdup(m->name);
		i.uuid = strdup(m->uuid ? m->uuid : "");
		i.devt = m->devt;
		i.event_nr = m->event_nr;
		i.open_count = m->open_count;
		i.suspended = m->suspended;
		i.readonly = m->readonly;
		i.exists = true;
		i.deferred_remove = m->deferred_remove;
		i.target_count = 1;
	}
	if (r >= 0)
		*ret = i;
	pthread_mutex_unlock(&lock);
	return r;
}

static int get_target(enum mp_dm_op op, const char *name, struct mp_dm_target *ret)
{
	struct fmap *m;
	int r;

	pthread_mutex_lock(&lock);
	r = enter(op);
	if (r < 0)
		goto out;
	m = find(name);
	if (!m) {
		r = -ENXIO;
		goto out;
	}
	ret->size = m->size;
	ret->type = strdup("multipath");
	ret->params = op == DMOP_TABLE ? print_table(m) : print_status(m);
out:
	pthread_mutex_unlock(&lock);
	return r;
}

int64_t fake_dm_flags(const char *name)
{
	struct fmap *m;
	int64_t r = -1;

	pthread_mutex_lock(&lock);
	m = find(name);
	if (m)
		r = m->flags;
	pthread_mutex_unlock(&lock);
	return r;
}

static int fake_get_table(const char *name, struct mp_dm_target *ret)
{
	return get_target(DMOP_TABLE, name, ret);
}

static int fake_get_status(const char *name, struct mp_dm_target *ret)
{
	return get_target(DMOP_STATUS, name, ret);
}

static int fake_create(const char *name, const char *uuid, uint64_t size,
		       const char *params, uint32_t flags)
{
	struct fmap *m = NULL;
	struct mp_table *t = NULL;
	int r;

	if (uuid && !*uuid)
		uuid = NULL;    /* the kernel: no uuid, no uniqueness check */
	pthread_mutex_lock(&lock);
	r = enter(DMOP_CREATE);
	if (r < 0)
		goto out;
	if (find(name) || (uuid && find_uuid(uuid))) {
		r = -EBUSY;
		goto out;
	}
	r = load_table(params, &t);
	if (r < 0)
		goto out;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->name = strdup(name)) || (uuid && !(m->uuid = strdup(uuid)))) {
		r = -ENOMEM;
		goto out;
	}
	m->t = TAKE_PTR(t);
	m->size = size;
	m->devt = makedev(FAKE_DM_MAJOR, next_minor++);
	m->active_pg = m->t->initial_pg;
	m->readonly = flags & MP_DM_FLAG_READONLY;
	m->flags = flags;
	if (m->uuid) {
		m->next_uuid = uuid_buckets[hash(m->uuid)];
		uuid_buckets[hash(m->uuid)] = m;
	}
	m->next = buckets[hash(name)];
	buckets[hash(name)] = TAKE_PTR(m);
	n_maps++;
	name_bytes += strlen(name) + 1;
	signal_events();
out:
	if (m)
		fmap_free(m);
	mp_table_free(t);
	pthread_mutex_unlock(&lock);
	return r;
}

static int fake_reload(const char *name, uint64_t size, const char *params, uint32_t flags)
{
	struct mp_table *t = NULL;
	struct fmap *m;
	int r;

	pthread_mutex_lock(&lock);
	r = enter(DMOP_RELOAD);
	if (r < 0)
		goto out;
	m = find(name);
	if (!m) {
		r = -ENXIO;
		goto out;
	}
	r = load_table(params, &t);
	if (r < 0)
		goto out;
	mp_table_free(m->t);
	m->t = t;
	m->size = size;
	m->active_pg = t->initial_pg;
	m->readonly = flags & MP_DM_FLAG_READONLY;
	m->flags = flags;
	m->suspended = false;
out:
	pthread_mutex_unlock(&lock);
	return r;
}

static int set_queueing(struct fmap *m, bool on)
{
	_cleanup_free_ char *f = NULL;
	char *g = NULL;
	int r;

	r = on ? mp_features_add(m->t->features, "queue_if_no_path", &f)
	       : mp_features_remove(m->t->features, "queue_if_no_path", &f);
	if (r >= 0)
		r = mp_features_normalise(f, &g);
	if (r < 0)
		return r;
	free(m->t->features);
	m->t->features = g;
	return 0;
}

/* Under lock: one parsed message against map m. */
static int apply_message(struct fmap *m, const char *verb, const char *arg)
{
	struct mp_table_path *p;
	unsigned int ma, mi, pg;
	char c;

	if (!arg) {
		if (!strcmp(verb, "queue_if_no_path") || !strcmp(verb, "fail_if_no_path"))
			return set_queueing(m, verb[0] == 'q');
		return -EINVAL;
	}
	if (!strcmp(verb, "fail_path") || !strcmp(verb, "reinstate_path")) {
		bool fail = verb[0] == 'f';

		if (sscanf(arg, "%u:%u%c", &ma, &mi, &c) != 2)
			return -EINVAL;
		p = find_path(m, makedev(ma, mi));
		if (!p)
			return -EINVAL;
		if (p->failed == fail)
			return 0;
		p->failed = fail;
		if (fail)
			p->fail_count++;
		map_event(m);
		return 0;
	}
	if (sscanf(arg, "%u%c", &pg, &c) != 1 || pg < 1 || pg > m->t->n_pgs)
		return -EINVAL;
	if (!strcmp(verb, "switch_group")) {
		size_t i;

		for (i = 0; i < m->t->n_pgs; i++)
			m->t->pgs[i].state = 'E';
		m->active_pg = pg;
	} else if (!strcmp(verb, "enable_group") || !strcmp(verb, "disable_group")) {
		m->t->pgs[pg - 1].state = verb[0] == 'e' ? 'E' : 'D';
	} else {
		return -EINVAL;
	}
	map_event(m);
	return 0;
}

static int fake_message(const char *name, const char *msg)
{
	char verb[64], arg[64];
	struct fmap *m;
	int n, r;

	pthread_mutex_lock(&lock);
	r = enter(DMOP_MESSAGE);
	if (r < 0)
		goto out;
	m = find(name);
	if (!m) {
		r = -ENXIO;
		goto out;
	}
	if (m->suspended) {
		r = -EBUSY;
		goto out;
	}
	if (!strcmp(msg, "@cancel_deferred_remove")) {
		m->deferred_remove = false;     /* the kernel: 0 even if none */
		goto out;
	}
	n = sscanf(msg, "%63s %63s", verb, arg);
	r = n < 1 ? -EINVAL : apply_message(m, verb, n == 2 ? arg : NULL);
out:
	pthread_mutex_unlock(&lock);
	return r;
}

static void unlink_map(struct fmap **slot)
{
	struct fmap *m = *slot;

	*slot = m->next;
	uuid_unlink(m);
	name_bytes -= strlen(m->name) + 1;
	fmap_free(m);
	n_maps--;
	signal_events();
}

static int fake_remove(const char *name, bool deferred)
{
	struct fmap **slot;
	int r;

	pthread_mutex_lock(&lock);
	r = enter(DMOP_REMOVE);
	if (r < 0)
		goto out;
	slot = find_slot(name);
	if (!*slot) {
		r = -ENXIO;
		goto out;
	}
	if ((*slot)->open_count > 0) {
		if (deferred)
			(*slot)->deferred_remove = true;
		else
			r = -EBUSY;
		goto out;
	}
	unlink_map(slot);
out:
	pthread_mutex_unlock(&lock);
	return r;
}

static int fake_suspend_resume(const char *name, bool suspend, bool noflush)
{
	struct fmap *m;
	int r;

	pthread_mutex_lock(&lock);
	r = enter(DMOP_SUSPEND_RESUME);
	if (r >= 0) {
		m = find(name);
		if (m)
			m->suspended = suspend;
		else
			r = -ENXIO;
	}
	pthread_mutex_unlock(&lock);
	return r;
}

static int fake_rename(const char *old_name, const char *new_name)
{
	struct fmap **slot, *m;
	char *n;
	int r;

	pthread_mutex_lock(&lock);
	r = enter(DMOP_RENAME);
	if (r < 0)
		goto out;
	slot = find_slot(old_name);
	if (!*slot) {
		r = -ENXIO;
		goto out;
	}
	if (find(new_name)) {
		r = -EBUSY;
		goto out;
	}
	n = strdup(new_name);
	if (!n) {
		r = -ENOMEM;
		goto out;
	}
	m = *slot;
	*slot = m->next;
	name_bytes += strlen(n) - strlen(m->name);
	free(m->name);
	m->name = n;
	m->next = buckets[hash(n)];
	buckets[hash(n)] = m;
	signal_events();
out:
	pthread_mutex_unlock(&lock);
	return r;
}

static int fake_events_open(void)
{
	int fd, r;

	pthread_mutex_lock(&lock);
	r = enter(DMOP_ARM_POLL);
	if (r < 0)
		goto out;
	if (n_event_fds == MAX_EVENT_FDS) {
		r = -EMFILE;
		goto out;
	}
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	event_fds[n_event_fds++] = fd;
	r = fd;
out:
	pthread_mutex_unlock(&lock);
	return r;
}

static int fake_events_rearm(int fd)
{
	uint64_t v;
	int r;

	pthread_mutex_lock(&lock);
	r = enter(DMOP_ARM_POLL);
	if (r >= 0 && read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		r = -errno;
	pthread_mutex_unlock(&lock);
	return r;
}

const struct mp_dm_ops fake_dm_ops = {
	.list = fake_list,
	.info = fake_info,
	.get_table = fake_get_table,
	.get_status = fake_get_status,
	.create = fake_create,
	.reload = fake_reload,
	.message = fake_message,
	.remove = fake_remove,
	.suspend_resume = fake_suspend_resume,
	.rename = fake_rename,
	.events_open = fake_events_open,
	.events_rearm = fake_events_rearm,
};

/* ------------------------------------------------------------ test hooks */

void fake_dm_reset(void)
{
	size_t b, i;

	pthread_mutex_lock(&lock);
	for (b = 0; b < N_BUCKETS; b++)
		while (buckets[b])
			unlink_map(&buckets[b]);
	for (i = 0; i < n_event_fds; i++)
		close(event_fds[i]);
	n_event_fds = 0;
	n_maps = 0;
	name_bytes = 0;
	list_cpu_ns = 0;
	next_minor = 0;
	memset(counts, 0, sizeof(counts));
	memset(fail_n, 0, sizeof(fail_n));
	pthread_mutex_unlock(&lock);
}

void fake_dm_install(void)
{
	const struct mp_backend *cur = mp_backend();

	fake_dm_reset();
	if (cur != &fake_backend)
		saved_backend = cur;
	fake_backend = *cur;
	fake_backend.dm = &fake_dm_ops;
	mp_backend_set(&fake_backend);
}

void fake_dm_uninstall(void)
{
	fake_dm_reset();
	mp_backend_set(saved_backend);
	saved_backend = NULL;
}

uint64_t fake_dm_count(enum mp_dm_op op)
{
	uint64_t n;

	if ((unsigned int)op >= _DMOP_MAX)
		return 0;
	pthread_mutex_lock(&lock);
	n = counts[op];
	pthread_mutex_unlock(&lock);
	return n;
}

size_t fake_dm_map_count(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = n_maps;
	pthread_mutex_unlock(&lock);
	return n;
}

static char *print_locked(const char *name, bool table)
{
	struct fmap *m;
	char *s = NULL;

	pthread_mutex_lock(&lock);
	m = find(name);
	if (m)
		s = table ? print_table(m) : print_status(m);
	pthread_mutex_unlock(&lock);
	return s;
}

char *fake_dm_status(const char *name)
{
	return print_locked(name, false);
}

char *fake_dm_table(const char *name)
{
	return print_locked(name, true);
}

size_t fake_dm_n_paths(const char *name)
{
	char *t = fake_dm_table(name);
	size_t n = 0;

	if (!t)
		return 0;
	for (char *s = t; (s = strchr(s, ':')); s++)
		n++;
	free(t);
	return n;
}

bool fake_dm_exists(const char *name)
{
	bool e;

	pthread_mutex_lock(&lock);
	e = find(name) != NULL;
	pthread_mutex_unlock(&lock);
	return e;
}

/* Read one int-valued property of a map under the lock. */
enum prop { PROP_QUEUEING, PROP_ACTIVE_PG };

static int map_prop(const char *name, enum prop p)
{
	struct fmap *m;
	int v = -1;

	pthread_mutex_lock(&lock);
	m = find(name);
	if (m)
		v = p == PROP_QUEUEING ? mp_features_has(m->t->features, "queue_if_no_path")
				       : (int)m->active_pg;
	pthread_mutex_unlock(&lock);
	return v;
}

int fake_dm_queueing(const char *name)
{
	return map_prop(name, PROP_QUEUEING);
}

int fake_dm_active_group(const char *name)
{
	return map_prop(name, PROP_ACTIVE_PG);
}

int fake_dm_path_failed(const char *name, dev_t devt)
{
	struct mp_table_path *p = NULL;
	struct fmap *m;
	int v = -ENOENT;

	pthread_mutex_lock(&lock);
	m = find(name);
	if (m)
		p = find_path(m, devt);
	if (p)
		v = p->failed;
	pthread_mutex_unlock(&lock);
	return v;
}

int64_t fake_dm_event_nr(const char *name)
{
	struct fmap *m;
	int64_t v = -1;

	pthread_mutex_lock(&lock);
	m = find(name);
	if (m)
		v = m->event_nr;
	pthread_mutex_unlock(&lock);
	return v;
}

void fake_dm_fail_next_n(enum mp_dm_op op, int err, unsigned int n)
{
	if ((unsigned int)op >= _DMOP_MAX)
		return;
	pthread_mutex_lock(&lock);
	fail_err[op] = err < 0 ? err : -EIO;
	fail_n[op] = n;
	pthread_mutex_unlock(&lock);
}

void fake_dm_fail_next(enum mp_dm_op op, int err)
{
	fake_dm_fail_next_n(op, err, 1);
}

int fake_dm_set_open_count(const char *name, int n)
{
	struct fmap **slot;
	int r = 0;

	pthread_mutex_lock(&lock);
	slot = find_slot(name);
	if (!*slot)
		r = -ENOENT;
	else if (((*slot)->open_count = n) <= 0 && (*slot)->deferred_remove)
		unlink_map(slot);
	pthread_mutex_unlock(&lock);
	return r;
}

int fake_dm_kernel_fail_path(const char *name, dev_t devt)
{
	struct mp_table_path *p = NULL;
	struct fmap *m;
	int r = -ENOENT;

	pthread_mutex_lock(&lock);
	m = find(name);
	if (m)
		p = find_path(m, devt);
	if (p) {
		r = 0;
		if (!p->failed) {
			p->failed = true;
			p->fail_count++;
			map_event(m);
		}
	}
	pthread_mutex_unlock(&lock);
	return r;
}
