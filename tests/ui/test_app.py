"""The real entry point in subprocesses: the GUI starts, a second launch brings it forward."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from desktop.config.settings import BBBProfile, Settings
from desktop.ui.app import WhenExposed, first_page
from desktop.ui.main_window import Page


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_second_launch_brings_the_first_forward_and_exits_0(cli_env: dict[str, str], pupitre_home: Path) -> None:
    env = dict(cli_env, QT_QPA_PLATFORM="offscreen")
    marker = pupitre_home / "data" / "gui-session.json"
    log = pupitre_home / "logs" / "pupitre.log"
    first = subprocess.Popen([sys.executable, "-m", "desktop"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: marker.exists() or first.poll() is not None, 30, "the first instance to start")
        assert first.poll() is None, first.communicate()
        second = subprocess.run([sys.executable, "-m", "desktop"], env=env, capture_output=True,
                                text=True, timeout=30)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        wait_for(lambda: log.exists() and "bring the window forward" in log.read_text(), 10,
                 "the first instance to receive the raise request")
        assert first.poll() is None
    finally:
        first.terminate()
        first.communicate(timeout=10)


def test_the_core_starts_once_the_window_is_exposed(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    started: list[bool] = []
    window.show()
    handle = window.windowHandle()
    assert handle is not None
    WhenExposed(handle, lambda: started.append(handle.isExposed()), at_the_latest_ms=60_000)
    qtbot.waitUntil(lambda: bool(started), timeout=5000)
    assert started == [True]  # called after the window was on screen, not by the (long) fallback
    window.hide()
    window.show()  # a second expose calls nothing
    qtbot.waitExposed(window)
    assert started == [True]


def test_the_core_starts_at_the_latest_after_the_fallback_when_never_exposed(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.create()  # a native window that is never shown, so never exposed
    handle = window.windowHandle()
    assert handle is not None
    started: list[bool] = []
    WhenExposed(handle, lambda: started.append(True), at_the_latest_ms=50)
    qtbot.waitUntil(lambda: bool(started), timeout=5000)
    assert started == [True]


def test_the_window_opens_on_the_console_when_servers_are_configured() -> None:
    settings = Settings()
    assert first_page(settings, lab=False) is Page.WELCOME
    assert first_page(settings, lab=True) is Page.WELCOME  # the lab shows its progress there
    settings.put_profile(BBBProfile("campus", "https://bbb.example.org/bigbluebutton/"))
    assert first_page(settings, lab=False) is Page.CONSOLE  # not the welcome page, flashing


# an idle Qt loop (no timer at all) and a signal sent from another thread: without SignalWake,
# Python never gets to run the handler and exec() never returns (the subprocess times out)
SIGNAL_WHILE_IDLE = """
import os, signal, threading
from PySide6.QtCore import QCoreApplication, QTimer
from desktop.ui.app import SignalWake

app = QCoreApplication([])
wake = SignalWake(app)
signal.signal(signal.SIGTERM, lambda _signum, _frame: app.quit())
# sent once the loop runs (quit() before exec() does nothing) and has gone idle: Python code in
# the main thread would run the handler itself, and no state says "idle in C++", hence the delay
kill = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGTERM))
QTimer.singleShot(0, kill.start)
code = app.exec()
wake.close()
print("quit", code, signal.set_wakeup_fd(-1))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM from os.kill ends a Windows process outright")
def test_a_signal_reaches_python_while_qt_idles_without_a_polling_timer() -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", SIGNAL_WHILE_IDLE], cwd=root, capture_output=True, text=True,
                          timeout=60, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                           "PYTHONPATH": str(root)})
    assert done.stdout.split() == ["quit", "0", "-1"], done.stderr  # and the wakeup fd was given back
