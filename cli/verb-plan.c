/* SPDX-License-Identifier: MIT */
/* backride plan: the next session's plan and why. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "backride-dbus.h"
#include "bus-util.h"
#include "cli.h"
#include "macro.h"
#include "output.h"

struct plan {
	const char *kind, *reason, *reason_text, *checkin_text;
	uint32_t warmup_s, steady_s, cooldown_s, power_w, resistance_pct;
	int stretches;
	double speed_kmh, incline_pct;
};

static int plan_field(sd_bus_message *m, const char *key, void *userdata)
{
	struct plan *p = userdata;
	const char *contents;
	int r;

	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
#define F(name, sig, field)                                       \
	if (strcmp(key, name) == 0 && strcmp(contents, sig) == 0) \
		return sd_bus_message_read(m, "v", sig, &p->field);
	F("kind", "s", kind)
	F("reason", "s", reason)
	F("reason_text", "s", reason_text)
	F("checkin_text", "s", checkin_text)
	F("warmup_s", "u", warmup_s)
	F("steady_s", "u", steady_s)
	F("cooldown_s", "u", cooldown_s)
	F("power_w", "u", power_w)
	F("resistance_pct", "u", resistance_pct)
	F("stretches", "b", stretches)
	F("speed_kmh", "d", speed_kmh)
	F("incline_pct", "d", incline_pct)
#undef F
	return sd_bus_message_skip(m, "v");
}

static int read_plan(sd_bus_message *m, struct plan *p)
{
	return bus_dict_foreach(m, plan_field, p);
}

static void mins(char *buf, size_t n, uint32_t s)
{
	if (s % 60)
		(void) snprintf(buf, n, "%u:%02u min", s / 60, s % 60);
	else
		(void) snprintf(buf, n, "%u min", s / 60);
}

static void print_plan(const struct plan *p)
{
	char w[16], s[16], c[16];

	mins(w, sizeof(w), p->warmup_s);
	mins(s, sizeof(s), p->steady_s);
	mins(c, sizeof(c), p->cooldown_s);
	printf("Next %s session: %s warm-up, %s steady", p->kind, w, s);
	if (strcmp(p->kind, "bike") == 0)
		printf(" at %u W (or %u %% resistance without ERG)", p->power_w, p->resistance_pct);
	else
		printf(" at %.1f km/h, incline %.1f %%", p->speed_kmh, p->incline_pct);
	printf(", %s cool-down%s.\n", c, p->stretches ? ", then stretches" : "");
	printf("Why: %s (%s)\n", p->reason_text, p->reason);
	/* The check-in reasons name it already. */
	if (*p->checkin_text && !strstr(p->reason, "checkin"))
		printf("%s\n", p->checkin_text);
}

static void json_plan(const struct plan *p)
{
	fputs("{\"kind\":", stdout);
	json_string(stdout, p->kind);
	printf(",\"warmup_s\":%u,\"steady_s\":%u,\"cooldown_s\":%u,\"stretches\":%s", p->warmup_s,
	       p->steady_s, p->cooldown_s, p->stretches ? "true" : "false");
	if (strcmp(p->kind, "bike") == 0)
		printf(",\"power_w\":%u,\"resistance_pct\":%u", p->power_w, p->resistance_pct);
	else
		printf(",\"speed_kmh\":%.2f,\"incline_pct\":%.1f", p->speed_kmh, p->incline_pct);
	fputs(",\"reason\":", stdout);
	json_string(stdout, p->reason);
	fputs(",\"reason_text\":", stdout);
	json_string(stdout, p->reason_text);
	if (*p->checkin_text) {
		fputs(",\"checkin_text\":", stdout);
		json_string(stdout, p->checkin_text);
	}
	fputs("}\n", stdout);
}

static int run_plan(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' },
						  { "json", no_argument, NULL, 'j' },
						  { "bike", no_argument, NULL, 'b' },
						  { "treadmill", no_argument, NULL, 't' },
						  {} };
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	const char *kind = "";
	struct plan p = { .kind = "", .reason = "", .reason_text = "", .checkin_text = "" };
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) >= 0) {
		if (c == 'h') {
			cli_verb_help(&verb_plan);
			return CLI_EXIT_OK;
		} else if (c == 'j')
			cli->json = 1;
		else if (c == 'b' || c == 't')
			kind = c == 'b' ? "bike" : "treadmill";
		else {
			fprintf(stderr, "Try 'backride plan --help'.\n");
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "backride: unexpected argument '%s'\n", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (!cli_bus(cli))
		return CLI_EXIT_UNAVAILABLE;
	r = sd_bus_call_method(cli->bus, BR_BUS_NAME, BR_MANAGER_PATH, BR_MANAGER_IFACE, "NextPlan",
			       &e, &reply, "s", kind);
	if (r < 0)
		return cli_call_failed(cli, "read the next plan", &e, r);
	r = read_plan(reply, &p);
	if (r < 0) {
		fprintf(stderr, "backride: cannot read the plan: %s\n", strerror(-r));
		return CLI_EXIT_FAILURE;
	}
	if (cli->json)
		json_plan(&p);
	else
		print_plan(&p);
	return CLI_EXIT_OK;
}

const struct verb verb_plan = {
	.name = "plan",
	.summary = "Show the next session's plan and why",
	.usage = "[--bike|--treadmill] [--json]\n\n"
		 "The plan 'backride start --gentle' would use next (for the kind of\n"
		 "machine used last, a bike before the first session), from your past\n"
		 "sessions, pain and check-ins and the\n"
		 "[session] and [safety] config, with the reason it was chosen, and\n"
		 "the check-in after the last session it looked at.\n",
	.run = run_plan,
};
