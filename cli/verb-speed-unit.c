/* SPDX-License-Identifier: MIT */
/* backride speed-unit: answer a speed-units pause with the unit the treadmill reads. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "session.h"

static int run_speed_unit(struct cli *cli, int argc, char **argv)
{
	const char *unit;
	int r;

	r = cli_verb_args(cli, &verb_speed_unit, argc, argv, "missing the unit, mph or kmh", &unit);
	if (r <= 0)
		return -r;
	if (strcmp(unit, "mph") != 0 && strcmp(unit, "kmh") != 0) {
		fprintf(stderr, "backride speed-unit: '%s' is not a unit; give mph or kmh.\n",
			unit);
		return CLI_EXIT_USAGE;
	}
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = cli_session_call(cli, "SetSpeedUnit", "set the speed unit", "s", unit);
	if (r > 0)
		return r;
	if (cli->json)
		printf("{\"speed_unit\":\"%s\"}\n", unit);
	else
		printf("The treadmill reads speeds in %s: targets are converted from now on. "
		       "Going on gently.\n",
		       strcmp(unit, "mph") == 0 ? "mph" : "km/h");
	return CLI_EXIT_OK;
}

const struct verb verb_speed_unit = {
	.name = "speed-unit",
	.summary = "Confirm the unit a treadmill reads speeds in",
	.usage = "mph|kmh [--json]\n\n"
		 "Answers a 'speed-units' pause: the belt ran about 1.6 times the target\n"
		 "(firmware that reads mph) or, once converting, about 0.6 times (km/h\n"
		 "after all). The unit is stored for the machine, the session converts\n"
		 "its targets from now on and goes on gently. The safety caps hold in\n"
		 "true km/h. [machine] speed_unit in backride.conf overrides it.\n",
	.run = run_speed_unit,
};
