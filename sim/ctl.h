/* SPDX-License-Identifier: MIT */
#pragma once

#include "sim.h"

/*
 * The simulator's own control interface, on a second bus connection so that the org.bluez
 * tree stays exactly like BlueZ's: org.backride.Sim at /org/backride/Sim, interface
 * org.backride.Sim1, and one /org/backride/Sim/dev_XX_... object per machine with its true
 * state (org.backride.SimMachine1).
 */
#define SIM_CTL_SERVICE	      "org.backride.Sim"
#define SIM_CTL_PATH	      "/org/backride/Sim"
#define SIM_CTL_IFACE	      "org.backride.Sim1"
#define SIM_CTL_MACHINE_IFACE "org.backride.SimMachine1"
#define SIM_CTL_ERROR	      "org.backride.Sim.Error"

struct ctl;

/* Open the connection, export the objects, request the name. Return: 0, or -errno. */
int ctl_new(struct sim *sim, struct ctl **ret);
void ctl_free(struct ctl *c);

/* Apply a fault by name to every device (or one address). Return: 0, or -errno. */
int sim_apply_fault(struct sim *sim, const char *name, const char *value, const char *address,
		    bool on);

/* Command line: backride-sim ctl ... Return: the exit status. */
int ctl_cli_main(int argc, char **argv);
