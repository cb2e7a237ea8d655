// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shaky-path rules as pure state machines: san_path_err_* (and its old
 * form delay_*_checks) and marginal_path_*.  They see one verdict at a
 * time with the time it was made and say whether the path may be used;
 * the checker thread (path-health.c) owns the state and acts on the
 * answer, so these can be driven step by step by the unit tests.
 */
#include "config/settings.h"
#include "path-health.h"
#include "util/clock.h"

static bool san_enabled(const struct mpd_san_cfg *c)
{
	/* like the incumbent: all three are needed, one alone means nothing */
	return c->threshold > 0 && c->forget_rate > 0 && c->recovery_s > 0;
}

void mpd_san_cfg_from(const struct mp_settings *s, int max_polling_interval,
		      struct mpd_san_cfg *ret)
{
	*ret = (struct mpd_san_cfg){ 0 };
	if (!s)
		return;
	if (s->san_path_err_threshold > 0 || s->san_path_err_forget_rate > 0 ||
	    s->san_path_err_recovery_time > 0) {
		ret->threshold = s->san_path_err_threshold;
		ret->forget_rate = s->san_path_err_forget_rate;
		ret->recovery_s = s->san_path_err_recovery_time;
		return;
	}
	/* delay_watch_checks N: a path that failed is watched for N checks
	 * (one failure forgotten per N good checks, so any second failure
	 * within them trips); delay_wait_checks M: it then waits M checks,
	 * which at the longest interval is M × max_polling_interval s. */
	if (s->delay_watch_checks > 0 && s->delay_wait_checks > 0) {
		ret->threshold = 1;
		ret->forget_rate = s->delay_watch_checks;
		ret->recovery_s = s->delay_wait_checks * max_polling_interval;
	}
}

static void san_forget(const struct mpd_san_cfg *c, struct mpd_san *s)
{
	if (s->failures <= 0 || --s->forget_left > 0)
		return;
	s->failures--;
	s->forget_left = c->forget_rate;
}

static enum mpd_shaky san_holding(const struct mpd_san_cfg *c, struct mpd_san *s, bool good,
				  bool others_usable, uint64_t now)
{
	if (!good) {
		/* failing again while held: the wait starts over */
		s->hold_since = now;
		return SHAKY_PASS;
	}
	/* a held path is better than no path at all */
	if (others_usable && now - s->hold_since < (uint64_t)c->recovery_s * USEC_PER_SEC)
		return SHAKY_HOLD;
	s->holding = false;
	s->failures = 0;
	s->forget_left = 0;
	return SHAKY_RELEASE;
}

enum mpd_shaky mpd_san_step(const struct mpd_san_cfg *c, struct mpd_san *s, bool was_bad,
			    bool good, bool others_usable, uint64_t now)
{
	if (!san_enabled(c))
		return SHAKY_PASS;
	if (s->holding)
		return san_holding(c, s, good, others_usable, now);
	if (!good)
		return SHAKY_PASS;
	if (!was_bad) {
		san_forget(c, s);
		return SHAKY_PASS;
	}
	/* a recovery: the failure before it counts once, however long the
	 * path stayed down */
	if (s->failures++ == 0)
		s->forget_left = c->forget_rate;
	if (s->failures <= c->threshold || !others_usable)
		return SHAKY_PASS;
	s->holding = true;
	s->hold_since = now;
	return SHAKY_HOLD;
}

/*---- marginal_path_* ----*/

bool mpd_marg_enabled(const struct mpd_marg_cfg *c)
{
	return c->double_failed_s > 0 && c->sample_s > 0 && c->rate_threshold > 0 &&
	       c->recheck_gap_s > 0;
}

static void marg_start_sample(struct mpd_marg *m, uint64_t now)
{
	m->phase = MARG_SAMPLING;
	m->since = now;
	m->ios = 0;
	m->errs = 0;
}

/* A usable → unusable transition: the second within double_failed_s
 * makes the path suspect and starts the I/O sample. */
static void marg_failure(const struct mpd_marg_cfg *c, struct mpd_marg *m, uint64_t now)
{
	if (m->fail_cnt == 0 || now - m->first_fail > (uint64_t)c->double_failed_s * USEC_PER_SEC) {
		m->fail_cnt = 1;
		m->first_fail = now;
		return;
	}
	if (++m->fail_cnt >= 2)
		marg_start_sample(m, now);
}

/* End of a sample: an error rate above the threshold (or no answer at
 * all) keeps the path out until the recheck gap has passed. */
static bool marg_sample_bad(const struct mpd_marg_cfg *c, const struct mpd_marg *m)
{
	unsigned rate = m->ios ? m->errs * 1000U / m->ios : 1000U;

	return rate > (unsigned)c->rate_threshold;
}

enum mpd_shaky mpd_marg_step(const struct mpd_marg_cfg *c, struct mpd_marg *m, bool was_bad,
			     bool good, uint64_t now)
{
	enum mpd_shaky held = good ? SHAKY_HOLD : SHAKY_PASS;

	if (!mpd_marg_enabled(c))
		return SHAKY_PASS;
	switch (m->phase) {
	case MARG_IDLE:
		if (!was_bad && !good)
			marg_failure(c, m, now);
		return m->phase == MARG_IDLE ? SHAKY_PASS : held;
	case MARG_SAMPLING:
		if (now - m->since < (uint64_t)c->sample_s * USEC_PER_SEC)
			return held;
		if (marg_sample_bad(c, m)) {
			m->phase = MARG_WAIT;
			m->since = now;
			return held;
		}
		m->phase = MARG_IDLE;
		m->fail_cnt = 0;
		return good ? SHAKY_RELEASE : SHAKY_PASS;
	case MARG_WAIT:
		if (now - m->since >= (uint64_t)c->recheck_gap_s * USEC_PER_SEC)
			marg_start_sample(m, now);
		return held;
	}
	return SHAKY_PASS;
}

void mpd_marg_io_done(struct mpd_marg *m, bool ok)
{
	if (m->phase != MARG_SAMPLING)
		return;         /* a late answer from the previous sample */
	m->ios++;
	if (!ok)
		m->errs++;
}
