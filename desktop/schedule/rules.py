"""A webinar's repeat rule as an RFC 5545 RRULE: the one implementation of the calendar rules.

Pupitre keeps Esup-Pod's recurrence fields (:class:`~desktop.schedule.models.Recurrence`), but
does not compute dates from them by hand any more: :func:`rrule_parts` turns them into the
RRULE parts of RFC 5545, and both the schedule's own expansion
(:mod:`desktop.schedule.occurrences`, through python-dateutil's ``rrule``) and the exported
``.ics`` files (:mod:`desktop.schedule.ical_export`) use those same parts.  What a calendar
application shows for an exported webinar is then what Pupitre goes live for.

Pod's rules, written as RRULE parts (RFC 5545, section 3.3.10):

* weekly on chosen days: ``BYDAY=MO,WE`` with ``WKST=MO`` (weeks start on Monday, so
  ``INTERVAL=2`` means every other Monday-to-Sunday week, as Pod counts them);
* monthly by date: ``BYMONTHDAY=31``; months without that day are skipped (RFC 5545: "invalid
  dates are ignored"), never moved to the 30th;
* monthly by weekday: ``BYDAY=3TU`` with Pod's ``n = (day - 1) // 7 + 1``; a 5th Tuesday is
  ``5TU`` and months without one are skipped (never "last Tuesday", which would be ``-1TU``);
* yearly: ``BYMONTH=2;BYMONTHDAY=29`` — a 29 February series happens in leap years only;
* ``COUNT`` counts the first webinar (DTSTART is always an occurrence: the model checks it);
  Pod lets a series have both a count and an end date ("whichever comes first"), which RFC 5545
  forbids in one RRULE: :func:`single_end` keeps the one that is reached first;
* ``until`` is a local date, inclusive: the rule stops at the end of that day in the webinar's
  zone.  In a file it is written in UTC (RFC 5545 requires UTC with a zoned DTSTART).

Dates are computed on the wall clock of the webinar's zone (a naive ``dtstart``); the caller
settles times that do not exist or exist twice (:func:`desktop.schedule.localtime.resolve_local`,
which follows RFC 5545's rule for both).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from dateutil import rrule as du

from desktop.schedule.localtime import load_zone, resolve_local
from desktop.schedule.models import Frequency, MonthlyType, Recurrence

__all__ = ["DAY_CODES", "last_moment", "rrule_parts", "series_rule", "single_end"]

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""RFC 5545 weekday codes, indexed like ``datetime.weekday()`` (0 = Monday)."""

_FREQ = {
    Frequency.DAILY: "DAILY",
    Frequency.WEEKLY: "WEEKLY",
    Frequency.MONTHLY: "MONTHLY",
    Frequency.YEARLY: "YEARLY",
}
_DATEUTIL_FREQ: dict[str, Literal[0, 1, 2, 3, 4, 5, 6]] = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY}


def nth_of_month(day: date) -> int:
    """Pod's rule: the 3rd Tuesday is in days 15-21, so n = (day - 1) // 7 + 1."""
    return (day.day - 1) // 7 + 1


def single_end(rule: Recurrence, local_start: datetime) -> Recurrence:
    """``rule`` with at most one of ``count`` and ``until``: the one that ends the series first."""
    if rule.count is None or rule.until is None:
        return rule
    *_, last = series_rule(replace(rule, until=None), local_start)
    return replace(rule, count=None) if last.date() > rule.until else replace(rule, until=None)


def rrule_parts(rule: Recurrence, local_start: datetime) -> dict[str, Any]:
    """The RRULE of ``rule`` for a first webinar at ``local_start`` (wall time of its zone),
    as the parts dict :class:`icalendar.vRecur` takes, without ``UNTIL`` (see
    :func:`last_moment`): ``{"FREQ": "WEEKLY", "INTERVAL": 2, "BYDAY": ["MO", "WE"], ...}``.
    Give it a rule passed through :func:`single_end`.
    """
    parts: dict[str, Any] = {"FREQ": _FREQ[rule.freq]}
    if rule.interval != 1:
        parts["INTERVAL"] = rule.interval
    if rule.freq == Frequency.WEEKLY:
        parts["BYDAY"] = [DAY_CODES[day] for day in sorted(rule.days_of_week(local_start))]
        parts["WKST"] = "MO"
    elif rule.freq == Frequency.MONTHLY:
        if rule.monthly_type == MonthlyType.NTH_DAY:
            parts["BYDAY"] = [f"{nth_of_month(local_start.date())}{DAY_CODES[local_start.weekday()]}"]
        else:
            parts["BYMONTHDAY"] = [local_start.day]
    elif rule.freq == Frequency.YEARLY:
        parts["BYMONTH"] = [local_start.month]
        parts["BYMONTHDAY"] = [local_start.day]
    if rule.count is not None:
        parts["COUNT"] = rule.count
    return parts


def last_moment(until: date, timezone: str) -> datetime:
    """The end of the local day ``until`` in ``timezone``, in UTC: the RRULE ``UNTIL`` of a file."""
    end = resolve_local(datetime.combine(until, time(23, 59, 59)), load_zone(timezone))
    return end.astimezone(UTC)


def series_rule(rule: Recurrence, local_start: datetime) -> du.rrule:
    """The dateutil ``rrule`` of :func:`rrule_parts`, over naive wall times of the zone.

    Its first date is ``local_start`` itself (naive); ``until`` is the end of that local day.
    """
    rule = single_end(rule, local_start)
    parts = rrule_parts(rule, local_start)
    byday = [_weekday(code) for code in parts.get("BYDAY", [])]
    return du.rrule(
        _DATEUTIL_FREQ[parts["FREQ"]],
        dtstart=local_start.replace(tzinfo=None, fold=0),
        interval=parts.get("INTERVAL", 1),
        wkst=du.MO,
        count=parts.get("COUNT"),
        until=datetime.combine(rule.until, time(23, 59, 59)) if rule.until is not None else None,
        byweekday=byday or None,
        bymonthday=parts.get("BYMONTHDAY"),
        bymonth=parts.get("BYMONTH"),
        cache=False,
    )


def _weekday(code: str) -> du.weekday:
    """``"3TU"`` -> dateutil's ``TU(+3)``, ``"MO"`` -> ``MO``."""
    day = getattr(du, code[-2:])
    return day(int(code[:-2])) if len(code) > 2 else day
