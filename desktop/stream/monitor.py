"""The HLS monitor: polls the audience playlist and tells whether the stream is really live.

The audience watches HLS, several seconds behind the presenter; the gateway saying "streaming"
does not prove that segments reach the origin.  :class:`HlsMonitor` polls the very URL the
audience uses, at about half a segment's duration, and publishes a :class:`StreamHealth` after
every poll (see :mod:`desktop.stream.tracker` for the rules).

Observing it:

* ``await monitor.check_once()`` — one poll, one snapshot (also published to listeners);
* ``monitor.add_listener(callback)`` — called with every snapshot (sync or async callables);
* ``async for health in monitor.watch(): ...`` — every snapshot (starts polling if needed);
* ``await monitor.wait_for(predicate, timeout)`` — the first snapshot that satisfies
  ``predicate``, e.g. ``lambda h: h.is_live and h.new_segments >= 2`` for go-live; raises
  :class:`StreamWaitTimeout` (a PupitreError whose sentence ends with the last verdict).

No exception escapes the polling loop: network failures, bad statuses and malformed playlists
are states, and a listener that raises is logged and skipped.

Bitrate: each time the newest segment changes, one HEAD request reads its Content-Length (no
video is downloaded); the bitrate is the average over the last few measured segments.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

import httpx

from desktop.errors import ConfigError, NetworkError, PupitreError
from desktop.i18n import _
from desktop.logs import redact
from desktop.net.http import HttpOptions, make_client
from desktop.stream.fetch import fetch_limited, parse_off_loop, segment_size
from desktop.stream.health import StreamHealth, StreamState
from desktop.stream.playlist import (
    MasterPlaylist,
    MediaPlaylist,
    PlaylistError,
    Segment,
)
from desktop.stream.tracker import MonitorSettings, StreamTracker

logger = logging.getLogger(__name__)

Listener = Callable[[StreamHealth], object | Awaitable[object]]
Predicate = Callable[[StreamHealth], bool]

_QUEUE_SIZE = 256


class StreamWaitTimeout(PupitreError):
    """:meth:`HlsMonitor.wait_for` ran out of time.

    Attributes:
        health: the last snapshot seen (None if no poll finished).
    """

    def __init__(self, sentence: str, *, health: StreamHealth | None, hint: str = "") -> None:
        super().__init__(sentence, hint=hint)
        self.health = health


class _StatusAnswer(Exception):
    """Internal: the playlist address answered a non-2xx status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def check_stream_url(url: str) -> str:
    """``url`` stripped, or a ConfigError when it is not an http(s) address with a host."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # "https://[::1": an unclosed IPv6 bracket, a port that is not a number
        valid = False
    if not valid:
        raise ConfigError(
            _("The audience stream address must be an http:// or https:// URL of an .m3u8 playlist."),
        )
    return url


class HlsMonitor:
    """Watches one audience HLS URL (master or media playlist).

    Args:
        url: the audience URL.
        options: transport options (timeouts, CA bundle, insecure switch).
        settings: polling and stall thresholds.
        client: an existing AsyncClient to use (not closed by the monitor); by default the
            monitor makes its own with :func:`desktop.net.http.make_client`.
        wall / monotonic: clocks (injectable for tests).

    Raises:
        ConfigError: the URL is not an http(s) URL.
    """

    def __init__(
        self,
        url: str,
        options: HttpOptions | None = None,
        settings: MonitorSettings | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = check_stream_url(url)
        self.options = options or HttpOptions()
        self.settings = settings or MonitorSettings()
        self._client = client
        self._owns_client = client is None
        self._wall = wall
        self._monotonic = monotonic
        self._tracker = StreamTracker(self.url, self.settings)
        self._variant_url: str | None = None
        self._latest: StreamHealth | None = None
        self._listeners: list[Listener] = []
        self._queues: list[asyncio.Queue[StreamHealth]] = []
        self._poll_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    # -- life cycle -------------------------------------------------------------------------

    async def __aenter__(self) -> HlsMonitor:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def latest(self) -> StreamHealth | None:
        """The last published snapshot, or None before the first poll."""
        return self._latest

    def start(self) -> None:
        """Start polling in the background (no-op when already running)."""
        if self.running:
            return
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=f"hls-monitor {redact(self.url)}")

    async def stop(self) -> None:
        """Stop polling; the last snapshot stays available."""
        task = self._task
        if task is None:
            return
        self._stopping.set()
        if asyncio.current_task() is task:  # called from a listener: the loop ends by itself
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=self.options.timeouts.deadline + 1)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None

    async def aclose(self) -> None:
        """Stop polling and close the HTTP client if the monitor made it."""
        await self.stop()
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    def next_interval(self) -> float:
        """Seconds until the next poll, from the last known target duration."""
        return self.settings.interval(self._tracker.target_duration)

    # -- observation ------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every snapshot; returns a function that removes it."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    async def check_once(self) -> StreamHealth:
        """Poll now (never raises for stream problems), publish and return the snapshot."""
        async with self._poll_lock:
            health = await self._poll()
            await self._publish(health)
            return health

    async def watch(self) -> AsyncIterator[StreamHealth]:
        """Every snapshot from now on; starts background polling if it is not running.

        Polling keeps running after the iteration ends: call :meth:`stop` or :meth:`aclose`.
        """
        queue = self._subscribe()
        try:
            self.start()
            while True:
                yield await queue.get()
        finally:
            self._unsubscribe(queue)

    async def wait_for(self, predicate: Predicate, timeout: float) -> StreamHealth:
        """The first snapshot (the latest one included) satisfying ``predicate``.

        Starts polling for the wait if it was not running, and stops it again afterwards.

        Raises:
            StreamWaitTimeout: ``timeout`` seconds passed first.
        """
        latest = self._latest
        if latest is not None and predicate(latest):
            return latest
        queue = self._subscribe()
        started_here = not self.running
        last = latest
        try:
            if started_here:
                self.start()
            async with asyncio.timeout(timeout):
                while True:
                    last = await queue.get()
                    if predicate(last):
                        return last
        except TimeoutError:
            verdict = last.describe() if last is not None else _("no check finished.")
            raise StreamWaitTimeout(
                _("The audience stream did not reach the expected state within {seconds} s. {verdict}").format(
                    seconds=f"{timeout:g}", verdict=verdict),
                health=last,
            ) from None
        finally:
            self._unsubscribe(queue)
            if started_here:
                await self.stop()

    # -- internals --------------------------------------------------------------------------

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.check_once()
            except Exception:  # a bug must not kill the monitor silently: log and go on
                logger.exception("HLS monitor poll failed unexpectedly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.next_interval())

    def _subscribe(self) -> asyncio.Queue[StreamHealth]:
        queue: asyncio.Queue[StreamHealth] = asyncio.Queue(maxsize=_QUEUE_SIZE)
        self._queues.append(queue)
        return queue

    def _unsubscribe(self, queue: asyncio.Queue[StreamHealth]) -> None:
        if queue in self._queues:
            self._queues.remove(queue)

    async def _publish(self, health: StreamHealth) -> None:
        previous = self._latest
        self._latest = health
        if previous is None or previous.state is not health.state:
            logger.info("audience stream: %s", health.describe())
        for queue in list(self._queues):
            if queue.full():  # a consumer that does not keep up loses the oldest snapshots
                queue.get_nowait()
            queue.put_nowait(health)
        for listener in list(self._listeners):
            try:
                result = listener(health)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception("an HLS monitor listener failed")

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = make_client(
                self.options,
                follow_redirects=True,
                headers={"User-Agent": "Pupitre HLS monitor", "Cache-Control": "no-cache"},
            )
        return self._client

    async def _poll(self) -> StreamHealth:
        tracker = self._tracker
        try:
            playlist, playlist_url, status = await self._fetch_media_playlist()
        except _StatusAnswer as answer:
            return tracker.observe_status(answer.status, wall=self._wall(), mono=self._monotonic())
        except NetworkError as error:
            return tracker.observe_failure(
                StreamState.UNREACHABLE, error.sentence, reachable=False,
                wall=self._wall(), mono=self._monotonic(),
            )
        except PupitreError as error:  # PlaylistError, ProtocolError (redirect loops...)
            return tracker.observe_failure(
                StreamState.ERROR, error.sentence, reachable=True,
                wall=self._wall(), mono=self._monotonic(),
            )
        except Exception:
            logger.exception("unexpected failure while reading the audience playlist")
            return tracker.observe_failure(
                StreamState.ERROR, _("Reading the audience playlist failed unexpectedly (see the log)."),
                reachable=False, wall=self._wall(), mono=self._monotonic(),
            )
        new_newest = tracker.observe_playlist(
            playlist, playlist_url=playlist_url, mono=self._monotonic()
        )
        if new_newest is not None and self.settings.measure_bitrate:
            await self._measure(new_newest)
        return tracker.playlist_health(status=status, wall=self._wall(), mono=self._monotonic())

    async def _fetch_media_playlist(self) -> tuple[MediaPlaylist, str, int]:
        """The media playlist to watch: the URL itself, or the chosen variant of a master."""
        client = self._http()
        url = self._variant_url or self.url
        for attempt in range(2):
            answer = await fetch_limited(client, url)
            if not answer.ok:
                # a vanished variant may mean the master changed: ask the master next time
                self._variant_url = None
                raise _StatusAnswer(answer.status)
            playlist = await parse_off_loop(answer.body, answer.url)
            if isinstance(playlist, MediaPlaylist):
                return playlist, answer.url, answer.status
            if attempt or url != self.url:  # a master's variant is a master (maybe itself)
                self._variant_url = None
                raise PlaylistError(_("The variant of the master playlist is itself a master playlist."))
            assert isinstance(playlist, MasterPlaylist)
            url = self._variant_url = playlist.pick_variant().uri
        raise AssertionError("unreachable")  # pragma: no cover

    async def _measure(self, segment: Segment) -> None:
        try:
            size = await segment_size(self._http(), segment.uri)
        except PupitreError as error:  # a missing bitrate must not change the verdict
            logger.debug("segment size unavailable: %s", error.sentence)
            return
        except Exception:  # nor may a bug in measuring it stop the poll from being published
            logger.warning("segment size of %s unavailable", segment.uri, exc_info=True)
            return
        if size is not None:
            self._tracker.record_segment_size(segment, size)
