"""Reading what people type: durations, days of the week, dates and times.

Shared by the CLI and the schedule dialog, so both accept the same spellings and answer with the
same sentences.  Every failure is a :class:`~desktop.schedule.errors.ValidationError` naming the
field.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from desktop.i18n import N_, _
from desktop.schedule.errors import ValidationError
from desktop.schedule.localtime import load_zone, resolve_local

_MINUTES_RE = re.compile(r"^(\d{1,5})\s*(?:m|min|mins|minutes?)?$")
_HOURS_RE = re.compile(r"^(\d{1,3})\s*h(?:\s*(\d{1,2})\s*(?:m|min)?)?$")
_CLOCK_RE = re.compile(r"^(\d{1,3}):(\d{2})$")

_DURATION_HELP = N_("Write minutes (90), hours and minutes (1h30, 1h, 45m) or h:mm (1:30).")

WEEKDAY_SPELLINGS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _name in (*_names, str(_number)):
        WEEKDAY_SPELLINGS[_name] = _number


def parse_duration(text: str) -> timedelta:
    """``"90"``, ``"45m"``, ``"1h"``, ``"1h30"``, ``"1h30m"``, ``"1:30"`` -> a timedelta.

    A bare number is minutes (BBB counts durations in minutes).  Range limits (1 min to 24 h)
    are the model's job; this only refuses what cannot be read, and zero.
    """
    cleaned = text.strip().lower()
    minutes: int | None = None
    if match := _MINUTES_RE.match(cleaned):
        minutes = int(match[1])
    elif match := _HOURS_RE.match(cleaned):
        extra = int(match[2] or 0)
        if extra >= 60:
            raise ValidationError(
                "duration", _("“{text}”: the minutes after the hours must be below 60.").format(text=text))
        minutes = int(match[1]) * 60 + extra
    elif match := _CLOCK_RE.match(cleaned):
        if int(match[2]) >= 60:
            raise ValidationError(
                "duration", _("“{text}”: the minutes after the colon must be below 60.").format(text=text))
        minutes = int(match[1]) * 60 + int(match[2])
    if minutes is None:
        raise ValidationError("duration", _("“{text}” is not a duration.").format(text=text), hint=_(_DURATION_HELP))
    if minutes == 0:
        raise ValidationError("duration", _("A webinar must last at least one minute."))
    return timedelta(minutes=minutes)


def parse_weekdays(text: str) -> frozenset[int]:
    """``"mon,wed"`` (or ``"monday wednesday"``, or ``"0,2"``) -> ``{0, 2}`` with Monday = 0."""
    days: set[int] = set()
    for word in re.split(r"[\s,;]+", text.strip().lower()):
        if not word:
            continue
        if word not in WEEKDAY_SPELLINGS:
            raise ValidationError(
                "weekdays", _("“{word}” is not a day of the week.").format(word=word),
                hint=_("Use mon, tue, wed, thu, fri, sat, sun."),
            )
        days.add(WEEKDAY_SPELLINGS[word])
    if not days:
        raise ValidationError("weekdays", _("Name at least one day of the week (for example mon,wed)."))
    return frozenset(days)


def parse_datetime_text(text: str) -> datetime:
    """ISO 8601 date and time, with or without an offset; naive when there is none.

    ``"2026-12-01T10:00+01:00"``, ``"2026-12-01T10:00Z"``, ``"2026-12-01 10:00"``.  A date alone
    is refused: a webinar needs a time.
    """
    cleaned = text.strip()
    if cleaned.endswith(("z", "Z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        value = None
    if value is None or not re.search(r"\d[T ]\d", cleaned, re.IGNORECASE):
        raise ValidationError(
            "start",
            _("“{text}” is not a date and time.").format(text=text),
            hint=_("Write it as 2026-12-01T10:00, or 2026-12-01T10:00+01:00 with an offset."),
        )
    return value


def resolve_datetime(value: datetime, timezone: str) -> datetime:
    """An aware datetime: kept as is if it has an offset, else read as wall time in ``timezone``."""
    zone = load_zone(timezone)
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(zone)
    return resolve_local(value, zone)


def parse_date(text: str, field: str = "until") -> date:
    """``"2026-12-31"`` -> a date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, _("“{text}” is not a date; write it as 2026-12-31.").format(text=text)) from None
