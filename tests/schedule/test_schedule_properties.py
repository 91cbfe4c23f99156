"""Properties of occurrence expansion and of the parsers, over generated rules and inputs."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.schedule.localtime import resolve_local
from desktop.schedule.models import Frequency, MonthlyType, Recurrence, Webinar, slugify
from desktop.schedule.occurrences import occurrences
from desktop.schedule.parsing import parse_duration

# Zones with DST in either hemisphere, a 30-minute DST (Lord Howe), none (Kolkata), and UTC.
ZONES = ["Europe/Paris", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


@st.composite
def webinars(draw: st.DrawFn) -> Webinar:
    zone = draw(st.sampled_from(ZONES))
    naive = draw(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2032, 12, 31)))
    naive = naive.replace(second=0, microsecond=0)
    start = resolve_local(naive, ZoneInfo(zone))
    freq = draw(st.sampled_from(list(Frequency)))
    weekdays: frozenset[int] = frozenset()
    if freq == Frequency.WEEKLY and draw(st.booleans()):
        weekdays = frozenset(draw(st.sets(st.integers(0, 6), max_size=6))) | {start.weekday()}
    monthly_type = draw(st.sampled_from(list(MonthlyType))) if freq == Frequency.MONTHLY else MonthlyType.DATE_DAY
    count = draw(st.none() | st.integers(1, 40))
    until = draw(st.none() | st.dates(min_value=start.date(), max_value=start.date() + timedelta(days=3 * 366)))
    if count is None and until is None:
        count = draw(st.integers(1, 40))
    rule = Recurrence(
        freq=freq,
        interval=draw(st.integers(1, 100) if freq == Frequency.DAILY else st.integers(1, 6)),
        weekdays=weekdays,
        monthly_type=monthly_type,
        until=until,
        count=count,
    )
    item = Webinar(id=1, title="Property", start=start, duration=timedelta(minutes=draw(st.integers(1, 600))),
                   timezone=zone, recurrence=rule)  # fmt: skip
    item.validate()
    return item


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    return resolve_local(naive, zone).replace(tzinfo=None) == naive


@settings(max_examples=150, deadline=None)
@given(webinars())
def test_occurrences_are_increasing_bounded_and_on_the_rule(item: Webinar) -> None:
    rule = item.recurrence
    assert rule is not None
    zone = ZoneInfo(item.timezone)
    found = occurrences(item)
    starts = [o.start for o in found]
    assert found[0].start == item.start and found[0].index == 0
    assert [o.index for o in found] == list(range(len(found)))
    assert all(a.astimezone(UTC) < b.astimezone(UTC) for a, b in itertools.pairwise(starts))
    if rule.count is not None:
        assert len(found) <= rule.count
    if rule.until is not None:
        assert all(o.start.date() <= rule.until for o in found)
    assert all(o.duration == item.duration == o.end.astimezone(UTC) - o.start.astimezone(UTC) for o in found)
    first = item.start.astimezone(zone)
    for occurrence in found[1:]:
        local = occurrence.start
        wall = datetime.combine(local.date(), first.time())
        # the wall-clock time is the start's, unless that time does not exist on that day
        assert local.replace(tzinfo=None) == wall or not _exists(wall, zone)
        if rule.freq == Frequency.WEEKLY:
            assert local.weekday() in rule.days_of_week(first)
        elif rule.freq == Frequency.MONTHLY and rule.monthly_type == MonthlyType.DATE_DAY:
            assert local.day == first.day
        elif rule.freq == Frequency.MONTHLY:
            assert local.weekday() == first.weekday() and (local.day - 1) // 7 == (first.day - 1) // 7
        elif rule.freq == Frequency.YEARLY:
            assert (local.month, local.day) == (first.month, first.day)


@settings(max_examples=100, deadline=None)
@given(webinars(), st.integers(0, 30), st.integers(1, 400), st.integers(1, 10))
def test_windows_and_limits_are_slices_of_the_whole(item: Webinar, skip: int, days: int, limit: int) -> None:
    whole = occurrences(item)
    start_from = item.start + timedelta(days=skip)
    until = start_from + timedelta(days=days)
    window = occurrences(item, start_from, until)
    assert window == [o for o in whole if o.end > start_from and o.start < until]
    assert occurrences(item, start_from, limit=limit) == [o for o in whole if o.end > start_from][:limit]


def test_daily_and_weekly_keep_the_wall_clock_over_a_year_in_paris() -> None:
    zone = ZoneInfo("Europe/Paris")
    for freq in (Frequency.DAILY, Frequency.WEEKLY):
        item = Webinar(title="Wall clock", start=datetime(2026, 1, 5, 10, 0, tzinfo=zone), duration=timedelta(hours=1),
                       timezone="Europe/Paris", recurrence=Recurrence(freq=freq, until=date(2026, 12, 31)))  # fmt: skip
        found = occurrences(item)
        assert {(o.start.hour, o.start.minute) for o in found} == {(10, 0)}
        assert {o.start.utcoffset() for o in found} == {timedelta(hours=1), timedelta(hours=2)}


@given(st.integers(1, 24 * 60))
def test_every_duration_spelling_reads_back(minutes: int) -> None:
    hours, rest = divmod(minutes, 60)
    expected = timedelta(minutes=minutes)
    assert parse_duration(str(minutes)) == expected
    assert parse_duration(f"{minutes}m") == expected
    assert parse_duration(f"{hours}:{rest:02d}") == expected
    assert parse_duration(f"{hours}h{rest:02d}" if rest else f"{hours}h") == expected


@given(st.text(max_size=60))
def test_slugify_is_idempotent_and_ascii(text: str) -> None:
    slug = slugify(text)
    assert slug == slugify(slug)
    assert slug.isascii() and slug == slug.lower() and " " not in slug
    assert not slug.startswith(("-", "_")) and not slug.endswith(("-", "_")) and "--" not in slug
