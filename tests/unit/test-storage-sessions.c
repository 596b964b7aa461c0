/* SPDX-License-Identifier: MIT */

/* Unit tests of daemon/storage on databases in temporary directories: sessions from
 * start to end and after a crash, listing, samples, progress, check-ins, a full disk and bulk. */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h> /* only to tamper with files the way another program would */

#include "test-storage.h"

static int collect_events(const struct storage_event *e, void *userdata)
{
	char *out = userdata;
	char line[128];

	(void) snprintf(line, sizeof(line), "%s:%d:%d:%s;", e->type, e->t == BR_NONE ? -1 : e->t,
			e->value == BR_NONE ? -1 : e->value, e->detail ?: "-");
	strcat(out, line);
	return 0;
}

static void test_session_lifecycle(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_session_plan p = plan_at(T0, STORAGE_KIND_BIKE);
	struct storage_session x;
	struct storage_event e;
	char events[512] = "";
	int64_t id;

	p.pain_before = 3;
	assert_int_equal(storage_session_begin(s, &p, &id), 0);
	assert_int_equal(storage_session_get(s, id, &x), 0);
	assert_int_equal(x.ended_at, 0);
	assert_string_equal(x.end_reason, "");
	assert_string_equal(x.profile, "gentle");
	assert_int_equal(x.kind, STORAGE_KIND_BIKE);
	assert_int_equal(x.planned_s, 1800);
	assert_int_equal(x.warmup_s, 300);
	assert_int_equal(x.target_power_w, 60);
	assert_int_equal(x.target_speed_ckmh, BR_NONE);
	assert_int_equal(x.pain_max, BR_NONE);

	/* t=0 standing still with no HR contact, then 9 s pedalling. */
	for (uint32_t t = 0; t < 10; t++) {
		struct storage_sample y;

		storage_sample_init(&y);
		y.session_id = id;
		y.t = t;
		y.phase = 1;
		y.power_w = 10 * (int32_t) t;
		y.cadence_hrpm = t ? 120 : 0;
		y.speed_ckmh = t ? 1500 : 0;
		y.hr_bpm = t ? 100 + (int32_t) t : 0;
		y.distance_m = 4 * (int32_t) t;
		y.target_power_w = 60;
		assert_int_equal(storage_sample_append(s, &y), 0);
	}
	e = (struct storage_event) { .session_id = id,
				     .ts_usec = T0 * 1000000LL + 4500000,
				     .t = 4,
				     .type = "pain",
				     .value = 5,
				     .detail = "lower back" };
	assert_int_equal(storage_event_add(s, &e), 0);
	e = (struct storage_event) { .session_id = id,
				     .ts_usec = T0 * 1000000LL + 6000000,
				     .t = 6,
				     .type = "phase",
				     .value = 2,
				     .detail = NULL };
	assert_int_equal(storage_event_add(s, &e), 0);
	e = (struct storage_event) { .ts_usec = T0 * 1000000LL,
				     .t = BR_NONE,
				     .type = "link",
				     .value = BR_NONE,
				     .detail = "adapter on" };
	assert_int_equal(storage_event_add(s, &e), 0);
	e.type = "";
	assert_int_equal(storage_event_add(s, &e), -EINVAL);

	assert_int_equal(storage_session_end(s, id, T0 + 600, "completed", 2), 0);
	assert_int_equal(storage_session_end(s, id, T0 + 601, "completed", 2), -EALREADY);
	assert_int_equal(storage_session_end(s, id + 100, T0 + 601, "stopped", 2), -ENOENT);
	assert_int_equal(storage_session_end(s, id, T0 + 601, "completed", 11), -EINVAL);

	assert_int_equal(storage_session_get(s, id, &x), 0);
	assert_int_equal(x.ended_at, T0 + 600);
	assert_string_equal(x.end_reason, "completed");
	assert_int_equal(x.duration_s, 600);
	assert_int_equal(x.n_samples, 10);
	assert_int_equal(x.active_s, 9);
	assert_int_equal(x.distance_m, 36);
	assert_int_equal(x.energy_j, 450);
	assert_int_equal(x.avg_power_w, 45);
	assert_int_equal(x.max_power_w, 90);
	assert_int_equal(x.avg_speed_ckmh, 1350);
	assert_int_equal(x.avg_hr_bpm, 105);
	assert_int_equal(x.max_hr_bpm, 109);
	assert_int_equal(x.pain_before, 3);
	assert_int_equal(x.pain_max, 5);
	assert_int_equal(x.pain_after, 2);

	assert_int_equal(storage_events_foreach(s, id, collect_events, events), 2);
	assert_string_equal(events, "pain:4:5:lower back;phase:6:2:-;");
	events[0] = '\0';
	assert_int_equal(storage_events_foreach(s, 0, collect_events, events), 1);
	assert_string_equal(events, "link:-1:-1:adapter on;");
	storage_free(s);
}

static void test_recover_interrupted(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_session x;
	int64_t *ids = NULL;
	int64_t id, done, empty;

	done = session_done(s, T0 - DAY, STORAGE_KIND_BIKE, 4, 40);
	id = begin(s, T0, STORAGE_KIND_TREADMILL);
	for (uint32_t t = 0; t < 5; t++)
		append_power(s, id, t, 20);
	empty = begin(s, T0 + 60, STORAGE_KIND_BIKE);
	storage_free(s); /* as if killed: never ended */

	s = open_ok(f->path);
	assert_int_equal(storage_sessions_recover(s, &ids), 2);
	assert_non_null(ids);
	assert_int_equal(ids[0], id);
	assert_int_equal(ids[1], empty);
	free(ids);

	assert_int_equal(storage_session_get(s, id, &x), 0);
	assert_string_equal(x.end_reason, "interrupted");
	assert_int_equal(x.ended_at, T0 + 5);
	assert_int_equal(x.duration_s, 5);
	assert_int_equal(x.n_samples, 5);
	assert_int_equal(x.active_s, 5);
	assert_int_equal(x.energy_j, 100);
	assert_int_equal(x.avg_power_w, 20);
	assert_int_equal(x.pain_after, BR_NONE);
	assert_int_equal(x.distance_m, BR_NONE);
	assert_int_equal(x.avg_hr_bpm, BR_NONE);

	assert_int_equal(storage_session_get(s, empty, &x), 0);
	assert_int_equal(x.ended_at, T0 + 60);
	assert_int_equal(x.duration_s, 0);
	assert_int_equal(x.n_samples, 0);
	assert_int_equal(x.energy_j, BR_NONE);

	assert_int_equal(storage_session_get(s, done, &x), 0);
	assert_string_equal(x.end_reason, "completed");

	ids = &id; /* overwritten with NULL: nothing left to recover */
	assert_int_equal(storage_sessions_recover(s, &ids), 0);
	assert_null(ids);
	storage_free(s);
}

/* Killed during the stretches: they follow only a completed ride, so it is completed. */
static void test_recover_stretches(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_session x;
	int64_t *ids = NULL;
	int64_t stretched, riding;
	struct storage_event e = {
		.ts_usec = (int64_t) T0 * 1000000,
		.t = 3,
		.type = "phase",
		.value = BR_NONE,
		.detail = "stretches",
	};

	stretched = begin(s, T0, STORAGE_KIND_BIKE);
	riding = begin(s, T0 + 60, STORAGE_KIND_BIKE);
	for (uint32_t t = 0; t < 5; t++) {
		append_power(s, stretched, t, 20);
		append_power(s, riding, t, 20);
	}
	e.session_id = stretched;
	assert_int_equal(storage_event_add(s, &e), 0);
	/* The other one only cooled down: still interrupted. */
	e.session_id = riding;
	e.detail = "cooldown";
	assert_int_equal(storage_event_add(s, &e), 0);
	storage_free(s);

	s = open_ok(f->path);
	assert_int_equal(storage_sessions_recover(s, &ids), 2);
	free(ids);
	assert_int_equal(storage_session_get(s, stretched, &x), 0);
	assert_string_equal(x.end_reason, "completed");
	assert_int_equal(x.ended_at, T0 + 5);
	assert_int_equal(x.n_samples, 5);
	assert_int_equal(storage_session_get(s, riding, &x), 0);
	assert_string_equal(x.end_reason, "interrupted");
	storage_free(s);
}

struct id_list {
	int64_t ids[16];
	int n;
	int stop_after;
};

static int collect_session(const struct storage_session *x, void *userdata)
{
	struct id_list *l = userdata;

	l->ids[l->n++] = x->id;
	return l->stop_after && l->n >= l->stop_after ? 1 : 0;
}

static int fail_session(const struct storage_session *x, void *userdata)
{
	return -ECANCELED;
}

static void test_list_filters(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_session_filter flt;
	struct id_list l;
	int64_t id[5];

	id[0] = session_done(s, T0, STORAGE_KIND_BIKE, 2, 30);
	id[1] = session_done(s, T0 + DAY, STORAGE_KIND_TREADMILL, 2, 30);
	id[2] = session_done(s, T0 + 2 * DAY, STORAGE_KIND_BIKE, 2, 30);
	id[3] = session_done(s, T0 + 3 * DAY, STORAGE_KIND_BIKE, 2, 30);
	id[4] = begin(s, T0 + 4 * DAY, STORAGE_KIND_BIKE); /* running */

	l = (struct id_list) { 0 };
	assert_int_equal(storage_sessions_list(s, NULL, collect_session, &l), 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(l.ids[i], id[4 - i]);

	l = (struct id_list) { 0 };
	flt = (struct storage_session_filter) { .kind = STORAGE_KIND_BIKE, .ended_only = true };
	assert_int_equal(storage_sessions_list(s, &flt, collect_session, &l), 3);
	assert_int_equal(l.ids[0], id[3]);
	assert_int_equal(l.ids[1], id[2]);
	assert_int_equal(l.ids[2], id[0]);

	l = (struct id_list) { 0 };
	flt = (struct storage_session_filter) { .since = T0 + DAY,
						.until = T0 + 3 * DAY,
						.kind = STORAGE_KIND_ANY };
	assert_int_equal(storage_sessions_list(s, &flt, collect_session, &l), 2);
	assert_int_equal(l.ids[0], id[2]);
	assert_int_equal(l.ids[1], id[1]);

	l = (struct id_list) { 0 };
	flt = (struct storage_session_filter) { .kind = STORAGE_KIND_ANY, .limit = 2, .offset = 1 };
	assert_int_equal(storage_sessions_list(s, &flt, collect_session, &l), 2);
	assert_int_equal(l.ids[0], id[3]);
	assert_int_equal(l.ids[1], id[2]);

	l = (struct id_list) { 0 };
	flt = (struct storage_session_filter) { .kind = STORAGE_KIND_ANY, .offset = 4 };
	assert_int_equal(storage_sessions_list(s, &flt, collect_session, &l), 1);
	assert_int_equal(l.ids[0], id[0]);

	l = (struct id_list) { .stop_after = 2 };
	assert_int_equal(storage_sessions_list(s, NULL, collect_session, &l), 2);
	assert_int_equal(storage_sessions_list(s, NULL, fail_session, NULL), -ECANCELED);
	flt = (struct storage_session_filter) { .kind = 42 };
	assert_int_equal(storage_sessions_list(s, &flt, collect_session, &l), -EINVAL);
	storage_free(s);
}

struct sample_sum {
	uint32_t first, last;
	int n;
	int64_t power;
};

static int sum_samples(const struct storage_sample *x, void *userdata)
{
	struct sample_sum *sum = userdata;

	if (sum->n == 0)
		sum->first = x->t;
	else
		assert_int_equal(x->t, sum->last + 1);
	sum->last = x->t;
	sum->n++;
	sum->power += x->power_w;
	assert_int_equal(x->hr_bpm, BR_NONE);
	return 0;
}

static int copy_sample(const struct storage_sample *x, void *userdata)
{
	memcpy(userdata, x, sizeof(*x));
	return 0;
}

static void test_samples_range(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct sample_sum sum = { 0 };
	struct storage_sample x, y;
	int64_t a, b;

	a = begin(s, T0, STORAGE_KIND_BIKE);
	b = begin(s, T0 + 10, STORAGE_KIND_BIKE);
	for (uint32_t t = 0; t < 100; t++) {
		append_power(s, a, t, (int32_t) t);
		append_power(s, b, t, 1000);
	}
	append_power(s, a, 50, 50); /* the same second again replaces, never duplicates */
	storage_sample_init(&x);
	x.session_id = a;
	x.t = STORAGE_T_MAX + 1;
	assert_int_equal(storage_sample_append(s, &x), -ERANGE);
	x.session_id = 0;
	x.t = 1;
	assert_int_equal(storage_sample_append(s, &x), -EINVAL);
	assert_int_equal(storage_pending(s), 0);
	assert_int_equal(storage_samples_foreach(s, a, 10, 20, sum_samples, &sum), 10);
	assert_int_equal(sum.first, 10);
	assert_int_equal(sum.last, 19);
	assert_int_equal(sum.power, 145);

	sum = (struct sample_sum) { 0 };
	assert_int_equal(storage_samples_foreach(s, a, 0, UINT32_MAX, sum_samples, &sum), 100);
	assert_int_equal(sum.power, 4950);
	sum = (struct sample_sum) { 0 };
	assert_int_equal(storage_samples_foreach(s, a, 100, 200, sum_samples, &sum), 0);

	/* Every field survives the round trip. */
	x = (struct storage_sample) { .session_id = b,
				      .t = 500,
				      .phase = 3,
				      .power_w = -5,
				      .cadence_hrpm = 181,
				      .speed_ckmh = 2345,
				      .distance_m = 70000,
				      .hr_bpm = 150,
				      .incline_dpct = -15,
				      .resistance_d = 255,
				      .target_power_w = 80,
				      .target_speed_ckmh = 2000,
				      .target_resistance_d = 30,
				      .target_incline_dpct = 10 };
	assert_int_equal(storage_sample_append(s, &x), 0);
	assert_int_equal(storage_samples_foreach(s, b, 500, 501, copy_sample, &y), 1);
	assert_int_equal(y.session_id, b);
	assert_int_equal(y.t, 500);
	assert_int_equal(y.phase, 3);
	assert_int_equal(y.power_w, -5);
	assert_int_equal(y.cadence_hrpm, 181);
	assert_int_equal(y.speed_ckmh, 2345);
	assert_int_equal(y.distance_m, 70000);
	assert_int_equal(y.hr_bpm, 150);
	assert_int_equal(y.incline_dpct, -15);
	assert_int_equal(y.resistance_d, 255);
	assert_int_equal(y.target_power_w, 80);
	assert_int_equal(y.target_speed_ckmh, 2000);
	assert_int_equal(y.target_resistance_d, 30);
	assert_int_equal(y.target_incline_dpct, 10);
	storage_free(s);
}

static void test_progress_weekly(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_session_plan p;
	struct storage_week w[3];
	const int64_t until = T0 + 21 * DAY;
	int64_t id;

	/* Week 0 [T0, T0+7d): none. Week 1: two. Week 2: one ended, one running. Before: one. */
	(void) session_done(s, T0 - DAY, STORAGE_KIND_BIKE, 60, 50);
	p = plan_at(T0 + 8 * DAY, STORAGE_KIND_BIKE);
	p.pain_before = 3;
	assert_int_equal(storage_session_begin(s, &p, &id), 0);
	append_power(s, id, 0, 50);
	assert_int_equal(storage_session_end(s, id, T0 + 8 * DAY + 600, "completed", 2), 0);
	p = plan_at(T0 + 13 * DAY, STORAGE_KIND_TREADMILL);
	p.pain_before = 4;
	assert_int_equal(storage_session_begin(s, &p, &id), 0);
	assert_int_equal(storage_session_end(s, id, T0 + 13 * DAY + 1200, "pain", 6), 0);
	(void) session_done(s, T0 + 20 * DAY, STORAGE_KIND_BIKE, 30, 50);
	(void) begin(s, T0 + 21 * DAY - 100, STORAGE_KIND_BIKE);
	(void) session_done(s, until, STORAGE_KIND_BIKE, 30, 50); /* the next week */

	assert_int_equal(storage_progress_weekly(s, until, 0, w), -EINVAL);
	assert_int_equal(storage_progress_weekly(s, until, 3, w), 0);
	assert_int_equal(w[0].start, T0);
	assert_int_equal(w[0].sessions, 0);
	assert_int_equal(w[0].pain_before_d, BR_NONE);
	assert_int_equal(w[1].start, T0 + 7 * DAY);
	assert_int_equal(w[1].sessions, 2);
	assert_int_equal(w[1].duration_s, 1800);
	assert_int_equal(w[1].active_s, 1);
	assert_int_equal(w[1].pain_before_d, 35);
	assert_int_equal(w[1].pain_after_d, 40);
	assert_int_equal(w[1].pain_max_d, 45);
	assert_int_equal(w[2].sessions, 1);
	assert_int_equal(w[2].duration_s, 30);
	assert_int_equal(w[2].active_s, 30);
	assert_int_equal(w[2].pain_after_d, BR_NONE);
	storage_free(s);
}

static int collect_checkin(const struct storage_checkin *c, void *userdata)
{
	char *out = userdata;
	char line[32];

	(void) snprintf(line, sizeof(line), "%s=%d;", c->day, c->pain);
	strcat(out, line);
	return 0;
}

static void test_checkins(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct storage_checkin c;
	char out[128] = "";

	assert_int_equal(storage_checkin_add(s, "2026-01-01", 4, T0 + 3600), 0);
	assert_int_equal(storage_checkin_add(s, "2026-01-01", 6, T0 + 7200), 0);
	assert_int_equal(storage_checkin_add(s, "2026-01-02", 3, T0 + DAY), 0);
	assert_int_equal(storage_checkin_add(s, "2026-01-03", 2, T0 + 2 * DAY), 0);
	assert_int_equal(storage_checkin_add(s, "2026-1-3", 2, T0), -EINVAL);
	assert_int_equal(storage_checkin_add(s, "2026-01-03", 11, T0), -EINVAL);
	assert_int_equal(storage_checkin_add(s, "2026-01-03", -1, T0), -EINVAL);

	assert_int_equal(storage_checkin_get(s, "2026-01-01", &c), 0);
	assert_string_equal(c.day, "2026-01-01");
	assert_int_equal(c.pain, 6);
	assert_int_equal(c.ts, T0 + 7200);
	assert_int_equal(storage_checkin_get(s, "2026-01-09", &c), -ENOENT);

	assert_int_equal(storage_checkins_since(s, "2026-01-01", collect_checkin, out), 3);
	assert_string_equal(out, "2026-01-01=6;2026-01-02=3;2026-01-03=2;");
	out[0] = '\0';
	assert_int_equal(storage_checkins_since(s, "2026-01-02", collect_checkin, out), 2);
	assert_string_equal(out, "2026-01-02=3;2026-01-03=2;");

	/* The latest in a time window, whatever its day: [from, until). */
	assert_int_equal(storage_checkin_between(s, T0 + 3600, T0 + DAY, &c), 0);
	assert_int_equal(c.pain, 6);
	assert_int_equal(storage_checkin_between(s, T0 + 3600, T0 + 7200, &c), 0);
	assert_int_equal(c.pain, 4);
	assert_int_equal(storage_checkin_between(s, T0 + 7201, T0 + DAY + 1, &c), 0);
	assert_int_equal(c.pain, 3);
	assert_string_equal(c.day, "2026-01-02");
	assert_int_equal(storage_checkin_between(s, T0 + 7201, T0 + DAY, &c), -ENOENT);
	assert_int_equal(storage_checkin_between(s, T0, T0, &c), -EINVAL);
	storage_free(s);
}

/* A size cap behaves like a full disk: rows wait in memory and go out once space returns. */
static void test_full_disk(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct sample_sum sum = { 0 };
	struct storage_sample x;
	struct storage_event e = {
		.ts_usec = 1, .t = BR_NONE, .type = "fault", .value = BR_NONE, .detail = "disk full"
	};
	char events[128] = "";
	uint32_t t = 0, written;
	int64_t id;
	int r;

	id = begin(s, T0, STORAGE_KIND_BIKE);
	assert_int_equal(storage_set_max_size(s, 1), 0); /* clamps to the current size */
	storage_sample_init(&x);
	x.session_id = id;
	for (;; t++) {
		assert_true(t < 100000);
		x.t = t;
		x.power_w = (int32_t) t;
		r = storage_sample_append(s, &x);
		if (r < 0)
			break;
	}
	assert_int_equal(r, -ENOSPC);
	written = t;
	assert_int_equal(storage_pending(s), 1);
	e.session_id = id;
	assert_int_equal(storage_event_add(s, &e), -ENOSPC);
	/* Queue until the memory buffer is full too; then a new row is dropped. */
	for (t++; storage_pending(s) < STORAGE_PENDING_MAX; t++) {
		x.t = t;
		x.power_w = (int32_t) t;
		assert_int_equal(storage_sample_append(s, &x), -ENOSPC);
	}
	x.t = t;
	x.power_w = (int32_t) t;
	assert_int_equal(storage_sample_append(s, &x), -ENOBUFS);
	assert_int_equal(storage_pending(s), STORAGE_PENDING_MAX);
	assert_int_equal(storage_flush(s), -ENOSPC);
	assert_int_equal(storage_session_end(s, id, T0 + t, "completed", BR_NONE), -ENOSPC);
	assert_int_equal(storage_samples_foreach(s, id, 0, UINT32_MAX, sum_samples, &sum), written);

	/* Space returns: recording resumes by itself within 10 appends, in order, nothing twice.
	 * A dropped second (-ENOBUFS) is sent again. */
	assert_int_equal(storage_set_max_size(s, 0), 0);
	for (int i = 0;; i++) {
		assert_true(i < 10);
		x.t = t;
		x.power_w = (int32_t) t;
		r = storage_sample_append(s, &x);
		if (r == -ENOBUFS)
			continue;
		t++;
		if (r != -ENOSPC)
			break;
	}
	assert_int_equal(r, 0);
	assert_int_equal(storage_pending(s), 0);
	x.session_id = id + 100; /* no such session: refused, and not kept in the queue */
	assert_int_equal(storage_sample_append(s, &x), -EINVAL);
	assert_int_equal(storage_pending(s), 0);
	sum = (struct sample_sum) { 0 };
	assert_int_equal(storage_samples_foreach(s, id, 0, UINT32_MAX, sum_samples, &sum), t);
	assert_int_equal(sum.power, (int64_t) t * (t - 1) / 2);
	assert_int_equal(storage_events_foreach(s, id, collect_events, events), 1);
	assert_int_equal(storage_session_end(s, id, T0 + t, "completed", BR_NONE), 0);
	storage_free(s);
}

static void test_bulk(void **state)
{
	struct fixture *f = *state;
	struct storage *s = open_ok(f->path);
	struct sample_sum sum = { 0 };
	struct storage_session x;
	int64_t id;

	assert_int_equal(storage_bulk_end(s, true), -ENXIO);
	assert_int_equal(storage_bulk_begin(s), 0);
	assert_int_equal(storage_bulk_begin(s), -EBUSY);
	id = begin(s, T0, STORAGE_KIND_BIKE);
	for (uint32_t t = 0; t < 1800; t++)
		append_power(s, id, t, 1);
	assert_int_equal(storage_session_end(s, id, T0 + 1800, "completed", BR_NONE), 0);
	assert_int_equal(storage_bulk_end(s, true), 0);

	/* A rolled-back bulk leaves nothing behind. */
	assert_int_equal(storage_bulk_begin(s), 0);
	(void) begin(s, T0 + DAY, STORAGE_KIND_BIKE);
	assert_int_equal(storage_bulk_end(s, false), 0);
	storage_free(s);

	s = open_ok(f->path);
	assert_int_equal(storage_samples_foreach(s, id, 0, UINT32_MAX, sum_samples, &sum), 1800);
	assert_int_equal(storage_session_get(s, id, &x), 0);
	assert_int_equal(x.energy_j, 1800);
	assert_int_equal(storage_session_get(s, id + 1, &x), -ENOENT);
	storage_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_interrupted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_stretches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_samples_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_weekly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
