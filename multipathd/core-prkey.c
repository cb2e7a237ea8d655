// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Persistent reservation keys of the maps: `reservation_key` (a key, or
 * "file") and the prkeys file that `setprkey` / `unsetprkey` maintain for
 * maps configured with "file" (mpathpersist tells the daemon the key it
 * registered, so it survives restarts).
 *
 * DESIGN
 * The file has the incumbent's layout: comment lines, then one
 * "<key> <wwid>" line per map, the key as 0x and 16 hex digits, written
 * 0X when the registration asked for APTPL.  Inside the daemon a key is
 * kept in the CLI's form: "0x" and the hex value without leading zeros,
 * ":aptpl" appended for APTPL.
 * Updates rewrite the file through a temporary file and rename() under an
 * flock on "<file>.lock", so readers never see half a file and two
 * writers (daemon, a second process) do not lose each other's lines.
 * File I/O never happens under a map lock: the failure path takes
 * state_lock and must not wait for a disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "util/log.h"
#include "util/macro.h"
#include "util/strbuf.h"
#include "util/util.h"

#define PRKEYS_HEADER                                                          \
	"# Persistent reservation keys of multipath maps, kept by multipathd.\n" \
	"# Do not edit while multipathd runs.  Format: <key> <wwid>, the key as\n" \
	"# 0x and 16 hex digits (0X: registered with APTPL).\n"

/* "0x1234", "1234", "0x1:aptpl", the file's "0X…" → value and APTPL. */
static int prkey_parse(const char *in, uint64_t *ret_v, bool *ret_aptpl)
{
	const char *p = in, *colon;
	uint64_t v = 0;
	bool aptpl = false;
	size_t n;

	if (!in)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		aptpl = p[1] == 'X';    /* the file's spelling of APTPL */
		p += 2;
	}
	colon = strchr(p, ':');
	n = colon ? (size_t)(colon - p) : strlen(p);
	if (colon && strcmp(colon + 1, "aptpl") != 0)
		return -EINVAL;
	if (n == 0 || n > 16 || strspn(p, "0123456789abcdefABCDEF") != n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	if (v == 0)
		return -EINVAL;         /* 0 is "no key" in PR OUT */
	*ret_v = v;
	*ret_aptpl = aptpl || colon;
	return 0;
}

/* The CLI's form (getprkey prints it): 0x<hex>[:aptpl], no padding. */
int mpd_prkey_normalize(const char *in, char *buf, size_t len)
{
	uint64_t v;
	bool aptpl;
	int r = prkey_parse(in, &v, &aptpl);

	if (r < 0)
		return r;
	snprintf(buf, len, "0x%" PRIx64 "%s", v, aptpl ? ":aptpl" : "");
	return 0;
}

/* The file's form: 16 digits, 0X for APTPL. */
static void key_to_file(const char *key, char *buf, size_t len)
{
	uint64_t v = 0;
	bool aptpl = false;

	prkey_parse(key, &v, &aptpl);
	snprintf(buf, len, "%s%016" PRIx64, aptpl ? "0X" : "0x", v);
}

static int lock_file(const char *file)
{
	_cleanup_free_ char *lk = NULL, *dir = strdup(file);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	int fd;

	if (!dir)
		return -ENOMEM;
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	free(dir);
	dir = NULL;
	if (asprintf(&lk, "%s.lock", file) < 0)
		return -ENOMEM;
	fd = open(lk, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

/* One "<key> <wwid>" line: the normalised key if it is for `wwid`. */
static bool line_key(const char *line, const char *wwid, char *buf, size_t len)
{
	char key[32], w[256];

	if (line[0] == '#' || sscanf(line, "%31s %255s", key, w) != 2)
		return false;
	return strcmp(w, wwid) == 0 && mpd_prkey_normalize(key, buf, len) == 0;
}

int mpd_prkeys_lookup(const char *file, const char *wwid, char *buf, size_t len)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char line[512];

	if (!f)
		return errno == ENOENT ? -ENOENT : -errno;
	while (fgets(line, sizeof(line), f))
		if (line_key(line, wwid, buf, len))
			return 0;
	return -ENOENT;
}

/* Our header, the other maps' lines of the old file, the new line. */
static int rebuild(const char *file, const char *wwid, const char *key, struct strbuf *sb)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char line[512], k[32], fk[32];

	if (!f && errno != ENOENT)
		return -errno;
	if (strbuf_append(sb, PRKEYS_HEADER) < 0)
		return -ENOMEM;
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n' || line_key(line, wwid, k, sizeof(k)))
			continue;
		if (strbuf_append(sb, line) < 0 ||
		    (!strchr(line, '\n') && strbuf_append(sb, "\n") < 0))
			return -ENOMEM;
	}
	if (key) {
		key_to_file(key, fk, sizeof(fk));
		if (strbuf_appendf(sb, "%s %s\n", fk, wwid) < 0)
			return -ENOMEM;
	}
	return 0;
}

int mpd_prkeys_store(const char *file, const char *wwid, const char *key)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	int lk, r;

	if (!wwid || !*wwid || strpbrk(wwid, " \t\n"))
		return -EINVAL;
	lk = lock_file(file);
	if (lk < 0)
		return lk;
	r = rebuild(file, wwid, key, &sb);
	if (r >= 0)
		r = write_file_atomic(file, strbuf_str(&sb), 0600);
	close(lk);
	return r;
}

char *mpd_prkeys_file(struct mpd *d)
{
	char *f;

	rcu_read_lock();
	const struct mp_globals *g = mp_config_globals(mpd_config());
	f = strdup(d->priv->opts.prkeys_file ?: g->prkeys_file ?: SYSCONFDIR "/multipath/prkeys");
	rcu_read_unlock();
	return f;
}

char *mpd_map_prkey_wanted(struct mpd_map *mm)
{
	const struct mp_settings *s = mm->m->settings;
	_cleanup_free_ char *file = NULL;
	char key[32];
	int r;

	if (!s || !s->reservation_key)
		return NULL;
	if (strcmp(s->reservation_key, "file") != 0)
		return mpd_prkey_normalize(s->reservation_key, key, sizeof(key)) == 0
		       ? strdup(key) : NULL;
	file = mpd_prkeys_file(mm->d);
	r = file ? mpd_prkeys_lookup(file, mm->m->wwid, key, sizeof(key)) : -ENOMEM;
	if (r < 0 && r != -ENOENT)
		log_warn("%s: cannot read %s: %s", mm->m->wwid, file, strerror(-r));
	return r == 0 ? strdup(key) : NULL;
}
