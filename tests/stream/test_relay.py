"""The preview relay over real loopback HTTP: what a player reading it receives, and when it ends.

The origin is the scripted one (segments appear when the test publishes them); the player is an
httpx client reading the relay's stream, as libVLC's http access does.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from desktop.errors import ConfigError
from desktop.stream.playlist import MediaPlaylist, Segment, parse_playlist
from desktop.stream.relay import (
    CATCH_UP_SPEED,
    PACE_LEAD,
    Downloaded,
    Pacer,
    PreviewRelay,
    RelayThread,
)
from desktop.stream.segment_feed import FedSegment
from desktop.stream.ts_clock import clock_marks
from tests.stream.origin import FakeOrigin, OriginServer
from tests.stream.test_pyav_playlist import write_hls

SEGMENT = 376  # two MPEG-TS packets
WAIT = 10.0  # upper bound for a condition, never a sleep


@pytest.fixture
def origin() -> FakeOrigin:
    return FakeOrigin(window=3, segment_bytes=SEGMENT)


@pytest.fixture
async def relay(server: OriginServer) -> AsyncIterator[PreviewRelay]:
    # a new player waits for a fresh segment as long as the test needs (no timing luck)
    async with PreviewRelay(server.url(), first_segment_wait=60.0, stall_timeout=30.0) as relay:
        yield relay


@pytest.fixture
async def player() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=WAIT) as client:
        yield client


async def read_exactly(stream: AsyncIterator[bytes], size: int, buffer: bytearray) -> bytes:
    """The next ``size`` bytes of the relay's stream (what is read beyond stays in ``buffer``)."""
    async def fill() -> None:
        while len(buffer) < size:
            buffer.extend(await anext(stream))
    await asyncio.wait_for(fill(), WAIT)
    taken = bytes(buffer[:size])
    del buffer[:size]
    return taken


async def drain(stream: AsyncIterator[bytes]) -> bytes:
    """The rest of the stream, once the relay closed it."""
    return b"".join([chunk async for chunk in stream])


async def wait_until(condition: object, what: str) -> None:
    async def poll() -> None:
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.01)  # polling a condition, bounded by WAIT
    try:
        await asyncio.wait_for(poll(), WAIT)
    except TimeoutError:
        pytest.fail(f"timed out waiting for {what}")


async def test_relays_the_segments_back_to_back_from_the_live_edge(
        origin: FakeOrigin, relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    origin.publish(3)  # seg-0..2 already there: the player must not start with them
    async with player.stream("GET", relay.url) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "video/mp2t"
        stream, buffer = response.aiter_raw(), bytearray()
        origin.publish()
        assert await read_exactly(stream, SEGMENT, buffer) == origin.segment_body("seg-3")
        origin.publish()
        assert await read_exactly(stream, SEGMENT, buffer) == origin.segment_body("seg-4")
    assert relay.stats.connections == 1
    assert relay.stats.sent_sequences == [3, 4]
    assert relay.stats.fallback == ""


async def test_not_live_yet_is_503_then_the_stream_plays(
        origin: FakeOrigin, relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    response = await player.get(relay.url)
    assert response.status_code == 503
    origin.publish(2)
    async with player.stream("GET", relay.url) as response:
        assert response.status_code == 200
        origin.publish()
        assert await read_exactly(response.aiter_raw(), SEGMENT, bytearray()) == origin.segment_body("seg-2")


async def test_fmp4_segments_redirect_the_player_to_the_hls_url(
        origin: FakeOrigin, server: OriginServer, relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    origin.publish(2)
    origin.fmp4 = True
    for _attempt in range(2):  # and it stays redirected: no second try at joining fMP4
        response = await player.get(relay.url)
        assert response.status_code == 302
        assert response.headers["location"] == server.url()
    assert "MPEG-TS" in relay.stats.fallback


async def test_segments_that_are_not_mpeg_ts_end_the_stream_and_redirect_the_next_open(
        origin: FakeOrigin, server: OriginServer, relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    origin.publish(2)
    origin.segment_lead = b"<"  # an HTML error page served as a segment, say
    async with player.stream("GET", relay.url) as response:
        assert response.status_code == 200
        origin.publish()
        body = await asyncio.wait_for(response.aread(), WAIT)
    assert body == b""  # nothing of it reached the player
    assert relay.stats.fallback
    assert (await player.get(relay.url)).status_code == 302


async def test_a_missing_segment_is_skipped_and_the_next_one_follows(
        origin: FakeOrigin, server: OriginServer, relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    origin.publish(2)
    async with player.stream("GET", relay.url) as response:
        stream, buffer = response.aiter_raw(), bytearray()
        origin.publish()
        assert await read_exactly(stream, SEGMENT, buffer) == origin.segment_body("seg-2")
        # seg-3 is listed but its file is gone by the time the relay asks for it
        origin.published.append((3, 0.0))
        origin.next_sequence = 4
        original = origin.segment_body
        origin.segment_body = lambda name: b"" if name == "seg-3" else original(name)  # type: ignore[method-assign]
        origin.publish()
        assert await read_exactly(stream, SEGMENT, buffer) == original("seg-4")
    assert relay.stats.sent_sequences[-1] == 4


async def test_a_restart_ends_the_stream_so_the_player_reopens_at_the_edge(
        origin: FakeOrigin, relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    origin.publish(2)
    async with player.stream("GET", relay.url) as response:
        stream, buffer = response.aiter_raw(), bytearray()
        origin.publish()
        await read_exactly(stream, SEGMENT, buffer)
        origin.published.clear()
        origin.next_sequence = 0
        origin.publish(1)
        rest = await asyncio.wait_for(drain(stream), WAIT)  # the relay closes the stream
    assert rest == b"" and not buffer
    assert "restarted" in relay.stats.last_end


async def test_a_player_that_leaves_frees_its_connection(
        origin: FakeOrigin, relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    origin.publish(2)
    async with player.stream("GET", relay.url) as response:
        origin.publish()
        await read_exactly(response.aiter_raw(), SEGMENT, bytearray())
        assert len(relay._tasks) == 1
    origin.publish()  # the relay notices the closed socket when it writes the next segment
    await wait_until(lambda: not relay._tasks, "the relay to drop the connection")


async def test_only_its_secret_path_is_served(relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    base = relay.url.rsplit("/", 2)[0]
    assert (await player.get(base + "/live.ts")).status_code == 404
    assert (await player.get(base + "/guess/live.ts")).status_code == 404
    assert (await player.post(relay.url)).status_code == 405
    assert relay.url.startswith("http://127.0.0.1:")


async def test_garbage_requests_are_closed_without_harm(relay: PreviewRelay, player: httpx.AsyncClient) -> None:
    port = int(relay.url.split(":")[2].split("/")[0])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"\x00\xffNOT HTTP AT ALL\r\n" + b"A" * 70_000)
    await writer.drain()
    assert await asyncio.wait_for(reader.read(), WAIT) == b""  # closed, no answer
    writer.close()
    assert (await player.get(relay.url)).status_code == 503  # and it still serves players


async def test_relay_thread_serves_from_its_own_loop_and_stops(origin: FakeOrigin, server: OriginServer) -> None:
    thread = RelayThread(server.url(), stall_timeout=30.0)
    url = thread.start()
    try:
        assert threading_names() >= {"pupitre-preview-relay"}
        async with httpx.AsyncClient(timeout=WAIT) as client:
            assert (await client.get(url)).status_code == 503
    finally:
        thread.stop()
    assert "pupitre-preview-relay" not in threading_names()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", int(url.split(":")[2].split("/")[0])), 1):
        pass


def threading_names() -> set[str]:
    import threading

    return {thread.name for thread in threading.enumerate()}


class FakeTime:
    """The pacer's clock: moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 50.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds


class RecordingWriter:
    def __init__(self, time: FakeTime) -> None:
        self.time = time
        self.writes: list[tuple[float, int]] = []  # (when, bytes so far)
        self.data = bytearray()

    def write(self, data: bytes) -> None:
        self.data.extend(data)
        self.writes.append((self.time.now, len(self.data)))

    async def drain(self) -> None:
        return None


def real_segments(folder: Path) -> list[tuple[Segment, bytes]]:
    write_hls(folder, seconds=3)
    playlist = parse_playlist((folder / "live.m3u8").read_text(), str(folder / "live.m3u8"))
    assert isinstance(playlist, MediaPlaylist)
    return [(segment, (folder / Path(segment.uri).name).read_bytes()) for segment in playlist.segments[:3]]


async def test_the_pacer_writes_each_segment_at_the_pace_of_its_clock(tmp_path: Path) -> None:
    time = FakeTime()
    pacer = Pacer(time.clock, time.sleep)
    writer = RecordingWriter(time)
    segments = real_segments(tmp_path)
    started = time.now
    due = started
    for segment, body in segments:  # each one there just before its turn, as from a live origin
        arrived = max(time.now, due - PACE_LEAD)
        await pacer.write(Downloaded(FedSegment(segment, arrived), body, arrived), writer)
        due += segment.duration
    assert bytes(writer.data) == b"".join(body for _, body in segments)  # every byte, in order
    # the last write of each segment happens PACE_LEAD before its last PCR's time, never earlier
    end = started
    for segment, body in segments:
        marks = clock_marks(body)
        span = marks[-1].seconds - marks[0].seconds
        last_paced = max(when for when, size in writer.writes if size <= len(b"".join(
            b for _, b in segments[:segments.index((segment, body)) + 1])))
        assert last_paced == pytest.approx(end + span - PACE_LEAD, abs=1e-6)
        end += segment.duration


async def test_the_pacer_catches_up_when_a_segment_is_late(tmp_path: Path) -> None:
    time = FakeTime()
    pacer = Pacer(time.clock, time.sleep)
    writer = RecordingWriter(time)
    (segment, body), *_ = real_segments(tmp_path)
    marks = clock_marks(body)
    span = marks[-1].seconds - marks[0].seconds
    arrived_long_ago = time.now - segment.duration  # waited a whole segment for its turn
    await pacer.write(Downloaded(FedSegment(segment, arrived_long_ago), body, arrived_long_ago), writer)
    assert time.now - 50.0 == pytest.approx(span / CATCH_UP_SPEED - PACE_LEAD, abs=1e-6)


async def test_unclocked_bytes_are_written_at_once(tmp_path: Path) -> None:
    time = FakeTime()
    writer = RecordingWriter(time)
    segment = Segment(uri="http://x/seg-1.ts", duration=1.0, sequence=1)
    await Pacer(time.clock, time.sleep).write(Downloaded(FedSegment(segment, 50.0), b"\x47" * 376, 50.0), writer)
    assert writer.writes == [(50.0, 376)]


def test_only_http_upstreams_are_relayed() -> None:
    for url in ("ftp://example.org/live.m3u8", "http:///live.m3u8", "file:///etc/passwd"):
        with pytest.raises(ConfigError):
            PreviewRelay(url)


async def test_a_non_ascii_upstream_is_redirected_to_percent_encoded(origin: FakeOrigin, server: OriginServer,
                                                                     player: httpx.AsyncClient) -> None:
    origin.publish(2)
    origin.fmp4 = True
    async with PreviewRelay(server.url("/live/index.m3u8?salle=amphithéâtre")) as relay:
        response = await player.get(relay.url)
    assert response.status_code == 302
    assert response.headers["location"].endswith("?salle=amphith%C3%A9%C3%A2tre")
