/* SPDX-License-Identifier: MIT */
/*
 * What the coach learns about the machine it drives: targets offered without a range (driven on
 * conservative defaults, the user told once per machine), ranges narrowed by the machine's
 * refusals, and treadmill firmware that reads speed targets as mph. Stored per machine.
 */
#include "coach-internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "macro.h"

static const enum ftms_range_kind range_kind[_SESSION_CH_MAX] = {
	[SESSION_CH_POWER] = FTMS_RANGE_POWER,
	[SESSION_CH_RESISTANCE] = FTMS_RANGE_RESISTANCE,
	[SESSION_CH_SPEED] = FTMS_RANGE_SPEED,
	[SESSION_CH_INCLINE] = FTMS_RANGE_INCLINATION,
};

static const uint32_t target_feature[_SESSION_CH_MAX] = {
	[SESSION_CH_POWER] = FTMS_TARGET_POWER,
	[SESSION_CH_RESISTANCE] = FTMS_TARGET_RESISTANCE,
	[SESSION_CH_SPEED] = FTMS_TARGET_SPEED,
	[SESSION_CH_INCLINE] = FTMS_TARGET_INCLINATION,
};

/* Storage keeps its own channel numbers: the same order. */
_Static_assert((int) STORAGE_CH_POWER == (int) SESSION_CH_POWER &&
		       (int) STORAGE_CH_INCLINE == (int) SESSION_CH_INCLINE &&
		       (int) _STORAGE_CH_MAX == (int) _SESSION_CH_MAX,
	       "storage and session channels differ");

uint32_t coach_missing_ranges(const struct machine_info *info)
{
	uint32_t missing = 0;

	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		const struct ftms_range *r = &info->ranges[range_kind[c]];

		/* A range with nothing in it (a Zwift Hub's power range reads 0, 0, 0) is none. */
		if ((info->features.target & target_feature[c]) &&
		    (!info->has_range[range_kind[c]] || r->max <= r->min))
			missing |= 1u << c;
	}
	return missing;
}

static bool speed_mph(const struct coach *co)
{
	switch ((enum config_speed_unit) co->config->speed_unit) {
	case CONFIG_SPEED_KMH:
		return false;
	case CONFIG_SPEED_MPH:
		return true;
	case CONFIG_SPEED_AUTO:
		break;
	}
	return co->learn.stored.speed_unit == STORAGE_SPEED_MPH;
}

/* The default range of @c within what was learned before; false: not driven. */
static bool default_range(const struct coach *co, enum session_channel c, struct ftms_range *ret)
{
	const struct storage_learned *st = &co->learn.stored;
	struct ftms_range r;

	if (learn_default_range(c, &r) < 0)
		return false;
	if (st->min[c] != BR_NONE && st->max[c] != BR_NONE && st->min[c] <= st->max[c]) {
		r.min = MAX(r.min, st->min[c]);
		r.max = MIN(r.max, st->max[c]);
	}
	*ret = r;
	return r.min <= r.max;
}

void coach_learn_machine(struct coach *co, struct session_machine *m)
{
	struct coach_learn *l = &co->learn;
	uint32_t missing = coach_missing_ranges(&co->info);
	int r;

	*l = (struct coach_learn) {};
	storage_learned_init(&l->stored);
	r = storage_machine_learned_get(co->storage, co->address, &l->stored);
	if (r < 0 && r != -ENOENT)
		log_warning("Cannot read what was learned about %s (%s).", co->address,
			    strerror(-r));
	for (unsigned c = 0; c < _SESSION_CH_MAX; c++) {
		m->has[c] = m->has[c] && !(missing & (1u << c));
		if (!(missing & (1u << c)) || !default_range(co, c, &m->range[c]))
			continue;
		m->has[c] = true;
		l->defaulted |= 1u << c;
		range_learn_init(&l->learn[c], &m->range[c]);
	}
	l->missing = missing;
	if (m->kind != SESSION_KIND_TREADMILL || !m->has[SESSION_CH_SPEED])
		return;
	l->speed_wire = m->range[SESSION_CH_SPEED];
	l->mph = speed_mph(co);
	learn_speed_range(&l->speed_wire, l->mph, &m->range[SESSION_CH_SPEED]);
}

static void store(struct coach *co)
{
	int r = storage_machine_learned_put(co->storage, co->address, &co->learn.stored);

	if (r < 0 && r != -ENOENT)
		log_warning("Cannot store what was learned about %s (%s).", co->address,
			    strerror(-r));
}

static size_t list_channels(uint32_t bits, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned c = 0; c < _SESSION_CH_MAX && n < size; c++)
		if (bits & (1u << c))
			n += (size_t) snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
					       session_channel_to_string((enum session_channel) c));
	return n;
}

/* Tell the user once per machine which ranges it leaves out, and what backride does. */
static void tell_missing(struct coach *co)
{
	struct coach_learn *l = &co->learn;
	char names[64], text[256];

	if (!(l->missing & ~l->stored.missing_ranges))
		return;
	(void) list_channels(l->missing, names, sizeof(names));
	(void) snprintf(text, sizeof(text),
			"%s does not say its %s range; backride drives it within conservative "
			"defaults and learns from what it refuses%s",
			co->address, names,
			(l->missing & ~l->defaulted) ? " (the incline stays flat)" : "");
	log_warning("%s.", text);
	coach_emit_event(co, "machine", text);
	coach_record_event(co, "ranges", (int32_t) l->missing, text);
	l->stored.missing_ranges |= l->missing;
	store(co);
}

int32_t coach_learn_floor(const struct coach *co, enum session_channel c)
{
	const struct machine_info *i = &co->info;
	const struct ftms_range *r = &i->ranges[range_kind[c]];
	struct storage_learned l;
	struct ftms_range d;

	if (i->has_range[range_kind[c]] && r->min < r->max)
		return r->min;
	if (storage_machine_learned_get(co->storage, co->address, &l) >= 0 && l.min[c] != BR_NONE)
		return l.min[c];
	return learn_default_range(c, &d) < 0 ? 0 : d.min;
}

void coach_learn_begun(struct coach *co)
{
	if (!co->guided_why[0]) /* a guided session sets nothing: no range to learn */
		tell_missing(co);
	session_set_speed_mph(co->engine, co->learn.mph);
}

int coach_learn_speed_wire(const struct coach *co, int32_t ckmh, int32_t *ret)
{
	int32_t v = learn_speed_to_wire(ckmh, co->learn.mph, &co->learn.speed_wire);

	if (v < 0)
		return v;
	*ret = v;
	return 0;
}

static int channel_of(uint8_t op, enum session_channel *ret)
{
	switch (op) {
	case FTMS_CP_SET_TARGET_POWER:
		*ret = SESSION_CH_POWER;
		return 0;
	case FTMS_CP_SET_TARGET_RESISTANCE:
		*ret = SESSION_CH_RESISTANCE;
		return 0;
	case FTMS_CP_SET_TARGET_SPEED:
		*ret = SESSION_CH_SPEED;
		return 0;
	case FTMS_CP_SET_TARGET_INCLINATION:
		*ret = SESSION_CH_INCLINE;
		return 0;
	}
	return -ENOENT;
}

/* The value of a target request, in the machine's own units (mph firmware: its mph). */
static int32_t request_value(enum session_channel c, const struct ftms_cp_request *req)
{
	switch (c) {
	case SESSION_CH_POWER:
		return req->param.power;
	case SESSION_CH_RESISTANCE:
		return req->param.resistance.level;
	case SESSION_CH_SPEED:
		return req->param.speed;
	case SESSION_CH_INCLINE:
	case _SESSION_CH_MAX:
		break;
	}
	return req->param.inclination;
}

/*
 * The machine refused @v on channel @c: narrow, store, say so. Ranges are learned and stored in
 * the machine's own units; the engine's speed is true km/h (mph firmware: converted).
 * Return: whether it narrowed.
 */
static bool refused(struct coach *co, enum session_channel c, int32_t v)
{
	struct range_learn *rl = &co->learn.learn[c];
	struct ftms_range engine;
	char text[160];
	int r;

	r = range_learn_refused(rl, v);
	if (r <= 0)
		return false;
	engine = rl->range;
	if (c == SESSION_CH_SPEED) {
		co->learn.speed_wire = rl->range;
		learn_speed_range(&rl->range, co->learn.mph, &engine);
	}
	r = session_narrow(co->engine, c, engine.min, engine.max);
	if (r < 0)
		return false;
	co->learn.stored.min[c] = rl->range.min;
	co->learn.stored.max[c] = rl->range.max;
	store(co);
	(void) snprintf(text, sizeof(text),
			"the machine refused %s %d; its usable range is now %d-%d",
			session_channel_to_string(c), v, rl->range.min, rl->range.max);
	log_info("Session %lld: %s.", (long long) co->id, text);
	coach_record_event(co, "range", v, text);
	return true;
}

bool coach_learn_result(struct coach *co, const struct ftms_cp_request *req, int outcome)
{
	enum session_channel c;
	int32_t v;

	if (!co->running || !req || channel_of(req->op, &c) < 0 ||
	    !(co->learn.defaulted & (1u << c)))
		return false;
	v = request_value(c, req);
	if (outcome == FTMS_CP_SUCCESS) {
		range_learn_accepted(&co->learn.learn[c], v);
		return false;
	}
	if (outcome != FTMS_CP_INVALID_PARAMETER && outcome != FTMS_CP_OPERATION_FAILED)
		return false;
	return refused(co, c, v);
}

int coach_set_speed_unit(struct coach *co, bool mph)
{
	struct coach_learn *l = &co->learn;
	struct ftms_range r;
	int ret;

	if (!co->running)
		return -ENOTCONN;
	if (!(session_get_paused(co->engine) & SESSION_PAUSE_SPEED_UNITS))
		return -EALREADY; /* only after a detection: never a guess */
	if (co->info.kind != MACHINE_KIND_TREADMILL)
		return -EOPNOTSUPP;
	l->stored.speed_unit = mph ? STORAGE_SPEED_MPH : STORAGE_SPEED_KMH;
	store(co);
	if (mph != l->mph) {
		learn_speed_range(&l->speed_wire, mph, &r);
		/* Only ever narrower: in true km/h, the machine's range in the new unit. */
		(void) session_narrow(co->engine, SESSION_CH_SPEED, r.min, r.max);
		l->mph = mph;
		session_set_speed_mph(co->engine, mph);
	}
	log_info("Session %lld: the treadmill reads speed targets in %s (confirmed).",
		 (long long) co->id, mph ? "mph" : "km/h");
	coach_record_event(co, "speed-unit", mph ? 1 : 0,
			   mph ? "mph, confirmed" : "km/h, confirmed");
	ret = session_resume(co->engine, co->now);
	return ret == -EALREADY ? 0 : ret;
}
