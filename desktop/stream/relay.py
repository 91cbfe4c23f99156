"""The preview relay: the audience's HLS served to the local player as one MPEG-TS stream.

Why: the preview must show what the audience sees with as little delay as a player can have.
libVLC 3 reading HLS by itself starts two segments or more behind the newest one and buffers at
least 2 s before it plays (measured: 2.0-2.8 s behind the HLS edge with 1-s segments, whatever
its options).  Through the relay, VLC reads a plain HTTP stream: the relay starts it with the
first segment that appears after the player connected and appends every following segment as
soon as the playlist lists it (:class:`~desktop.stream.segment_feed.SegmentFeed`), so VLC's
``network-caching`` is the only buffer left.  The bytes are the audience's segments, unchanged.

The relay listens on 127.0.0.1 only, on a random port, under a random path (it is not an open
proxy for other local programs), and serves ``GET /<token>/live.ts``:

* ``200`` + MPEG-TS, until the stream restarts, finishes or stalls (the connection then ends and
  the player reopens, which starts again at the live edge);
* ``503`` while the stream is not live yet (the player retries with its back-off);
* ``302`` to the HLS URL itself when the segments cannot be joined (fMP4, encrypted): the player
  then reads HLS as before, only later.

:class:`RelayThread` runs a relay on its own event loop in a thread, so that a busy GUI thread
never delays the video: the Qt preview starts one per URL and stops it with the preview.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from desktop.errors import NetworkError, PupitreError
from desktop.logs import redact
from desktop.net.http import HttpOptions, make_client, send, within_deadline
from desktop.stream.monitor import check_stream_url
from desktop.stream.segment_feed import (
    FIRST_SEGMENT_WAIT,
    FedSegment,
    FeedEnded,
    FeedNotLive,
    FeedUnsupported,
    SegmentFeed,
)
from desktop.stream.ts_clock import PACKET_SIZE, pacing_schedule

logger = logging.getLogger(__name__)

MAX_SEGMENT_BYTES = 64 * 1024 * 1024
"""A segment larger than this is not a live preview segment: the connection is ended."""
REQUEST_TIMEOUT = 5.0
MAX_REQUEST_BYTES = 8192
TS_SYNC_BYTE = 0x47


@dataclass
class RelayStats:
    """What the relay did, for the health view, the benchmark and tests.

    Attributes:
        connections: player connections accepted.
        segments_sent: segments written to players, in total.
        last_sequence: media sequence of the newest segment sent.
        fallback: why the relay redirects the player to the HLS URL ("" while it relays).
        last_end: the sentence of the last feed end (restart, stall...), for the log.
        late_segments: segments skipped because their download passed the request deadline.
    """

    connections: int = 0
    segments_sent: int = 0
    last_sequence: int | None = None
    fallback: str = ""
    last_end: str = ""
    late_segments: int = 0
    sent_sequences: list[int] = field(default_factory=list)


class PreviewRelay:
    """A loopback HTTP server relaying one audience HLS URL as MPEG-TS (see the module docstring).

    Args:
        upstream: the audience HLS URL (http or https).
        options: transport options for the upstream server (timeouts, CA bundle).
        client: an existing AsyncClient (not closed by the relay), e.g. with a test transport.
        stall_timeout: end a player's stream when no new segment came for this long.
        first_segment_wait: how long a new player waits for a fresh segment, in target durations
            (then it starts with the newest one).

    Raises:
        ConfigError: the URL is not an http(s) URL.
    """

    def __init__(
        self,
        upstream: str,
        options: HttpOptions | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        stall_timeout: float = 15.0,
        first_segment_wait: float = FIRST_SEGMENT_WAIT,
    ) -> None:
        self.upstream = check_stream_url(upstream)
        # what the redirect's Location header carries: ASCII only (non-ASCII is percent-encoded)
        self._location = str(httpx.URL(self.upstream))
        self.stall_timeout = stall_timeout
        self.first_segment_wait = first_segment_wait
        self.stats = RelayStats()
        self._options = options or HttpOptions()
        self._client = client
        self._owns_client = client is None
        self._token = secrets.token_urlsafe(12)
        self._server: asyncio.Server | None = None
        self._port = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        """The address to give the player (valid once :meth:`start` returned)."""
        if self._server is None:
            raise RuntimeError("the relay is not started")
        return f"http://127.0.0.1:{self._port}/{self._token}/live.ts"

    async def start(self) -> str:
        if self._client is None:
            self._client = make_client(self._options, follow_redirects=True,
                                       headers={"User-Agent": "Pupitre preview", "Cache-Control": "no-cache"})
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self._port = self._server.sockets[0].getsockname()[1]
        logger.info("preview relay for %s on port %d", redact(self.upstream), self._port)
        return self.url

    async def aclose(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._server is not None:
            await self._server.wait_closed()
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> PreviewRelay:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- one player connection ------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the player went away: nothing to clean up but the socket
        except asyncio.CancelledError:
            # the relay is closing; ending here (not re-raising) keeps asyncio's stream callback,
            # which asks a server task for its exception, from logging a cancelled one as an error
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), REQUEST_TIMEOUT)
        except (TimeoutError, asyncio.LimitOverrunError, asyncio.IncompleteReadError):
            return
        if len(head) > MAX_REQUEST_BYTES:
            await _answer(writer, 431, "Request Header Fields Too Large")
            return
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split(" ")
        if len(parts) != 3 or parts[1].split("?", 1)[0] != f"/{self._token}/live.ts":
            await _answer(writer, 404, "Not Found")
            return
        if parts[0] not in ("GET", "HEAD"):
            await _answer(writer, 405, "Method Not Allowed")
            return
        if self.stats.fallback:
            await _answer(writer, 302, "Found", location=self._location)
            return
        assert self._client is not None
        feed = SegmentFeed(self._client, self.upstream, stall_timeout=self.stall_timeout,
                           first_segment_wait=self.first_segment_wait)
        try:
            await feed.open()
        except FeedUnsupported as unsupported:
            self.stats.fallback = unsupported.sentence
            logger.info("preview relay: %s; the player reads the HLS itself", unsupported.sentence)
            await _answer(writer, 302, "Found", location=self._location)
            return
        except PupitreError as error:  # not live yet, unreachable, malformed: the player retries
            logger.info("preview relay: stream not playable yet: %s", error.sentence)
            await _answer(writer, 503, "Service Unavailable")
            return
        self.stats.connections += 1
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nCache-Control: no-store\r\n"
                     b"Connection: close\r\n\r\n")
        await writer.drain()
        if parts[0] == "HEAD":
            return
        # the player sends nothing more: the end of its request stream means it went away, even
        # while the feed is waiting for the next segment
        relaying = asyncio.ensure_future(self._relay_feed(feed, writer))
        leaving = asyncio.ensure_future(_until_closed(reader))
        try:
            await asyncio.wait((relaying, leaving), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (relaying, leaving):
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await relaying
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await leaving

    async def _relay_feed(self, feed: SegmentFeed, writer: asyncio.StreamWriter) -> None:
        """Download segments as they are listed (producer) and write each at its own pace (consumer).

        Downloading ahead keeps the next segment's first bytes ready when the previous one ends.
        """
        ready: asyncio.Queue[Downloaded | None] = asyncio.Queue(maxsize=4)
        producer = asyncio.ensure_future(self._download_feed(feed, ready))
        try:
            pacer = Pacer(asyncio.get_running_loop().time)
            while (item := await ready.get()) is not None:
                await pacer.write(item, writer)
                self.stats.segments_sent += 1
                self.stats.last_sequence = item.fed.segment.sequence
                self.stats.sent_sequences.append(item.fed.segment.sequence)
                del self.stats.sent_sequences[:-64]
        finally:
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer

    async def _download_feed(self, feed: SegmentFeed, ready: asyncio.Queue[Downloaded | None]) -> None:
        try:
            async for fed in feed.segments():
                body = await self._download(fed)
                if body is None:
                    return
                if body:
                    await ready.put(Downloaded(fed, body, asyncio.get_running_loop().time()))
        except (FeedEnded, FeedNotLive) as ended:
            self.stats.last_end = ended.sentence
            logger.info("preview relay: %s", ended.sentence)
        finally:
            await ready.put(None)

    async def _download(self, fed: FedSegment) -> bytes | None:
        """The segment's bytes; b"" to skip it (the player loses one segment); None to end the stream."""
        assert self._client is not None
        number = fed.segment.sequence
        request = self._client.build_request("GET", fed.segment.uri)
        try:
            response = await send(self._client, request, stream=True)
        except NetworkError as error:
            logger.info("preview relay: segment %d skipped: %s", number, error.sentence)
            return b""
        try:
            if not 200 <= response.status_code < 300:
                logger.info("preview relay: segment %d answered %d", number, response.status_code)
                return b""
            body = bytearray()
            try:
                async with within_deadline(response):  # a trickling origin costs one segment
                    async for chunk in response.aiter_bytes():
                        body.extend(chunk)
                        if len(body) > MAX_SEGMENT_BYTES:
                            logger.info("preview relay: segment %d is too large", number)
                            return None
            except NetworkError as error:  # the DeadlineError of within_deadline
                logger.info("preview relay: segment %d skipped: %s", number, error.sentence)
                self.stats.late_segments += 1
                return b""
            except httpx.HTTPError:
                logger.info("preview relay: segment %d broke off", number)
                return b""
        finally:
            await response.aclose()
        if body and body[0] != TS_SYNC_BYTE:
            self.stats.fallback = "the segments are not MPEG-TS"
            logger.info("preview relay: segment %d is not MPEG-TS; the player will read the HLS", number)
            return None
        return bytes(body)


PACE_LEAD = 0.2
"""Each part of a segment is written this long before its PCR's time: the player never waits."""
CATCH_UP_SPEED = 1.25
"""The pace when a segment waited for its turn half a segment longer than usual (a burst)."""


class Writer(Protocol):
    """What the pacer writes to (an asyncio StreamWriter)."""

    def write(self, data: bytes) -> None: ...

    async def drain(self) -> None: ...


@dataclass(frozen=True)
class Downloaded:
    """A segment's bytes, and when they were there (the relay's loop clock)."""

    fed: FedSegment
    body: bytes
    arrived_at: float


class Pacer:
    """Writes segments back to back, each at the pace of its PCRs (see :mod:`desktop.stream.ts_clock`).

    A segment starts when it is there and the previous one's time is over; when it is already
    half a segment later than usual (a burst of segments after a hiccup) it is written at
    :data:`CATCH_UP_SPEED` so the player gets back to the edge.  ``clock`` and ``sleep`` are
    injectable for tests; the sleep *is* the pace here, not a wait standing in for a state.
    """

    def __init__(self, clock: Callable[[], float],
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._previous_end: float | None = None

    async def write(self, item: Downloaded, writer: Writer) -> None:
        duration = item.fed.segment.duration
        now = self._clock()
        start = now if self._previous_end is None else max(now, self._previous_end)
        # a segment is normally there a little before its turn (downloaded while the previous one
        # was paced); half a segment more than that means the relay is behind the edge
        speed = CATCH_UP_SPEED if start - item.arrived_at > duration / 2 + PACE_LEAD else 1.0
        written = 0
        for offset, seconds in pacing_schedule(item.body, duration):
            due = start + seconds / speed - PACE_LEAD
            if due > self._clock():
                # what comes before the packet carrying this PCR may go now; that packet, at its time
                packet_start = offset - PACKET_SIZE
                if packet_start > written:
                    writer.write(item.body[written:packet_start])
                    written = packet_start
                    await writer.drain()
                await self._sleep(due - self._clock())  # the pace of the stream's own clock
        writer.write(item.body[written:])
        await writer.drain()
        self._previous_end = start + duration / speed


async def _until_closed(reader: asyncio.StreamReader) -> None:
    """Return when the player closes its side (whatever it sends meanwhile is dropped)."""
    while await reader.read(4096):
        pass


async def _answer(writer: asyncio.StreamWriter, status: int, reason: str, *, location: str | None = None) -> None:
    lines = [f"HTTP/1.1 {status} {reason}", "Content-Length: 0", "Connection: close"]
    if location is not None:
        lines.append(f"Location: {location}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    await writer.drain()


class RelayThread:
    """A :class:`PreviewRelay` on its own event loop in a daemon thread (for the Qt preview).

    ``start()`` returns the player URL once the relay listens; ``stop()`` closes it and joins the
    thread.  Both wait for the relay's own confirmation, with a timeout.
    """

    def __init__(self, upstream: str, options: HttpOptions | None = None, *, stall_timeout: float = 15.0) -> None:
        self.relay = PreviewRelay(upstream, options, stall_timeout=stall_timeout)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None

    def start(self, timeout: float = 5.0) -> str:
        started: Future[str] = Future()
        self._thread = threading.Thread(target=self._run, args=(started,), name="pupitre-preview-relay",
                                        daemon=True)
        self._thread.start()
        return started.result(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        loop, stopped = self._loop, self._stopped
        if loop is not None and stopped is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stopped.set)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self, started: Future[str]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main(started))
        finally:
            loop.close()

    async def _main(self, started: Future[str]) -> None:
        self._stopped = asyncio.Event()
        try:
            url = await self.relay.start()
        except OSError as exc:
            started.set_exception(exc)
            return
        started.set_result(url)
        try:
            await self._stopped.wait()
        finally:
            await self.relay.aclose()
