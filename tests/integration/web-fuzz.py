#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Malformed HTTP for backride-web: COUNT requests (random bytes, broken request lines and
headers, bad encodings, paths that try to leave the document root, lying Content-Lengths,
bodies cut short, actions without their CSRF token) sent to 127.0.0.1:PORT over fresh
connections, each read until the server answers or closes. Bounded in count and time; loopback
only. Prints what came back by status and exits 0; the caller checks that the server still
answers and that nothing changed.

  web-fuzz.py PORT COUNT SEED
"""
import random
import socket
import sys
import time

METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH',
           'G\x00T', 'get', '', 'POST POST', '\xff\xfe']
PATHS = ['/', '/index.html', '/app.js', '/api/config', '/api/events', '/api/history',
         '/api/session', '/api/progress', '/api/pain', '/api/pause', '/api/stop', '/api/ease',
         '/api/resume', '/api/confirm-belt', '/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd',
         '/..%2f..%2fetc%2fpasswd', '/%2E%2E%5C%2E%2E%5Cetc%5Cpasswd', '/.hidden', '/%00',
         '/index.html%00.png', '//etc/passwd', '/static/../../x', '/api/../index.html',
         '/%c0%ae%c0%ae/etc/passwd', '/a' * 300, '*', 'http://evil.example/', '/%',
         '/%zz', '/api/pain?value=5', '/api/pain?value=-1', '/api/pain?value=99999999999999',
         '/api/session?id=0', '/api/session?id=1e3', '/api/history?limit=0&offset=-1',
         '/api/progress?weeks=521', '/api/stop?pain=11', '/?token=', '/?token=%00%00']
VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 ', 'HTTP/9', 'HTTP/1.', '', 'FOO']


def junk(rng, n):
    return bytes(rng.randrange(256) for _ in range(n))


def header_block(rng):
    lines = []
    if rng.random() < 0.8:
        lines.append('Host: ' + rng.choice(['127.0.0.1', 'localhost', 'evil.example', '',
                                            '127.0.0.1:1\r\nX: y', 'a' * 5000]))
    for _ in range(rng.randrange(6)):
        name = rng.choice(['Content-Length', 'Transfer-Encoding', 'Cookie', 'Origin',
                           'X-Backride-CSRF', 'Authorization', 'Connection', 'Expect',
                           'Sec-Fetch-Site', 'X-' + 'a' * rng.randrange(1, 3000), ''])
        value = rng.choice(['-1', '18446744073709551617', 'chunked', 'chunked, chunked',
                            'backride_token=' + 'f' * 32, 'Bearer ', 'Bearer ' + '0' * 32,
                            'http://evil.example', 'null', 'close', '100-continue',
                            'cross-site', '\x00', ' ' * 100, '0', '5'])
        lines.append('%s: %s' % (name, value))
    if rng.random() < 0.1:
        lines.append('NoColonHeader')
    if rng.random() < 0.05:
        lines += ['X-Many: %d' % i for i in range(300)]
    return lines


def request(rng):
    kind = rng.random()
    if kind < 0.15:
        return junk(rng, rng.randrange(1, 2048))
    line = '%s %s %s' % (rng.choice(METHODS), rng.choice(PATHS), rng.choice(VERSIONS))
    head = '\r\n'.join([line] + header_block(rng))
    end = rng.choice(['\r\n\r\n', '\n\n', '\r\n', '', '\r\n\r\n'])
    data = head.encode('utf-8', 'surrogateescape') + end.encode()
    if rng.random() < 0.3:
        data += junk(rng, rng.randrange(0, 4096))
    if rng.random() < 0.1:
        data = data[:rng.randrange(1, max(2, len(data)))]  # cut short
    return data


def send(port, data):
    # A request cut short waits for the rest until the server's idle timeout: do not wait
    # with it.
    try:
        s = socket.create_connection(('127.0.0.1', port), timeout=0.5)
    except OSError:
        return 'refused'
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        answer = b''
        while len(answer) < 12:  # the status line is enough (an event stream never ends)
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
        return answer[:12].decode('latin-1') if answer else 'closed'
    except socket.timeout:
        return 'waiting'
    except OSError:  # reset, or refused at the connection limit
        return 'reset'
    finally:
        s.close()


def main():
    port, count, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    seen = {}
    deadline = time.monotonic() + 240
    sent = 0
    while sent < count and time.monotonic() < deadline:
        status = send(port, request(rng))
        key = status.split(' ')[1] if status.startswith('HTTP/') else status
        seen[key] = seen.get(key, 0) + 1
        sent += 1
    print('# sent %d malformed requests; answers: %s' % (
        sent, ', '.join('%s %d' % kv for kv in sorted(seen.items()))))
    return 0 if sent == count else 1


if __name__ == '__main__':
    sys.exit(main())
