#!/usr/bin/env python3
"""Compare a live object's introspection (busctl --xml-interface) with the
contract XML files in dbus/. Every interface in a contract file must be
exported with exactly the same methods, arguments, signals and properties.
Usage: check-introspect.py LIVE.xml CONTRACT.xml..."""
import sys
import xml.etree.ElementTree as ET


def members(iface):
    out = set()
    for m in iface.findall('method'):
        args = tuple((a.get('name'), a.get('type'), a.get('direction', 'in'))
                     for a in m.findall('arg'))
        out.add(('method', m.get('name'), args))
    for s in iface.findall('signal'):
        args = tuple((a.get('name'), a.get('type')) for a in s.findall('arg'))
        out.add(('signal', s.get('name'), args))
    for p in iface.findall('property'):
        out.add(('property', p.get('name'), p.get('type'), p.get('access')))
    return out


def main():
    live = {i.get('name'): i for i in ET.parse(sys.argv[1]).getroot().findall('interface')}
    ok = True
    for path in sys.argv[2:]:
        for iface in ET.parse(path).getroot().findall('interface'):
            name = iface.get('name')
            if name not in live:
                print(f'{name}: not exported by the daemon')
                ok = False
                continue
            want, got = members(iface), members(live[name])
            for m in sorted(want - got, key=str):
                print(f'{name}: missing or different: {m}')
                ok = False
            for m in sorted(got - want, key=str):
                print(f'{name}: not in the contract {path}: {m}')
                ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
