from __future__ import annotations

from collections.abc import Sequence

import pytest
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from desktop.ui.tray import SOON_WINDOW, NextWebinar, TrayIcon, TrayState, tray_icon, tray_state
from desktop.webinar.state import LiveState
from tests.ui.builders import NOW, bad_health, failed_snapshot, snapshot

MIN = 60.0


@pytest.mark.parametrize(
    ("snapshots", "next_start", "expected"),
    [
        ([], None, TrayState.IDLE),
        ([], NOW + 2 * SOON_WINDOW, TrayState.IDLE),
        ([], NOW + 14 * MIN, TrayState.SOON),
        ([], NOW + SOON_WINDOW, TrayState.SOON),
        ([], NOW - 5 * MIN, TrayState.SOON),  # late: it should have started
        ([], NOW - 2 * SOON_WINDOW, TrayState.IDLE),
        ([snapshot(LiveState.IDLE)], None, TrayState.IDLE),
        ([snapshot(LiveState.ENDED)], None, TrayState.IDLE),
        ([snapshot(LiveState.CHECKING)], None, TrayState.SOON),
        ([snapshot(LiveState.WAITING_FOR_PRESENTER)], None, TrayState.SOON),
        ([snapshot(LiveState.LIVE_STOPPED)], None, TrayState.SOON),
        ([snapshot(LiveState.LIVE)], None, TrayState.LIVE),
        ([snapshot(LiveState.LIVE)], NOW + 5 * MIN, TrayState.LIVE),
        ([snapshot(LiveState.STARTING_GATEWAY, restarting=True)], None, TrayState.LIVE),
        ([snapshot(LiveState.STARTING_GATEWAY)], None, TrayState.SOON),
        ([snapshot(LiveState.LIVE, health=bad_health())], None, TrayState.PROBLEM),
        ([snapshot(LiveState.IDLE, health=bad_health())], None, TrayState.IDLE),  # nothing engaged
        ([failed_snapshot()], None, TrayState.PROBLEM),
        ([snapshot(LiveState.LIVE), failed_snapshot()], None, TrayState.PROBLEM),
        ([snapshot(LiveState.CHECKING), snapshot(LiveState.LIVE)], None, TrayState.LIVE),
    ],
)
def test_tray_state_table(snapshots: list, next_start: float | None, expected: TrayState) -> None:
    assert tray_state(snapshots, next_start, NOW) is expected


def make_tray(qtbot: QtBot, *, available: bool = False, answer: bool = True) -> tuple[TrayIcon, list[Sequence[str]]]:
    asked: list[Sequence[str]] = []

    def confirm(titles: Sequence[str]) -> bool:
        asked.append(list(titles))
        return answer

    tray = TrayIcon(is_available=lambda: available, confirm_quit=confirm)
    return tray, asked


def actions(tray: TrayIcon) -> dict[str, bool]:
    tray.menu.aboutToShow.emit()
    return {a.objectName(): a.isEnabled() for a in tray.menu.actions() if a.objectName()}


def test_menu_idle_offers_go_live_on_next_webinar(qtbot: QtBot) -> None:
    tray, _ = make_tray(qtbot)
    tray.update_from([], None, NOW)
    assert actions(tray) == {"open_console": True, "go_live": False, "about": True, "quit": True}
    tray.update_from([], NextWebinar("Town hall", NOW + 10 * MIN), NOW)
    assert actions(tray) == {"open_console": True, "go_live": True, "about": True, "quit": True}
    go = next(a for a in tray.menu.actions() if a.objectName() == "go_live")
    assert "Town hall" in go.text()
    with qtbot.waitSignal(tray.go_live_requested, timeout=1000):
        go.trigger()


def test_menu_rebuilt_from_state_each_time_it_opens(qtbot: QtBot) -> None:
    tray, _ = make_tray(qtbot)
    tray.update_from([snapshot(LiveState.LIVE)], None, NOW)
    assert set(actions(tray)) == {"open_console", "stop_live", "end", "open_chat", "about", "quit"}
    tray.update_from([snapshot(LiveState.WAITING_FOR_PRESENTER)], None, NOW)
    assert set(actions(tray)) == {"open_console", "end", "open_chat", "about", "quit"}
    tray.update_from([snapshot(LiveState.ENDED)], None, NOW)
    assert set(actions(tray)) == {"open_console", "go_live", "about", "quit"}


@pytest.mark.parametrize(("name", "signal"), [
    ("stop_live", "stop_live_requested"), ("end", "end_requested"), ("open_chat", "open_chat_requested"),
])
def test_menu_actions_emit_intents_with_the_key(qtbot: QtBot, name: str, signal: str) -> None:
    tray, _ = make_tray(qtbot)
    tray.update_from([snapshot(LiveState.LIVE)], None, NOW)
    actions(tray)
    action = next(a for a in tray.menu.actions() if a.objectName() == name)
    with qtbot.waitSignal(getattr(tray, signal), timeout=1000) as blocker:
        action.trigger()
    assert blocker.args == ["w1:0"]


def test_quit_asks_only_when_live(qtbot: QtBot) -> None:
    tray, asked = make_tray(qtbot, answer=False)
    tray.update_from([snapshot(LiveState.LIVE)], None, NOW)
    actions(tray)
    quit_action = next(a for a in tray.menu.actions() if a.objectName() == "quit")
    with qtbot.assertNotEmitted(tray.quit_requested):
        quit_action.trigger()
    assert asked == [["Quarterly town hall"]]

    tray.update_from([snapshot(LiveState.IDLE)], None, NOW)
    actions(tray)
    quit_action = next(a for a in tray.menu.actions() if a.objectName() == "quit")
    with qtbot.waitSignal(tray.quit_requested, timeout=1000):
        quit_action.trigger()
    assert len(asked) == 1


def test_activation_opens_the_console(qtbot: QtBot) -> None:
    tray, _ = make_tray(qtbot)
    with qtbot.waitSignal(tray.open_console_requested, timeout=1000):
        tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    with qtbot.assertNotEmitted(tray.open_console_requested):
        tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Context)


def test_icon_and_tooltip_follow_state_and_unread(qtbot: QtBot) -> None:
    tray, _ = make_tray(qtbot)
    keys = set()
    for snaps, expected in (([], TrayState.IDLE), ([snapshot(LiveState.CHECKING)], TrayState.SOON),
                            ([snapshot(LiveState.LIVE)], TrayState.LIVE), ([failed_snapshot()], TrayState.PROBLEM)):
        tray.update_from(snaps, None, NOW)
        assert tray.state is expected
        assert tray.tray.icon().cacheKey() == tray_icon(expected).cacheKey()
        keys.add(tray.tray.icon().cacheKey())
    assert len(keys) == 4
    tray.update_from([snapshot(LiveState.LIVE)], None, NOW)
    tray.set_unread(3)
    assert "3 unread message" in tray.tray.toolTip()
    assert "Quarterly town hall" in tray.tray.toolTip()
    actions(tray)
    chat = next(a for a in tray.menu.actions() if a.objectName() == "open_chat")
    assert "3" in chat.text()


def test_unavailable_tray_is_never_shown(qtbot: QtBot) -> None:
    tray, _ = make_tray(qtbot, available=False)
    assert not tray.available
    assert not tray.tray.isVisible()
    assert not tray.show_message("t", "x", QSystemTrayIcon.MessageIcon.Information)


def test_svg_icons_render_at_tray_sizes(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor

    for state in TrayState:
        image = tray_icon(state).pixmap(16, 16).toImage()
        assert not image.isNull()
        colours = {QColor(image.pixel(x, y)).name() for x in range(16) for y in range(16)}
        assert len(colours) > 3, state  # a drawn shape, not a blank square
