"""An authentication agent that answers as a desktop's polkit dialog does
when the person clicks Cancel: `org.freedesktop.PolicyKit1.Error.Cancelled`
(pkttyagent has no such answer: its cancel reads as a wrong password).

    dismissing_agent.py PID,START NOTIFY_FD"""
import os
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
AGENT = "org.freedesktop.PolicyKit1.AuthenticationAgent"


class Cancelled(dbus.DBusException):
    _dbus_error_name = "org.freedesktop.PolicyKit1.Error.Cancelled"


class Agent(dbus.service.Object):
    @dbus.service.method(AGENT, in_signature="sssa{ss}sa(sa{sv})")
    def BeginAuthentication(self, action_id, message, icon, details, cookie, identities):
        raise Cancelled("the person closed the dialog")

    @dbus.service.method(AGENT, in_signature="s")
    def CancelAuthentication(self, cookie):
        pass


bus = dbus.SystemBus()
Agent(bus, "/twofold/test/Agent")
pid, start = map(int, sys.argv[1].split(","))
subject = ("unix-process", {"pid": dbus.UInt32(pid), "start-time": dbus.UInt64(start)})
bus.call_blocking("org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
                  "org.freedesktop.PolicyKit1.Authority", "RegisterAuthenticationAgent", "(sa{sv})ss",
                  [subject, "C", "/twofold/test/Agent"])
os.close(int(sys.argv[2]))
GLib.MainLoop().run()
