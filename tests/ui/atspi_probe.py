"""Run by tests/ui/test_chat_atspi.py inside ``dbus-run-session -- xvfb-run``: a chat window on a
real AT-SPI bus, read back the way a screen reader (Orca) reads it, over D-Bus with ``gdbus``.

Prints one JSON line: the chat list's name and its items (name, selected, focused).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

# AT-SPI's state bits (at-spi2-core, atspi/atspi-constants.h: AtspiStateType)
STATE_FOCUSED = 12
STATE_SELECTED = 23
PATH = re.compile(r"'(/org/a11y/atspi/accessible/[^']+)'")


def gdbus(address: str, name: str, path: str, method: str, *args: str) -> str:
    result = subprocess.run(["gdbus", "call", "--address", address, "-d", name, "-o", path, "-m", method, *args],
                            capture_output=True, text=True, timeout=10, check=True)
    return result.stdout.strip()


def start_bus() -> tuple[subprocess.Popen[bytes], str]:
    launcher = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"])
    deadline = time.monotonic() + 20
    while True:
        result = subprocess.run(["gdbus", "call", "--session", "-d", "org.a11y.Bus", "-o", "/org/a11y/bus",
                                 "-m", "org.a11y.Bus.GetAddress"], capture_output=True, text=True, timeout=10)
        match = re.match(r"\('(.*)',\)", result.stdout.strip())
        if match:
            return launcher, match.group(1)
        if time.monotonic() > deadline:
            raise RuntimeError("no AT-SPI bus: " + result.stderr)
        time.sleep(0.2)


def read_list(address: str, found: dict[str, object]) -> None:
    """Find the app on the bus, walk to the list named "Messages", read its items."""
    def text(name: str, path: str, prop: str) -> str:
        out = gdbus(address, name, path, "org.freedesktop.DBus.Properties.Get", "org.a11y.atspi.Accessible", prop)
        match = re.match(r"\(<'(.*)'>,\)", out)
        return match.group(1) if match else ""

    def walk(name: str, path: str, depth: int) -> str | None:
        role = gdbus(address, name, path, "org.a11y.atspi.Accessible.GetRoleName")
        if "'list'" in role and text(name, path, "Name") == "Messages":
            return path
        if depth > 6:
            return None
        for child in PATH.findall(gdbus(address, name, path, "org.a11y.atspi.Accessible.GetChildren")):
            hit = walk(name, child, depth + 1)
            if hit is not None:
                return hit
        return None

    try:
        deadline = time.monotonic() + 30
        while "items" not in found and time.monotonic() < deadline:
            names = re.findall(r"'(:[0-9.]+)'", gdbus(address, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                        "org.freedesktop.DBus.ListNames"))
            for name in names:
                try:
                    listing = walk(name, "/org/a11y/atspi/accessible/root", 0)
                except subprocess.CalledProcessError:
                    continue
                if listing is None:
                    continue
                items = []
                for child in PATH.findall(gdbus(address, name, listing, "org.a11y.atspi.Accessible.GetChildren")):
                    states = [int(word) for word in re.findall(r"\d+", gdbus(
                        address, name, child, "org.a11y.atspi.Accessible.GetState"))[-2:]]
                    low = states[0]
                    items.append({"name": text(name, child, "Name"),
                                  "role": gdbus(address, name, child, "org.a11y.atspi.Accessible.GetRoleName"),
                                  "selected": bool(low >> STATE_SELECTED & 1), "focused": bool(low >> STATE_FOCUSED & 1)})
                found["items"] = items
                break
            time.sleep(0.3)
    except Exception as error:  # reported, not raised: the thread must let the app quit
        found["error"] = repr(error)


def main() -> None:
    launcher, address = start_bus()
    os.environ["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    app = QApplication(sys.argv)
    from desktop.chat.model import ChatLog
    from desktop.ui.chat_window import ChatWindow
    from tests.ui.test_chat_window import audience

    log = ChatLog()
    log.ingest_many([audience(n, "Jane", f"message {n}") for n in range(1, 31)])
    window = ChatWindow(log, title="Town hall")
    window.resize(460, 720)
    window.show()
    window.activateWindow()
    found: dict[str, object] = {}

    def select_then_read() -> None:
        window.rows.flush()
        window.view.setFocus()
        window.view.set_current_row(len(window.rows) - 2)  # "message 29"
        reader = threading.Thread(target=read_list, args=(address, found), daemon=True)
        reader.start()
        poll = QTimer(app)
        poll.timeout.connect(lambda: app.quit() if not reader.is_alive() else None)
        poll.start(100)

    QTimer.singleShot(200, select_then_read)
    QTimer.singleShot(60_000, app.quit)
    app.exec()
    launcher.terminate()
    print(json.dumps(found))


if __name__ == "__main__":
    main()
