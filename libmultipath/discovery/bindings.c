// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bindings file: "alias wwid" lines.  Aliases are allocated in the
 * order mpatha … mpathz, mpathaa … (bijective base 26, like spreadsheet
 * columns); the lowest index bound to nobody is taken, so a removed
 * binding's alias may be handed out again but a listed one never is.
 * Writes go through the same lock-then-rename discipline as the wwids file
 * (files.c), and the file is kept sorted by alias.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "discovery/files.h"
#include "discovery/internal.h"
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

static int parse_line(struct mp_bindings *b, const char *file, int lineno, char *line)
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
	if (mp_bindings_wwid_of(b, alias) || mp_bindings_alias_of(b, wwid)) {
		log_warn("%s:%d: ignoring duplicate binding %s %s", file, lineno, alias, wwid);
		return 0;
	}
	return bindings_add(b, alias, wwid);
}

static int parse_bindings(const char *file, const char *text, struct mp_bindings *ret)
{
	struct mp_bindings b = { 0 };
	const char *p = text;
	int lineno = 0, r;

	while (*p) {
		size_t len = strcspn(p, "\n");
		char line[1024];

		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		r = parse_line(&b, file, lineno, line);
		if (r < 0) {
			mp_bindings_done(&b);
			return r;
		}
	}
	*ret = b;
	return 0;
}

static int read_all(int fd, char **ret)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (strbuf_appendn(&sb, buf, (size_t)n) < 0)
			break;
	if (n != 0) {
		strbuf_reset(&sb);
		return n < 0 ? -errno : -ENOMEM;
	}
	*ret = strbuf_steal(&sb);
	return *ret ? 0 : -ENOMEM;
}

int mp_bindings_read(const char *file, struct mp_bindings *ret)
{
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL;
	int r;

	if (fd < 0) {
		if (errno != ENOENT)
			return -errno;
		*ret = (struct mp_bindings){ 0 };
		return 0;
	}
	r = read_all(fd, &text);
	return r < 0 ? r : parse_bindings(file, text, ret);
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

/* Same protocol as files.c: lock, then make sure we locked the live file. */
static int lock_bindings(const char *file, struct mp_bindings *ret)
{
	for (;;) {
		struct stat a, b;
		_cleanup_free_ char *text = NULL;
		int fd = (mp_files_mkdir_parent(file), open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0644)), r;

		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX) < 0 || fstat(fd, &a) < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (stat(file, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
			close(fd);
			continue;
		}
		r = read_all(fd, &text);
		if (r == 0)
			r = parse_bindings(file, text, ret);
		if (r < 0) {
			close(fd);
			return r;
		}
		return fd;
	}
}

static int lowest_free(const struct mp_bindings *b, const char *prefix,
		       bool (*in_use)(const char *alias, void *ud), void *ud, char *buf,
		       size_t len)
{
	unsigned int n;

	for (n = 0; n < 26u * 26 * 26 * 26 + 26 * 26 * 26 + 26 * 26 + 26; n++) {
		if (mp_alias_format(prefix, n, buf, len) < 0)
			return -ENOSPC;
		if (mp_bindings_wwid_of(b, buf))
			continue;
		if (in_use && in_use(buf, ud))
			continue;
		return 0;
	}
	return -ENOSPC;
}

int mp_bindings_get_alias(const char *file, const char *wwid, const char *prefix,
			  bool readonly, bool (*in_use)(const char *alias, void *ud),
			  void *ud, char **ret_alias)
{
	struct mp_bindings b = { 0 };
	char alias[NAME_MAX + 1];
	const char *have;
	int fd = -1, r;

	if (!wwid || !*wwid || strpbrk(wwid, " \t\n") || !prefix)
		return -EINVAL;
	r = readonly ? mp_bindings_read(file, &b) : (fd = lock_bindings(file, &b));
	if (r < 0)
		return r;
	have = mp_bindings_alias_of(&b, wwid);
	if (have) {
		r = strlcpy_mp(alias, have, sizeof(alias)) < sizeof(alias) ? 0 : -ENOSPC;
	} else if (readonly) {
		r = -ENOENT;
	} else {
		r = lowest_free(&b, prefix, in_use, ud, alias, sizeof(alias));
		if (r == 0)
			r = bindings_add(&b, alias, wwid);
		if (r == 0)
			r = write_bindings(file, &b);
	}
	if (fd >= 0)
		close(fd);
	mp_bindings_done(&b);
	if (r < 0)
		return r;
	*ret_alias = strdup(alias);
	return *ret_alias ? 0 : -ENOMEM;
}

int mp_bindings_set(const char *file, const char *alias, const char *wwid)
{
	struct mp_bindings b = { 0 };
	const char *owner;
	size_t i;
	int fd, r = 0;

	if (!alias || !*alias || !wwid || !*wwid || strpbrk(alias, " \t\n") ||
	    strpbrk(wwid, " \t\n"))
		return -EINVAL;
	fd = lock_bindings(file, &b);
	if (fd < 0)
		return fd;
	owner = mp_bindings_wwid_of(&b, alias);
	if (owner && strcmp(owner, wwid)) {
		r = -EEXIST;
	} else if (!owner) {
		for (i = 0; i < b.n; i++)
			if (!strcmp(b.v[i].wwid, wwid)) {
				free(b.v[i].alias);
				free(b.v[i].wwid);
				b.v[i] = b.v[--b.n];
				break;
			}
		r = bindings_add(&b, alias, wwid);
		if (r == 0)
			r = write_bindings(file, &b);
	}
	close(fd);
	mp_bindings_done(&b);
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
