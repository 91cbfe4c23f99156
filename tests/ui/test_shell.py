from __future__ import annotations

import os
from collections.abc import Callable, Sequence

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


def recording(answer: bool) -> tuple[list[list[str]], Callable[[Sequence[str]], bool]]:
    """A quit confirmation that records the titles it was asked about and gives ``answer``."""
    asked: list[list[str]] = []

    def confirm(titles: Sequence[str]) -> bool:
        asked.append(list(titles))
        return answer

    return asked, confirm


@pytest.mark.parametrize("answer", [False, True], ids=["stay", "quit"])
def test_without_tray_closing_while_live_asks_first(qtbot: QtBot, answer: bool) -> None:
    asked, confirm = recording(answer)
    shell = DesktopShell(tray_available=lambda: False, confirm_quit=confirm, clock=lambda: NOW)
    qtbot.addWidget(shell.window)
    shell.start()
    qtbot.waitExposed(shell.window)
    shell.render([snapshot(LiveState.LIVE), snapshot(LiveState.IDLE, key="w2:0", title="Later")], None)
    quits: list[bool] = []
    shell.quit_requested.connect(lambda: quits.append(True))
    closed = shell.window.close()
    assert asked == [["Quarterly town hall"]]  # only the webinar on air is named
    assert closed is answer and quits == ([True] if answer else [])
    assert shell.window.isVisible() is not answer


def test_without_tray_closing_asks_nothing_when_nothing_is_on_air(qtbot: QtBot) -> None:
    asked, confirm = recording(False)
    shell = DesktopShell(tray_available=lambda: False, confirm_quit=confirm, clock=lambda: NOW)
    qtbot.addWidget(shell.window)
    shell.start()
    qtbot.waitExposed(shell.window)
    shell.render([snapshot(LiveState.LIVE_STOPPED), snapshot(LiveState.ENDED, key="w2:0")], None)
    with qtbot.waitSignal(shell.quit_requested, timeout=1000):
        assert shell.window.close()
    assert asked == []


def test_with_tray_closing_while_live_keeps_running_without_asking(qtbot: QtBot) -> None:
    asked, confirm = recording(False)
    shell = DesktopShell(tray_available=lambda: True, confirm_quit=confirm, clock=lambda: NOW)
    qtbot.addWidget(shell.window)
    shell.start()
    qtbot.waitExposed(shell.window)
    shell.render([snapshot(LiveState.LIVE)], None)
    with qtbot.waitSignal(shell.window.hidden_to_tray, timeout=1000), \
            qtbot.assertNotEmitted(shell.quit_requested):
        shell.window.close()
    assert asked == [] and not shell.window.isVisible()
    shell.tray.rebuild_menu()  # the tray's Quit is where the question is asked then
    quit_action = next(a for a in shell.tray.menu.actions() if a.objectName() == "quit")
    with qtbot.assertNotEmitted(shell.quit_requested):
        quit_action.trigger()
    assert asked == [["Quarterly town hall"]]
    shell.close()


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
