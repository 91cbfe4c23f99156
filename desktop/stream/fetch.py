"""Bounded HTTP reads for the HLS monitor: a playlist body (size-capped) and a segment's size.

Both go through :func:`desktop.net.http.send`, so timeouts, the total deadline of a request (the
playlist's body included), TLS verification and the typed network errors are the same as
everywhere else.  The body is streamed so that a server answering
gigabytes (a wrong URL pointing at a video file, a hostile origin) costs at most the cap.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from desktop.errors import ProtocolError, TimeoutError_, UnreachableError
from desktop.i18n import _
from desktop.net.http import send, within_deadline
from desktop.stream.playlist import MAX_PLAYLIST_BYTES, PlaylistError


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

    Raises:
        NetworkError: the server could not be reached or broke off (typed subclasses); a
            DeadlineError when the whole answer took longer than the client's deadline.
        PlaylistError: the body is larger than ``limit``.
        ProtocolError: too many redirects.
    """
    request = client.build_request("GET", url)
    try:
        response = await send(client, request, stream=True)
    except httpx.TooManyRedirects:
        raise ProtocolError(_("{host} redirects in a loop.").format(host=_host(request.url))) from None
    try:
        final_url = str(response.url)
        if not 200 <= response.status_code < 300:
            return FetchedBody(status=response.status_code, url=final_url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise PlaylistError(_too_big(int(declared), limit))
        chunks: list[bytes] = []
        size = 0
        try:
            async with within_deadline(response):
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise PlaylistError(_too_big(size, limit))
                    chunks.append(chunk)
        except httpx.TimeoutException:
            raise TimeoutError_(
                _("{host} stopped sending the playlist.").format(host=_host(request.url)),
                host=_host(request.url),
            ) from None
        except httpx.DecodingError:
            raise ProtocolError(
                _("{host} sent a playlist with a broken compression.").format(host=_host(request.url))
            ) from None
        except httpx.TransportError:
            raise UnreachableError(
                _("The connection to {host} broke off.").format(host=_host(request.url)),
                host=_host(request.url),
            ) from None
        return FetchedBody(status=response.status_code, url=final_url, body=b"".join(chunks))
    finally:
        await response.aclose()


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
