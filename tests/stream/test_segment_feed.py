"""SegmentFeed against the scripted loopback origin: where it starts, what it hands out, when it ends.

The feed's clock and its wait between polls are injected: each wait advances the clock and may
change the origin (publish a segment...), so every case is decided by what the test did.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from desktop.net.http import make_client
from desktop.stream.segment_feed import (
    FedSegment,
    FeedEnded,
    FeedNotLive,
    FeedUnsupported,
    SegmentFeed,
    poll_interval,
)
from tests.stream.origin import FakeOrigin, OriginServer


class Clock:
    """Monotonic time that only moves when the feed waits; ``on_wait`` runs at each wait."""

    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []
        self.on_wait: Callable[[int], None] = lambda _index: None

    def monotonic(self) -> float:
        return self.now

    async def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        self.on_wait(len(self.waits))


@pytest.fixture
def origin() -> FakeOrigin:
    return FakeOrigin(window=3, segment_bytes=376)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(follow_redirects=True) as client:
        yield client


def make_feed(client: httpx.AsyncClient, server: OriginServer, clock: Clock, path: str = "/live/index.m3u8",
              stall_timeout: float = 5.0) -> SegmentFeed:
    return SegmentFeed(client, server.url(path), stall_timeout=stall_timeout, monotonic=clock.monotonic,
                       wait=clock.wait)


async def take(feed: SegmentFeed, count: int) -> list[FedSegment]:
    taken: list[FedSegment] = []
    async for fed in feed.segments():
        taken.append(fed)
        if len(taken) == count:
            break
    return taken


def sequences(fed: list[FedSegment]) -> list[int]:
    return [item.segment.sequence for item in fed]


async def test_starts_with_the_first_segment_that_appears_after_opening(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient) -> None:
    origin.publish(3)  # 0, 1, 2 already listed: 2 is the newest, but already aging
    clock = Clock()
    clock.on_wait = lambda index: origin.publish() if index in (2, 5) else None
    feed = make_feed(client, server, clock)
    fed = await take(feed, 2)
    assert sequences(fed) == [3, 4]
    assert fed[0].segment.uri.endswith("seg-3.ts")
    # it polled at a quarter of the 1-s target duration while waiting
    assert clock.waits and all(wait == pytest.approx(0.25) for wait in clock.waits)


async def test_starts_with_the_newest_segment_when_none_comes_in_time(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient) -> None:
    origin.publish(3)
    clock = Clock()
    feed = make_feed(client, server, clock)
    start = clock.now
    async for fed in feed.segments():
        assert fed.segment.sequence == 2
        break
    assert clock.now - start == pytest.approx(1.5)  # FIRST_SEGMENT_WAIT target durations


async def test_hands_out_every_segment_in_order_even_two_at_once(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient) -> None:
    origin.publish(2)
    clock = Clock()
    clock.on_wait = lambda index: origin.publish(2) if index == 1 else None
    fed = await take(make_feed(client, server, clock), 2)
    assert sequences(fed) == [2, 3]


async def test_falls_back_to_the_newest_when_the_next_one_left_the_window(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient) -> None:
    origin.publish(3)
    clock = Clock()
    clock.on_wait = lambda index: origin.publish() if index == 1 else (origin.publish(5) if index == 2 else None)
    fed = await take(make_feed(client, server, clock), 2)
    # 3 arrived, then 4..8 at once with a 3-segment window: 4 is gone, so 8 (the newest) follows
    assert sequences(fed) == [3, 8]


@pytest.mark.parametrize("change, sentence", [
    ("restart", "media sequence went back"),
    ("discontinuity", "discontinuity"),
    ("ended", "finished"),
])
async def test_a_restarted_or_finished_stream_ends_the_feed(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient, change: str, sentence: str) -> None:
    origin.publish(3)
    clock = Clock()

    def on_wait(index: int) -> None:
        if index == 1:
            origin.publish()  # 3: the feed starts with it
        elif index == 2:
            if change == "restart":
                origin.published.clear()
                origin.next_sequence = 0
                origin.publish(2)
            elif change == "discontinuity":
                origin.discontinuity_before = origin.next_sequence
                origin.publish()
            else:
                origin.ended = True

    clock.on_wait = on_wait
    feed = make_feed(client, server, clock)
    seen: list[int] = []
    with pytest.raises(FeedEnded) as ended:
        async for fed in feed.segments():
            seen.append(fed.segment.sequence)
    assert seen == [3]
    assert sentence in ended.value.sentence


async def test_a_stalled_stream_ends_the_feed_after_the_stall_timeout(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient) -> None:
    origin.publish(3)
    clock = Clock()
    clock.on_wait = lambda index: origin.publish() if index == 1 else None
    feed = make_feed(client, server, clock, stall_timeout=4.0)
    seen: list[int] = []
    with pytest.raises(FeedEnded) as ended:
        async for fed in feed.segments():
            seen.append(fed.segment.sequence)
            started_waiting = clock.now
    assert seen == [3]
    assert clock.now - started_waiting == pytest.approx(4.0)
    assert "stalled" in ended.value.sentence


async def test_an_origin_that_goes_away_ends_the_feed_with_its_reason(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient) -> None:
    origin.publish(3)
    clock = Clock()

    def on_wait(index: int) -> None:
        if index == 1:
            origin.publish()
        elif index == 2:
            origin.status = 404

    clock.on_wait = on_wait
    with pytest.raises(FeedEnded) as ended:
        async for _fed in make_feed(client, server, clock, stall_timeout=2.0).segments():
            pass
    assert "404" in ended.value.sentence


async def test_a_failed_poll_is_retried_not_fatal(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient) -> None:
    origin.publish(3)
    clock = Clock()

    def on_wait(index: int) -> None:
        if index == 1:
            origin.publish()
        elif index == 2:
            origin.malformed = True
        elif index == 3:
            origin.malformed = False
            origin.publish()

    clock.on_wait = on_wait
    assert sequences(await take(make_feed(client, server, clock), 2)) == [3, 4]


async def test_a_master_playlist_is_followed_through_its_best_variant(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient) -> None:
    origin.publish(3)
    clock = Clock()
    clock.on_wait = lambda index: origin.publish() if index == 1 else None
    feed = make_feed(client, server, clock, path="/live/master.m3u8")
    assert sequences(await take(feed, 1)) == [3]
    assert feed.media_url is not None and feed.media_url.endswith("/live/index.m3u8")


@pytest.mark.parametrize("setup, error", [
    (lambda origin: None, FeedNotLive),  # nothing published yet
    (lambda origin: setattr(origin, "status", 404), FeedNotLive),
    (lambda origin: (origin.publish(2), setattr(origin, "ended", True)), FeedNotLive),
    (lambda origin: (origin.publish(2), setattr(origin, "fmp4", True)), FeedUnsupported),
])
async def test_open_refuses_what_cannot_be_relayed_now(
        origin: FakeOrigin, server: OriginServer, client: httpx.AsyncClient,
        setup: Callable[[FakeOrigin], object], error: type[Exception]) -> None:
    setup(origin)
    with pytest.raises(error):
        await make_feed(client, server, Clock()).open()


def test_poll_interval_is_a_quarter_segment_within_bounds() -> None:
    assert poll_interval(1.0) == pytest.approx(0.25)
    assert poll_interval(0.2) == pytest.approx(0.1)
    assert poll_interval(6.0) == pytest.approx(1.0)
