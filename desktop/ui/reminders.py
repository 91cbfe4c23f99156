"""Which "your webinar starts in N minutes" reminders are due (pure: no Qt, explicit clock).

The console checks the schedule on a timer.  A reminder is due when the start is at most N
minutes away; when several thresholds are already passed (the app was started 90 s before a
webinar), only the nearest one is shown — two reminders at once would be noise — and the
farther ones count as sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from desktop.schedule.occurrences import Occurrence


@dataclass(frozen=True)
class Reminder:
    occurrence: Occurrence
    minutes: int


def due_reminders(
    occurrences: Iterable[Occurrence],
    now: datetime,
    minutes_before: Sequence[int],
    sent: set[tuple[int, int, int]],
) -> list[Reminder]:
    """The reminders to show now; records them (and the farther thresholds) in ``sent``.

    ``sent`` holds ``(webinar_id, occurrence index, minutes)`` and is kept by the caller.
    """
    thresholds = sorted({int(m) for m in minutes_before if int(m) > 0})
    due: list[Reminder] = []
    for occurrence in occurrences:
        if occurrence.cancelled:
            continue
        left = (occurrence.start - now).total_seconds()
        if left <= 0:
            continue
        passed = [m for m in thresholds if left <= m * 60]
        if not passed:
            continue
        nearest = passed[0]
        key = (occurrence.webinar_id, occurrence.index, nearest)
        if key not in sent:
            due.append(Reminder(occurrence, nearest))
        for m in passed:
            sent.add((occurrence.webinar_id, occurrence.index, m))
    return due
