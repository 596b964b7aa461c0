#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""backride-web's page in headless Chromium (cdp.py), against backride-sim and backrided at a
high time scale (test-web-page.sh starts them and backride-web): the page loads; its numbers
follow the session; a tap on pain 5 reaches Session1 and the lowered target shows; "too hard"
eases one step; stop asks first; the history lists the session and draws it. Screenshots of a
phone and a tablet viewport go to --shots. Prints "ok - NAME" / "not ok - NAME" lines and
exits 1 if any check failed.

  test-web-page.py --url URL --bus ADDRESS --cli BACKRIDE --shots DIR --log FILE
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Chromium  # noqa: E402

failed = 0
passed = 0


def check(name, ok, detail=''):
    global failed, passed
    if ok:
        passed += 1
        print('ok - %s' % name, flush=True)
    else:
        failed += 1
        print('not ok - %s' % name, flush=True)
        if detail:
            print('#   %s' % detail, flush=True)
    return ok


class Bus:
    def __init__(self, address):
        self.address = address

    def prop(self, name):
        """A Session1 property (None while there is no session object)."""
        r = subprocess.run(['busctl', '--address=' + self.address, '--json=short',
                            'get-property', 'org.backride', '/org/backride/session',
                            'org.backride.Session1', name], capture_output=True, text=True)
        return json.loads(r.stdout)['data'] if r.returncode == 0 else None

    def wait(self, fn, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = fn()
            if v:
                return v
            time.sleep(0.1)
        return None


def text(b, elem_id):
    return b.eval('document.getElementById(%s).textContent' % json.dumps(elem_id))


def seconds(clock):
    m, s = clock.split(':')
    return int(m) * 60 + int(s)


def target_on_page(b):
    t = text(b, 'target').split()[0]
    return float(t) if t not in ('—', '') else None


def pain_buttons_fit(b):
    """Every pain button is at least 44 x 44 CSS px and on screen."""
    sizes = b.eval('[...document.querySelectorAll("#pain-buttons button")].map(e => {'
                   ' const r = e.getBoundingClientRect(); return [r.width, r.height]; })')
    return len(sizes) == 11 and all(w >= 44 and h >= 44 for w, h in sizes), sizes


def shoot(b, shots, name, width, height, scale, mobile):
    b.viewport(width, height, scale, mobile)
    time.sleep(0.5)  # a frame or two at the new size
    b.eval('window.dispatchEvent(new Event("resize"))')
    fits, sizes = pain_buttons_fit(b)
    check('%s (%dx%d): every pain button is 44 x 44 px or more' % (name, width, height), fits,
          str(sizes))
    px = b.eval('parseFloat(getComputedStyle(document.getElementById("current")).fontSize)')
    check('%s: the main number is big (%.0f px)' % (name, px), px >= 48)
    path = os.path.join(shots, 'web-%s.png' % name)
    b.screenshot(path)
    check('%s: screenshot kept in %s' % (name, path), os.path.getsize(path) > 1000)


def live_follows(b, bus):
    """The page's time left and target follow Session1 over several updates."""
    lefts = []
    for _ in range(6):
        want = bus.prop('Remaining')
        got = seconds(b.wait('document.getElementById("left").textContent.includes(":") &&'
                             ' document.getElementById("left").textContent', 10) or '0:0')
        lefts.append((got, want))
        time.sleep(0.7)
    # At 20x, a second of a loaded machine is 20 session seconds: allow 6 s of lag.
    close = all(abs(g - w) <= 120 for g, w in lefts)
    check('the time left on the page follows Session1.Remaining', close, str(lefts))
    check('the time left counts down on the page', lefts[-1][0] < lefts[0][0], str(lefts))


def main():
    ap = argparse.ArgumentParser()
    for a in ('--url', '--bus', '--cli', '--shots', '--log'):
        ap.add_argument(a, required=True)
    args = ap.parse_args()
    os.makedirs(args.shots, exist_ok=True)
    bus = Bus(args.bus)
    b = Chromium(args.log)
    try:
        run(b, bus, args)
    finally:
        b.close()
    print('# screenshots: %s' % args.shots)
    return 1 if failed else 0


def run(b, bus, args):
    b.viewport(390, 844, 2, True)
    b.open(args.url)
    check('the page loads and its live stream connects',
          b.wait('document.getElementById("link").textContent === "Live"', 90))
    check('no session yet', b.wait('document.getElementById("phase").textContent === "No session"'))

    subprocess.run([args.cli, '--bus', args.bus, 'start', '--gentle', '--minutes', '20',
                    '--pain', '1', '--detach'], check=True, stdout=subprocess.DEVNULL)
    check('the page shows the warm-up',
          b.wait('document.getElementById("phase").textContent.startsWith("Warm-up")', 60))
    check('the page shows the steady phase',
          b.wait('document.getElementById("phase").textContent.startsWith("Steady")', 90))
    check('steady at its target on the bus',
          bus.wait(lambda: (bus.prop('Targets') or {}).get('power') == 45, 60))
    check('the page shows the target, 45 W',
          b.wait('document.getElementById("target").textContent === "45 W"', 30),
          text(b, 'target'))
    check('the heart-rate cap shows', text(b, 'hrcap') == '150 bpm', text(b, 'hrcap'))
    check('the heart rate shows', b.wait('/^[0-9]+$/.test(document.getElementById("hr").textContent)'))
    live_follows(b, bus)
    shoot(b, args.shots, 'phone', 390, 844, 2, True)
    shoot(b, args.shots, 'tablet', 1180, 820, 1, True)

    # ---- pain 5 -----------------------------------------------------------------------
    b.tap('#pain-5')
    check('a tap on pain 5 reaches Session1', bus.wait(lambda: bus.prop('LastPain') == 5, 30))
    check('the page shows the pain', b.wait(
        'document.getElementById("lastpain").textContent === "(last: 5)"', 30),
        text(b, 'lastpain'))
    eased = bus.wait(lambda: (bus.prop('Targets') or {}).get('power', 99) < 45, 30)
    check('the daemon eases the target', eased)
    check('the easing shows on the page: the target drops below 45 W', b.wait(
        'parseFloat(document.getElementById("target").textContent) < 45', 30), text(b, 'target'))
    check('and the page says so', 'Pain 5 noted' in (text(b, 'banner') or ''), text(b, 'banner'))

    # ---- too hard: one more step down -----------------------------------------------------
    before = (bus.prop('Targets') or {}).get('power')
    b.tap('#ease')
    check('"too hard" eases one step on the bus', bus.wait(
        lambda: (bus.prop('Targets') or {}).get('power', 999) < before, 30), str(before))
    check('and the page shows the lower target', b.wait(
        'parseFloat(document.getElementById("target").textContent) < %d' % before, 30),
        text(b, 'target'))

    # ---- stop asks first ------------------------------------------------------------------
    b.tap('#stop')
    check('stop asks for a confirmation', b.wait('!document.getElementById("dialog").hidden', 10))
    time.sleep(1)
    check('nothing stopped before the answer',
          bus.prop('EndReason') == '' and bus.prop('Phase') != 'done')
    b.tap('#confirm-no')
    check('"No" keeps the session', b.wait('document.getElementById("dialog").hidden', 10) and
          bus.prop('EndReason') == '')
    b.tap('#stop')
    b.wait('!document.getElementById("dialog").hidden', 10)
    b.tap('#confirm-yes')
    check('"Yes" stops it', bus.wait(lambda: bus.prop('EndReason') == 'stopped', 60))
    check('the page shows the end', b.wait(
        'document.getElementById("next").textContent === "Ended: stopped"', 90),
        text(b, 'next'))

    # ---- history --------------------------------------------------------------------------
    b.tap('#tab-history')
    check('the history lists the session',
          b.wait('document.querySelectorAll("#sessions tr").length >= 1', 30))
    b.tap('#sessions tr')
    check("a session's chart and events open",
          b.wait('!document.getElementById("detail").hidden &&'
                 ' document.getElementById("detail-events").children.length > 3', 30))
    path = os.path.join(args.shots, 'web-history-tablet.png')
    b.screenshot(path)
    check('history screenshot kept', os.path.getsize(path) > 1000)


if __name__ == '__main__':
    sys.exit(main())
