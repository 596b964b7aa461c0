/* SPDX-License-Identifier: MIT */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backride-build.h"
#include "macro.h"
#include "quirks.h"

enum {
	OPT_BIKE = 0x100,
	OPT_TREADMILL,
	OPT_HR,
	OPT_POWER_METER,
	OPT_CADENCE_SENSOR,
	OPT_WALKINGPAD,
	OPT_KEISER,
	OPT_RESISTANCE_ONLY,
	OPT_MPH,
	OPT_TIME_SCALE,
	OPT_RATE,
	OPT_SEED,
	OPT_STATE_DIR,
	OPT_TEMP_TIMEOUT,
	OPT_ATT_LATENCY,
	OPT_CONNECT_DELAY,
	OPT_RESOLVE_DELAY,
	OPT_DISCONNECT_DELAY,
	OPT_ADAPTER_DELAY,
	OPT_MTU,
	OPT_POWER_RANGE,
	OPT_RESISTANCE_RANGE,
	OPT_SPEED_RANGE,
	OPT_FAULT,
	OPT_QUIRK,
	OPT_BLE,
	OPT_ADAPTER,
	OPT_READVERTISE,
	OPT_VERSION,
};

static void help(void)
{
	printf("Usage: backride-sim [OPTION]...\n"
	       "       backride-sim ctl [--bus BUS] VERB [ARG]...\n"
	       "Stands in for bluetoothd and a fitness machine: owns org.bluez on BUS, behaves\n"
	       "like BlueZ 5.66 to GATT clients and simulates FTMS bikes, treadmills and a\n"
	       "heart-rate strap. Control it with \"backride-sim ctl --help\".\n\n"
	       "Devices (default: one bike):\n"
	       "      --bike[=NAME]           an indoor bike, C0:FF:EE:00:00:01\n"
	       "      --treadmill[=NAME]      a treadmill, C0:FF:EE:00:00:02\n"
	       "      --hr-strap[=NAME]       a heart-rate strap, C0:FF:EE:00:00:03\n"
	       "      --power-meter[=NAME]    a bike with only a power meter (Cycling Power),\n"
	       "                              C0:FF:EE:00:00:04\n"
	       "      --cadence-sensor[=NAME] a bike with only a speed and cadence sensor (CSC),\n"
	       "                              C0:FF:EE:00:00:05\n"
	       "      --walkingpad[=NAME]     a KingSmith WalkingPad (legacy protocol, 0xFE00),\n"
	       "                              C0:FF:EE:00:00:06\n"
	       "      --keiser[=NAME]         a Keiser M3i bike (advertisements only, never\n"
	       "                              connectable; name M3), C0:FF:EE:00:00:07\n"
	       "      --resistance-only       bikes cannot do ERG (no Set Target Power)\n"
	       "      --mph-firmware          treadmills read Set Target Speed as mph\n"
	       "      --power-range MIN,MAX[,INC]       bike power range in W (10,800,1)\n"
	       "      --resistance-range MIN,MAX[,INC]  resistance in 0.1 levels (0,200,10)\n"
	       "      --speed-range MIN,MAX[,INC]       treadmill speed in 0.01 km/h "
	       "(80,1800,10)\n\n"
	       "Simulation:\n"
	       "      --bus BUS               system (default), session or a D-Bus address\n"
	       "      --ble                   be a real BLE peripheral: serve the device through\n"
	       "                              the bluetoothd on BUS (GattManager1, advertising)\n"
	       "      --adapter HCI           the adapter for --ble (default hci0)\n"
	       "      --readvertise MS        --ble: advertise afresh every MS ms while not\n"
	       "                              connected (btvirt reports an advert only once)\n"
	       "      --time-scale N          run models and data N times faster (default 1)\n"
	       "      --rate HZ               data notifications per simulated second (1)\n"
	       "      --seed N                seed for the random parts (default 1)\n"
	       "      --state-dir DIR         keep paired/trusted devices in DIR/devices\n"
	       "      --temporary-timeout S   remove unconnected devices S s after the last\n"
	       "                              advert once discovery stops (default 30)\n"
	       "      --att-latency MS        ATT request round trip (default 20)\n"
	       "      --connect-delay MS      Connect() until the link is up (default 150)\n"
	       "      --resolve-delay MS      link up until ServicesResolved (default 150)\n"
	       "      --disconnect-delay MS   Disconnect() until the link drops (bluetoothd's\n"
	       "                              DISCONNECT_TIMER, default 2000)\n"
	       "      --adapter-delay MS      from taking org.bluez to exporting the adapter\n"
	       "                              (unpowered; powered 50 ms later; default 50)\n"
	       "      --mtu N                 ATT MTU (default 247; 23 splits data records)\n"
	       "      --fault NAME[=VALUE]    start with a fault on (repeatable):\n"
	       "                              refuse-connect[=REASON] refuse-control[=RESULT]\n"
	       "                              cp-delay[=MS] cp-omit truncate malformed\n"
	       "                              stop-notify hr-silent security-request\n"
	       "                              resolve-early connect-abort\n"
	       "                              refuse-pair[=ERROR] require-pairing\n"
	       "                              quiet-connected garbage-data\n"
	       "      --quirk NAME[=VALUE]    machines behave like some real ones (repeatable):\n");
	sim_quirks_print(8);
	printf("  -v, --verbose               log more\n"
	       "  -h, --help                  show this help\n"
	       "      --version               show the version\n");
}

static const struct option long_opts[] = {
	{ "bus", required_argument, NULL, 'b' },
	{ "bike", optional_argument, NULL, OPT_BIKE },
	{ "treadmill", optional_argument, NULL, OPT_TREADMILL },
	{ "hr-strap", optional_argument, NULL, OPT_HR },
	{ "power-meter", optional_argument, NULL, OPT_POWER_METER },
	{ "cadence-sensor", optional_argument, NULL, OPT_CADENCE_SENSOR },
	{ "walkingpad", optional_argument, NULL, OPT_WALKINGPAD },
	{ "keiser", optional_argument, NULL, OPT_KEISER },
	{ "resistance-only", no_argument, NULL, OPT_RESISTANCE_ONLY },
	{ "mph-firmware", no_argument, NULL, OPT_MPH },
	{ "time-scale", required_argument, NULL, OPT_TIME_SCALE },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "temporary-timeout", required_argument, NULL, OPT_TEMP_TIMEOUT },
	{ "att-latency", required_argument, NULL, OPT_ATT_LATENCY },
	{ "connect-delay", required_argument, NULL, OPT_CONNECT_DELAY },
	{ "resolve-delay", required_argument, NULL, OPT_RESOLVE_DELAY },
	{ "disconnect-delay", required_argument, NULL, OPT_DISCONNECT_DELAY },
	{ "adapter-delay", required_argument, NULL, OPT_ADAPTER_DELAY },
	{ "mtu", required_argument, NULL, OPT_MTU },
	{ "power-range", required_argument, NULL, OPT_POWER_RANGE },
	{ "resistance-range", required_argument, NULL, OPT_RESISTANCE_RANGE },
	{ "speed-range", required_argument, NULL, OPT_SPEED_RANGE },
	{ "fault", required_argument, NULL, OPT_FAULT },
	{ "quirk", required_argument, NULL, OPT_QUIRK },
	{ "ble", no_argument, NULL, OPT_BLE },
	{ "adapter", required_argument, NULL, OPT_ADAPTER },
	{ "readvertise", required_argument, NULL, OPT_READVERTISE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{},
};

static int add_device(struct sim_options *o, enum sim_kind kind, const char *name)
{
	/* The Keiser M3i's console advertises the local name "M3" (dev.keiser.com). */
	static const char *const names[] = {
		[SIM_BIKE] = "Backride Sim Bike",
		[SIM_TREADMILL] = "Backride Sim Treadmill",
		[SIM_HR] = "Backride Sim HR",
		[SIM_POWER_METER] = "Backride Sim Power Bike",
		[SIM_CSC] = "Backride Sim Cadence Bike",
		/* A real pad's name: qdomyos-zwift takes "WalkingPad..." for this protocol. */
		[SIM_WALKINGPAD] = "WalkingPad A1 Sim",
		[SIM_KEISER] = "M3",
	};
	struct sim_device_opt *d;

	for (size_t i = 0; i < o->n_devices; i++)
		if (o->devices[i].kind == kind) {
			fprintf(stderr, "backride-sim: one device of each kind at most\n");
			return -EINVAL;
		}
	d = &o->devices[o->n_devices++];
	d->kind = kind;
	snprintf(d->name, sizeof(d->name), "%s", name && *name ? name : names[kind]);
	snprintf(d->address, sizeof(d->address), "C0:FF:EE:00:00:%02X", (unsigned) kind + 1);
	return 0;
}

static int add_fault(struct sim_options *o, const char *arg)
{
	struct sim_fault_opt *f;
	const char *eq = strchr(arg, '=');

	if (o->n_faults == SIM_MAX_FAULTS)
		return -EINVAL;
	f = &o->faults[o->n_faults++];
	snprintf(f->name, sizeof(f->name), "%.*s", eq ? (int) (eq - arg) : (int) strlen(arg), arg);
	snprintf(f->value, sizeof(f->value), "%s", eq ? eq + 1 : "");
	return 0;
}

static int parse_unsigned(const char *arg, double min, double max, unsigned *ret);

static int add_quirk(struct sim_options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	int q = sim_quirk_from_name(arg, eq ? (size_t) (eq - arg) : strlen(arg));

	if (q < 0) {
		fprintf(stderr, "backride-sim: unknown quirk '%s' (see --help)\n", arg);
		return -EINVAL;
	}
	if (eq && !sim_quirk_info(q)->has_value) {
		fprintf(stderr, "backride-sim: quirk '%s' takes no value\n",
			sim_quirk_info(q)->name);
		return -EINVAL;
	}
	o->quirks |= 1u << q;
	return eq ? parse_unsigned(eq + 1, 1, 86400, &o->quirk_value[q]) : 0;
}

static int parse_num(const char *arg, double min, double max, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "backride-sim: bad number '%s' (%g..%g)\n", arg, min, max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

static int parse_unsigned(const char *arg, double min, double max, unsigned *ret)
{
	double v;
	int r = parse_num(arg, min, max, &v);

	if (r == 0)
		*ret = (unsigned) v;
	return r;
}

/* MIN,MAX[,INC] as whole numbers in the range characteristic's resolution. */
static int parse_range(const char *arg, int32_t lo, int32_t hi, int32_t ret[3])
{
	int32_t v[3] = { 0, 0, 1 };
	int n = sscanf(arg, "%d,%d,%d", &v[0], &v[1], &v[2]);

	if (n < 2 || v[0] < lo || v[1] > hi || v[0] >= v[1] || v[2] < 1) {
		fprintf(stderr, "backride-sim: bad range '%s' (MIN,MAX[,INC] within %d..%d)\n", arg,
			lo, hi);
		return -EINVAL;
	}
	memcpy(ret, v, sizeof(v));
	return 0;
}

static int parse_one(int c, struct sim_options *o)
{
	double v;
	int r;

	switch (c) {
	case 'b':
		o->bus = optarg;
		return 0;
	case OPT_BIKE:
	case OPT_TREADMILL:
	case OPT_HR:
	case OPT_POWER_METER:
	case OPT_CADENCE_SENSOR:
		return add_device(o, (enum sim_kind)(c - OPT_BIKE), optarg);
	case OPT_WALKINGPAD:
		return add_device(o, SIM_WALKINGPAD, optarg);
	case OPT_KEISER:
		return add_device(o, SIM_KEISER, optarg);
	case OPT_RESISTANCE_ONLY:
		o->resistance_only = true;
		return 0;
	case OPT_MPH:
		o->mph_firmware = true;
		return 0;
	case OPT_TIME_SCALE:
		return parse_num(optarg, 0.01, 10000, &o->time_scale);
	case OPT_RATE:
		return parse_num(optarg, 0.1, 100, &o->rate_hz);
	case OPT_SEED:
		r = parse_num(optarg, 0, 1e15, &v);
		if (r < 0)
			return r;
		o->seed = (uint64_t) v;
		return 0;
	case OPT_STATE_DIR:
		o->state_dir = optarg;
		return 0;
	case OPT_TEMP_TIMEOUT:
		return parse_unsigned(optarg, 0, 86400, &o->temporary_timeout_s);
	case OPT_ATT_LATENCY:
		return parse_unsigned(optarg, 0, 60000, &o->att_latency_ms);
	case OPT_CONNECT_DELAY:
		return parse_unsigned(optarg, 0, 60000, &o->connect_ms);
	case OPT_RESOLVE_DELAY:
		return parse_unsigned(optarg, 0, 60000, &o->resolve_ms);
	case OPT_DISCONNECT_DELAY:
		return parse_unsigned(optarg, 0, 60000, &o->disconnect_ms);
	case OPT_ADAPTER_DELAY:
		return parse_unsigned(optarg, 0, 60000, &o->adapter_ms);
	case OPT_MTU:
		return parse_unsigned(optarg, 23, 517, &o->mtu);
	case OPT_POWER_RANGE:
		return parse_range(optarg, 0, 4000, o->power_range);
	case OPT_RESISTANCE_RANGE:
		return parse_range(optarg, -1000, 1000, o->resistance_range);
	case OPT_SPEED_RANGE:
		return parse_range(optarg, 1, 3000, o->speed_range);
	case OPT_FAULT:
		return add_fault(o, optarg);
	case OPT_QUIRK:
		return add_quirk(o, optarg);
	case OPT_BLE:
		o->ble = true;
		return 0;
	case OPT_ADAPTER:
		o->adapter = optarg;
		return 0;
	case OPT_READVERTISE:
		return parse_unsigned(optarg, 0, 600000, &o->readvertise_ms);
	case 'v':
		o->verbose = true;
		return 0;
	default:
		return -EINVAL;
	}
}

int options_parse(int argc, char **argv, struct sim_options *o)
{
	int c, r;

	*o = (struct sim_options) {
		.bus = "system",
		.adapter = "hci0",
		.time_scale = 1,
		.rate_hz = 1,
		.seed = 1,
		.temporary_timeout_s = 30,
		.att_latency_ms = 20,
		.connect_ms = 150,
		.resolve_ms = 150,
		.disconnect_ms = 2000,
		.adapter_ms = 50,
		.power_range = { 10, 800, 1 },
		.resistance_range = { 0, 200, 10 },
		.speed_range = { 80, 1800, 10 },
		.mtu = 247,
	};
	while ((c = getopt_long(argc, argv, "b:vh", long_opts, NULL)) >= 0) {
		if (c == 'h') {
			help();
			return 1;
		}
		if (c == OPT_VERSION) {
			printf("backride-sim %s\n", BACKRIDE_VERSION);
			return 1;
		}
		r = parse_one(c, o);
		if (r < 0)
			return r;
	}
	if (optind < argc) {
		fprintf(stderr, "backride-sim: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (o->n_devices == 0)
		(void) add_device(o, SIM_BIKE, NULL);
	if (o->ble && o->n_devices > 1) {
		fprintf(stderr, "backride-sim: --ble serves one device per adapter\n");
		return -EINVAL;
	}
	return 0;
}
