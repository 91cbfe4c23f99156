from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.schedule.models import Frequency, MonthlyType, OccurrenceOverride, Recurrence
from desktop.schedule.occurrences import (
    Occurrence,
    next_occurrence,
    occurrence_at,
    occurrences,
    override_still_valid,
    upcoming,
)
from tests.schedule.helpers import PARIS, paris, webinar


def dates(found: list[Occurrence]) -> list[str]:
    return [occurrence.start.date().isoformat() for occurrence in found]


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# -- every kind of rule ---------------------------------------------------------------------


def test_single_webinar_has_one_occurrence() -> None:
    found = occurrences(webinar(paris(2026, 12, 1), duration=timedelta(minutes=90)))
    assert [(o.index, o.start, o.end) for o in found] == [(0, paris(2026, 12, 1), paris(2026, 12, 1, 11, 30))]


def test_daily_with_interval() -> None:
    rule = Recurrence(freq=Frequency.DAILY, interval=3, count=4)
    assert dates(occurrences(webinar(paris(2026, 12, 30), rule))) == [
        "2026-12-30", "2027-01-02", "2027-01-05", "2027-01-08",
    ]  # fmt: skip


def test_weekly_on_several_days_every_other_week() -> None:
    # Tuesday 1 December 2026, on Tuesdays and Thursdays, every 2 weeks
    rule = Recurrence(freq=Frequency.WEEKLY, interval=2, weekdays=frozenset({1, 3}), count=5)
    assert dates(occurrences(webinar(paris(2026, 12, 1), rule))) == [
        "2026-12-01", "2026-12-03", "2026-12-15", "2026-12-17", "2026-12-29",
    ]  # fmt: skip


def test_weekly_start_mid_week_skips_the_earlier_days_of_that_week() -> None:
    # Thursday 3 December 2026 with Tuesday and Thursday: the first Tuesday is the 8th
    rule = Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({1, 3}), count=3)
    assert dates(occurrences(webinar(paris(2026, 12, 3), rule))) == ["2026-12-03", "2026-12-08", "2026-12-10"]


def test_weekly_without_days_uses_the_start_day() -> None:
    rule = Recurrence(freq=Frequency.WEEKLY, count=3)
    assert dates(occurrences(webinar(paris(2026, 12, 1), rule))) == ["2026-12-01", "2026-12-08", "2026-12-15"]


def test_monthly_on_the_31st_skips_shorter_months() -> None:
    rule = Recurrence(freq=Frequency.MONTHLY, count=6)
    assert dates(occurrences(webinar(paris(2026, 1, 31), rule))) == [
        "2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31", "2026-10-31",
    ]  # fmt: skip


def test_monthly_same_date_with_interval() -> None:
    rule = Recurrence(freq=Frequency.MONTHLY, interval=5, count=3)
    assert dates(occurrences(webinar(paris(2026, 11, 15), rule))) == ["2026-11-15", "2027-04-15", "2027-09-15"]


def test_monthly_nth_weekday_follows_pods_rule() -> None:
    # 17 November 2026 is the 3rd Tuesday ((17 - 1) // 7 + 1 == 3)
    rule = Recurrence(freq=Frequency.MONTHLY, monthly_type=MonthlyType.NTH_DAY, count=4)
    found = occurrences(webinar(paris(2026, 11, 17), rule))
    assert dates(found) == ["2026-11-17", "2026-12-15", "2027-01-19", "2027-02-16"]
    assert all(o.start.weekday() == 1 and 15 <= o.start.day <= 21 for o in found)


def test_monthly_fifth_weekday_skips_months_without_one() -> None:
    # 29 January 2026 is the 5th Thursday; 2026 has five Thursdays in Jan, Apr, Jul, Oct, Dec
    rule = Recurrence(freq=Frequency.MONTHLY, monthly_type=MonthlyType.NTH_DAY, until=date(2026, 12, 31))
    assert dates(occurrences(webinar(paris(2026, 1, 29), rule))) == [
        "2026-01-29", "2026-04-30", "2026-07-30", "2026-10-29", "2026-12-31",
    ]  # fmt: skip


def test_monthly_nth_weekday_every_other_month() -> None:
    # 1st Monday: 2 November 2026, then January, March 2027
    rule = Recurrence(freq=Frequency.MONTHLY, interval=2, monthly_type=MonthlyType.NTH_DAY, count=3)
    assert dates(occurrences(webinar(paris(2026, 11, 2), rule))) == ["2026-11-02", "2027-01-04", "2027-03-01"]


def test_yearly_and_february_29th() -> None:
    rule = Recurrence(freq=Frequency.YEARLY, count=3)
    assert dates(occurrences(webinar(paris(2026, 6, 15), rule))) == ["2026-06-15", "2027-06-15", "2028-06-15"]
    leap = Recurrence(freq=Frequency.YEARLY, count=3)
    assert dates(occurrences(webinar(paris(2028, 2, 29), leap))) == ["2028-02-29", "2032-02-29", "2036-02-29"]
    every_two = Recurrence(freq=Frequency.YEARLY, interval=2, count=2)
    assert dates(occurrences(webinar(paris(2026, 6, 15), every_two))) == ["2026-06-15", "2028-06-15"]


def test_until_is_inclusive_and_count_and_until_stop_at_the_first_reached() -> None:
    start = paris(2026, 12, 1)
    until_only = Recurrence(freq=Frequency.DAILY, until=date(2026, 12, 4))
    assert dates(occurrences(webinar(start, until_only))) == ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
    count_first = Recurrence(freq=Frequency.DAILY, until=date(2026, 12, 31), count=2)
    assert len(occurrences(webinar(start, count_first))) == 2
    until_first = Recurrence(freq=Frequency.DAILY, until=date(2026, 12, 2), count=10)
    assert len(occurrences(webinar(start, until_first))) == 2


def test_until_is_a_local_date() -> None:
    # 23:30 in Paris is already the next day in UTC; "until 2 December" still includes the 2nd
    rule = Recurrence(freq=Frequency.DAILY, until=date(2026, 12, 2))
    assert dates(occurrences(webinar(paris(2026, 12, 1, 23, 30), rule))) == ["2026-12-01", "2026-12-02"]


def test_an_endless_series_needs_a_bound() -> None:
    endless = webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.WEEKLY))
    with pytest.raises(ValueError):
        occurrences(endless)
    assert len(occurrences(endless, limit=52)) == 52
    # the 53rd is on Tuesday 30 November 2027 at 10:00, and `until` is exclusive
    assert len(occurrences(endless, until=paris(2027, 11, 30, 10))) == 52
    assert len(occurrences(endless, until=paris(2027, 11, 30, 10, 1))) == 53
    with pytest.raises(ValueError):
        occurrences(endless, datetime(2026, 12, 1), limit=1)  # naive bound


# -- daylight-saving time ------------------------------------------------------------------


def test_weekly_ten_oclock_stays_at_ten_in_paris_across_both_changes() -> None:
    rule = Recurrence(freq=Frequency.WEEKLY, count=32)
    found = occurrences(webinar(paris(2026, 3, 22), rule))
    by_date = {o.start.date(): o for o in found}
    assert all((o.start.hour, o.start.minute) == (10, 0) for o in found)
    # spring forward on Sunday 29 March 2026: the UTC instant moves one hour earlier
    assert by_date[date(2026, 3, 22)].start.astimezone(UTC) == utc(2026, 3, 22, 9)
    assert by_date[date(2026, 3, 29)].start.astimezone(UTC) == utc(2026, 3, 29, 8)
    # fall back on Sunday 25 October 2026: back to 09:00 UTC
    assert by_date[date(2026, 10, 18)].start.astimezone(UTC) == utc(2026, 10, 18, 8)
    assert by_date[date(2026, 10, 25)].start.astimezone(UTC) == utc(2026, 10, 25, 9)
    assert by_date[date(2026, 10, 25)].start.utcoffset() == timedelta(hours=1)


def test_nonexistent_local_time_moves_forward_by_the_gap() -> None:
    # 02:30 does not exist in Paris on 29 March 2026 (02:00 CET -> 03:00 CEST): it becomes 03:30
    rule = Recurrence(freq=Frequency.DAILY, count=3)
    found = occurrences(webinar(paris(2026, 3, 28, 2, 30), rule))
    assert [o.start.astimezone(UTC) for o in found] == [
        utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 30), utc(2026, 3, 30, 0, 30),
    ]  # fmt: skip
    assert [(o.start.hour, o.start.minute) for o in found] == [(2, 30), (3, 30), (2, 30)]


def test_ambiguous_local_time_is_the_first_one() -> None:
    # 02:30 happens twice in Paris on 25 October 2026: fold 0, the summer-time one (00:30 UTC)
    rule = Recurrence(freq=Frequency.DAILY, count=3)
    found = occurrences(webinar(paris(2026, 10, 24, 2, 30), rule))
    assert [o.start.astimezone(UTC) for o in found] == [
        utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30),
    ]  # fmt: skip
    assert found[1].start.fold == 0 and found[1].start.utcoffset() == timedelta(hours=2)


def test_duration_is_elapsed_time_across_a_change() -> None:
    # 01:30 CEST on 25 October + 2 h = 02:30 CET (3 h on the wall clock, 2 h of real time)
    found = occurrences(webinar(paris(2026, 10, 25, 1, 30), duration=timedelta(hours=2)))
    start, end = found[0].start, found[0].end
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=2)
    assert end.astimezone(UTC) == utc(2026, 10, 25, 1, 30)
    assert (end.hour, end.minute, end.utcoffset()) == (2, 30, timedelta(hours=1))


def test_repeats_follow_the_webinar_zone_not_the_input_offset() -> None:
    # Given in UTC, the webinar repeats at 10:00 Montreal time across the US change (8 March 2026)
    start = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 EST
    rule = Recurrence(freq=Frequency.WEEKLY, count=2)
    found = occurrences(webinar(start, rule, timezone="America/Montreal"))
    assert [o.start.astimezone(UTC) for o in found] == [utc(2026, 3, 2, 15), utc(2026, 3, 9, 14)]
    assert found[1].start.tzinfo == ZoneInfo("America/Montreal")


# -- windows, overrides, upcoming ------------------------------------------------------------


def test_window_includes_a_running_occurrence_and_excludes_its_end() -> None:
    daily = webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.DAILY, count=5), duration=timedelta(hours=1))
    during = occurrences(daily, paris(2026, 12, 2, 10, 30), paris(2026, 12, 4))
    assert [o.index for o in during] == [1, 2]
    at_end = occurrences(daily, paris(2026, 12, 2, 11, 0), paris(2026, 12, 4))
    assert [o.index for o in at_end] == [2]
    assert [o.index for o in occurrences(daily, paris(2026, 12, 2, 10, 30), limit=1)] == [1]


def test_overriding_one_occurrence_leaves_the_others() -> None:
    series = webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.WEEKLY, count=4))
    moved = OccurrenceOverride(
        webinar_id=1, index=2, start=paris(2026, 12, 16, 14), duration=timedelta(minutes=30), title="Special"
    )
    cancelled = OccurrenceOverride(webinar_id=1, index=3, cancelled=True)
    found = occurrences(series, overrides=[moved, cancelled])
    assert [(o.index, o.start, o.overridden, o.cancelled) for o in found] == [
        (0, paris(2026, 12, 1), False, False),
        (1, paris(2026, 12, 8), False, False),
        (2, paris(2026, 12, 16, 14), True, False),
        (3, paris(2026, 12, 22), True, True),
    ]
    assert (found[2].title, found[2].duration, found[0].title) == ("Special", timedelta(minutes=30), "Amphi L1")
    assert [o.index for o in occurrences(series, overrides=[moved, cancelled], include_cancelled=False)] == [0, 1, 2]


def test_an_occurrence_moved_into_or_out_of_the_window_follows_its_new_time() -> None:
    series = webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.WEEKLY, count=10))
    earlier = OccurrenceOverride(webinar_id=1, index=8, start=paris(2026, 12, 2))  # base 26 Jan 2027
    later = OccurrenceOverride(webinar_id=1, index=1, start=paris(2027, 3, 1))  # base 8 Dec
    found = occurrences(series, paris(2026, 12, 1), paris(2026, 12, 16), overrides=[earlier, later])
    assert [o.index for o in found] == [0, 8, 2]
    limited = occurrences(series, paris(2026, 12, 1), limit=2, overrides=[earlier, later])
    assert [o.index for o in limited] == [0, 8]


def test_occurrence_at_and_override_validity_after_a_series_edit() -> None:
    series = webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.WEEKLY, count=4))
    change = OccurrenceOverride(webinar_id=1, index=3, title="Last one", original_date=date(2026, 12, 22))
    assert occurrence_at(series, 3, [change]).title == "Last one"  # type: ignore[union-attr]
    assert occurrence_at(series, 4) is None
    assert override_still_valid(series, change)
    # a new time of day keeps the date: still valid
    assert override_still_valid(webinar(paris(2026, 12, 1, 14), Recurrence(freq=Frequency.WEEKLY, count=4)), change)
    # fewer occurrences: index 3 is gone
    assert not override_still_valid(webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.WEEKLY, count=3)), change)
    # daily: index 3 is now on 4 December, not the 22nd
    assert not override_still_valid(webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.DAILY, count=4)), change)


def test_upcoming_merges_webinars_soonest_first_and_next_skips_cancelled() -> None:
    now = paris(2026, 12, 1, 10, 30)
    running = webinar(paris(2026, 12, 1, 10), id=1, title="Running now")
    daily = webinar(paris(2026, 11, 30, 9), Recurrence(freq=Frequency.DAILY), id=2, title="Daily")
    later = webinar(paris(2026, 12, 1, 18), id=3, title="Tonight")
    cancel_tomorrow = OccurrenceOverride(webinar_id=2, index=2, cancelled=True)
    entries = [(later, []), (daily, [cancel_tomorrow]), (running, [])]
    found = upcoming(entries, now, timedelta(days=2))
    assert [(o.webinar_id, o.start) for o in found] == [
        (1, paris(2026, 12, 1, 10)),
        (3, paris(2026, 12, 1, 18)),
        (2, paris(2026, 12, 2, 9)),
        (2, paris(2026, 12, 3, 9)),
    ]
    assert [o.cancelled for o in found] == [False, False, True, False]
    assert next_occurrence(entries, now).webinar_id == 1  # type: ignore[union-attr]
    after = next_occurrence([(daily, [cancel_tomorrow])], paris(2026, 12, 1, 12))
    assert after is not None and after.start == paris(2026, 12, 3, 9)
    assert next_occurrence([(running, [])], paris(2026, 12, 1, 12)) is None


def test_occurrence_times_are_shown_in_the_webinar_zone() -> None:
    override = OccurrenceOverride(webinar_id=1, index=1, start=utc(2026, 12, 8, 13))
    series = webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.WEEKLY, count=2))
    found = occurrences(series, overrides=[override])
    assert all(o.start.tzinfo == PARIS and o.end.tzinfo == PARIS for o in found)
    assert found[1].start.hour == 14
