"""The console's *Record the live* switch drives the workspace's recordings and shows the status."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.config.settings import Settings
from desktop.net.http import HttpOptions
from desktop.recording.recorder import RecordingState, RecordingStatus
from desktop.recording.service import LiveRecordings
from desktop.ui.recording_switch import RecordingSwitch


def recordings(**preferences: object) -> LiveRecordings:
    return LiveRecordings(Settings(preferences=dict(preferences)), lambda name: ("", HttpOptions()))


def test_the_switch_follows_the_setting_and_drives_the_recordings(qtbot: QtBot) -> None:
    switch = RecordingSwitch()
    qtbot.addWidget(switch)
    assert not switch.check.isEnabled()  # no workspace yet
    assert switch.check.accessibleName() == "Record the live" and switch.check.accessibleDescription()
    service = recordings(record_live=True)
    switch.bind(service)
    assert switch.check.isEnabled() and switch.check.isChecked()
    switch.check.setChecked(False)
    assert service.enabled is False
    switch.check.setChecked(True)
    assert service.enabled is True


def test_the_status_line_shows_the_selected_webinars_recording(qtbot: QtBot, tmp_path: Path) -> None:
    switch = RecordingSwitch()
    qtbot.addWidget(switch)
    service = recordings()
    switch.bind(service)
    switch.show_key("1:0")
    assert switch.status.isHidden()
    path = tmp_path / "2026-03-29 09-05 Cours.mkv"
    service._changed("2:0", RecordingStatus(path=path, seconds=5))  # another webinar: not shown
    assert switch.status.isHidden()
    service._changed("1:0", RecordingStatus(path=path, seconds=125.4, chapters=2))
    assert switch.status.text() == "Recording into “2026-03-29 09-05 Cours.mkv”: 2 min 05 s, 2 chapter(s)."
    assert switch.status.toolTip() == str(path)
    warning = "Recording stopped: the disk of /x has only 1.9 GB free (Pupitre keeps 2.0 GB free)."
    service._changed("1:0", RecordingStatus(path=path, state=RecordingState.STOPPED_DISK_FULL, warning=warning))
    assert switch.status.text() == warning
    service._changed("1:0", RecordingStatus(path=path, state=RecordingState.FINISHED, seconds=9))
    assert switch.status.text() == "Recorded into “2026-03-29 09-05 Cours.mkv”."
    switch.bind(None)
    assert not switch.check.isEnabled() and switch.status.isHidden()
