// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wwids and bindings files.  Writers lock the file with flock(2) and then
 * replace it by rename, which leaves the lock on the old inode: so after
 * locking, a writer checks that its fd still is the file at that path and
 * starts over if another writer replaced it meanwhile.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "discovery/files.h"
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

static int lock_file(const char *file)
{
	for (;;) {
		struct stat a, b;
		int fd;

		mp_files_mkdir_parent(file);
		fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX) < 0) {
			int r = -errno;

			close(fd);
			return r;
		}
		if (fstat(fd, &a) == 0 && stat(file, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
}

static int read_fd(int fd, char **ret)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
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
	return read_fd(fd, ret);
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

/* "/WWID/" lines → vector; others warned about and skipped. */
static int parse_wwids(const char *file, const char *text, char ***ret)
{
	char **v = calloc(1, sizeof(char *));
	size_t n = 0;
	int lineno = 0;
	const char *p = text;

	if (!v)
		return -ENOMEM;
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
		if (strv_push(&v, &n, line + 1) < 0) {
			mp_strv_free(v);
			return -ENOMEM;
		}
	}
	*ret = v;
	return 0;
}

int mp_wwids_list(const char *file, char ***ret)
{
	_cleanup_free_ char *text = NULL;
	int r = read_path(file, &text);

	return r < 0 ? r : parse_wwids(file, text, ret);
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
	fd = lock_file(file);
	if (fd < 0)
		return fd;
	r = read_fd(fd, &text);
	if (r < 0)
		return r;
	r = parse_wwids(file, text, &v);
	if (r < 0)
		return r;
	r = edit(&v, wwid);
	if (r > 0 && (w = write_wwids(file, v)) < 0)
		r = w;
	mp_strv_free(v);
	return r;
}

static int edit_add(char ***v, const char *wwid)
{
	size_t n = 0;

	if (strv_find(*v, wwid) >= 0)
		return 0;
	while ((*v)[n])
		n++;
	return strv_push(v, &n, wwid) < 0 ? -ENOMEM : 1;
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

int mp_wwids_add(const char *file, const char *wwid)
{
	return wwids_edit(file, wwid, edit_add);
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
		fd = lock_file(file);
		r = fd < 0 ? fd : write_wwids(file, v);
	}
	mp_strv_free(v);
	return r;
}
