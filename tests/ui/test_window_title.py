"""The main window's title as the window manager shows it: "Pupitre — lab", not Qt's
"Pupitre — lab — Pupitre" (which an application display name produces)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.shell import DesktopShell
from tests.ui.fakes import FakeVlc

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("title_probe.py")


def test_titles_name_the_app_once(qtbot: QtBot) -> None:
    for lab, expected in ((False, "Pupitre"), (True, "Pupitre — lab")):
        window = MainWindow(lab=lab, vlc_loader=FakeVlc)
        qtbot.addWidget(window)
        assert window.windowTitle() == expected
    shell = DesktopShell(tray_available=lambda: False, confirm_quit=lambda titles: True, vlc_loader=FakeVlc)
    qtbot.addWidget(shell.window)
    shell._workspace_opened(True)  # "Try it with the lab" from the welcome page
    assert shell.window.windowTitle() == "Pupitre — lab"
    shell._workspace_opened(False)
    assert shell.window.windowTitle() == "Pupitre"


@pytest.mark.xvfb
@pytest.mark.parametrize(("args", "expected"), [(["--lab"], "Pupitre — lab"), ([], "Pupitre")], ids=["lab", "own"])
def test_the_window_manager_sees_the_title_once(args: list[str], expected: str) -> None:
    xvfb_run, xprop = shutil.which("xvfb-run"), shutil.which("xprop")
    if xvfb_run is None or xprop is None:
        pytest.skip("needs xvfb-run and xprop")
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run([xvfb_run, "-a", "-s", "-screen 0 1280x800x24 -nolisten tcp",
                             sys.executable, str(PROBE), *args],
                            capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["set"] == expected
    assert seen["xprop"] == f'_NET_WM_NAME = "{expected}"', seen
