/* SPDX-License-Identifier: MIT */
/* The words of backride-speak (cues.h). */
#include "cues.h"

#include <stdio.h>
#include <string.h>

/* How each stretch is done, by the start of the name the session gives it. Gentle versions
 * of the exercises usually given for low back pain (knee-to-chest, child's pose, cat-camel). */
/* clang-format off */
static const struct {
	const char *name;
	const char *how;
} stretch_how[] = {
	{ "knee-to-chest",
	  "Lie on your back with both knees bent. Hold one knee with both hands and draw it "
	  "gently toward your chest; keep the other foot on the floor. Breathe slowly." },
	{ "child's pose",
	  "Kneel, sit back toward your heels and reach your arms forward along the floor. Let "
	  "your back relax." },
	{ "cat-camel",
	  "On your hands and knees, slowly round your back up, then let it sag gently. Move "
	  "only as far as is comfortable." },
};
/* clang-format on */

static void set(struct cue *ret, const char *kind, const char *text)
{
	(void) snprintf(ret->kind, sizeof(ret->kind), "%s", kind);
	(void) snprintf(ret->text, sizeof(ret->text), "%s", text);
}

static bool phase_cue(const struct cue_context *c, const char *phase, struct cue *ret)
{
	/* clang-format off */
	static const struct {
		const char *phase, *bike, *treadmill;
	} words[] = {
		{ "waiting", NULL,
		  "The belt waits for your confirmation. Stand on the side rails, then press c." },
		{ "warmup", "Warm-up. Pedal easy; the level rises gently. Next, the steady part.",
		  "Warm-up. Walk easy; the belt speeds up gently. Next, the steady part." },
		{ "steady", "Steady part. Hold this easy level. Next, the cool-down.",
		  "Steady part. Walk at this easy pace. Next, the cool-down." },
		{ "cooldown", "Cool-down. The level eases off. Then the session ends.",
		  "Cool-down. The belt slows gently. Then the session ends." },
		{ "stopping", "Stopping. The bike is brought to rest.",
		  "Stopping. The belt slows down and stops. Hold the rails." },
		{ "stretches", "Time to stretch, off the bike. Move slowly, and never into pain.",
		  "Time to stretch, off the treadmill. Move slowly, and never into pain." },
	};
	/* clang-format on */
	char kind[24];

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *w = c->treadmill ? words[i].treadmill : words[i].bike;

		if (strcmp(words[i].phase, phase) != 0 || !w)
			continue;
		(void) snprintf(kind, sizeof(kind), "phase-%s", phase);
		set(ret, kind, w);
		return true;
	}
	return false; /* "countdown" has its own events, "done" the summary */
}

static void pain_cue(const struct cue_context *c, int32_t v, struct cue *ret)
{
	if (c->stretching)
		(void) snprintf(ret->text, sizeof(ret->text), "Pain after, %d. Noted.", v);
	else if (v >= 6)
		(void) snprintf(ret->text, sizeof(ret->text),
				"Pain %d. Cooling down now; the session ends after it.", v);
	else if (v >= 4)
		(void) snprintf(
			ret->text, sizeof(ret->text),
			"Pain %d. Easing off because of your pain: the level drops and will "
			"not rise again.",
			v);
	else
		(void) snprintf(ret->text, sizeof(ret->text), "Pain %d. Carry on.", v);
	(void) snprintf(ret->kind, sizeof(ret->kind), "%s",
			!c->stretching && v >= 4 ? "ease-pain" : "pain");
}

static void stretch_cue(const struct cue_event *e, struct cue *ret)
{
	const char *how = "";

	for (size_t i = 0; i < sizeof(stretch_how) / sizeof(stretch_how[0]); i++)
		if (strncmp(e->detail, stretch_how[i].name, strlen(stretch_how[i].name)) == 0)
			how = stretch_how[i].how;
	(void) snprintf(ret->kind, sizeof(ret->kind), "stretch");
	(void) snprintf(ret->text, sizeof(ret->text), "Stretch: %s. %s%sFor %d seconds.", e->detail,
			how, *how ? " " : "", e->value);
}

static const char *pause_words(const char *reason)
{
	if (strcmp(reason, "no-pedalling") == 0)
		return "Paused: you stopped pedalling. Pedal to go on.";
	if (strcmp(reason, "link") == 0)
		return "Paused: the machine's link dropped. Reconnecting.";
	if (strcmp(reason, "machine") == 0)
		return "Paused at the machine.";
	return "Paused.";
}

bool cue_for_event(const struct cue_context *c, const struct cue_event *e, struct cue *ret)
{
	const char *d = e->detail ? e->detail : "";
	bool has = e->value != INT32_MIN;

	if (strcmp(e->type, "phase") == 0)
		return phase_cue(c, d, ret);
	if (strcmp(e->type, "pain") == 0 && has) {
		pain_cue(c, e->value, ret);
		return true;
	}
	if (strcmp(e->type, "heart-rate") == 0 && has) {
		set(ret, "ease-heart-rate", "");
		(void) snprintf(ret->text, sizeof(ret->text),
				"Heart rate %d, above your cap. Easing off.", e->value);
		return true;
	}
	if (strcmp(e->type, "cadence-low") == 0 && has) {
		set(ret, "ease-cadence", "");
		(void) snprintf(ret->text, sizeof(ret->text),
				"Cadence %d, below the floor. Easing off so that pedalling gets "
				"lighter.",
				e->value);
		return true;
	}
	if (strcmp(e->type, "ease") == 0) {
		set(ret, "ease-asked", "Easing off one step, as you asked.");
		return true;
	}
	if (strcmp(e->type, "stretch") == 0 && has && *d) {
		stretch_cue(e, ret);
		return true;
	}
	if (strcmp(e->type, "countdown") == 0 && has) {
		set(ret, "countdown", "");
		(void) snprintf(ret->text, sizeof(ret->text), "The belt starts in %d.", e->value);
		return true;
	}
	if (strcmp(e->type, "pause") == 0) {
		set(ret, "pause", pause_words(d));
		return true;
	}
	if (strcmp(e->type, "resume") == 0) {
		set(ret, "resume", "Going on gently.");
		return true;
	}
	if (strcmp(e->type, "advice") == 0 && *d) {
		set(ret, "advice", d);
		return true;
	}
	return false;
}

void cue_pain_check(struct cue *ret)
{
	set(ret, "pain-check", "How is your back? Press a number.");
}

void cue_count(struct cue *ret)
{
	set(ret, "count", "Five. Four. Three. Two. One. And release.");
}

static const char *end_words(const char *reason)
{
	/* clang-format off */
	static const char *const words[][2] = {
		{ "completed", "Session complete" },
		{ "pain", "Session ended for your pain" },
		{ "stopped", "Session stopped" },
		{ "interrupted", "Session interrupted: the link was lost" },
		{ "safety-key", "Session ended by the safety key" },
		{ "shutdown", "Session ended: backride shut down" },
		{ "fault", "Session ended by a fault of the machine" },
	};
	/* clang-format on */

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i][0], reason) == 0)
			return words[i][1];
	return "Session over";
}

void cue_summary(const char *end_reason, uint32_t active_s, int32_t pain_max, struct cue *ret)
{
	uint32_t min = (active_s + 30) / 60;
	char pain[64] = "";

	if (pain_max >= 0)
		(void) snprintf(pain, sizeof(pain), " Highest pain %d.", pain_max);
	(void) snprintf(ret->kind, sizeof(ret->kind), "summary");
	(void) snprintf(ret->text, sizeof(ret->text),
			"%s, after %u minute%s.%s Tomorrow, tell backride how your back feels.",
			end_words(end_reason ? end_reason : ""), min, min == 1 ? "" : "s", pain);
}
