/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dm-multipath target table and status lines, as data.
 *
 * table:  <features> <hwhandler> <nr_pgs> <initial_pg>
 *         { <selector> <nr_sel_args> <sel_args…> <nr_paths> <nr_path_args>
 *           { <maj:min> <path_args…> } }
 * status: <nr_feature_words> <features…> <nr_hw_words> <hw…> <nr_pgs> <active_pg>
 *         { <A|D|E> <nr_ps_status> <nr_paths> <nr_path_status>
 *           { <maj:min> <A|F> <fail_count> <ps_status…> } }
 * build(parse(x)) == x for every table the kernel returns (trailing blanks
 * aside: the kernel ends its lines with one; we never emit it).
 *
 * The kernel prints the selector's own per-path table words after each
 * path: round-robin and queue-length print 1 (the repeat count),
 * service-time prints 2 (repeat, relative throughput).  The first word is
 * kept in `repeat`, the rest verbatim in `args`.  In the status, the
 * per-group and per-path selector words are skipped using their counts.
 *
 * The status's feature words are "2 <queue_io> <pg_init_count>": the
 * kernel does not report the queue_if_no_path setting there.  Read the
 * table's features for it (mp_features_has(t->features, "queue_if_no_path")).
 *
 * Parsers return -EINVAL on malformed input and never read past it;
 * features must give pg_init_retries, pg_init_delay_msecs and queue_mode
 * their value, as the kernel requires.
 */
#ifndef MP_DM_TABLE_H
#define MP_DM_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/strbuf.h"

struct mp_table_path {
	dev_t devt;
	unsigned int repeat;            /* rr_min_io(_rq) × weight; 0 = omitted */
	char *args;                     /* path args after repeat, NULL = none */
	/* from status */
	bool failed;
	unsigned int fail_count;
};

struct mp_table_pg {
	char *selector;                 /* "service-time" */
	char *selector_args;            /* "0" style: "<n> args…" as in config */
	unsigned int n_path_args;       /* 1 with repeat, 0 without, 2 service-time as printed */
	size_t n_paths;
	struct mp_table_path *paths;
	char state;                     /* status: 'A' active, 'E' enabled, 'D' disabled */
};

struct mp_table {
	char *features;                 /* "1 queue_if_no_path" */
	char *hwhandler;                /* "0" / "1 alua" */
	unsigned int initial_pg;        /* 1-based, 0 = kernel default */
	size_t n_pgs;
	struct mp_table_pg *pgs;
};

struct mp_status {
	bool queue_if_no_path;          /* = queue_io (see above), or the word itself */
	unsigned int pg_init_in_progress; /* = pg_init_count */
	bool queue_io;                  /* status feature word 1 */
	unsigned int pg_init_count;     /* status feature word 2 */
	unsigned int active_pg;         /* 1-based; from status "next pg" field */
	size_t n_pgs;
	struct mp_table_pg *pgs;        /* state + per-path failed/fail_count */
};

int mp_table_build(const struct mp_table *t, struct strbuf *out);
int mp_table_parse(const char *params, struct mp_table **ret);
void mp_table_free(struct mp_table *t);
int mp_status_parse(const char *status, struct mp_status **ret);
void mp_status_free(struct mp_status *s);

/*
 * Does the kernel's table `kernel` carry what we asked for in `want`?
 * Semantic, not textual: features compared in the kernel's order and
 * without the defaults it drops (queue_mode rq/mq); hwhandler differs only
 * when we want one and the kernel has none (it drops handler args and
 * substitutes a handler already attached to the paths); groups by selector, selector
 * args, paths and repeat counts; per-path words after the repeat (service-
 * time's relative throughput, which the kernel always prints) are ignored
 * unless both sides have them, and initial_pg is ignored (the kernel reports
 * the current group there).  The daemon reloads only when this is false.
 */
bool mp_table_equal(const struct mp_table *want, const struct mp_table *kernel);
/* Features as the kernel prints them: queue_if_no_path, pg_init_retries,
 * pg_init_delay_msecs, retain_attached_hw_handler, queue_mode bio, then
 * anything unknown in input order; "queue_mode rq|mq" dropped. */
int mp_features_normalise(const char *features, char **ret);

/* Total number of paths over all groups. */
size_t mp_table_n_paths(const struct mp_table *t);

/*
 * features string helpers: "2 queue_if_no_path pg_init_retries 50".
 * Keywords taking a value (pg_init_retries, pg_init_delay_msecs,
 * queue_mode) are walked as a pair, so a value never matches a keyword.
 * add: `word` is a keyword with its value if any ("pg_init_retries 50");
 * an existing keyword's value is replaced.  remove: `word` is the keyword.
 * Both return a new string (caller frees) and -EINVAL on a malformed one.
 */
bool mp_features_has(const char *features, const char *word);
int mp_features_add(const char *features, const char *word, char **ret);
int mp_features_remove(const char *features, const char *word, char **ret);

#endif
