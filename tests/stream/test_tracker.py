"""The monitor's rules with explicit clocks: no server, no waiting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.errors import ConfigError
from desktop.stream.health import StreamHealth, StreamState
from desktop.stream.playlist import MediaPlaylist, Segment
from desktop.stream.tracker import MonitorSettings, StreamTracker

URL = "http://origin.example/live/index.m3u8"
WALL = 1_800_000_000.0


def playlist(first: int, count: int, *, target: float = 2.0, prefix: str = "s", pdt: float | None = None,
             endlist: bool = False) -> MediaPlaylist:
    segments = tuple(
        Segment(
            uri=f"http://origin.example/live/{prefix}{first + i}.ts",
            duration=target,
            sequence=first + i,
            program_date_time=(
                None if pdt is None else datetime.fromtimestamp(pdt + (i - count + 1) * target, UTC)
            ),
        )
        for i in range(count)
    )
    return MediaPlaylist(target_duration=target, media_sequence=first, segments=segments, endlist=endlist)


def poll(tracker: StreamTracker, pl: MediaPlaylist, mono: float, wall: float = WALL) -> StreamHealth:
    tracker.observe_playlist(pl, playlist_url=URL, mono=mono)
    return tracker.playlist_health(status=200, wall=wall, mono=mono)


def test_stall_threshold_is_three_target_durations_by_default() -> None:
    tracker = StreamTracker(URL)
    assert poll(tracker, playlist(0, 3), mono=0.0).state is StreamState.LIVE
    assert poll(tracker, playlist(1, 3), mono=1.0).advancing
    assert poll(tracker, playlist(1, 3), mono=6.9).state is StreamState.LIVE  # 5.9 s <= 6 s
    stalled = poll(tracker, playlist(1, 3), mono=7.1)
    assert stalled.state is StreamState.STALLED and stalled.since_last_advance == pytest.approx(6.1)
    assert stalled.describe() == "The stream has stopped advancing for 6.1 s."


def test_origin_restart_with_lower_numbers_counts_as_new_segments() -> None:
    tracker = StreamTracker(URL)
    poll(tracker, playlist(100, 3), mono=0.0)
    health = poll(tracker, playlist(0, 2, prefix="r"), mono=1.0)
    assert health.state is StreamState.LIVE and health.advancing
    assert health.new_segments == 2 and health.segments_seen == 5


def test_a_playlist_that_empties_after_being_live_is_stalled() -> None:
    tracker = StreamTracker(URL)
    poll(tracker, playlist(0, 3), mono=0.0)
    health = poll(tracker, playlist(3, 0), mono=0.5)
    assert health.state is StreamState.STALLED and health.stall_reason == "empty"
    assert "no longer lists any segment" in health.describe()


def test_empty_playlist_before_anything_is_waiting() -> None:
    health = poll(StreamTracker(URL), playlist(0, 0), mono=0.0)
    assert health.state is StreamState.WAITING
    assert "no segment yet" in health.describe()


def test_404_before_and_after_live() -> None:
    tracker = StreamTracker(URL)
    before = tracker.observe_status(404, wall=WALL, mono=0.0)
    assert before.state is StreamState.WAITING
    poll(tracker, playlist(0, 3), mono=1.0)
    after = tracker.observe_status(410, wall=WALL, mono=13.0)
    assert after.state is StreamState.STALLED and after.stall_reason == "gone"
    assert after.describe() == (
        "The audience stream has disappeared: its address now answers 410 (last new segment 12 s ago)."
    )


@pytest.mark.parametrize("absent", ["404", "410", "empty"])
def test_segments_that_appear_after_the_stream_was_absent_are_new(absent: str) -> None:
    tracker = StreamTracker(URL)
    if absent == "empty":
        assert poll(tracker, playlist(0, 0), mono=0.0).state is StreamState.WAITING
    else:
        tracker.observe_status(int(absent), wall=WALL, mono=0.0)
    # frozen-looking PDT: an advance seen while watching wins over the origin's clock
    health = poll(tracker, playlist(0, 2, pdt=WALL - 60.0), mono=1.0)
    assert health.state is StreamState.LIVE and health.advancing
    assert health.new_segments == 2 and health.segments_seen == 2
    assert health.since_last_advance == 0.0
    assert poll(tracker, playlist(1, 2, pdt=WALL - 59.0), mono=2.0).new_segments == 3


@pytest.mark.parametrize("before", ["nothing", "unreachable", "500"])
def test_a_playlist_there_at_first_sight_is_only_a_baseline(before: str) -> None:
    """Without a 404 first, the segments may be a previous live's: one new segment is needed."""
    tracker = StreamTracker(URL)
    if before == "unreachable":
        tracker.observe_failure(StreamState.UNREACHABLE, "Could not reach origin.", reachable=False,
                                wall=WALL, mono=0.0)
    elif before == "500":
        tracker.observe_status(500, wall=WALL, mono=0.0)
    health = poll(tracker, playlist(0, 3), mono=1.0)
    assert health.new_segments == 0 and not health.advancing
    assert poll(tracker, playlist(1, 3), mono=2.0).new_segments == 1


def test_404_after_live_does_not_make_a_stale_playlist_new() -> None:
    tracker = StreamTracker(URL)
    poll(tracker, playlist(0, 3), mono=0.0)
    tracker.observe_status(404, wall=WALL, mono=1.0)
    health = poll(tracker, playlist(0, 3), mono=2.0)  # the same newest segment comes back
    assert health.new_segments == 0 and not health.advancing


def test_pdt_latency_and_clock_tolerance() -> None:
    settings = MonitorSettings(clock_tolerance=5.0)
    tracker = StreamTracker(URL, settings)
    # newest segment started 3 s ago: latency 3 s, it ended 1 s ago
    fresh = poll(tracker, playlist(0, 3, pdt=WALL - 3.0), mono=0.0)
    assert fresh.latency_estimate == pytest.approx(3.0)
    assert fresh.newest_segment_age == pytest.approx(1.0)
    assert fresh.state is StreamState.LIVE
    # 6 s stall window + 5 s tolerance: an 11.5-s-old newest segment at first sight is stalled
    old = poll(StreamTracker(URL, settings), playlist(0, 3, pdt=WALL - 13.5), mono=0.0)
    assert old.state is StreamState.STALLED and old.stall_reason == "old_segment"
    # a clock ahead of ours gives 0, not a negative age
    ahead = poll(StreamTracker(URL, settings), playlist(0, 3, pdt=WALL + 30.0), mono=0.0)
    assert ahead.latency_estimate == 0.0 and ahead.newest_segment_age == 0.0


def test_endlist_wins() -> None:
    health = poll(StreamTracker(URL), playlist(0, 3, endlist=True), mono=0.0)
    assert health.state is StreamState.ENDED and not health.advancing


@pytest.mark.parametrize(
    "kwargs",
    [
        {"poll_interval": 0},
        {"stall_after": -1.0},
        {"min_poll_interval": 6.0},
        {"bitrate_window": 0},
        {"clock_tolerance": -1.0},
    ],
)
def test_invalid_settings_are_config_errors(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        MonitorSettings(**kwargs)  # type: ignore[arg-type]


@given(st.one_of(st.none(), st.floats(min_value=0.001, max_value=1e6)))
def test_poll_interval_is_half_the_target_clamped(target: float | None) -> None:
    settings = MonitorSettings()
    interval = settings.interval(target)
    assert settings.min_poll_interval <= interval <= settings.max_poll_interval
    if target is not None and 1.0 <= target <= 10.0:
        assert interval == pytest.approx(target / 2)


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=30))
def test_counts_never_go_down_and_new_is_at_most_seen(steps: list[int]) -> None:
    tracker = StreamTracker(URL, MonitorSettings(stall_after=1e9))
    first = 0
    previous: StreamHealth | None = None
    for index, step in enumerate(steps):
        first += step
        health = poll(tracker, playlist(first, 3), mono=float(index))
        assert health.new_segments <= health.segments_seen
        if previous is not None:
            assert health.segments_seen - previous.segments_seen == step
            assert health.advancing == (step > 0 or previous.advancing)
        previous = health


def test_a_stream_never_seen_moving_says_so() -> None:
    tracker = StreamTracker(URL)
    poll(tracker, playlist(0, 3), mono=0.0)
    health = poll(tracker, playlist(0, 3), mono=8.0)
    assert health.state is StreamState.STALLED
    assert health.describe() == "The audience stream is not advancing: no new segment in 8.0 s."


def test_before_any_playlist_the_poll_is_as_fast_as_the_steady_minimum() -> None:
    """A go-live counts from the first playlist after a 404: waiting longer for it only adds delay."""
    settings = MonitorSettings()
    assert settings.interval(None) <= settings.min_poll_interval
