#!/usr/bin/env python3
"""A minimal FTMS indoor bike served by the real bluetoothd (BlueZ 5.66) through
org.bluez.GattManager1 and LEAdvertisingManager1, for test-bluez-vm.sh inside the VM rig.
Feature, Indoor Bike Data (1 Hz), Training Status, Supported Power Range, Machine Status and
a Control Point that answers every write with 80 <op> 01 (Request Control, Set Target
Power...). Usage: test-bluez-vm-peripheral.py ADAPTER_PATH (e.g. /org/bluez/hci1)."""
import struct
import sys

import dbus
import dbus.exceptions
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

BLUEZ = 'org.bluez'
OM = 'org.freedesktop.DBus.ObjectManager'
PROPS = 'org.freedesktop.DBus.Properties'
SVC_IFACE = 'org.bluez.GattService1'
CHR_IFACE = 'org.bluez.GattCharacteristic1'
ADV_IFACE = 'org.bluez.LEAdvertisement1'
ROOT = '/org/backride/vmbike'


def uuid(x):
    return '0000%s-0000-1000-8000-00805f9b34fb' % x


class Application(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, ROOT)
        self.objects = []

    @dbus.service.method(OM, out_signature='a{oa{sa{sv}}}')
    def GetManagedObjects(self):
        return {o.path: o.props() for o in self.objects}


class Service(dbus.service.Object):
    def __init__(self, bus, index, uuid16):
        self.path = ROOT + '/service%d' % index
        self.uuid = uuid(uuid16)
        super().__init__(bus, self.path)

    def props(self):
        return {SVC_IFACE: {'UUID': self.uuid, 'Primary': dbus.Boolean(True),
                            'Characteristics': dbus.Array([], signature='o')}}


class Characteristic(dbus.service.Object):
    def __init__(self, bus, service, index, uuid16, flags, value=b''):
        self.path = service.path + '/char%d' % index
        self.service = service
        self.uuid = uuid(uuid16)
        self.flags = flags
        self.value = bytes(value)
        self.notifying = False
        self.on_write = None
        super().__init__(bus, self.path)

    def props(self):
        return {CHR_IFACE: {'Service': dbus.ObjectPath(self.service.path), 'UUID': self.uuid,
                            'Flags': dbus.Array(self.flags, signature='s'),
                            'Descriptors': dbus.Array([], signature='o')}}

    def send(self, value):
        self.value = bytes(value)
        if self.notifying:
            self.PropertiesChanged(CHR_IFACE, {'Value': dbus.ByteArray(self.value)}, [])

    @dbus.service.method(CHR_IFACE, in_signature='a{sv}', out_signature='ay')
    def ReadValue(self, options):
        return dbus.ByteArray(self.value)

    @dbus.service.method(CHR_IFACE, in_signature='aya{sv}')
    def WriteValue(self, value, options):
        if self.on_write:
            GLib.idle_add(self.on_write, bytes(value))

    @dbus.service.method(CHR_IFACE)
    def StartNotify(self):
        self.notifying = True

    @dbus.service.method(CHR_IFACE)
    def StopNotify(self):
        self.notifying = False

    @dbus.service.method(PROPS, in_signature='ss', out_signature='v')
    def Get(self, iface, name):
        return self.props()[CHR_IFACE][name]

    @dbus.service.method(PROPS, in_signature='s', out_signature='a{sv}')
    def GetAll(self, iface):
        return self.props()[CHR_IFACE]

    @dbus.service.signal(PROPS, signature='sa{sv}as')
    def PropertiesChanged(self, iface, changed, invalidated):
        pass


class Advertisement(dbus.service.Object):
    PATH = ROOT + '/adv0'

    def __init__(self, bus):
        super().__init__(bus, self.PATH)

    @dbus.service.method(PROPS, in_signature='s', out_signature='a{sv}')
    def GetAll(self, iface):
        return {'Type': 'peripheral',
                'ServiceUUIDs': dbus.Array([uuid('1826')], signature='s'),
                # FTMS Service Data: available, indoor bike (reference §10).
                'ServiceData': dbus.Dictionary({uuid('1826'): dbus.ByteArray(b'\x01\x20\x00')},
                                               signature='sv'),
                'LocalName': 'VM FTMS Bike'}

    @dbus.service.method(ADV_IFACE)
    def Release(self):
        pass


def main():
    adapter = sys.argv[1]
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    app = Application(bus)
    svc = Service(bus, 0, '1826')
    # Feature: cadence + power; targets: resistance + power.
    feature = Characteristic(bus, svc, 0, '2acc', ['read'], struct.pack('<II', 0x4002, 0x0C))
    data = Characteristic(bus, svc, 1, '2ad2', ['notify'])
    training = Characteristic(bus, svc, 2, '2ad3', ['read', 'notify'], b'\x00\x01')
    power_range = Characteristic(bus, svc, 3, '2ad8', ['read'], struct.pack('<hhH', 10, 800, 1))
    cp = Characteristic(bus, svc, 4, '2ad9', ['write', 'indicate'])
    status = Characteristic(bus, svc, 5, '2ada', ['notify'])
    app.objects = [svc, feature, data, training, power_range, cp, status]
    state = {'power': 100}

    def on_cp(value):
        op = value[0] if value else 0
        if op == 0x05 and len(value) >= 3:
            state['power'] = struct.unpack('<h', value[1:3])[0]
            print('target power', state['power'], flush=True)
        print('control point op 0x%02x' % op, flush=True)
        cp.send(bytes([0x80, op, 0x01]))
        return False

    cp.on_write = on_cp

    def tick():
        # Flags 0x0044: speed (More Data clear), cadence, power.
        data.send(struct.pack('<HHHh', 0x0044, 2500, 160, state['power']))
        return True

    GLib.timeout_add(1000, tick)
    loop = GLib.MainLoop()

    def failed(what):
        def cb(e):
            print('%s failed: %s' % (what, e), flush=True)
            loop.quit()
        return cb

    gatt = dbus.Interface(bus.get_object(BLUEZ, adapter), 'org.bluez.GattManager1')
    gatt.RegisterApplication(ROOT, {}, reply_handler=lambda: print('gatt ready', flush=True),
                             error_handler=failed('RegisterApplication'))
    adv = Advertisement(bus)
    adv_mgr = dbus.Interface(bus.get_object(BLUEZ, adapter), 'org.bluez.LEAdvertisingManager1')
    adv_mgr.RegisterAdvertisement(adv.PATH, {},
                                  reply_handler=lambda: print('advertising', flush=True),
                                  error_handler=failed('RegisterAdvertisement'))
    loop.run()


if __name__ == '__main__':
    main()
