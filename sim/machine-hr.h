/* SPDX-License-Identifier: MIT */
#pragma once

#include "rng.h"

/* Heart rate that rises with effort and falls with rest. Pure; time is passed in. */
struct hr_model {
	double rest_bpm;
	double max_bpm;
	double ftp_w; /* effort that drives HR most of the way to max */
	double bpm;
	struct rng rng;
};

void hr_model_init(struct hr_model *h, uint64_t seed);

/* Advance by dt seconds with the rider producing effort_w watts. */
void hr_model_advance(struct hr_model *h, double dt, double effort_w);

/* Return: the heart rate to report, in whole bpm. */
unsigned hr_model_bpm(const struct hr_model *h);
