// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wwids and bindings files.  Writers lock the file with flock(2).  Adding
 * an entry appends one line to the locked file (one write, synced), so a
 * daemon creating thousands of maps pays O(1) per map, not a rewrite of
 * the whole file.  Removing entries rewrites the file and renames it into
 * place, which leaves the lock on the old inode: so after locking, every
 * writer checks that its fd still is the file at that path and starts
 * over if another writer replaced it meanwhile.
 *
 * Caches (struct mp_wwids_cache here, mp_bindings_cache in bindings.c)
 * remember a file's entries together with its identity; under the lock
 * they trust themselves only while the file is the same inode with the
 * same size and times, i.e. nobody else wrote it since.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discovery/files.h"
#include "discovery/internal.h"
#include "discovery/strmap.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/util.h"

static const char wwids_header[] =
	"# Multipath wwids, Version : 1.0\n"
	"# Maintained by multipath and multipathd: WWIDs of devices that are\n"
	"# multipathed, one \"/WWID/\" a line.  Edit only with multipath -a/-w/-W.\n"
	"#\n"
	"# Valid WWIDs:\n";

int mp_files_mkdir_parent(const char *file)
{
	char dir[PATH_MAX];
	char *s;

	if (strlcpy_mp(dir, file, sizeof(dir)) >= sizeof(dir))
		return -ENAMETOOLONG;
	s = strrchr(dir, '/');
	if (!s || s == dir)
		return 0;
	*s = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static bool same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

int mp_files_lock(const char *file, bool write)
{
	int flags = write ? O_RDWR | O_APPEND | O_CREAT : O_RDONLY;

	for (;;) {
		struct stat a, b;
		int fd;

		if (write)
			mp_files_mkdir_parent(file);
		fd = open(file, flags | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		if (flock(fd, write ? LOCK_EX : LOCK_SH) < 0) {
			int r = -errno;

			close(fd);
			return r;
		}
		if (fstat(fd, &a) == 0 && stat(file, &b) == 0 && same_inode(&a, &b))
			return fd;
		close(fd);
	}
}

int mp_files_read_fd(int fd, char **ret)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[16384];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (strbuf_appendn(&sb, buf, (size_t)n) < 0) {
			strbuf_reset(&sb);
			return -ENOMEM;
		}
	if (n < 0) {
		strbuf_reset(&sb);
		return -errno;
	}
	*ret = strbuf_steal(&sb);
	return *ret ? 0 : -ENOMEM;
}

/* A hand-edited file may lack the final newline; the new line must not
 * be glued to its last one. */
static int needs_newline(int fd, off_t size, bool *ret)
{
	char last;

	if (size == 0) {
		*ret = false;
		return 0;
	}
	if (pread(fd, &last, 1, size - 1) != 1)
		return -EIO;
	*ret = last != '\n';
	return 0;
}

int mp_files_append(int fd, const char *header, const char *line)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	bool nl = false;
	ssize_t n;
	int r;

	if (fstat(fd, &st) < 0)
		return -errno;
	r = needs_newline(fd, st.st_size, &nl);
	if (r == 0)
		r = strbuf_append(&sb, st.st_size == 0 ? header : nl ? "\n" : "");
	if (r >= 0)
		r = strbuf_append(&sb, line);
	if (r < 0) {
		strbuf_reset(&sb);
		return r;
	}
	/* One write: readers without the lock see the line whole or not. */
	n = write(fd, strbuf_str(&sb), strbuf_len(&sb));
	r = n == (ssize_t)strbuf_len(&sb) ? 0 : n < 0 ? -errno : -ENOSPC;
	if (r == 0 && fdatasync(fd) < 0)
		r = -errno;
	if (r < 0 && ftruncate(fd, st.st_size) < 0)
		log_debug("could not cut back a failed append: %m");
	strbuf_reset(&sb);
	return r;
}

void mp_file_cache_init(struct mp_file_cache *c)
{
	c->path = NULL;
	c->fd = -1;
	c->valid = false;
}

void mp_file_cache_done(struct mp_file_cache *c)
{
	free(c->path);
	if (c->fd >= 0)
		close(c->fd);
	mp_file_cache_init(c);
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

bool mp_file_cache_fresh(const struct mp_file_cache *c, const char *file, int fd)
{
	struct stat st;

	if (!c->valid || strcmp(c->path, file) || fstat(fd, &st) < 0)
		return false;
	return same_inode(&st, &c->st) && st.st_size == c->st.st_size &&
	       same_time(&st.st_mtim, &c->st.st_mtim) && same_time(&st.st_ctim, &c->st.st_ctim);
}

/* A new open file description of the inode behind `fd`: a dup would share
 * the caller's flock and keep the file locked as long as the cache lives.
 * Without /proc the cache still works, only without the pin. */
static int pin_inode(int fd)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return open(proc, O_RDONLY | O_CLOEXEC);
}

int mp_file_cache_set(struct mp_file_cache *c, const char *file, int fd)
{
	mp_file_cache_done(c);
	if (fd < 0)
		return 0;
	if (fstat(fd, &c->st) < 0)
		return -errno;
	c->path = strdup(file);
	if (!c->path)
		return -ENOMEM;
	c->fd = pin_inode(fd);
	c->valid = true;
	return 0;
}

/* Whole file, "" when it does not exist. */
static int read_path(const char *file, char **ret)
{
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno != ENOENT)
			return -errno;
		*ret = strdup("");
		return *ret ? 0 : -ENOMEM;
	}
	return mp_files_read_fd(fd, ret);
}

void mp_strv_free(char **v)
{
	char **p;

	for (p = v; p && *p; p++)
		free(*p);
	free(v);
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(char *));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(s);
	if (!nv[*n])
		return -ENOMEM;
	nv[++*n] = NULL;
	return 0;
}

static bool valid_wwid(const char *w)
{
	return *w && !strpbrk(w, "/ \t\n");
}

/* Calls `each` for every "/WWID/" line; others warned about and skipped. */
static int parse_wwids(const char *file, const char *text,
		       int (*each)(void *ud, const char *wwid), void *ud)
{
	int lineno = 0, r;
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");
		char line[1024];
		char *end;

		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		strstrip_right(line);
		if (!line[0] || line[0] == '#')
			continue;
		end = strchr(line + 1, '/');
		if (line[0] != '/' || !end || end == line + 1) {
			log_warn("%s:%d: ignoring corrupt line", file, lineno);
			continue;
		}
		*end = '\0';
		r = each(ud, line + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

struct strv_acc {
	char **v;
	size_t n;
};

static int acc_push(void *ud, const char *wwid)
{
	struct strv_acc *a = ud;

	return strv_push(&a->v, &a->n, wwid);
}

static int parse_wwids_strv(const char *file, const char *text, char ***ret)
{
	struct strv_acc a = { .v = calloc(1, sizeof(char *)) };
	int r;

	if (!a.v)
		return -ENOMEM;
	r = parse_wwids(file, text, acc_push, &a);
	if (r < 0) {
		mp_strv_free(a.v);
		return r;
	}
	*ret = a.v;
	return 0;
}

int mp_wwids_list(const char *file, char ***ret)
{
	_cleanup_free_ char *text = NULL;
	int r = read_path(file, &text);

	return r < 0 ? r : parse_wwids_strv(file, text, ret);
}

static int strv_find(char **v, const char *s)
{
	int i;

	for (i = 0; v && v[i]; i++)
		if (!strcmp(v[i], s))
			return i;
	return -1;
}

int mp_wwids_check(const char *file, const char *wwid)
{
	char **v = NULL;
	int r = mp_wwids_list(file, &v);

	if (r < 0)
		return r;
	r = strv_find(v, wwid) >= 0;
	mp_strv_free(v);
	return r;
}

static int write_wwids(const char *file, char **v)
{
	struct strbuf sb = STRBUF_INIT;
	int r = strbuf_append(&sb, wwids_header);

	for (; r >= 0 && v && *v; v++)
		r = strbuf_appendf(&sb, "/%s/\n", *v);
	if (r >= 0)
		r = write_file_atomic(file, strbuf_str(&sb), 0644);
	strbuf_reset(&sb);
	return r < 0 ? r : 0;
}

/* Locked read-modify-write of the wwids list; `edit` returns 1 to write,
 * 0 to leave the file alone, or -errno. */
static int wwids_edit(const char *file, const char *wwid,
		      int (*edit)(char ***v, const char *wwid))
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *text = NULL;
	char **v = NULL;
	int r, w;

	if (!wwid || !valid_wwid(wwid))
		return -EINVAL;
	fd = mp_files_lock(file, true);
	if (fd < 0)
		return fd;
	r = mp_files_read_fd(fd, &text);
	if (r < 0)
		return r;
	r = parse_wwids_strv(file, text, &v);
	if (r < 0)
		return r;
	r = edit(&v, wwid);
	if (r > 0 && (w = write_wwids(file, v)) < 0)
		r = w;
	mp_strv_free(v);
	return r;
}

static int edit_remove(char ***v, const char *wwid)
{
	int i = strv_find(*v, wwid), n = 0;

	if (i < 0)
		return 0;
	free((*v)[i]);
	while ((*v)[i + n + 1]) {
		(*v)[i + n] = (*v)[i + n + 1];
		n++;
	}
	(*v)[i + n] = NULL;
	return 1;
}

/*---- the WWID set cache ----*/

struct mp_wwids_cache {
	struct mp_file_cache f;
	struct mp_strmap *set;
};

struct mp_wwids_cache *mp_wwids_cache_new(void)
{
	struct mp_wwids_cache *c = calloc(1, sizeof(*c));

	if (c)
		mp_file_cache_init(&c->f);
	return c;
}

void mp_wwids_cache_free(struct mp_wwids_cache *c)
{
	if (!c)
		return;
	mp_file_cache_done(&c->f);
	mp_strmap_free(c->set);
	free(c);
}

static int set_put(void *ud, const char *wwid)
{
	return mp_strmap_put(ud, wwid, 0) < 0 ? -ENOMEM : 0;
}

/* Refill from the locked `fd` unless the cache already is that file. */
static int wwids_sync(struct mp_wwids_cache *c, const char *file, int fd)
{
	_cleanup_free_ char *text = NULL;
	struct mp_strmap *set;
	int r;

	if (mp_file_cache_fresh(&c->f, file, fd))
		return 0;
	mp_file_cache_set(&c->f, file, -1);
	r = mp_files_read_fd(fd, &text);
	if (r < 0)
		return r;
	set = mp_strmap_new();
	if (!set)
		return -ENOMEM;
	r = parse_wwids(file, text, set_put, set);
	if (r < 0) {
		mp_strmap_free(set);
		return r;
	}
	mp_strmap_free(c->set);
	c->set = set;
	return mp_file_cache_set(&c->f, file, fd);
}

int mp_wwids_cache_check(struct mp_wwids_cache *c, const char *file, const char *wwid)
{
	_cleanup_close_ int fd = mp_files_lock(file, false);
	int r;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	r = wwids_sync(c, file, fd);
	return r < 0 ? r : mp_strmap_get(c->set, wwid, NULL);
}

int mp_wwids_cache_add(struct mp_wwids_cache *c, const char *file, const char *wwid)
{
	_cleanup_close_ int fd = -1;
	char line[1024];
	int r;

	if (!wwid || !valid_wwid(wwid) || strlen(wwid) + 4 > sizeof(line))
		return -EINVAL;
	fd = mp_files_lock(file, true);
	if (fd < 0)
		return fd;
	r = wwids_sync(c, file, fd);
	if (r < 0 || mp_strmap_get(c->set, wwid, NULL))
		return r < 0 ? r : 0;
	snprintf(line, sizeof(line), "/%s/\n", wwid);
	r = mp_files_append(fd, wwids_header, line);
	if (r == 0)
		r = mp_strmap_put(c->set, wwid, 0);
	/* Our own append is the only change: the cache stays valid. */
	if (r >= 0)
		r = mp_file_cache_set(&c->f, file, fd);
	if (r < 0)
		mp_file_cache_set(&c->f, file, -1);
	return r < 0 ? r : 1;
}

int mp_wwids_add(const char *file, const char *wwid)
{
	struct mp_wwids_cache *c = mp_wwids_cache_new();
	int r = c ? mp_wwids_cache_add(c, file, wwid) : -ENOMEM;

	mp_wwids_cache_free(c);
	return r;
}

int mp_wwids_remove(const char *file, const char *wwid)
{
	return wwids_edit(file, wwid, edit_remove);
}

int mp_wwids_replace(const char *file, const char *const *wwids, size_t n)
{
	_cleanup_close_ int fd = -1;
	char **v = calloc(1, sizeof(char *));
	size_t i, m = 0;
	int r = 0;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < n && r == 0; i++) {
		if (!valid_wwid(wwids[i]))
			r = -EINVAL;
		else if (strv_find(v, wwids[i]) < 0)
			r = strv_push(&v, &m, wwids[i]);
	}
	if (r == 0) {
		fd = mp_files_lock(file, true);
		r = fd < 0 ? fd : write_wwids(file, v);
	}
	mp_strv_free(v);
	return r;
}
