// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * multipath.conf: keyword values (accepted, rejected, defaults), the
 * precedence chain with origins, the built-in hardware table, autodetection,
 * blacklists, conf.d drop-ins, dump round trips and diagnostics.
 * Runs from tests/unit (sample files under data/config/).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <urcu.h>

#include "backend/backend.h"
#include "config/config.h"
#include "util/log.h"
#include "util/strpool.h"

/* ---- helpers ---- */

static struct mp_config *load_ok(const char *text)
{
	struct mp_config_diags d = { 0 };
	struct mp_config *c = NULL;
	int r = mp_config_load_string(text, "test.conf", &c, &d);

	if (r != 0)
		mp_config_diags_print(&d);
	assert_int_equal(r, 0);
	mp_config_diags_done(&d);
	return c;
}

static char *value_of(const struct mp_settings *s, const char *kw)
{
	struct strbuf sb = STRBUF_INIT;
	enum mp_setting_id id = mp_setting_id_from_string(kw);

	assert_true(id >= 0);
	assert_true(mp_settings_print_value(s, id, &sb) >= 0);
	return strbuf_steal(&sb);
}

static void assert_value(const struct mp_settings *s, const char *kw, const char *want)
{
	char *got = value_of(s, kw);

	if (strcmp(got, want))
		fail_msg("%s: got '%s', want '%s'", kw, got, want);
	free(got);
}

static void assert_origin(const struct mp_settings *s, const char *kw, enum mp_origin o)
{
	const char *got = mp_settings_origin(s, kw);

	assert_non_null(got);
	if (strcmp(got, mp_origin_to_string(o)))
		fail_msg("%s: origin '%s', want '%s'", kw, got, mp_origin_to_string(o));
}

static struct mp_path_info scsi_pi(const char *vendor, const char *product)
{
	return (struct mp_path_info){
		.devname = (char *)"sdb", .bus = BUS_SCSI, .proto = PROTO_SCSI_FCP,
		.vendor = (char *)vendor, .product = (char *)product, .revision = (char *)"0001",
		.wwid = (char *)"3600000000000000000000000000000aa",
	};
}

static struct mp_settings *resolve(const struct mp_config *c, const struct mp_path_info *pi)
{
	struct mp_settings *s = NULL;

	assert_int_equal(mp_config_resolve(c, pi, NULL, &s), 0);
	assert_non_null(s);
	return s;
}

/* ---- keyword values ---- */

struct kwcase {
	const char *section;            /* defaults, device, overrides, multipath, protocol */
	const char *kw;
	const char *value;
	const char *want;               /* NULL = rejected */
};

static const struct kwcase kwcases[] = {
	{ "defaults", "path_grouping_policy", "multibus", "multibus" },
	{ "defaults", "path_grouping_policy", "group_by_tpg", "group_by_tpg" },
	{ "defaults", "path_grouping_policy", "bogus", NULL },
	{ "defaults", "path_selector", "\"queue-length 0\"", "\"queue-length 0\"" },
	{ "defaults", "path_selector", "round-robin", "\"round-robin 0\"" },
	{ "defaults", "path_selector", "\"historical-service-time 0\"",
	  "\"historical-service-time 0\"" },
	{ "defaults", "path_selector", "\"fastest 0\"", NULL },
	{ "defaults", "path_selector", "\"service-time 2\"", NULL },
	{ "defaults", "features", "\"2 pg_init_retries 50\"", "\"2 pg_init_retries 50\"" },
	{ "defaults", "features", "\"2 queue_mode bio\"", "\"2 queue_mode bio\"" },
	{ "defaults", "features", "\"2 pg_init_delay_msecs 100\"",
	  "\"2 pg_init_delay_msecs 100\"" },
	{ "defaults", "features", "\"2 pg_init_retries 51\"", NULL },
	{ "defaults", "features", "\"3 pg_init_retries 5\"", NULL },
	{ "defaults", "features", "\"1 frobnicate\"", NULL },
	{ "defaults", "features", "\"2 queue_mode xx\"", NULL },
	{ "device", "hardware_handler", "\"1 alua\"", "\"1 alua\"" },
	{ "device", "hardware_handler", "\"1 rdac\"", "\"1 rdac\"" },
	{ "device", "hardware_handler", "0", "\"0\"" },
	{ "device", "hardware_handler", "\"1 foo\"", NULL },
	{ "defaults", "rr_weight", "priorities", "priorities" },
	{ "defaults", "rr_weight", "heavy", NULL },
	{ "defaults", "rr_min_io", "100", "100" },
	{ "defaults", "rr_min_io", "0", NULL },
	{ "defaults", "rr_min_io_rq", "5", "5" },
	{ "defaults", "rr_min_io_rq", "x", NULL },
	{ "defaults", "failback", "immediate", "immediate" },
	{ "defaults", "failback", "followover", "followover" },
	{ "defaults", "failback", "manual", "manual" },
	{ "defaults", "failback", "30", "30" },
	{ "defaults", "failback", "-1", NULL },
	{ "defaults", "failback", "sometimes", NULL },
	{ "defaults", "no_path_retry", "queue", "queue" },
	{ "defaults", "no_path_retry", "fail", "fail" },
	{ "defaults", "no_path_retry", "0", "fail" },
	{ "defaults", "no_path_retry", "12", "12" },
	{ "defaults", "no_path_retry", "-2", NULL },
	{ "defaults", "flush_on_last_del", "always", "always" },
	{ "defaults", "flush_on_last_del", "never", "never" },
	{ "defaults", "flush_on_last_del", "yes", "always" },
	{ "defaults", "flush_on_last_del", "no", "unused" },
	{ "defaults", "flush_on_last_del", "sometimes", NULL },
	{ "defaults", "deferred_remove", "yes", "yes" },
	{ "defaults", "deferred_remove", "1", "yes" },
	{ "defaults", "deferred_remove", "maybe", NULL },
	{ "defaults", "ghost_delay", "30", "30" },
	{ "defaults", "ghost_delay", "no", "no" },
	{ "defaults", "ghost_delay", "-5", NULL },
	{ "multipath", "alias", "data1", "\"data1\"" },
	{ "defaults", "user_friendly_names", "yes", "yes" },
	{ "defaults", "user_friendly_names", "2", NULL },
	{ "defaults", "alias_prefix", "disk", "\"disk\"" },
	{ "defaults", "alias_prefix", "\"\"", NULL },
	{ "defaults", "skip_kpartx", "yes", "yes" },
	{ "defaults", "path_checker", "directio", "directio" },
	{ "defaults", "checker", "rdac", "rdac" },
	{ "defaults", "path_checker", "ping", NULL },
	{ "defaults", "prio", "const", "const" },
	{ "overrides", "prio", "weightedpath", "weightedpath" },
	{ "defaults", "prio", "fastest", NULL },
	{ "defaults", "detect_prio", "no", "no" },
	{ "defaults", "detect_checker", "no", "no" },
	{ "defaults", "detect_pgpolicy", "no", "no" },
	{ "defaults", "detect_pgpolicy_use_tpg", "yes", "yes" },
	{ "defaults", "retain_attached_hw_handler", "no", "no" },
	{ "defaults", "uid_attribute", "ID_WWN", "\"ID_WWN\"" },
	{ "defaults", "uid_attribute", "\"\"", "\"\"" },
	{ "defaults", "fast_io_fail_tmo", "10", "10" },
	{ "defaults", "fast_io_fail_tmo", "off", "off" },
	{ "defaults", "fast_io_fail_tmo", "0", "0" },
	{ "defaults", "eh_deadline", "0", "0" },
	{ "defaults", "fast_io_fail_tmo", "soon", NULL },
	{ "protocol", "fast_io_fail_tmo", "7", "7" },
	{ "defaults", "dev_loss_tmo", "600", "600" },
	{ "defaults", "dev_loss_tmo", "infinity", "infinity" },
	{ "defaults", "dev_loss_tmo", "-1", NULL },
	{ "protocol", "dev_loss_tmo", "60", "60" },
	{ "defaults", "eh_deadline", "off", "off" },
	{ "defaults", "eh_deadline", "20", "20" },
	{ "defaults", "eh_deadline", "x", NULL },
	{ "defaults", "san_path_err_threshold", "5", "5" },
	{ "defaults", "san_path_err_forget_rate", "no", "no" },
	{ "defaults", "san_path_err_recovery_time", "x", NULL },
	{ "defaults", "marginal_path_double_failed_time", "60", "60" },
	{ "defaults", "marginal_path_err_sample_time", "120", "120" },
	{ "defaults", "marginal_path_err_sample_time", "119", NULL },
	{ "defaults", "marginal_path_err_rate_threshold", "1000", "1000" },
	{ "defaults", "marginal_path_err_rate_threshold", "1001", NULL },
	{ "defaults", "marginal_path_err_recheck_gap_time", "300", "300" },
	{ "defaults", "delay_watch_checks", "10", "10" },
	{ "defaults", "delay_wait_checks", "no", "no" },
	{ "defaults", "all_tg_pt", "yes", "yes" },
	{ "defaults", "recheck_wwid", "yes", "yes" },
	{ "defaults", "purge_disconnected", "yes", "yes" },
	{ "defaults", "max_sectors_kb", "1024", "1024" },
	{ "defaults", "max_sectors_kb", "0", NULL },
	{ "defaults", "reservation_key", "0x123abc", "\"0x123abc\"" },
	{ "multipath", "reservation_key", "0x1:aptpl", "\"0x1:aptpl\"" },
	{ "defaults", "reservation_key", "file", "\"file\"" },
	{ "defaults", "reservation_key", "0x12345678901234567", NULL },
	{ "defaults", "reservation_key", "key", NULL },
	{ "multipath", "mode", "0600", "0600" },
	{ "multipath", "mode", "999", NULL },
	{ "multipath", "uid", "0", "0" },
	{ "multipath", "uid", "root", "0" },
	{ "multipath", "gid", "0", "0" },
	{ "multipath", "uid", "no-such-user-xyz", NULL },
	{ "device", "vpd_vendor", "hp3par", "hp3par" },
	{ "device", "vpd_vendor", "acme", NULL },
};

/* Wrap "kw value" in its section. */
static char *kw_config(const struct kwcase *k)
{
	char *text = NULL;
	int r;

	if (!strcmp(k->section, "device"))
		r = asprintf(&text, "devices {\ndevice {\nvendor \"ACME\"\nproduct \"X\"\n%s %s\n}\n}\n",
			     k->kw, k->value);
	else if (!strcmp(k->section, "multipath"))
		r = asprintf(&text, "multipaths {\nmultipath {\nwwid \"W1\"\n%s %s\n}\n}\n", k->kw,
			     k->value);
	else if (!strcmp(k->section, "protocol"))
		r = asprintf(&text, "overrides {\nprotocol {\ntype \"scsi:fcp\"\n%s %s\n}\n}\n",
			     k->kw, k->value);
	else
		r = asprintf(&text, "%s {\n%s %s\n}\n", k->section, k->kw, k->value);
	assert_true(r > 0);
	return text;
}

static void t_keyword_values(void **state)
{
	for (size_t n = 0; n < sizeof(kwcases) / sizeof(kwcases[0]); n++) {
		const struct kwcase *k = &kwcases[n];
		char *text = kw_config(k);
		struct mp_config_diags d = { 0 };
		struct mp_config *c = NULL;
		struct mp_path_info pi = scsi_pi("ACME", "X");
		int r = mp_config_load_string(text, "kw.conf", &c, &d);

		pi.wwid = (char *)"W1";
		/* an ALUA handler needs a device that speaks ALUA */
		pi.tpgs = !strcmp(k->kw, "hardware_handler") ? 1 : 0;
		if (!k->want) {
			if (r != -EINVAL)
				fail_msg("%s %s: accepted, should be rejected", k->kw, k->value);
			assert_true(mp_config_diags_count(&d, LOG_ERR) >= 1);
			/* the message names the keyword and the accepted values */
			for (size_t i = 0; i < d.n; i++)
				if (d.v[i].prio == LOG_ERR) {
					assert_string_equal(d.v[i].file, "kw.conf");
					assert_true(d.v[i].line >= 2);
					assert_non_null(strstr(d.v[i].msg, k->kw));
					assert_non_null(strstr(d.v[i].msg, "accepted"));
				}
		} else {
			struct mp_settings *s;

			if (r != 0)
				fail_msg("%s %s: rejected", k->kw, k->value);
			s = resolve(c, &pi);
			assert_value(s, !strcmp(k->kw, "checker") ? "path_checker" : k->kw, k->want);
			mp_settings_free(s);
		}
		mp_config_free(c);
		mp_config_diags_done(&d);
		free(text);
	}
}

/* Every keyword but the free-text ones rejects a nonsense value in each
 * section it is allowed in (and is only warned about elsewhere). */
static void t_every_keyword_rejects_garbage(void **state)
{
	static const char *const free_text[] = {
		"prio_args", "uid_attribute", "alias", "alias_prefix", "partition_delimiter", NULL,
	};
	static const char *const globals[] = {
		"verbosity", "polling_interval", "max_polling_interval", "reassign_maps",
		"uid_attrs", "queue_without_daemon", "max_fds", "checker_timeout",
		"allow_usb_devices", "max_retries", "log_checker_err", "force_sync",
		"strict_timing", "marginal_pathgroups", "find_multipaths",
		"find_multipaths_timeout", "uxsock_timeout", "retrigger_tries", "retrigger_delay",
		"missing_uev_wait_timeout", "remove_retries", "auto_resize", "enable_foreign",
	};
	static const char *const sections[] = { "defaults", "device", "overrides", "multipath",
						"protocol" };
	const char *names[_MP_SET_MAX + sizeof(globals) / sizeof(globals[0])];
	size_t n = 0;

	for (int id = 0; id < _MP_SET_MAX; id++)
		names[n++] = mp_setting_id_to_string((enum mp_setting_id)id);
	for (size_t k = 0; k < sizeof(globals) / sizeof(globals[0]); k++)
		names[n++] = globals[k];
	for (size_t k = 0; k < n; k++) {
		bool free_kw = false;
		int rejected = 0;

		for (size_t f = 0; free_text[f]; f++)
			free_kw = free_kw || !strcmp(free_text[f], names[k]);
		if (free_kw)
			continue;
		for (size_t sec = 0; sec < sizeof(sections) / sizeof(sections[0]); sec++) {
			struct kwcase kc = { sections[sec], names[k], "\"(@@bogus\"" , NULL };
			char *text = kw_config(&kc);
			struct mp_config_diags d = { 0 };
			struct mp_config *c = NULL;
			int r = mp_config_load_string(text, "g.conf", &c, &d);

			if (r == -EINVAL)
				rejected++;
			else if (r != 0 || mp_config_diags_count(&d, LOG_WARNING) != 1)
				fail_msg("%s in %s: %d", names[k], sections[sec], r);
			mp_config_free(c);
			mp_config_diags_done(&d);
			free(text);
		}
		if (!rejected)
			fail_msg("%s accepts garbage everywhere", names[k]);
	}
}

struct defcase {
	const char *kw;
	const char *want;
};

static const struct defcase defcases[] = {
	{ "path_grouping_policy", "failover" }, { "path_selector", "\"service-time 0\"" },
	{ "features", "\"0\"" }, { "hardware_handler", "\"0\"" }, { "rr_weight", "uniform" },
	{ "rr_min_io", "1000" }, { "rr_min_io_rq", "1" }, { "failback", "manual" },
	{ "no_path_retry", "fail" }, { "flush_on_last_del", "unused" },
	{ "deferred_remove", "no" }, { "ghost_delay", "<unset>" }, { "alias", "<unset>" },
	{ "user_friendly_names", "no" }, { "alias_prefix", "\"mpath\"" },
	{ "skip_kpartx", "no" }, { "path_checker", "tur" }, { "prio", "const" },
	{ "prio_args", "\"\"" }, { "detect_prio", "yes" }, { "detect_checker", "yes" },
	{ "detect_pgpolicy", "yes" }, { "detect_pgpolicy_use_tpg", "no" },
	{ "retain_attached_hw_handler", "yes" }, { "uid_attribute", "\"ID_SERIAL\"" },
	{ "fast_io_fail_tmo", "5" }, { "dev_loss_tmo", "<unset>" },
	{ "eh_deadline", "<unset>" }, { "san_path_err_threshold", "<unset>" },
	{ "marginal_path_err_sample_time", "<unset>" }, { "delay_watch_checks", "<unset>" },
	{ "all_tg_pt", "no" }, { "recheck_wwid", "no" }, { "purge_disconnected", "no" },
	{ "max_sectors_kb", "<unset>" }, { "reservation_key", "<unset>" },
	{ "mode", "<unset>" },
};

static void t_defaults(void **state)
{
	struct mp_config *c = load_ok("");
	struct mp_path_info pi = scsi_pi("NOBODY", "NOTHING");
	struct mp_settings *s = resolve(c, &pi);
	const struct mp_globals *g = mp_config_globals(c);

	for (size_t n = 0; n < sizeof(defcases) / sizeof(defcases[0]); n++) {
		assert_value(s, defcases[n].kw, defcases[n].want);
		assert_origin(s, defcases[n].kw, ORIGIN_COMPILED);
	}
	assert_int_equal(g->verbosity, 2);
	assert_int_equal(g->polling_interval, 5);
	assert_int_equal(g->max_polling_interval, 20);
	assert_int_equal(g->uxsock_timeout, 4000);
	assert_int_equal(g->find_multipaths, FIND_STRICT);
	assert_int_equal(g->find_multipaths_timeout, -10);
	assert_int_equal(g->retrigger_tries, 3);
	assert_int_equal(g->retrigger_delay, 10);
	assert_int_equal(g->missing_uev_wait_timeout, 30);
	assert_int_equal(g->remove_retries, 0);
	assert_int_equal(g->max_retries, MP_UNSET);
	assert_int_equal(g->auto_resize, RESIZE_NEVER);
	assert_int_equal(g->marginal_pathgroups, MARGINAL_PG_OFF);
	assert_string_equal(g->enable_foreign, "NONE");
	assert_null(g->uid_attrs);
	assert_null(g->partition_delimiter);
	assert_false(g->reassign_maps);
	assert_false(g->queue_without_daemon);
	assert_false(g->log_checker_err_once);
	assert_string_equal(g->bindings_file, "/etc/multipath/bindings");
	assert_string_equal(g->wwids_file, "/etc/multipath/wwids");
	assert_string_equal(g->prkeys_file, "/etc/multipath/prkeys");
	mp_settings_free(s);
	/* uid_attribute default depends on the bus */
	pi.bus = BUS_NVME;
	s = resolve(c, &pi);
	assert_value(s, "uid_attribute", "\"ID_WWN\"");
	mp_settings_free(s);
	/* an ANA-capable NVMe path never gets a SCSI hardware handler */
	pi.tpgs = 1;
	s = resolve(c, &pi);
	assert_true(!s->hwhandler || !strcmp(s->hwhandler, "0"));
	mp_settings_free(s);
	pi.tpgs = 0;
	pi.bus = BUS_DASD;
	s = resolve(c, &pi);
	assert_value(s, "uid_attribute", "\"ID_UID\"");
	mp_settings_free(s);
	mp_config_free(c);
}

struct gcase {
	const char *text;
	size_t off;
	int want;                       /* INT_MIN = rejected */
};

#define GOFF(f) offsetof(struct mp_globals, f)
static const struct gcase gcases[] = {
	{ "verbosity 4", GOFF(verbosity), 4 },
	{ "verbosity 7", GOFF(verbosity), INT_MIN },
	{ "polling_interval 10", GOFF(max_polling_interval), 40 },
	{ "polling_interval 0", GOFF(polling_interval), INT_MIN },
	{ "max_polling_interval 33", GOFF(max_polling_interval), 33 },
	{ "max_polling_interval 2", GOFF(max_polling_interval), 5 },
	{ "max_fds max", GOFF(max_fds), 0 },
	{ "max_fds 4096", GOFF(max_fds), 4096 },
	{ "max_fds lots", GOFF(max_fds), INT_MIN },
	{ "checker_timeout 30", GOFF(checker_timeout), 30 },
	{ "checker_timeout -1", GOFF(checker_timeout), INT_MIN },
	{ "max_retries 5", GOFF(max_retries), 5 },
	{ "max_retries 6", GOFF(max_retries), INT_MIN },
	{ "marginal_pathgroups fpin", GOFF(marginal_pathgroups), MARGINAL_PG_FPIN },
	{ "marginal_pathgroups on", GOFF(marginal_pathgroups), MARGINAL_PG_ON },
	{ "marginal_pathgroups maybe", GOFF(marginal_pathgroups), INT_MIN },
	{ "find_multipaths no", GOFF(find_multipaths), FIND_OFF },
	{ "find_multipaths yes", GOFF(find_multipaths), FIND_ON },
	{ "find_multipaths greedy", GOFF(find_multipaths), FIND_GREEDY },
	{ "find_multipaths smart", GOFF(find_multipaths), FIND_SMART },
	{ "find_multipaths strict", GOFF(find_multipaths), FIND_STRICT },
	{ "find_multipaths always", GOFF(find_multipaths), INT_MIN },
	{ "find_multipaths_timeout 5", GOFF(find_multipaths_timeout), 5 },
	{ "find_multipaths_timeout -3", GOFF(find_multipaths_timeout), -3 },
	{ "uxsock_timeout 8000", GOFF(uxsock_timeout), 8000 },
	{ "uxsock_timeout 0", GOFF(uxsock_timeout), INT_MIN },
	{ "retrigger_tries 0", GOFF(retrigger_tries), 0 },
	{ "retrigger_delay 3", GOFF(retrigger_delay), 3 },
	{ "missing_uev_wait_timeout 60", GOFF(missing_uev_wait_timeout), 60 },
	{ "remove_retries 2", GOFF(remove_retries), 2 },
	{ "auto_resize grow_shrink", GOFF(auto_resize), RESIZE_GROW_SHRINK },
	{ "auto_resize grow_only", GOFF(auto_resize), RESIZE_GROW_ONLY },
	{ "auto_resize sometimes", GOFF(auto_resize), INT_MIN },
};

static const struct {
	const char *text;
	size_t off;
	bool want;
} gbools[] = {
	{ "reassign_maps yes", GOFF(reassign_maps), true },
	{ "queue_without_daemon yes", GOFF(queue_without_daemon), true },
	{ "allow_usb_devices yes", GOFF(allow_usb_devices), true },
	{ "log_checker_err once", GOFF(log_checker_err_once), true },
	{ "log_checker_err always", GOFF(log_checker_err_once), false },
	{ "force_sync yes", GOFF(force_sync), true },
	{ "strict_timing 1", GOFF(strict_timing), true },
};

static void t_globals(void **state)
{
	char buf[256];

	for (size_t n = 0; n < sizeof(gcases) / sizeof(gcases[0]); n++) {
		struct mp_config *c = NULL;
		int r;

		snprintf(buf, sizeof(buf), "defaults {\n\t%s\n}\n", gcases[n].text);
		r = mp_config_load_string(buf, "g.conf", &c, NULL);
		if (gcases[n].want == INT_MIN) {
			if (r != -EINVAL)
				fail_msg("'%s' accepted", gcases[n].text);
			continue;
		}
		if (r != 0)
			fail_msg("'%s' rejected", gcases[n].text);
		assert_int_equal(*(const int *)((const char *)mp_config_globals(c) + gcases[n].off),
				 gcases[n].want);
		mp_config_free(c);
	}
	for (size_t n = 0; n < sizeof(gbools) / sizeof(gbools[0]); n++) {
		struct mp_config *c;

		snprintf(buf, sizeof(buf), "defaults {\n\t%s\n}\n", gbools[n].text);
		c = load_ok(buf);
		assert_int_equal(*(const bool *)((const char *)mp_config_globals(c) + gbools[n].off),
				 gbools[n].want);
		mp_config_free(c);
	}
}

static void t_global_strings(void **state)
{
	struct mp_config *c = load_ok("defaults {\n"
				      "uid_attrs \"sd:ID_SERIAL nvme:ID_WWN\"\n"
				      "partition_delimiter \"-part\"\n"
				      "enable_foreign \"^nvme$\"\n"
				      "}\n");
	const struct mp_globals *g = mp_config_globals(c);
	struct mp_config *c2 = NULL;
	struct mp_settings *s;
	struct mp_path_info pi = scsi_pi("ACME", "X");

	assert_string_equal(g->uid_attrs, "sd:ID_SERIAL nvme:ID_WWN");
	assert_string_equal(g->partition_delimiter, "-part");
	assert_string_equal(g->enable_foreign, "^nvme$");
	/* uid_attrs beats every section for matching device names */
	pi.devname = (char *)"nvme0n1";
	s = resolve(c, &pi);
	assert_value(s, "uid_attribute", "\"ID_WWN\"");
	assert_origin(s, "uid_attribute", ORIGIN_DEFAULTS);
	mp_settings_free(s);
	mp_config_free(c);
	assert_int_equal(mp_config_load_string("defaults {\nenable_foreign \"(\"\n}\n", "x", &c2,
					       NULL), -EINVAL);
	assert_int_equal(mp_config_load_string("defaults {\nuid_attrs \"sd\"\n}\n", "x", &c2,
					       NULL), -EINVAL);
	c = load_ok("defaults {\npartition_delimiter \"/UNSET/\"\n}\n");
	assert_null(mp_config_globals(c)->partition_delimiter);
	mp_config_free(c);
}

/* Keywords in a section where they do not belong are warned about and
 * ignored; deprecated and ignored ones likewise. */
static void t_misplaced_and_deprecated(void **state)
{
	static const char *const texts[] = {
		"multipaths {\nmultipath {\nwwid W1\npath_checker tur\n}\n}\n",
		"defaults {\nhardware_handler \"1 alua\"\n}\n",
		"defaults {\nalias foo\n}\n",
		"overrides {\nverbosity 3\n}\n",
		"devices {\ndevice {\nvendor A\nproduct B\nreservation_key file\n}\n}\n",
		"defaults {\nmultipath_dir /lib64/multipath\n}\n",
		"defaults {\nbindings_file /etc/foo\n}\n",
		"defaults {\ngetuid_callout \"/bin/true\"\n}\n",
		"defaults {\npg_timeout 10\n}\n",
		"defaults {\nconfig_dir /etc/x\n}\n",
		"defaults {\ndisable_changed_wwids yes\n}\n",
		"defaults {\nwwids_file /x\n}\n",
		"defaults {\nprkeys_file /x\n}\n",
		"defaults {\ndelay_watch_checks 3\n}\n",
		"defaults {\nfeatures \"1 queue_if_no_path\"\n}\n",
		"frobnicate {\nfoo bar\nnested {\nx y\n}\n}\n",
		"overrides {\nprio alua\nprio_args \"foo\"\n}\n",
		"overrides {\nprotocol {\ntype \"scsi:fc\"\n}\n}\n",
		"defaults {\nprio path_latency\nprio_args \"io_num=5 base_num=2\"\n}\n",
		"multipaths {\nmultipath {\nwwid a\nprio weightedpath\nprio_args \"hbtl x\"\n}\n}\n",
		"defaults {\nprio const\nprio_args \"x\"\n}\n",
		"multipaths {\nmultipath {\nwwid a\nalias x\n}\nmultipath {\nwwid b\nalias x\n}\n}\n",
	};

	for (size_t n = 0; n < sizeof(texts) / sizeof(texts[0]); n++) {
		struct mp_config_diags d = { 0 };
		struct mp_config *c = NULL;

		assert_int_equal(mp_config_load_string(texts[n], "w.conf", &c, &d), 0);
		assert_int_equal(mp_config_diags_count(&d, LOG_ERR), 0);
		if (mp_config_diags_count(&d, LOG_WARNING) < 1)
			fail_msg("no warning for: %s", texts[n]);
		mp_config_free(c);
		mp_config_diags_done(&d);
	}
}

/* Keywords accepted but not acted on: a notice naming file:line when the
 * value differs from the compiled default; never for a dump parsed back. */
static size_t notices(const char *text, struct mp_config_diags *d)
{
	struct mp_config *c = NULL;

	assert_int_equal(mp_config_load_string(text, "n.conf", &c, d), 0);
	mp_config_free(c);
	assert_int_equal(mp_config_diags_count(d, LOG_WARNING), 0);
	return mp_config_diags_count(d, LOG_NOTICE);
}

static void t_unused_notices(void **state)
{
	struct mp_config_diags d = { 0 };
	struct mp_config *c = load_ok("");
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(notices("defaults {\n\tpolling_interval 7\n\treassign_maps yes\n}\n", &d), 1);
	assert_int_equal(d.v[0].prio, LOG_NOTICE);
	assert_int_equal(d.v[0].line, 3);
	assert_string_equal(d.v[0].file, "n.conf");
	assert_non_null(strstr(d.v[0].msg, "'reassign_maps'"));
	mp_config_diags_done(&d);
	/* the default value changes nothing */
	assert_int_equal(notices("defaults {\n\treassign_maps no\n\tmax_fds max\n}\n", &d), 0);
	mp_config_diags_done(&d);
	/* a user device entry: reported with its own line when it closes */
	assert_int_equal(notices("devices {\ndevice {\nvendor ACME\nproduct X\n"
				 "all_tg_pt yes\nno_path_retry 3\n}\n}\n", &d), 1);
	assert_int_equal(d.v[0].line, 5);
	assert_non_null(strstr(d.v[0].msg, "'all_tg_pt'"));
	mp_config_diags_done(&d);
	/* the SCSI transport timeouts are applied (discovery/tunables.c) */
	assert_int_equal(notices("overrides {\n\tprotocol {\n\t\ttype scsi:fcp\n"
				 "\t\tdev_loss_tmo 60\n\t\tfast_io_fail_tmo 10\n"
				 "\t\teh_deadline 30\n\t}\n\tmax_sectors_kb 256\n}\n", &d), 0);
	mp_config_diags_done(&d);
	/* consumed by the daemon (multipathd/path-recheck.c) */
	assert_int_equal(notices("defaults {\n\trecheck_wwid yes\n\tpurge_disconnected yes\n}\n",
				 &d), 0);
	mp_config_diags_done(&d);
	/* multipath -t output (3PARdata sets fast_io_fail_tmo 10) is quiet */
	assert_int_equal(mp_config_dump(c, true, &sb), 0);
	assert_non_null(strstr(strbuf_str(&sb), "fast_io_fail_tmo 10"));
	assert_int_equal(notices(strbuf_str(&sb), &d), 0);
	mp_config_diags_done(&d);
	strbuf_reset(&sb);
	mp_config_free(c);
}

/* ---- precedence ---- */

enum { L_MPE = 1, L_PCE = 2, L_OVR = 4, L_UDEV = 8, L_DEF = 16 };

static char *prec_config(unsigned levels)
{
	char *text = NULL;

	assert_true(asprintf(&text,
			     "defaults {\n%s}\n"
			     "devices {\ndevice {\nvendor ACME\nproduct X\n%s}\n}\n"
			     "overrides {\n%s"
			     "protocol {\ntype scsi:fcp\n%s}\n"
			     "protocol {\ntype scsi:iscsi\ndev_loss_tmo 99\n}\n"
			     "}\n"
			     "multipaths {\nmultipath {\nwwid W1\n%s}\n}\n",
			     levels & L_DEF ? "no_path_retry 1\ndev_loss_tmo 11\n" : "",
			     levels & L_UDEV ? "no_path_retry 2\ndev_loss_tmo 12\n" : "",
			     levels & L_OVR ? "no_path_retry 3\ndev_loss_tmo 13\n" : "",
			     levels & L_PCE ? "dev_loss_tmo 14\n" : "",
			     levels & L_MPE ? "no_path_retry 5\n" : "") > 0);
	return text;
}

static void t_precedence(void **state)
{
	static const struct {
		unsigned levels;
		const char *vendor;
		const char *npr, *dev_loss;
		enum mp_origin o, o_dl;
	} cases[] = {
		{ L_MPE | L_PCE | L_OVR | L_UDEV | L_DEF, "ACME", "5", "14", ORIGIN_MULTIPATHS,
		  ORIGIN_PROTOCOL },
		{ L_PCE | L_OVR | L_UDEV | L_DEF, "ACME", "3", "14", ORIGIN_OVERRIDES,
		  ORIGIN_PROTOCOL },
		{ L_PCE | L_UDEV | L_DEF, "ACME", "2", "14", ORIGIN_DEVICES, ORIGIN_PROTOCOL },
		{ L_OVR | L_UDEV | L_DEF, "ACME", "3", "13", ORIGIN_OVERRIDES, ORIGIN_OVERRIDES },
		{ L_UDEV | L_DEF, "ACME", "2", "12", ORIGIN_DEVICES, ORIGIN_DEVICES },
		{ L_DEF, "ACME", "1", "11", ORIGIN_DEFAULTS, ORIGIN_DEFAULTS },
		{ 0, "ACME", "fail", "<unset>", ORIGIN_COMPILED, ORIGIN_COMPILED },
		/* built-in entry (3PARdata VV: no_path_retry 18, dev_loss infinity) */
		{ L_DEF, "3PARdata", "18", "infinity", ORIGIN_HWTABLE, ORIGIN_HWTABLE },
		{ L_OVR | L_DEF, "3PARdata", "3", "13", ORIGIN_OVERRIDES, ORIGIN_OVERRIDES },
		{ L_MPE | L_DEF, "3PARdata", "5", "infinity", ORIGIN_MULTIPATHS, ORIGIN_HWTABLE },
	};

	for (size_t n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
		char *text = prec_config(cases[n].levels);
		struct mp_config *c = load_ok(text);
		struct mp_path_info pi = scsi_pi(cases[n].vendor,
						 !strcmp(cases[n].vendor, "ACME") ? "X" : "VV");
		struct mp_settings *s;

		pi.wwid = (char *)"W1";
		s = resolve(c, &pi);
		assert_value(s, "no_path_retry", cases[n].npr);
		assert_origin(s, "no_path_retry", cases[n].o);
		assert_value(s, "dev_loss_tmo", cases[n].dev_loss);
		assert_origin(s, "dev_loss_tmo", cases[n].o_dl);
		mp_settings_free(s);
		/* another protocol picks its own protocol entry only */
		pi.proto = PROTO_SCSI_ISCSI;
		pi.wwid = (char *)"W2";
		s = resolve(c, &pi);
		assert_value(s, "dev_loss_tmo", "99");
		assert_origin(s, "dev_loss_tmo", ORIGIN_PROTOCOL);
		mp_settings_free(s);
		mp_config_free(c);
		free(text);
	}
}

static void t_origin_texts(void **state)
{
	assert_string_equal(mp_origin_to_string(ORIGIN_COMPILED), "(setting: multipath internal)");
	assert_string_equal(mp_origin_to_string(ORIGIN_DEFAULTS),
			    "(setting: multipath.conf defaults/devices section)");
	assert_string_equal(mp_origin_to_string(ORIGIN_HWTABLE),
			    "(setting: storage device configuration)");
	assert_string_equal(mp_origin_to_string(ORIGIN_OVERRIDES),
			    "(setting: multipath.conf overrides section)");
	assert_string_equal(mp_origin_to_string(ORIGIN_MULTIPATHS),
			    "(setting: multipath.conf multipaths section)");
	assert_string_equal(mp_origin_to_string(ORIGIN_AUTODETECT),
			    "(setting: storage device autodetected)");
	assert_null(mp_origin_to_string(_ORIGIN_MAX));
	assert_string_equal(mp_pgpolicy_to_string(PGP_GROUP_BY_TPG), "group_by_tpg");
	assert_int_equal(mp_pgpolicy_from_string("multibus"), PGP_MULTIBUS);
	assert_int_equal(mp_pgpolicy_from_string("x"), _PGP_INVALID);
	assert_string_equal(mp_proto_to_string(PROTO_NVME_TCP), "nvme:tcp");
	assert_string_equal(mp_proto_to_string(PROTO_NVME_APPLE), "nvme:apple-nvme");
	assert_string_equal(mp_proto_to_string(PROTO_UNDEF), "undef");
	assert_string_equal(mp_proto_to_string(_PROTO_MAX), "undef");
	assert_int_equal(mp_setting_id_from_string("checker"), MP_SET_CHECKER);
	assert_string_equal(mp_setting_id_to_string(MP_SET_CHECKER), "path_checker");
	assert_int_equal(mp_setting_id_from_string("nope"), _MP_SET_INVALID);
}

/* ---- hardware table ---- */

static void t_hwtable_builtin(void **state)
{
	struct mp_config *c = load_ok("");
	struct mp_path_info pi = scsi_pi("NETAPP", "LUN C-Mode");
	struct mp_settings *s = resolve(c, &pi);

	assert_true(mp_config_builtin_hwtable_size() >= 120);
	assert_value(s, "features", "\"2 pg_init_retries 50\"");
	assert_value(s, "no_path_retry", "queue");
	assert_value(s, "prio", "ontap");
	assert_value(s, "flush_on_last_del", "always");
	assert_value(s, "dev_loss_tmo", "infinity");
	assert_value(s, "user_friendly_names", "no");
	assert_value(s, "path_grouping_policy", "group_by_prio");
	assert_origin(s, "prio", ORIGIN_HWTABLE);
	mp_settings_free(s);
	/* regexes: ^DGC with several products; LUNZ is blacklisted */
	pi = scsi_pi("DGC", "VRAID");
	s = resolve(c, &pi);
	assert_value(s, "path_checker", "emc_clariion");
	assert_value(s, "no_path_retry", "60");
	assert_value(s, "hardware_handler", "\"1 emc\"");
	assert_value(s, "detect_checker", "no");
	mp_settings_free(s);
	/* generic NVMe entry first, specific ones refine it */
	pi = scsi_pi("NVME", "Pure Storage FlashArray");
	pi.bus = BUS_NVME;
	pi.devname = (char *)"nvme0n1";
	s = resolve(c, &pi);
	assert_value(s, "path_checker", "none");
	assert_value(s, "no_path_retry", "10");
	assert_value(s, "uid_attribute", "\"ID_WWN\"");
	assert_value(s, "failback", "immediate");
	mp_settings_free(s);
	/* the specific built-in row beats the generic one it refines */
	pi = scsi_pi("NVME", "Huawei-XSG1");
	pi.bus = BUS_NVME;
	s = resolve(c, &pi);
	assert_value(s, "path_checker", "directio");
	assert_value(s, "no_path_retry", "12");
	assert_value(s, "path_grouping_policy", "group_by_prio");
	mp_settings_free(s);
	/* Infinidat: the many-field entry */
	pi = scsi_pi("NFINIDAT", "InfiniBox");
	s = resolve(c, &pi);
	assert_value(s, "failback", "30");
	assert_value(s, "rr_weight", "priorities");
	assert_value(s, "rr_min_io", "1");
	assert_value(s, "path_selector", "\"round-robin 0\"");
	assert_value(s, "fast_io_fail_tmo", "15");
	assert_value(s, "flush_on_last_del", "always");
	mp_settings_free(s);
	mp_config_free(c);
}

/* Rows added for parity with the incumbent's table (Quantum, AccelStor on
 * ALUA, the narrower s390 DASD product blacklists). */
static void t_hwtable_added(void **state)
{
	struct mp_config *c = load_ok("");
	struct mp_path_info pi = scsi_pi("Quantum", "QXS-412");
	struct mp_settings *s = resolve(c, &pi);
	const char *reason;

	assert_true(mp_config_builtin_hwtable_size() >= 128);
	assert_value(s, "path_grouping_policy", "group_by_prio");
	assert_value(s, "prio", "alua");
	assert_value(s, "failback", "immediate");
	assert_value(s, "no_path_retry", "18");
	assert_origin(s, "no_path_retry", ORIGIN_HWTABLE);
	mp_settings_free(s);
	pi = scsi_pi("QUANTUM", "F1000");
	s = resolve(c, &pi);
	assert_value(s, "path_grouping_policy", "group_by_serial");
	assert_value(s, "no_path_retry", "30");
	assert_value(s, "prio", "const");
	mp_settings_free(s);
	pi = scsi_pi("QUANTUM", "F2000");
	s = resolve(c, &pi);
	assert_value(s, "path_grouping_policy", "group_by_prio");
	mp_settings_free(s);
	pi = scsi_pi("AStor", "NeoSapphire H710");
	s = resolve(c, &pi);
	assert_value(s, "path_grouping_policy", "group_by_prio");
	assert_value(s, "failback", "immediate");
	mp_settings_free(s);
	/* the StorNext control LUN is blacklisted, its data LUNs are not */
	pi = scsi_pi("Quantum", "cvfsctl");
	assert_int_equal(mp_config_blacklisted_path(c, &pi, NULL, NULL, &reason), 1);
	pi = scsi_pi("Quantum", "StorNext QX");
	assert_int_equal(mp_config_blacklisted_path(c, &pi, NULL, NULL, &reason), 0);
	pi = scsi_pi("IBM", "S/390 DASD ECKD");
	assert_int_equal(mp_config_blacklisted_path(c, &pi, NULL, NULL, &reason), 1);
	pi = scsi_pi("IBM", "S/390 other");
	assert_int_equal(mp_config_blacklisted_path(c, &pi, NULL, NULL, &reason), 0);
	mp_config_free(c);
}

static void t_hwtable_user(void **state)
{
	struct mp_config *c = load_ok(
		"devices {\n"
		"device {\nvendor NETAPP\nproduct LUN\nno_path_retry 7\n}\n"
		"device {\nvendor \"^ACME\"\nproduct \".*\"\nrevision \"^2\"\nrr_min_io 42\n}\n"
		"device {\nvendor \"^ACME\"\nproduct \".*\"\nrr_min_io 43\nrr_min_io_rq 9\n}\n"
		"device {\nvendor NETAPP\nproduct LUN\nfailback 9\n}\n"
		"}\n");
	struct mp_path_info pi = scsi_pi("NETAPP", "LUN");
	struct mp_settings *s = resolve(c, &pi);
	struct strbuf sb = STRBUF_INIT;

	/* user entries first; duplicates merged; built-in values still apply */
	assert_value(s, "no_path_retry", "7");
	assert_origin(s, "no_path_retry", ORIGIN_DEVICES);
	assert_value(s, "failback", "9");
	assert_value(s, "prio", "ontap");
	assert_origin(s, "prio", ORIGIN_HWTABLE);
	mp_settings_free(s);
	assert_int_equal(mp_config_dump(c, false, &sb), 0);
	assert_non_null(strstr(strbuf_str(&sb), "failback 9\n\t\tno_path_retry 7"));
	assert_null(strstr(strstr(strbuf_str(&sb), "no_path_retry 7") + 1, "\"LUN\""));
	strbuf_reset(&sb);
	/* revision regex; later entries win */
	pi = scsi_pi("ACME", "ANY");
	pi.revision = (char *)"2.1";
	s = resolve(c, &pi);
	assert_value(s, "rr_min_io", "43");
	assert_value(s, "rr_min_io_rq", "9");
	mp_settings_free(s);
	mp_config_free(c);
	c = load_ok("devices {\n"
		    "device {\nvendor \"^ACME\"\nproduct \".*\"\nrr_min_io_rq 9\n}\n"
		    "device {\nvendor \"^ACME\"\nproduct \".*\"\nrevision \"^2\"\nrr_min_io 42\n}\n"
		    "}\n");
	s = resolve(c, &pi);
	assert_value(s, "rr_min_io", "42");
	assert_value(s, "rr_min_io_rq", "9");
	mp_settings_free(s);
	pi.revision = (char *)"1.0";
	s = resolve(c, &pi);
	assert_value(s, "rr_min_io", "1000");
	mp_settings_free(s);
	mp_config_free(c);
	/* a verbatim copy of the built-in entry after a user entry of the same
	 * name still wins over it */
	c = load_ok("devices {\n"
		    "device {\nvendor NETAPP\nproduct LUN\nno_path_retry 7\n}\n"
		    "device {\nvendor NETAPP\nproduct LUN\n"
		    "features \"2 pg_init_retries 50\"\nno_path_retry queue\n"
		    "path_grouping_policy group_by_prio\nfailback immediate\n"
		    "flush_on_last_del always\ndev_loss_tmo infinity\nprio ontap\n"
		    "user_friendly_names no\n}\n}\n");
	pi = scsi_pi("NETAPP", "LUN");
	s = resolve(c, &pi);
	assert_value(s, "no_path_retry", "queue");
	assert_origin(s, "no_path_retry", ORIGIN_DEVICES);
	mp_settings_free(s);
	mp_config_free(c);
	/* even a catch-all user entry beats the specific built-in one */
	c = load_ok("devices {\ndevice {\nvendor \".*\"\nproduct \".*\"\nno_path_retry 1\n}\n}\n");
	pi = scsi_pi("NETAPP", "LUN");
	s = resolve(c, &pi);
	assert_value(s, "no_path_retry", "1");
	assert_origin(s, "no_path_retry", ORIGIN_DEVICES);
	assert_value(s, "prio", "ontap");
	mp_settings_free(s);
	mp_config_free(c);
}

static void t_hwtable_bad(void **state)
{
	struct mp_config_diags d = { 0 };
	struct mp_config *c = NULL;

	/* missing product: warning, entry dropped */
	assert_int_equal(mp_config_load_string("devices {\ndevice {\nvendor X\n}\n}\n", "h.conf",
					       &c, &d), 0);
	assert_int_equal(mp_config_diags_count(&d, LOG_WARNING), 1);
	mp_config_free(c);
	mp_config_diags_done(&d);
	/* bad regex: error */
	c = NULL;
	assert_int_equal(mp_config_load_string("devices {\ndevice {\nvendor \"(\"\nproduct X\n}\n}\n",
					       "h.conf", &c, &d), -EINVAL);
	assert_null(c);
	assert_int_equal(d.v[0].line, 3);
	mp_config_diags_done(&d);
}

/* ---- autodetection ---- */

static void t_autodetect(void **state)
{
	static const struct {
		const char *conf;
		const char *vendor, *product;
		enum mp_bus bus;
		int tpgs;
		enum mp_access_state access;
		const char *prio, *checker, *pgp, *hwh;
		enum mp_origin prio_o;
	} cases[] = {
		{ "", "ACME", "X", BUS_SCSI, 1, ACCESS_OPTIMIZED, "sysfs", "tur", "group_by_prio",
		  "\"1 alua\"", ORIGIN_AUTODETECT },
		{ "", "ACME", "X", BUS_SCSI, 3, ACCESS_UNKNOWN, "alua", "tur", "group_by_prio",
		  "\"1 alua\"", ORIGIN_AUTODETECT },
		{ "", "ACME", "X", BUS_SCSI, 0, ACCESS_UNKNOWN, "const", "tur", "failover", "\"0\"",
		  ORIGIN_COMPILED },
		{ "", "NVME", "X", BUS_NVME, 0, ACCESS_OPTIMIZED, "ana", "none", "group_by_prio",
		  "\"0\"", ORIGIN_AUTODETECT },
		{ "", "NVME", "X", BUS_NVME, 0, ACCESS_UNKNOWN, "const", "none", "group_by_prio",
		  "\"0\"", ORIGIN_COMPILED },
		/* built-in prio is not "the user's": detection still wins */
		{ "", "IBM", "2145", BUS_SCSI, 1, ACCESS_OPTIMIZED, "sysfs", "tur", "group_by_prio",
		  "\"1 alua\"", ORIGIN_AUTODETECT },
		/* Pure sets detect_prio no */
		{ "", "PURE", "FlashArray", BUS_SCSI, 1, ACCESS_OPTIMIZED, "alua", "tur",
		  "group_by_prio", "\"1 alua\"", ORIGIN_HWTABLE },
		/* RDAC arrays with implicit ALUA keep alua */
		{ "", "LENOVO", "DE_Series", BUS_SCSI, 1, ACCESS_OPTIMIZED, "alua", "rdac",
		  "group_by_prio", "\"1 rdac\"", ORIGIN_AUTODETECT },
		/* user's prio above defaults blocks detection; in defaults it does not */
		{ "overrides {\nprio const\n}\n", "ACME", "X", BUS_SCSI, 1, ACCESS_OPTIMIZED,
		  "const", "tur", "failover", "\"1 alua\"", ORIGIN_OVERRIDES },
		{ "devices {\ndevice {\nvendor ACME\nproduct X\nprio hds\n}\n}\n", "ACME", "X",
		  BUS_SCSI, 1, ACCESS_OPTIMIZED, "hds", "tur", "failover", "\"1 alua\"",
		  ORIGIN_DEVICES },
		{ "defaults {\nprio random\n}\n", "ACME", "X", BUS_SCSI, 1, ACCESS_OPTIMIZED,
		  "sysfs", "tur", "group_by_prio", "\"1 alua\"", ORIGIN_AUTODETECT },
		{ "defaults {\ndetect_prio no\n}\n", "ACME", "X", BUS_SCSI, 1, ACCESS_OPTIMIZED,
		  "const", "tur", "failover", "\"1 alua\"", ORIGIN_COMPILED },
		{ "defaults {\ndetect_checker no\npath_checker directio\n}\n", "ACME", "X",
		  BUS_SCSI, 1, ACCESS_OPTIMIZED, "sysfs", "directio", "group_by_prio", "\"1 alua\"",
		  ORIGIN_AUTODETECT },
		{ "defaults {\ndetect_pgpolicy_use_tpg yes\n}\n", "ACME", "X", BUS_SCSI, 1,
		  ACCESS_OPTIMIZED, "sysfs", "tur", "group_by_tpg", "\"1 alua\"", ORIGIN_AUTODETECT },
		{ "defaults {\ndetect_pgpolicy no\n}\n", "ACME", "X", BUS_SCSI, 1, ACCESS_OPTIMIZED,
		  "sysfs", "tur", "failover", "\"1 alua\"", ORIGIN_AUTODETECT },
		{ "defaults {\nretain_attached_hw_handler no\n}\n", "ACME", "X", BUS_SCSI, 1,
		  ACCESS_OPTIMIZED, "sysfs", "tur", "group_by_prio", "\"0\"", ORIGIN_AUTODETECT },
		/* "1 alua" from the table dropped when the device has no TPGS */
		{ "", "3PARdata", "VV", BUS_SCSI, 0, ACCESS_UNKNOWN, "alua", "tur", "group_by_prio",
		  "\"0\"", ORIGIN_HWTABLE },
	};

	for (size_t n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
		struct mp_config *c = load_ok(cases[n].conf);
		struct mp_path_info pi = scsi_pi(cases[n].vendor, cases[n].product);
		struct mp_settings *s;

		pi.bus = cases[n].bus;
		pi.tpgs = cases[n].tpgs;
		pi.access_state = cases[n].access;
		s = resolve(c, &pi);
		assert_value(s, "prio", cases[n].prio);
		assert_origin(s, "prio", cases[n].prio_o);
		assert_value(s, "path_checker", cases[n].checker);
		assert_value(s, "path_grouping_policy", cases[n].pgp);
		assert_value(s, "hardware_handler", cases[n].hwh);
		mp_settings_free(s);
		mp_config_free(c);
	}
}

static void t_features_reconcile(void **state)
{
	struct mp_config *c = load_ok("defaults {\nfeatures \"3 queue_if_no_path pg_init_retries 5\"\n}\n");
	struct mp_path_info pi = scsi_pi("ACME", "X");
	struct mp_settings *s = resolve(c, &pi);

	assert_value(s, "features", "\"2 pg_init_retries 5\"");
	assert_value(s, "no_path_retry", "queue");
	assert_origin(s, "no_path_retry", ORIGIN_DEFAULTS);
	mp_settings_free(s);
	mp_config_free(c);
	c = load_ok("defaults {\nfeatures \"1 queue_if_no_path\"\nno_path_retry 3\n}\n");
	s = resolve(c, &pi);
	assert_value(s, "features", "\"0\"");
	assert_value(s, "no_path_retry", "3");
	mp_settings_free(s);
	mp_config_free(c);
}

static void t_multipaths_merge(void **state)
{
	struct mp_config *c = load_ok("multipaths {\n"
				      "multipath {\nwwid W1\nalias a\nrr_min_io 5\n}\n"
				      "multipath {\nwwid W1\nalias b\n}\n"
				      "multipath {\nalias orphan\n}\n"
				      "}\n");
	struct mp_settings *s = NULL;

	assert_int_equal(mp_config_resolve(c, NULL, "W1", &s), 0);
	assert_value(s, "alias", "\"b\"");
	assert_value(s, "rr_min_io", "5");
	assert_origin(s, "alias", ORIGIN_MULTIPATHS);
	mp_settings_free(s);
	assert_int_equal(mp_config_resolve(c, NULL, "W2", &s), 0);
	assert_value(s, "alias", "<unset>");
	mp_settings_free(s);
	mp_config_free(c);
}

/* ---- blacklist ---- */

struct propset {
	const char *const *names;
};

static const char *getprop(const char *name, void *ud)
{
	const struct propset *p = ud;

	for (size_t k = 0; p->names[k]; k++)
		if (!strcmp(p->names[k], name))
			return "1";
	return NULL;
}

static void t_blacklist(void **state)
{
	static const char *const props_ok[] = { "ID_SERIAL", "ID_WWN", NULL };
	static const char *const props_none[] = { "ID_SERIAL", NULL };
	static const char *const props_ata[] = { "ID_SERIAL", "ID_ATA", "SCSI_IDENT_LUN_T10", NULL };
	static const char *const props_ata_only[] = { "ID_ATA", "ID_SERIAL", NULL };
	static const struct {
		const char *conf;
		const char *devname, *vendor, *product, *wwid;
		enum mp_proto proto;
		const char *const *props;       /* NULL: no getter */
		int want;
		const char *reason;
	} cases[] = {
		{ "", "sda", "ACME", "X", "W1", PROTO_SCSI_FCP, props_ok, 0, "property whitelisted" },
		{ "", "sda", "ACME", "X", "W1", PROTO_SCSI_FCP, props_none, 1, "missing property" },
		{ "", "sda", "ACME", "X", "W1", PROTO_SCSI_FCP, NULL, 0, "not blacklisted" },
		/* property rule skipped when uid_attribute is "" */
		{ "defaults {\nuid_attribute \"\"\n}\n", "sda", "ACME", "X", "W1", PROTO_SCSI_FCP,
		  props_none, 0, "not blacklisted" },
		{ "blacklist {\nproperty ID_ATA\n}\n", "sda", "ACME", "X", "W1", PROTO_SCSI_FCP,
		  props_ata, 0, "property whitelisted" },
		{ "blacklist {\nproperty ID_ATA\n}\nblacklist_exceptions {\nproperty NOPE\n}\n",
		  "sda", "ACME", "X", "W1", PROTO_SCSI_FCP, props_ata_only,
		  1, "property blacklisted" },
		/* built-in devnode allow-list */
		{ "", "loop0", "ACME", "X", "W1", PROTO_SCSI_FCP, NULL, 1, "devnode blacklisted" },
		{ "", "nvme0n1", "NVME", "X", "W1", PROTO_NVME_TCP, NULL, 0, "not blacklisted" },
		{ "blacklist_exceptions {\ndevnode \"^vd\"\n}\n", "vda", "ACME", "X", "W1",
		  PROTO_UNDEF, NULL, 0, "devnode whitelisted" },
		{ "blacklist {\ndevnode \"^sdc\"\n}\n", "sdc", "ACME", "X", "W1", PROTO_SCSI_FCP,
		  NULL, 1, "devnode blacklisted" },
		{ "blacklist {\ndevnode \"!^sdc\"\n}\n", "sdd", "ACME", "X", "W1", PROTO_SCSI_FCP,
		  NULL, 1, "devnode blacklisted" },
		{ "blacklist {\ndevnode \"!^sdc\"\n}\n", "sdc", "ACME", "X", "W1", PROTO_SCSI_FCP,
		  NULL, 0, "not blacklisted" },
		/* device */
		{ "", "sdb", "DGC", "LUNZ", "W1", PROTO_SCSI_FCP, NULL, 1, "device blacklisted" },
		{ "blacklist_exceptions {\ndevice {\nvendor DGC\nproduct LUNZ\n}\n}\n", "sdb", "DGC",
		  "LUNZ", "W1", PROTO_SCSI_FCP, NULL, 0, "device whitelisted" },
		{ "blacklist {\ndevice {\nvendor \"^AC\"\nproduct \"^X$\"\n}\n}\n", "sdb", "ACME", "X",
		  "W1", PROTO_SCSI_FCP, NULL, 1, "device blacklisted" },
		{ "blacklist {\ndevice {\nvendor \"^AC\"\nproduct \"^X$\"\n}\n}\n", "sdb", "ACME", "XY",
		  "W1", PROTO_SCSI_FCP, NULL, 0, "not blacklisted" },
		/* protocol */
		{ "blacklist {\nprotocol \"scsi:(sas|ata)\"\n}\n", "sdb", "ACME", "X", "W1",
		  PROTO_SCSI_SAS, NULL, 1, "protocol blacklisted" },
		{ "blacklist {\nprotocol \"scsi\"\n}\nblacklist_exceptions {\nprotocol fcp\n}\n",
		  "sdb", "ACME", "X", "W1", PROTO_SCSI_FCP, NULL, 0, "protocol whitelisted" },
		/* wwid, also with an exception and inversion */
		{ "blacklist {\nwwid \".*\"\n}\nblacklist_exceptions {\nwwid \"^36\"\n}\n", "sdb",
		  "ACME", "X", "3600", PROTO_SCSI_FCP, NULL, 0, "wwid whitelisted" },
		{ "blacklist {\nwwid \".*\"\n}\nblacklist_exceptions {\nwwid \"^36\"\n}\n", "sdb",
		  "ACME", "X", "2500", PROTO_SCSI_FCP, NULL, 1, "wwid blacklisted" },
		{ "blacklist {\nwwid \"!^36\"\n}\n", "sdb", "ACME", "X", "2500", PROTO_SCSI_FCP, NULL,
		  1, "wwid blacklisted" },
		/* an exception for one criterion does not save from another */
		{ "blacklist {\nwwid W1\n}\nblacklist_exceptions {\ndevnode sdb\n}\n", "sdb", "ACME",
		  "X", "W1", PROTO_SCSI_FCP, NULL, 1, "wwid blacklisted" },
	};

	for (size_t n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
		struct mp_config *c = load_ok(cases[n].conf);
		struct mp_path_info pi = scsi_pi(cases[n].vendor, cases[n].product);
		struct propset ps = { cases[n].props };
		const char *why = NULL;
		int r;

		pi.devname = (char *)cases[n].devname;
		pi.wwid = (char *)cases[n].wwid;
		pi.proto = cases[n].proto;
		pi.bus = !strncmp(cases[n].devname, "nvme", 4) ? BUS_NVME : BUS_SCSI;
		r = mp_config_blacklisted_path(c, &pi, cases[n].props ? getprop : NULL, &ps, &why);
		if (r != cases[n].want || strcmp(why, cases[n].reason))
			fail_msg("case %zu: got %d '%s', want %d '%s'", n, r, why, cases[n].want,
				 cases[n].reason);
		mp_config_free(c);
	}
}

static void t_blacklist_single(void **state)
{
	struct mp_config *c = load_ok("blacklist {\nwwid \"^3600a\"\ndevnode \"^sdz\"\n}\n");
	const char *why;
	static const char *const names[] = { "ID_SERIAL", "SCSI_IDENT_LUN_NAA_REG" };
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(mp_config_blacklisted_wwid(c, "3600a1", &why), 1);
	assert_string_equal(why, "wwid blacklisted");
	assert_int_equal(mp_config_blacklisted_wwid(c, "3500a1", &why), 0);
	assert_int_equal(mp_config_blacklisted_devnode(c, "sdz", &why), 1);
	assert_int_equal(mp_config_blacklisted_devnode(c, "dm-0", &why), 1);
	assert_int_equal(mp_config_blacklisted_devnode(c, "dasdb", &why), 0);
	assert_int_equal(mp_config_blacklisted_props(c, names, 2, "ID_SERIAL", &why), 0);
	assert_int_equal(mp_config_blacklisted_props(c, names, 1, "ID_SERIAL", &why), 1);
	assert_int_equal(mp_config_blacklisted_props(c, names, 1, "", &why), 0);
	assert_int_equal(mp_config_dump_blacklist(c, &sb), 0);
	assert_non_null(strstr(strbuf_str(&sb), "(default rule) !^(sd[a-z]|dasd[a-z]|nvme[0-9])"));
	assert_non_null(strstr(strbuf_str(&sb), "(config file rule) ^3600a"));
	assert_non_null(strstr(strbuf_str(&sb), "(default rule) (SCSI_IDENT_|ID_WWN)"));
	assert_non_null(strstr(strbuf_str(&sb), "^DGC:LUNZ"));
	strbuf_reset(&sb);
	mp_config_free(c);
}

/* ---- files ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void t_confd(void **state)
{
	char dir[] = "/tmp/test-config-XXXXXX";
	char path[512], main_conf[512];
	struct mp_config *c = NULL;
	struct mp_config_diags d = { 0 };
	struct mp_path_info pi = scsi_pi("ACME", "X");
	struct mp_settings *s;

	assert_non_null(mkdtemp(dir));
	snprintf(main_conf, sizeof(main_conf), "%s/multipath.conf", dir);
	write_file(main_conf, "defaults {\nrr_min_io 1\nrr_min_io_rq 1\npolling_interval 7\n}\n");
	snprintf(path, sizeof(path), "%s/conf.d", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/conf.d/20-b.conf", dir);
	write_file(path, "defaults {\nrr_min_io 20\n}\n");
	snprintf(path, sizeof(path), "%s/conf.d/10-a.conf", dir);
	write_file(path, "defaults {\nrr_min_io 10\nrr_min_io_rq 10\n}\n");
	snprintf(path, sizeof(path), "%s/conf.d/30-c.conf.disabled", dir);
	write_file(path, "defaults {\nrr_min_io 30\n}\n");
	snprintf(path, sizeof(path), "%s/conf.d", dir);
	assert_int_equal(mp_config_load(main_conf, path, &c, &d), 0);
	s = resolve(c, &pi);
	assert_value(s, "rr_min_io", "20");
	assert_value(s, "rr_min_io_rq", "10");
	assert_int_equal(mp_config_globals(c)->polling_interval, 7);
	mp_settings_free(s);
	mp_config_free(c);
	/* an error in a drop-in names that file and fails the load */
	snprintf(path, sizeof(path), "%s/conf.d/40-bad.conf", dir);
	write_file(path, "\n\ndefaults {\nrr_min_io zero\n}\n");
	snprintf(path, sizeof(path), "%s/conf.d", dir);
	c = NULL;
	assert_int_equal(mp_config_load(main_conf, path, &c, &d), -EINVAL);
	assert_null(c);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].file, "40-bad.conf"));
	assert_int_equal(d.v[0].line, 4);
	mp_config_diags_done(&d);
	/* missing main file = defaults only */
	snprintf(path, sizeof(path), "%s/nonexistent.conf", dir);
	assert_int_equal(mp_config_load(path, NULL, &c, NULL), 0);
	mp_config_free(c);
	assert_int_equal(system("rm -rf /tmp/test-config-*"), 0);
}

static int native_read_attr(const char *dir, const char *attr, char *buf, size_t len)
{
	if (strcmp(dir, "/sys/module/nvme_core/parameters") || strcmp(attr, "multipath"))
		return -ENOENT;
	snprintf(buf, len, "Y");
	return 1;
}

/* Native NVMe multipath on: NVMe namespaces drop out of the allow-list. */
static void t_native_nvme(void **state)
{
	static const struct mp_sysfs_ops sysfs = { .read_attr = native_read_attr };
	static const struct mp_backend be = { .sysfs = &sysfs };
	struct mp_config *c = NULL;
	const char *why;

	mp_backend_set(&be);
	assert_int_equal(mp_config_load("/nonexistent/multipath.conf", NULL, &c, NULL), 0);
	mp_backend_set(NULL);
	assert_int_equal(mp_config_blacklisted_devnode(c, "nvme0n1", &why), 1);
	assert_int_equal(mp_config_blacklisted_devnode(c, "sda", &why), 0);
	mp_config_free(c);
	c = load_ok("");
	assert_int_equal(mp_config_blacklisted_devnode(c, "nvme0n1", &why), 0);
	mp_config_free(c);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;

	assert_non_null(f);
	if (getdelim(&buf, &cap, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static const struct {
	const char *vendor, *product;
	enum mp_bus bus;
	int tpgs;
	const char *wwid;
} identities[] = {
	{ "NETAPP", "LUN", BUS_SCSI, 1, "3600" }, { "ACME", "X", BUS_SCSI, 0, "W1" },
	{ "NVME", "Pure Storage FlashArray", BUS_NVME, 0, "W2" },
	{ "HP", "LOGICAL VOLUME", BUS_SCSI, 0, "3600508b1001c5a3a" },
	{ "DGC", "RAID 5", BUS_SCSI, 1, "x" },
};

static void assert_same_resolution(const struct mp_config *a, const struct mp_config *b)
{
	for (size_t n = 0; n < sizeof(identities) / sizeof(identities[0]); n++)
		for (int proto = PROTO_UNDEF; proto < _PROTO_MAX; proto += 3) {
			struct mp_path_info pi = scsi_pi(identities[n].vendor, identities[n].product);
			struct mp_settings *sa, *sb;

			pi.bus = identities[n].bus;
			pi.tpgs = identities[n].tpgs;
			pi.wwid = (char *)identities[n].wwid;
			pi.proto = (enum mp_proto)proto;
			sa = resolve(a, &pi);
			sb = resolve(b, &pi);
			if (!mp_settings_equal(sa, sb))
				fail_msg("resolution differs for %s/%s", pi.vendor, pi.product);
			mp_settings_free(sa);
			mp_settings_free(sb);
		}
}

static void t_dump_roundtrip(void **state)
{
	static const char *const files[] = {
		"data/config/minimal.conf", "data/config/mixed.conf", "data/config/blacklist.conf",
		"data/config/full.conf", "data/config/empty.conf", "data/config/example.conf",
	};

	for (size_t n = 0; n < sizeof(files) / sizeof(files[0]); n++)
		for (int builtin = 0; builtin <= 1; builtin++) {
			char *text = read_all(files[n]);
			struct mp_config *c1 = load_ok(text), *c2, *c3;
			struct strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT, d3 = STRBUF_INIT;

			assert_int_equal(mp_config_dump(c1, builtin, &d1), 0);
			c2 = load_ok(strbuf_str(&d1));
			assert_int_equal(mp_config_dump(c2, builtin, &d2), 0);
			if (strcmp(strbuf_str(&d1), strbuf_str(&d2)))
				fail_msg("%s (builtin=%d): dump changed after a parse", files[n], builtin);
			/* and the -T dump of the -t parse is the -T dump of the original */
			c3 = load_ok(strbuf_str(&d2));
			assert_int_equal(mp_config_dump(c3, false, &d3), 0);
			assert_same_resolution(c1, c2);
			assert_same_resolution(c1, c3);
			assert_int_equal(mp_config_globals(c1)->max_polling_interval,
					 mp_config_globals(c2)->max_polling_interval);
			strbuf_reset(&d1);
			strbuf_reset(&d2);
			strbuf_reset(&d3);
			mp_config_free(c1);
			mp_config_free(c2);
			mp_config_free(c3);
			free(text);
		}
}

static void t_dump_contents(void **state)
{
	struct mp_config *c = load_ok("");
	struct strbuf sb = STRBUF_INIT;
	const char *t;

	assert_int_equal(mp_config_dump(c, true, &sb), 0);
	t = strbuf_str(&sb);
	assert_non_null(strstr(t, "defaults {\n\tverbosity 2\n\tpolling_interval 5\n"));
	assert_non_null(strstr(t, "\tvendor \"3PARdata\"\n"));
	assert_non_null(strstr(t, "\t\tvendor \"NVM[eE]\"\n\t\tproduct \".*\"\n"));
	assert_non_null(strstr(t, "\tdevnode \"!^(sd[a-z]|dasd[a-z]|nvme[0-9])\"\n"));
	strbuf_reset(&sb);
	assert_int_equal(mp_config_dump(c, false, &sb), 0);
	assert_null(strstr(strbuf_str(&sb), "3PARdata"));
	assert_null(strstr(strbuf_str(&sb), "dasd"));
	strbuf_reset(&sb);
	{
		struct mp_path_info pi = scsi_pi("3PARdata", "VV");
		const struct mp_path_info *paths[] = { &pi, NULL };

		assert_int_equal(mp_config_dump_local(c, paths, 2, &sb), 0);
		assert_non_null(strstr(strbuf_str(&sb), "\"3PARdata\""));
		assert_null(strstr(strbuf_str(&sb), "\"NETAPP\""));
		strbuf_reset(&sb);
	}
	mp_config_free(c);
}

/* ---- diagnostics ---- */

static void discard(int prio, const char *msg, void *ud)
{
}

struct captured {
	char lines[16][256];
	int prio[16];
	int n;
};

static void capture(int prio, const char *msg, void *ud)
{
	struct captured *cap = ud;

	if (cap->n < 16) {
		snprintf(cap->lines[cap->n], sizeof(cap->lines[0]), "%s", msg);
		cap->prio[cap->n++] = prio;
	}
}

static void t_diagnostics(void **state)
{
	char *text = read_all("data/config/bad.conf");
	struct mp_config_diags d = { 0 };
	struct mp_config *c = NULL;
	struct captured cap = { 0 };
	static const struct {
		int line;
		const char *needle;
	} want[] = {
		{ 2, "'polling_interval'" }, { 3, "'no_path_retry'" }, { 6, "'^(sd'" },
		{ 8, "unmatched '}'" }, { 10, "'device'" }, { 9, "'devices'" },
	};

	assert_int_equal(mp_config_load_string(text, "bad.conf", &c, &d), -EINVAL);
	assert_null(c);
	assert_int_equal(d.n, sizeof(want) / sizeof(want[0]));
	for (size_t k = 0; k < d.n; k++) {
		assert_int_equal(d.v[k].prio, LOG_ERR);
		assert_string_equal(d.v[k].file, "bad.conf");
		assert_int_equal(d.v[k].line, want[k].line);
		if (!strstr(d.v[k].msg, want[k].needle))
			fail_msg("'%s' lacks '%s'", d.v[k].msg, want[k].needle);
	}
	mp_log_set_sink(capture, &cap);
	mp_log_set_verbosity(2);
	assert_int_equal(mp_config_diags_print(&d), (int)d.n);
	mp_config_diags_done(&d);
	assert_string_equal(cap.lines[0], "bad.conf:2: invalid value '-3' for 'polling_interval' "
					  "(accepted: an integer >= 1)");
	cap.n = 0;
	assert_int_equal(mp_config_load_string("defaults {\n\tfoo bar\n}\n", "w.conf", &c, &d), 0);
	mp_config_diags_print(&d);
	mp_log_set_sink(discard, NULL);
	mp_log_set_verbosity(1);
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.prio[0], LOG_WARNING);
	assert_string_equal(cap.lines[0],
			    "w.conf:2: unknown keyword 'foo' in section 'defaults', ignoring");
	mp_config_diags_done(&d);
	mp_config_free(c);
	free(text);
}

static void t_prio_args_ok(void **state)
{
	static const char *const texts[] = {
		"defaults {\nprio alua\nprio_args exclusive_pref_bit\n}\n",
		"defaults {\nprio path_latency\nprio_args \"io_num=20 base_num=1.5\"\n}\n",
		"defaults {\nprio weightedpath\nprio_args \"hbtl 1:.:.:. 2 4:.:.:. 4\"\n}\n",
		"defaults {\nprio datacore\nprio_args \"timeout=1000 preferredsds=foo\"\n}\n",
		"defaults {\nprio iet\nprio_args \"preferredip=10.0.0.1\"\n}\n",
		"defaults {\nprio const\nprio_args \"\"\n}\n",
	};

	for (size_t n = 0; n < sizeof(texts) / sizeof(texts[0]); n++) {
		struct mp_config_diags d = { 0 };
		struct mp_config *c = NULL;

		assert_int_equal(mp_config_load_string(texts[n], "p.conf", &c, &d), 0);
		if (d.n)
			fail_msg("%s: %s", texts[n], d.v[0].msg);
		mp_config_free(c);
		mp_config_diags_done(&d);
	}
}

static void t_syntax(void **state)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "defaults {\n\tpath_selector \"service-time 0\" # comment\n}\n", 0 },
		{ "# only a comment\n! another\n", 0 },
		{ "defaults { \n}\n", 0 },
		{ "defaults {\n\talias_prefix \"a\"\"b\"\n}\n", 0 },
		{ "defaults {\n\talias_prefix \"unterminated\n}\n", -EINVAL },
		{ "defaults\n{\n}\n", -EINVAL },
		{ "defaults {\n\tverbosity\n}\n", -EINVAL },
		{ "defaults {\n", -EINVAL },
		{ "}\n", -EINVAL },
		{ "defaults {\n\tverbosity 3 }\n", 0 },
		{ "blacklist {\n\tdevnode \"!^(sd\"\n}\n", -EINVAL },
		{ "multipaths {\n\tmultipath {\n\t\twwid a\n\t\tmultipath {\n\t\t}\n\t}\n}\n", 0 },
		{ "defaults {\r\n\tverbosity 3\r\n}\r\n", 0 },
		/* patterns whose compiled form would explode are refused */
		{ "blacklist {\n\twwid \"a++++++++++++++++++++++++++++++++++++++++++\"\n}\n", -EINVAL },
		{ "blacklist {\n\twwid \"((((((((((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+\"\n}\n",
		  -EINVAL },
		{ "devices {\n\tdevice {\n\t\tvendor \"(a{1000}){1000}\"\n\t\tproduct x\n\t}\n}\n", -EINVAL },
		{ "blacklist {\n\twwid \")a+++++++++++++++++++++++++++++++++++++++++++\"\n}\n", -EINVAL },
		{ "blacklist {\n\twwid \"^(36|25)[0-9a-f]{2,8}(x+|y*)?z{3}$\"\n}\n", 0 },
	};

	for (size_t n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
		struct mp_config *c = NULL;
		int r = mp_config_load_string(cases[n].text, "s.conf", &c, NULL);

		if (r != cases[n].want)
			fail_msg("case %zu: %d, want %d", n, r, cases[n].want);
		mp_config_free(c);
	}
	{
		struct mp_config *c = load_ok("defaults {\n\talias_prefix \"a\"\"b\"\n}\n");
		struct mp_settings *s = resolve(c, NULL);

		assert_string_equal(s->alias_prefix, "a\"b");
		mp_settings_free(s);
		mp_config_free(c);
	}
}

static void t_settings_dup(void **state)
{
	struct mp_config *c = load_ok("defaults {\nprio weightedpath\nprio_args \"x\"\n}\n");
	struct mp_settings *s = resolve(c, NULL), *d = NULL;

	assert_int_equal(mp_settings_dup(s, &d), 0);
	assert_true(mp_settings_equal(s, d));
	assert_int_equal(mp_settings_origin_id(d, MP_SET_PRIO_ARGS), ORIGIN_DEFAULTS);
	/* resolved strings are shared, not copied per map */
	assert_ptr_equal(d->prio_args, s->prio_args);
	assert_true(mp_str_is_interned(s->prio));
	mp_str_free(d->prio_args);     /* a string pool copy: kept */
	d->prio_args = strdup("y");
	assert_false(mp_settings_equal(s, d));
	mp_settings_free(s);
	mp_settings_free(d);
	mp_config_free(c);
}

static void t_rcu(void **state)
{
	struct mp_config *a = load_ok(""), *b = load_ok("defaults {\nverbosity 4\n}\n");

	rcu_register_thread();
	mp_config_publish(a);
	rcu_read_lock();
	assert_ptr_equal(mp_config_get(), a);
	rcu_read_unlock();
	mp_config_publish(b);
	rcu_read_lock();
	assert_int_equal(mp_config_globals(mp_config_get())->verbosity, 4);
	rcu_read_unlock();
	mp_config_publish(NULL);
	rcu_read_lock();
	assert_null(mp_config_get());
	rcu_read_unlock();
	rcu_unregister_thread();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_keyword_values),
		cmocka_unit_test(t_every_keyword_rejects_garbage),
		cmocka_unit_test(t_defaults),
		cmocka_unit_test(t_globals),
		cmocka_unit_test(t_global_strings),
		cmocka_unit_test(t_misplaced_and_deprecated),
		cmocka_unit_test(t_unused_notices),
		cmocka_unit_test(t_precedence),
		cmocka_unit_test(t_origin_texts),
		cmocka_unit_test(t_hwtable_builtin),
		cmocka_unit_test(t_hwtable_added),
		cmocka_unit_test(t_hwtable_user),
		cmocka_unit_test(t_hwtable_bad),
		cmocka_unit_test(t_autodetect),
		cmocka_unit_test(t_features_reconcile),
		cmocka_unit_test(t_multipaths_merge),
		cmocka_unit_test(t_blacklist),
		cmocka_unit_test(t_blacklist_single),
		cmocka_unit_test(t_confd),
		cmocka_unit_test(t_native_nvme),
		cmocka_unit_test(t_dump_roundtrip),
		cmocka_unit_test(t_dump_contents),
		cmocka_unit_test(t_diagnostics),
		cmocka_unit_test(t_syntax),
		cmocka_unit_test(t_prio_args_ok),
		cmocka_unit_test(t_settings_dup),
		cmocka_unit_test(t_rcu),
	};

	mp_log_set_verbosity(1);
	mp_log_set_sink(discard, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
