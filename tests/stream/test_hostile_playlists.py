"""Issue 12: hostile playlists end in one sentence, never a traceback, and cost bounded work.

A segment or variant that is not an http(s) address, a master playlist pointing at itself, a
playlist of 90,000 segments, a gzip bomb: each becomes an ERROR health (published to listeners)
or a :class:`PlaylistError` for the relay's feed, quickly and with bounded memory.
"""

from __future__ import annotations

import gzip
import logging
import threading
import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest

from desktop.stream import fetch as fetch_module
from desktop.stream import playlist as playlist_module
from desktop.stream.fetch import fetch_limited
from desktop.stream.health import StreamHealth, StreamState
from desktop.stream.monitor import HlsMonitor
from desktop.stream.playlist import (
    MAX_PLAYLIST_BYTES,
    MAX_PLAYLIST_SEGMENTS,
    MediaPlaylist,
    PlaylistError,
    parse_playlist,
)
from desktop.stream.segment_feed import SegmentFeed
from desktop.stream.tracker import MonitorSettings

BASE = "https://live.example/hls/"
HEADER = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n"


def media(*uris: str) -> str:
    return HEADER + "".join(f"#EXTINF:2,\n{uri}\n" for uri in uris)


def many_segments(count: int) -> bytes:
    return (HEADER + "".join(f"#EXTINF:2,\ns{index}.ts\n" for index in range(count))).encode()


PASSWD = media("file:///etc/passwd")
SELF_MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nindex.m3u8\n"


def client_serving(body: bytes | str, *, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    content = body.encode() if isinstance(body, str) else body

    async def chunks() -> AsyncIterator[bytes]:  # streamed as from a socket, 64 KB at a time
        for start in range(0, len(content), 65536):
            yield content[start:start + 65536]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks(), headers=headers or {})

    return httpx.AsyncClient(transport=httpx.MockTransport(answer), follow_redirects=True)


@pytest.mark.parametrize("uri", [
    "file:///etc/passwd", "data:video/mp2t;base64,AAAA", "javascript:alert(1)", "ftp://host/seg.ts",
    "gopher://host/x", "http:///no-host.ts",
])
def test_a_segment_that_is_not_a_web_address_is_refused(uri: str) -> None:
    with pytest.raises(PlaylistError, match="not an http:// or https:// address"):
        parse_playlist(media("ok.ts", uri), BASE + "index.m3u8")


def test_a_variant_that_is_not_a_web_address_is_refused() -> None:
    with pytest.raises(PlaylistError, match="not an http:// or https:// address"):
        parse_playlist("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nfile:///etc/passwd\n", BASE + "master.m3u8")


def test_relative_and_web_addresses_still_resolve() -> None:
    playlist = parse_playlist(media("a.ts", "/b.ts", "//cdn.example/c.ts", "https://other.example/d.ts"),
                              BASE + "index.m3u8")
    assert isinstance(playlist, MediaPlaylist)
    assert [s.uri for s in playlist.segments] == [
        BASE + "a.ts", "https://live.example/b.ts", "https://cdn.example/c.ts", "https://other.example/d.ts"]


@pytest.mark.parametrize("body", [PASSWD, SELF_MASTER, many_segments(90_000)])
async def test_the_monitor_publishes_one_sentence(body: str | bytes, caplog: pytest.LogCaptureFixture) -> None:
    published: list[StreamHealth] = []
    async with client_serving(body) as client, HlsMonitor(
        BASE + "index.m3u8", settings=MonitorSettings(poll_interval=0.1), client=client
    ) as monitor:
        monitor.add_listener(published.append)
        with caplog.at_level(logging.WARNING):
            monitor.start()
            health = await monitor.wait_for(lambda h: True, 10)
    assert health.state is StreamState.ERROR
    assert "\n" not in health.describe() and health.last_error
    assert published, "the poll published nothing"
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


@pytest.mark.parametrize("body", [PASSWD, SELF_MASTER, many_segments(90_000)])
async def test_the_relay_feed_refuses_with_one_sentence(body: str | bytes) -> None:
    async with client_serving(body) as client:
        with pytest.raises(PlaylistError):
            await SegmentFeed(client, BASE + "index.m3u8").open()


def test_90k_segments_are_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    body = many_segments(90_000)
    assert len(body) < MAX_PLAYLIST_BYTES
    parsed: list[str] = []
    monkeypatch.setattr(playlist_module.m3u8, "parse", lambda text: parsed.append(text))  # must not run
    with pytest.raises(PlaylistError, match="too many"):
        parse_playlist(body, BASE + "index.m3u8")
    assert parsed == []  # refused by counting, before the (slow) parser saw it


async def test_the_largest_accepted_playlist_is_parsed_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing 20,000 segments takes a while: it must happen in a worker thread, never on the loop
    (the GUI's).  Checked by where it runs, not by how long the loop stalls (no timing luck)."""
    body = many_segments(MAX_PLAYLIST_SEGMENTS)
    loop_thread = threading.get_ident()
    parsed_on: list[int] = []
    real_parse = fetch_module.parse_playlist

    def recording_parse(*args: object, **kwargs: object) -> object:
        parsed_on.append(threading.get_ident())
        return real_parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fetch_module, "parse_playlist", recording_parse)
    async with client_serving(body) as client, HlsMonitor(BASE + "index.m3u8", client=client) as monitor:
        health = await monitor.check_once()
    assert health.state is not StreamState.ERROR, health.last_error
    assert parsed_on and loop_thread not in parsed_on


async def test_a_gzip_bomb_is_refused_before_it_expands() -> None:
    bomb = gzip.compress(b"#EXTM3U\n" + b"#" * (64 * 1024 * 1024), 9)
    async with client_serving(bomb, headers={"Content-Encoding": "gzip"}) as client:
        tracemalloc.start()
        try:
            with pytest.raises(PlaylistError, match="too large"):
                await fetch_limited(client, BASE + "index.m3u8")
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 4 * MAX_PLAYLIST_BYTES, f"peak {peak / 1e6:.0f} MB"


async def test_compressed_playlists_still_read() -> None:
    body = media("a.ts").encode()
    async with client_serving(gzip.compress(body), headers={"Content-Encoding": "gzip"}) as client:
        assert (await fetch_limited(client, BASE + "index.m3u8")).body == body
    import zlib

    for packed in (zlib.compress(body), zlib.compress(body)[2:-4]):  # zlib-wrapped and raw deflate
        async with client_serving(packed, headers={"Content-Encoding": "deflate"}) as client:
            assert (await fetch_limited(client, BASE + "index.m3u8")).body == body


@pytest.mark.parametrize(("coding", "words"), [("br", "does not read"), ("gzip", "broken compression")])
async def test_unknown_or_broken_compression_is_one_sentence(coding: str, words: str) -> None:
    async with client_serving(b"not compressed at all", headers={"Content-Encoding": coding}) as client:
        with pytest.raises(Exception, match=words) as caught:
            await fetch_limited(client, BASE + "index.m3u8")
    from desktop.errors import ProtocolError

    assert isinstance(caught.value, ProtocolError)
