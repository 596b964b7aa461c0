#!/usr/bin/env python3
"""Compare an exported session with the database it came from.

  check-export.py unicsv DB ID FILE.csv [--speed]   gpsbabel's unicsv of a TCX or FIT export
  check-export.py tcx-distance DB ID FILE.tcx       DistanceMeters of every Trackpoint
  check-export.py fit DB ID FILE.fit                decode the FIT file itself: CRCs,
                                                    messages, records, laps, session
  check-export.py csv DB ID FILE.csv                backride's own CSV export
  check-export.py json DB ID FILE.json              backride's own JSON export

Prints what differs and exits 1, or prints nothing and exits 0. Times are UTC."""
import csv
import datetime
import json
import sqlite3
import struct
import sys
import xml.etree.ElementTree as ET

FIT_EPOCH = 631065600


def load(db, sid):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    s = con.execute('SELECT * FROM sessions WHERE id = ?', (sid,)).fetchone()
    x = con.execute('SELECT t, phase, power, cadence, speed, distance, hr FROM samples'
                    ' WHERE session_id = ? ORDER BY t', (sid,)).fetchall()
    return s, x


def cadence_rpm(hrpm):
    return None if hrpm is None else (hrpm + 1) // 2


def utc(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc)


def num(cell):
    return None if cell in (None, '') else float(cell)


def same(a, b):
    """gpsbabel leaves zero and absent values empty."""
    return (a or 0) == (b or 0)


def check_unicsv(db, sid, path, speed):
    s, x = load(db, sid)
    rows = list(csv.DictReader(open(path)))
    err = []
    if len(rows) != len(x):
        return [f'{len(rows)} points, database has {len(x)} samples']
    for r, d in zip(rows, x):
        when = datetime.datetime.strptime(r['Date'] + ' ' + r['Time'], '%Y/%m/%d %H:%M:%S')
        if when.replace(tzinfo=datetime.timezone.utc) != utc(s['started_at'] + d['t']):
            err.append(f't={d["t"]}: time {r["Date"]} {r["Time"]}')
        if not same(num(r.get('Heartrate')), d['hr']):
            err.append(f't={d["t"]}: heart rate {r.get("Heartrate")} != {d["hr"]}')
        if not same(num(r.get('Cadence')), cadence_rpm(d['cadence'])):
            err.append(f't={d["t"]}: cadence {r.get("Cadence")} != {d["cadence"]}/2')
        if not same(num(r.get('Power')), d['power']):
            err.append(f't={d["t"]}: power {r.get("Power")} != {d["power"]}')
        if speed and abs((num(r.get('Speed')) or 0) - (d['speed'] or 0) / 360) > 0.006:
            err.append(f't={d["t"]}: speed {r.get("Speed")} m/s != {d["speed"]} cm/h/1000')
    return err[:10]


def check_tcx_distance(db, sid, path):
    s, x = load(db, sid)
    ns = {'t': 'http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2'}
    got = [float(e.text) for e in
           ET.parse(path).getroot().findall('.//t:Trackpoint/t:DistanceMeters', ns)]
    want = [float(d['distance']) for d in x]
    # gpsbabel writes no DistanceMeters for an odometer of 0.
    if [g for g in got] != [w for w in want if w != 0]:
        return [f'distances differ: {got[:5]}... != {want[:5]}...']
    return []


def fit_crc(data, crc=0):
    table = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]
    for b in data:
        tmp = table[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ table[b & 0xF]
        tmp = table[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ table[(b >> 4) & 0xF]
    return crc


def fit_messages(data):
    """Yield (global message number, {field number: raw value})."""
    hsize, _, _, size = struct.unpack_from('<BBHI', data)
    defs, off, end = {}, hsize, hsize + size
    fmt = {1: 'B', 2: 'H', 4: 'I'}
    while off < end:
        h = data[off]
        off += 1
        local = h & 0xF
        if h & 0x40:
            _, arch, glob, n = struct.unpack_from('<BBHB', data, off)
            fields = [struct.unpack_from('BBB', data, off + 5 + 3 * i) for i in range(n)]
            defs[local] = (glob, fields)
            off += 5 + 3 * n
            continue
        glob, fields = defs[local]
        msg = {}
        for num_, size_, _ in fields:
            msg[num_] = struct.unpack_from('<' + fmt[size_], data, off)[0]
            off += size_
        yield glob, msg


def check_fit(db, sid, path):
    s, x = load(db, sid)
    data = open(path, 'rb').read()
    err = []
    hsize, proto, _, size = struct.unpack_from('<BBHI', data)
    if data[8:12] != b'.FIT' or hsize != 14 or len(data) != 14 + size + 2:
        return ['bad header or size']
    if fit_crc(data[:12]) != struct.unpack_from('<H', data, 12)[0]:
        err.append('header CRC')
    if fit_crc(data) != 0:
        err.append('file CRC')
    msgs = list(fit_messages(data))
    by = {}
    for g, m in msgs:
        by.setdefault(g, []).append(m)
    if msgs[0][0] != 0 or by[0][0][0] != 4:
        err.append('the first message is not file_id type activity')
    rec = by.get(20, [])
    if len(rec) != len(x):
        err.append(f'{len(rec)} records, database has {len(x)} samples')
    for r, d in zip(rec, x):
        if r[253] != s['started_at'] + d['t'] - FIT_EPOCH:
            err.append(f't={d["t"]}: timestamp {r[253]}')
        if d['distance'] is not None and r[5] != d['distance'] * 100:
            err.append(f't={d["t"]}: distance {r[5]} cm != {d["distance"]} m')
    phases = len({d['phase'] for d in x}) if x else 1
    if len(by.get(19, [])) != phases:
        err.append(f'{len(by.get(19, []))} laps for {phases} phases')
    ses = by.get(18, [{}])[0]
    if ses.get(9) != (s['distance_m'] or 0) * 100:
        err.append(f'session total_distance {ses.get(9)} != {s["distance_m"]} m')
    if ses.get(7) != s['duration_s'] * 1000:
        err.append(f'session total_elapsed_time {ses.get(7)} != {s["duration_s"]} s')
    if ses.get(5) != (2 if s['kind'] == 'bike' else 11):
        err.append(f'session sport {ses.get(5)} for {s["kind"]}')
    if s['avg_power_w'] is not None and ses.get(20) != s['avg_power_w']:
        err.append(f'session avg_power {ses.get(20)} != {s["avg_power_w"]}')
    if ses.get(16) != s['avg_hr_bpm']:
        err.append(f'session avg_heart_rate {ses.get(16)} != {s["avg_hr_bpm"]}')
    if ses.get(26) != phases:
        err.append(f'session num_laps {ses.get(26)}')
    if len(by.get(34, [])) != 1:
        err.append('no activity message')
    return err[:10]


def check_csv(db, sid, path):
    s, x = load(db, sid)
    rows = list(csv.DictReader(open(path)))
    err = []
    if len(rows) != len(x):
        return [f'{len(rows)} rows, database has {len(x)} samples']
    for r, d in zip(rows, x):
        if int(r['t']) != d['t'] or (d['hr'] is not None and int(r['hr_bpm']) != d['hr']):
            err.append(f'row t={r["t"]} differs')
        if d['distance'] is not None and int(r['distance_m']) != d['distance']:
            err.append(f'row t={r["t"]} distance differs')
    return err[:10]


def check_json(db, sid, path):
    s, x = load(db, sid)
    j = json.load(open(path))
    err = []
    if j['session']['id'] != sid or len(j['samples']) != len(x):
        err.append('session id or sample count differs')
    if j['session'].get('distance_m') != s['distance_m']:
        err.append('distance differs')
    return err


def main():
    mode, db, sid, path = sys.argv[1:5]
    sid = int(sid)
    if mode == 'unicsv':
        err = check_unicsv(db, sid, path, '--speed' in sys.argv)
    elif mode == 'tcx-distance':
        err = check_tcx_distance(db, sid, path)
    elif mode == 'fit':
        err = check_fit(db, sid, path)
    elif mode == 'csv':
        err = check_csv(db, sid, path)
    else:
        err = check_json(db, sid, path)
    for e in err:
        print(e)
    return 1 if err else 0


if __name__ == '__main__':
    sys.exit(main())
