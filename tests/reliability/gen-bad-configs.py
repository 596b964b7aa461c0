#!/usr/bin/env python3
"""Write bad backride.conf files into DIR, one per case, and an index DIR/cases.tsv:
file<TAB>expect<TAB>key<TAB>line ("-": none), where expect is "error" (exit 1 with file:line naming the
key), "reject" (exit 1 with file:line) or "any" (exit 0 or 1, never a crash). Deterministic."""
import os
import random
import sys

NUMERIC = {
    "bluez": ["scan_seconds", "cp_timeout_ms", "cp_retries", "reconnect_min_ms",
              "reconnect_max_ms", "connect_timeout_ms", "hr_stale_s"],
    "daemon": ["time_scale"],
    "machine": ["idle_disconnect_s"],
    "session": ["warmup_min", "steady_min", "cooldown_min", "start_percent", "bike_power_w",
                "bike_resistance_percent", "treadmill_speed_kmh", "treadmill_incline_percent",
                "max_steady_min", "duration_step_s", "intensity_step_percent", "weekly_percent",
                "countdown_s", "resume_percent", "reramp_percent_per_min"],
    "safety": ["max_power_w", "max_resistance_percent", "max_speed_kmh", "max_incline_percent",
               "power_up_w_per_min", "power_down_w_per_min", "resistance_up_percent_per_min",
               "resistance_down_percent_per_min", "speed_up_kmh_per_min",
               "speed_down_kmh_per_min", "incline_up_percent_per_min",
               "incline_down_percent_per_min", "max_heart_rate", "age", "cadence_floor_rpm",
               "no_pedalling_s", "link_timeout_s"],
}
BAD_NUMBERS = ["-1", "abc", "99999999999999999999", "1e3", "0x10", "1.5.5", "5x", "+",
               "-0.5", "18446744073709551616", "3,5", "nan", "inf", "\u00bd"]
ENUMS = {
    ("daemon", "log_level"): ["loud", "INFO ", "7", "debug!"],
    ("daemon", "api_bus"): ["nowhere", "system system"],
    ("daemon", "bluez_bus"): ["nowhere", "sessions"],
    ("bluez", "pair"): ["sometimes", "yes", "0"],
    ("bluez", "adapter"): ["hci", "eth0", "hci0/../x", "x" * 150],
    ("machine", "address"): ["zz:zz:zz:zz:zz:zz", "C0:FF:EE:00:00", "C0:FF:EE:00:00:01:02"],
    ("debug", "targets"): ["maybe", "2", "on please"],
    ("session", "stretches"): ["maybe", "2", "yess"],
}


def main():
    out = sys.argv[1]
    rnd = random.Random(9)
    cases = []

    def write(name, data, expect, key="-", line="-"):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        cases.append((path, expect, key, str(line)))

    for section, keys in NUMERIC.items():
        for key in keys:
            for i, v in enumerate(BAD_NUMBERS):
                write(f"num-{key}-{i}.conf", f"# bad\n[{section}]\n{key} = {v}\n", "error",
                      key, 3)
    for (section, key), values in ENUMS.items():
        for i, v in enumerate(values):
            write(f"enum-{key}-{i}.conf", f"[{section}]\n{key} = {v}\n", "error", key, 2)
    for i in range(40):
        junk = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 4096)))
        write(f"junk-{i}.conf", junk, "any")
    for i in range(20):
        # Junk after a good start: the line is reported, not the first one.
        junk = bytes(rnd.choice(b"[]=;#\n\t \x00\xff") for _ in range(200))
        write(f"mixed-{i}.conf", b"[daemon]\nlog_level = info\n" + junk, "any")
    write("huge-value.conf", "[daemon]\nlog_level = " + "x" * 1048576 + "\n", "reject", "-", 2)
    write("huge-key.conf", "[daemon]\n" + "k" * 1048576 + " = 1\n", "reject", "-", 2)
    write("huge-section.conf", "[" + "s" * 1048576 + "]\nkey = 1\n", "reject", "-", 1)
    # Longer than the parser's line buffer: rejected at that line; its tail (which reads as a
    # key here) is never parsed on its own.
    write("long-line.conf", "[safety]\n# " + "x" * 300 + "max_power_w = 400\n", "reject", "-", 2)
    write("no-equals.conf", "[daemon]\nlog_level info\n", "reject", "-", 2)
    write("unclosed-section.conf", "[daemon\nlog_level = info\n", "reject", "-", 1)
    write("nul.conf", b"[daemon]\nlog_level = in\x00fo\n", "any")
    write("many-lines.conf", "[safety]\n" + "max_power_w = 100\n" * 100000 + "max_power_w = -5\n",
          "error", "max_power_w", 100002)
    write("empty-key.conf", "[daemon]\n = info\n", "any")
    with open(os.path.join(out, "cases.tsv"), "w") as f:
        for c in cases:
            f.write("\t".join(c) + "\n")


main()
