#!/usr/bin/env python3
"""Compare an exported session with the database it came from.

  check-export.py unicsv DB ID FILE.csv [--speed]   gpsbabel's unicsv of a TCX or FIT export
  check-export.py tcx-distance DB ID FILE.tcx       DistanceMeters of every Trackpoint
  check-export.py fit DB ID FILE.fit                decode the FIT file itself: CRCs,
                                                    messages, records, laps, session, and
                                                    the FIT SDK's rules for timer and laps
  check-export.py tcx DB ID FILE.tcx                laps, intensity, tracks split at pauses
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
    x = con.execute('SELECT t, phase, power, cadence, speed, distance, hr, resistance,'
                    ' target_resistance FROM samples WHERE session_id = ? ORDER BY t',
                    (sid,)).fetchall()
    return s, x


def load_events(db, sid):
    con = sqlite3.connect(db)
    return con.execute('SELECT t, type FROM events WHERE session_id = ? AND t IS NOT NULL'
                       ' ORDER BY id', (sid,)).fetchall()


# The session engine's phases (enum session_phase), as samples store them.
PHASES = ['waiting', 'countdown', 'warmup', 'steady', 'cooldown', 'stopping', 'stretches',
          'done']


def expected_laps(x):
    """The laps a session should have: one per exercise phase; waiting and countdown go with
    the warm-up, stopping and done with the lap before them. [(phase name, first t)]"""
    laps, cur = [], 'warmup'
    for d in x:
        p = PHASES[d['phase']] if d['phase'] < len(PHASES) else 'unknown'
        if p in ('waiting', 'countdown'):
            p = 'warmup'
        elif p in ('stopping', 'done'):
            p = cur
        if not laps or p != cur:
            laps.append((p, d['t']))
        cur = p
    return laps or [('warmup', 0)]


def pauses(db, sid):
    """[(from t, to t or None)] from the pause and resume events, nested pauses merged."""
    out, since = [], None
    for t, kind in load_events(db, sid):
        if kind == 'pause' and since is None:
            since = t
        elif kind == 'resume' and since is not None:
            out.append((since, t))
            since = None
    if since is not None:
        out.append((since, None))
    return out


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
    laps = expected_laps(x)
    phases = len(laps)
    if len(by.get(19, [])) != phases:
        err.append(f'{len(by.get(19, []))} laps for the phases {[p for p, _ in laps]}')
    ses = by.get(18, [{}])[0]
    if ses.get(9) != (s['distance_m'] or 0) * 100:
        err.append(f'session total_distance {ses.get(9)} != {s["distance_m"]} m')
    if ses.get(7) != s['duration_s'] * 1000:
        err.append(f'session total_elapsed_time {ses.get(7)} != {s["duration_s"]} s')
    if ses.get(5) != (2 if s['kind'] == 'bike' else 11):
        err.append(f'session sport {ses.get(5)} for {s["kind"]}')
    if ses.get(6) != (6 if s['kind'] == 'bike' else 1):
        err.append(f'session sub_sport {ses.get(6)} for {s["kind"]}')
    if s['avg_power_w'] is not None and ses.get(20) != s['avg_power_w']:
        err.append(f'session avg_power {ses.get(20)} != {s["avg_power_w"]}')
    # 0xFF is FIT's "invalid" for a uint8: a session without any heart rate.
    avg_hr = None if ses.get(16) == 0xFF else ses.get(16)
    if avg_hr != s['avg_hr_bpm']:
        err.append(f'session avg_heart_rate {ses.get(16)} != {s["avg_hr_bpm"]}')
    if ses.get(26) != phases:
        err.append(f'session num_laps {ses.get(26)}')
    if len(by.get(34, [])) != 1:
        err.append('no activity message')
    else:
        err += fit_rules(s, x, by, laps, pauses(db, sid))
    return err[:10]


# FIT intensity of a lap: active 0, rest 1, warmup 2, cooldown 3.
INTENSITY = {'warmup': 2, 'cooldown': 3, 'stretches': 1}


def fit_stopped(events, start, end):
    """The timer's stopped time (s) within [start, end), from timer events (event 0): type 0
    start, 1 stop, 4 stop_all; and whether they alternate properly."""
    stopped, since, ok = 0, None, True
    for e in events:
        if e.get(0) != 0:
            continue
        t, kind = e[253], e.get(1)
        if kind == 1:
            ok = ok and since is None
            since = t
        elif kind == 4 and since is None:  # stop_all; a session may end paused
            since = t
        elif kind == 0:
            ok = ok and (since is not None or t == start)
            if since is not None:
                stopped += max(0, min(t, end) - max(since, start))
            since = None
    if since is not None and since < end:
        stopped += end - max(since, start)
    return stopped, ok


def fit_rules(s, x, by, laps, db_pauses):
    """The FIT SDK's rules for an activity: total_timer_time leaves the timer's stops out,
    total_elapsed_time keeps them; laps follow each other without gaps and add up to the
    session; each lap has its intensity; the timer stops and starts at the pauses."""
    err = []
    ses, act, lap, ev = by[18][0], by[34][0], by.get(19, []), by.get(21, [])
    start = s['started_at'] - FIT_EPOCH
    if ses.get(2) != start:
        err.append(f'session start_time {ses.get(2)} != {start}')
    stopped, ok = fit_stopped(ev, start, ses[253])
    if not ok:
        err.append('timer events do not alternate start/stop')
    if ses[8] != ses[7] - stopped * 1000:
        err.append(f'session total_timer_time {ses[8]} != elapsed {ses[7]} - stopped '
                   f'{stopped * 1000} ms')
    if act.get(0) != ses[8]:
        err.append(f'activity total_timer_time {act.get(0)} != session {ses[8]}')
    for key, name in ((7, 'total_elapsed_time'), (8, 'total_timer_time'), (9, 'total_distance')):
        total = sum(m.get(key, 0) for m in lap)
        if total != ses.get(key):
            err.append(f'laps {name} add up to {total}, session has {ses.get(key)}')
    at = start
    for i, m in enumerate(lap):
        if m.get(2) != at:
            err.append(f'lap {i} starts at {m.get(2)}, not where the one before ended ({at})')
        if m[7] != (m[253] - m[2]) * 1000:
            err.append(f'lap {i} total_elapsed_time {m[7]} != its timestamp - start_time')
        gap, _ = fit_stopped(ev, m[2], m[253])
        if m[8] != m[7] - gap * 1000:
            err.append(f'lap {i} total_timer_time {m[8]} != elapsed {m[7]} - stopped {gap} s')
        want = INTENSITY.get(laps[i][0], 0) if i < len(laps) else None
        if m.get(23) != want:
            err.append(f'lap {i} ({laps[i][0] if i < len(laps) else "?"}): intensity '
                       f'{m.get(23)} != {want}')
        at = m[253]
    if lap and lap[-1][253] != ses[253]:
        err.append(f'the last lap ends at {lap[-1][253]}, the session at {ses[253]}')
    stops = [e[253] - start for e in ev if e.get(0) == 0 and e.get(1) == 1]
    starts = [e[253] - start for e in ev if e.get(0) == 0 and e.get(1) == 0][1:]
    if stops != [a for a, _ in db_pauses] or starts != [b for _, b in db_pauses if b is not None]:
        err.append(f'timer stops {stops} and starts {starts} are not the pauses {db_pauses}')
    return err


def check_tcx(db, sid, path):
    """Laps and their intensity (Active, Resting for the stretches); a new Track wherever a
    pause begins or ends, so no Track spans one."""
    s, x = load(db, sid)
    ns = {'t': 'http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2'}
    laps = ET.parse(path).getroot().findall('.//t:Lap', ns)
    want = expected_laps(x)
    err = []
    if len(laps) != len(want):
        return [f'{len(laps)} laps for the phases {[p for p, _ in want]}']
    paused = set()
    for a, b in pauses(db, sid):
        paused.update(range(a, b if b is not None else (x[-1]['t'] + 1 if x else a)))
    for i, (lap, (phase, first)) in enumerate(zip(laps, want)):
        intensity = lap.find('t:Intensity', ns).text
        if intensity != ('Resting' if phase == 'stretches' else 'Active'):
            err.append(f'lap {i} ({phase}): Intensity {intensity}')
        if lap.get('StartTime') != utc(s['started_at'] + first).strftime('%Y-%m-%dT%H:%M:%SZ'):
            err.append(f'lap {i} StartTime {lap.get("StartTime")}')
        for track in lap.findall('t:Track', ns):
            ts = [datetime.datetime.strptime(p.find('t:Time', ns).text, '%Y-%m-%dT%H:%M:%SZ')
                  .replace(tzinfo=datetime.timezone.utc).timestamp() - s['started_at']
                  for p in track.findall('t:Trackpoint', ns)]
            if len({int(t) in paused for t in ts}) > 1:
                err.append(f'lap {i}: a Track spans a pause ({ts[0]:.0f}-{ts[-1]:.0f} s)')
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
        if r['phase'] != PHASES[d['phase']]:
            err.append(f'row t={r["t"]}: phase {r["phase"]!r} is not {PHASES[d["phase"]]!r}')
        # resistance and its target in one scale, the database's 0.1 unit
        for key in ('resistance', 'target_resistance'):
            if num(r[key]) != (None if d[key] is None else d[key] / 10):
                err.append(f'row t={r["t"]}: {key} {r[key]} != {d[key]} / 10')
    return err[:10]


def check_json(db, sid, path):
    s, x = load(db, sid)
    j = json.load(open(path))
    err = []
    if j['session']['id'] != sid or len(j['samples']) != len(x):
        err.append('session id or sample count differs')
    if j['session'].get('distance_m') != s['distance_m']:
        err.append('distance differs')
    for a, d in zip(j['samples'], x):
        if a['phase'] != PHASES[d['phase']]:
            err.append(f't={d["t"]}: phase {a["phase"]!r} is not {PHASES[d["phase"]]!r}')
        for key in ('resistance', 'target_resistance'):
            if a.get(key) != (None if d[key] is None else d[key] / 10):
                err.append(f't={d["t"]}: {key} {a.get(key)} != {d[key]} / 10')
    return err[:10]


def main():
    mode, db, sid, path = sys.argv[1:5]
    sid = int(sid)
    if mode == 'unicsv':
        err = check_unicsv(db, sid, path, '--speed' in sys.argv)
    elif mode == 'tcx-distance':
        err = check_tcx_distance(db, sid, path)
    elif mode == 'fit':
        err = check_fit(db, sid, path)
    elif mode == 'tcx':
        err = check_tcx(db, sid, path)
    elif mode == 'csv':
        err = check_csv(db, sid, path)
    else:
        err = check_json(db, sid, path)
    for e in err:
        print(e)
    return 1 if err else 0


if __name__ == '__main__':
    sys.exit(main())
