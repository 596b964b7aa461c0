/* SPDX-License-Identifier: MIT */
/* backride pain N: in a session a pain report, outside one the daily check-in. */
#include <stdio.h>

#include "backride-dbus.h"
#include "cli.h"
#include "macro.h"
#include "session.h"

static int checkin(struct cli *cli, int pain)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_MANAGER_IFACE, "Checkin",
			       &e, NULL, "u", (uint32_t) pain);
	if (r < 0)
		return cli_call_failed(cli, "record the check-in", &e, r);
	if (cli->json)
		printf("{\"checkin\":%d}\n", pain);
	else
		printf("Check-in recorded: pain %d today. The next plan takes it into account.\n",
		       pain);
	return CLI_EXIT_OK;
}

static const char *advice(int pain)
{
	if (pain >= 6)
		return "Cooling down now, then the session ends.";
	if (pain >= 4)
		return "The level is lowered and will not rise again this session.";
	return "Carry on.";
}

static int run_pain(struct cli *cli, int argc, char **argv)
{
	struct cli_session s;
	const char *arg;
	int pain, r;

	r = cli_verb_args(cli, &verb_pain, argc, argv, "missing the pain, 0 (none) to 10 (worst)",
			  &arg);
	if (r <= 0)
		return -r;
	pain = cli_parse_pain(arg);
	if (pain < 0) {
		fprintf(stderr, "backride: '%s' is not 0 (none) to 10 (worst).\n", arg);
		return CLI_EXIT_USAGE;
	}
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = cli_session_get(cli, &s);
	if (r > 1)
		return r;
	if (r == 1 || cli_session_done(&s))
		return checkin(cli, pain);
	r = cli_session_call(cli, "ReportPain", "report pain", "u", (uint32_t) pain);
	if (r > 0)
		return r;
	if (cli->json)
		printf("{\"session\":%lld,\"pain\":%d}\n", (long long) s.id, pain);
	else
		printf("Pain %d noted. %s\n", pain, advice(pain));
	return CLI_EXIT_OK;
}

const struct verb verb_pain = {
	.name = "pain",
	.summary = "Report pain 0-10 (in a session), or the daily check-in",
	.usage = "N [--json]\n\n"
		 "During a session: 0-3 carry on, 4-5 lower the level, 6 or more cool down\n"
		 "and end. Outside a session: today's check-in, which the next plan uses.\n",
	.run = run_pain,
};
