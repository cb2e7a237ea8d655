// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading the configuration from files: multipath.conf, then the *.conf
 * drop-ins in alphabetical order, all parsed into one config so later
 * files win.  Also the one fact the built-in rules take from the system:
 * with the kernel's native NVMe multipathing on, NVMe namespaces are the
 * kernel's business and drop out of the devnode allow-list.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/backend.h"
#include "config/internal.h"

static bool nvme_native_multipath(void)
{
	const struct mp_backend *b = mp_backend();
	char buf[16];

	if (!b || !b->sysfs || !b->sysfs->read_attr ||
	    b->sysfs->read_attr("/sys/module/nvme_core/parameters", "multipath", buf,
				sizeof(buf)) < 0)
		return false;
	return buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
}

static int parse_file(struct mp_ctx *ctx, const char *path, bool missing_ok)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *text = NULL;
	size_t cap = 0;
	ssize_t len;

	ctx->file = path;
	ctx->line = 0;
	if (!f) {
		int r = -errno;

		if (r == -ENOENT && missing_ok)
			return 0;
		mp_ctx_diag(ctx, LOG_ERR, "cannot read: %s", strerror(-r));
		return 0;
	}
	len = getdelim(&text, &cap, '\0', f);
	if (len < 0) {
		if (ferror(f)) {
			mp_ctx_diag(ctx, LOG_ERR, "cannot read: %s", strerror(errno));
			return 0;
		}
		len = 0;
	}
	return mp_parse_text(ctx, text ? text : "", len);
}

static int conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".conf");
}

static int parse_dir(struct mp_ctx *ctx, const char *dir)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, conf_filter, alphasort);
	int r = 0;

	if (n < 0)
		return 0;                       /* no drop-in directory */
	for (int k = 0; k < n; k++) {
		_cleanup_free_ char *path = NULL;
		struct stat st;

		if (r >= 0 && asprintf(&path, "%s/%s", dir, list[k]->d_name) < 0)
			r = -ENOMEM;
		if (r >= 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			r = parse_file(ctx, path, false);
		free(list[k]);
	}
	free(list);
	return r;
}

int mp_config_load(const char *file, const char *confdir, struct mp_config **ret,
		   struct mp_config_diags *diags)
{
	_cleanup_(mp_config_freep) struct mp_config *c = NULL;
	struct mp_ctx ctx = { .diags = diags };
	int r = mp_config_new(nvme_native_multipath(), &c);

	if (r < 0)
		return r;
	ctx.c = c;
	if (file) {
		r = parse_file(&ctx, file, true);
		if (r < 0)
			return r;
	}
	if (confdir) {
		r = parse_dir(&ctx, confdir);
		if (r < 0)
			return r;
	}
	return mp_config_finish(&c, &ctx, ret);
}

