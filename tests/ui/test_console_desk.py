"""The presenter's desk (issue 15), console side: the theme follows the scheme, ON AIR reads from
across the room (panel and tray), the keyboard reaches the live's actions (Stop asks first),
screen readers hear the live start and stop and new questions once per burst, and the first
screen is calm (one lab banner, preview controls off without a stream, an empty schedule says
what to do, the next webinar counts down)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.net.http import HttpOptions
from desktop.ui import announce, theme
from desktop.ui.console import countdown_text
from desktop.ui.geometry import WINDOW_FRAME, first_size
from desktop.ui.live_style import TONE_LEVELS, Tone
from desktop.ui.main_window import MainWindow, Page
from desktop.ui.question_announcer import QuestionAnnouncer
from desktop.ui.shortcuts import ShortcutsDialog
from desktop.ui.theme import Level, Scheme
from desktop.ui.tray import NextWebinar, TrayIcon, TrayState, tray_icon
from desktop.webinar.events import LiveStopped, Origin, WentLive
from desktop.webinar.state import Intent, LiveSnapshot, LiveState
from tests.ui.builders import NOW, snapshot
from tests.ui.fakes import FakeVlc

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
HLS = "https://stream.example.org/hls/w.m3u8"


@pytest.fixture
def restore_palette(qapp: QGuiApplication) -> Iterator[None]:
    palette = QGuiApplication.palette()
    yield
    qapp.setPalette(palette)
    theme.watcher().refresh()


class StubController:
    """What the console asks of the controller, recorded (no core, no lab)."""

    def __init__(self, current: LiveSnapshot) -> None:
        self.current = current
        self.intents: list[tuple[str, str]] = []
        self.chats = SimpleNamespace(log_for=lambda _key: object())
        self.settings = None

    def snapshot_for(self, _key: str) -> LiveSnapshot:
        return self.current

    def hls_url_for(self, snapshot: LiveSnapshot) -> str | None:
        return HLS if snapshot.state is LiveState.LIVE else None

    def hls_options_for(self, _snapshot: LiveSnapshot) -> HttpOptions:
        return HttpOptions()

    def delay_seconds(self, _key: str) -> float | None:
        return None

    def go_live(self, key: str) -> None:
        self.intents.append(("go_live", key))

    def stop_live(self, key: str) -> None:
        self.intents.append(("stop_live", key))

    def request_chat(self, key: str) -> None:
        self.intents.append(("open_chat", key))


def console_window(qtbot: QtBot, state: LiveState, answers: list[bool] | None = None,
                   **changes: object) -> tuple[MainWindow, StubController, list[str]]:
    """The main window on its console, rendering one snapshot through a stub controller."""
    window = MainWindow(vlc_loader=FakeVlc)
    qtbot.addWidget(window)
    window.show_page(Page.CONSOLE)
    console = window.console_page
    console.preview.use_relay = False
    asked: list[str] = []
    replies = list(answers or [])

    def confirm(_parent: object, title: str) -> bool:
        asked.append(title)
        return replies.pop(0)

    console.confirm_stop = confirm
    live = snapshot(state, **changes)
    stub = StubController(live)
    console.controller = stub  # type: ignore[assignment]
    console.selected_key = live.key
    console.panel.go_live_requested.connect(stub.go_live)
    console.chat_button.clicked.connect(lambda: stub.request_chat(live.key))
    console._render(live)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, stub, asked


# --- the theme -------------------------------------------------------------------------------------


def test_the_live_panel_and_the_tray_change_colour_with_the_scheme(qtbot: QtBot, restore_palette: None) -> None:
    theme.force_scheme(Scheme.LIGHT)
    window, _stub, _asked = console_window(qtbot, LiveState.LIVE, live_since=NOW - 30)
    panel = window.console_page.panel
    tray = TrayIcon(is_available=lambda: False, confirm_quit=lambda titles: True, clock=lambda: NOW)
    tray.update_from([snapshot(LiveState.LIVE, live_since=NOW - 30)], None, NOW)
    light_button, light_badge = panel.big_button.styleSheet(), panel.on_air.styleSheet()
    light_icon = tray.tray.icon().cacheKey()
    assert theme.STATE_COLOURS[Scheme.LIGHT][TONE_LEVELS[Tone.STOP]] in light_button
    theme.force_scheme(Scheme.DARK)
    assert theme.STATE_COLOURS[Scheme.DARK][TONE_LEVELS[Tone.STOP]] in panel.big_button.styleSheet()
    assert panel.on_air.styleSheet() != light_badge
    assert theme.STATE_COLOURS[Scheme.DARK][Level.LIVE] in panel.on_air.styleSheet()
    assert tray.tray.icon().cacheKey() != light_icon
    assert tray.tray.icon().cacheKey() == tray_icon(TrayState.LIVE, Scheme.DARK).cacheKey()


# --- ON AIR ----------------------------------------------------------------------------------------


def test_on_air_badge_shows_the_icon_the_word_and_the_elapsed_time(qtbot: QtBot) -> None:
    window, _stub, _asked = console_window(qtbot, LiveState.LIVE, live_since=NOW - 754)
    panel = window.console_page.panel
    panel._clock = lambda: NOW
    panel.update_from(panel.snapshot)
    assert panel.on_air.isVisible()
    assert panel.on_air_word.text() == "ON AIR"
    assert panel.elapsed.text() == "0:12:34"
    assert not panel.on_air_icon.pixmap().isNull()  # a shape, not colour alone
    assert panel.on_air_word.font().pointSizeF() >= 1.9 * panel.state_text.font().pointSizeF()
    assert panel.on_air.accessibleName() == "On air for 0:12:34"
    panel.update_from(snapshot(LiveState.LIVE_STOPPED))
    assert not panel.on_air.isVisible()


def test_the_tray_has_a_live_icon_of_its_own_and_counts_the_time_on_air(qtbot: QtBot) -> None:
    now = [NOW]
    tray = TrayIcon(is_available=lambda: False, confirm_quit=lambda titles: True, clock=lambda: now[0])
    tray.update_from([snapshot(LiveState.LIVE, live_since=NOW - 65)], None, NOW)
    others = {tray_icon(state).cacheKey() for state in TrayState if state is not TrayState.LIVE}
    assert tray.tray.icon().cacheKey() not in others
    assert "Quarterly town hall: ON AIR for 0:01:05" in tray.tray.toolTip()
    now[0] = NOW + 10
    with qtbot.waitSignal(tray.findChild(type(tray._elapsed_timer), "trayElapsedTimer").timeout, timeout=3000):
        pass
    assert "ON AIR for 0:01:15" in tray.tray.toolTip()
    tray.update_from([snapshot(LiveState.ENDED)], None, NOW)
    assert not tray._elapsed_timer.isActive()


# --- keyboard --------------------------------------------------------------------------------------


def test_go_live_shortcut_sends_the_big_button_s_intent(qtbot: QtBot) -> None:
    window, stub, _asked = console_window(qtbot, LiveState.IDLE)
    actions = window.console_page.shortcut_actions
    assert actions["go_live"].isEnabled() and not actions["stop_live"].isEnabled()
    QTest.keyClick(window, Qt.Key.Key_L, CTRL_SHIFT)
    assert stub.intents == [("go_live", "w1:0")]
    QTest.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)  # not live: nothing to stop
    assert stub.intents == [("go_live", "w1:0")]


def test_stop_live_shortcut_asks_first_like_the_button(qtbot: QtBot) -> None:
    window, stub, asked = console_window(qtbot, LiveState.LIVE, answers=[False, True, True], live_since=NOW)
    console = window.console_page
    assert console.shortcut_actions["stop_live"].isEnabled()
    assert not console.shortcut_actions["go_live"].isEnabled()
    QTest.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    assert asked == ["Quarterly town hall"] and stub.intents == []  # the presenter said no
    QTest.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    assert stub.intents == [("stop_live", "w1:0")]
    console.panel.big_button.click()  # the button asks the same question
    assert len(asked) == 3 and stub.intents[-1] == ("stop_live", "w1:0")


def test_chat_mute_and_back_to_live_shortcuts(qtbot: QtBot) -> None:
    window, stub, _asked = console_window(qtbot, LiveState.LIVE, live_since=NOW)
    console = window.console_page
    console.chat_button.setEnabled(True)
    console._render_shortcuts()
    QTest.keyClick(window, Qt.Key.Key_C, CTRL_SHIFT)
    assert stub.intents == [("open_chat", "w1:0")]
    muted = console.preview.is_muted()
    QTest.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)
    assert console.preview.is_muted() is not muted
    opens = console.preview.opens
    QTest.keyClick(window, Qt.Key.Key_B, CTRL_SHIFT)
    assert console.preview.opens == opens + 1


def test_without_a_stream_the_preview_keys_and_controls_do_nothing(qtbot: QtBot) -> None:
    window, _stub, _asked = console_window(qtbot, LiveState.IDLE)
    console = window.console_page
    preview = console.preview
    assert not preview.mute_button.isEnabled()
    assert not preview.volume_slider.isEnabled()
    assert not preview.back_to_live_button.isEnabled()
    assert not console.shortcut_actions["mute_preview"].isEnabled()
    muted = preview.is_muted()
    QTest.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)
    assert preview.is_muted() is muted
    preview.set_url(HLS)
    assert preview.mute_button.isEnabled() and preview.back_to_live_button.isEnabled()


def test_f1_opens_the_shortcuts_from_the_main_window(qtbot: QtBot) -> None:
    window, _stub, _asked = console_window(qtbot, LiveState.IDLE)
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()


# --- announcements ---------------------------------------------------------------------------------


def test_the_live_start_and_stop_are_announced_from_the_typed_events(qtbot: QtBot) -> None:
    window, _stub, _asked = console_window(qtbot, LiveState.LIVE, live_since=NOW)
    heard: list[announce.Announcement] = []
    announce.announcer.announced.connect(heard.append)
    try:
        console = window.console_page
        console._live_events("w1:0", (WentLive(restarted=False),))
        console._live_events("w1:0", (LiveStopped(LiveState.LIVE_STOPPED, Origin.PRESENTER, ""),))
    finally:
        announce.announcer.announced.disconnect(heard.append)
    assert [a.message for a in heard] == ["Quarterly town hall is live: the audience sees you.",
                                          "Quarterly town hall is no longer live."]
    assert all(a.politeness is announce.Politeness.ASSERTIVE for a in heard)


def test_a_burst_of_questions_is_announced_once(qtbot: QtBot) -> None:
    questions = QuestionAnnouncer(quiet_ms=50, longest_wait_ms=5000)
    heard: list[announce.Announcement] = []
    announce.announcer.announced.connect(heard.append)
    try:
        with qtbot.waitSignal(announce.announcer.announced, timeout=3000):
            for number in range(5):
                questions.add("Ada", f"Question {number}?")
        assert [a.message for a in heard] == ["New questions: 5. The latest, from Ada: Question 4?"]
        with qtbot.waitSignal(announce.announcer.announced, timeout=3000):
            questions.add("Grace", "Is it recorded?")
        assert heard[-1].message == "Question from Grace: Is it recorded?"
        assert len(heard) == 2
    finally:
        announce.announcer.announced.disconnect(heard.append)


# --- the calm first screen -----------------------------------------------------------------------


def test_an_empty_schedule_says_what_to_do_and_offers_it(qtbot: QtBot) -> None:
    window = MainWindow(vlc_loader=FakeVlc)
    qtbot.addWidget(window)
    webinars = window.console_page.webinars
    webinars.set_occurrences([])
    assert webinars.empty_hint.isVisibleTo(window.console_page)
    assert "Schedule a webinar" in webinars.empty_hint.text()
    with qtbot.waitSignal(webinars.new_requested, timeout=1000):
        webinars.schedule_button.click()


def test_the_console_counts_down_to_the_next_webinar(qtbot: QtBot) -> None:
    window = MainWindow(vlc_loader=FakeVlc)
    qtbot.addWidget(window)
    console = window.console_page
    console._clock = lambda: NOW
    assert console.next_label.isHidden()
    console.set_next_webinar(NextWebinar("Quarterly town hall", NOW + 754))
    assert console.next_label.text() == "Next: Quarterly town hall — in 0:12:34"
    assert not console.next_label.isHidden()
    assert countdown_text(NextWebinar("Late one", NOW - 120), NOW) == "Next: Late one — started 0:02:00 ago"
    console.set_next_webinar(None)
    assert console.next_label.isHidden()


def test_the_lab_is_said_once(qtbot: QtBot) -> None:
    import inspect

    from desktop.ui import controller

    window = MainWindow(lab=True, vlc_loader=FakeVlc)
    qtbot.addWidget(window)
    assert "nothing is saved" in window.console_page.lab_note.text()
    # the lab's start no longer sends a notification saying the same as the note
    assert "The lab is running" not in inspect.getsource(controller.WebinarController.start_lab)


def test_the_first_window_size_fits_a_1280_by_720_screen() -> None:
    available = QSize(1280, 720 - 32)  # a panel at the bottom
    size = first_size(QSize(1200, 760), available)
    assert size.height() + WINDOW_FRAME.height() <= available.height()
    assert size.width() == 1200
    assert first_size(QSize(800, 600), QSize(1920, 1080)) == QSize(800, 600)


def test_intents_allowed_are_what_the_keys_follow() -> None:
    live = snapshot(LiveState.LIVE)
    assert Intent.STOP_LIVE in live.allowed  # the stop shortcut is enabled from this


# --- tab order -------------------------------------------------------------------------------------


def focus_chain(top: QWidget) -> list[QWidget]:
    """The widgets Tab visits in ``top``, in order (walking ``nextInFocusChain``)."""
    found: list[QWidget] = []
    widget = top.nextInFocusChain()
    while widget is not top and len(found) < 500:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(top) and widget.isEnabled():
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


def visits_in_order(top: QWidget, expected: list[QWidget]) -> bool:
    chain = focus_chain(top)
    positions = [chain.index(widget) for widget in expected]
    return positions == sorted(positions)


def test_console_tab_order_follows_the_reading_order(qtbot: QtBot) -> None:
    window, _stub, _asked = console_window(qtbot, LiveState.LIVE, live_since=NOW)
    console = window.console_page
    console.chat_button.setEnabled(True)
    panel, preview, webinars = console.panel, console.preview, console.webinars
    expected = [console.settings_button, webinars.tree, webinars.new_button, webinars.refresh_button,
                panel.big_button, panel.end_button, console.chat_button, preview.mute_button,
                preview.back_to_live_button, console.health.events]
    assert visits_in_order(window, expected)
    assert console.panel_scroll not in focus_chain(window)


def test_editor_tab_order_goes_down_the_form_then_save(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop.config.settings import Settings
    from desktop.ui.webinar_editor import WebinarEditor

    editor = WebinarEditor(Settings.load(tmp_path / "settings.json"), "Europe/Paris")
    qtbot.addWidget(editor)
    expected = [editor.title_edit, editor.start_edit, editor.timezone_combo, editor.duration_spin,
                editor.freq_combo, editor.chat_enabled_box, editor.welcome_edit, editor.gateway_combo,
                editor.save_button]
    assert visits_in_order(editor, expected)


def test_editor_rows_are_named_by_their_labels(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop.config.settings import Settings
    from desktop.ui.webinar_editor import WebinarEditor

    editor = WebinarEditor(Settings.load(tmp_path / "settings.json"), "Europe/Paris")
    qtbot.addWidget(editor)
    assert editor.title_edit.accessibleName() == "Title"
    assert editor.duration_spin.accessibleName() == "Duration"
    assert editor.end_combo.accessibleName() == "Ends"


def test_recovery_tab_order_offers_the_recommended_choice_first(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.recovery_dialog import RecoveryDialog
    from desktop.webinar.journal import JournalEntry
    from desktop.webinar.recovery import Recommendation, Reconciliation
    from desktop.webinar.state import ChatPanel

    entry = JournalEntry(key="7:2", webinar_id=7, occurrence=2, meeting_id="m-7", title="Weekly lab meeting",
                         profile=None, gateway="gw1", room="r1", gw_id="g1", state=LiveState.LIVE,
                         chat_panel=ChatPanel.after_start(), live_since=NOW - 600, steps={}, failure=None,
                         updated_at=NOW - 60, pid=4242)
    dialog = RecoveryDialog([Reconciliation(entry, None, True, None, Recommendation.STOP, "Still streaming.")], None)
    qtbot.addWidget(dialog)
    row = dialog.rows["7:2"]
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    chain = focus_chain(dialog)
    assert chain[0] is row.buttons[Recommendation.STOP]
    assert visits_in_order(dialog, [row.buttons[Recommendation.STOP], row.buttons[Recommendation.RESUME], close])


def test_the_tray_s_stop_asks_the_same_question(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.controller import WebinarController
    from desktop.ui.shell import DesktopShell

    shell = DesktopShell(tray_available=lambda: False, confirm_quit=lambda titles: True, clock=lambda: NOW,
                         vlc_loader=FakeVlc)
    qtbot.addWidget(shell.window)
    controller = WebinarController()
    stops: list[str] = []
    monkeypatch.setattr(controller, "stop_live", stops.append)
    monkeypatch.setattr(controller, "snapshot_for", lambda key: snapshot(LiveState.LIVE, live_since=NOW))
    shell.attach(controller)
    replies = [False, True]
    shell.window.console_page.confirm_stop = lambda _parent, _title: replies.pop(0)
    shell.tray.stop_live_requested.emit("w1:0")
    assert stops == []  # the presenter said no
    shell.tray.stop_live_requested.emit("w1:0")
    assert stops == ["w1:0"]


def test_console_keys_are_inactive_on_the_welcome_page(qtbot: QtBot) -> None:
    window = MainWindow(vlc_loader=FakeVlc)
    qtbot.addWidget(window)
    window.show_page(Page.WELCOME)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    asked: list[str] = []
    window.console_page.webinars.refresh_requested.connect(lambda: asked.append("refresh"))
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert asked == []
    window.show_page(Page.CONSOLE)
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert asked == ["refresh"]


def test_non_obvious_controls_have_a_description(qtbot: QtBot) -> None:
    window = MainWindow(vlc_loader=FakeVlc)
    qtbot.addWidget(window)
    console = window.console_page
    for control in (console.panel.big_button, console.panel.chat_button, console.panel.restart_button,
                    console.panel.copy_link_button, console.preview.mute_button,
                    console.preview.back_to_live_button, console.chat_button, console.webinars.tree,
                    console.webinars.refresh_button):
        assert control.accessibleDescription(), control.objectName() or control.text()
