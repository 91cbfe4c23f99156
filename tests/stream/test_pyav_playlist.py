"""A playlist written by FFmpeg's real ``hls`` muxer (through PyAV), parsed and monitored.

FFmpeg puts EXT-X-PROGRAM-DATE-TIME *between* EXTINF and the URI, and its EXTINF durations may
exceed the target duration: the hand-written samples elsewhere do neither.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from fractions import Fraction
from pathlib import Path

import pytest
from aiohttp import web

from desktop.stream import HlsMonitor, MediaPlaylist, StreamState, parse_playlist

av = pytest.importorskip("av")


def write_hls(folder: Path, seconds: int = 3) -> Path:
    """``seconds`` of tiny H.264 video in 1-s segments, with PDT, ended (VOD-like)."""
    output = av.open(
        str(folder / "live.m3u8"), "w", format="hls",
        options={
            "hls_time": "1", "hls_list_size": "6",
            "hls_flags": "program_date_time+independent_segments",
            "hls_segment_filename": str(folder / "seg-%05d.ts"),
        },
    )
    stream = output.add_stream("libx264", rate=25)
    stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
    stream.codec_context.gop_size = 25
    for index in range(25 * seconds):
        frame = av.VideoFrame(64, 64, "rgb24")
        frame.planes[0].update(bytes([index % 256]) * (frame.planes[0].line_size * 64))
        frame.pts, frame.time_base = index, Fraction(1, 25)
        for packet in stream.encode(frame.reformat(format="yuv420p")):
            output.mux(packet)
    for packet in stream.encode():
        output.mux(packet)
    output.close()
    return folder / "live.m3u8"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    playlist = write_hls(tmp_path)
    app = web.Application()
    app.router.add_static("/hls/", tmp_path)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    assert site._server is not None
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    yield f"http://127.0.0.1:{port}/hls/live.m3u8", playlist
    await runner.cleanup()


def test_ffmpeg_playlist_parses_with_pdt_on_every_segment(tmp_path: Path) -> None:
    playlist = parse_playlist(write_hls(tmp_path).read_bytes(), "http://origin/hls/live.m3u8")
    assert isinstance(playlist, MediaPlaylist)
    assert playlist.independent_segments and playlist.endlist
    assert len(playlist.segments) >= 2
    stamps = [segment.program_date_time for segment in playlist.segments]
    assert all(stamp is not None for stamp in stamps)
    assert stamps == sorted(stamps)  # type: ignore[type-var]


async def test_monitor_reads_a_real_ffmpeg_playlist(served: tuple[str, Path]) -> None:
    url, playlist_path = served
    async with HlsMonitor(url) as monitor:
        health = await monitor.check_once()
    assert health.state is StreamState.ENDED, health.describe()
    newest = sorted(playlist_path.parent.glob("seg-*.ts"))[-1]
    parsed = parse_playlist(playlist_path.read_bytes(), url)
    assert isinstance(parsed, MediaPlaylist) and parsed.newest is not None
    expected = round(newest.stat().st_size * 8 / parsed.newest.duration)
    assert health.bitrate_bps == expected
    assert health.latency_estimate is not None and health.latency_estimate >= 0
