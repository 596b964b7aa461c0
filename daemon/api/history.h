/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * What org.backride.History1 does, between the D-Bus handlers (history-iface.c) and storage:
 * read sessions, samples and events and append them to a reply, or render an export into a
 * sealed memfd. Wire formats: dbus/org.backride.History1.xml.
 */

#include <systemd/sd-bus.h>

#include "export.h"
#include "storage.h"

/* Append the summary of @s as a{sv}. Return: 0 or -errno. */
int history_append_summary(sd_bus_message *reply, const struct storage_session *s);

/* Append aa{sv}: the summaries of the sessions matching @f, newest first.
 * Return: the number of sessions, or -errno. */
int history_append_list(struct storage *st, const struct storage_session_filter *f,
			sd_bus_message *reply);

/* Append a{sv} a(xisis): the summary of session @id and its events.
 * Return: 0; -ENOENT no such session; -errno. */
int history_append_session(struct storage *st, int64_t id, sd_bus_message *reply);

/* Append a(uyiiiiiiiiiii): the samples of session @id with from <= t < to.
 * Return: the number of samples; -ENOENT no such session; -errno. */
int history_append_samples(struct storage *st, int64_t id, uint32_t from, uint32_t to,
			   sd_bus_message *reply);

/* Append aa{sv} a{sv}: @n_weeks weekly totals ending next Monday 00:00 local time, oldest
 * first, and the next plan (history_append_next_plan()).
 * Return: 0; -EINVAL n_weeks is 0; -errno. */
struct config;
int history_append_progress(struct storage *st, const struct config *c, unsigned n_weeks,
			    sd_bus_message *reply);

/*
 * Append a{sv}: the session planner's next plan (daemon/session/plan.h) for the kind of the
 * latest ended session, from that kind's recent sessions and next-day check-ins, with the
 * [session] and [safety] config @c (as `backride plan`); empty before the first session.
 * Return: 0 or -errno.
 */
int history_append_next_plan(struct storage *st, const struct config *c, sd_bus_message *reply);

/* Append the {sv} entries of plan @p and @why (kind, warmup_s, ..., reason, reason_text) to an
 * open a{sv}. Return: 0 or -errno. */
struct plan_params;
struct plan_reason;
int history_append_plan(sd_bus_message *reply, const struct plan_params *p,
			const struct plan_reason *why);

/*
 * Render session @id as @f into a sealed memfd positioned at 0.
 * Return: 0 and *ret_fd (the caller closes it); -ENOENT no such session; -errno.
 */
int history_export(struct storage *st, int64_t id, enum export_format f, int *ret_fd);

/* Load session @id, its samples and events for the exporters. Free with history_data_done().
 * Return: 0; -ENOENT; -errno. */
struct history_data {
	struct storage_session session;
	struct storage_sample *samples;
	size_t n_samples, n_samples_allocated;
	struct storage_event *events;
	size_t n_events, n_events_allocated;
};
int history_load(struct storage *st, int64_t id, struct history_data *ret);
void history_data_done(struct history_data *d);
