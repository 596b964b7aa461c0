/* SPDX-License-Identifier: MIT */
#pragma once

#include "sim.h"

/*
 * Parse the command line into o (defaults first).
 * Return: 0 to run, 1 if --help/--version was printed, -EINVAL on a bad option (reported).
 */
int options_parse(int argc, char **argv, struct sim_options *o);
