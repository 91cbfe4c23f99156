"""The views render the session's events; none diffs snapshots or guesses who stopped a live."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from pytestqt.qtbot import QtBot

from desktop.cli.commands.webinar import Progress
from desktop.ui.controller import STREAM_PROBLEM_INTERVAL, WebinarController
from desktop.ui.live_panel import LivePanel
from desktop.ui.tray import TrayIcon
from desktop.webinar.events import (
    ChatPanelChanged,
    HealthChanged,
    LiveEvent,
    LiveFailed,
    LiveStopped,
    LiveUpdate,
    Notice,
    Origin,
    StateChanged,
    StepReached,
    WentLive,
)
from desktop.webinar.state import ChatPanel, ChatPanelBasis, Health, HealthRow, LiveState, Step
from tests.ui.builders import NOW, bad_health, failed_snapshot, snapshot

BAD = HealthRow(Health.BAD, "The audience stream stopped advancing 20 s ago.")
GOOD = HealthRow(Health.GOOD, "Live.")


def notifications(controller: WebinarController, update: LiveUpdate) -> list[tuple[str, str, str]]:
    seen: list[tuple[str, str, str]] = []
    controller.notification_requested.connect(lambda kind, title, text: seen.append((kind, title, text)))
    controller._on_update(update)
    return seen


@pytest.mark.parametrize(("event", "expected"), [
    (WentLive(restarted=False), [("info", "Live: Quarterly town hall", "The audience stream is live.")]),
    (LiveFailed(failed_snapshot().failure),  # type: ignore[arg-type]
     [("error", "Quarterly town hall: the live failed", "The gateway did not answer in 30 seconds.")]),
    (LiveStopped(LiveState.ENDED, Origin.PRESENTER, "The webinar has ended."), []),
    (LiveStopped(LiveState.LIVE_STOPPED, Origin.OTHER_PROCESS, "The live is stopped; the meeting goes on."),
     [("info", "Quarterly town hall: live stopped", "Stopped from another Pupitre process (the pupitre command).")]),
    (LiveStopped(LiveState.ENDED, Origin.AUTO_STOP, "The meeting ended, so the live was stopped automatically."),
     [("warning", "Quarterly town hall: live stopped", "The meeting ended, so the live was stopped automatically.")]),
    (LiveStopped(LiveState.ENDED, Origin.SCHEDULED_END, "The webinar has ended."),
     [("warning", "Quarterly town hall: live stopped", "The webinar has ended.")]),
    (HealthChanged("stream", BAD, GOOD, incident=True),
     [("warning", "Quarterly town hall: stream problem", BAD.text)]),
    (HealthChanged("stream", BAD, GOOD, incident=False), []),  # not live: no alarm
    (Notice("The webinar is scheduled to end in 5 min."), []),
])
def test_the_controller_notifies_from_events(qtbot: QtBot, event: LiveEvent, expected: list) -> None:
    controller = WebinarController(monotonic=lambda: 1000.0)
    assert notifications(controller, LiveUpdate(snapshot(LiveState.LIVE), (event,))) == expected


def test_a_stream_problem_is_notified_at_most_once_per_interval(qtbot: QtBot) -> None:
    clock = [1000.0]
    controller = WebinarController(monotonic=lambda: clock[0])
    update = LiveUpdate(snapshot(LiveState.LIVE, health=bad_health()), (HealthChanged("stream", BAD, GOOD, True),))
    assert len(notifications(controller, update)) == 1
    clock[0] += STREAM_PROBLEM_INTERVAL / 2
    assert notifications(controller, update) == []
    clock[0] += STREAM_PROBLEM_INTERVAL
    assert len(notifications(controller, update)) == 1


def test_the_controller_forwards_events_after_the_snapshot(qtbot: QtBot) -> None:
    controller = WebinarController()
    order: list[str] = []
    controller.snapshot_changed.connect(lambda key, snap: order.append(f"snapshot {key}"))
    controller.live_events.connect(lambda key, events: order.append(f"events {key} {len(events)}"))
    controller._on_update(LiveUpdate(snapshot(LiveState.LIVE), (StateChanged(LiveState.STARTING_GATEWAY,
                                                                              LiveState.LIVE), WentLive(False))))
    controller._on_update(LiveUpdate(snapshot(LiveState.LIVE)))  # a refreshed field: nothing happened
    assert order == ["snapshot w1:0", "events w1:0 2", "snapshot w1:0"]


def test_the_cli_prints_the_events_it_is_given() -> None:
    progress = Progress(as_json=False)
    live = snapshot(LiveState.LIVE)
    out = io.StringIO()
    with redirect_stdout(out):
        progress.update(LiveUpdate(live, (
            StateChanged(LiveState.STARTING_GATEWAY, LiveState.LIVE), StepReached(Step.STREAM_LIVE, NOW),
            Notice("The webinar is live."), ChatPanelChanged(ChatPanel(False, ChatPanelBasis.REQUESTED)),
            HealthChanged("stream", GOOD, BAD))))
        progress.update(LiveUpdate(live))  # nothing happened: nothing printed
    lines = [line.split("] ", 1)[1] for line in out.getvalue().splitlines()]
    assert lines == ["Quarterly town hall: live", "  ✓ audience stream live", "  The webinar is live.",
                     "  chat panel: hide requested (not confirmed: check the preview)",
                     "  stream: good — Live."]




def test_the_cli_json_lines_stay_one_snapshot_per_update() -> None:
    progress = Progress(as_json=True)
    out = io.StringIO()
    with redirect_stdout(out):
        progress.update(LiveUpdate(snapshot(LiveState.LIVE), (WentLive(False),)))
        progress.update(LiveUpdate(snapshot(LiveState.LIVE)))
    assert len(out.getvalue().splitlines()) == 2 and '"state": "live"' in out.getvalue()


def test_buttons_and_tray_enable_from_the_allowed_intents(qtbot: QtBot) -> None:
    panel = LivePanel()
    qtbot.addWidget(panel)
    # failed after the meeting was created: go live, restart and end are offered
    panel.update_from(failed_snapshot())
    assert panel.big_button.isEnabled() and panel.restart_button.isEnabled() and panel.end_button.isEnabled()
    # failed before any meeting: only go live
    panel.update_from(snapshot(LiveState.FAILED))
    assert panel.big_button.isEnabled() and not panel.restart_button.isEnabled()
    assert not panel.end_button.isEnabled()
    # in the middle of a restart the tray still says the live is on air, but offers no second stop
    tray = TrayIcon(is_available=lambda: False, confirm_quit=lambda titles: True)
    tray.update_from([snapshot(LiveState.STOPPING, restarting=True)], None, NOW)
    tray.menu.aboutToShow.emit()
    actions = {a.objectName(): a.isEnabled() for a in tray.menu.actions() if a.objectName()}
    assert actions["stop_live"] is False and actions["end"] is True
