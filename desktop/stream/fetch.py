"""Bounded HTTP reads for the HLS monitor: a playlist body (size-capped) and a segment's size.

Both go through :func:`desktop.net.http.send`, so timeouts, the total deadline of a request (the
playlist's body included), TLS verification and the typed network errors are the same as
everywhere else.  The body is streamed so that a server answering
gigabytes (a wrong URL pointing at a video file, a hostile origin) costs at most the cap.
"""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass
from typing import Any

import httpx

from desktop.errors import ProtocolError, TimeoutError_, UnreachableError
from desktop.i18n import _
from desktop.net.http import send, within_deadline
from desktop.stream.playlist import MAX_PLAYLIST_BYTES, Playlist, PlaylistError, parse_playlist


@dataclass(frozen=True)
class FetchedBody:
    """An HTTP answer: status, the final URL (after redirects) and the body (only for 2xx)."""

    status: int
    url: str
    body: bytes = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _host(url: httpx.URL) -> str:
    return f"{url.host}:{url.port}" if url.port else url.host


async def fetch_limited(
    client: httpx.AsyncClient, url: str, *, limit: int = MAX_PLAYLIST_BYTES
) -> FetchedBody:
    """GET ``url``; the body is read only for a 2xx answer and refused beyond ``limit`` bytes.

    The limit holds for the *decompressed* body, and decompression itself is bounded: the raw
    bytes are inflated here, never more than ``limit`` + 1 bytes at a time (httpx would inflate
    each received chunk whole: 64 KB of gzip can expand to 64 MB before any check).

    Raises:
        NetworkError: the server could not be reached or broke off (typed subclasses); a
            DeadlineError when the whole answer took longer than the client's deadline.
        PlaylistError: the body is larger than ``limit``.
        ProtocolError: too many redirects, an unknown or broken compression.
    """
    request = client.build_request("GET", url, headers={"Accept-Encoding": "gzip, deflate"})
    try:
        response = await send(client, request, stream=True)
    except httpx.TooManyRedirects:
        raise ProtocolError(_("{host} redirects in a loop.").format(host=_host(request.url))) from None
    try:
        final_url = str(response.url)
        if not 200 <= response.status_code < 300:
            return FetchedBody(status=response.status_code, url=final_url)
        if response.is_stream_consumed:  # already read (a test's mock transport): it is all in memory
            if len(response.content) > limit:
                raise PlaylistError(_too_big(len(response.content), limit))
            return FetchedBody(status=response.status_code, url=final_url, body=response.content)
        inflate = _Inflater(response.headers.get("content-encoding", ""), limit, _host(request.url))
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise PlaylistError(_too_big(int(declared), limit))
        chunks: list[bytes] = []
        size = 0
        try:
            async with within_deadline(response):
                async for raw in response.aiter_raw():
                    chunk = inflate.feed(raw)
                    size += len(chunk)
                    if size > limit:
                        raise PlaylistError(_too_big(size, limit))
                    chunks.append(chunk)
                chunks.append(inflate.flush())
        except httpx.TimeoutException:
            raise TimeoutError_(
                _("{host} stopped sending the playlist.").format(host=_host(request.url)),
                host=_host(request.url),
            ) from None
        except (httpx.DecodingError, zlib.error):
            raise _broken_compression(_host(request.url)) from None
        except httpx.TransportError:
            raise UnreachableError(
                _("The connection to {host} broke off.").format(host=_host(request.url)),
                host=_host(request.url),
            ) from None
        return FetchedBody(status=response.status_code, url=final_url, body=b"".join(chunks))
    finally:
        await response.aclose()


class _Inflater:
    """Decompresses a playlist body as it arrives, never producing more than the limit."""

    def __init__(self, encoding: str, limit: int, host: str) -> None:
        self.limit = limit
        self.produced = 0
        coding = encoding.strip().lower()
        self._decoder: Any = None
        if coding in ("gzip", "x-gzip"):
            self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._decoder = _Deflate()
        elif coding not in ("", "identity"):
            raise ProtocolError(
                _("{host} sent the playlist compressed as “{coding}”, which Pupitre does not read.").format(
                    host=host, coding=coding[:40]))

    def feed(self, raw: bytes) -> bytes:
        if self._decoder is None:
            return raw
        out = self._decoder.decompress(raw, self.limit + 1 - self.produced)
        self.produced += len(out)
        if self.produced > self.limit or self._decoder.unconsumed_tail:
            # more is waiting than the limit allows: refuse without inflating it
            raise PlaylistError(_too_big(max(self.produced, self.limit + 1), self.limit))
        return bytes(out)

    def flush(self) -> bytes:
        return bytes(self._decoder.flush()) if self._decoder is not None else b""


class _Deflate:
    """``deflate`` is zlib-wrapped by the standard, raw by some servers: try the first, then the other."""

    def __init__(self) -> None:
        self._inner = zlib.decompressobj()
        self._started = False

    @property
    def unconsumed_tail(self) -> bytes:
        return bytes(self._inner.unconsumed_tail)

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if not self._started:
            self._started = True
            try:
                return bytes(self._inner.decompress(data, max_length))
            except zlib.error:
                self._inner = zlib.decompressobj(-zlib.MAX_WBITS)
        return bytes(self._inner.decompress(data, max_length))

    def flush(self) -> bytes:
        return bytes(self._inner.flush())


def _broken_compression(host: str) -> ProtocolError:
    return ProtocolError(_("{host} sent a playlist with a broken compression.").format(host=host))


async def parse_off_loop(body: bytes, url: str) -> Playlist:
    """:func:`parse_playlist` in a worker thread: parsing a large playlist takes a fraction of a
    second, which the event loop (the GUI's, under qasync) must not spend frozen."""
    return await asyncio.to_thread(parse_playlist, body, url)


def _too_big(size: int, limit: int) -> str:
    return _("The playlist answer is too large (over {limit} KB, got at least {size} KB): it is "
             "probably not a playlist.").format(limit=limit // 1024, size=size // 1024)


async def segment_size(client: httpx.AsyncClient, url: str) -> int | None:
    """The size in bytes of the segment at ``url`` from a HEAD's Content-Length, or None.

    HEAD costs no video bytes; servers that do not give a length (chunked answers) simply yield
    no bitrate.  Network errors propagate as typed errors (the caller ignores them: a missing
    bitrate must not change the stream's verdict).
    """
    request = client.build_request("HEAD", url)
    response = await send(client, request)
    if not 200 <= response.status_code < 300:
        return None
    declared = response.headers.get("content-length", "").strip()
    return int(declared) if declared.isdigit() else None
