"""The editor's calendar actions: "Import invitation…" fills the form from an .ics (the invitation's
cancelled and changed occurrences kept for saving), "Add to my calendar…" saves the webinar as
an .ics that icalendar reads back with its exceptions and the audience link."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pytestqt.qtbot import QtBot

from desktop.config.settings import GatewayConfig, Settings
from desktop.schedule.ical_import import apply_overrides, read_invitation
from desktop.schedule.models import Frequency, OccurrenceOverride, Recurrence, Webinar
from desktop.schedule.occurrences import occurrences
from desktop.schedule.store import ScheduleStore
from desktop.ui.webinar_editor import WebinarEditor

FIXTURES = Path(__file__).resolve().parents[1] / "schedule" / "fixtures"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def settings(pupitre_home: Path) -> Settings:
    settings = Settings.load(pupitre_home / "settings.json")
    settings.put_gateway(GatewayConfig(name="gw1", kind="sipmediagw-legacy", url="https://gw.example.org",
                                       rtmp_url="rtmp://stream.example.org/live/w",
                                       hls_url="https://stream.example.org/hls/w.m3u8",
                                       audience_page_url="https://pod.example.org/live/w"))
    return settings


def test_an_invitation_fills_a_new_webinar(qtbot: QtBot, settings: Settings, tmp_path: Path) -> None:
    editor = WebinarEditor(settings, "Europe/Paris")
    qtbot.addWidget(editor)
    assert editor.import_button.isVisibleTo(editor)
    assert editor.import_invitation(FIXTURES / "outlook_weekly_series.ics")
    assert editor.title_edit.text() == "Séminaire doctoral"
    assert editor.timezone_combo.currentText() == "Europe/Paris"
    assert editor.duration_spin.value() == 90
    assert editor.freq_combo.currentData() == Frequency.WEEKLY
    assert [box.isChecked() for box in editor.weekday_boxes] == [False, True, False, False, False, False, False]
    assert editor.until_edit.date().toPython() == date(2026, 6, 2)
    assert [(o.index, o.cancelled) for o in editor.imported_overrides] == [(6, True), (9, False)]
    assert editor.import_note.isVisibleTo(editor)
    editor.try_accept()
    webinar = editor.result_webinar
    assert webinar is not None
    with ScheduleStore(tmp_path / "s.sqlite") as store:  # what the console does with the result
        saved = store.add(webinar)
        apply_overrides(store, saved.id, editor.imported_overrides)
        found = store.occurrences(saved.id)
    (expected,) = read_invitation((FIXTURES / "outlook_weekly_series.ics").read_bytes(), default_timezone="UTC")
    wanted = occurrences(expected.webinar, overrides=expected.overrides)
    assert [(o.start, o.duration, o.title, o.cancelled) for o in found] == \
        [(o.start, o.duration, o.title, o.cancelled) for o in wanted]


def test_a_damaged_invitation_is_one_sentence_and_changes_nothing(qtbot: QtBot, settings: Settings,
                                                                   tmp_path: Path) -> None:
    editor = WebinarEditor(settings, "Europe/Paris")
    qtbot.addWidget(editor)
    editor.title_edit.setText("Mine")
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"\x00\xff this is no calendar")
    assert not editor.import_invitation(bad)
    assert "not an iCalendar file" in editor.error_text("general")
    assert editor.title_edit.text() == "Mine" and editor.imported_overrides == []


def test_add_to_my_calendar_writes_the_series_with_its_exceptions(qtbot: QtBot, settings: Settings,
                                                                   tmp_path: Path) -> None:
    webinar = Webinar(id=3, title="Cours", start=datetime(2027, 3, 1, 10, tzinfo=PARIS), duration=timedelta(hours=1),
                      timezone="Europe/Paris", recurrence=Recurrence(freq=Frequency.WEEKLY, count=5))
    cancelled = OccurrenceOverride(webinar_id=3, index=2, cancelled=True)
    editor = WebinarEditor(settings, "Europe/Paris", webinar=webinar, overrides=[cancelled])
    qtbot.addWidget(editor)
    assert not editor.import_button.isVisibleTo(editor) and editor.calendar_button.isVisibleTo(editor)
    target = tmp_path / "cours.ics"
    assert editor.export_calendar(target)
    event = Calendar.from_ical(target.read_bytes()).walk("VEVENT")[0]
    assert event["UID"] == webinar.uid
    assert event["URL"] == "https://pod.example.org/live/w"
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=5;BYDAY=MO;WKST=MO"
    assert [d.dt for d in event["EXDATE"].dts] == [datetime(2027, 3, 15, 10, tzinfo=PARIS)]
    editor.title_edit.setText("")
    assert not editor.export_calendar(tmp_path / "nothing.ics")
    assert editor.error_text("title") and not (tmp_path / "nothing.ics").exists()
