/* SPDX-License-Identifier: MIT */
#pragma once

/* backride-speak: options, its [voice] config, and how a cue is said or written. */

#include <stdbool.h>
#include <stdint.h>

#include "cues.h"

struct speak_opts {
	const char *bus;     /* system, session or an address */
	const char *wav_dir; /* NULL: speak aloud */
	char voice[32];	     /* espeak-ng -v */
	uint32_t rate;	     /* espeak-ng -s, words per minute */
	uint32_t pain_check_min;
	uint32_t wait_s; /* how long to wait for a session to appear */
	bool speak;	 /* [voice] speak: 'backride start' starts the speaker */
};

/*
 * Set one [voice] key (speak, pain_check_min, voice, rate; and wait, for --wait) from text.
 * Return: 0, -EINVAL/-ERANGE with *@why a sentence's end, -ENOENT an unknown key.
 */
int speak_option(struct speak_opts *o, const char *key, const char *value, const char **why);

/* The defaults of [voice]. */
void speak_opts_default(struct speak_opts *o);

/*
 * Read [voice] of the config file @path (other sections are the daemon's). A missing file is
 * no error.
 * Return: 0, -EINVAL after printing "path:line: ..." for a bad value or unknown key.
 */
int speak_config_read(const char *path, struct speak_opts *o);

/*
 * Say a cue: with o->wav_dir, render it to DIR/NNN-KIND.wav and add a line to DIR/cues.log
 * (number, kind, session time, file, text); otherwise speak it through espeak-ng.
 * Return: 0, or -errno after printing why.
 */
int speak_say(const struct speak_opts *o, const struct cue *c, int32_t t, unsigned n);

/* Return: 0 if espeak-ng runs, or -errno after printing how to install it. */
int speak_check(void);
