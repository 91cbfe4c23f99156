from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from desktop.ui.app import prepare_environment
from desktop.ui.main_window import MainWindow, Page
from desktop.ui.shell import DesktopShell
from desktop.ui.tray import NextWebinar, TrayState
from desktop.webinar.state import LiveState
from tests.ui.builders import NOW, snapshot


def make_shell(qtbot: QtBot, tray: bool) -> DesktopShell:
    shell = DesktopShell(tray_available=lambda: tray, confirm_quit=lambda titles: True, clock=lambda: NOW)
    qtbot.addWidget(shell.window)
    return shell


def test_without_tray_the_window_stays_and_closing_it_quits(qtbot: QtBot) -> None:
    shell = make_shell(qtbot, tray=False)
    shell.start()
    qtbot.waitExposed(shell.window)
    assert shell.window.isVisible()
    assert not shell.tray.tray.isVisible()
    with qtbot.waitSignal(shell.quit_requested, timeout=1000), \
            qtbot.assertNotEmitted(shell.window.hidden_to_tray):
        shell.window.close()


def test_without_tray_notifications_land_in_the_window(qtbot: QtBot) -> None:
    shell = make_shell(qtbot, tray=False)
    shell.start()
    shell.notify("error", "Gateway down", "The gateway stopped answering.")
    assert not shell.window.banner.isHidden()
    assert "Gateway down" in shell.window.banner.label.text()


def test_with_tray_closing_hides_into_it_and_the_tray_brings_it_back(qtbot: QtBot) -> None:
    shell = make_shell(qtbot, tray=True)
    shell.start()
    qtbot.waitExposed(shell.window)
    with qtbot.waitSignal(shell.window.hidden_to_tray, timeout=1000), \
            qtbot.assertNotEmitted(shell.quit_requested):
        shell.window.close()
    assert not shell.window.isVisible()
    shell.tray.open_console_requested.emit()
    qtbot.waitUntil(shell.window.isVisible, timeout=1000)
    with qtbot.waitSignal(shell.quit_requested, timeout=1000):
        shell.tray.quit_requested.emit()
    shell.close()


def test_render_drives_the_tray(qtbot: QtBot) -> None:
    shell = make_shell(qtbot, tray=False)
    shell.render([snapshot(LiveState.LIVE)], None)
    assert shell.tray.state is TrayState.LIVE
    shell.render([], NextWebinar("Town hall", NOW + 600))
    assert shell.tray.state is TrayState.SOON


def test_geometry_is_remembered_per_home(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.resize(777, 655)  # within the offscreen 800x600 screen's width; the console needs 635 px of height
    qtbot.waitUntil(lambda: window.size().width() == 777, timeout=1000)
    window.show_page(Page.CONSOLE)
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (777, 655)
    assert again.current_page() is Page.WELCOME


@pytest.mark.parametrize(("environ", "expected", "platform"), [
    ({"WAYLAND_DISPLAY": "wayland-0"}, "xcb", "xcb"),
    ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "wayland"}, None, "wayland"),
    ({"DISPLAY": ":0"}, None, None),
])
def test_wayland_sessions_use_xwayland_unless_the_user_chose(
    environ: dict[str, str], expected: str | None, platform: str | None
) -> None:
    env = dict(environ)
    assert prepare_environment(env) == expected
    assert env.get("QT_QPA_PLATFORM") == platform


def test_void_qt_calls_do_not_leak_none_refcounts(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a None reference per void call and aborts later."""
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    set_text: Callable[[str], None] = label.setText
    before = sys.getrefcount(None)
    for i in range(1000):
        set_text(str(i))
    assert sys.getrefcount(None) - before > -100, os.environ.get("QT_QPA_PLATFORM")
