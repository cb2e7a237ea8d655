// SPDX-License-Identifier: GPL-2.0-or-later
/* `show stats`: event counters, DM ioctls by kind, latency histograms,
 * lock wait times and the malloc heap, as text or JSON.  Reads atomics
 * only (and mallinfo2(), which takes each malloc arena's lock briefly). */
#include <malloc.h>
#include <stdbool.h>
#include <urcu/uatomic.h>

#include "core.h"
#include "dm/dm.h"

struct counter_row {
	const char *name;
	size_t off;
};

#define ROW(f) { #f, offsetof(struct mpd_counters, f) }
static const struct counter_row rows[] = {
	ROW(uev_received), ROW(uev_filtered), ROW(uev_merged), ROW(uev_processed),
	ROW(crit_processed), ROW(maps_created), ROW(maps_reloaded), ROW(maps_removed),
	ROW(reloads_skipped), ROW(checks), ROW(dm_events),
	ROW(kev_received), ROW(kev_fed), ROW(kev_deferred), ROW(kev_merged), ROW(uev_stale),
};

static uint64_t counter(struct mpd_counters *c, size_t off)
{
	return mpd_load((uint64_t *)((char *)c + off));
}

static void hist_print(struct strbuf *out, const char *name, uint64_t *h, bool json)
{
	bool first = true;

	if (json)
		strbuf_appendf(out, ",\"%s\":{", name);
	else
		strbuf_appendf(out, "%s (us, upper bound: count):\n", name);
	for (int b = 0; b < MPD_HIST_BUCKETS; b++) {
		uint64_t n = mpd_load(&h[b]);

		if (!n)
			continue;
		if (json)
			strbuf_appendf(out, "%s\"%llu\":%llu", first ? "" : ",",
				       1ULL << b, (unsigned long long)n);
		else
			strbuf_appendf(out, "  <%-10llu %llu\n", 1ULL << b, (unsigned long long)n);
		first = false;
	}
	if (json)
		strbuf_append(out, "}");
}

/* The process's malloc heap (all arenas): what is in use, what is free
 * inside the arenas (fragmentation, or kept for reuse), mmapped blocks.
 * With `RSS` this tells object memory from allocator overhead. */
static void heap_print(struct strbuf *out, bool json)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	struct mallinfo2 mi = mallinfo2();
	const struct { const char *name; size_t v; } mem[] = {
		{ "in_use_kib", mi.uordblks + mi.hblkhd }, { "arenas_kib", mi.arena },
		{ "free_kib", mi.fordblks }, { "mmapped_kib", mi.hblkhd },
	};

	strbuf_append(out, json ? ",\"memory\":{" : "memory:\n");
	for (size_t i = 0; i < ARRAY_SIZE(mem); i++)
		strbuf_appendf(out, json ? "%s\"%s\":%zu" : "%s  %-16s %zu\n", json && i ? "," : "",
			       mem[i].name, mem[i].v >> 10);
	strbuf_append(out, json ? "}" : "");
#endif
}

static const char *const lock_names[] = { NULL, "cfg_lock", "state_lock", "path_lock", "leaf" };

int mpd_stats_print(struct mpd *d, struct strbuf *out, bool json)
{
	struct mpd_counters *c = &d->priv->cnt;

	strbuf_append(out, json ? "{\"events\":{" : "events:\n");
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		strbuf_appendf(out, json ? "%s\"%s\":%llu" : "%s  %-16s %llu\n",
			       json && i ? "," : "", rows[i].name,
			       (unsigned long long)counter(c, rows[i].off));
	strbuf_append(out, json ? "},\"dm_ioctls\":{" : "dm ioctls:\n");
	for (int op = 0; op < _DMOP_MAX; op++)
		strbuf_appendf(out, json ? "%s\"%s\":%llu" : "%s  %-16s %llu\n",
			       json && op ? "," : "", mp_dm_op_to_string(op),
			       (unsigned long long)mp_dm_stats(op));
	strbuf_append(out, json ? "}" : "");
	hist_print(out, "uevent_latency", c->hist, json);
	hist_print(out, "critical_latency", c->crit_hist, json);
	heap_print(out, json);
	strbuf_append(out, json ? ",\"locks\":{" : "lock waits:\n");
	for (int r = LR_CFG; r <= LR_LEAF; r++) {
		const struct mpd_lock_stats *ls = mpd_lock_stats(r);

		strbuf_appendf(out, json ? "%s\"%s\":{\"acquired\":%llu,\"contended\":%llu,"
					   "\"wait_us\":%llu,\"max_wait_us\":%llu}"
				    : "%s  %-12s acquired %llu contended %llu wait %llu us max %llu us\n",
			       json && r > LR_CFG ? "," : "", lock_names[r],
			       (unsigned long long)mpd_load(&ls->acquisitions),
			       (unsigned long long)mpd_load(&ls->contended),
			       (unsigned long long)mpd_load(&ls->wait_usec),
			       (unsigned long long)mpd_load(&ls->max_wait_usec));
	}
	strbuf_append(out, json ? "}}\n" : "");
	return 0;
}
