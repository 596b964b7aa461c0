/* SPDX-License-Identifier: MIT */
/* The coach's plans: config to the engine's structs, the machine, history to the next plan. */
#include "coach-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "macro.h"
#include "plan-history.h"
#include "programme-run.h"
#include "wallclock.h"

void coach_plan_config(const struct config *c, enum session_kind kind, struct plan_config *ret)
{
	const struct config_session *s = &c->session;

	plan_config_default(kind, ret);
	ret->first.warmup_s = s->warmup_s;
	ret->first.steady_s = s->steady_s;
	ret->first.cooldown_s = s->cooldown_s;
	ret->first.stretches = s->stretches;
	ret->first.start_pct = s->start_pct;
	ret->first.power_w = (int32_t) s->bike_power_w;
	ret->first.resistance_pct = (int32_t) s->bike_resistance_pct;
	ret->first.speed_ckmh = (int32_t) s->treadmill_speed_ckmh;
	ret->first.incline_dpct = (int32_t) s->treadmill_incline_dpct;
	ret->max_steady_s = s->max_steady_s;
	ret->duration_step_s = s->duration_step_s;
	ret->intensity_step_pct = s->intensity_step_pct;
	ret->weekly_pct = s->weekly_pct;
	(void) plan_config_bound(ret);
}

static void channel(struct envelope_channel_limits *l, unsigned cap, unsigned up, unsigned down)
{
	*l = (struct envelope_channel_limits) { (int32_t) cap, (int32_t) up, (int32_t) down };
}

void coach_limits(const struct config *c, struct envelope_limits *ret)
{
	const struct config_safety *s = &c->safety;

	channel(&ret->ch[SESSION_CH_POWER], s->max_power_w, s->power_up, s->power_down);
	channel(&ret->ch[SESSION_CH_RESISTANCE], s->max_resistance_pct, s->resistance_up,
		s->resistance_down);
	channel(&ret->ch[SESSION_CH_SPEED], s->max_speed_ckmh, s->speed_up, s->speed_down);
	channel(&ret->ch[SESSION_CH_INCLINE], s->max_incline_dpct, s->incline_up, s->incline_down);
	(void) envelope_limits_bound(ret);
}

void coach_rules(const struct config *c, struct session_rules *ret)
{
	const struct config_safety *s = &c->safety;

	session_rules_default(ret);
	ret->hr_max_bpm = s->max_heart_rate;
	if (!ret->hr_max_bpm && s->age)
		ret->hr_max_bpm = session_hr_cap_from_age(s->age);
	ret->cadence_floor_rpm = s->cadence_floor_rpm;
	ret->no_pedal_s = s->no_pedalling_s;
	ret->link_timeout_s = s->link_timeout_s;
	ret->resume_pct = c->session.resume_pct;
	ret->reramp_pct_min = c->session.reramp_pct_min;
	ret->countdown_s = c->session.countdown_s;
	(void) session_rules_bound(ret);
}

int coach_machine(const struct machine_info *info, struct session_machine *ret)
{
	static const struct {
		enum session_channel ch;
		uint32_t feature;
		enum ftms_range_kind range;
	} map[] = {
		{ SESSION_CH_POWER, FTMS_TARGET_POWER, FTMS_RANGE_POWER },
		{ SESSION_CH_RESISTANCE, FTMS_TARGET_RESISTANCE, FTMS_RANGE_RESISTANCE },
		{ SESSION_CH_SPEED, FTMS_TARGET_SPEED, FTMS_RANGE_SPEED },
		{ SESSION_CH_INCLINE, FTMS_TARGET_INCLINATION, FTMS_RANGE_INCLINATION },
	};

	if (info->kind != MACHINE_KIND_BIKE && info->kind != MACHINE_KIND_TREADMILL)
		return -EPROTO;
	*ret = (struct session_machine) {
		.kind = info->kind == MACHINE_KIND_BIKE ? SESSION_KIND_BIKE
							: SESSION_KIND_TREADMILL,
		.cadence_only = info->protocol == MACHINE_PROTOCOL_CSC,
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		if (!(info->features.target & map[i].feature) || !info->has_range[map[i].range])
			continue;
		ret->has[map[i].ch] = true;
		ret->range[map[i].ch] = info->ranges[map[i].range];
	}
	return 0;
}

void coach_plan_override(struct plan_params *p, uint32_t minutes, int stretches)
{
	uint32_t total = minutes * 60, edge;

	if (minutes) {
		edge = CLAMP(total / 6 / 60 * 60, 60u, MAX(p->warmup_s, 60u));
		p->warmup_s = edge;
		p->cooldown_s = MIN(edge, MAX(p->cooldown_s, 60u));
		p->steady_s = total > p->warmup_s + p->cooldown_s + 60
				      ? total - p->warmup_s - p->cooldown_s
				      : 60;
	}
	if (stretches >= 0)
		p->stretches = stretches;
	(void) plan_params_bound(p);
}

int coach_plan_start(struct coach *co, enum session_kind kind, struct plan_params *ret,
		     struct plan_reason *why, const char **msg)
{
	int r;

	r = programme_rest(co->storage, wallclock_now(), kind, co->start_message,
			   sizeof(co->start_message));
	if (r < 0) {
		*msg = co->start_message;
		return r;
	}
	return coach_plan_next(co->storage, co->config, kind, ret, why);
}

int coach_plan_next(struct storage *st, const struct config *c, enum session_kind kind,
		    struct plan_params *ret, struct plan_reason *why)
{
	_cleanup_free_ struct plan_history *h = NULL;
	struct envelope_limits caps;
	struct plan_config cfg;
	struct plan_params p;
	int64_t now;
	int n, r;

	h = calloc(PLAN_HISTORY_MAX, sizeof(*h));
	if (!h)
		return -ENOMEM;
	n = plan_history_load(st, kind, h, PLAN_HISTORY_MAX);
	if (n < 0)
		return n;
	coach_plan_config(c, kind, &cfg);
	coach_limits(c, &caps);
	now = wallclock_now();
	r = plan_next(&cfg, &caps, h, (size_t) n, now, &p, why);
	if (r < 0)
		return r;
	/* A programme running for this kind chooses the length; the targets stay the planner's. */
	r = programme_plan_next(st, now, kind, &p, &cfg.first, &caps, ret, why);
	if (r == 0)
		*ret = p;
	return r < 0 ? r : 0;
}
