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
 * build(parse(x)) == x for every table the kernel returns.
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
	/* from status */
	bool failed;
	unsigned int fail_count;
};

struct mp_table_pg {
	char *selector;                 /* "service-time" */
	char *selector_args;            /* "0" style: "<n> args…" as in config */
	unsigned int n_path_args;       /* 1 with repeat, 0 without */
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
	bool queue_if_no_path;
	unsigned int pg_init_in_progress;
	unsigned int active_pg;         /* 1-based; from status "next pg" field */
	size_t n_pgs;
	struct mp_table_pg *pgs;        /* state + per-path failed/fail_count */
};

int mp_table_build(const struct mp_table *t, struct strbuf *out);
int mp_table_parse(const char *params, struct mp_table **ret);
void mp_table_free(struct mp_table *t);
int mp_status_parse(const char *status, struct mp_status **ret);
void mp_status_free(struct mp_status *s);

/* features string helpers: "2 queue_if_no_path pg_init_retries 50" */
bool mp_features_has(const char *features, const char *word);
int mp_features_add(const char *features, const char *word, char **ret);
int mp_features_remove(const char *features, const char *word, char **ret);

#endif
