"""Small builders shared by the schedule tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from desktop.schedule.models import Recurrence, Webinar

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def webinar(
    start: datetime,
    recurrence: Recurrence | None = None,
    *,
    duration: timedelta = timedelta(hours=1),
    timezone: str = "Europe/Paris",
    **extra: Any,
) -> Webinar:
    return Webinar(
        id=extra.pop("id", 1),
        title=extra.pop("title", "Amphi L1"),
        start=start,
        duration=duration,
        timezone=timezone,
        recurrence=recurrence,
        **extra,
    )
