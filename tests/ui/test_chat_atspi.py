"""The chat's messages as a screen reader on Linux gets them: through Qt's AT-SPI bridge, on a real
accessibility bus (not only Qt's in-process interfaces, which test_chat_keys_and_readers.py reads).

Needs dbus-run-session, xvfb-run, gdbus and at-spi2-core's bus launcher; skipped without them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
TOOLS = ("dbus-run-session", "xvfb-run", "gdbus")

pytestmark = pytest.mark.skipif(not LAUNCHER.exists() or not all(shutil.which(tool) for tool in TOOLS),
                                reason="needs at-spi2-core, dbus, gdbus and Xvfb")


def test_orca_s_view_of_the_chat_lists_the_messages_and_the_selected_one() -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(["dbus-run-session", "--", "xvfb-run", "-a", sys.executable, "-m", "tests.ui.atspi_probe"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout + result.stderr
    found = json.loads(lines[-1])
    assert "error" not in found, found
    items = found["items"]
    assert items and all(item["role"] == "('list item',)" for item in items)
    assert all(item["name"].startswith("Jane: message ") for item in items)
    assert [item["name"] for item in items if item["selected"]] == ["Jane: message 29"]
    assert [item["name"] for item in items if item["focused"]] == ["Jane: message 29"]
