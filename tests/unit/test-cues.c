/* SPDX-License-Identifier: MIT */
/* What backride-speak says (speak/cues.c): typed session events in, cue kinds and words out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cues.h"

#define NONE INT32_MIN

static const struct cue_context bike = { .treadmill = false };
static const struct cue_context treadmill = { .treadmill = true };
static const struct cue_context stretching = { .stretching = true };

/* clang-format off */
static const struct {
	const struct cue_context *ctx;
	struct cue_event e;
	const char *kind; /* NULL: nothing is said */
	const char *text; /* a part of the words */
} vectors[] = {
	{ &bike, { 0, "phase", 1, "warmup" }, "phase-warmup", "Next, the steady part." },
	{ &treadmill, { 0, "phase", 1, "warmup" }, "phase-warmup", "Walk easy" },
	{ &bike, { 300, "phase", 2, "steady" }, "phase-steady", "Next, the cool-down." },
	{ &bike, { 900, "phase", 3, "cooldown" }, "phase-cooldown", "eases off" },
	{ &bike, { 1200, "phase", 5, "stretches" }, "phase-stretches", "off the bike" },
	{ &bike, { 0, "phase", 0, "waiting" }, NULL, NULL }, /* a bike never waits for a belt */
	{ &treadmill, { 0, "phase", 0, "waiting" }, "phase-waiting", "press c" },
	{ &bike, { 1300, "phase", 6, "done" }, NULL, NULL }, /* the summary says it */
	{ &bike, { 10, "pain", 2, "" }, "pain", "Pain 2. Carry on." },
	{ &bike, { 10, "pain", 4, "" }, "ease-pain", "Easing off because of your pain" },
	{ &bike, { 10, "pain", 7, "" }, "ease-pain", "Cooling down now" },
	{ &stretching, { 10, "pain", 7, "" }, "pain", "Pain after, 7." },
	{ &bike, { 10, "pain", NONE, "after" }, NULL, NULL },
	{ &bike,
	  { 20, "heart-rate", 131, "heart rate 131 above 120 for 10 s" },
	  "ease-heart-rate",
	  "Heart rate 131, above your cap. Easing off." },
	{ &bike, { 20, "cadence-low", 42, "" }, "ease-cadence", "Cadence 42, below the floor" },
	{ &bike, { 30, "ease", 0, "asked" }, "ease-asked", "as you asked" },
	{ &bike, { 30, "reduce", 38, "asked: target -15 %" }, NULL, NULL }, /* its cause speaks */
	{ &bike,
	  { 1200, "stretch", 25, "knee-to-chest, left leg" },
	  "stretch",
	  "Stretch: knee-to-chest, left leg. Lie on your back" },
	{ &bike,
	  { 1200, "stretch", 25, "knee-to-chest, right leg" },
	  "stretch",
	  "For 25 seconds." },
	{ &bike, { 1250, "stretch", 30, "child's pose" }, "stretch", "sit back toward your heels" },
	{ &bike,
	  { 1280, "stretch", 50, "cat-camel, 10 slow repetitions" },
	  "stretch",
	  "slowly round your back" },
	{ &bike, { 1280, "stretch", 20, "a new one" }, "stretch", "Stretch: a new one. For 20" },
	{ &treadmill, { 5, "countdown", 3, "" }, "countdown", "The belt starts in 3." },
	{ &bike, { 40, "pause", 2, "no-pedalling" }, "pause", "you stopped pedalling" },
	{ &bike, { 40, "pause", 1, "user" }, "pause", "Paused." },
	{ &bike, { 50, "resume", 1, "" }, "resume", "Going on gently." },
	{ &bike, { 50, "link", 0, "down" }, NULL, NULL },
	{ &bike,
	  { 50, "advice", 45, "pedal easy, about 45 W at 80 rpm" },
	  "advice",
	  "pedal easy, about 45 W" },
};
/* clang-format on */

static void test_events(void **state)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		struct cue c;
		bool said = cue_for_event(vectors[i].ctx, &vectors[i].e, &c);

		if (!vectors[i].kind) {
			if (said)
				fail_msg("vector %zu (%s): said \"%s\"", i, vectors[i].e.type,
					 c.text);
			continue;
		}
		if (!said)
			fail_msg("vector %zu (%s): nothing said", i, vectors[i].e.type);
		assert_string_equal(c.kind, vectors[i].kind);
		if (!strstr(c.text, vectors[i].text))
			fail_msg("vector %zu: \"%s\" lacks \"%s\"", i, c.text, vectors[i].text);
	}
}

static void test_fixed_cues(void **state)
{
	struct cue c;

	cue_pain_check(&c);
	assert_string_equal(c.kind, "pain-check");
	assert_string_equal(c.text, "How is your back? Press a number.");
	cue_count(&c);
	assert_string_equal(c.kind, "count");
	assert_non_null(strstr(c.text, "Five. Four. Three. Two. One."));
}

static void test_summary(void **state)
{
	struct cue c;

	cue_summary("completed", 1500, 2, &c);
	assert_string_equal(c.kind, "summary");
	assert_string_equal(c.text, "Session complete, after 25 minutes. Highest pain 2. Tomorrow, "
				    "tell backride how your back feels.");
	cue_summary("pain", 89, -1, &c);
	assert_string_equal(c.text, "Session ended for your pain, after 1 minute. Tomorrow, tell "
				    "backride how your back feels.");
	cue_summary("something new", 0, 0, &c);
	assert_non_null(strstr(c.text, "Session over, after 0 minutes. Highest pain 0."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_fixed_cues),
		cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
