"""Expanding a webinar's repeat rule into dated occurrences.

Repeats follow the *wall clock* of the webinar's time zone: a weekly 10:00 Europe/Paris webinar is
at 10:00 in Paris every week, so its UTC instant moves by one hour at the daylight-saving changes
(last Sundays of March and October).  Each occurrence's local date is given by the webinar's
RFC 5545 RRULE (:mod:`desktop.schedule.rules`), its start is that date at the first occurrence's
wall time, and the rules of :mod:`desktop.schedule.localtime` settle times that do not exist or exist twice on that date
(02:30 on the spring-forward day is 03:30; 02:30 on the autumn day is the first, summer-time one).
The first occurrence (index 0) is always exactly ``webinar.start``.

Calendar rules (see :class:`~desktop.schedule.models.Recurrence`): months without the start's day
(the 31st, February 29th) and months without a 5th weekday are skipped, never moved.

Occurrences are numbered from 0 in series order.  A cancelled occurrence keeps its number and
counts towards ``count`` (as an iCalendar EXDATE would), so cancelling one never adds another at
the end.  Each occurrence lasts ``duration`` of elapsed time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from desktop.schedule.localtime import load_zone, resolve_local
from desktop.schedule.models import (
    OccurrenceOverride,
    Webinar,
    elapsed_end,
)
from desktop.schedule.rules import series_rule

__all__ = [
    "Occurrence",
    "base_start",
    "next_occurrence",
    "occurrence_at",
    "occurrences",
    "override_still_valid",
    "series_starts",
    "upcoming",
]

@dataclass(frozen=True)
class Occurrence:
    """One dated session of a webinar.

    Attributes:
        webinar_id: the series.
        index: 0-based position in the series.
        start / end: aware, shown in the webinar's time zone.
        overridden: this occurrence was edited on its own (see OccurrenceOverride).
        cancelled: this occurrence does not take place.
        title: the title for this occurrence (the series' unless overridden).
    """

    webinar_id: int
    index: int
    start: datetime
    end: datetime
    overridden: bool = False
    cancelled: bool = False
    title: str = ""

    @property
    def duration(self) -> timedelta:
        """Elapsed time.  (``end - start`` with one shared zone would subtract wall-clock times,
        which is an hour off across a daylight-saving change.)"""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


def series_starts(webinar: Webinar) -> Iterator[tuple[int, datetime]]:
    """``(index, start)`` of every occurrence the rule gives, in order, without overrides.

    The dates come from the webinar's RRULE (:func:`desktop.schedule.rules.series_rule`, the one
    implementation of the calendar rules, shared with the ``.ics`` export).  Infinite for a rule
    with neither ``until`` nor ``count`` (it stops at year 9999).
    """
    zone = load_zone(webinar.timezone)
    first = webinar.start.astimezone(zone)
    yield 0, first  # exactly the start, even the second 02:30 of an autumn night (fold=1)
    if webinar.recurrence is None:
        return
    walls = series_rule(webinar.recurrence, first)
    for index, wall in enumerate(walls):
        if index == 0:
            continue
        yield index, resolve_local(wall, zone)


def _is_unbounded(webinar: Webinar) -> bool:
    rule = webinar.recurrence
    return rule is not None and rule.until is None and rule.count is None


def _apply(webinar: Webinar, index: int, start: datetime, change: OccurrenceOverride | None) -> Occurrence:
    if change is None:
        return Occurrence(webinar.id, index, start, elapsed_end(start, webinar.duration), title=webinar.title)
    if change.start is not None:
        start = change.start.astimezone(start.tzinfo)
    duration = change.duration if change.duration is not None else webinar.duration
    return Occurrence(
        webinar.id,
        index,
        start,
        elapsed_end(start, duration),
        overridden=True,
        cancelled=change.cancelled,
        title=change.title if change.title is not None else webinar.title,
    )


def _by_index(overrides: Iterable[OccurrenceOverride] | Mapping[int, OccurrenceOverride] | None) -> dict[int, OccurrenceOverride]:
    if overrides is None:
        return {}
    if isinstance(overrides, Mapping):
        return dict(overrides)
    return {change.index: change for change in overrides}


def occurrences(
    webinar: Webinar,
    start_from: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
    *,
    overrides: Iterable[OccurrenceOverride] | Mapping[int, OccurrenceOverride] | None = None,
    include_cancelled: bool = True,
) -> list[Occurrence]:
    """The occurrences that overlap ``[start_from, until)``, sorted by start, at most ``limit``.

    An occurrence that started before ``start_from`` but is still running is included (its end
    is after ``start_from``): "what is on now or next" needs it.  Overrides apply before the
    window, so an occurrence moved into the window appears and one moved out of it does not.

    Raises ValueError when the series never ends and neither ``until`` nor ``limit`` bounds the
    answer, or when a bound is a naive datetime.
    """
    for bound in (start_from, until):
        if bound is not None and bound.utcoffset() is None:
            raise ValueError("occurrence bounds must be aware datetimes")
    if until is None and limit is None and _is_unbounded(webinar):
        raise ValueError("a series without end needs an until or a limit")
    if limit is not None and limit <= 0:
        return []
    changes = _by_index(overrides)
    last_changed = max(changes, default=-1)
    found: list[Occurrence] = []
    plain_found = 0
    for index, base in series_starts(webinar):
        # Plain occurrences come in increasing order, so past the window (or once `limit` plain
        # ones are in), no later plain one can be in the answer: only overridden ones, which may
        # have moved anywhere, are still worth walking to.
        done = (until is not None and base >= until) or (limit is not None and plain_found >= limit)
        if done and index > last_changed:
            break
        change = changes.get(index)
        if done and change is None:
            continue
        occurrence = _apply(webinar, index, base, change)
        if start_from is not None and occurrence.end <= start_from:
            continue
        if until is not None and occurrence.start >= until:
            continue
        if occurrence.cancelled and not include_cancelled:
            continue
        found.append(occurrence)
        if change is None:
            plain_found += 1
    found.sort(key=lambda o: (o.start, o.index))
    return found[:limit] if limit is not None else found


def base_start(webinar: Webinar, index: int) -> datetime | None:
    """The start the rule gives occurrence ``index`` (no overrides), None if it does not exist."""
    if index < 0:
        return None
    # at most one occurrence a day, and dates end at year 9999: a larger index (a typo, 2**63...)
    # names nothing, and walking the series up to it would take seconds
    if index > (date.max - webinar.start.date()).days + 1:
        return None
    for position, start in series_starts(webinar):
        if position == index:
            return start
    return None


def occurrence_at(
    webinar: Webinar,
    index: int,
    overrides: Iterable[OccurrenceOverride] | Mapping[int, OccurrenceOverride] | None = None,
) -> Occurrence | None:
    """Occurrence number ``index`` with its override applied, None if the series has no such one."""
    start = base_start(webinar, index)
    if start is None:
        return None
    return _apply(webinar, index, start, _by_index(overrides).get(index))


def override_still_valid(webinar: Webinar, change: OccurrenceOverride) -> bool:
    """Whether ``change`` still describes an occurrence of ``webinar`` after a series edit.

    The index must still exist, and (when known) still fall on the date it had when the override
    was made: an override for "the 4th session, on 22 December" must not drift onto another day
    because the series became daily.
    """
    start = base_start(webinar, change.index)
    if start is None:
        return False
    return change.original_date is None or start.date() == change.original_date


WebinarEntry = tuple[Webinar, Iterable[OccurrenceOverride]]


def upcoming(
    entries: Iterable[WebinarEntry],
    now: datetime,
    horizon: timedelta,
    *,
    include_cancelled: bool = True,
) -> list[Occurrence]:
    """Every occurrence of every webinar from ``now`` to ``now + horizon``, soonest first.

    A webinar already running at ``now`` comes first.  Ties are broken by webinar number.
    """
    found: list[Occurrence] = []
    for webinar, changes in entries:
        found.extend(
            occurrences(webinar, now, now + horizon, overrides=changes, include_cancelled=include_cancelled)
        )
    found.sort(key=lambda o: (o.start, o.webinar_id, o.index))
    return found


def next_occurrence(entries: Iterable[WebinarEntry], now: datetime) -> Occurrence | None:
    """The occurrence running at ``now`` or the next one to start, cancelled ones skipped."""
    best: Occurrence | None = None
    for webinar, changes in entries:
        candidates = occurrences(webinar, now, None, 1, overrides=changes, include_cancelled=False)
        if candidates and (best is None or (candidates[0].start, candidates[0].webinar_id) < (best.start, best.webinar_id)):
            best = candidates[0]
    return best
