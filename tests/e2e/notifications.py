#!/usr/bin/python3
"""A desktop notification server for the end-to-end tests: owns org.freedesktop.Notifications on
the test's D-Bus session and writes every notification as one JSON line to the file given as the
first argument, so the tests can read what the app showed. (Debian's python3-dbus, python3-gi.)"""
import json
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


class Server(dbus.service.Object):
    def __init__(self, bus, log):
        super().__init__(bus, PATH)
        self.log = log
        self.next_id = 1

    @dbus.service.method(NAME, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, icon, summary, body, actions, hints, timeout):
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"app": str(app_name), "summary": str(summary), "body": str(body)}, ensure_ascii=False) + "\n")
        self.next_id += 1
        return self.next_id - 1

    @dbus.service.method(NAME, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["body"]

    @dbus.service.method(NAME, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ["kep-renew-e2e", "kep-renew", "1.0", "1.2"]

    @dbus.service.method(NAME, in_signature="u", out_signature="")
    def CloseNotification(self, _id):
        pass


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName(NAME, bus)  # noqa: F841 (kept alive)
    Server(bus, sys.argv[1])
    print("notification server ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
