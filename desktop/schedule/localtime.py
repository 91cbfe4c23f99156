"""Wall-clock time in a named time zone: loading zones, resolving local times, the system zone.

Webinars are scheduled in *local wall time* of an IANA zone ("Europe/Paris"): a weekly 10:00
webinar stays at 10:00 on the presenter's clock across daylight-saving changes, so its UTC instant
moves by an hour twice a year.  Two local times need a rule, and we take RFC 5545's (iCalendar),
which is also what Python's ``fold=0`` gives:

* a **nonexistent** time (02:30 on the spring-forward Sunday in Paris) is read with the offset in
  force *before* the gap, which moves it forward by the length of the gap: 02:30 becomes 03:30
  summer time;
* an **ambiguous** time (02:30 on the autumn Sunday, which happens twice) is the *first* of the
  two, the one still in summer time.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.i18n import _
from desktop.schedule.errors import ValidationError

DEFAULT_ZONE = "UTC"


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``, or a ValidationError on the ``timezone`` field.

    ZoneInfo also raises ValueError (not ZoneInfoNotFoundError) for keys shaped like paths
    ("../etc/passwd", "/abs"), so both are caught.
    """
    if not name or not isinstance(name, str):
        raise ValidationError("timezone", _("Choose a time zone, such as Europe/Paris."))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(
            "timezone",
            _("“{name}” is not a time zone name; use a name such as Europe/Paris or "
              "America/Montreal.").format(name=name),
        ) from None


def resolve_local(naive: datetime, zone: ZoneInfo, *, fold: int = 0) -> datetime:
    """Attach ``zone`` to a naive wall time, settling nonexistent and ambiguous times.

    The round trip through UTC is what turns a nonexistent 02:30 (fold 0 reads it with the
    offset before the gap) into the real 03:30, and leaves every other time unchanged.
    """
    aware = naive.replace(tzinfo=zone, fold=fold)
    return aware.astimezone(UTC).astimezone(zone)


def to_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    """An aware datetime shown in ``zone`` (same instant)."""
    return moment.astimezone(zone)


def system_timezone(*, environ: Mapping[str, str] | None = None, etc: Path = Path("/etc")) -> str:
    """The IANA name of this computer's time zone, without the tzlocal package.

    ``datetime.now().astimezone().tzinfo`` only gives a fixed offset ("CET"), which cannot say when
    daylight-saving time starts, so we look, in order, at:

    1. the ``TZ`` environment variable ("Europe/Paris", ":Europe/Paris" or a zoneinfo file path);
    2. ``/etc/timezone`` (Debian and Ubuntu);
    3. the target of the ``/etc/localtime`` symbolic link (most Linux systems and macOS), whose
       path ends with ``zoneinfo/<name>``;
    4. ``time.tzname[0]`` when it happens to be a zone name ("UTC", "CET"...);

    and fall back to UTC.  Each candidate must load with zoneinfo to be accepted, so a POSIX
    ``TZ`` rule such as ``CET-1CEST`` is passed over.  (On Windows, zoneinfo needs the ``tzdata``
    package for any of this.)  ``environ`` and ``etc`` exist for tests.
    """
    for candidate in _candidates(os.environ if environ is None else environ, etc):
        name = _zone_name_from(candidate)
        if name and _loads(name):
            return name
    return DEFAULT_ZONE


def _candidates(environ: Mapping[str, str], etc: Path) -> list[str]:
    candidates: list[str] = []
    tz_env = environ.get("TZ", "").strip()
    if tz_env:
        candidates.append(tz_env.removeprefix(":"))
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append((etc / "timezone").read_text(encoding="utf-8").strip())
    with contextlib.suppress(OSError, ValueError):
        candidates.append(os.readlink(etc / "localtime"))
    candidates.extend(name for name in time.tzname if name)
    return candidates


def _zone_name_from(candidate: str) -> str:
    if "zoneinfo/" in candidate:
        candidate = candidate.split("zoneinfo/", 1)[1]
    return candidate.strip()


def _loads(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
