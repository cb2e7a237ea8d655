// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Wildcard printing.  Each object kind (map, path, group) has a table of
 * {letter, column header, cell writer}.  A format string is cut into
 * literal text and wildcards once; a table is printed in two passes: all
 * cells are produced, the column widths taken as the longest of header and
 * cells, then lines are written with cells padded (the last column is not
 * padded so lines carry no trailing blanks).  The topology tree and JSON
 * reuse the same cell writers so every view says the same thing.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <urcu/uatomic.h>

#include "multipathd/health-view.h"
#include "multipathd/print.h"
#include "util/util.h"

typedef void (*cell_fn)(struct strbuf *sb, const void *obj);

/* strbuf_appendf() formats twice (to size, then to write); cells are
 * short, so one pass into a stack buffer is enough for nearly all. */
_printf_(2, 3)
static void cell_printf(struct strbuf *sb, const char *fmt, ...)
{
	char buf[96], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(buf)) {
		strbuf_appendn(sb, buf, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n >= 0) {
		strbuf_appendn(sb, big, (size_t)n);
		free(big);
	}
}

struct wildcard {
	char letter;
	const char *header;
	cell_fn fn;
	const char *help;
};

/* ---- state strings ---- */

static const char *const chk_names[_PATH_MAX] = {
	[PATH_WILD] = "undef", [PATH_UNCHECKED] = "undef", [PATH_DOWN] = "faulty",
	[PATH_UP] = "ready", [PATH_SHAKY] = "shaky", [PATH_GHOST] = "ghost",
	[PATH_PENDING] = "i/o pending", [PATH_TIMEOUT] = "i/o timeout",
	[PATH_REMOVED] = "undef", [PATH_DELAYED] = "delayed",
	[PATH_DISCONNECTED] = "undef",
};

const char *print_chk_state(int s)
{
	return s >= 0 && s < _PATH_MAX && chk_names[s] ? chk_names[s] : "undef";
}

const char *print_dm_state(int s)
{
	return s == DMP_ACTIVE ? "active" : s == DMP_FAILED ? "failed" : "undef";
}

const char *print_pg_state(int s)
{
	switch (s) {
	case PGS_ENABLED: return "enabled";
	case PGS_DISABLED: return "disabled";
	case PGS_ACTIVE: return "active";
	default: return "undef";
	}
}

static const char *proto_name(enum mp_proto p)
{
	static const char *const names[_PROTO_MAX] = {
		[PROTO_UNDEF] = "undef", [PROTO_SCSI_FCP] = "scsi:fcp",
		[PROTO_SCSI_SPI] = "scsi:spi", [PROTO_SCSI_SSA] = "scsi:ssa",
		[PROTO_SCSI_SBP] = "scsi:sbp", [PROTO_SCSI_SRP] = "scsi:srp",
		[PROTO_SCSI_ISCSI] = "scsi:iscsi", [PROTO_SCSI_SAS] = "scsi:sas",
		[PROTO_SCSI_ADT] = "scsi:adt", [PROTO_SCSI_ATA] = "scsi:ata",
		[PROTO_SCSI_UNSPEC] = "scsi:unspec", [PROTO_NVME_PCIE] = "nvme:pcie",
		[PROTO_NVME_RDMA] = "nvme:rdma", [PROTO_NVME_FC] = "nvme:fc",
		[PROTO_NVME_TCP] = "nvme:tcp", [PROTO_NVME_LOOP] = "nvme:loop",
		[PROTO_NVME_APPLE] = "nvme:apple-nvme", [PROTO_NVME_UNSPEC] = "nvme:unspec",
		[PROTO_CCW] = "ccw", [PROTO_CCISS] = "cciss",
	};
	return (unsigned)p < _PROTO_MAX && names[p] ? names[p] : "undef";
}

static const char *or_undef(const char *s)
{
	return s && *s ? s : "[undef]";
}

const char *print_dm_name(const struct mp_map_snap *s, char *buf, size_t len)
{
	if (!s || !s->devt)
		snprintf(buf, len, "[undef]");
	else
		snprintf(buf, len, "dm-%u", minor(s->devt));
	return buf;
}

/* ---- map cells ---- */

static const struct mp_map_snap *msnap(const void *o)
{
	return rcu_dereference(((const struct mp_map *)o)->snap);
}

#define MAP_STR_CELL(fname, expr)                                     \
	static void fname(struct strbuf *sb, const void *o)           \
	{                                                             \
		const struct mp_map_snap *s = msnap(o);               \
		strbuf_append(sb, s ? (expr) : "");                   \
	}

MAP_STR_CELL(m_name, s->name ? s->name : s->wwid ? s->wwid : "")
MAP_STR_CELL(m_wwid, s->wwid ? s->wwid : "")
MAP_STR_CELL(m_ro, s->readonly ? "ro" : "rw")
MAP_STR_CELL(m_dmst, s->suspended ? "suspend" : "active")
MAP_STR_CELL(m_features, s->features ? s->features : "0")
MAP_STR_CELL(m_hwhandler, s->hwhandler ? s->hwhandler : "0")
MAP_STR_CELL(m_action, s->action ? s->action : "")
MAP_STR_CELL(m_vendor, s->vendor ? s->vendor : "##")
MAP_STR_CELL(m_product, s->product ? s->product : "##")
MAP_STR_CELL(m_rev, s->revision ? s->revision : "##")

static void m_sysfs(struct strbuf *sb, const void *o)
{
	char buf[32];

	strbuf_append(sb, print_dm_name(msnap(o), buf, sizeof(buf)));
}

static void m_failback(struct strbuf *sb, const void *o)
{
	const struct mp_map_snap *s = msnap(o);

	if (!s)
		return;
	switch (s->failback) {
	case FB_IMMEDIATE: strbuf_append(sb, "immediate"); break;
	case FB_FOLLOWOVER: strbuf_append(sb, "followover"); break;
	case FB_DEFERRED: cell_printf(sb, "%d", s->failback_delay); break;
	default: strbuf_append(sb, "-"); break;
	}
}

static void m_queueing(struct strbuf *sb, const void *o)
{
	const struct mp_map_snap *s = msnap(o);

	if (!s)
		return;
	switch (s->no_path_retry) {
	case NPR_FAIL: strbuf_append(sb, "off"); break;
	case NPR_QUEUE: strbuf_append(sb, "on"); break;
	default:
		if (s->retry_tick > 0)
			cell_printf(sb, "%d sec", s->retry_tick);
		else if (!s->queueing)
			strbuf_append(sb, "off");
		else
			cell_printf(sb, "%d chk", s->no_path_retry_count);
	}
}

static void m_npaths(struct strbuf *sb, const void *o)
{
	const struct mp_map_snap *s = msnap(o);

	cell_printf(sb, "%d", s ? s->n_active_paths : 0);
}

static void m_size(struct strbuf *sb, const void *o)
{
	const struct mp_map_snap *s = msnap(o);
	char buf[32];

	format_size_sectors(s ? s->size : 0, buf, sizeof(buf));
	strbuf_append(sb, buf);
}

static void m_vpr(struct strbuf *sb, const void *o)
{
	m_vendor(sb, o);
	strbuf_append(sb, ",");
	m_product(sb, o);
}

#define MAP_STAT_CELL(fname, field)                                         \
	static void fname(struct strbuf *sb, const void *o)                 \
	{                                                                   \
		const struct mp_map *m = o;                                 \
		cell_printf(sb, "%" PRIu64, uatomic_read(&m->stats.field)); \
	}

MAP_STAT_CELL(m_path_faults, path_faults)
MAP_STAT_CELL(m_switch_grp, switch_grp)
MAP_STAT_CELL(m_map_loads, map_loads)
MAP_STAT_CELL(m_total_q_time, total_q_time)
MAP_STAT_CELL(m_q_timeouts, q_timeouts)

static void m_foreign(struct strbuf *sb, const void *o)
{
	strbuf_append(sb, "--");
}

static void m_undef(struct strbuf *sb, const void *o)
{
	strbuf_append(sb, "[undef]");
}

/* First path of the map with identity info, for per-map hardware data. */
static const struct mp_path_info *m_first_info(const struct mp_map_snap *s)
{
	for (size_t g = 0; s && g < s->n_pgs; g++)
		for (size_t i = 0; i < s->pgs[g].n_paths; i++) {
			const struct mp_path_info *pi = rcu_dereference(s->pgs[g].paths[i]->info);

			if (pi)
				return pi;
		}
	return NULL;
}

static void m_max_sectors(struct strbuf *sb, const void *o)
{
	const struct mp_path_info *pi = m_first_info(msnap(o));

	if (pi && pi->max_sectors_kb > 0)
		cell_printf(sb, "%d", pi->max_sectors_kb);
	else
		strbuf_append(sb, "[undef]");
}

static const struct wildcard map_wildcards[] = {
	{ 'n', "name", m_name, "map name (alias, else WWID)" },
	{ 'w', "uuid", m_wwid, "WWID" },
	{ 'd', "sysfs", m_sysfs, "device-mapper kernel name (dm-N)" },
	{ 'F', "failback", m_failback, "failback setting" },
	{ 'Q', "queueing", m_queueing, "queueing state: on, off, N sec, N chk" },
	{ 'N', "paths", m_npaths, "number of usable paths" },
	{ 'r', "write_prot", m_ro, "read-only (ro) or read-write (rw)" },
	{ 't', "dm-st", m_dmst, "device-mapper state: active or suspend" },
	{ 'S', "size", m_size, "map size" },
	{ 'f', "features", m_features, "table features" },
	{ 'x', "failures", m_q_timeouts, "number of queueing timeouts (as %4)" },
	{ 'h', "hwhandler", m_hwhandler, "hardware handler" },
	{ 'A', "action", m_action, "last action taken on the map" },
	{ '0', "path_faults", m_path_faults, "path failures seen" },
	{ '1', "switch_grp", m_switch_grp, "path group switches" },
	{ '2', "map_loads", m_map_loads, "table loads" },
	{ '3', "total_q_time", m_total_q_time, "seconds spent queueing" },
	{ '4', "q_timeouts", m_q_timeouts, "queueing timeouts" },
	{ 's', "vend/prod/rev", m_vpr, "vendor,product" },
	{ 'v', "vend", m_vendor, "vendor" },
	{ 'p', "prod", m_product, "product" },
	{ 'e', "rev", m_rev, "revision" },
	{ 'G', "foreign", m_foreign, "foreign library (none: --)" },
	{ 'g', "vpd vendor", m_undef, "vendor specific VPD data" },
	{ 'k', "max_sectors_kb", m_max_sectors, "max_sectors_kb of the paths" },
};

/* ---- path cells ---- */

static const struct mp_path_info *pinfo(const void *o)
{
	return rcu_dereference(((const struct mp_path *)o)->info);
}

#define PATH_INFO_CELL(fname, expr)                                   \
	static void fname(struct strbuf *sb, const void *o)           \
	{                                                             \
		const struct mp_path_info *pi = pinfo(o);             \
		strbuf_append(sb, pi ? (expr) : "[undef]");           \
	}

PATH_INFO_CELL(p_wwid, or_undef(pi->wwid))
PATH_INFO_CELL(p_dev, pi->devname ? pi->devname : "")
PATH_INFO_CELL(p_serial, or_undef(pi->serial))
PATH_INFO_CELL(p_host_wwnn, or_undef(pi->host_wwnn))
PATH_INFO_CELL(p_tgt_wwnn, or_undef(pi->tgt_wwnn))
PATH_INFO_CELL(p_host_wwpn, or_undef(pi->host_wwpn))
PATH_INFO_CELL(p_tgt_wwpn, or_undef(pi->tgt_wwpn))
PATH_INFO_CELL(p_adapter, or_undef(pi->host_adapter))
PATH_INFO_CELL(p_proto, proto_name(pi->proto))
PATH_INFO_CELL(p_init, pi->partial ? "partial" : "ok")

static void p_hcil(struct strbuf *sb, const void *o)
{
	const struct mp_path_info *pi = pinfo(o);

	if (!pi || pi->host < 0)
		strbuf_append(sb, "#:#:#:#");
	else
		cell_printf(sb, "%d:%d:%d:%" PRIu64, pi->host, pi->channel,
			       pi->target, pi->lun);
}

static void p_devt(struct strbuf *sb, const void *o)
{
	dev_t d = ((const struct mp_path *)o)->devt;

	cell_printf(sb, "%u:%u", major(d), minor(d));
}

static void p_dmst(struct strbuf *sb, const void *o)
{
	const struct mp_path *p = o;

	strbuf_append(sb, print_dm_state(uatomic_read(&p->dm_state)));
}

static void p_chkst(struct strbuf *sb, const void *o)
{
	const struct mp_path *p = o;
	int shown = mpd_health_shown_state(p);

	/* a path the shaky-path rules hold back is failed in the kernel but
	 * its checker says up: show "delayed" like the incumbent */
	strbuf_append(sb, print_chk_state(shown >= 0 ? shown : uatomic_read(&p->chk_state)));
}

static void p_devst(struct strbuf *sb, const void *o)
{
	const struct mp_path_info *pi = pinfo(o);

	if (!pi || pi->state == SDEV_UNKNOWN)
		strbuf_append(sb, pi ? "running" : "unknown");
	else if (pi->state == SDEV_OFFLINE || pi->state == SDEV_TRANSPORT_OFFLINE ||
		 pi->state == SDEV_DELETED || pi->state == SDEV_CANCEL)
		strbuf_append(sb, "offline");
	else
		strbuf_append(sb, "running");
}

static void p_vpr(struct strbuf *sb, const void *o)
{
	const struct mp_path_info *pi = pinfo(o);

	if (!pi) {
		strbuf_append(sb, "##,##,##");
		return;
	}
	cell_printf(sb, "%s,%s,%s", pi->vendor ? pi->vendor : "##",
		       pi->product ? pi->product : "##", pi->revision ? pi->revision : "##");
}

static void p_checker(struct strbuf *sb, const void *o)
{
	const struct mp_path *p = o;
	char name[16];

	if (mpd_health_checker_name(p, name, sizeof(name)) > 0)
		strbuf_append(sb, name);
	else
		strbuf_append(sb, p->checker_name ? p->checker_name : "[undef]");
}

static void p_next_check(struct strbuf *sb, const void *o)
{
	const struct mp_path *p = o;
	int ci = uatomic_read(&p->checkint), tick = uatomic_read(&p->tick);
	char bar[11];
	int done, i;

	if (!rcu_dereference(p->map)) {
		strbuf_append(sb, "orphan");
		return;
	}
	if (ci <= 0) {
		strbuf_append(sb, "[undef]");
		return;
	}
	if (tick > ci)
		tick = ci;
	if (tick < 0)
		tick = 0;
	/* ten-character progress bar of the interval elapsed */
	done = (ci - tick) * 10 / ci;
	for (i = 0; i < 10; i++)
		bar[i] = i < done ? 'X' : '.';
	bar[10] = '\0';
	cell_printf(sb, "%s %d/%d", bar, ci - tick, ci);
}

static void p_prio(struct strbuf *sb, const void *o)
{
	const struct mp_path *p = o;

	cell_printf(sb, "%d", uatomic_read(&p->prio));
}

static void p_size(struct strbuf *sb, const void *o)
{
	const struct mp_path_info *pi = pinfo(o);
	char buf[32];

	format_size_sectors(pi ? pi->size : 0, buf, sizeof(buf));
	strbuf_append(sb, buf);
}

static void p_marginal(struct strbuf *sb, const void *o)
{
	const struct mp_path *p = o;

	strbuf_append(sb, uatomic_read(&p->marginal) ? "marginal" : "normal");
}

static void p_map(struct strbuf *sb, const void *o)
{
	const struct mp_path *p = o;
	const struct mp_map *m = rcu_dereference(p->map);
	const struct mp_map_snap *s = m ? rcu_dereference(m->snap) : NULL;

	if (!m)
		strbuf_append(sb, "[orphan]");
	else
		strbuf_append(sb, s && s->name ? s->name : m->wwid);
}

static void p_failures(struct strbuf *sb, const void *o)
{
	const struct mp_path *p = o;

	cell_printf(sb, "%" PRIu64, uatomic_read(&p->failures));
}

static void p_lun_hex(struct strbuf *sb, const void *o)
{
	const struct mp_path_info *pi = pinfo(o);

	cell_printf(sb, "0x%016" PRIx64, pi ? pi->lun : 0);
}

static void p_tpg(struct strbuf *sb, const void *o)
{
	const struct mp_path_info *pi = pinfo(o);

	if (!pi || pi->tpg_id < 0)
		strbuf_append(sb, "[undef]");
	else
		cell_printf(sb, "%d", pi->tpg_id);
}

static void p_max_sectors(struct strbuf *sb, const void *o)
{
	const struct mp_path_info *pi = pinfo(o);

	if (pi && pi->max_sectors_kb > 0)
		cell_printf(sb, "%d", pi->max_sectors_kb);
	else
		strbuf_append(sb, "[undef]");
}

static const struct wildcard path_wildcards[] = {
	{ 'w', "uuid", p_wwid, "WWID" },
	{ 'i', "hcil", p_hcil, "host:channel:target:lun (NVMe: ctrl:cntlid:ns:nsid)" },
	{ 'd', "dev", p_dev, "kernel device name" },
	{ 'D', "dev_t", p_devt, "major:minor" },
	{ 't', "dm_st", p_dmst, "device-mapper state: active, failed" },
	{ 'o', "dev_st", p_devst, "device state: running, offline" },
	{ 'T', "chk_st", p_chkst, "checker state" },
	{ 's', "vend/prod/rev", p_vpr, "vendor,product,revision" },
	{ 'c', "checker", p_checker, "checker name" },
	{ 'C', "next_check", p_next_check, "progress to the next check" },
	{ 'p', "pri", p_prio, "priority" },
	{ 'S', "size", p_size, "size" },
	{ 'z', "serial", p_serial, "serial number" },
	{ 'M', "marginal_st", p_marginal, "marginal state" },
	{ 'm', "multipath", p_map, "map of the path, or [orphan]" },
	{ 'N', "host WWNN", p_host_wwnn, "host WWNN" },
	{ 'n', "target WWNN", p_tgt_wwnn, "target WWNN" },
	{ 'R', "host WWPN", p_host_wwpn, "host WWPN" },
	{ 'r', "target WWPN", p_tgt_wwpn, "target WWPN" },
	{ 'a', "host adapter", p_adapter, "host adapter" },
	{ 'G', "foreign", m_foreign, "foreign library (none: --)" },
	{ 'g', "vpd vendor", m_undef, "vendor specific VPD data" },
	{ '0', "failures", p_failures, "path failures" },
	{ 'P', "protocol", p_proto, "transport protocol" },
	{ 'I', "init_st", p_init, "initialization state" },
	{ 'L', "LUN hex", p_lun_hex, "LUN in hex" },
	{ 'A', "TPG", p_tpg, "ALUA target port group" },
	{ 'k', "max_sectors_kb", p_max_sectors, "max_sectors_kb" },
};

/* ---- group cells ---- */

static void g_selector(struct strbuf *sb, const void *o)
{
	const struct mp_pg_snap *g = o;

	strbuf_append(sb, g->selector ? g->selector : "");
}

static void g_prio(struct strbuf *sb, const void *o)
{
	cell_printf(sb, "%d", ((const struct mp_pg_snap *)o)->prio);
}

static void g_state(struct strbuf *sb, const void *o)
{
	strbuf_append(sb, print_pg_state(((const struct mp_pg_snap *)o)->state));
}

static void g_marginal(struct strbuf *sb, const void *o)
{
	strbuf_append(sb, ((const struct mp_pg_snap *)o)->marginal ? "marginal" : "normal");
}

static const struct wildcard group_wildcards[] = {
	{ 's', "selector", g_selector, "path selector" },
	{ 'p', "pri", g_prio, "group priority" },
	{ 't', "dm_st", g_state, "device-mapper state" },
	{ 'M', "marginal_st", g_marginal, "marginal state" },
};

/* ---- format engine ---- */

static const struct wildcard *wc_find(const struct wildcard *t, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].letter == c)
			return &t[i];
	return NULL;
}

/* One expanded line; unknown wildcards print as themselves. */
static int expand(struct strbuf *out, const struct wildcard *t, size_t nt,
		  const void *obj, const char *fmt)
{
	for (const char *f = fmt; *f; f++) {
		const struct wildcard *w;

		if (*f != '%' || !f[1]) {
			strbuf_appendn(out, f, 1);
			continue;
		}
		f++;
		w = wc_find(t, nt, *f);
		if (w)
			w->fn(out, obj);
		else if (*f == '%')
			strbuf_append(out, "%");
		else
			cell_printf(out, "%%%c", *f);
	}
	return 0;
}

int print_map_line(struct strbuf *out, const struct mp_map *m, const char *fmt)
{
	return expand(out, map_wildcards, ARRAY_SIZE(map_wildcards), m, fmt);
}

int print_path_line(struct strbuf *out, const struct mp_path *p, const char *fmt)
{
	return expand(out, path_wildcards, ARRAY_SIZE(path_wildcards), p, fmt);
}

int print_group_line(struct strbuf *out, const struct mp_pg_snap *pg, const char *fmt)
{
	return expand(out, group_wildcards, ARRAY_SIZE(group_wildcards), pg, fmt);
}

/* A format cut into segments: literal text or one wildcard. */
struct seg {
	const char *lit;
	size_t lit_len;
	const struct wildcard *wc;
	size_t width;
};

static size_t cut_format(const char *fmt, const struct wildcard *t, size_t nt,
			 struct seg *segs, size_t max)
{
	size_t n = 0;
	const char *f = fmt;

	while (*f && n < max) {
		const struct wildcard *w = NULL;

		if (f[0] == '%' && f[1])
			w = wc_find(t, nt, f[1]);
		if (w) {
			segs[n++] = (struct seg){ .wc = w, .width = strlen(w->header) };
			f += 2;
			continue;
		}
		if (n == 0 || segs[n - 1].wc)
			segs[n++] = (struct seg){ .lit = f, .lit_len = 0 };
		/* "%%" and unknown wildcards stay literal text */
		segs[n - 1].lit_len += (f[0] == '%' && f[1]) ? 2 : 1;
		f += (f[0] == '%' && f[1]) ? 2 : 1;
	}
	return n;
}

/* Every cell of a table in one buffer (one allocation that grows, not
 * one per cell: `show paths` at 10k paths has 80k cells); a cell is an
 * offset and a length into it. */
struct cells {
	struct strbuf text;
	size_t *off, *len;
};

static void append_padded(struct strbuf *out, const char *txt, size_t n, size_t width)
{
	static const char blanks[] = "                                ";

	strbuf_appendn(out, txt, n);
	while (n < width) {
		size_t k = MP_MIN(width - n, sizeof(blanks) - 1);

		strbuf_appendn(out, blanks, k);
		n += k;
	}
}

static void emit_row(struct strbuf *out, const struct seg *segs, size_t ns,
		     const struct cells *cs, size_t first, bool pad)
{
	size_t last = ns, c = first;

	while (last > 0 && !segs[last - 1].wc)
		last--;
	for (size_t i = 0; i < ns; i++) {
		const char *txt;
		size_t n;

		if (!segs[i].wc) {
			strbuf_appendn(out, segs[i].lit, segs[i].lit_len);
			continue;
		}
		if (cs) {
			txt = strbuf_str(&cs->text) + cs->off[c];
			n = cs->len[c++];
		} else {
			txt = segs[i].wc->header;
			n = strlen(txt);
		}
		append_padded(out, txt, n, pad && i + 1 < last ? segs[i].width : 0);
	}
	strbuf_append(out, "\n");
}

/* Render the cells of every row; column widths grow to fit them. */
static int render_cells(struct cells *cs, struct seg *segs, size_t ns, size_t nwc,
			const void *const *objs, size_t n)
{
	cs->off = malloc((n * nwc + 1) * sizeof(*cs->off));
	cs->len = malloc((n * nwc + 1) * sizeof(*cs->len));
	if (!cs->off || !cs->len)
		return -ENOMEM;
	for (size_t row = 0, c = 0; row < n; row++)
		for (size_t i = 0; i < ns; i++) {
			size_t start = cs->text.len;

			if (!segs[i].wc)
				continue;
			segs[i].wc->fn(&cs->text, objs[row]);
			cs->off[c] = start;
			cs->len[c] = cs->text.len - start;
			segs[i].width = MP_MAX(segs[i].width, cs->len[c]);
			c++;
		}
	/* a cell writer that ran out of memory wrote less, not garbage;
	 * an empty buffer after cells is the sign */
	return n && nwc && !cs->text.buf ? -ENOMEM : 0;
}

static int print_table(struct strbuf *out, const struct wildcard *t, size_t nt,
		       const void *const *objs, size_t n, const char *fmt, bool header)
{
	struct seg segs[64];
	size_t ns = cut_format(fmt, t, nt, segs, ARRAY_SIZE(segs));
	struct cells cs = { .text = STRBUF_INIT };
	size_t nwc = 0;
	int r;

	for (size_t i = 0; i < ns; i++)
		nwc += segs[i].wc != NULL;
	r = render_cells(&cs, segs, ns, nwc, objs, n);
	if (r == 0) {
		/* as the incumbent: no header over an empty table */
		if (header && n)
			emit_row(out, segs, ns, NULL, 0, true);
		for (size_t row = 0; row < n; row++)
			emit_row(out, segs, ns, &cs, row * nwc, header);
	}
	strbuf_done(&cs.text);
	free(cs.off);
	free(cs.len);
	return r;
}

int print_maps_table(struct strbuf *out, struct mp_map *const *maps, size_t n,
		     const char *fmt, bool header)
{
	return print_table(out, map_wildcards, ARRAY_SIZE(map_wildcards),
			   (const void *const *)maps, n, fmt, header);
}

int print_paths_table(struct strbuf *out, struct mp_path *const *paths, size_t n,
		      const char *fmt, bool header)
{
	return print_table(out, path_wildcards, ARRAY_SIZE(path_wildcards),
			   (const void *const *)paths, n, fmt, header);
}

/* ---- topology ---- */

#define TOPO_PATH_FMT "%i %d %D %t %T %o"

struct topo_widths {
	size_t w[6];
};

static const char topo_letters[6] = { 'i', 'd', 'D', 't', 'T', 'o' };

static void topo_measure(const struct mp_map_snap *s, struct topo_widths *tw)
{
	for (size_t g = 0; g < s->n_pgs; g++)
		for (size_t i = 0; i < s->pgs[g].n_paths; i++)
			for (size_t k = 0; k < 6; k++) {
				struct strbuf sb = STRBUF_INIT;
				const struct wildcard *w = wc_find(path_wildcards,
						ARRAY_SIZE(path_wildcards), topo_letters[k]);

				w->fn(&sb, s->pgs[g].paths[i]);
				tw->w[k] = MP_MAX(tw->w[k], sb.len);
				strbuf_done(&sb);
			}
}

static void topo_path(struct strbuf *out, const struct mp_path *p,
		      const struct topo_widths *tw)
{
	for (size_t k = 0; k < 6; k++) {
		struct strbuf sb = STRBUF_INIT;
		const struct wildcard *w = wc_find(path_wildcards,
				ARRAY_SIZE(path_wildcards), topo_letters[k]);

		w->fn(&sb, p);
		if (k)
			strbuf_append(out, " ");
		if (k < 5)
			strbuf_append_padded(out, strbuf_str(&sb), tw->w[k]);
		else
			strbuf_append(out, strbuf_str(&sb));
		strbuf_done(&sb);
	}
	strbuf_append(out, "\n");
}

static void topo_map(struct strbuf *out, const struct mp_map *m,
		     const struct topo_widths *tw)
{
	const struct mp_map_snap *s = rcu_dereference(m->snap);

	if (!s)
		return;
	if (s->name && s->wwid && strcmp(s->name, s->wwid) != 0)
		print_map_line(out, m, "%n (%w) %d %s\n");
	else
		print_map_line(out, m, "%w %d %s\n");
	print_map_line(out, m, "size=%S features='%f' hwhandler='%h' wp=%r\n");
	for (size_t g = 0; g < s->n_pgs; g++) {
		bool last_pg = g + 1 == s->n_pgs;
		const struct mp_pg_snap *pg = &s->pgs[g];

		strbuf_append(out, last_pg ? "`-+- " : "|-+- ");
		print_group_line(out, pg, "policy='%s' prio=%p status=%t");
		if (pg->marginal)
			strbuf_append(out, " marginal=marginal");
		strbuf_append(out, "\n");
		for (size_t i = 0; i < pg->n_paths; i++) {
			strbuf_append(out, last_pg ? "  " : "| ");
			strbuf_append(out, i + 1 == pg->n_paths ? "`- " : "|- ");
			topo_path(out, pg->paths[i], tw);
		}
	}
}

int print_topology(struct strbuf *out, struct mp_map *const *maps, size_t n)
{
	struct topo_widths tw = { { 0 } };

	for (size_t i = 0; i < n; i++) {
		const struct mp_map_snap *s = rcu_dereference(maps[i]->snap);

		if (s)
			topo_measure(s, &tw);
	}
	for (size_t i = 0; i < n; i++)
		topo_map(out, maps[i], &tw);
	return 0;
}

/* ---- JSON ---- */

static void j_str(struct strbuf *out, int ind, const char *key, const char *val, bool comma)
{
	cell_printf(out, "%*s", ind, "");
	strbuf_append_json_string(out, key);
	strbuf_append(out, " : ");
	strbuf_append_json_string(out, val);
	strbuf_append(out, comma ? ",\n" : "\n");
}

/* A cell rendered as a JSON string or bare number. */
static void j_cell(struct strbuf *out, int ind, const char *key, cell_fn fn,
		   const void *obj, bool number, bool comma)
{
	struct strbuf sb = STRBUF_INIT;

	fn(&sb, obj);
	if (number) {
		cell_printf(out, "%*s", ind, "");
		strbuf_append_json_string(out, key);
		cell_printf(out, " : %s%s\n", sb.len ? strbuf_str(&sb) : "0", comma ? "," : "");
	} else {
		j_str(out, ind, key, strbuf_str(&sb), comma);
	}
	strbuf_done(&sb);
}

static void json_path(struct strbuf *out, const struct mp_path *p, bool comma)
{
	static const struct { const char *key; cell_fn fn; bool num; } f[] = {
		{ "dev", p_dev, false }, { "dev_t", p_devt, false },
		{ "dm_st", p_dmst, false }, { "dev_st", p_devst, false },
		{ "chk_st", p_chkst, false }, { "checker", p_checker, false },
		{ "pri", p_prio, true }, { "host_wwnn", p_host_wwnn, false },
		{ "target_wwnn", p_tgt_wwnn, false }, { "host_wwpn", p_host_wwpn, false },
		{ "target_wwpn", p_tgt_wwpn, false }, { "host_adapter", p_adapter, false },
		{ "lun_hex", p_lun_hex, false }, { "marginal_st", p_marginal, false },
	};

	strbuf_append(out, "               {\n");
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		j_cell(out, 18, f[i].key, f[i].fn, p, f[i].num, i + 1 < ARRAY_SIZE(f));
	strbuf_append(out, comma ? "               },\n" : "               }\n");
}

static void json_group(struct strbuf *out, const struct mp_pg_snap *pg, int idx, bool comma)
{
	strbuf_append(out, "         {\n");
	j_cell(out, 12, "selector", g_selector, pg, false, true);
	j_cell(out, 12, "pri", g_prio, pg, true, true);
	j_cell(out, 12, "dm_st", g_state, pg, false, true);
	j_cell(out, 12, "marginal_st", g_marginal, pg, false, true);
	cell_printf(out, "            \"group\" : %d,\n", idx);
	strbuf_append(out, "            \"paths\" : [\n");
	for (size_t i = 0; i < pg->n_paths; i++)
		json_path(out, pg->paths[i], i + 1 < pg->n_paths);
	strbuf_append(out, "            ]\n");
	strbuf_append(out, comma ? "         },\n" : "         }\n");
}

static void json_map(struct strbuf *out, const struct mp_map *m, bool comma)
{
	static const struct { const char *key; cell_fn fn; bool num; } f[] = {
		{ "name", m_name, false }, { "uuid", m_wwid, false },
		{ "sysfs", m_sysfs, false }, { "failback", m_failback, false },
		{ "queueing", m_queueing, false }, { "paths", m_npaths, true },
		{ "write_prot", m_ro, false }, { "dm_st", m_dmst, false },
		{ "features", m_features, false }, { "hwhandler", m_hwhandler, false },
		{ "action", m_action, false }, { "path_faults", m_path_faults, true },
		{ "vend", m_vendor, false }, { "prod", m_product, false },
		{ "rev", m_rev, false }, { "switch_grp", m_switch_grp, true },
		{ "map_loads", m_map_loads, true }, { "total_q_time", m_total_q_time, true },
		{ "q_timeouts", m_q_timeouts, true },
	};
	const struct mp_map_snap *s = rcu_dereference(m->snap);

	strbuf_append(out, "   {\n");
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		j_cell(out, 6, f[i].key, f[i].fn, m, f[i].num, true);
	strbuf_append(out, "      \"path_groups\" : [\n");
	for (size_t g = 0; s && g < s->n_pgs; g++)
		json_group(out, &s->pgs[g], (int)g + 1, g + 1 < s->n_pgs);
	strbuf_append(out, "      ]\n");
	strbuf_append(out, comma ? "   },\n" : "   }\n");
}

int print_maps_json(struct strbuf *out, struct mp_map *const *maps, size_t n, bool single)
{
	size_t start = out->len;

	cell_printf(out, "{\n   \"major_version\" : %d,\n   \"minor_version\" : %d,\n",
		       PRINT_JSON_MAJOR, PRINT_JSON_MINOR);
	if (single && n == 1) {
		strbuf_append(out, "\"map\" :\n");
		json_map(out, maps[0], false);
	} else {
		strbuf_append(out, "\"maps\" : [\n");
		for (size_t i = 0; i < n; i++)
			json_map(out, maps[i], i + 1 < n);
		strbuf_append(out, "]\n");
	}
	if (strbuf_append(out, "}\n") < 0) {
		strbuf_truncate(out, start);
		return -ENOMEM;
	}
	return 0;
}

/* ---- wildcards help ---- */

static void wc_help(struct strbuf *out, const char *title, const struct wildcard *t, size_t n)
{
	cell_printf(out, "%s format wildcards:\n", title);
	for (size_t i = 0; i < n; i++)
		cell_printf(out, "%%%c  %-14s %s\n", t[i].letter, t[i].header, t[i].help);
	strbuf_append(out, "\n");
}

int print_wildcards(struct strbuf *out)
{
	wc_help(out, "multipath", map_wildcards, ARRAY_SIZE(map_wildcards));
	wc_help(out, "path", path_wildcards, ARRAY_SIZE(path_wildcards));
	wc_help(out, "pathgroup", group_wildcards, ARRAY_SIZE(group_wildcards));
	return 0;
}
