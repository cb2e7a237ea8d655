// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Topology: two RCU lock-free hash tables (maps by WWID, paths by dev_t)
 * and the immutable per-map snapshots readers walk without locks.
 *
 * Nothing here takes a map or path lock: the hash tables are safe for
 * concurrent writers by themselves, and the daemon serialises the changes
 * of one map through its per-WWID work queue (multipathd/wq.c).  Objects
 * that leave a table are freed after a grace period with call_rcu(), on
 * whatever call_rcu_data the calling thread was given (the daemon installs
 * a private one for all its threads).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "topology/topology.h"
#include "util/macro.h"
#include "util/strpool.h"

#define TOPO_INIT_BUCKETS 1024

/* FNV-1a, 64 bit: WWIDs are short ASCII strings. */
static unsigned long hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (unsigned long)h;
}

static int match_map(struct cds_lfht_node *node, const void *key)
{
	const struct mp_map *m = caa_container_of(node, struct mp_map, node);

	mp_tsan_acquire(m);
	return strcmp(m->wwid, key) == 0;
}

static int match_path(struct cds_lfht_node *node, const void *key)
{
	const struct mp_path *p = caa_container_of(node, struct mp_path, node);

	mp_tsan_acquire(p);
	return p->devt == *(const dev_t *)key;
}

int mp_topo_init(struct mp_topology *t)
{
	memset(t, 0, sizeof(*t));
	t->maps = cds_lfht_new(TOPO_INIT_BUCKETS, TOPO_INIT_BUCKETS, 0,
			       CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING, NULL);
	t->paths = cds_lfht_new(TOPO_INIT_BUCKETS, TOPO_INIT_BUCKETS, 0,
				CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING, NULL);
	if (!t->maps || !t->paths) {
		if (t->maps)
			cds_lfht_destroy(t->maps, NULL);
		if (t->paths)
			cds_lfht_destroy(t->paths, NULL);
		t->maps = t->paths = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*---- snapshots ----*/

void mp_map_snap_free(struct mp_map_snap *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_pgs; i++) {
		mp_str_free(s->pgs[i].selector);
		free(s->pgs[i].paths);
	}
	free(s->pgs);
	free(s->name);
	free(s->wwid);
	mp_str_free(s->features);
	mp_str_free(s->hwhandler);
	mp_str_free(s->vendor);
	mp_str_free(s->product);
	mp_str_free(s->revision);
	free(s);
}

static void snap_free_rcu(struct rcu_head *head)
{
	mp_tsan_ignore_begin();
	mp_map_snap_free(caa_container_of(head, struct mp_map_snap, rcu));
	mp_tsan_ignore_end();
}

void mp_map_publish(struct mp_map *m, struct mp_map_snap *snap)
{
	struct mp_map_snap *old = __atomic_exchange_n(&m->snap, snap, __ATOMIC_ACQ_REL);

	if (old)
		call_rcu(&old->rcu, snap_free_rcu);
}

/*---- maps ----*/

static void map_free(struct mp_map *m, void (*priv_free)(void *))
{
	if (!m)
		return;
	mp_map_snap_free(m->snap);
	if (m->priv && priv_free)
		priv_free(m->priv);
	if (m->settings)
		mp_settings_free(m->settings);
	pthread_mutex_destroy(&m->cfg_lock);
	pthread_mutex_destroy(&m->state_lock);
	free(m->wwid);
	free(m);
}

static void map_free_rcu(struct rcu_head *head)
{
	struct mp_map *m = caa_container_of(head, struct mp_map, rcu);

	mp_tsan_ignore_begin();
	map_free(m, m->priv_free);
	mp_tsan_ignore_end();
}

/* The locks the failure path takes (state_lock, path->lock) inherit the
 * priority of their waiters: a crit worker runs SCHED_RR, and a normal
 * thread holding the lock must not be kept off the CPU by udev's workers
 * in a storm while the failover waits for it. */
static void mutex_init_pi(pthread_mutex_t *mx)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(mx, &a);
	pthread_mutexattr_destroy(&a);
}

int mp_topo_add_map(struct mp_topology *t, const char *wwid, struct mp_map **ret)
{
	struct mp_map *m;
	struct cds_lfht_node *n;

	if (!wwid || !*wwid)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->wwid = strdup(wwid);
	if (!m->wwid) {
		free(m);
		return -ENOMEM;
	}
	pthread_mutex_init(&m->cfg_lock, NULL);
	mutex_init_pi(&m->state_lock);
	m->priv_free = t->map_priv_free;
	cds_lfht_node_init(&m->node);
	mp_tsan_release(m);
	rcu_read_lock();
	n = cds_lfht_add_unique(t->maps, hash_str(wwid), match_map, m->wwid, &m->node);
	rcu_read_unlock();
	if (n != &m->node) {
		map_free(m, NULL);
		return -EEXIST;
	}
	*ret = m;
	return 0;
}

void mp_topo_del_map(struct mp_topology *t, struct mp_map *m)
{
	int r;

	rcu_read_lock();
	r = cds_lfht_del(t->maps, &m->node);
	rcu_read_unlock();
	if (r == 0)
		call_rcu(&m->rcu, map_free_rcu);
}

struct mp_map *mp_topo_find_map(struct mp_topology *t, const char *wwid)
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *n;

	if (!wwid)
		return NULL;
	cds_lfht_lookup(t->maps, hash_str(wwid), match_map, wwid, &it);
	n = cds_lfht_iter_get_node(&it);
	if (!n)
		return NULL;
	mp_tsan_acquire(caa_container_of(n, struct mp_map, node));
	return caa_container_of(n, struct mp_map, node);
}

/* Names and dm-N numbers are not keys: a linear walk is fine for the CLI. */
struct mp_map *mp_topo_find_map_by_name(struct mp_topology *t, const char *name)
{
	struct cds_lfht_iter it;
	struct mp_map *m;

	if (!name)
		return NULL;
	mp_topo_for_each_map(t, &it, m) {
		mp_tsan_acquire(m);
		const struct mp_map_snap *s = mp_map_snap_get(m);

		if (s && s->name && strcmp(s->name, name) == 0)
			return m;
	}
	return NULL;
}

struct mp_map *mp_topo_find_map_by_devt(struct mp_topology *t, dev_t devt)
{
	struct cds_lfht_iter it;
	struct mp_map *m;

	mp_topo_for_each_map(t, &it, m) {
		mp_tsan_acquire(m);
		const struct mp_map_snap *s = mp_map_snap_get(m);

		if (s && s->devt == devt)
			return m;
	}
	return NULL;
}

/*---- paths ----*/

static void path_free(struct mp_path *p, void (*ctx_free)(void *))
{
	if (!p)
		return;
	if (p->checker_ctx && ctx_free)
		ctx_free(p->checker_ctx);
	if (p->info)
		mp_path_info_free(p->info);
	pthread_mutex_destroy(&p->lock);
	free(p->checker_name);
	free(p);
}

static void path_free_rcu(struct rcu_head *head)
{
	struct mp_path *p = caa_container_of(head, struct mp_path, rcu);

	mp_tsan_ignore_begin();
	path_free(p, p->ctx_free);
	mp_tsan_ignore_end();
}

int mp_topo_add_path(struct mp_topology *t, struct mp_path_info *pi, struct mp_path **ret)
{
	struct mp_path *p;
	struct cds_lfht_node *n;

	if (!pi)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->devt = pi->devt;
	p->info = pi;
	p->chk_state = PATH_WILD;
	p->dm_state = DMP_UNKNOWN;
	p->prio = -1;
	p->ctx_free = t->checker_ctx_free;
	mutex_init_pi(&p->lock);
	cds_lfht_node_init(&p->node);
	mp_tsan_release(p);
	rcu_read_lock();
	n = cds_lfht_add_unique(t->paths, mp_hash_devt(p->devt), match_path, &p->devt, &p->node);
	rcu_read_unlock();
	if (n != &p->node) {
		p->info = NULL;         /* not ours to free on failure */
		path_free(p, NULL);
		return -EEXIST;
	}
	*ret = p;
	return 0;
}

void mp_topo_del_path(struct mp_topology *t, struct mp_path *p)
{
	int r;

	rcu_read_lock();
	r = cds_lfht_del(t->paths, &p->node);
	rcu_read_unlock();
	if (r == 0)
		call_rcu(&p->rcu, path_free_rcu);
}

struct mp_path *mp_topo_find_path(struct mp_topology *t, dev_t devt)
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *n;

	cds_lfht_lookup(t->paths, mp_hash_devt(devt), match_path, &devt, &it);
	n = cds_lfht_iter_get_node(&it);
	if (!n)
		return NULL;
	mp_tsan_acquire(caa_container_of(n, struct mp_path, node));
	return caa_container_of(n, struct mp_path, node);
}

struct mp_path *mp_topo_find_path_by_name(struct mp_topology *t, const char *devname)
{
	struct cds_lfht_iter it;
	struct mp_path *p;

	if (!devname)
		return NULL;
	mp_topo_for_each_path(t, &it, p) {
		mp_tsan_acquire(p);
		const struct mp_path_info *pi = __atomic_load_n(&p->info, __ATOMIC_ACQUIRE);

		if (pi && pi->devname && strcmp(pi->devname, devname) == 0)
			return p;
	}
	return NULL;
}

/*---- teardown ----*/

/* Called once every writer and reader thread is gone: free directly. */
void mp_topo_destroy(struct mp_topology *t)
{
	struct cds_lfht_iter it;
	struct mp_map *m;
	struct mp_path *p;

	if (t->maps) {
		rcu_read_lock();
		mp_topo_for_each_map(t, &it, m) {
			mp_tsan_acquire(m);
			if (cds_lfht_del(t->maps, &m->node) == 0)
				call_rcu(&m->rcu, map_free_rcu);
		}
		rcu_read_unlock();
	}
	if (t->paths) {
		rcu_read_lock();
		mp_topo_for_each_path(t, &it, p) {
			mp_tsan_acquire(p);
			if (cds_lfht_del(t->paths, &p->node) == 0)
				call_rcu(&p->rcu, path_free_rcu);
		}
		rcu_read_unlock();
	}
	rcu_barrier();
	if (t->maps)
		cds_lfht_destroy(t->maps, NULL);
	if (t->paths)
		cds_lfht_destroy(t->paths, NULL);
	t->maps = t->paths = NULL;
}
