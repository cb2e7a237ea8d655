/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private model of the configuration.  Every section that can hold
 * per-device settings (defaults, a device entry, overrides, a protocol
 * entry, a multipaths entry) is a "layer": one value slot per setting id
 * plus a bit saying whether the file set it.  Resolution walks layers from
 * the most to the least specific and takes the first set slot, so the
 * precedence rules live in one loop (resolve.c) instead of one function per
 * keyword.  Globals use the same value slots, indexed by enum mp_gid.
 *
 * Keywords are data (keywords.c): a descriptor per setting (name, sections,
 * value type, where it lands in mp_settings / mp_globals, compiled default)
 * and a small alias table for deprecated or ignored names.
 */
#ifndef MP_CONFIG_INTERNAL_H
#define MP_CONFIG_INTERNAL_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "util/macro.h"
#include "util/log.h"
#include "util/strbuf.h"

/* Sections a keyword may appear in. */
enum {
	SEC_D = 1 << 0,         /* defaults */
	SEC_H = 1 << 1,         /* devices/device */
	SEC_O = 1 << 2,         /* overrides */
	SEC_M = 1 << 3,         /* multipaths/multipath */
	SEC_P = 1 << 4,         /* overrides/protocol */
};

enum mp_gid {
	MP_G_VERBOSITY,
	MP_G_POLLING_INTERVAL,
	MP_G_MAX_POLLING_INTERVAL,
	MP_G_REASSIGN_MAPS,
	MP_G_UID_ATTRS,
	MP_G_QUEUE_WITHOUT_DAEMON,
	MP_G_MAX_FDS,
	MP_G_CHECKER_TIMEOUT,
	MP_G_ALLOW_USB_DEVICES,
	MP_G_MAX_RETRIES,
	MP_G_LOG_CHECKER_ERR,
	MP_G_FORCE_SYNC,
	MP_G_STRICT_TIMING,
	MP_G_PARTITION_DELIMITER,
	MP_G_MARGINAL_PATHGROUPS,
	MP_G_FIND_MULTIPATHS,
	MP_G_FIND_MULTIPATHS_TIMEOUT,
	MP_G_UXSOCK_TIMEOUT,
	MP_G_RETRIGGER_TRIES,
	MP_G_RETRIGGER_DELAY,
	MP_G_MISSING_UEV_WAIT_TIMEOUT,
	MP_G_REMOVE_RETRIES,
	MP_G_AUTO_RESIZE,
	MP_G_ENABLE_FOREIGN,
	_MP_G_MAX,
};

/* One value: ints and/or a string, meaning given by the value type. */
struct mp_val {
	int i;
	int j;
	char *s;
};

struct mp_layer {
	uint64_t set;                   /* bit per enum mp_setting_id */
	struct mp_val v[_MP_SET_MAX];
};

static inline bool layer_has(const struct mp_layer *l, int id)
{
	return l && (l->set >> id) & 1;
}

struct mp_ctx;                          /* parser position, for diagnostics */

/* A value type: parse text into a value, print it back. */
struct mp_vtype {
	/* 0, or -EINVAL after reporting through ctx (mp_ctx_err) */
	int (*parse)(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		     const char *text, struct mp_val *out);
	int (*print)(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out);
	int min, max;                   /* int range */
	const char *const *names;       /* enum names, NULL-terminated */
	const int *values;              /* value of each name (NULL: index) */
	const char *accepted;           /* text for "accepted values: …" */
};

enum mp_field_kind { FK_NONE, FK_INT, FK_BOOL, FK_STR, FK_PAIR, FK_MODE, FK_UID, FK_GID };

/* A setting: keyword, where it may appear, its type, where the resolved
 * value goes, and the compiled-in default. */
struct mp_desc {
	const char *name;
	unsigned sections;
	const struct mp_vtype *type;
	enum mp_field_kind kind;
	size_t off, off2;
	struct mp_val def;
	bool def_unset;                 /* compiled default is "unset" */
	bool deprecated;
	/* accepted but not acted on by this implementation: why (the parser
	 * logs a notice with file:line for a value other than the default) */
	const char *unused;
};

extern const struct mp_desc mp_set_descs[_MP_SET_MAX];
extern const struct mp_desc mp_g_descs[_MP_G_MAX];

/* Keyword lookup result. */
enum mp_kw_kind { KW_SETTING, KW_GLOBAL, KW_IGNORED };
struct mp_kw {
	enum mp_kw_kind kind;
	int id;
	unsigned sections;              /* for KW_IGNORED: where it is tolerated */
	const char *note;               /* why ignored / replacement */
};
int mp_kw_lookup(const char *name, struct mp_kw *ret);

void mp_val_done(struct mp_val *v);
int mp_val_copy(struct mp_val *dst, const struct mp_val *src);
bool mp_val_equal(const struct mp_vtype *t, const struct mp_val *a, const struct mp_val *b);
void mp_layer_done(struct mp_layer *l);
/* Copy every set slot of `src` over `dst` (later wins). */
int mp_layer_merge(struct mp_layer *dst, const struct mp_layer *src);
bool mp_layer_equal(const struct mp_layer *a, const struct mp_layer *b);
/* Store a resolved value into a struct mp_settings / mp_globals field. */
int mp_desc_store(const struct mp_desc *d, const struct mp_val *v, void *obj);
/* Print "keyword value" lines of a layer, indented with `tabs` tabs. */
int mp_layer_dump(const struct mp_layer *l, unsigned section, int tabs, struct strbuf *out);

/* Hardware entry (built-in or from `devices`). */
struct mp_hwe {
	char *vendor, *product, *revision, *bl_product;
	regex_t re_vendor, re_product, re_revision;
	bool has_vendor, has_product, has_revision;
	bool builtin;
	struct mp_layer l;
};

struct mp_pce {                         /* overrides/protocol */
	char *type;
	struct mp_layer l;
};

struct mp_mpe {                         /* multipaths/multipath */
	char *wwid;
	struct mp_layer l;
};

enum mp_bl_kind { BL_DEVNODE, BL_WWID, BL_PROPERTY, BL_PROTOCOL, BL_DEVICE, _BL_MAX };

struct mp_ble {                         /* one blacklist / exception rule */
	char *pattern;                  /* as written (without the '!') */
	char *pattern2;                 /* device: product, NULL = any */
	regex_t re, re2;
	bool has_re2;
	bool invert;
	bool builtin;
};

struct mp_blist {
	size_t n[_BL_MAX];
	struct mp_ble *v[_BL_MAX];
};

struct mp_config {
	struct mp_val g[_MP_G_MAX];
	uint64_t gset;
	struct mp_globals globals;      /* finalized from g[] */
	struct mp_layer defaults;
	struct mp_layer overrides;
	size_t n_hwe, n_builtin;
	struct mp_hwe **hwe;            /* built-ins first, then user entries */
	size_t n_pce;
	struct mp_pce **pce;
	size_t n_mpe;
	struct mp_mpe **mpe;
	struct mp_blist blist, blexc;
	bool has_enable_foreign_re;
};

/* Parser context (parser.c) */
struct mp_ctx {
	struct mp_config *c;
	struct mp_config_diags *diags;
	const char *file;
	int line;
	int errors;
};
void mp_ctx_diag(struct mp_ctx *ctx, int prio, const char *fmt, ...) _printf_(3, 4);

/* Parser entry points (parser.c) */
int mp_config_new(bool nvme_native, struct mp_config **ret);
int mp_parse_text(struct mp_ctx *ctx, const char *text, size_t len);
int mp_config_finish(struct mp_config **pc, struct mp_ctx *ctx, struct mp_config **ret);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_config *, mp_config_free);

/* Built-in tables (hwtable.c) */
int mp_hwtable_load(struct mp_config *c);
void mp_hwe_free(struct mp_hwe *h);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_hwe *, mp_hwe_free);
int mp_hwe_compile(struct mp_hwe *h, struct mp_ctx *ctx);
bool mp_hwe_match(const struct mp_hwe *h, const char *vendor, const char *product,
		  const char *revision);

/* Blacklist (blacklist.c) */
int mp_blist_add(struct mp_blist *b, enum mp_bl_kind kind, const char *pattern,
		 const char *pattern2, bool builtin, struct mp_ctx *ctx);
void mp_blist_done(struct mp_blist *b);
int mp_blist_add_builtin(struct mp_config *c, bool nvme_native);
int mp_blist_dump(const struct mp_blist *b, bool with_builtin, struct strbuf *out);

/* Globals (keywords.c) */
void mp_globals_finalize(struct mp_config *c);
void mp_globals_done(struct mp_globals *g);

/* regcomp (extended, no sub-matches) of a config pattern, refusing
 * patterns whose compiled form would explode; 0 or -EINVAL with `err`. */
int mp_regcomp(regex_t *re, const char *pattern, char *err, size_t errlen);

/* Warn about prio_args the prioritizer of the same section won't take. */
void mp_check_prio_args(struct mp_ctx *ctx, const char *prio, const char *args);

/* Strings shared by printers */
int mp_print_quoted(struct strbuf *out, const char *s);
const char *mp_bl_kind_to_string(enum mp_bl_kind k);

#endif
