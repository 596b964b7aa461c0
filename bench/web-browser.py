#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The browser of the web benchmark: headless Chromium (tests/integration/cdp.py) opens
backride-web's page and keeps it open for SECONDS, while the DevTools protocol reports each
Server-Sent Event the page receives (Network.eventSourceMessageReceived). Its timestamp is
Chromium's monotonic clock, which on Linux is CLOCK_MONOTONIC, the clock of bench-floor
--session. Prints "ready" once the page is live, then "elapsed E NS" per event that carries a
session (E: its Elapsed), then "done".

  web-browser.py URL SECONDS LOG
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests',
                                'integration'))
from cdp import Chromium  # noqa: E402


def main():
    url, seconds, log = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    b = Chromium(log)
    try:
        b.keep_events = True
        b.call('Network.enable')
        b.viewport(390, 844, 2, True)
        b.open(url)
        if not b.wait('document.getElementById("link").textContent === "Live"', 90):
            print('the page did not go live', file=sys.stderr)
            return 1
        print('ready', flush=True)
        b.pump(seconds)
        for method, p in b.events:
            if method != 'Network.eventSourceMessageReceived':
                continue
            session = json.loads(p['data']).get('session')
            if session and 'Elapsed' in session:
                print('elapsed %d %d' % (session['Elapsed'], int(p['timestamp'] * 1e9)))
        print('done', flush=True)
    finally:
        b.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
