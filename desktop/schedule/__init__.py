"""The webinar schedule: what is planned, when it repeats, and where it is kept.

* :mod:`.models` — :class:`Webinar`, :class:`Recurrence`, :class:`WebinarOptions`,
  :class:`OccurrenceOverride`, validation, Pod-style identifiers.
* :mod:`.rules` — the repeat rule as RFC 5545 RRULE parts: the one implementation of the
  calendar rules, shared by the expansion and the iCalendar export.
* :mod:`.occurrences` — expanding a series into dated :class:`Occurrence` objects (wall-clock
  time of the webinar's zone, DST-correct).
* :mod:`.ical_export` / :mod:`.ical_import` — webinars as an ``.ics`` file, and an ``.ics``
  invitation read into webinars.
* :mod:`.store` — :class:`ScheduleStore`, SQLite persistence with migrations.
* :mod:`.parsing` — reading durations, weekdays and dates typed by people.
* :mod:`.serialization` — the JSON shape of ``pupitre schedule list --json``.

No Qt, no asyncio, no network: the go-live machinery builds on top of this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy_exports import lazy_exports

if TYPE_CHECKING:  # loaded on first use: see desktop.lazy_exports (issue 13)
    from desktop.schedule.errors import ScheduleStoreError, ValidationError, WebinarNotFoundError
    from desktop.schedule.models import (
        ALWAYS_ACCEPT,
        Frequency,
        MonthlyType,
        OccurrenceOverride,
        Recurrence,
        Webinar,
        WebinarOptions,
        make_meeting_id,
        slugify,
    )
    from desktop.schedule.occurrences import Occurrence, next_occurrence, occurrences, upcoming
    from desktop.schedule.store import ScheduleStore, SeriesUpdate

__all__ = [
    "ALWAYS_ACCEPT",
    "Frequency",
    "MonthlyType",
    "Occurrence",
    "OccurrenceOverride",
    "Recurrence",
    "ScheduleStore",
    "ScheduleStoreError",
    "SeriesUpdate",
    "ValidationError",
    "Webinar",
    "WebinarNotFoundError",
    "WebinarOptions",
    "make_meeting_id",
    "next_occurrence",
    "occurrences",
    "slugify",
    "upcoming",
]

__getattr__, __dir__ = lazy_exports(globals(), {
    "desktop.schedule.errors": ("ScheduleStoreError", "ValidationError", "WebinarNotFoundError"),
    "desktop.schedule.models": ("ALWAYS_ACCEPT", "Frequency", "MonthlyType", "OccurrenceOverride", "Recurrence", "Webinar", "WebinarOptions", "make_meeting_id", "slugify"),
    "desktop.schedule.occurrences": ("Occurrence", "next_occurrence", "occurrences", "upcoming"),
    "desktop.schedule.store": ("ScheduleStore", "SeriesUpdate"),
})
