"""Webinars and occurrences as plain JSON data, with stable snake_case keys.

This is the shape of ``pupitre schedule list --json``; scripts depend on it, so keys are only
ever added, never renamed.  Datetimes are ISO 8601 with their offset, in the webinar's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from desktop.schedule.models import Recurrence, Webinar
from desktop.schedule.occurrences import Occurrence


def recurrence_to_json(rule: Recurrence | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {
        "freq": str(rule.freq),
        "interval": rule.interval,
        "weekdays": sorted(rule.weekdays),
        "monthly_type": str(rule.monthly_type),
        "until": rule.until.isoformat() if rule.until else None,
        "count": rule.count,
    }


def occurrence_to_json(occurrence: Occurrence) -> dict[str, Any]:
    return {
        "index": occurrence.index,
        "start": occurrence.start.isoformat(),
        "end": occurrence.end.isoformat(),
        "overridden": occurrence.overridden,
        "cancelled": occurrence.cancelled,
        "title": occurrence.title,
    }


def webinar_to_json(webinar: Webinar, occurrences: Iterable[Occurrence] = ()) -> dict[str, Any]:
    start = webinar.local_start()
    return {
        "id": webinar.id,
        "uid": webinar.uid,
        "title": webinar.title,
        "meeting_id": webinar.meeting_id,
        "room": webinar.room,
        "start": start.isoformat(),
        "end": webinar.end.astimezone(start.tzinfo).isoformat(),
        "duration_minutes": int(webinar.duration.total_seconds() // 60),
        "timezone": webinar.timezone,
        "recurrence": recurrence_to_json(webinar.recurrence),
        "options": asdict(webinar.options),
        "created_at": webinar.created_at.isoformat() if webinar.created_at else None,
        "updated_at": webinar.updated_at.isoformat() if webinar.updated_at else None,
        "occurrences": [occurrence_to_json(occurrence) for occurrence in occurrences],
    }
