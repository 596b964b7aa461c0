/* SPDX-License-Identifier: MIT */
/* The running programme: its file, its sessions and check-ins from storage, in local days. */
#include "programme-run.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "plan-history.h"

struct file_parse {
	struct programme_config *c;
	char err[PROGRAMME_ERROR_MAX];
	int r;
};

static int on_key(void *userdata, const char *section, const char *key, const char *value)
{
	struct file_parse *p = userdata;

	if (p->r < 0)
		return 0;
	p->r = programme_config_set(p->c, section, key, value, p->err);
	return p->r < 0 ? 0 : 1;
}

int programme_file_parse(const char *text, struct programme_config *ret, char *err, size_t err_size)
{
	struct programme_config c;
	struct file_parse p = { .c = &c };
	int line;

	programme_config_default(&c);
	line = ini_parse_string(text, on_key, &p);
	if (line != 0) {
		if (p.r == 0) /* libinih's own: no '=', an unclosed section, a too long line */
			(void) snprintf(p.err, sizeof(p.err), "not a 'key = value' line");
		(void) snprintf(err, err_size, "line %d: %s", line, p.err);
		return p.r < 0 ? p.r : -EBADMSG;
	}
	*ret = c;
	return 0;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
	int era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned) (y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t) doe - 719468;
}

int32_t programme_day(int64_t ts)
{
	time_t t = (time_t) ts;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return (int32_t) (ts / 86400);
	return days_from_civil(tm.tm_year + 1900, (unsigned) tm.tm_mon + 1, (unsigned) tm.tm_mday);
}

void programme_day_string(int32_t day, char buf[11])
{
	time_t t = (time_t) day * 86400 + 12 * 3600; /* noon UTC of that date: the same date */
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, 11, "%Y-%m-%d", &tm) == 0)
		buf[0] = '\0';
}

struct load {
	struct storage *st;
	struct programme_session *s;
	size_t n;
};

/* Sessions come newest first: fill from the end, so that they end up oldest first. */
static int session_cb(const struct storage_session *x, void *userdata)
{
	struct load *l = userdata;
	struct programme_session *s = &l->s[PROGRAMME_SESSIONS_MAX - 1 - l->n];
	struct storage_checkin c;

	*s = (struct programme_session) {
		.day = programme_day(x->started_at),
		.active_s = x->active_s,
		.pain_before = x->pain_before,
		.pain_max = x->pain_max,
		.checkin_pain = BR_NONE,
		.intensity_pct = BR_NONE,
		.end = plan_history_end_from_string(x->end_reason),
	};
	if (storage_checkin_between(l->st, x->started_at + 1,
				    plan_history_checkin_until(x->ended_at), &c) == 0)
		s->checkin_pain = c.pain;
	l->n++;
	return l->n >= PROGRAMME_SESSIONS_MAX ? 1 : 0;
}

struct flares {
	int32_t days[64];
	size_t n;
};

static int flare_cb(const struct storage_flare *f, void *userdata)
{
	struct flares *fl = userdata;

	if (fl->n >= ARRAY_SIZE(fl->days)) /* the latest count: drop the oldest */
		memmove(fl->days, fl->days + 1, sizeof(fl->days) - sizeof(fl->days[0])), fl->n--;
	fl->days[fl->n++] = programme_day(f->ts);
	return 0;
}

static enum storage_kind storage_kind_of(enum programme_kind k)
{
	return k == PROGRAMME_KIND_BIKE	       ? STORAGE_KIND_BIKE
	       : k == PROGRAMME_KIND_TREADMILL ? STORAGE_KIND_TREADMILL
					       : STORAGE_KIND_ANY;
}

int programme_view_load(struct storage *st, int64_t now, struct programme_view *ret)
{
	_cleanup_free_ struct programme_session *s = NULL;
	char err[PROGRAMME_ERROR_MAX];
	struct storage_session_filter f;
	struct programme_input in;
	struct flares fl = { .n = 0 };
	struct load l = { .st = st };
	int r;

	r = storage_programme_current(st, &ret->row);
	if (r < 0)
		return r;
	r = programme_file_parse(ret->row.settings, &ret->config, err, sizeof(err));
	if (r < 0)
		return -EBADMSG;
	s = calloc(PROGRAMME_SESSIONS_MAX, sizeof(*s));
	if (!s)
		return -ENOMEM;
	l.s = s;
	f = (struct storage_session_filter) { .since = ret->row.started_at,
					      .kind = storage_kind_of(ret->config.kind),
					      .ended_only = true };
	r = storage_sessions_list(st, &f, session_cb, &l);
	if (r >= 0)
		r = storage_flares_list(st, ret->row.id, flare_cb, &fl);
	if (r < 0)
		return r;
	ret->today = programme_day(now);
	in = (struct programme_input) {
		.start_day = programme_day(ret->row.started_at),
		.today = ret->today,
		.sessions = s + PROGRAMME_SESSIONS_MAX - l.n,
		.n_sessions = l.n,
		.flare_days = fl.days,
		.n_flares = fl.n,
	};
	return programme_status(&ret->config, &in, &ret->status);
}

int programme_begin(struct storage *st, const char *text, int64_t now, char *err, size_t err_size)
{
	char settings[STORAGE_PROGRAMME_SETTINGS_MAX];
	struct programme_config c;
	int r;

	r = programme_file_parse(text, &c, err, err_size);
	if (r < 0)
		return r;
	r = programme_config_format(&c, settings, sizeof(settings));
	if (r < 0 || (size_t) r >= sizeof(settings))
		return -ENOBUFS;
	return storage_programme_begin(st, now, settings, NULL);
}

int programme_flare(struct storage *st, int64_t now, const char *note)
{
	struct storage_programme p;
	int r;

	r = storage_programme_current(st, &p);
	if (r < 0)
		return r;
	return storage_flare_add(st, p.id, now, note);
}

static bool runs_for(const struct programme_config *c, enum session_kind kind)
{
	return c->kind == PROGRAMME_KIND_EITHER ||
	       (c->kind == PROGRAMME_KIND_BIKE) == (kind == SESSION_KIND_BIKE);
}

/* The running programme's view in *ret (freed by the caller) when it runs for @kind.
 * Return: 1, 0 (no programme, or not for @kind), -errno. */
static int view_for(struct storage *st, int64_t now, enum session_kind kind,
		    struct programme_view **ret)
{
	_cleanup_free_ struct programme_view *v = NULL;
	int r;

	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	r = programme_view_load(st, now, v);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (!runs_for(&v->config, kind))
		return 0;
	*ret = TAKE_PTR(v);
	return 1;
}

int programme_plan_next(struct storage *st, int64_t now, enum session_kind kind,
			const struct plan_params *targets, const struct plan_params *first,
			const struct envelope_limits *caps, struct plan_params *ret,
			struct plan_reason *why)
{
	_cleanup_free_ struct programme_view *v = NULL;
	int r;

	r = view_for(st, now, kind, &v);
	if (r <= 0)
		return r;
	/* The baseline rides at the gentle first intensity; the steps at the planner's. */
	r = programme_plan(&v->status,
			   v->status.phase == PROGRAMME_PHASE_BASELINE ? first : targets, caps,
			   ret);
	if (r < 0)
		return r;
	why->code = PLAN_REASON_PROGRAMME;
	(void) snprintf(why->text, sizeof(why->text), "Programme (%s): %.170s",
			programme_phase_to_string(v->status.phase), v->status.why);
	return 1;
}

int programme_rest(struct storage *st, int64_t now, enum session_kind kind, char *msg, size_t size)
{
	_cleanup_free_ struct programme_view *v = NULL;
	const struct programme_status *s;
	char day[11];
	int r;

	r = view_for(st, now, kind, &v);
	if (r <= 0)
		return r;
	s = &v->status;
	if (!s->rest_today)
		return 0;
	programme_day_string(s->next_day, day);
	(void) snprintf(msg, size,
			"today is a rest day in your programme (%s); the next session is due on "
			"%s. 'backride programme' shows the weeks",
			s->remaining_this_week == 0
				? "this week's sessions are done"
				: "one session a day, and a day off after days in a row",
			day);
	return -EAGAIN;
}
