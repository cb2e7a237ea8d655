// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bindings file: "alias wwid" lines.  Aliases are allocated in the
 * order mpatha … mpathz, mpathaa … (bijective base 26, like spreadsheet
 * columns); the lowest index bound to nobody is taken, so a removed
 * binding's alias may be handed out again but a listed one never is.
 * A new binding is appended under the file's lock (files.c), as the
 * incumbent's older releases did, so the file is in allocation order;
 * mp_bindings_set() rewrites it sorted by alias.  Parsing indexes the
 * bindings by WWID and by alias (hash maps) so that reading a file is O(n)
 * and, in a cache, looking up or allocating an alias is O(1) amortised.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "discovery/files.h"
#include "discovery/internal.h"
#include "discovery/strmap.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/util.h"

static const char bindings_header[] =
	"# Multipath bindings, Version : 1.0\n"
	"# Maintained by multipath and multipathd: user_friendly_names aliases,\n"
	"# one \"alias wwid\" a line.  An alias listed here is never given to\n"
	"# another WWID.\n"
	"#\n"
	"# Format:\n"
	"# alias wwid\n"
	"#\n";

int mp_alias_format(const char *prefix, unsigned int n, char *buf, size_t len)
{
	char tmp[16];
	size_t i = sizeof(tmp);
	unsigned long long v = (unsigned long long)n + 1;

	tmp[--i] = '\0';
	while (v > 0) {
		v--;
		tmp[--i] = (char)('a' + v % 26);
		v /= 26;
	}
	if ((size_t)snprintf(buf, len, "%s%s", prefix, tmp + i) >= len)
		return -ENOSPC;
	return 0;
}

int mp_alias_index(const char *prefix, const char *alias)
{
	size_t pl = strlen(prefix);
	const char *s;
	unsigned long long v = 0;

	if (strncmp(alias, prefix, pl) || !alias[pl] || strlen(alias + pl) > 6)
		return -EINVAL;
	for (s = alias + pl; *s; s++) {
		if (*s < 'a' || *s > 'z')
			return -EINVAL;
		v = v * 26 + (unsigned long long)(*s - 'a' + 1);
	}
	return (int)(v - 1);
}

void mp_bindings_done(struct mp_bindings *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].alias);
		free(b->v[i].wwid);
	}
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

const char *mp_bindings_alias_of(const struct mp_bindings *b, const char *wwid)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].wwid, wwid))
			return b->v[i].alias;
	return NULL;
}

const char *mp_bindings_wwid_of(const struct mp_bindings *b, const char *alias)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].alias, alias))
			return b->v[i].wwid;
	return NULL;
}

static int bindings_add(struct mp_bindings *b, const char *alias, const char *wwid)
{
	struct mp_binding *nv = realloc(b->v, (b->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	b->v = nv;
	nv[b->n].alias = strdup(alias);
	nv[b->n].wwid = strdup(wwid);
	if (!nv[b->n].alias || !nv[b->n].wwid) {
		free(nv[b->n].alias);
		free(nv[b->n].wwid);
		return -ENOMEM;
	}
	b->n++;
	return 0;
}

/* Bindings with their two indexes (value: position in b.v). */
struct bindex {
	struct mp_bindings b;
	struct mp_strmap *by_wwid, *by_alias;
};

static void bindex_done(struct bindex *x)
{
	mp_bindings_done(&x->b);
	mp_strmap_free(x->by_wwid);
	mp_strmap_free(x->by_alias);
	x->by_wwid = x->by_alias = NULL;
}

static int bindex_init(struct bindex *x)
{
	*x = (struct bindex){ .by_wwid = mp_strmap_new(), .by_alias = mp_strmap_new() };
	if (!x->by_wwid || !x->by_alias) {
		bindex_done(x);
		return -ENOMEM;
	}
	return 0;
}

static int bindex_add(struct bindex *x, const char *alias, const char *wwid)
{
	size_t i = x->b.n;
	int r = bindings_add(&x->b, alias, wwid);

	if (r == 0 && mp_strmap_put(x->by_wwid, wwid, i) < 0)
		r = -ENOMEM;
	if (r == 0 && mp_strmap_put(x->by_alias, alias, i) < 0)
		r = -ENOMEM;
	return r;
}

static const char *bindex_alias_of(const struct bindex *x, const char *wwid)
{
	size_t i;

	return mp_strmap_get(x->by_wwid, wwid, &i) ? x->b.v[i].alias : NULL;
}

static const char *bindex_wwid_of(const struct bindex *x, const char *alias)
{
	size_t i;

	return mp_strmap_get(x->by_alias, alias, &i) ? x->b.v[i].wwid : NULL;
}

static int parse_line(struct bindex *x, const char *file, int lineno, char *line)
{
	char *alias, *wwid, *extra, *save = NULL;

	alias = strtok_r(line, " \t", &save);
	if (!alias || *alias == '#')
		return 0;
	wwid = strtok_r(NULL, " \t", &save);
	extra = strtok_r(NULL, " \t", &save);
	if (!wwid || (extra && *extra != '#')) {
		log_warn("%s:%d: ignoring corrupt line", file, lineno);
		return 0;
	}
	if (bindex_wwid_of(x, alias) || bindex_alias_of(x, wwid)) {
		log_warn("%s:%d: ignoring duplicate binding %s %s", file, lineno, alias, wwid);
		return 0;
	}
	return bindex_add(x, alias, wwid);
}

static int parse_bindings(const char *file, const char *text, struct bindex *ret)
{
	struct bindex x;
	const char *p = text;
	int lineno = 0, r = bindex_init(&x);

	while (r == 0 && *p) {
		size_t len = strcspn(p, "\n");
		char line[1024];

		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		r = parse_line(&x, file, lineno, line);
	}
	if (r < 0) {
		bindex_done(&x);
		return r;
	}
	*ret = x;
	return 0;
}

int mp_bindings_read(const char *file, struct mp_bindings *ret)
{
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL;
	struct bindex x;
	int r;

	if (fd < 0) {
		if (errno != ENOENT)
			return -errno;
		*ret = (struct mp_bindings){ 0 };
		return 0;
	}
	r = mp_files_read_fd(fd, &text);
	if (r == 0)
		r = parse_bindings(file, text, &x);
	if (r < 0)
		return r;
	*ret = x.b;
	x.b = (struct mp_bindings){ 0 };
	bindex_done(&x);
	return 0;
}

/* Shorter aliases first, so mpathz sorts before mpathaa. */
static int cmp_binding(const void *a, const void *b)
{
	const struct mp_binding *x = a, *y = b;
	size_t lx = strlen(x->alias), ly = strlen(y->alias);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->alias, y->alias);
}

static int write_bindings(const char *file, struct mp_bindings *b)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int r = strbuf_append(&sb, bindings_header);

	qsort(b->v, b->n, sizeof(*b->v), cmp_binding);
	for (i = 0; r >= 0 && i < b->n; i++)
		r = strbuf_appendf(&sb, "%s %s\n", b->v[i].alias, b->v[i].wwid);
	if (r >= 0)
		r = write_file_atomic(file, strbuf_str(&sb), 0644);
	strbuf_reset(&sb);
	return r < 0 ? r : 0;
}

/*---- the bindings cache ----*/

struct mp_bindings_cache {
	struct mp_file_cache f;
	struct bindex x;
	bool filled;
	/* Every index below `hint` of `hint_prefix` is bound: the scan for
	 * the lowest free alias starts there, which makes a storm of
	 * allocations linear, not quadratic. */
	char *hint_prefix;
	unsigned int hint;
};

struct mp_bindings_cache *mp_bindings_cache_new(void)
{
	struct mp_bindings_cache *c = calloc(1, sizeof(*c));

	if (c)
		mp_file_cache_init(&c->f);
	return c;
}

static void cache_forget(struct mp_bindings_cache *c)
{
	mp_file_cache_set(&c->f, NULL, -1);
	if (c->filled)
		bindex_done(&c->x);
	c->filled = false;
	c->hint = 0;
}

void mp_bindings_cache_free(struct mp_bindings_cache *c)
{
	if (!c)
		return;
	cache_forget(c);
	free(c->hint_prefix);
	free(c);
}

/* Refill from `fd` (locked, or -ENOENT for "no file") unless the cache
 * already is that file. */
static int bindings_sync(struct mp_bindings_cache *c, const char *file, int fd)
{
	_cleanup_free_ char *text = NULL;
	int r;

	if (fd >= 0 && c->filled && mp_file_cache_fresh(&c->f, file, fd))
		return 0;
	cache_forget(c);
	r = fd >= 0 ? mp_files_read_fd(fd, &text) : 0;
	if (r == 0)
		r = parse_bindings(file, text ?: "", &c->x);
	if (r < 0)
		return r;
	c->filled = true;
	return fd >= 0 ? mp_file_cache_set(&c->f, file, fd) : 0;
}

static unsigned int *hint_for(struct mp_bindings_cache *c, const char *prefix)
{
	if (!c->hint_prefix || strcmp(c->hint_prefix, prefix)) {
		free(c->hint_prefix);
		c->hint_prefix = strdup(prefix);
		c->hint = 0;
	}
	return &c->hint;
}

/* The candidates run up to four letters, as the incumbent's do. */
#define MAX_ALIAS_INDEX (26u * 26 * 26 * 26 + 26 * 26 * 26 + 26 * 26 + 26)

static int lowest_free(struct mp_bindings_cache *c, const char *prefix,
		       bool (*in_use)(const char *alias, void *ud), void *ud, char *buf,
		       size_t len)
{
	unsigned int *hint = hint_for(c, prefix), n;

	for (n = *hint; n < MAX_ALIAS_INDEX; n++) {
		if (mp_alias_format(prefix, n, buf, len) < 0)
			return -ENOSPC;
		if (bindex_wwid_of(&c->x, buf)) {
			if (n == *hint)
				(*hint)++;
			continue;
		}
		/* Not bound but taken by a foreign map: skipped this time
		 * only, so the hint must not pass it. */
		if (in_use && in_use(buf, ud))
			continue;
		return 0;
	}
	return -ENOSPC;
}

/* A new alias for `wwid` under the exclusive lock `fd`, appended. */
static int bind_new(struct mp_bindings_cache *c, const char *file, int fd, const char *wwid,
		    const char *prefix, bool (*in_use)(const char *alias, void *ud), void *ud,
		    char *alias, size_t len)
{
	char line[2048];
	int r = lowest_free(c, prefix, in_use, ud, alias, len);

	if (r < 0)
		return r;
	if ((size_t)snprintf(line, sizeof(line), "%s %s\n", alias, wwid) >= sizeof(line))
		return -EINVAL;
	r = mp_files_append(fd, bindings_header, line);
	if (r == 0)
		r = bindex_add(&c->x, alias, wwid);
	/* Our own append is the only change: the cache stays valid. */
	if (r == 0)
		r = mp_file_cache_set(&c->f, file, fd);
	if (r < 0)
		cache_forget(c);
	return r;
}

int mp_bindings_cache_get_alias(struct mp_bindings_cache *c, const char *file,
				const char *wwid, const char *prefix, bool readonly,
				bool (*in_use)(const char *alias, void *ud), void *ud,
				char **ret_alias)
{
	_cleanup_close_ int fd = -1;
	char alias[NAME_MAX + 1];
	const char *have;
	int r;

	if (!wwid || !*wwid || strpbrk(wwid, " \t\n") || !prefix)
		return -EINVAL;
	fd = mp_files_lock(file, !readonly);
	if (fd < 0 && !(readonly && fd == -ENOENT))
		return fd;
	r = bindings_sync(c, file, fd);
	if (r < 0)
		return r;
	have = bindex_alias_of(&c->x, wwid);
	if (have)
		r = strlcpy_mp(alias, have, sizeof(alias)) < sizeof(alias) ? 0 : -ENOSPC;
	else if (readonly)
		r = -ENOENT;
	else
		r = bind_new(c, file, fd, wwid, prefix, in_use, ud, alias, sizeof(alias));
	if (r < 0)
		return r;
	*ret_alias = strdup(alias);
	return *ret_alias ? 0 : -ENOMEM;
}

int mp_bindings_get_alias(const char *file, const char *wwid, const char *prefix,
			  bool readonly, bool (*in_use)(const char *alias, void *ud),
			  void *ud, char **ret_alias)
{
	struct mp_bindings_cache *c = mp_bindings_cache_new();
	int r = c ? mp_bindings_cache_get_alias(c, file, wwid, prefix, readonly, in_use, ud,
						ret_alias)
		  : -ENOMEM;

	mp_bindings_cache_free(c);
	return r;
}

/* Drop the binding at position i of the vector (the indexes go stale:
 * only for a bindex about to be written and discarded). */
static void vector_drop(struct mp_bindings *b, size_t i)
{
	free(b->v[i].alias);
	free(b->v[i].wwid);
	b->v[i] = b->v[--b->n];
}

int mp_bindings_set(const char *file, const char *alias, const char *wwid)
{
	_cleanup_close_ int fd = -1;
	struct bindex x;
	const char *owner;
	size_t i;
	int r;

	if (!alias || !*alias || !wwid || !*wwid || strpbrk(alias, " \t\n") ||
	    strpbrk(wwid, " \t\n"))
		return -EINVAL;
	fd = mp_files_lock(file, true);
	if (fd < 0)
		return fd;
	{
		_cleanup_free_ char *text = NULL;

		r = mp_files_read_fd(fd, &text);
		if (r == 0)
			r = parse_bindings(file, text, &x);
		if (r < 0)
			return r;
	}
	owner = bindex_wwid_of(&x, alias);
	if (owner && strcmp(owner, wwid)) {
		r = -EEXIST;
	} else if (!owner) {
		if (mp_strmap_get(x.by_wwid, wwid, &i))
			vector_drop(&x.b, i);
		r = bindings_add(&x.b, alias, wwid);
		if (r == 0)
			r = write_bindings(file, &x.b);
	}
	bindex_done(&x);
	return r;
}

int mp_bindings_lookup_wwid(const char *file, const char *alias, char **ret_wwid)
{
	struct mp_bindings b = { 0 };
	const char *w;
	int r = mp_bindings_read(file, &b);

	if (r < 0)
		return r;
	w = mp_bindings_wwid_of(&b, alias);
	r = w ? 0 : -ENOENT;
	if (w && !(*ret_wwid = strdup(w)))
		r = -ENOMEM;
	mp_bindings_done(&b);
	return r;
}

enum mp_find_verdict mp_should_multipath(enum mp_find mode, bool in_wwids_file,
					 bool map_exists, int n_paths_with_wwid, bool daemon)
{
	bool several = n_paths_with_wwid >= 2;

	if (map_exists)
		return MP_FIND_YES;
	switch (mode) {
	case FIND_GREEDY:
		return MP_FIND_YES;
	case FIND_OFF:
		return daemon || in_wwids_file ? MP_FIND_YES : MP_FIND_NO;
	case FIND_ON:
		return in_wwids_file || several ? MP_FIND_YES : MP_FIND_NO;
	case FIND_SMART:
		return in_wwids_file || several ? MP_FIND_YES : MP_FIND_MAYBE;
	case FIND_STRICT:
	default:
		return in_wwids_file ? MP_FIND_YES : MP_FIND_NO;
	}
}
