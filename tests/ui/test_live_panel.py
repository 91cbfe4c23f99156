from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.live_panel import PENDING, TICK, TONE_LEVELS, LivePanel, Tone
from desktop.ui.theme import state_color
from desktop.webinar.state import ChatPanel, ChatPanelBasis, LiveState, Step
from tests.ui.builders import NOW, failed_snapshot, snapshot

EXPECTED = {
    LiveState.IDLE: ("Go live", Tone.GO),
    LiveState.ENDED: ("Go live", Tone.GO),
    LiveState.FAILED: ("Go live", Tone.GO),
    LiveState.CHECKING: ("Cancel", Tone.CANCEL),
    LiveState.CREATING: ("Cancel", Tone.CANCEL),
    LiveState.WAITING_FOR_PRESENTER: ("Cancel", Tone.CANCEL),
    LiveState.STARTING_GATEWAY: ("Cancel", Tone.CANCEL),
    LiveState.LIVE: ("Stop live", Tone.STOP),
    LiveState.LIVE_STOPPED: ("Start live again", Tone.RESUME),
    LiveState.STOPPING: ("Stopping…", Tone.BUSY),
}


def make_panel(qtbot: QtBot, clock: list[float] | None = None) -> LivePanel:
    clock = clock if clock is not None else [NOW]
    panel = LivePanel(clock=lambda: clock[0])
    qtbot.addWidget(panel)
    return panel


def test_every_state_has_an_expected_rendering() -> None:
    assert set(EXPECTED) == set(LiveState)


@pytest.mark.parametrize("state", list(LiveState))
def test_big_button_text_and_colour_follow_the_state(qtbot: QtBot, state: LiveState) -> None:
    panel = make_panel(qtbot)
    panel.update_from(snapshot(state))
    text, tone = EXPECTED[state]
    assert panel.big_button.text() == text
    assert panel.big_button.property("tone") == tone.value
    assert state_color(TONE_LEVELS[tone]).name() in panel.big_button.styleSheet()
    assert panel.big_button.isEnabled() == (tone is not Tone.BUSY)
    assert panel.end_button.text() == "End webinar"


@pytest.mark.parametrize(("state", "signal"), [
    (LiveState.IDLE, "go_live_requested"),
    (LiveState.FAILED, "go_live_requested"),
    (LiveState.CREATING, "cancel_requested"),
    (LiveState.LIVE, "stop_live_requested"),
    (LiveState.LIVE_STOPPED, "go_live_requested"),
])
def test_big_button_emits_the_intent_of_the_rendered_state(qtbot: QtBot, state: LiveState, signal: str) -> None:
    panel = make_panel(qtbot)
    panel.update_from(snapshot(state))
    others = [getattr(panel, name) for name in ("go_live_requested", "cancel_requested", "stop_live_requested")
              if name != signal]
    with qtbot.waitSignal(getattr(panel, signal), timeout=1000) as blocker:
        for other in others:
            other.connect(lambda *_: pytest.fail("wrong intent"))
        qtbot.mouseClick(panel.big_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["w1:0"]
    # clicking never changes the rendering by itself
    assert panel.big_button.text() == EXPECTED[state][0]


def test_no_snapshot_disables_everything(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.update_from(None)
    for button in (panel.big_button, panel.end_button, panel.reopen_join_button, panel.copy_link_button,
                   panel.restart_button, panel.chat_button):
        assert not button.isEnabled()
    assert panel.failure_box.isHidden()


def test_steps_get_ticks_times_and_the_one_in_progress(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.update_from(snapshot(LiveState.STARTING_GATEWAY, steps={
        Step.MEETING_CREATED: NOW - 120, Step.PRESENTER_JOINED: NOW - 30}))
    assert panel.step_ticks[Step.MEETING_CREATED].text() == TICK
    assert panel.step_times[Step.MEETING_CREATED].text() == "07:58:00"  # NOW is 08:00:00 UTC
    assert panel.step_ticks[Step.PRESENTER_JOINED].text() == TICK
    assert panel.step_ticks[Step.GATEWAY_STARTED].text() == PENDING
    assert panel.step_ticks[Step.STREAM_LIVE].text() == ""
    assert panel.step_times[Step.STREAM_LIVE].text() == ""
    panel.update_from(snapshot(LiveState.IDLE))
    assert all(panel.step_ticks[s].text() == "" for s in Step)


def test_failure_box_shows_sentence_and_hint(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.update_from(failed_snapshot())
    assert not panel.failure_box.isHidden()
    assert panel.failure_text.text() == "The gateway did not answer in 30 seconds."
    assert panel.failure_hint.text() == "Check its address."
    assert panel.end_button.isEnabled()  # the meeting was created: it can be ended
    panel.update_from(snapshot(LiveState.CHECKING))
    assert panel.failure_box.isHidden()


def test_failure_text_is_plain_not_html(qtbot: QtBot) -> None:
    from desktop.webinar.state import Failure

    panel = make_panel(qtbot)
    panel.update_from(snapshot(LiveState.FAILED, failure=Failure("x", "<b>boom</b> <img src=x>")))
    assert panel.failure_text.textFormat() == Qt.TextFormat.PlainText
    assert panel.failure_text.text() == "<b>boom</b> <img src=x>"


HIDE_REQUESTED = ChatPanel(False, ChatPanelBasis.REQUESTED)
SHOW_REQUESTED = ChatPanel(True, ChatPanelBasis.REQUESTED)


@pytest.mark.parametrize(("panel", "enabled", "checked", "text"), [
    (None, False, False, "Chat in the stream"),
    (ChatPanel.after_start(), True, True, "Chat in the stream: shown by default"),
    (HIDE_REQUESTED, True, False, "Chat in the stream: hiding requested"),
    (SHOW_REQUESTED, True, True, "Chat in the stream: showing requested"),
    (ChatPanel(False, ChatPanelBasis.CONFIRMED), True, False, "Chat hidden in the stream"),
    (ChatPanel(True, ChatPanelBasis.CONFIRMED), True, True, "Chat shown in the stream"),
])
def test_chat_toggle_renders_what_was_requested(qtbot: QtBot, panel: ChatPanel | None, enabled: bool,
                                                checked: bool, text: str) -> None:
    live = make_panel(qtbot)
    live.update_from(snapshot(LiveState.LIVE, chat_panel=panel))
    assert live.chat_button.isEnabled() == enabled
    assert live.chat_button.isChecked() == checked
    assert live.chat_button.text() == text


@pytest.mark.parametrize("panel", [HIDE_REQUESTED, SHOW_REQUESTED, ChatPanel.after_start()])
def test_an_unconfirmed_chat_panel_is_never_shown_as_a_fact(qtbot: QtBot, panel: ChatPanel) -> None:
    live = make_panel(qtbot)
    live.update_from(snapshot(LiveState.LIVE, chat_panel=panel))
    assert live.chat_button.text() not in ("Chat hidden in the stream", "Chat shown in the stream")
    assert "cannot confirm" in live.chat_button.toolTip() and "preview" in live.chat_button.toolTip()


def test_chat_toggle_asks_and_keeps_showing_the_requested_state(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.update_from(snapshot(LiveState.LIVE, chat_panel=HIDE_REQUESTED))
    with qtbot.waitSignal(panel.toggle_chat_requested, timeout=1000) as blocker:
        qtbot.mouseClick(panel.chat_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["w1:0", True]
    assert not panel.chat_button.isChecked()  # until the controller's next snapshot says otherwise
    assert panel.chat_button.text() == "Chat in the stream: hiding requested"
    panel.update_from(snapshot(LiveState.LIVE, chat_panel=SHOW_REQUESTED))
    assert panel.chat_button.isChecked()
    assert panel.chat_button.text() == "Chat in the stream: showing requested"


@pytest.mark.parametrize(("button", "signal"), [
    ("end_button", "end_requested"),
    ("reopen_join_button", "reopen_join_requested"),
    ("copy_link_button", "copy_audience_link_requested"),
    ("restart_button", "restart_live_requested"),
])
def test_secondary_buttons_emit_intents(qtbot: QtBot, button: str, signal: str) -> None:
    panel = make_panel(qtbot)
    panel.update_from(snapshot(LiveState.LIVE, audience_url="https://cdn.example/live.m3u8"))
    with qtbot.waitSignal(getattr(panel, signal), timeout=1000) as blocker:
        qtbot.mouseClick(getattr(panel, button), Qt.MouseButton.LeftButton)
    assert blocker.args == ["w1:0"]


def test_secondary_buttons_enabled_by_state(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.update_from(snapshot(LiveState.IDLE))
    assert not panel.end_button.isEnabled()
    assert not panel.reopen_join_button.isEnabled()
    assert not panel.restart_button.isEnabled()
    assert not panel.copy_link_button.isEnabled()  # no audience URL yet
    panel.update_from(snapshot(LiveState.LIVE_STOPPED, audience_url="https://cdn.example/a.m3u8"))
    assert panel.end_button.isEnabled() and panel.restart_button.isEnabled() and panel.copy_link_button.isEnabled()


def test_elapsed_time_ticks_from_live_since(qtbot: QtBot) -> None:
    clock = [NOW]
    panel = make_panel(qtbot, clock)
    panel.update_from(snapshot(LiveState.LIVE, live_since=NOW - 65))
    assert panel.elapsed.text() == "0:01:05"
    clock[0] = NOW + 3600
    qtbot.waitUntil(lambda: panel.elapsed.text() == "1:01:05", timeout=2500)  # the 1-s timer renders it
    panel.update_from(snapshot(LiveState.LIVE_STOPPED, live_since=NOW - 65))
    assert panel.elapsed.text() == ""
    assert not panel._tick.isActive()


def test_restart_keeps_the_clock_and_shows_restarting(qtbot: QtBot) -> None:
    panel = make_panel(qtbot)
    panel.update_from(snapshot(LiveState.STOPPING, restarting=True, live_since=NOW - 10))
    assert panel.big_button.text() == "Restarting…"
    assert not panel.big_button.isEnabled()
    assert panel.elapsed.text() == "0:00:10"
