"""Webinars as an iCalendar file (RFC 5545): "add to my calendar", and a file for co-presenters.

One ``VEVENT`` per webinar, with:

* ``UID``: the webinar's UUID, stable forever, so a calendar that imports the file again updates
  the event instead of adding a second one (and Pupitre recognises its own webinars);
* ``DTSTART`` with ``TZID`` (the webinar's IANA zone) and a ``VTIMEZONE`` built by the
  ``icalendar`` library from the zone's rules, so clients that do not know IANA names (Outlook)
  still put each occurrence at the right time; ``DURATION`` in exact seconds (elapsed time, as
  Pupitre counts it: a 2 h webinar lasts 2 h across a daylight-saving change);
* ``RRULE`` from :func:`desktop.schedule.rules.rrule_parts` — the same parts Pupitre expands, so
  the calendar shows the occurrences Pupitre will go live for — with ``UNTIL`` in UTC;
* ``EXDATE`` for each cancelled occurrence, and one more ``VEVENT`` with the same ``UID`` and a
  ``RECURRENCE-ID`` for each occurrence edited on its own (new time, duration or title);
* the audience link, when one is known, as ``URL``, ``LOCATION`` and in ``DESCRIPTION`` (clients
  show one or another).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from desktop.config.settings import Settings
from desktop.i18n import _
from desktop.schedule.models import OccurrenceOverride, Webinar
from desktop.schedule.occurrences import base_start, occurrence_at
from desktop.schedule.rules import last_moment, rrule_parts, single_end

__all__ = ["PRODID", "CalendarEntry", "audience_link", "calendar_bytes", "webinar_events"]

PRODID = "-//Pupitre//Pupitre webinars//EN"


CalendarEntry = tuple[Webinar, Sequence[OccurrenceOverride], str | None]
"""A webinar, its single-occurrence changes, and its audience link (None when unknown)."""


def calendar_bytes(entries: Iterable[CalendarEntry], *, now: datetime | None = None) -> bytes:
    """The ``.ics`` file of ``entries``."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    first = stamp.date()
    for webinar, changes, audience_link in entries:
        first = min(first, webinar.local_start().date())
        for event in webinar_events(webinar, changes, audience_link=audience_link, stamp=stamp):
            calendar.add_component(event)
    # the zones' rules from a year before the first webinar (the library's default starts in 1970,
    # which makes every file a few kilobytes longer for nothing)
    calendar.add_missing_timezones(first_date=max(date(1970, 1, 1), first - timedelta(days=366)))
    return bytes(calendar.to_ical())


def webinar_events(
    webinar: Webinar,
    changes: Sequence[OccurrenceOverride] = (),
    *,
    audience_link: str | None = None,
    stamp: datetime,
) -> list[Event]:
    """The master ``VEVENT`` of ``webinar`` and one per occurrence edited on its own."""
    local_start = webinar.local_start()
    master = _event(webinar.uid, webinar.title, local_start, webinar, audience_link, stamp)
    if webinar.recurrence is None:
        # a single webinar has no series to take exceptions from: write its one occurrence as it is
        only = occurrence_at(webinar, 0, changes)
        if only is not None:
            master = _event(webinar.uid, only.title, only.start, webinar, audience_link, stamp,
                            duration=only.duration)
            if only.cancelled:
                master.add("status", "CANCELLED")
        return [master]
    rule = single_end(webinar.recurrence, local_start)
    parts = rrule_parts(rule, local_start)
    if rule.until is not None:
        parts["UNTIL"] = last_moment(rule.until, webinar.timezone)
    master.add("rrule", vRecur(parts))
    events = [master]
    excluded: list[datetime] = []
    for change in sorted(changes, key=lambda c: c.index):
        original = base_start(webinar, change.index)
        if original is None:
            continue  # the store drops overrides that no longer name an occurrence
        if change.cancelled:
            excluded.append(original)
            continue
        moved = occurrence_at(webinar, change.index, [change])
        assert moved is not None
        event = _event(webinar.uid, moved.title, moved.start, webinar, audience_link, stamp,
                       duration=moved.duration)
        event.add("recurrence-id", original)
        events.append(event)
    if excluded:
        master.add("exdate", excluded)
    return events


def _event(uid: str, title: str, start: datetime, webinar: Webinar, audience_link: str | None,
           stamp: datetime, *, duration: object = None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", title)
    event.add("dtstart", start.astimezone(webinar.local_start().tzinfo))
    event.add("duration", duration if duration is not None else webinar.duration)
    if audience_link:
        event.add("url", audience_link)
        event.add("location", audience_link)
        event.add("description", _("Audience link: {address}").format(address=audience_link))
    return event


def audience_link(settings: Settings, webinar: Webinar) -> str | None:
    """Where the audience watches ``webinar``: its gateway's audience page (or HLS address), the
    first gateway's when it names none — the link the go-live step gives the moderators."""
    gateways = settings.gateways
    chosen = next((g for g in gateways if g.name == webinar.options.preferred_gateway),
                  gateways[0] if gateways else None)
    if chosen is None:
        return None
    return chosen.audience_page_url or chosen.hls_url
