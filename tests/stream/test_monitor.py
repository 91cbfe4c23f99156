"""The HLS monitor against a real HTTP origin on loopback, advanced by the test itself.

Thresholds are shortened (poll every 50 ms, stall after 0.5 s) so a full life cycle takes a
couple of seconds; every step waits for a state with ``wait_for(..., timeout)``.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from desktop.errors import ConfigError, PupitreError
from desktop.net.http import HttpOptions, Timeouts
from desktop.stream import HlsMonitor, MonitorSettings, StreamHealth, StreamState, StreamWaitTimeout
from tests.stream.origin import FakeOrigin, OriginServer

FAST = MonitorSettings(poll_interval=0.05, stall_after=0.5)
WAIT = 10.0  # generous: only reached when something is broken


def state_is(state: StreamState, **fields: object):  # type: ignore[no-untyped-def]
    def predicate(health: StreamHealth) -> bool:
        return health.state is state and all(getattr(health, k) == v for k, v in fields.items())

    return predicate


@pytest.fixture
async def origin() -> AsyncIterator[FakeOrigin]:
    fake = FakeOrigin()
    yield fake


@pytest.fixture
async def monitor(server: OriginServer) -> AsyncIterator[HlsMonitor]:
    watched = HlsMonitor(server.url(), settings=FAST)
    yield watched
    await watched.aclose()


async def test_full_life_cycle(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.status = 404
    monitor.start()
    health = await monitor.wait_for(state_is(StreamState.WAITING, http_status=404), WAIT)
    assert health.reachable and not health.advancing
    assert health.describe() == "The audience stream address answers 404: the stream has not started."

    origin.status = 200
    origin.publish(3)
    health = await monitor.wait_for(state_is(StreamState.LIVE), WAIT)
    # the address answered 404 first: these three segments appeared while the monitor watched
    assert health.segments_seen == 3 and health.new_segments == 3 and health.advancing
    assert health.media_sequence == 0 and health.target_duration == 1.0

    origin.publish(1)
    health = await monitor.wait_for(lambda h: h.state is StreamState.LIVE and h.segments_seen == 4, WAIT)
    assert health.new_segments == 4 and health.advancing
    assert health.media_sequence == 1
    assert health.newest_segment_age is not None and health.newest_segment_age < 0.5
    assert health.describe().startswith("The audience stream is live and advancing (newest segment")

    # the test stops publishing: the monitor must notice the stream is stuck
    health = await monitor.wait_for(state_is(StreamState.STALLED), WAIT)
    assert health.stall_reason == "not_advancing" and not health.advancing
    assert health.since_last_advance is not None and health.since_last_advance > 0.5
    assert health.describe().startswith("The stream has stopped advancing for ")

    origin.publish(2)
    health = await monitor.wait_for(state_is(StreamState.LIVE, advancing=True), WAIT)
    assert health.new_segments == 6 and health.segments_seen == 6

    origin.ended = True
    health = await monitor.wait_for(state_is(StreamState.ENDED), WAIT)
    assert "ended" in health.describe()


async def test_404_after_live_means_the_stream_is_gone_then_it_comes_back(
    origin: FakeOrigin, monitor: HlsMonitor
) -> None:
    origin.publish(3)
    monitor.start()
    await monitor.wait_for(state_is(StreamState.LIVE), WAIT)
    origin.status = 404
    health = await monitor.wait_for(state_is(StreamState.STALLED), WAIT)
    assert health.stall_reason == "gone" and health.reachable
    assert health.describe().startswith("The audience stream has disappeared: its address now answers 404")
    assert "stopped" in health.last_error
    origin.status = 200
    origin.publish(1)
    health = await monitor.wait_for(state_is(StreamState.LIVE, advancing=True), WAIT)
    assert health.last_error == ""


async def test_malformed_playlist_is_an_error_state_and_recovers(
    origin: FakeOrigin, monitor: HlsMonitor
) -> None:
    origin.publish(2)
    origin.malformed = True
    health = await monitor.check_once()
    assert health.state is StreamState.ERROR and health.reachable
    assert "does not start with #EXTM3U" in health.last_error
    assert health.describe().startswith("The audience stream playlist is unusable: the answer is not")
    origin.malformed = False
    health = await monitor.check_once()
    assert health.state is StreamState.LIVE


async def test_huge_answer_is_refused(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.huge = True
    health = await monitor.check_once()
    assert health.state is StreamState.ERROR
    assert "too large" in health.last_error


async def test_unexpected_status_is_an_error(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.status = 403
    health = await monitor.check_once()
    assert health.state is StreamState.ERROR and health.http_status == 403
    assert health.describe() == "The audience stream address answers HTTP 403, not a playlist."


async def test_unreachable_port() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = HttpOptions(timeouts=Timeouts(connect=2.0, read=2.0))
    async with HlsMonitor(f"http://127.0.0.1:{port}/live/index.m3u8", options, FAST) as monitor:
        health = await monitor.check_once()
    assert health.state is StreamState.UNREACHABLE and not health.reachable
    assert health.last_error == f"Could not reach 127.0.0.1:{port}."
    assert health.describe() == f"The audience stream cannot be reached: could not reach 127.0.0.1:{port}."


async def test_latency_and_age_from_program_date_time(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.with_pdt = True
    origin.pdt_lag = 2.5
    origin.publish(3)
    health = await monitor.check_once()
    assert health.state is StreamState.LIVE
    assert health.latency_estimate is not None
    assert 2.5 <= health.latency_estimate < 2.5 + WAIT
    # the newest segment (1 s long) started 2.5 s ago, so it ended 1.5 s ago
    assert health.newest_segment_age is not None
    assert health.newest_segment_age == pytest.approx(health.latency_estimate - 1.0, abs=0.01)


async def test_frozen_playlist_with_old_pdt_is_stalled_at_first_sight(
    origin: FakeOrigin, monitor: HlsMonitor
) -> None:
    origin.with_pdt = True
    origin.pdt_lag = 120.0
    origin.publish(3)
    health = await monitor.check_once()
    assert health.state is StreamState.STALLED and health.stall_reason == "old_segment"
    assert health.describe().startswith("The audience stream is not advancing: its newest segment is")
    # an origin whose clock is wrong but which does advance is believed: live
    origin.publish(1)
    health = await monitor.check_once()
    assert health.state is StreamState.LIVE and health.advancing


async def test_no_pdt_gives_no_latency_and_local_age(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.publish(3)
    first = await monitor.check_once()
    assert first.latency_estimate is None
    assert first.newest_segment_age is None  # it was already there: its age is unknown
    origin.publish(1)
    second = await monitor.check_once()
    assert second.newest_segment_age is not None and second.newest_segment_age >= 0


async def test_bitrate_from_segment_sizes_with_head_only(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.segment_bytes = 250_000  # 2 Mbit per 1-s segment
    origin.publish(3)
    health = await monitor.check_once()
    assert health.bitrate_bps == 2_000_000
    origin.segment_bytes = 125_000
    origin.publish(1)
    health = await monitor.check_once()
    assert health.bitrate_bps == 1_500_000  # the average of the two measured segments
    await monitor.check_once()  # nothing new: no new request
    assert origin.head_requests == 2
    assert origin.segment_gets == 0


async def test_master_playlist_follows_the_highest_variant(origin: FakeOrigin, server: OriginServer) -> None:
    origin.publish(2)
    async with HlsMonitor(server.url("/live/master.m3u8"), settings=FAST) as monitor:
        health = await monitor.check_once()
        assert health.state is StreamState.LIVE
        assert health.playlist_url == server.url("/live/index.m3u8")
        assert health.url == server.url("/live/master.m3u8")
        origin.publish(1)
        health = await monitor.check_once()
        assert health.advancing


async def test_listeners_and_watch_see_every_snapshot(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.publish(1)
    seen: list[StreamState] = []
    awaited: list[int] = []

    def broken(health: StreamHealth) -> None:
        raise RuntimeError("a listener bug must not stop the monitor")

    async def async_listener(health: StreamHealth) -> None:
        awaited.append(health.segments_seen)

    monitor.add_listener(broken)
    remove = monitor.add_listener(lambda h: seen.append(h.state))
    monitor.add_listener(async_listener)
    states: list[StreamState] = []
    async for health in monitor.watch():
        states.append(health.state)
        if len(states) == 1:
            origin.publish(1)
        if health.advancing:
            break
    assert states[0] is StreamState.LIVE and states[-1] is StreamState.LIVE
    assert len(seen) >= len(states) and awaited
    remove()
    count = len(seen)
    await monitor.check_once()
    assert len(seen) == count


async def test_wait_for_times_out_with_the_last_verdict(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.status = 404
    with pytest.raises(StreamWaitTimeout) as caught:
        await monitor.wait_for(lambda h: h.state is StreamState.LIVE, 0.3)
    assert isinstance(caught.value, PupitreError)
    assert caught.value.health is not None and caught.value.health.state is StreamState.WAITING
    assert caught.value.sentence.endswith("the stream has not started.")
    assert not monitor.running  # wait_for started polling for itself and stopped it again


async def test_wait_for_returns_the_latest_snapshot_when_it_already_matches(
    origin: FakeOrigin, monitor: HlsMonitor
) -> None:
    origin.publish(1)
    health = await monitor.check_once()
    assert await monitor.wait_for(lambda h: h.is_live, 0.01) is health


async def test_snapshot_json_uses_stable_names(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.publish(2)
    data = (await monitor.check_once()).to_dict()
    for name in (
        "state", "reachable", "advancing", "media_sequence", "newest_segment_age",
        "target_duration", "latency_estimate", "bitrate_bps", "last_error", "url",
    ):
        assert name in data
    assert data["state"] == "live" and data["summary"].startswith("The audience stream is live")


@pytest.mark.parametrize("url", ["ftp://example.org/a.m3u8", "not a url", "http:///nohost.m3u8"])
def test_bad_url_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError):
        HlsMonitor(url)


async def test_a_listener_may_stop_the_monitor(origin: FakeOrigin, monitor: HlsMonitor) -> None:
    origin.publish(1)
    stopped = asyncio.Event()

    async def stop_on_live(health: StreamHealth) -> None:
        if health.is_live:
            await monitor.stop()
            stopped.set()

    monitor.add_listener(stop_on_live)
    monitor.start()
    await asyncio.wait_for(stopped.wait(), WAIT)
    task = monitor._task
    assert task is not None
    await asyncio.wait_for(task, WAIT)  # the loop ends by itself instead of deadlocking
    assert not monitor.running
