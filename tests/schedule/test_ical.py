"""iCalendar export and import (RFC 5545).

* Export then expansion by other code (``icalendar`` parses, ``recurring-ical-events`` expands)
  gives Pupitre's own occurrences, over random Pod recurrences in zones with DST (property test).
* Invitations shaped like Outlook's, Thunderbird's and Moodle's become the right webinars.  The
  fixtures in ``fixtures/*.ics`` were written by hand for these tests (each says so in an
  ``X-PUPITRE-FIXTURE`` line); they copy the shape of those clients' files, not real files.
* Hostile or unsupported files end in one sentence and write nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from desktop.schedule.ical_export import calendar_bytes
from desktop.schedule.ical_import import (
    MAX_FILE_BYTES,
    CalendarFileError,
    add_to_schedule,
    read_invitation,
)
from desktop.schedule.models import Frequency, MonthlyType, OccurrenceOverride, Recurrence, Webinar
from desktop.schedule.occurrences import occurrences
from desktop.schedule.store import ScheduleStore
from tests.schedule.test_schedule_properties import webinars

FIXTURES = Path(__file__).parent / "fixtures"
PARIS = ZoneInfo("Europe/Paris")


def _expanded(data: bytes) -> list[tuple[datetime, timedelta, str]]:
    calendar = Calendar.from_ical(data)
    found = recurring_ical_events.of(calendar).all()
    return sorted((event["DTSTART"].dt.astimezone(UTC), event["DTEND"].dt - event["DTSTART"].dt, str(event["SUMMARY"]))
                  for event in found)


def _pupitre(webinar: Webinar, changes: list[OccurrenceOverride]) -> list[tuple[datetime, timedelta, str]]:
    return sorted((o.start.astimezone(UTC), o.duration, o.title)
                  for o in occurrences(webinar, overrides=changes, include_cancelled=False))


@st.composite
def webinars_with_changes(draw: st.DrawFn) -> tuple[Webinar, list[OccurrenceOverride]]:
    webinar = draw(webinars())
    count = len(occurrences(webinar))
    changes: dict[int, OccurrenceOverride] = {}
    for index in draw(st.lists(st.integers(0, count - 1), max_size=4, unique=True)):
        if draw(st.booleans()):
            changes[index] = OccurrenceOverride(webinar_id=1, index=index, cancelled=True)
        else:
            shift = timedelta(minutes=draw(st.integers(-600, 600)))
            base = occurrences(webinar)[index].start
            changes[index] = OccurrenceOverride(webinar_id=1, index=index, start=base + shift,
                                                duration=timedelta(minutes=draw(st.integers(1, 300))),
                                                title=draw(st.sampled_from([None, "Changed"])))
    return webinar, list(changes.values())


@settings(max_examples=120, deadline=None)
@given(webinars_with_changes())
def test_an_exported_calendar_expands_to_pupitres_occurrences(case: tuple[Webinar, list[OccurrenceOverride]]) -> None:
    webinar, changes = case
    data = calendar_bytes([(webinar, changes, "https://pod.example/live/x")])
    assert _expanded(data) == _pupitre(webinar, changes)


def test_dst_weeks_in_paris_keep_the_wall_clock() -> None:
    """A weekly 10:00 across the March and October changes: 09:00 UTC in winter, 08:00 in summer."""
    webinar = Webinar(id=1, title="Cours", start=datetime(2026, 3, 16, 10, tzinfo=PARIS), duration=timedelta(hours=2),
                      timezone="Europe/Paris", recurrence=Recurrence(freq=Frequency.WEEKLY, until=date(2026, 11, 2)))
    expanded = _expanded(calendar_bytes([(webinar, [], None)]))
    assert expanded == _pupitre(webinar, [])
    hours = [start.hour for start, _, _ in expanded]
    assert hours[:2] == [9, 9] and hours[2] == 8 and hours[-1] == 9
    assert all(duration == timedelta(hours=2) for _, duration, _ in expanded)


def test_the_export_carries_zone_uid_and_audience_link() -> None:
    webinar = Webinar(id=1, title="Cours", start=datetime(2026, 3, 16, 10, tzinfo=PARIS), duration=timedelta(hours=1),
                      timezone="Europe/Paris", recurrence=Recurrence(freq=Frequency.MONTHLY, count=3,
                                                                     monthly_type=MonthlyType.NTH_DAY))
    data = calendar_bytes([(webinar, [], "https://pod.example/live/abc")])
    calendar = Calendar.from_ical(data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    event = calendar.walk("VEVENT")[0]
    assert event["UID"] == webinar.uid
    assert event["URL"] == "https://pod.example/live/abc"
    assert "https://pod.example/live/abc" in event["DESCRIPTION"]
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;COUNT=3;BYDAY=3MO"
    assert calendar_bytes([(webinar, [], None)], now=datetime(2026, 1, 1, tzinfo=UTC)) == \
        calendar_bytes([(webinar, [], None)], now=datetime(2026, 1, 1, tzinfo=UTC))


def _read(name: str) -> list:
    return read_invitation((FIXTURES / name).read_bytes(), default_timezone="Europe/Paris")


def test_an_outlook_series_with_a_cancelled_and_a_moved_session() -> None:
    (item,) = _read("outlook_weekly_series.ics")
    webinar = item.webinar
    assert webinar.title == "Séminaire doctoral"
    assert webinar.timezone == "Europe/Paris"  # Outlook's "Romance Standard Time"
    assert webinar.start == datetime(2026, 3, 3, 10, tzinfo=PARIS)
    assert webinar.duration == timedelta(minutes=90)
    assert webinar.recurrence == Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({1}), until=date(2026, 6, 2))
    found = occurrences(webinar, overrides=item.overrides)
    assert len(found) == 14 and found[-1].start == datetime(2026, 6, 2, 10, tzinfo=PARIS)
    assert found[6].cancelled and found[6].start.date() == date(2026, 4, 14)
    moved = found[9]
    assert moved.start == datetime(2026, 5, 5, 14, tzinfo=PARIS) and moved.duration == timedelta(hours=2)
    assert moved.title == "Séminaire doctoral (exceptionnellement l’après-midi)"
    assert item.notes == []


def test_a_thunderbird_monthly_series_on_the_third_thursday() -> None:
    (item,) = _read("thunderbird_monthly_nth.ics")
    webinar = item.webinar
    assert webinar.uid == "6b1c0a8e-3c2f-4d1e-9a7b-5f4e3d2c1b0a"
    assert webinar.recurrence == Recurrence(freq=Frequency.MONTHLY, monthly_type=MonthlyType.NTH_DAY, count=6)
    found = occurrences(webinar, overrides=item.overrides, include_cancelled=False)
    assert [o.start.date() for o in found] == [date(2026, 1, 15), date(2026, 3, 19), date(2026, 4, 16),
                                               date(2026, 5, 21), date(2026, 6, 18)]
    assert all(o.start.hour == 14 for o in found)


def test_moodle_events_in_utc_become_webinars_in_the_local_zone() -> None:
    first, second = _read("moodle_course_events.ics")
    assert first.webinar.title == "Classe virtuelle : révisions"
    assert first.webinar.start == datetime(2026, 10, 12, 10, tzinfo=PARIS)
    assert first.webinar.timezone == "Europe/Paris" and first.webinar.recurrence is None
    assert second.webinar.start == datetime(2026, 11, 2, 10, tzinfo=PARIS)
    assert second.webinar.duration == timedelta(hours=2)


def test_an_export_imports_back_to_the_same_occurrences(tmp_path: Path) -> None:
    webinar = Webinar(id=1, title="Cours", start=datetime(2026, 10, 20, 2, 30, tzinfo=PARIS), duration=timedelta(hours=1),
                      timezone="Europe/Paris",
                      recurrence=Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({1, 6}), interval=2, count=9))
    changes = [OccurrenceOverride(webinar_id=1, index=2, cancelled=True),
               OccurrenceOverride(webinar_id=1, index=4, title="Autre titre")]
    (item,) = read_invitation(calendar_bytes([(webinar, changes, None)]), default_timezone="UTC")
    assert item.webinar.uid == webinar.uid and item.webinar.recurrence == webinar.recurrence
    assert _pupitre(item.webinar, item.overrides) == _pupitre(webinar, changes)
    with ScheduleStore(tmp_path / "s.sqlite") as store:
        (saved,) = add_to_schedule(store, [item])
        assert _pupitre(saved, store.overrides(saved.id)) == _pupitre(webinar, changes)
        with pytest.raises(CalendarFileError, match="already in the schedule"):
            add_to_schedule(store, [item])
        assert len(store.webinars()) == 1


EVENT = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Talk\r\n"
         "DTSTART;TZID=Europe/Paris:20260105T100000\r\nDURATION:PT1H\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.mark.parametrize(("data", "sentence"), [
    (b"\x00\xff garbage", "not an iCalendar file"),
    (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "holds no event"),
    (b"x" * (MAX_FILE_BYTES + 1), "too large"),
    (EVENT.format(extra="RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1\r\n").encode(), "cannot hold"),
    (EVENT.format(extra="RRULE:FREQ=DAILY;BYHOUR=9,14\r\n").encode(), "cannot hold"),
    (EVENT.format(extra="RRULE:FREQ=WEEKLY;BYDAY=TU,TH\r\n").encode(), "cannot hold"),  # start is a Monday
    (EVENT.format(extra="RRULE:FREQ=SECONDLY\r\n").encode(), "cannot hold"),
    (EVENT.replace("DTSTART;TZID=Europe/Paris:20260105T100000", "DTSTART;VALUE=DATE:20260105").format(extra="").encode(),
     "all-day"),
    (EVENT.replace("BEGIN:VEVENT\r\n", "BEGIN:VEVENT\r\nRECURRENCE-ID:20260105T090000Z\r\n").format(extra="").encode(),
     "series that is not in the file"),
    (EVENT.replace("PT1H", "P3D").format(extra="").encode(), "from 1 minute to 24 hours"),
])
def test_a_hostile_or_unsupported_file_is_one_sentence(tmp_path: Path, data: bytes, sentence: str) -> None:
    with pytest.raises(CalendarFileError) as caught:
        read_invitation(data, default_timezone="Europe/Paris")
    assert sentence in caught.value.sentence
    assert "\n" not in caught.value.sentence


def test_control_characters_and_long_titles_are_tamed() -> None:
    data = EVENT.replace("SUMMARY:Talk", "SUMMARY:A\\nB\x1b[2J" + "x" * 400).format(extra="").encode()
    (item,) = read_invitation(data, default_timezone="UTC")
    assert "\n" not in item.webinar.title and "\x1b" not in item.webinar.title
    assert len(item.webinar.title) == 250
    assert item.webinar.timezone == "Europe/Paris"


@pytest.mark.parametrize("start", [datetime(2026, 3, 15, 2, 30), datetime(2026, 10, 18, 2, 30),
                                   datetime(2026, 10, 18, 2, 30, fold=1)])
def test_times_that_do_not_exist_or_exist_twice_expand_alike(start: datetime) -> None:
    """02:30 on the last Sunday of March does not exist in Paris, on the last of October it exists twice."""
    webinar = Webinar(id=1, title="Nuit", start=start.replace(tzinfo=PARIS), duration=timedelta(minutes=45),
                      timezone="Europe/Paris", recurrence=Recurrence(freq=Frequency.WEEKLY, count=4))
    assert _expanded(calendar_bytes([(webinar, [], None)])) == _pupitre(webinar, [])


def test_a_far_away_exception_of_an_endless_series_is_a_note_not_a_hang() -> None:
    extra = "RRULE:FREQ=DAILY\r\nEXDATE;TZID=Europe/Paris:99991230T100000\r\nEXDATE;TZID=Europe/Paris:20260107T100000\r\n"
    (item,) = read_invitation(EVENT.format(extra=extra).encode(), default_timezone="UTC")
    assert item.webinar.recurrence == Recurrence(freq=Frequency.DAILY)
    assert [(o.index, o.cancelled) for o in item.overrides] == [(2, True)]
    assert len(item.notes) == 1 and "9999-12-30" in item.notes[0]


def test_a_google_calendar_in_utc_is_read_in_its_own_zone() -> None:
    data = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
            b"X-WR-TIMEZONE:America/Montreal\r\nBEGIN:VEVENT\r\nUID:g1@google.com\r\nSUMMARY:Webinaire\r\n"
            b"DTSTART:20260105T150000Z\r\nDTEND:20260105T160000Z\r\nRRULE:FREQ=WEEKLY;COUNT=20;BYDAY=MO\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n")  # written for this test, shaped like a Google export
    (item,) = read_invitation(data, default_timezone="Europe/Paris")
    assert item.webinar.timezone == "America/Montreal"
    found = occurrences(item.webinar)
    assert {o.start.hour for o in found} == {10}  # 10:00 in Montreal before and after the March change


def test_an_unknown_zone_is_read_in_the_default_one_with_a_note() -> None:
    data = EVENT.replace("Europe/Paris", "Mars/Olympus_Mons").replace(
        "BEGIN:VEVENT", "BEGIN:VTIMEZONE\r\nTZID:Mars/Olympus_Mons\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT").format(extra="")
    (item,) = read_invitation(data.encode(), default_timezone="UTC")
    assert item.webinar.timezone == "UTC"
    assert item.webinar.start == datetime(2026, 1, 5, 7, tzinfo=ZoneInfo("UTC"))
    assert len(item.notes) == 1 and "Mars/Olympus_Mons" in item.notes[0]


def test_a_series_written_in_utc_without_a_calendar_zone_stays_in_utc() -> None:
    """RFC 5545 repeats a UTC start at the same UTC time: across DST the local time moves."""
    data = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:Cours\r\n"
            b"DTSTART:20260316T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    (item,) = read_invitation(data, default_timezone="Europe/Paris")
    assert item.webinar.timezone == "UTC"
    assert [o.start.astimezone(UTC).hour for o in occurrences(item.webinar)] == [9, 9, 9]
