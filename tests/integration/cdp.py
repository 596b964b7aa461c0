#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A small driver for headless Chromium through the DevTools protocol (Debian's chromium and
python3-websocket): start the browser on a private profile, open a page, evaluate JavaScript,
tap an element where it is drawn, set the viewport and take screenshots. For the backride-web
tests (test-web-page.py)."""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket


class Chromium:
    keep_events = False  # set to keep the protocol's events in .events (call() reads them)

    def __init__(self, log_path, timeout=90):
        self.profile = tempfile.mkdtemp(prefix='backride-chromium.')
        self.log = open(log_path, 'w')
        args = ['chromium', '--headless=new', '--remote-debugging-port=0',
                '--remote-allow-origins=*', '--user-data-dir=' + self.profile,
                '--no-first-run', '--no-default-browser-check', '--disable-gpu',
                '--disable-extensions', '--disable-background-networking', '--disable-sync',
                '--no-proxy-server', '--hide-scrollbars', '--mute-audio', 'about:blank']
        if os.geteuid() == 0:
            args.insert(1, '--no-sandbox')  # Chromium refuses to run as root with its sandbox
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        port_file = os.path.join(self.profile, 'DevToolsActivePort')
        deadline = time.monotonic() + timeout
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if self.proc.poll() is not None:
                raise RuntimeError('chromium exited with %d' % self.proc.returncode)
            if time.monotonic() > deadline:
                raise RuntimeError('chromium did not open its DevTools port')
            time.sleep(0.1)
        port = int(open(port_file).read().split()[0])
        with urllib.request.urlopen('http://127.0.0.1:%d/json/list' % port, timeout=30) as r:
            pages = [t for t in json.load(r) if t['type'] == 'page']
        self.ws = websocket.create_connection(pages[0]['webSocketDebuggerUrl'], timeout=60,
                                              suppress_origin=True)
        self.next_id = 0
        self.events = []  # the protocol's events, (method, params), as they came
        self.call('Page.enable')
        self.call('Runtime.enable')

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({'id': mid, 'method': method, 'params': params}))
        while True:
            msg = json.loads(self.ws.recv())
            if 'method' in msg and self.keep_events:
                self.events.append((msg['method'], msg.get('params', {})))
            if msg.get('id') == mid:
                if 'error' in msg:
                    raise RuntimeError('%s: %s' % (method, msg['error']))
                return msg.get('result', {})

    def eval(self, expr):
        """The value of a JavaScript expression (awaited if it is a promise)."""
        r = self.call('Runtime.evaluate', expression=expr, returnByValue=True, awaitPromise=True)
        if 'exceptionDetails' in r:
            raise RuntimeError('%s: %s' % (expr, r['exceptionDetails'].get('text')))
        return r['result'].get('value')

    def wait(self, expr, timeout=60):
        """Poll a JavaScript expression until it is truthy; its value, or None on time out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                v = self.eval(expr)
            except RuntimeError:
                v = None
            if v:
                return v
            time.sleep(0.1)
        return None

    def open(self, url):
        self.call('Page.navigate', url=url)

    def viewport(self, width, height, scale, mobile):
        self.call('Emulation.setDeviceMetricsOverride', width=width, height=height,
                  deviceScaleFactor=scale, mobile=mobile)
        self.call('Emulation.setTouchEmulationEnabled', enabled=mobile)

    def rect(self, selector):
        return self.eval('(() => { const r = document.querySelector(%s).getBoundingClientRect();'
                         ' return {x: r.x, y: r.y, w: r.width, h: r.height}; })()'
                         % json.dumps(selector))

    def tap(self, selector):
        """A touch (or a click, on a desktop viewport) at the middle of the element, as a
        finger would: whatever is drawn on top there gets it."""
        self.eval('document.querySelector(%s).scrollIntoView({block: "center"})'
                  % json.dumps(selector))
        r = self.rect(selector)
        x, y = r['x'] + r['w'] / 2, r['y'] + r['h'] / 2
        for kind in ('mousePressed', 'mouseReleased'):
            self.call('Input.dispatchMouseEvent', type=kind, x=x, y=y, button='left',
                      clickCount=1)

    def screenshot(self, path):
        data = self.call('Page.captureScreenshot', format='png')['data']
        with open(path, 'wb') as f:
            f.write(base64.b64decode(data))

    def pump(self, seconds):
        """Read the protocol's events for a while (kept in .events when keep_events)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            if 'method' in msg and self.keep_events:
                self.events.append((msg['method'], msg.get('params', {})))
        self.ws.settimeout(60)

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
