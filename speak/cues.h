/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * What backride-speak says: the cue for each typed session event (History1.GetSession), the
 * pain check and the summary. Pure: no I/O, no D-Bus; the same cues go to the speaker and to
 * the WAV files of --wav-dir.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CUE_TEXT_MAX 320
#define CUE_COUNT_S  5 /* a stretch's count starts this many seconds before its end */

struct cue {
	char kind[24]; /* stable, for the cue log: "phase-warmup", "ease-pain", "stretch", ... */
	char text[CUE_TEXT_MAX];
};

/* A session event as History1.GetSession gives it. */
struct cue_event {
	int32_t t;	    /* seconds of session time */
	const char *type;   /* "phase", "pain", "heart-rate", ... */
	int32_t value;	    /* INT32_MIN: none */
	const char *detail; /* the phase's or the stretch's name, the pause's reason, ... */
};

/* What the session is, for words that depend on it. */
struct cue_context {
	bool treadmill;
	bool stretching; /* the stretches have begun (a pain is then the pain after) */
};

/*
 * The cue for event @e, if it has one.
 * Return: true and *@ret filled, or false (an event nothing is said for).
 */
bool cue_for_event(const struct cue_context *c, const struct cue_event *e, struct cue *ret);

/* The pain check, every few minutes while exercising. */
void cue_pain_check(struct cue *ret);

/* The count at the end of a stretch's hold. */
void cue_count(struct cue *ret);

/*
 * The summary once the session is done: why it ended, how long it was active (@active_s),
 * the highest pain (-1: none).
 */
void cue_summary(const char *end_reason, uint32_t active_s, int32_t pain_max, struct cue *ret);
