#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The peer of the ingest benchmark: a minimal client on Debian's python3-bleak that only
subscribes to the Indoor Bike Data of a machine and counts the notifications.

    DBUS_SYSTEM_BUS_ADDRESS=unix:path=/tmp/bus peer-bleak.py C0:FF:EE:00:00:01

Prints "ready" once subscribed; SIGUSR1 prints "count N bytes B"; SIGTERM prints it and
exits without disconnecting (the daemon shares the link)."""
import asyncio
import os
import signal
import sys

from bleak import BleakClient
from bleak.backends.device import BLEDevice

INDOOR_BIKE_DATA = "00002ad2-0000-1000-8000-00805f9b34fb"

count = 0
nbytes = 0


def on_data(_char, data):
    global count, nbytes
    count += 1
    nbytes += len(data)


def report():
    print(f"count {count} bytes {nbytes}", flush=True)


async def main(address):
    # The machine is connected already (to the daemon) and so does not advertise: no scan,
    # the BlueZ object path is given, as bleak's scanner would have found it.
    path = "/org/bluez/hci0/dev_" + address.replace(":", "_")
    device = BLEDevice(address, None, {"path": path, "props": {"Adapter": "/org/bluez/hci0"}}, 0)
    client = BleakClient(device)
    await client.connect()
    await client.start_notify(INDOOR_BIKE_DATA, on_data)
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, report)
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    report()
    # No disconnect: BlueZ would drop the link the daemon uses too.
    os._exit(0)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: peer-bleak.py ADDRESS")
    asyncio.run(main(sys.argv[1]))
