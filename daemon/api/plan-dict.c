/* SPDX-License-Identifier: MIT */
/* Progress's next plan: the latest sessions from storage, through the session planner. */
#include "history.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "coach.h"
#include "plan-history.h"
#include "plan.h"
#include "wallclock.h"

int history_append_plan(sd_bus_message *reply, const struct plan_params *p,
			const struct plan_reason *why)
{
	int due, r;

	r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}{sv}", "kind", "s",
				  session_kind_to_string(p->kind), "warmup_s", "u", p->warmup_s,
				  "steady_s", "u", p->steady_s, "cooldown_s", "u", p->cooldown_s,
				  "stretches", "b", (int) p->stretches);
	if (r >= 0 && p->kind == SESSION_KIND_BIKE)
		r = sd_bus_message_append(reply, "{sv}{sv}", "power_w", "u", (uint32_t) p->power_w,
					  "resistance_pct", "u", (uint32_t) p->resistance_pct);
	else if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}", "speed_kmh", "d",
					  p->speed_ckmh / 100.0, "incline_pct", "d",
					  p->incline_dpct / 10.0);
	if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}", "reason", "s",
					  plan_reason_code_to_string(why->code), "reason_text", "s",
					  why->text);
	/* After a session: the check-in the plan looked at, until when one counts, and whether
	 * one is due (none yet, and the window open): `backride start` then asks for it. */
	due = why->checkin_pain == BR_NONE && wallclock_now() < why->checkin_until;
	if (r >= 0 && why->checkin[0])
		r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}", "checkin_text", "s",
					  why->checkin, "checkin_until", "x", why->checkin_until,
					  "last_ended", "x", why->last_ended_at, "checkin_due", "b",
					  due);
	if (r >= 0 && why->checkin_pain != BR_NONE)
		r = sd_bus_message_append(reply, "{sv}{sv}", "checkin_pain", "u",
					  (uint32_t) why->checkin_pain, "checkin_at", "x",
					  why->checkin_at);
	return r;
}

static int latest_cb(const struct storage_session *x, void *userdata)
{
	*(enum storage_kind *) userdata = x->kind;
	return 1;
}

int history_append_next_plan(struct storage *st, const struct config *c, sd_bus_message *reply)
{
	struct storage_session_filter f = { .kind = STORAGE_KIND_ANY,
					    .ended_only = true,
					    .limit = 1 };
	enum storage_kind kind = STORAGE_KIND_ANY;
	struct plan_params p;
	struct plan_reason why;
	int n, r;

	r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r < 0)
		return r;
	/* The plan for the kind of machine used last; none before the first session. */
	n = storage_sessions_list(st, &f, latest_cb, &kind);
	if (n < 0)
		return n;
	if (n > 0 && (kind == STORAGE_KIND_BIKE || kind == STORAGE_KIND_TREADMILL)) {
		/* The same plan as `backride plan` and StartSession: history, [session], [safety].
		 */
		r = coach_plan_next(st, c,
				    kind == STORAGE_KIND_BIKE ? SESSION_KIND_BIKE
							      : SESSION_KIND_TREADMILL,
				    &p, &why);
		if (r >= 0)
			r = history_append_plan(reply, &p, &why);
		if (r < 0)
			return r;
	}
	return sd_bus_message_close_container(reply);
}
