#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Print how many times a callgrind profile saw FUNCTION called, and the profile's total Ir:

    cg-calls.py callgrind.out.1 bz_gatt_value   ->   "12956 259041234"

The benchmark divides by the calls of the function that handles one notification rather
than by what was sent, because callgrind_control -z can take effect a little late."""
import re
import sys


def main(path, function):
    names = {}
    callee = None
    calls = 0
    total = None
    with open(path) as f:
        for line in f:
            m = re.match(r"c?fn=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if m:
                if m.group(2):
                    names[m.group(1)] = m.group(2)
                if line.startswith("cfn="):
                    callee = names.get(m.group(1))
                continue
            m = re.match(r"calls=(\d+)", line)
            if m and callee == function:
                calls += int(m.group(1))
            m = re.match(r"(?:summary|totals): (\d+)", line)
            if m and total is None:
                total = int(m.group(1))
    print(calls, total or 0)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: cg-calls.py CALLGRIND_OUT FUNCTION")
    main(sys.argv[1], sys.argv[2])
