#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the committed seed corpus, tests/fuzz/corpus/<target>/<name>, from the unit-test
vectors (tests/unit/test-ftms*.c) and the reference frames (ftms-reference.md). Re-run after
adding vectors: ./tests/fuzz/gen-corpus.py"""
import os
import shutil

SEEDS = {
    'ibd': {
        'jetblack-volt': '64 02 00 00 00 00 14 00 00 00 00',  # §3.3
        'elite-direto-xr': '54 08 6F 05 96 00 5C 03 00 22 00 94 03',  # §3.3
        'schwinn-800ic': '44 02 AA 05 2E 00 18 00 46',  # §3.3
        'stages-sb20-speed-only': '00 00 E8 03',  # §3.2
        'negative-power': '40 00 00 00 FF FF',  # §12.4
        'rfu-flag-trailing': '00 20 10 27 01 02 03 04',  # §3.2 Technogym
        'more-data-empty': '01 00',
        'energy-na': '21 01 F6 FF FF FF FF FF FF',
        'all-fields': 'FE 1F' + ' 01' * 28,
        'truncated-jetblack': '64 02 00 00 00 00 14 00 00 00',
        'all-flags-no-data': 'FF FF',
        # length-prefixed fragments for the merger: 3 notifications of one record
        'merger-three-fragments': '06 45 00 A0 00 78 00 06 61 00 05 00 7D 00 05 00 02 10 09 5A',
    },
    'treadmill': {
        'speed-incline-pace': '28 00 B0 04 E7 FF FF 7F 02',  # T7, §4
        'pairs': '11 10 0A 00 05 00 F6 FF CE FF',
        'rfu-bit13': '00 20 64 00 01 02 03',  # §4 pyftms step count
        'energy-hr-met-time': '81 0F 2C 01 FF FF FF 8C 55 10 0E 58 02',
        'all-fields': 'FE 1F' + ' 02' * 32,
        'incline-pair-cut': '09 00 E7 FF',
        'merger-two-fragments': '06 09 00 E7 FF 00 00 04 00 00 B0 04',
    },
    'features': {
        'qdomyos-virtual-bike': '83 14 00 00 0C E0 00 00',  # T2/T3
        'openrowingmonitor-short': '26 56',  # §2
        'over-long': 'FF FF FF FF FF FF FF FF 01',
    },
    'range': {  # first byte: enum ftms_range_kind
        'speed': '00 64 00 40 1F 0A 00',
        'inclination-smartspin2k': '01 38 FF C8 00 01 00',  # §6
        'resistance-qdomyos': '02 0A 00 96 00 0A 00',  # §6
        'resistance-gss-narrow': '02 00 64 01',  # D1
        'heart-rate': '03 50 B4 01',
        'power-smartspin2k': '04 01 00 A0 0F 01 00',  # §6
        'speed-short': '00 64 00 40 1F 0A',
    },
    'training-status': {
        'idle': '00 01',  # §8 qdomyos
        'smartspin2k-rfu-flag': '08 0C',  # §8
        'string': '01 0D 51 75 69 63 6B',
        'extended-string': '03 02 57 61',
        'trailing-no-string': '00 09 78 79',
        'short': '00',
    },
    'machine-status': {
        'reset': '01', 'stopped': '02 01', 'paused': '02 02', 'safety-key': '03',
        'started': '04', 'speed': '05 E8 03', 'incline': '06 E7 FF',
        'resistance-u8': '07 64', 'resistance-s16': '07 E8 03', 'power': '08 FA 00',
        'hr': '09 78', 'energy': '0A F4 01', 'steps': '0B 10 27', 'strides': '0C 88 13',
        'distance': '0D A0 86 01', 'time': '0E 08 07', 'two-zones': '0F 01 00 02 00',
        'three-zones': '10 01 00 02 00 03 00', 'five-zones': '11 01 00 02 00 03 00 04 00 05 00',
        'zwift-hub-sim-echo': '12 00 00 F5 FF 28 33',  # §9
        'wheel': '13 3A 52', 'spin-down-requested': '14 01',
        'spin-down-success-time': '14 02 10 27',  # §9 chart
        'cadence': '15 B4 00', 'control-lost': 'FF', 'rfu': '16 01', 'speed-cut': '05 E8',
    },
    'cp-request': {
        'request-control': '00', 'reset': '01', 'speed-10kmh': '02 E8 03',  # §7.1
        'incline-minus-2.5': '03 E7 FF', 'resistance-u8': '04 64',
        'resistance-s16-tacx-flux': '04 E8 03', 'power-250w': '05 FA 00', 'hr': '06 78',
        'start': '07', 'stop': '08 01', 'pause': '08 02', 'energy': '09 F4 01',
        'steps': '0A 10 27', 'strides': '0B 88 13', 'distance': '0C A0 86 01',
        'time': '0D 08 07', 'two-zones': '0E 2C 01 58 02', 'three-zones': '0F 01 00 02 00 03 00',
        'five-zones': '10 01 00 02 00 03 00 04 00 05 00',
        'sim-grade-3pct': '11 00 00 2C 01 28 33', 'wheel-2105mm': '12 3A 52',
        'spin-down-start': '13 01', 'cadence': '14 B4 00', 'rfu': '15', 'over-long': '02 E8 03 00',
    },
    'cp-response': {
        'request-control-ok': '80 00 01', 'already-started': '80 07 04',
        'invalid-parameter': '80 04 03', 'not-permitted': '80 05 05',
        'spin-down-speeds': '80 13 01 24 03 96 0E',  # §7.2
        'smartspin2k-spin-down-bug': '80 01 24 03 96 0E',  # §7.2
        'max-param': '80 01 01' + ''.join(' %02X' % i for i in range(1, 18)),
        'short': '80 00',
    },
    'service-data': {
        'indoor-bike': '01 20 00', 'rower': '01 10 00', 'multi': '01 21 00',  # §10
        'one-byte-type': '01 20', 'rfu-trailing': 'FE 40 80 99', 'flags-only': '01',
    },
    'heart-rate': {
        'u8': '00 48', 'u16': '01 2C 01', 'contact-rr': '16 48 00 04 CD 03',  # T17
        'energy-no-contact': '0C 48 10 00', 'u16-energy-rr': '19 48 00 10 00 00 04',
        'rfu-flags': 'E0 48 01', 'odd-rr': '10 48 00 04 CD',
        'many-rr': '10 48' + ' 01 01' * 40,
    },
    'cycling-power': {
        'power-only': '00 00 FA 00', 'negative': '00 00 FF FF',  # §11.2
        'crank': '20 00 FA 00 10 00 00 04',
        'balance-wheel-crank': '31 00 64 00 64 E8 03 00 00 00 08 11 00 00 02',
        'all-flags': 'FF 1F' + ' 00' * 30 + ' 34 12', 'crank-cut': '20 00 FA 00 10 00 00',
    },
    'csc': {  # tests/unit/test-csc.c
        'wheel-crank': '03 10 27 00 00 00 04 2C 01 00 08',
        'crank-only': '02 FF FF 00 FC', 'wheel-wrap': '01 FF FF FF FF 01 00',
        'rfu-flags': 'FC', 'crank-cut': '02 01 00 00',
        # length-prefixed notifications for the rates: crank at 60 rpm, then repeated
        'stream-crank': '05 14 02 00 00 00 00 05 14 02 01 00 00 04 05 14 02 01 00 00 04',
    },
    'keiser': {  # tests/unit/test-keiser.c
        'm3i-6.30-gear': '06 30 00 05 70 03 B0 04 C8 00 32 00 0C 1E 41 80 0A',
        'm3i-6.20-no-gear': '06 20 00 01 00 00 00 00 00 00 00 00 00 00 0A 00 07',
        'review': '06 30 01 05 70 03 B0 04 C8 00 32 00 0C 1E 41 80 0A',
        'with-company-id': '02 01 06 30 00 05 70 03 B0 04 C8 00 32 00 0C 1E 41 80 0A',
        'short': '06 30 00 05 70 03 B0 04 C8 00 32 00 0C 1E 41',
    },
    'walkingpad': {  # tests/unit/test-walkingpad.c; the status from a ph4-walkingpad write-up
        'status-running': 'F8 A2 01 1E 01 00 01 3E 00 00 17 00 01 AA 1E 00 03 00 E4 FD',
        'status-stopped-ph4-issue10': 'F8 A2 00 00 01 00 00 00 00 00 00 00 00 00 01 00 00 00 A4 FD',
        'bad-checksum': 'F8 A2 01 1E 01 00 01 3E 00 00 17 00 01 AA 1E 00 03 00 E5 FD',
        'last-record': 'F8 A7' + ' 00' * 19 + ' A7 FD',
        'command-echo': 'F7 A2 00 00 A2 FD',
    },
}


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
    shutil.rmtree(root, ignore_errors=True)
    for target, seeds in SEEDS.items():
        os.makedirs(os.path.join(root, target))
        open(os.path.join(root, target, 'empty'), 'wb').close()
        for name, hexstr in seeds.items():
            with open(os.path.join(root, target, name), 'wb') as f:
                f.write(bytes.fromhex(hexstr))


if __name__ == '__main__':
    main()
