"""The lab's HLS origin: publishes gateway scenes as live HLS and serves them over HTTP.

URL layout (one playlist per stream, its segments in a folder named after it)::

    /hls/NAME.m3u8              the live playlist   application/vnd.apple.mpegurl, no-cache
    /hls/NAME/seg-00042.ts      a segment           video/mp2t

The playlist is FFmpeg's (``hls_base_url`` = ``NAME/``), so segment URIs are relative and work
behind any prefix.  Every answer carries ``Access-Control-Allow-Origin: *`` for the audience page
(hls.js).  Like nginx-rtmp, a stopped stream's playlist stays (stale, without ``EXT-X-ENDLIST``)
until it is cleaned up ``cleanup_delay`` seconds later; then its URLs answer 404.

Faults, switched at run time with :meth:`HlsOrigin.set_fault` (the lab's control endpoint):

* ``STALLED``: the encoder keeps running but the origin keeps serving the playlist (and the
  segments it lists) as they were when the stall began, so the media sequence stops advancing
  — what a player sees when a CDN edge or the packager hangs.
* ``NOT_FOUND``: the stream's URLs answer 404.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from desktop.lab.publishing import StreamPublisher
from desktop.lab.scene import SceneSource
from desktop.lab.video.encoder import (
    PLAYLIST_NAME,
    EncoderSettings,
    EncoderStats,
    HlsFolderOutput,
    LiveEncoder,
    PublishError,
    remove_folder,
)
from desktop.lab.video.renderer import ensure_qt_application

logger = logging.getLogger(__name__)

PLAYLIST_MIME = "application/vnd.apple.mpegurl"
SEGMENT_MIME = "video/mp2t"
STREAM_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
SEGMENT_NAME = re.compile(r"seg-\d{1,9}\.ts")
CORS = {"Access-Control-Allow-Origin": "*"}
JOIN_TIMEOUT = 15.0


class StreamFault(enum.Enum):
    STALLED = "stalled"
    NOT_FOUND = "not_found"


@dataclass
class _Snapshot:
    """What a stalled stream keeps serving: the playlist and the bytes of the segments it lists."""

    playlist: bytes
    segments: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _Stream:
    name: str
    folder: Path
    encoder: LiveEncoder | None = None
    cleanup: asyncio.TimerHandle | None = None
    # start/stop of one stream never interleave: a start racing a stop's join would put two
    # muxers in the same folder
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _snapshot(folder: Path) -> _Snapshot | None:
    playlist = _read(folder / PLAYLIST_NAME)
    if playlist is None:
        return None
    snapshot = _Snapshot(playlist)
    for line in playlist.decode("utf-8", "replace").splitlines():
        segment = line.strip().rsplit("/", 1)[-1]
        if SEGMENT_NAME.fullmatch(segment):
            data = _read(folder / segment)
            if data is not None:
                snapshot.segments[segment] = data
    return snapshot


class HlsOrigin:
    """A :class:`~desktop.lab.publishing.StreamPublisher` that encodes scenes to HLS in local
    folders, plus the aiohttp app that serves them.

    ``start``/``stop``/``is_publishing`` are the publisher protocol (per stream); the HTTP server
    has its own lifecycle, :meth:`start_server` / :meth:`stop_server` (or mount the routes in
    another app with :meth:`add_routes`).

    Args:
        root: where stream folders go; a private temporary folder (removed by
            :meth:`stop_server`) when None.
        settings: the encoder settings for every stream.
        cleanup_delay: seconds after a stream stops before its files are removed and its URLs
            404 (nginx-rtmp's ``hls_cleanup``); None keeps them.
    """

    def __init__(
        self,
        root: Path | None = None,
        settings: EncoderSettings | None = None,
        *,
        cleanup_delay: float | None = 6.0,
    ) -> None:
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="pupitre-hls-")) if root is None else root
        self.settings = settings or EncoderSettings()
        self.cleanup_delay = cleanup_delay
        self._streams: dict[str, _Stream] = {}
        self._faults: dict[str, StreamFault] = {}
        self._snapshots: dict[str, _Snapshot] = {}
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # -- StreamPublisher ----------------------------------------------------------------------
    async def start(self, stream_name: str, scene: SceneSource) -> None:
        """Start encoding ``scene`` as ``stream_name`` (no-op if it is already publishing).

        ``scene`` is called once per frame *from the encoder thread*: make it a cheap read of
        state (returning an immutable :class:`Scene` kept up to date by its owner).  Returns once
        the output is open; the first segment follows about 1.3 s later (use
        :meth:`wait_segments` to wait for it).

        Raises:
            ValueError: the name is not ``[A-Za-z0-9_-]{1,64}``.
            PublishError: the encoder could not start.
        """
        if not STREAM_NAME.fullmatch(stream_name):
            raise ValueError(f"invalid stream name {stream_name!r}")
        ensure_qt_application()
        stream = self._streams.get(stream_name)
        if stream is None:
            stream = _Stream(stream_name, self.root / stream_name)
            self._streams[stream_name] = stream
        async with stream.lock:
            await self._start_locked(stream, scene)

    async def _start_locked(self, stream: _Stream, scene: SceneSource) -> None:
        stream_name = stream.name
        if self.is_publishing(stream_name):
            return
        if stream.cleanup is not None:  # republished before cleanup: continue the playlist
            stream.cleanup.cancel()
            stream.cleanup = None
        if stream.encoder is not None:  # a crashed encoder: reap it before replacing it
            await self._join(stream.encoder)
            stream.encoder = None
        output = HlsFolderOutput(stream.folder, self.settings, base_url=f"{stream_name}/")
        encoder = LiveEncoder(stream_name, output, scene, self.settings)
        stream.encoder = encoder
        encoder.start()
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, encoder.wait_opened, JOIN_TIMEOUT)
        except PublishError:
            stream.encoder = None
            await self._join(encoder)
            raise

    async def stop(self, stream_name: str) -> None:
        """Stop publishing ``stream_name``; its files are removed ``cleanup_delay`` s later."""
        stream = self._streams.get(stream_name)
        if stream is None:
            return
        async with stream.lock:
            if stream.encoder is None:
                return
            await self._join(stream.encoder)
            stream.encoder = None
            if self.cleanup_delay is not None and stream.cleanup is None:
                loop = asyncio.get_running_loop()
                stream.cleanup = loop.call_later(self.cleanup_delay, self._schedule_cleanup, stream)

    def is_publishing(self, stream_name: str) -> bool:
        stream = self._streams.get(stream_name)
        return stream is not None and stream.encoder is not None and stream.encoder.running

    # -- lab controls -------------------------------------------------------------------------
    def set_fault(self, stream_name: str, fault: StreamFault | None) -> None:
        """Switch a fault on (or off with None) for ``stream_name``, published or not."""
        self._snapshots.pop(stream_name, None)
        if fault is None:
            self._faults.pop(stream_name, None)
        else:
            self._faults[stream_name] = fault
        logger.info("lab stream %s: fault %s", stream_name, fault.value if fault else "cleared")

    def fault(self, stream_name: str) -> StreamFault | None:
        return self._faults.get(stream_name)

    def stats(self, stream_name: str) -> EncoderStats | None:
        stream = self._streams.get(stream_name)
        return stream.encoder.stats() if stream and stream.encoder else None

    def encoder_error(self, stream_name: str) -> BaseException | None:
        """The exception that ended the stream's encoder thread, if it crashed."""
        stream = self._streams.get(stream_name)
        return stream.encoder.error if stream and stream.encoder else None

    def folder(self, stream_name: str) -> Path:
        """Where the stream's playlist and segments are written (even when not publishing)."""
        return self.root / stream_name

    async def wait_segments(self, stream_name: str, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until the stream's playlist on disk lists ``count`` segments.

        Raises:
            PublishError: the encoder failed, or the timeout passed first.
        """
        playlist = self.folder(stream_name) / PLAYLIST_NAME
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            data = await asyncio.to_thread(_read, playlist)
            if data is not None and data.count(b"#EXTINF") >= count:
                return
            error = self.encoder_error(stream_name)
            if error is not None:
                raise PublishError(f"The lab's encoder for {stream_name} failed: {error}.")
            if loop.time() >= deadline:
                raise PublishError(f"The lab's stream {stream_name} had no {count} segments after {timeout:g} s.")
            await asyncio.sleep(0.05)

    # -- HTTP ---------------------------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        """Add ``/hls/...`` to ``app`` (the lab may serve everything on one port)."""
        app.router.add_get(r"/hls/{name:[A-Za-z0-9_-]{1,64}}.m3u8", self._playlist)
        app.router.add_get(r"/hls/{name:[A-Za-z0-9_-]{1,64}}/{segment:seg-\d{1,9}\.ts}", self._segment)

    async def start_server(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve the streams on ``host:port`` (0 = a free port); returns :attr:`url`."""
        if self._runner is not None:
            return self.url
        app = web.Application()
        self.add_routes(app)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_port = runner.addresses[0][1] if runner.addresses else port
        shown_host = f"[{host}]" if ":" in host else host
        self._url = f"http://{shown_host}:{bound_port}"
        logger.info("lab HLS origin serving on %s", self._url)
        return self._url

    async def stop_server(self) -> None:
        """Stop every stream and the HTTP server, and remove the streams' files (the whole
        private root folder when the origin made it)."""
        for name in list(self._streams):
            await self.stop(name)
        folders = []
        for stream in self._streams.values():
            if stream.cleanup is not None:
                stream.cleanup.cancel()
                stream.cleanup = None
            folders.append(stream.folder)
        self._streams.clear()
        self._snapshots.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._url = None
        if self._own_root:
            await asyncio.to_thread(shutil.rmtree, self.root, True)
        else:
            for folder in folders:
                await asyncio.to_thread(remove_folder, folder)

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._url is None:
            raise RuntimeError("the HLS origin is not serving (call start_server first)")
        return self._url

    def hls_url(self, stream_name: str) -> str:
        return f"{self.url}/hls/{stream_name}.m3u8"

    async def __aenter__(self) -> HlsOrigin:
        await self.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_server()

    # -- internals ----------------------------------------------------------------------------
    async def _join(self, encoder: LiveEncoder) -> None:
        encoder.request_stop()
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(None, encoder.join, JOIN_TIMEOUT):
            logger.error("lab stream %s: the encoder did not stop within %g s", encoder.name, JOIN_TIMEOUT)

    def _schedule_cleanup(self, stream: _Stream) -> None:
        stream.cleanup = None
        if stream.encoder is not None:  # republished meanwhile
            return
        if self._streams.get(stream.name) is stream:
            del self._streams[stream.name]
        self._snapshots.pop(stream.name, None)
        task = asyncio.get_running_loop().run_in_executor(None, remove_folder, stream.folder)
        task.add_done_callback(lambda _: logger.info("lab stream %s: cleaned up", stream.name))

    def _served(self, name: str) -> bool:
        return name in self._streams and self._faults.get(name) is not StreamFault.NOT_FOUND

    async def _stalled_snapshot(self, name: str) -> _Snapshot | None:
        if self._faults.get(name) is not StreamFault.STALLED:
            return None
        snapshot = self._snapshots.get(name)
        if snapshot is None:  # the stall begins with the playlist as it is now
            snapshot = await asyncio.to_thread(_snapshot, self.folder(name))
            if snapshot is not None and self._faults.get(name) is StreamFault.STALLED:
                self._snapshots[name] = snapshot
        return snapshot

    async def _playlist(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if not self._served(name):
            raise web.HTTPNotFound(headers=CORS)
        headers = {**CORS, "Cache-Control": "no-cache"}
        if self._faults.get(name) is StreamFault.STALLED:
            snapshot = await self._stalled_snapshot(name)
            body = snapshot.playlist if snapshot else None
        else:
            body = await asyncio.to_thread(_read, self.folder(name) / PLAYLIST_NAME)
        if body is None:
            raise web.HTTPNotFound(headers=CORS)
        return web.Response(body=body, content_type=PLAYLIST_MIME, headers=headers)

    async def _segment(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        segment = request.match_info["segment"]
        if not self._served(name):
            raise web.HTTPNotFound(headers=CORS)
        snapshot = self._snapshots.get(name) if self._faults.get(name) is StreamFault.STALLED else None
        data = snapshot.segments.get(segment) if snapshot else None
        if data is None:
            data = await asyncio.to_thread(_read, self.folder(name) / segment)
        if data is None:
            raise web.HTTPNotFound(headers=CORS)
        return web.Response(body=data, content_type=SEGMENT_MIME, headers=CORS)


__all__ = ["HlsOrigin", "StreamFault"]
if TYPE_CHECKING:  # mypy checks that the origin honours the publisher protocol
    _publisher: StreamPublisher = HlsOrigin()
