"""An iCalendar invitation (``.ics`` from Pod, Moodle, Outlook, Thunderbird...) read into webinars.

Each event of the file (a ``VEVENT`` without ``RECURRENCE-ID``) becomes one
:class:`~desktop.schedule.models.Webinar`:

* ``SUMMARY`` is the title (line breaks become spaces, cut at 250 characters);
* ``DTSTART`` is the start, its ``TZID`` the time zone — an IANA name, or a Windows name as
  Outlook writes them ("Romance Standard Time"), which the ``icalendar`` library maps to IANA;
  a start in UTC is read in the calendar's ``X-WR-TIMEZONE`` (Google) when it has one, else in
  this computer's zone — except a *series* in UTC, which RFC 5545 repeats at the same UTC time
  and so stays in UTC; a start without zone ("floating") is read in this computer's zone;
* ``DTEND`` or ``DURATION`` gives the duration (one hour when the event has neither);
* ``RRULE`` becomes Pod's recurrence when Pod's fields can say the same thing (see
  :mod:`desktop.schedule.rules`); the rule Pupitre builds is then expanded next to the file's own
  RRULE (python-dateutil) and both must give the same dates, or the import stops with a sentence:
  a webinar is never imported on other days than the invitation's;
* ``EXDATE`` cancels occurrences, and each ``VEVENT`` with a ``RECURRENCE-ID`` becomes a change to
  one occurrence (its time, duration, title, or ``STATUS:CANCELLED``).

The file comes from someone else: its size is capped, any parse failure is one sentence
(:class:`CalendarFileError`), and nothing is written to the schedule before the whole file has
been read and every webinar validated.
"""

from __future__ import annotations

import itertools
import re
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule as du
from icalendar import Calendar, Component
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from desktop.errors import PupitreError
from desktop.i18n import _
from desktop.schedule.errors import ValidationError
from desktop.schedule.localtime import load_zone, resolve_local
from desktop.schedule.models import (
    COUNT_MAX,
    INTERVAL_MAX,
    MAX_DURATION,
    TITLE_MAX,
    Frequency,
    MonthlyType,
    OccurrenceOverride,
    Recurrence,
    Webinar,
)
from desktop.schedule.occurrences import series_starts
from desktop.schedule.rules import DAY_CODES, nth_of_month, series_rule
from desktop.schedule.store import ScheduleStore

__all__ = ["MAX_FILE_BYTES", "CalendarFileError", "ImportedWebinar", "add_to_schedule", "apply_overrides", "read_invitation"]

MAX_FILE_BYTES = 2 * 1024 * 1024  # an invitation is a few kilobytes; a calendar export a few hundred
MAX_EVENTS = 500
CHECKED_OCCURRENCES = 500
MAX_WALK = 20_000  # occurrences walked to find those a file cancels or changes (55 years of days)  # how many dates of the file's rule and Pupitre's are compared
DEFAULT_DURATION = timedelta(hours=1)
_SPACES = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_FREQUENCIES = {"DAILY": Frequency.DAILY, "WEEKLY": Frequency.WEEKLY, "MONTHLY": Frequency.MONTHLY,
                "YEARLY": Frequency.YEARLY}
# the RRULE parts Pod's fields can hold (others, such as BYHOUR or BYWEEKNO, cannot)
_KNOWN_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}


class CalendarFileError(PupitreError):
    """A calendar file cannot be read into webinars (not iCalendar, no event, a rule Pupitre
    cannot hold...); the sentence says which."""


@dataclass
class ImportedWebinar:
    """One event of the file, read: the webinar, its single-occurrence changes, and what was left out.

    Attributes:
        webinar: the series, validated, not saved (``id`` 0).
        overrides: EXDATE and RECURRENCE-ID changes, by occurrence number (``webinar_id`` 0).
        notes: sentences about what the file said that the webinar does not keep.
    """

    webinar: Webinar
    overrides: list[OccurrenceOverride] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_invitation(data: bytes, *, default_timezone: str) -> list[ImportedWebinar]:
    """Every event of the iCalendar ``data`` as a webinar, or :class:`CalendarFileError`."""
    if len(data) > MAX_FILE_BYTES:
        raise CalendarFileError(_("This calendar file is too large ({size} MB, at most {max} MB).").format(
            size=len(data) // (1024 * 1024), max=MAX_FILE_BYTES // (1024 * 1024)))
    try:
        calendars = Calendar.from_ical(data, multiple=True)
        events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
        # Google Calendar writes times in UTC and the calendar's zone in X-WR-TIMEZONE
        named = [str(calendar.get("X-WR-TIMEZONE", "")).strip() for calendar in calendars]
    except Exception:  # the parser raises ValueError, KeyError, IndexError... on hostile input
        raise CalendarFileError(_("This file is not an iCalendar file (.ics) that Pupitre can read.")) from None
    if not events:
        raise CalendarFileError(_("This calendar file holds no event."))
    calendar_zone = next((name for name in named if name and _known_zone(name)), None)
    if len(events) > MAX_EVENTS:
        raise CalendarFileError(_("This calendar file holds too many events ({count}, at most {max}).").format(
            count=len(events), max=MAX_EVENTS))
    masters: dict[str, Component] = {}
    exceptions: dict[str, list[Component]] = {}
    for event in events:
        uid = str(event.get("UID", "")) or f"no-uid-{len(masters)}"
        if event.get("RECURRENCE-ID") is not None:
            exceptions.setdefault(uid, []).append(event)
        elif uid not in masters:
            masters[uid] = event
    if not masters:
        raise CalendarFileError(_("This invitation changes one occurrence of a series that is not in the file: "
                                  "import the invitation to the whole series."))
    try:
        return [_read_event(uid, master, exceptions.get(uid, []), calendar_zone or default_timezone,
                            utc_series_zone=calendar_zone or "UTC")
                for uid, master in masters.items()]
    except CalendarFileError:
        raise
    except ValidationError as error:
        raise CalendarFileError(_("The invitation cannot become a webinar: {reason}").format(
            reason=error.sentence)) from None
    except Exception:  # a value of an unexpected type in a hostile file
        raise CalendarFileError(_("This file is not an iCalendar file (.ics) that Pupitre can read.")) from None


def _read_event(uid: str, event: Component, changes: Sequence[Component], default_timezone: str, *,
                utc_series_zone: str) -> ImportedWebinar:
    """``utc_series_zone``: the zone of a series written in UTC.  RFC 5545 repeats a UTC start at
    the same UTC time, so without a calendar zone (X-WR-TIMEZONE) such a series stays in UTC."""
    notes: list[str] = []
    title = _title(event)
    repeats = event.get("RRULE") is not None
    written = event.get("DTSTART")
    in_utc = written is not None and isinstance(written.dt, datetime) and written.dt.utcoffset() == timedelta(0) \
        and not str(written.params.get("TZID", "")).strip()
    zone_for_utc = utc_series_zone if repeats and in_utc else default_timezone
    start, timezone = _start(event, "DTSTART", zone_for_utc, title)
    tzid = str(event["DTSTART"].params.get("TZID", "")).strip()
    if tzid and timezone == default_timezone and tzid != default_timezone and _zone_name(None, tzid) is None:
        notes.append(_("“{title}”: the time zone “{tzid}” is not one Pupitre knows; its times are read in "
                       "{zone}.").format(title=title, tzid=tzid[:60], zone=default_timezone))
    duration = _duration(event, start, title)
    recurrence = None
    if event.get("RRULE") is not None:
        recurrence = _recurrence(event, start, timezone, title)
    for extra in ("RDATE",):
        if event.get(extra) is not None:
            notes.append(_("“{title}”: the extra dates of the invitation (RDATE) are left out.").format(title=title))
    webinar = Webinar(title=title, start=start, duration=duration, timezone=timezone, recurrence=recurrence,
                      uid=_uid(uid))
    webinar = webinar.normalized()
    overrides: dict[int, OccurrenceOverride] = {}
    excluded = _exdates(event, timezone)
    originals = [_start(change, "RECURRENCE-ID", timezone, title)[0] for change in changes]
    index_of = _SeriesIndex(webinar, [*excluded, *originals])
    for moment in excluded:
        index = index_of(moment)
        if index is None:
            notes.append(_("“{title}”: the cancelled date {date} is not an occurrence of the series.").format(
                title=title, date=moment.strftime("%Y-%m-%d %H:%M")))
        else:
            overrides[index] = OccurrenceOverride(webinar_id=0, index=index, cancelled=True)
    for change in changes:
        original, _zone = _start(change, "RECURRENCE-ID", timezone, title)
        index = index_of(original)
        if index is None:
            notes.append(_("“{title}”: the changed occurrence of {date} is not in the series.").format(
                title=title, date=original.strftime("%Y-%m-%d %H:%M")))
            continue
        override = _override(webinar, index, original, change, title)
        if not override.is_empty:
            overrides[index] = override
    for override in overrides.values():
        override.validate()
    return ImportedWebinar(webinar=webinar, overrides=[overrides[i] for i in sorted(overrides)], notes=notes)


def _title(event: Component) -> str:
    text = _SPACES.sub(" ", str(event.get("SUMMARY", ""))).strip()
    if len(text) > TITLE_MAX:
        text = text[:TITLE_MAX - 1].rstrip() + "…"
    return text if len(text) >= 2 else _("Imported webinar")


def _uid(uid: str) -> str:
    """The webinar's UUID: the event's own when it is one (a file Pupitre wrote), else derived from
    it, so that importing the same invitation twice is recognised."""
    try:
        return str(uuid.UUID(uid))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "ical-uid:" + uid))


def _start(event: Component, name: str, default_timezone: str, title: str) -> tuple[datetime, str]:
    """The moment of ``name`` (DTSTART, RECURRENCE-ID) and the IANA zone it is written in."""
    prop = event.get(name)
    value = prop.dt if prop is not None else None
    if not isinstance(value, datetime):
        if isinstance(value, date):
            raise CalendarFileError(_("“{title}” is an all-day event: a webinar needs a start time.").format(
                title=title))
        raise CalendarFileError(_("“{title}” has no start date and time.").format(title=title))
    tzid = str(prop.params.get("TZID", "")) if hasattr(prop, "params") else ""
    zone_name = _zone_name(value.tzinfo, tzid)
    if value.tzinfo is None or value.utcoffset() is None:  # floating time: the reader's own clock
        zone_name = default_timezone
        return resolve_local(value, load_zone(zone_name)), zone_name
    if zone_name is None or zone_name == "UTC":
        zone_name = default_timezone
    return value.astimezone(load_zone(zone_name)), zone_name


def _zone_name(zone: tzinfo | None, tzid: str) -> str | None:
    if isinstance(zone, ZoneInfo):
        return zone.key
    for candidate in (tzid, WINDOWS_TO_OLSON.get(tzid, "")):
        if candidate and _known_zone(candidate):
            return candidate
    return None


def _known_zone(name: str) -> bool:
    try:
        load_zone(name)
    except ValidationError:
        return False
    return True


def _duration(event: Component, start: datetime, title: str) -> timedelta:
    end = event.get("DTEND")
    if end is not None and isinstance(end.dt, datetime):
        end_value = end.dt if end.dt.tzinfo is not None else resolve_local(end.dt, start.tzinfo)  # type: ignore[arg-type]
        duration = end_value.astimezone(UTC) - start.astimezone(UTC)
    elif event.get("DURATION") is not None and isinstance(event.get("DURATION").dt, timedelta):
        duration = event.get("DURATION").dt
    else:
        return DEFAULT_DURATION
    minutes = round(duration.total_seconds() / 60)
    if minutes < 1 or timedelta(minutes=minutes) > MAX_DURATION:
        raise CalendarFileError(_("“{title}” lasts {minutes} minutes: a webinar lasts from 1 minute to 24 hours.").format(
            title=title, minutes=minutes))
    return timedelta(minutes=minutes)


def _recurrence(event: Component, start: datetime, timezone: str, title: str) -> Recurrence:
    rules = event.get("RRULE")
    if isinstance(rules, list):
        if len(rules) != 1:
            raise _cannot_hold(title, "; ".join(_rule_text(r) for r in rules))
        rules = rules[0]
    parts: dict[str, list[Any]] = {str(k).upper(): list(v) for k, v in rules.items()}
    text = _rule_text(rules)
    local = start.astimezone(load_zone(timezone))
    if set(parts) - _KNOWN_PARTS or len(parts.get("FREQ", [])) != 1 or parts["FREQ"][0] not in _FREQUENCIES:
        raise _cannot_hold(title, text)
    freq = _FREQUENCIES[parts["FREQ"][0]]
    interval = int(parts.get("INTERVAL", [1])[0])
    count = int(parts["COUNT"][0]) if "COUNT" in parts else None
    until = _until(parts["UNTIL"][0], local) if "UNTIL" in parts else None
    if not 1 <= interval <= INTERVAL_MAX or (count is not None and not 1 <= count <= COUNT_MAX):
        raise _cannot_hold(title, text)
    byday = [str(day).upper() for day in parts.get("BYDAY", [])]
    weekdays: frozenset[int] = frozenset()
    monthly_type = MonthlyType.DATE_DAY
    if freq == Frequency.WEEKLY:
        if any(day not in DAY_CODES for day in byday) or set(parts) & {"BYMONTHDAY", "BYMONTH", "BYSETPOS"}:
            raise _cannot_hold(title, text)
        weekdays = frozenset(DAY_CODES.index(day) for day in byday)
        if interval > 1 and str(parts.get("WKST", ["MO"])[0]).upper() != "MO" and len(weekdays) > 1:
            raise _cannot_hold(title, text)  # other weeks than Pod's Monday-to-Sunday ones
    elif freq == Frequency.MONTHLY:
        monthly_type = _monthly_type(parts, byday, local, title, text)
    elif freq == Frequency.YEARLY:
        if byday or parts.get("BYMONTH", [local.month]) != [local.month] or \
                parts.get("BYMONTHDAY", [local.day]) != [local.day] or "BYSETPOS" in parts:
            raise _cannot_hold(title, text)
    elif set(parts) & {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"}:
        raise _cannot_hold(title, text)
    if weekdays and local.weekday() not in weekdays:
        raise _cannot_hold(title, text)  # the first webinar is not on one of the series' days
    recurrence = Recurrence(freq=freq, interval=interval, weekdays=weekdays, monthly_type=monthly_type,
                            until=until, count=count)
    recurrence.validate(local)
    _check_same_dates(rules, recurrence, local, title, text)
    return recurrence


def _monthly_type(parts: dict[str, list[Any]], byday: list[str], local: datetime, title: str, text: str) -> MonthlyType:
    day_code = DAY_CODES[local.weekday()]
    nth = nth_of_month(local.date())
    if "BYMONTH" in parts:
        raise _cannot_hold(title, text)
    if not byday:
        if parts.get("BYMONTHDAY", [local.day]) != [local.day] or "BYSETPOS" in parts:
            raise _cannot_hold(title, text)
        return MonthlyType.DATE_DAY
    if "BYMONTHDAY" in parts or len(byday) != 1:
        raise _cannot_hold(title, text)
    # "3TU", or "TU" with BYSETPOS=3 (how some clients write "the third Tuesday")
    positions = [int(p) for p in parts.get("BYSETPOS", [])]
    wanted = byday[0] == f"{nth}{day_code}" or byday[0] == f"+{nth}{day_code}" or (
        byday[0] == day_code and positions == [nth])
    if not wanted:
        raise _cannot_hold(title, text)
    return MonthlyType.NTH_DAY


def _until(value: date | datetime, local: datetime) -> date:
    """The last local day of the series: UNTIL's day, or the day before when UNTIL falls before the
    webinar's time of day (Outlook writes UNTIL as the last start, others as the day's end)."""
    if not isinstance(value, datetime):
        return value
    wall = value if value.tzinfo is None else value.astimezone(local.tzinfo)
    if wall.time().replace(tzinfo=None) < local.time().replace(tzinfo=None):
        return wall.date() - timedelta(days=1)
    return wall.date()


def _until_wall(value: date | datetime, local: datetime) -> str:
    """UNTIL on the webinar's wall clock, for an expansion with a naive start."""
    if not isinstance(value, datetime):
        return value.strftime("%Y%m%dT235959")  # a date UNTIL includes that day
    wall = value if value.tzinfo is None else value.astimezone(local.tzinfo)
    return wall.strftime("%Y%m%dT%H%M%S")


def _check_same_dates(rules: Any, recurrence: Recurrence, local: datetime, title: str, text: str) -> None:
    """The file's RRULE, expanded by dateutil, and Pupitre's rule give the same first dates."""
    naive = local.replace(tzinfo=None, fold=0)
    theirs_text = rules.to_ical().decode("ascii", "replace")
    until = rules.get("UNTIL")
    theirs_text = re.sub(r"(^|;)UNTIL=[^;]*", "", theirs_text).strip(";")
    if until:
        theirs_text += ";UNTIL=" + _until_wall(until[0], local)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # COUNT with UNTIL: dateutil stops at the first
            theirs = du.rrulestr(theirs_text, dtstart=naive)
    except (ValueError, TypeError):
        raise _cannot_hold(title, text) from None
    mine = list(itertools.islice(series_rule(recurrence, local), CHECKED_OCCURRENCES))
    others = list(itertools.islice(theirs, CHECKED_OCCURRENCES))
    if mine != others:
        raise _cannot_hold(title, text)


def _rule_text(rule: Any) -> str:
    try:
        return str(rule.to_ical().decode("ascii", "replace"))[:200]
    except Exception:
        return "RRULE"


def _cannot_hold(title: str, text: str) -> CalendarFileError:
    return CalendarFileError(_("“{title}” repeats in a way Pupitre cannot hold ({rule}): Pupitre repeats daily, "
                               "weekly on chosen days, monthly on a date or a weekday, or yearly.").format(
        title=title, rule=text))


def _exdates(event: Component, timezone: str) -> list[datetime]:
    found: list[datetime] = []
    values = event.get("EXDATE")
    if values is None:
        return found
    for prop in values if isinstance(values, list) else [values]:
        for item in getattr(prop, "dts", []):
            moment = item.dt
            if isinstance(moment, datetime):
                zone = load_zone(timezone)
                found.append(resolve_local(moment, zone) if moment.tzinfo is None else moment.astimezone(zone))
            elif isinstance(moment, date):  # a date alone cancels that day's occurrence
                found.append(datetime.combine(moment, datetime.min.time(), tzinfo=load_zone(timezone)))
    return found


class _SeriesIndex:
    """Occurrence numbers by start, for the dates a file names (EXDATE, RECURRENCE-ID).

    The series is walked once, up to the latest date named and at most :data:`MAX_WALK`
    occurrences, so a hostile date in the year 9999 of a daily series costs nothing.
    """

    def __init__(self, webinar: Webinar, moments: Sequence[datetime]) -> None:
        self.zone = load_zone(webinar.timezone)
        self.by_instant: dict[datetime, int] = {}
        self.by_day: dict[date, int] = {}
        if not moments:
            return
        last_day = max(moment.astimezone(self.zone).date() for moment in moments)
        for index, start in itertools.islice(series_starts(webinar), MAX_WALK):
            if start.date() > last_day:
                break
            self.by_instant.setdefault(start.astimezone(UTC), index)
            self.by_day.setdefault(start.date(), index)

    def __call__(self, moment: datetime) -> int | None:
        """The occurrence that starts at ``moment`` (or on its local day for a date without time)."""
        found = self.by_instant.get(moment.astimezone(UTC))
        if found is None and moment.astimezone(self.zone).time() == datetime.min.time():
            found = self.by_day.get(moment.astimezone(self.zone).date())
        return found


def _override(webinar: Webinar, index: int, original: datetime, change: Component, title: str) -> OccurrenceOverride:
    override = OccurrenceOverride(webinar_id=0, index=index)
    if str(change.get("STATUS", "")).upper() == "CANCELLED":
        return replace(override, cancelled=True)
    if change.get("DTSTART") is not None:
        start, _zone = _start(change, "DTSTART", webinar.timezone, title)
        if start.astimezone(UTC) != original.astimezone(UTC):
            override = replace(override, start=start)
        duration = _duration(change, start, title)
        if duration != webinar.duration:
            override = replace(override, duration=duration)
    changed_title = _title(change)
    if change.get("SUMMARY") is not None and changed_title != webinar.title:
        override = replace(override, title=changed_title)
    return override


def add_to_schedule(store: ScheduleStore, imported: Sequence[ImportedWebinar]) -> list[Webinar]:
    """Save the webinars read from a file with their occurrence changes; returns them saved.

    A webinar already in the schedule (the same invitation imported before) stops the import before
    anything is written.
    """
    known = {webinar.uid for webinar in store.webinars()}
    for item in imported:
        if item.webinar.uid in known:
            raise CalendarFileError(_("“{title}” is already in the schedule (this invitation was imported "
                                      "before).").format(title=item.webinar.title))
    saved: list[Webinar] = []
    for item in imported:
        webinar = store.add(item.webinar)
        apply_overrides(store, webinar.id, item.overrides)
        saved.append(webinar)
    return saved


def apply_overrides(store: ScheduleStore, webinar_id: int, overrides: Sequence[OccurrenceOverride]) -> None:
    """Store an imported invitation's cancelled and changed occurrences for the saved webinar."""
    for change in overrides:
        store.edit_occurrence(webinar_id, change.index, start=change.start, duration=change.duration,
                              title=change.title, cancelled=True if change.cancelled else None)
