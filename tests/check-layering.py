#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Dependencies point one way: every #include "..." of a layer names a header of a layer it
may use. An include that runs upward (bluez/ reaching api/, core/ reaching bluez/) or sideways
(the CLI reaching the daemon) fails, with the file, the line and what the layer may use.

A layer's private header (NAME-internal.h) is for that layer alone.

A quoted include is looked up as the compiler does: beside the including file first, then in
the layers' directories. Headers found in none of them (generated ones such as
backride-build.h) are not ours to check, except in the CLI and the simulator: they name a file
beside the includer or directly in a layer they may use (common/, dbus/; the simulator also the
FTMS codec in common/ftms/), or backride-build.h, and nothing else, found or not. No <...> include anywhere may
name a header of the tree.

Usage: check-layering.py SOURCE_ROOT
"""
import os
import re
import sys

# Each layer: its directories (files directly inside; a directory of a layer listed deeper
# belongs to that layer), and the layers it may use besides itself.
LAYERS = {
    'dbus': (['dbus'], []),
    # What the daemon, the CLI and the simulator share: log, macros, sd-bus helpers, sd-bus on
    # libuv, the sentinel and the sample record.
    'common': (['common'], []),
    'ftms': (['common/ftms'], []),
    'config': (['daemon/config.h', 'daemon/config.c'], ['common']),
    'session': (['daemon/session'], ['ftms', 'common']),
    'storage': (['daemon/storage'], ['common']),
    'export': (['daemon/export'], ['storage', 'common']),
    # core's machine-driver interface: what the coach and the registry need of a machine and
    # of the transport that reaches it, any protocol.
    'driver': (['daemon/core/driver.h'], ['ftms', 'common']),
    # The BlueZ client: a machine driver and transport behind driver.h.
    'bluez': (['daemon/bluez'], ['driver', 'ftms', 'common']),
    # The core reaches machines only through driver.h: never the BlueZ client.
    'core': (['daemon/core'], ['driver', 'session', 'storage', 'export', 'ftms', 'config',
                               'common', 'dbus']),
    'api': (['daemon/api'], ['core', 'driver', 'session', 'storage', 'export', 'ftms', 'bluez',
                             'config', 'common', 'dbus']),
    'manager': (['daemon/manager.h', 'daemon/manager.c', 'daemon/main.c'],
                ['api', 'core', 'driver', 'session', 'storage', 'export', 'ftms', 'bluez', 'config',
                 'common', 'dbus']),
    'cli': (['cli'], ['dbus', 'common']),
    # backride-web: a D-Bus client of the daemon, like the CLI.
    'web': (['web'], ['dbus', 'common']),
    # The voice: a D-Bus client of the daemon, like the CLI.
    'speak': (['speak'], ['dbus', 'common']),
    'sim': (['sim'], ['dbus', 'common', 'ftms']),
}

# Layers whose quoted includes must each name a file beside the includer or directly in a layer
# they may use (or a generated header below): they build apart from the daemon.
STRICT = {'cli', 'sim', 'web', 'speak'}
GENERATED = {'backride-build.h', 'web-build.h'}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s*<([^>]+)>')


def layer_of(rel):
    """The layer a source file (path relative to the root) belongs to, or None."""
    best, best_len = None, -1
    for name, (places, _) in LAYERS.items():
        for p in places:
            if rel == p or (os.path.dirname(rel) == p and len(p) > best_len):
                best, best_len = name, len(p)
    return best


def header_layers(root, including, header):
    """The layers where @header, included from @including, may come from."""
    here = os.path.join(root, os.path.dirname(including), header)
    if os.path.isfile(here):
        return [layer_of(os.path.relpath(os.path.normpath(here), root))]
    found = []
    for name, (places, _) in LAYERS.items():
        for p in places:
            base = p if os.path.isdir(os.path.join(root, p)) else os.path.dirname(p)
            for cand in (os.path.join(base, header), os.path.join(os.path.dirname(base), header)):
                rel = os.path.relpath(os.path.normpath(os.path.join(root, cand)), root)
                if os.path.isfile(os.path.join(root, rel)) and layer_of(rel) == name:
                    found.append(name)
    return sorted(set(found))


def strict_ok(root, including, header, allowed):
    """Whether a quoted include of a STRICT layer names a file it may use, plainly."""
    if header in GENERATED:
        return True
    if '..' in header or header.startswith('/') or header.startswith('daemon/'):
        return False
    if os.path.isfile(os.path.join(root, os.path.dirname(including), header)):
        return True
    for name in allowed:
        for p in LAYERS[name][0]:
            if os.path.isdir(os.path.join(root, p)) and \
                    os.path.isfile(os.path.join(root, p, header)):
                return True
    return False


def tree_header(root, header):
    """Whether @header (a <...> include) names a header of the tree."""
    if os.path.isfile(os.path.join(root, header)):
        return True
    for places, _ in LAYERS.values():
        for p in places:
            base = p if os.path.isdir(os.path.join(root, p)) else os.path.dirname(p)
            if os.path.isfile(os.path.join(root, base, header)):
                return True
    return False


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '.')
    bad = 0
    checked = 0
    for name, (places, allowed) in LAYERS.items():
        files = []
        for p in places:
            full = os.path.join(root, p)
            if os.path.isdir(full):
                files += [os.path.join(p, f) for f in sorted(os.listdir(full))
                          if f.endswith(('.c', '.h'))]
            elif os.path.isfile(full):
                files.append(p)
        for rel in files:
            if layer_of(rel) != name:
                continue
            with open(os.path.join(root, rel), encoding='utf-8') as f:
                for n, line in enumerate(f, 1):
                    m = SYSTEM_INCLUDE.match(line)
                    if m:
                        checked += 1
                        if tree_header(root, m.group(1)):
                            bad += 1
                            print(f'{rel}:{n}: includes <{m.group(1)}>, a header of this '
                                  f'tree, not of the system')
                        continue
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    checked += 1
                    if name in STRICT and not strict_ok(root, rel, m.group(1), allowed):
                        bad += 1
                        print(f'{rel}:{n}: includes "{m.group(1)}", which is not beside it nor '
                              f'in {", ".join(allowed)}')
                        continue
                    layers = header_layers(root, rel, m.group(1))
                    if m.group(1).endswith('-internal.h') and layers and name not in layers:
                        bad += 1
                        print(f'{rel}:{n}: includes "{m.group(1)}", private to '
                              f'{", ".join(layers)}')
                        continue
                    if not layers or any(l == name or l in allowed for l in layers):
                        continue
                    bad += 1
                    print(f'{rel}:{n}: includes "{m.group(1)}" of {", ".join(layers)}; '
                          f'{name} may use only {", ".join(allowed) or "itself"}')
    if checked == 0:
        print(f'no includes found under {root}')
        return 1
    print(f'{checked} includes checked, {bad} against the direction')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
