// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Value types of multipath.conf: each one turns the text of a value into a
 * struct mp_val (or reports why it cannot, naming the accepted values) and
 * prints a value back in a form the parser reads to the same value, which
 * is what makes `multipath -t` output round-trip.
 */
#include <ctype.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <regex.h>
#include <stdint.h>
#include <string.h>

#include "config/internal.h"
#include "config/values.h"
#include "util/util.h"

static int bad_value(struct mp_ctx *ctx, const char *kw, const char *text,
		     const char *accepted)
{
	mp_ctx_diag(ctx, LOG_ERR, "invalid value '%s' for '%s' (accepted: %s)", text, kw,
		    accepted);
	return -EINVAL;
}

static int parse_num(const char *text, int *ret)
{
	return parse_int(text, ret);
}

int mp_print_quoted(struct strbuf *out, const char *s)
{
	int r = strbuf_append(out, "\"");

	for (const char *p = s ? s : ""; r >= 0 && *p; p++)
		r = *p == '"' ? strbuf_append(out, "\"\"") : strbuf_appendn(out, p, 1);
	return r < 0 ? r : strbuf_append(out, "\"");
}

/* ---- booleans, integers, strings ---- */

static int parse_bool(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		      const char *text, struct mp_val *out)
{
	if (!strcmp(text, "yes") || !strcmp(text, "1"))
		out->i = 1;
	else if (!strcmp(text, "no") || !strcmp(text, "0"))
		out->i = 0;
	else
		return bad_value(ctx, kw, text, "yes, no, 1, 0");
	return 0;
}

static int print_bool(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	return strbuf_append(out, v->i ? "yes" : "no");
}

static int int_range_err(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			 const char *text, const char *extra)
{
	char acc[128];

	if (t->max == INT_MAX)
		snprintf(acc, sizeof(acc), "%san integer >= %d", extra, t->min);
	else
		snprintf(acc, sizeof(acc), "%san integer from %d to %d", extra, t->min, t->max);
	return bad_value(ctx, kw, text, acc);
}

static int parse_intv(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		      const char *text, struct mp_val *out)
{
	int v;

	if (parse_num(text, &v) < 0 || v < t->min || v > t->max)
		return int_range_err(t, ctx, kw, text, "");
	out->i = v;
	return 0;
}

static int print_int(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	return strbuf_appendf(out, "%d", v->i);
}

/* An integer, or a word (names[0]) standing for values[0]. */
static int parse_int_or_word(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			     const char *text, struct mp_val *out)
{
	char extra[64];
	int v;

	for (size_t k = 0; t->names[k]; k++)
		if (!strcmp(text, t->names[k])) {
			out->i = t->values[k];
			return 0;
		}
	if (parse_num(text, &v) == 0 && v >= t->min && v <= t->max) {
		out->i = v;
		/* "0" spelled as the word when the word means the same */
		return 0;
	}
	snprintf(extra, sizeof(extra), "'%s' or ", t->names[0]);
	return int_range_err(t, ctx, kw, text, extra);
}

static int print_int_or_word(const struct mp_vtype *t, const struct mp_val *v,
			     struct strbuf *out)
{
	for (size_t k = 0; t->names[k]; k++)
		if (v->i == t->values[k])
			return strbuf_append(out, t->names[k]);
	return strbuf_appendf(out, "%d", v->i);
}

static int parse_str(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		     const char *text, struct mp_val *out)
{
	if (t->min > 0 && !*text)
		return bad_value(ctx, kw, text, "a non-empty string");
	out->s = strdup(text);
	return out->s ? 0 : -ENOMEM;
}

static int print_str(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	return mp_print_quoted(out, v->s);
}

/* ---- enumerations ---- */

static int parse_enum(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		      const char *text, struct mp_val *out)
{
	for (size_t k = 0; t->names[k]; k++)
		if (!strcmp(text, t->names[k])) {
			out->i = t->values ? t->values[k] : (int)k;
			return 0;
		}
	return bad_value(ctx, kw, text, t->accepted);
}

static int print_enum(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	for (size_t k = 0; t->names[k]; k++)
		if (v->i == (t->values ? t->values[k] : (int)k))
			return strbuf_append(out, t->names[k]);
	return strbuf_appendf(out, "%d", v->i);
}

/* A string restricted to a list of names (checker, prio). */
static int parse_strenum(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			 const char *text, struct mp_val *out)
{
	for (size_t k = 0; t->names[k]; k++)
		if (!strcmp(text, t->names[k]))
			return parse_str(t, ctx, kw, text, out);
	return bad_value(ctx, kw, text, t->accepted);
}

static int print_word(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	return strbuf_append(out, v->s ? v->s : "");
}

/* ---- structured strings ---- */

static size_t split_words(char *s, char **w, size_t max)
{
	char *save = NULL;
	size_t n = 0;

	for (char *tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return max + 1;
		w[n++] = tok;
	}
	return n;
}

static bool word_in(const char *w, const char *const *list)
{
	for (size_t k = 0; list[k]; k++)
		if (!strcmp(w, list[k]))
			return true;
	return false;
}

static bool is_uint(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!isdigit((unsigned char)*w))
			return false;
	return true;
}

static const char *const selector_names[] = {
	"round-robin", "queue-length", "service-time", "historical-service-time", NULL,
};

/* "<name> <nargs> [args…]"; a bare name means "<name> 0". */
static int parse_selector(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			  const char *text, struct mp_val *out)
{
	_cleanup_free_ char *copy = strdup(text);
	char *w[16];
	size_t n;
	int nargs;

	if (!copy)
		return -ENOMEM;
	n = split_words(copy, w, ARRAY_SIZE(w));
	if (n == 0 || n > ARRAY_SIZE(w) || !word_in(w[0], selector_names))
		return bad_value(ctx, kw, text, t->accepted);
	if (n == 1)
		return asprintf(&out->s, "%s 0", w[0]) < 0 ? -ENOMEM : 0;
	if (!is_uint(w[1]) || parse_int(w[1], &nargs) < 0 || (size_t)nargs != n - 2)
		return bad_value(ctx, kw, text, "\"<selector> <number of args> [args]\"");
	return parse_str(t, ctx, kw, text, out);
}

static const char *const feature_words[] = {
	"queue_if_no_path", "retain_attached_hw_handler", "pg_init_retries",
	"pg_init_delay_msecs", "queue_mode", NULL,
};
static const char *const queue_modes[] = { "bio", "rq", "mq", NULL };

static int check_feature_arg(struct mp_ctx *ctx, const char *kw, const char *text,
			     const char *name, const char *arg)
{
	int v;

	if (!arg)
		return bad_value(ctx, kw, text, "a value after the feature name");
	if (!strcmp(name, "queue_mode"))
		return word_in(arg, queue_modes) ? 0 :
			bad_value(ctx, kw, text, "queue_mode bio, rq or mq");
	if (parse_int(arg, &v) < 0)
		return bad_value(ctx, kw, text, "an integer feature argument");
	if (!strcmp(name, "pg_init_retries") && (v < 1 || v > 50))
		return bad_value(ctx, kw, text, "pg_init_retries 1-50");
	if (!strcmp(name, "pg_init_delay_msecs") && (v < 0 || v > 60000))
		return bad_value(ctx, kw, text, "pg_init_delay_msecs 0-60000");
	return 0;
}

static int parse_features(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			  const char *text, struct mp_val *out)
{
	_cleanup_free_ char *copy = strdup(text);
	char *w[32];
	size_t n;
	int count;

	if (!copy)
		return -ENOMEM;
	n = split_words(copy, w, ARRAY_SIZE(w));
	if (n == 0 || n > ARRAY_SIZE(w) || !is_uint(w[0]) || parse_int(w[0], &count) < 0 ||
	    (size_t)count != n - 1)
		return bad_value(ctx, kw, text, t->accepted);
	for (size_t k = 1; k < n; k++) {
		if (!word_in(w[k], feature_words))
			return bad_value(ctx, kw, text, t->accepted);
		if (!strcmp(w[k], "queue_if_no_path") ||
		    !strcmp(w[k], "retain_attached_hw_handler")) {
			mp_ctx_diag(ctx, LOG_WARNING,
				    "'%s' feature '%s' is deprecated (use %s)", kw, w[k],
				    w[k][0] == 'q' ? "no_path_retry queue" :
						     "retain_attached_hw_handler yes");
			continue;
		}
		if (check_feature_arg(ctx, kw, text, w[k], k + 1 < n ? w[k + 1] : NULL) < 0)
			return -EINVAL;
		k++;
	}
	return parse_str(t, ctx, kw, text, out);
}

static const char *const hwhandler_names[] = { "emc", "rdac", "hp_sw", "alua", "ana", NULL };

static int parse_hwhandler(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			   const char *text, struct mp_val *out)
{
	_cleanup_free_ char *copy = strdup(text);
	char *w[4];
	size_t n;

	if (!copy)
		return -ENOMEM;
	n = split_words(copy, w, ARRAY_SIZE(w));
	if (n == 1 && !strcmp(w[0], "0"))
		return parse_str(t, ctx, kw, "0", out);
	if (n == 2 && !strcmp(w[0], "1") && word_in(w[1], hwhandler_names))
		return asprintf(&out->s, "1 %s", w[1]) < 0 ? -ENOMEM : 0;
	return bad_value(ctx, kw, text, t->accepted);
}

/* ---- pairs: failback, no_path_retry ---- */

static int parse_failback(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			  const char *text, struct mp_val *out)
{
	int v;

	out->j = 0;
	if (!strcmp(text, "manual"))
		out->i = FB_MANUAL;
	else if (!strcmp(text, "immediate"))
		out->i = FB_IMMEDIATE;
	else if (!strcmp(text, "followover"))
		out->i = FB_FOLLOWOVER;
	else if (parse_num(text, &v) == 0 && v > 0) {
		out->i = FB_DEFERRED;
		out->j = v;
	} else
		return bad_value(ctx, kw, text, t->accepted);
	return 0;
}

static int print_failback(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	switch (v->i) {
	case FB_IMMEDIATE:
		return strbuf_append(out, "immediate");
	case FB_FOLLOWOVER:
		return strbuf_append(out, "followover");
	case FB_DEFERRED:
		return strbuf_appendf(out, "%d", v->j);
	default:
		return strbuf_append(out, "manual");
	}
}

static int parse_npr(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		     const char *text, struct mp_val *out)
{
	int v;

	out->j = 0;
	if (!strcmp(text, "fail") || !strcmp(text, "0"))
		out->i = NPR_FAIL;
	else if (!strcmp(text, "queue"))
		out->i = NPR_QUEUE;
	else if (parse_num(text, &v) == 0 && v > 0) {
		out->i = NPR_RETRY;
		out->j = v;
	} else
		return bad_value(ctx, kw, text, t->accepted);
	return 0;
}

static int print_npr(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	if (v->i == NPR_QUEUE)
		return strbuf_append(out, "queue");
	if (v->i == NPR_RETRY)
		return strbuf_appendf(out, "%d", v->j);
	return strbuf_append(out, "fail");
}

/* ---- special strings ---- */

static int parse_regex(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		       const char *text, struct mp_val *out)
{
	regex_t re;
	char err[128];

	if (mp_regcomp(&re, text, err, sizeof(err)) < 0) {
		mp_ctx_diag(ctx, LOG_ERR, "invalid regular expression '%s' for '%s': %s (accepted: a POSIX extended regex)",
			    text, kw, err);
		return -EINVAL;
	}
	regfree(&re);
	return parse_str(t, ctx, kw, text, out);
}

static int parse_uid_attrs(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			   const char *text, struct mp_val *out)
{
	_cleanup_free_ char *copy = strdup(text);
	char *w[32];
	size_t n;

	if (!copy)
		return -ENOMEM;
	n = split_words(copy, w, ARRAY_SIZE(w));
	if (n == 0 || n > ARRAY_SIZE(w))
		return bad_value(ctx, kw, text, t->accepted);
	for (size_t k = 0; k < n; k++) {
		char *colon = strchr(w[k], ':');

		if (!colon || colon == w[k] || !colon[1])
			return bad_value(ctx, kw, text, t->accepted);
	}
	return parse_str(t, ctx, kw, text, out);
}

/* "/UNSET/" clears an inherited delimiter; stored as set with s == NULL */
static int parse_pdelim(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
			const char *text, struct mp_val *out)
{
	if (!strcmp(text, "/UNSET/")) {
		out->s = NULL;
		return 0;
	}
	if (!*text)
		return bad_value(ctx, kw, text, t->accepted);
	return parse_str(t, ctx, kw, text, out);
}

static int print_pdelim(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	return mp_print_quoted(out, v->s ? v->s : "/UNSET/");
}

/* "0x<1-16 hex digits>[:aptpl]" or "file" */
static int parse_prkey(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		       const char *text, struct mp_val *out)
{
	const char *p = text;
	size_t digits = 0;

	if (!strcmp(text, "file"))
		return parse_str(t, ctx, kw, text, out);
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; isxdigit((unsigned char)*p); p++)
		digits++;
	if (digits == 0 || digits > 16 || (*p && strcmp(p, ":aptpl")))
		return bad_value(ctx, kw, text, t->accepted);
	return parse_str(t, ctx, kw, text, out);
}

static int parse_mode(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		      const char *text, struct mp_val *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 8);
	if (errno || end == text || *end || v < 0 || v > 07777)
		return bad_value(ctx, kw, text, t->accepted);
	out->i = (int)v;
	return 0;
}

static int print_mode(const struct mp_vtype *t, const struct mp_val *v, struct strbuf *out)
{
	return strbuf_appendf(out, "0%o", (unsigned)v->i);
}

static int parse_owner(const struct mp_vtype *t, struct mp_ctx *ctx, const char *kw,
		       const char *text, struct mp_val *out)
{
	char buf[4096];
	int v;

	if (parse_num(text, &v) == 0 && v >= 0) {
		out->i = v;
		return 0;
	}
	if (t->min == 0) {                      /* uid */
		struct passwd pw, *res = NULL;

		if (getpwnam_r(text, &pw, buf, sizeof(buf), &res) == 0 && res) {
			out->i = (int)res->pw_uid;
			return 0;
		}
	} else {
		struct group gr, *res = NULL;

		if (getgrnam_r(text, &gr, buf, sizeof(buf), &res) == 0 && res) {
			out->i = (int)res->gr_gid;
			return 0;
		}
	}
	return bad_value(ctx, kw, text, t->accepted);
}

/* ---- the type instances ---- */

#define VT(n_, ...) const struct mp_vtype n_ = { __VA_ARGS__ }

VT(vt_bool, parse_bool, print_bool, .accepted = "yes, no");
VT(vt_str, parse_str, print_str, .accepted = "a string");
VT(vt_str_ne, parse_str, print_str, .min = 1, .accepted = "a non-empty string");
VT(vt_int_pos, parse_intv, print_int, .min = 1, .max = INT_MAX);
VT(vt_int_nonneg, parse_intv, print_int, .min = 0, .max = INT_MAX);
VT(vt_int_any, parse_intv, print_int, .min = INT_MIN, .max = INT_MAX);
VT(vt_verbosity, parse_intv, print_int, .min = 0, .max = 6);
VT(vt_max_retries, parse_intv, print_int, .min = 0, .max = 5);
VT(vt_permille, parse_intv, print_int, .min = 0, .max = 1000);

static const char *const w_no[] = { "no", NULL };
static const int v_unset[] = { MP_UNSET };
VT(vt_int_or_no, parse_int_or_word, print_int_or_word, .min = 1, .max = INT_MAX,
   .names = w_no, .values = v_unset);
VT(vt_sample_time, parse_int_or_word, print_int_or_word, .min = 120, .max = INT_MAX,
   .names = w_no, .values = v_unset);
static const char *const w_off[] = { "off", NULL };
static const int v_off[] = { MP_TMO_OFF };
static const int v_zero[] = { 0 };
VT(vt_off_or_int, parse_int_or_word, print_int_or_word, .min = 0, .max = INT_MAX,
   .names = w_off, .values = v_off);
static const char *const w_inf[] = { "infinity", NULL };
static const int v_inf[] = { INT32_MAX };
VT(vt_dev_loss, parse_int_or_word, print_int_or_word, .min = 0, .max = INT32_MAX - 1,
   .names = w_inf, .values = v_inf);
static const char *const w_max[] = { "max", NULL };
VT(vt_max_fds, parse_int_or_word, print_int_or_word, .min = 1, .max = INT_MAX,
   .names = w_max, .values = v_zero);

static const char *const pgp_names[] = {
	"failover", "multibus", "group_by_serial", "group_by_prio",
	"group_by_node_name", "group_by_tpg", NULL,
};
VT(vt_pgpolicy, parse_enum, print_enum, .names = pgp_names,
   .accepted = "failover, multibus, group_by_serial, group_by_prio, group_by_node_name, group_by_tpg");
static const char *const rrw_names[] = { "uniform", "priorities", NULL };
VT(vt_rr_weight, parse_enum, print_enum, .names = rrw_names, .accepted = "uniform, priorities");
static const char *const flush_names[] = { "never", "unused", "always", "yes", "no", NULL };
static const int flush_vals[] = { FLUSH_NEVER, FLUSH_UNUSED, FLUSH_ALWAYS, FLUSH_ALWAYS,
				  FLUSH_UNUSED };
VT(vt_flush, parse_enum, print_enum, .names = flush_names, .values = flush_vals,
   .accepted = "always, unused, never (yes = always, no = unused)");
static const char *const find_names[] = {
	"strict", "off", "on", "greedy", "smart", "no", "0", "yes", "1", NULL,
};
static const int find_vals[] = { FIND_STRICT, FIND_OFF, FIND_ON, FIND_GREEDY, FIND_SMART,
				 FIND_OFF, FIND_OFF, FIND_ON, FIND_ON };
VT(vt_find, parse_enum, print_enum, .names = find_names, .values = find_vals,
   .accepted = "strict, off (no, 0), on (yes, 1), greedy, smart");
static const char *const resize_names[] = { "never", "grow_only", "grow_shrink", NULL };
VT(vt_auto_resize, parse_enum, print_enum, .names = resize_names,
   .accepted = "never, grow_only, grow_shrink");
static const char *const marg_names[] = { "off", "on", "fpin", "no", "yes", "0", "1", NULL };
static const int marg_vals[] = { MARGINAL_PG_OFF, MARGINAL_PG_ON, MARGINAL_PG_FPIN,
				 MARGINAL_PG_OFF, MARGINAL_PG_ON, MARGINAL_PG_OFF,
				 MARGINAL_PG_ON };
VT(vt_marginal_pgs, parse_enum, print_enum, .names = marg_names, .values = marg_vals,
   .accepted = "off, on, fpin");
static const char *const lce_names[] = { "always", "once", NULL };
VT(vt_log_checker_err, parse_enum, print_enum, .names = lce_names, .accepted = "once, always");
static const char *const vpd_names[] = { "hp3par", NULL };
static const int vpd_vals[] = { 1 };
VT(vt_vpd_vendor, parse_enum, print_enum, .names = vpd_names, .values = vpd_vals,
   .accepted = "hp3par");

static const char *const checker_names[] = {
	"tur", "directio", "readsector0", "emc_clariion", "hp_sw", "rdac", "cciss_tur",
	"none", NULL,
};
VT(vt_checker, parse_strenum, print_word, .names = checker_names,
   .accepted = "tur, directio, readsector0, emc_clariion, hp_sw, rdac, cciss_tur, none");
static const char *const prio_names[] = {
	"const", "sysfs", "emc", "alua", "ontap", "rdac", "hp_sw", "hds", "random",
	"weightedpath", "path_latency", "ana", "datacore", "iet", "none", NULL,
};
VT(vt_prio, parse_strenum, print_word, .names = prio_names,
   .accepted = "const, sysfs, emc, alua, ontap, rdac, hp_sw, hds, random, weightedpath, path_latency, ana, datacore, iet, none");

VT(vt_selector, parse_selector, print_str,
   .accepted = "\"round-robin 0\", \"queue-length 0\", \"service-time 0\", \"historical-service-time 0\"");
VT(vt_features, parse_features, print_str,
   .accepted = "\"<count> <feature>…\" with queue_if_no_path, pg_init_retries <1-50>, pg_init_delay_msecs <0-60000>, queue_mode <bio|rq|mq>");
VT(vt_hwhandler, parse_hwhandler, print_str,
   .accepted = "\"0\", \"1 emc\", \"1 rdac\", \"1 hp_sw\", \"1 alua\", \"1 ana\"");
VT(vt_failback, parse_failback, print_failback,
   .accepted = "manual, immediate, followover, or a number of seconds > 0");
VT(vt_npr, parse_npr, print_npr, .accepted = "fail, queue, or a number of checks >= 0");
VT(vt_regex, parse_regex, print_str, .accepted = "a POSIX extended regex");
VT(vt_uid_attrs, parse_uid_attrs, print_str,
   .accepted = "\"<devname prefix>:<udev property> …\", e.g. \"sd:ID_SERIAL nvme:ID_WWN\"");
VT(vt_pdelim, parse_pdelim, print_pdelim, .accepted = "a non-empty string or \"/UNSET/\"");
VT(vt_prkey, parse_prkey, print_str,
   .accepted = "\"0x<up to 16 hex digits>[:aptpl]\" or \"file\"");
VT(vt_mode, parse_mode, print_mode, .accepted = "an octal mode such as 0600");
VT(vt_uid, parse_owner, print_int, .min = 0, .accepted = "a user name or numeric uid");
VT(vt_gid, parse_owner, print_int, .min = 1, .accepted = "a group name or numeric gid");

/* ---- prio_args, checked against the prioritizer of the same section ---- */

static bool word_count_pairs(char *args, const char *const *first)
{
	char *w[64];
	size_t n = split_words(args, w, ARRAY_SIZE(w));
	regex_t re;
	char err[64];

	if (n < 3 || n > ARRAY_SIZE(w) || !word_in(w[0], first) || (n - 1) % 2)
		return false;
	for (size_t k = 1; k < n; k += 2) {
		if (mp_regcomp(&re, w[k], err, sizeof(err)) < 0)
			return false;
		regfree(&re);
		if (!is_uint(w[k + 1]))
			return false;
	}
	return true;
}

static bool latency_args_ok(char *args)
{
	char *w[4];
	size_t n = split_words(args, w, ARRAY_SIZE(w));
	bool io = false, base = false;

	for (size_t k = 0; k < n && n <= ARRAY_SIZE(w); k++) {
		int v;
		double d;

		if (!strncmp(w[k], "io_num=", 7) && parse_int(w[k] + 7, &v) == 0 && v >= 20 &&
		    v <= 200)
			io = true;
		else if (!strncmp(w[k], "base_num=", 9) && sscanf(w[k] + 9, "%lf", &d) == 1 &&
			 d >= 1.1 && d <= 10)
			base = true;
		else
			return false;
	}
	return io && base;
}

/* Warn (the prioritizer falls back to its defaults) about arguments that
 * the prioritizer chosen in the same section will not understand. */
void mp_check_prio_args(struct mp_ctx *ctx, const char *prio, const char *args)
{
	static const char *const wp_first[] = { "hbtl", "devname", "serial", "wwn", NULL };
	_cleanup_free_ char *copy = args ? strdup(args) : NULL;
	const char *expect = NULL;
	bool ok = true;

	if (!prio || !copy || !*copy)
		return;
	if (!strcmp(prio, "alua")) {
		ok = !strcmp(copy, "exclusive_pref_bit");
		expect = "\"exclusive_pref_bit\"";
	} else if (!strcmp(prio, "weightedpath")) {
		ok = word_count_pairs(copy, wp_first);
		expect = "\"hbtl|devname|serial|wwn <regex> <prio> …\"";
	} else if (!strcmp(prio, "path_latency")) {
		ok = latency_args_ok(copy);
		expect = "\"io_num=<20-200> base_num=<1.1-10>\"";
	} else if (!strcmp(prio, "datacore")) {
		ok = str_startswith(copy, "preferredsds=") || strstr(copy, " preferredsds=");
		expect = "\"preferredsds=<name> [timeout=<ms>]\"";
	} else if (!strcmp(prio, "iet")) {
		ok = str_startswith(copy, "preferredip=");
		expect = "\"preferredip=<a.b.c.d>\"";
	} else {
		ok = false;
		expect = "no arguments";
	}
	if (!ok)
		mp_ctx_diag(ctx, LOG_WARNING, "prio_args '%s' do not suit prio '%s' (accepted: %s)",
			    args, prio, expect);
}
