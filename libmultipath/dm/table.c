// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The multipath target's table and status lines as data (see table.h for
 * the grammar).  Both parsers work on a token array made once from a
 * private copy of the line; every count read from the input is checked
 * against the tokens left before anything is allocated for it, so hostile
 * input (the fuzzer's, or a foreign table) costs at most its own size and
 * is rejected with -EINVAL.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "dm/table.h"
#include "util/util.h"

/* ---------------------------------------------------------------- tokens */

struct toks {
	char *copy;
	char **v;
	size_t n;
	size_t pos;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int toks_init(struct toks *t, const char *line)
{
	size_t cap = 0;
	char *p;

	*t = (struct toks){ 0 };
	if (!line)
		return -EINVAL;
	t->copy = strdup(line);
	if (!t->copy)
		return -ENOMEM;
	/* a token needs at least 2 bytes (char + blank), so this bounds n */
	cap = strlen(line) / 2 + 1;
	t->v = calloc(cap, sizeof(*t->v));
	if (!t->v) {
		free(t->copy);
		return -ENOMEM;
	}
	for (p = t->copy; *p;) {
		while (is_blank(*p))
			*p++ = '\0';
		if (!*p)
			break;
		t->v[t->n++] = p;
		while (*p && !is_blank(*p))
			p++;
	}
	return 0;
}

static void toks_done(struct toks *t)
{
	free(t->v);
	free(t->copy);
	*t = (struct toks){ 0 };
}

static size_t toks_left(const struct toks *t)
{
	return t->n - t->pos;
}

static const char *tok_next(struct toks *t)
{
	return t->pos < t->n ? t->v[t->pos++] : NULL;
}

/* Unsigned decimal without sign, blanks or leading zeros noise beyond
 * what strtoul accepts; bounded by `max`. */
static int tok_uint(struct toks *t, unsigned int max, unsigned int *ret)
{
	const char *s = tok_next(t);
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*ret = (unsigned int)v;
	return 0;
}

/* A count followed by that many words, returned as "N w1 w2…". */
static int tok_counted_words(struct toks *t, char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	unsigned int n, i;
	int r;

	r = tok_uint(t, UINT_MAX, &n);
	if (r < 0)
		return r;
	if (n > toks_left(t))
		return -EINVAL;
	if (strbuf_appendf(&sb, "%u", n) < 0)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (strbuf_append(&sb, " ") < 0 || strbuf_append(&sb, tok_next(t)) < 0)
			return -ENOMEM;
	*ret = strbuf_steal(&sb);
	return *ret ? 0 : -ENOMEM;
}

static int tok_skip_counted(struct toks *t, unsigned int n)
{
	if (n > toks_left(t))
		return -EINVAL;
	t->pos += n;
	return 0;
}

/* "maj:min" exactly as the kernel prints it: digits, colon, digits. */
static int tok_devt(struct toks *t, dev_t *ret)
{
	const char *s = tok_next(t);
	unsigned long ma, mi;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	ma = strtoul(s, &end, 10);
	if (errno || *end != ':' || end[1] < '0' || end[1] > '9' || ma > UINT_MAX)
		return -EINVAL;
	mi = strtoul(end + 1, &end, 10);
	if (errno || *end || mi > UINT_MAX)
		return -EINVAL;
	*ret = makedev((unsigned int)ma, (unsigned int)mi);
	return 0;
}

/* Number of blank-separated words in s (0 for NULL). */
static size_t count_words(const char *s)
{
	size_t n = 0;

	while (s && *s) {
		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		n++;
		while (*s && !is_blank(*s))
			s++;
	}
	return n;
}

/* "N words…" with N matching the words that follow. */
static bool counted_string_ok(const char *s)
{
	unsigned int n;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	n = (unsigned int)strtoul(s, &end, 10);
	if (errno || (*end && !is_blank(*end)))
		return false;
	return count_words(end) == n;
}

static bool features_valid(const char *features);

/* ------------------------------------------------------------------ free */

static void pgs_free(struct mp_table_pg *pgs, size_t n)
{
	size_t i, j;

	if (!pgs)
		return;
	for (i = 0; i < n; i++) {
		free(pgs[i].selector);
		free(pgs[i].selector_args);
		for (j = 0; pgs[i].paths && j < pgs[i].n_paths; j++)
			free(pgs[i].paths[j].args);
		free(pgs[i].paths);
	}
	free(pgs);
}

void mp_table_free(struct mp_table *t)
{
	if (!t)
		return;
	free(t->features);
	free(t->hwhandler);
	pgs_free(t->pgs, t->n_pgs);
	free(t);
}

void mp_status_free(struct mp_status *s)
{
	if (!s)
		return;
	pgs_free(s->pgs, s->n_pgs);
	free(s);
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_table *, mp_table_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_status *, mp_status_free);

size_t mp_table_n_paths(const struct mp_table *t)
{
	size_t i, n = 0;

	for (i = 0; t && i < t->n_pgs; i++)
		n += t->pgs[i].n_paths;
	return n;
}

/* ----------------------------------------------------------------- build */

static int build_path(const struct mp_table_path *p, unsigned int n_args,
		      struct strbuf *out)
{
	if (strbuf_appendf(out, " %u:%u", major(p->devt), minor(p->devt)) < 0)
		return -ENOMEM;
	if (n_args == 0)
		return 0;
	if (count_words(p->args) != n_args - 1)
		return -EINVAL;
	if (strbuf_appendf(out, " %u", p->repeat) < 0)
		return -ENOMEM;
	if (p->args && (strbuf_append(out, " ") < 0 || strbuf_append(out, p->args) < 0))
		return -ENOMEM;
	return 0;
}

static int build_pg(const struct mp_table_pg *pg, struct strbuf *out)
{
	const char *sel_args = pg->selector_args ? pg->selector_args : "0";
	size_t i;
	int r;

	if (!pg->selector || !*pg->selector || count_words(pg->selector) != 1 ||
	    !counted_string_ok(sel_args))
		return -EINVAL;
	if (strbuf_appendf(out, " %s %s %zu %u", pg->selector, sel_args,
			   pg->n_paths, pg->n_path_args) < 0)
		return -ENOMEM;
	for (i = 0; i < pg->n_paths; i++) {
		r = build_path(&pg->paths[i], pg->n_path_args, out);
		if (r < 0)
			return r;
	}
	return 0;
}

int mp_table_build(const struct mp_table *t, struct strbuf *out)
{
	const char *features, *hwhandler;
	size_t start, i;
	int r;

	if (!t || !out)
		return -EINVAL;
	features = t->features ? t->features : "0";
	hwhandler = t->hwhandler ? t->hwhandler : "0";
	if (!features_valid(features) || !counted_string_ok(hwhandler) ||
	    t->initial_pg > t->n_pgs)
		return -EINVAL;
	start = strbuf_len(out);
	if (strbuf_appendf(out, "%s %s %zu %u", features, hwhandler, t->n_pgs,
			   t->initial_pg) < 0) {
		r = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < t->n_pgs; i++) {
		r = build_pg(&t->pgs[i], out);
		if (r < 0)
			goto fail;
	}
	return (int)(strbuf_len(out) - start);
fail:
	strbuf_truncate(out, start);
	return r;
}

/* ----------------------------------------------------------- table parse */

static int parse_table_path(struct toks *tk, unsigned int n_args, struct mp_table_path *p)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	unsigned int i;
	int r;

	r = tok_devt(tk, &p->devt);
	if (r < 0)
		return r;
	if (n_args == 0)
		return 0;
	r = tok_uint(tk, UINT_MAX, &p->repeat);
	if (r < 0)
		return r;
	for (i = 1; i < n_args; i++) {
		const char *w = tok_next(tk);

		if (!w)
			return -EINVAL;
		if ((i > 1 && strbuf_append(&sb, " ") < 0) || strbuf_append(&sb, w) < 0)
			return -ENOMEM;
	}
	if (n_args > 1) {
		p->args = strbuf_steal(&sb);
		if (!p->args)
			return -ENOMEM;
	}
	return 0;
}

static int parse_table_pg(struct toks *tk, struct mp_table_pg *pg)
{
	const char *sel = tok_next(tk);
	unsigned int n_paths, i;
	int r;

	if (!sel)
		return -EINVAL;
	pg->selector = strdup(sel);
	if (!pg->selector)
		return -ENOMEM;
	r = tok_counted_words(tk, &pg->selector_args);
	if (r < 0)
		return r;
	if (tok_uint(tk, UINT_MAX, &n_paths) < 0 ||
	    tok_uint(tk, UINT_MAX, &pg->n_path_args) < 0)
		return -EINVAL;
	/* each path needs 1 + n_path_args tokens */
	if (n_paths > toks_left(tk) ||
	    (n_paths && pg->n_path_args >= toks_left(tk)))
		return -EINVAL;
	if ((size_t)n_paths * (1 + (size_t)pg->n_path_args) > toks_left(tk))
		return -EINVAL;
	pg->paths = calloc(n_paths ? n_paths : 1, sizeof(*pg->paths));
	if (!pg->paths)
		return -ENOMEM;
	for (i = 0; i < n_paths; i++) {
		pg->n_paths = i + 1;    /* so a failure frees what was parsed */
		r = parse_table_path(tk, pg->n_path_args, &pg->paths[i]);
		if (r < 0)
			return r;
	}
	pg->n_paths = n_paths;
	return 0;
}

/* Allocate `n` groups, each needing at least `min_tokens` tokens. */
static int alloc_pgs(struct toks *tk, unsigned int n, size_t min_tokens,
		     struct mp_table_pg **ret)
{
	if ((size_t)n * min_tokens > toks_left(tk))
		return -EINVAL;
	*ret = calloc(n ? n : 1, sizeof(**ret));
	return *ret ? 0 : -ENOMEM;
}

int mp_table_parse(const char *params, struct mp_table **ret)
{
	_cleanup_(mp_table_freep) struct mp_table *t = NULL;
	struct toks tk;
	unsigned int n_pgs, i;
	int r;

	if (!ret)
		return -EINVAL;
	r = toks_init(&tk, params);
	if (r < 0)
		return r;
	t = calloc(1, sizeof(*t));
	if (!t) {
		r = -ENOMEM;
		goto out;
	}
	r = tok_counted_words(&tk, &t->features);
	if (r >= 0 && !features_valid(t->features))
		r = -EINVAL;
	if (r >= 0)
		r = tok_counted_words(&tk, &t->hwhandler);
	if (r >= 0)
		r = tok_uint(&tk, UINT_MAX, &n_pgs);
	if (r >= 0)
		r = tok_uint(&tk, n_pgs, &t->initial_pg);
	if (r >= 0)
		r = alloc_pgs(&tk, n_pgs, 4, &t->pgs);
	for (i = 0; r >= 0 && i < n_pgs; i++) {
		t->n_pgs = i + 1;
		r = parse_table_pg(&tk, &t->pgs[i]);
	}
	if (r >= 0 && toks_left(&tk))
		r = -EINVAL;
	if (r >= 0) {
		t->n_pgs = n_pgs;
		*ret = TAKE_PTR(t);
		r = 0;
	}
out:
	toks_done(&tk);
	return r;
}

/* ---------------------------------------------------------- status parse */

static int parse_status_features(struct toks *tk, struct mp_status *s)
{
	unsigned int n, i, v;
	int r;

	r = tok_uint(tk, UINT_MAX, &n);
	if (r < 0 || n > toks_left(tk))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const char *w = tk->v[tk->pos];

		if (!strcmp(w, "queue_if_no_path")) {
			s->queue_if_no_path = true;
			tk->pos++;
			continue;
		}
		if (i < 2 && *w >= '0' && *w <= '9') {
			if (tok_uint(tk, UINT_MAX, &v) < 0)
				return -EINVAL;
			if (i == 0)
				s->queue_io = v != 0;
			else
				s->pg_init_count = v;
			continue;
		}
		tk->pos++;
	}
	s->queue_if_no_path |= s->queue_io;
	s->pg_init_in_progress = s->pg_init_count;
	return 0;
}

static int parse_status_path(struct toks *tk, unsigned int n_ps, struct mp_table_path *p)
{
	const char *st;

	if (tok_devt(tk, &p->devt) < 0)
		return -EINVAL;
	st = tok_next(tk);
	if (!st || (strcmp(st, "A") && strcmp(st, "F")))
		return -EINVAL;
	p->failed = st[0] == 'F';
	if (tok_uint(tk, UINT_MAX, &p->fail_count) < 0)
		return -EINVAL;
	return tok_skip_counted(tk, n_ps);
}

static int parse_status_pg(struct toks *tk, struct mp_table_pg *pg)
{
	const char *st = tok_next(tk);
	unsigned int n, n_paths, i;
	int r;

	if (!st || strlen(st) != 1 || !strchr("AED", st[0]))
		return -EINVAL;
	pg->state = st[0];
	if (tok_uint(tk, UINT_MAX, &n) < 0 || tok_skip_counted(tk, n) < 0)
		return -EINVAL;
	if (tok_uint(tk, UINT_MAX, &n_paths) < 0 || tok_uint(tk, UINT_MAX, &pg->n_path_args) < 0)
		return -EINVAL;
	if (pg->n_path_args > toks_left(tk) ||
	    (size_t)n_paths * (3 + (size_t)pg->n_path_args) > toks_left(tk))
		return -EINVAL;
	pg->paths = calloc(n_paths ? n_paths : 1, sizeof(*pg->paths));
	if (!pg->paths)
		return -ENOMEM;
	pg->n_paths = n_paths;
	for (i = 0; i < n_paths; i++) {
		r = parse_status_path(tk, pg->n_path_args, &pg->paths[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

int mp_status_parse(const char *status, struct mp_status **ret)
{
	_cleanup_(mp_status_freep) struct mp_status *s = NULL;
	struct toks tk;
	unsigned int n_hw, n_pgs, i;
	int r;

	if (!ret)
		return -EINVAL;
	r = toks_init(&tk, status);
	if (r < 0)
		return r;
	s = calloc(1, sizeof(*s));
	if (!s) {
		r = -ENOMEM;
		goto out;
	}
	r = parse_status_features(&tk, s);
	if (r >= 0)
		r = tok_uint(&tk, UINT_MAX, &n_hw);
	if (r >= 0)
		r = tok_skip_counted(&tk, n_hw);
	if (r >= 0)
		r = tok_uint(&tk, UINT_MAX, &n_pgs);
	if (r >= 0)
		r = tok_uint(&tk, n_pgs, &s->active_pg);
	if (r >= 0)
		r = alloc_pgs(&tk, n_pgs, 4, &s->pgs);
	for (i = 0; r >= 0 && i < n_pgs; i++) {
		s->n_pgs = i + 1;
		r = parse_status_pg(&tk, &s->pgs[i]);
	}
	if (r >= 0 && toks_left(&tk))
		r = -EINVAL;
	if (r >= 0) {
		s->n_pgs = n_pgs;
		*ret = TAKE_PTR(s);
		r = 0;
	}
out:
	toks_done(&tk);
	return r;
}

/* -------------------------------------------------------------- features */

/* Words a feature keyword consumes after itself. */
static unsigned int feature_arity(const char *kw)
{
	static const char *const with_value[] = {
		"pg_init_retries", "pg_init_delay_msecs", "queue_mode",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(with_value); i++)
		if (!strcmp(kw, with_value[i]))
			return 1;
	return 0;
}

/* Open a features string: the count must match the words and every
 * keyword that takes a value must have one.  tk is left after the count. */
static int features_open(struct toks *tk, const char *features)
{
	unsigned int n;
	size_t i;
	int r;

	r = toks_init(tk, features);
	if (r < 0)
		return r;
	if (tok_uint(tk, UINT_MAX, &n) < 0 || n != toks_left(tk))
		goto bad;
	for (i = tk->pos; i < tk->n; i++) {
		unsigned int a = feature_arity(tk->v[i]);

		if (a > tk->n - i - 1)
			goto bad;
		i += a;
	}
	return 0;
bad:
	toks_done(tk);
	return -EINVAL;
}

static bool features_valid(const char *features)
{
	struct toks tk;

	if (features_open(&tk, features) < 0)
		return false;
	toks_done(&tk);
	return true;
}

/*
 * Walk the features, appending every keyword (with its value) except
 * `skip` to `out`, counting words in *ret_words.  Returns 1 if `skip` was
 * seen, 0 if not, -EINVAL for a malformed string.
 */
static int features_copy_except(const char *features, const char *skip,
				struct strbuf *out, unsigned int *ret_words)
{
	struct toks tk;
	unsigned int words = 0, a, i;
	int r, found = 0;

	r = features_open(&tk, features);
	if (r < 0)
		return r;
	while (toks_left(&tk)) {
		const char *kw = tok_next(&tk);

		a = feature_arity(kw);
		if (skip && !strcmp(kw, skip)) {
			found = 1;
			tk.pos += a;
			continue;
		}
		for (i = 0; i <= a; i++, words++)
			if (strbuf_append(out, " ") < 0 ||
			    strbuf_append(out, i ? tok_next(&tk) : kw) < 0) {
				r = -ENOMEM;
				goto out;
			}
	}
	*ret_words = words;
	r = found;
out:
	toks_done(&tk);
	return r;
}

bool mp_features_has(const char *features, const char *word)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	unsigned int words;

	if (!word)
		return false;
	return features_copy_except(features, word, &sb, &words) > 0;
}

static int features_finish(unsigned int words, const struct strbuf *rest, char **ret)
{
	char *s;

	if (asprintf(&s, "%u%s", words, strbuf_str(rest)) < 0)
		return -ENOMEM;
	*ret = s;
	return 0;
}

int mp_features_add(const char *features, const char *word, char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct toks wt;
	unsigned int words;
	size_t i;
	int r;

	if (!ret)
		return -EINVAL;
	r = toks_init(&wt, word);
	if (r < 0)
		return r;
	if (wt.n == 0 || wt.n != 1 + feature_arity(wt.v[0])) {
		r = -EINVAL;
		goto out;
	}
	r = features_copy_except(features ? features : "0", wt.v[0], &sb, &words);
	for (i = 0; r >= 0 && i < wt.n; i++)
		if (strbuf_append(&sb, " ") < 0 || strbuf_append(&sb, wt.v[i]) < 0)
			r = -ENOMEM;
	if (r >= 0)
		r = features_finish(words + (unsigned int)wt.n, &sb, ret);
out:
	toks_done(&wt);
	return r;
}

int mp_features_remove(const char *features, const char *word, char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	unsigned int words;
	int r;

	if (!ret || !word || count_words(word) != 1)
		return -EINVAL;
	r = features_copy_except(features ? features : "0", word, &sb, &words);
	if (r < 0)
		return r;
	return features_finish(words, &sb, ret);
}

/* ------------------------------------------------------------- comparing */

static int append_kw(struct strbuf *sb, unsigned int *words, const char *kw,
		     const char *val)
{
	if (strbuf_append(sb, " ") < 0 || strbuf_append(sb, kw) < 0)
		return -ENOMEM;
	(*words)++;
	if (val) {
		if (strbuf_append(sb, " ") < 0 || strbuf_append(sb, val) < 0)
			return -ENOMEM;
		(*words)++;
	}
	return 0;
}

static const char *const kernel_feature_order[] = {
	"queue_if_no_path", "pg_init_retries", "pg_init_delay_msecs",
	"retain_attached_hw_handler", "queue_mode",
};

static bool is_known_feature(const char *kw)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kernel_feature_order); i++)
		if (!strcmp(kw, kernel_feature_order[i]))
			return true;
	return false;
}

/* Append keyword `kw` (and value) from tk if present, honouring the
 * queue_mode default the kernel hides. */
static int emit_feature(struct toks *tk, const char *kw, struct strbuf *sb,
			unsigned int *words)
{
	size_t i = 1;

	while (i < tk->n) {
		const char *w = tk->v[i];
		unsigned int a = feature_arity(w);
		const char *val = a && i + 1 < tk->n ? tk->v[i + 1] : NULL;

		if (!strcmp(w, kw)) {
			if (!strcmp(kw, "queue_mode") && val && strcmp(val, "bio"))
				return 0;
			return append_kw(sb, words, w, val);
		}
		i += 1 + a;
	}
	return 0;
}

int mp_features_normalise(const char *features, char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct toks tk;
	unsigned int words = 0;
	size_t i;
	int r;

	if (!ret)
		return -EINVAL;
	r = features_open(&tk, features ? features : "0");
	if (r < 0)
		return r;
	for (i = 0; r >= 0 && i < ARRAY_SIZE(kernel_feature_order); i++)
		r = emit_feature(&tk, kernel_feature_order[i], &sb, &words);
	for (i = 1; r >= 0 && i < tk.n; i++) {
		unsigned int a = feature_arity(tk.v[i]);

		if (!is_known_feature(tk.v[i]))
			r = append_kw(&sb, &words, tk.v[i], NULL);
		i += a;
	}
	if (r >= 0)
		r = features_finish(words, &sb, ret);
	toks_done(&tk);
	return r;
}

static bool features_equal(const char *a, const char *b)
{
	_cleanup_free_ char *na = NULL, *nb = NULL;

	if (mp_features_normalise(a, &na) < 0 || mp_features_normalise(b, &nb) < 0)
		return false;
	return !strcmp(na, nb);
}

/*
 * Handlers: the kernel does not echo handler args, and when a different
 * SCSI device handler is already attached to the paths (or with
 * retain_attached_hw_handler) it reports and uses the attached one: a
 * reload cannot change that, so it is not a difference.  The only real
 * difference is a handler we want that the kernel does not have.
 */
static bool hwhandler_equal(const char *want, const char *kernel)
{
	struct toks tw, tk;
	bool eq = false;

	if (toks_init(&tw, want ? want : "0") < 0)
		return false;
	if (toks_init(&tk, kernel ? kernel : "0") < 0) {
		toks_done(&tw);
		return false;
	}
	if (tw.n && tk.n) {
		bool none_w = !strcmp(tw.v[0], "0"), none_k = !strcmp(tk.v[0], "0");

		eq = none_w || !none_k;
	}
	toks_done(&tw);
	toks_done(&tk);
	return eq;
}

static bool pg_equal(const struct mp_table_pg *a, const struct mp_table_pg *b)
{
	size_t i;

	if (strcmp(a->selector, b->selector) ||
	    strcmp(a->selector_args ? a->selector_args : "0",
		   b->selector_args ? b->selector_args : "0") ||
	    a->n_paths != b->n_paths)
		return false;
	for (i = 0; i < a->n_paths; i++) {
		const struct mp_table_path *pa = &a->paths[i], *pb = &b->paths[i];

		if (pa->devt != pb->devt)
			return false;
		if (a->n_path_args && b->n_path_args && pa->repeat != pb->repeat)
			return false;
		if (a->n_path_args > 1 && b->n_path_args > 1 &&
		    strcmp(pa->args ? pa->args : "", pb->args ? pb->args : ""))
			return false;
	}
	return true;
}

bool mp_table_equal(const struct mp_table *want, const struct mp_table *kernel)
{
	size_t i;

	if (!want || !kernel)
		return false;
	if (!features_equal(want->features, kernel->features) ||
	    !hwhandler_equal(want->hwhandler, kernel->hwhandler) ||
	    want->n_pgs != kernel->n_pgs)
		return false;
	for (i = 0; i < want->n_pgs; i++)
		if (!pg_equal(&want->pgs[i], &kernel->pgs[i]))
			return false;
	return true;
}
