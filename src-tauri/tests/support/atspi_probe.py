#!/usr/bin/python3
"""Reads the running Twofold window's accessibility tree over AT-SPI, the
way a screen reader does, for the window tests (tests/window/atspi.rs).

Debian's python3 with gir1.2-atspi-2.0 (installed by scripts/install-deps
test). It runs on the test's own D-Bus session, where the app and its web
process registered on the accessibility bus, and answers one JSON line per
command read from stdin:

  attach            wait for the app's web document
  rows              the account list's items: role, name, and their children
  focused           what has the keyboard focus, and the dialog it is in
  unnamed           every control shown that has no name
  dialogs           the dialogs shown, with their states
  record            forget the events seen so far and start counting anew
  heard             what live regions said since `record`, and name changes

Events arrive only while GLib's loop runs, so the loop runs all the time
and stdin is one of its sources.
"""
import json
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

# Controls a person acts on: each must have a name.
CONTROLS = [
    Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.MENU_ITEM,
    Atspi.Role.CHECK_BOX, Atspi.Role.RADIO_BUTTON, Atspi.Role.COMBO_BOX,
    Atspi.Role.ENTRY, Atspi.Role.PASSWORD_TEXT, Atspi.Role.SPIN_BUTTON,
    Atspi.Role.LIST_BOX, Atspi.Role.PAGE_TAB, Atspi.Role.LINK,
]

doc = None
events = []


def states(node):
    return sorted(Atspi.StateType(s).value_nick for s in node.get_state_set().get_states())


def attributes(node):
    try:
        return node.get_attributes() or {}
    except GLib.Error:
        return {}


def describe(node):
    at = attributes(node)
    return {
        "role": node.get_role_name(),
        "name": node.get_name(),
        "states": states(node),
        "id": at.get("id"),
        "tag": at.get("tag"),
    }


def children(node):
    out = []
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            out.append(child)
    return out


def match(roles=(), state_set=(), attrs=None):
    rule = Atspi.MatchRule.new(
        Atspi.StateSet.new(list(state_set)), Atspi.CollectionMatchType.ALL,
        attrs or {}, Atspi.CollectionMatchType.ALL,
        list(roles), Atspi.CollectionMatchType.ANY if roles else Atspi.CollectionMatchType.ALL,
        [], Atspi.CollectionMatchType.ALL, False)
    return Atspi.Collection.get_matches(doc, rule, Atspi.CollectionSortOrder.CANONICAL, 0, True)


def find_document():
    desktop = Atspi.get_desktop(0)
    for app in children(desktop):
        queue = [app]
        while queue:
            node = queue.pop(0)
            if node.get_role() == Atspi.Role.DOCUMENT_WEB:
                return node
            queue += children(node)
    return None


def ancestor(node, role):
    while node is not None:
        if node.get_role() == role:
            return node
        node = node.get_parent()
    return None


def on_event(event):
    entry = {"type": event.type}
    data = event.any_data
    if event.type == "object:children-changed:add" and isinstance(data, Atspi.Accessible):
        live = attributes(data).get("container-live")
        if live not in (None, "off"):
            entry["announced"] = data.get_name() or text_of(data)
    events.append(entry)


def text_of(node):
    try:
        return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))
    except GLib.Error:
        return ""


def attach():
    global doc
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        doc = find_document()
        if doc is not None and match(attrs={"id": "accounts"}):
            return {"ok": True, "document": doc.get_name()}
        pump_for(0.1)
    return {"ok": False, "error": "no web document with the account list on the accessibility bus"}


def pump_for(seconds):
    end = time.monotonic() + seconds
    context = GLib.MainContext.default()
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.02)


def rows():
    lists = match(roles=[Atspi.Role.LIST], attrs={"id": "accounts"})
    if not lists:
        return {"list": None, "rows": []}
    the_list = lists[0]
    out = []
    for item in children(the_list):
        row = describe(item)
        row["children"] = [describe(c) for c in children(item)]
        out.append(row)
    return {"list": describe(the_list), "rows": out}


def focused():
    found = match(state_set=[Atspi.StateType.FOCUSED])
    # The scroll pane and the document are focused with the element: the
    # element is the deepest, the last in canonical order.
    found = [n for n in found if n.get_role() not in (Atspi.Role.DOCUMENT_WEB, Atspi.Role.SCROLL_PANE)]
    if not found:
        return {"focused": None}
    node = found[-1]
    dialog = ancestor(node, Atspi.Role.DIALOG)
    return {"focused": describe(node), "dialog": describe(dialog) if dialog is not None else None}


def unnamed():
    out = []
    for node in match(roles=CONTROLS, state_set=[Atspi.StateType.SHOWING]):
        if not (node.get_name() or "").strip():
            out.append(describe(node))
    return {"unnamed": out}


def dialogs():
    return {"dialogs": [describe(d) for d in match(roles=[Atspi.Role.DIALOG])]}


def heard():
    return {
        "announced": [e["announced"] for e in events if "announced" in e],
        "name_changes": sum(1 for e in events if e["type"] == "object:property-change:accessible-name"),
        "events": len(events),
    }


COMMANDS = {"attach": attach, "rows": rows, "focused": focused, "unnamed": unnamed,
            "dialogs": dialogs, "heard": heard}


def on_stdin(channel, _condition):
    line = channel.readline()
    if not line:
        loop.quit()
        return False
    command = line.strip()
    try:
        if command == "record":
            events.clear()
            answer = {"ok": True}
        else:
            answer = COMMANDS[command]()
    except Exception as error:  # every failure is an answer the test can show
        answer = {"error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return True


listener = Atspi.EventListener.new(on_event)
listener.register("object:children-changed")
listener.register("object:property-change:accessible-name")
loop = GLib.MainLoop()
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_stdin)
loop.run()
