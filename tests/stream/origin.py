"""A fake HLS origin on 127.0.0.1: the test decides when a segment appears.

It serves ``/live/index.m3u8`` (media), ``/live/master.m3u8`` (a master pointing at it) and
``/live/seg-N.ts`` (GET and HEAD, ``segment_bytes`` long).  Nothing advances by itself: the test
calls :meth:`FakeOrigin.publish`, so states depend on what the test did, never on timing luck.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import web


@dataclass
class FakeOrigin:
    target_duration: int = 1
    window: int = 3
    segment_bytes: int = 125_000  # 1 Mbit per 1-s segment
    with_pdt: bool = False
    pdt_lag: float = 0.0  # how old (seconds) the newest segment's start is when published
    status: int = 200  # answer for the playlists (404 before the stream starts...)
    malformed: bool = False
    huge: bool = False  # answer 3 MB of playlist-looking text
    ended: bool = False
    discontinuity_before: int | None = None  # an EXT-X-DISCONTINUITY before this sequence
    fmp4: bool = False  # announce an fMP4 initialisation section (EXT-X-MAP)
    segment_lead: bytes = b"\x47"  # first byte of every segment (0x47: MPEG-TS sync byte)
    next_sequence: int = 0
    published: list[tuple[int, float]] = field(default_factory=list)  # (sequence, pdt epoch)
    playlist_requests: int = 0
    head_requests: int = 0
    segment_gets: int = 0
    requested: asyncio.Event = field(default_factory=asyncio.Event)  # set by each playlist GET

    def publish(self, count: int = 1) -> None:
        """Add ``count`` segments at the live edge, the newest starting ``pdt_lag`` s ago."""
        for index in range(count):
            start = time.time() - self.pdt_lag - (count - 1 - index) * self.target_duration
            self.published.append((self.next_sequence, start))
            self.next_sequence += 1

    def playlist_text(self) -> str:
        if self.malformed:
            return "<html>upstream error</html>"
        listed = self.published[-self.window:]
        first = listed[0][0] if listed else self.next_sequence
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:6" if self.with_pdt else "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{self.target_duration}",
            f"#EXT-X-MEDIA-SEQUENCE:{first}",
        ]
        if self.fmp4:
            lines.append('#EXT-X-MAP:URI="init.mp4"')
        for sequence, start in listed:
            if sequence == self.discontinuity_before:
                lines.append("#EXT-X-DISCONTINUITY")
            if self.with_pdt:
                stamp = datetime.fromtimestamp(start, UTC).isoformat(timespec="milliseconds")
                lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{stamp}")
            lines.append(f"#EXTINF:{self.target_duration:.3f},")
            lines.append(f"seg-{sequence}.ts")
        if self.ended:
            lines.append("#EXT-X-ENDLIST")
        return "\n".join(lines) + "\n"

    # -- aiohttp handlers -------------------------------------------------------------------

    async def media(self, request: web.Request) -> web.Response:
        self.playlist_requests += 1
        self.requested.set()
        if self.huge:
            return web.Response(text="#EXTM3U\n" + "#EXT-X-DISCONTINUITY\n" * 150_000)
        if self.status != 200:
            return web.Response(status=self.status, text="no such stream")
        return web.Response(text=self.playlist_text(), content_type="application/vnd.apple.mpegurl")

    async def master(self, request: web.Request) -> web.Response:
        if self.status != 200:
            return web.Response(status=self.status, text="no such stream")
        text = (
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\nlow.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=1000000\nindex.m3u8\n"
        )
        return web.Response(text=text, content_type="application/vnd.apple.mpegurl")

    async def low(self, request: web.Request) -> web.Response:
        return web.Response(status=500, text="the monitor must pick the highest variant")

    async def segment(self, request: web.Request) -> web.Response:
        if request.method == "HEAD":
            self.head_requests += 1
        else:
            self.segment_gets += 1
        return web.Response(body=self.segment_body(request.match_info["name"]), content_type="video/mp2t")

    def segment_body(self, name: str) -> bytes:
        """``segment_bytes`` bytes that start with ``segment_lead`` and name the segment."""
        return (self.segment_lead + name.encode() + b"|").ljust(self.segment_bytes, b"\x47")

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/live/index.m3u8", self.media)
        app.router.add_get("/live/master.m3u8", self.master)
        app.router.add_get("/live/low.m3u8", self.low)
        app.router.add_get("/live/{name}.ts", self.segment)  # aiohttp adds HEAD for GET routes
        return app


class OriginServer:
    """Runs a :class:`FakeOrigin` on an ephemeral loopback port."""

    def __init__(self, origin: FakeOrigin) -> None:
        self.origin = origin
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        self._runner = web.AppRunner(self.origin.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str = "/live/index.m3u8") -> str:
        return f"http://127.0.0.1:{self.port}{path}"
