"""The lab's HLS origin end to end: real encoding, HTTP, decoding, stop/cleanup and faults.

Streams are 640x360 to spare the two shared cores.  Every wait polls a condition with a deadline.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import httpx
import m3u8
import pytest

from desktop.lab.scene import Scene
from desktop.lab.video import EncoderSettings, HlsOrigin, PublishError, StreamFault, clock_rect
from desktop.lab.video.encoder import PLAYLIST_NAME
from tests.lab.video_helpers import count_audio_frames, decode_first_frame, mean_abs_diff

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[2]

SMALL = EncoderSettings(width=640, height=360, fallback_size=None)
SCENE = Scene(title="Origin test", participant_count=5, chat_visible=True, gateway="gw-test")


def scene() -> Scene:
    return SCENE


@pytest.fixture
async def origin(qapp: object) -> AsyncIterator[HlsOrigin]:
    server = HlsOrigin(settings=SMALL, cleanup_delay=2.0)
    await server.start_server()
    try:
        yield server
    finally:
        await server.stop_server()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as http:
        yield http


async def poll(check: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def fetch_playlist(client: httpx.AsyncClient, url: str) -> m3u8.M3U8 | None:
    response = await client.get(url)
    return m3u8.loads(response.text) if response.status_code == 200 else None


def disk_playlist(origin: HlsOrigin, name: str) -> m3u8.M3U8 | None:
    path = origin.folder(name) / PLAYLIST_NAME
    return m3u8.loads(path.read_text()) if path.exists() else None


def last_sequence(playlist: m3u8.M3U8) -> int:
    return int(playlist.media_sequence or 0) + len(playlist.segments) - 1


async def test_live_stream_is_served_decodes_and_keeps_real_time(
    origin: HlsOrigin, client: httpx.AsyncClient
) -> None:
    await origin.start("live1", scene)
    assert origin.is_publishing("live1")
    url = origin.hls_url("live1")
    first_seen: dict[str, float] = {}  # segment URI -> wall time it first appeared
    playlist: m3u8.M3U8 | None = None
    deadline = time.monotonic() + 15
    while len(first_seen) < 4:
        assert time.monotonic() < deadline, f"only {len(first_seen)} segments after 15 s"
        playlist = await fetch_playlist(client, url)
        now = time.time()
        for segment in playlist.segments if playlist else []:
            first_seen.setdefault(segment.uri, now)
        await asyncio.sleep(0.05)
    assert playlist is not None

    response = await client.get(url)
    assert response.headers["content-type"] == "application/vnd.apple.mpegurl"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "#EXT-X-ENDLIST" not in response.text
    assert all(segment.program_date_time is not None for segment in playlist.segments)

    # the stream keeps real time: media appended between two first sightings ~ wall time between them
    uris = list(first_seen)
    media = sum(s.duration for s in playlist.segments if s.uri in uris[1:])
    wall = first_seen[uris[-1]] - first_seen[uris[0]]
    assert 0.7 <= media / wall <= 1.3, f"{media:.2f} s of media in {wall:.2f} s of wall time"
    newest = playlist.segments[-1]
    newest_end = newest.program_date_time.timestamp() + newest.duration
    assert abs(first_seen[newest.uri] - newest_end) < 1.5, "PROGRAM-DATE-TIME is not wall time"

    # decode two segments: the clock moves with the media time, and audio is there
    early, late = playlist.segments[0], playlist.segments[-1]
    segment_responses = [await client.get(httpx.URL(url).join(s.uri)) for s in (early, late)]
    for r in segment_responses:
        assert r.status_code == 200
        assert r.headers["content-type"] == "video/mp2t"
        assert r.headers["access-control-allow-origin"] == "*"
    a, b = (decode_first_frame(r.content) for r in segment_responses)
    assert (a.width, a.height) == (b.width, b.height) == (640, 360)
    pts_span = b.pts_s - a.pts_s
    pdt_span = (late.program_date_time - early.program_date_time).total_seconds()
    listed_span = sum(s.duration for s in playlist.segments[:-1])
    assert pts_span == pytest.approx(listed_span, abs=0.1)
    assert pdt_span == pytest.approx(pts_span, abs=0.1)
    clock = clock_rect(640, 360)
    assert mean_abs_diff(a.region(clock), b.region(clock)) > 2, "the burned-in clock did not move"
    assert count_audio_frames(segment_responses[1].content) > 0

    stats = origin.stats("live1")
    assert stats is not None and stats.frames > 75 and (stats.width, stats.height) == (640, 360)


async def test_stopped_stream_goes_stale_then_404s(origin: HlsOrigin, client: httpx.AsyncClient) -> None:
    await origin.start("gone", scene)
    await origin.wait_segments("gone", 2)
    await origin.stop("gone")
    assert not origin.is_publishing("gone")
    url = origin.hls_url("gone")
    stale = await client.get(url)
    assert stale.status_code == 200 and "#EXT-X-ENDLIST" not in stale.text
    served_while_stale = 0
    deadline = time.monotonic() + 10
    while (response := await client.get(url)).status_code == 200:
        assert response.text == stale.text, "a stopped stream's playlist advanced"
        served_while_stale += 1
        assert time.monotonic() < deadline, "the stopped stream was never cleaned up"
        await asyncio.sleep(0.05)
    assert response.status_code == 404
    assert served_while_stale > 5  # cleanup_delay is 2 s: the stale playlist was watched a while
    await poll(lambda: not origin.folder("gone").exists(), 5, "the stream folder to be removed")
    segment = m3u8.loads(stale.text).segments[-1].uri
    assert (await client.get(httpx.URL(url).join(segment))).status_code == 404


async def test_stalled_fault_freezes_the_playlist_and_not_found_404s(
    origin: HlsOrigin, client: httpx.AsyncClient
) -> None:
    await origin.start("faulty", scene)
    await origin.wait_segments("faulty", 2)
    url = origin.hls_url("faulty")
    origin.set_fault("faulty", StreamFault.STALLED)
    frozen = await client.get(url)
    frozen_list = m3u8.loads(frozen.text)
    # the encoder goes on: wait for the files on disk to move two segments ahead
    await poll(
        lambda: (p := disk_playlist(origin, "faulty")) is not None
        and last_sequence(p) >= last_sequence(frozen_list) + 2,
        10,
        "the encoder to write two more segments",
    )
    assert origin.is_publishing("faulty")
    still = await client.get(url)
    assert still.status_code == 200 and still.text == frozen.text
    for segment in frozen_list.segments:  # served from the snapshot even if deleted on disk
        assert (await client.get(httpx.URL(url).join(segment.uri))).status_code == 200

    origin.set_fault("faulty", StreamFault.NOT_FOUND)
    assert (await client.get(url)).status_code == 404
    segment_url = httpx.URL(url).join(frozen_list.segments[-1].uri)
    assert (await client.get(segment_url)).status_code == 404

    origin.set_fault("faulty", None)
    resumed = await fetch_playlist(client, url)
    assert resumed is not None and last_sequence(resumed) > last_sequence(frozen_list)


async def test_unknown_stream_and_bad_paths_404(origin: HlsOrigin, client: httpx.AsyncClient) -> None:
    assert (await client.get(origin.hls_url("nobody"))).status_code == 404
    assert (await client.get(f"{origin.url}/hls/nobody/seg-00001.ts")).status_code == 404
    assert (await client.get(f"{origin.url}/hls/..%2f..%2fetc%2fpasswd.m3u8")).status_code == 404
    assert (await client.get(f"{origin.url}/hls/x/../../index.m3u8")).status_code == 404
    with pytest.raises(ValueError):
        await origin.start("../escape", scene)


async def test_start_is_idempotent_and_scene_errors_keep_the_stream_alive(
    origin: HlsOrigin, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_scene() -> Scene:
        raise KeyError("meeting vanished")

    await origin.start("sturdy", broken_scene)
    await origin.start("sturdy", broken_scene)  # no second encoder
    await origin.wait_segments("sturdy", 1)
    assert origin.is_publishing("sturdy")
    assert sum("scene source failed" in r.getMessage() for r in caplog.records) == 1


async def test_encoder_crash_is_logged_and_ends_publishing(
    origin: HlsOrigin, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from desktop.lab.video.renderer import SceneRenderer

    real = SceneRenderer.render_bgra

    def failing(self: SceneRenderer, scene: Scene, wall_time: float, frame_index: int) -> tuple[memoryview, int]:
        if frame_index >= 10:
            raise RuntimeError("renderer exploded")
        return real(self, scene, wall_time, frame_index)

    monkeypatch.setattr(SceneRenderer, "render_bgra", failing)
    caplog.set_level(logging.ERROR)
    await origin.start("crashy", scene)
    await poll(lambda: not origin.is_publishing("crashy"), 10, "the crashed encoder to be reported")
    assert isinstance(origin.encoder_error("crashy"), RuntimeError)
    assert any("encoder failed" in r.getMessage() and r.exc_info for r in caplog.records)
    with pytest.raises(PublishError):
        await origin.wait_segments("crashy", 50, timeout=5)
    await origin.stop("crashy")  # returns promptly, no hang
    monkeypatch.setattr(SceneRenderer, "render_bgra", real)
    await origin.start("crashy", scene)  # a crashed stream can be started again
    assert origin.is_publishing("crashy")


async def test_slow_machine_falls_back_to_the_smaller_size(qapp: object, client: httpx.AsyncClient) -> None:
    settings = EncoderSettings(
        width=640, height=360, fallback_size=(320, 180), fallback_probe_seconds=0.4, fallback_load=0.0
    )
    async with HlsOrigin(settings=settings, cleanup_delay=None) as origin:
        await origin.start("fallback", scene)
        url = origin.hls_url("fallback")
        playlist: m3u8.M3U8 | None = None

        def after_discontinuity(p: m3u8.M3U8 | None) -> list[m3u8.Segment]:
            segments = list(p.segments) if p else []
            marks = [i for i, s in enumerate(segments) if s.discontinuity]
            return segments[marks[-1] :] if marks else []

        deadline = time.monotonic() + 15
        while not after_discontinuity(playlist):
            assert time.monotonic() < deadline, "no discontinuity after the fallback"
            playlist = await fetch_playlist(client, url)
            await asyncio.sleep(0.05)
        segment = after_discontinuity(playlist)[0]
        frame = decode_first_frame((await client.get(httpx.URL(url).join(segment.uri))).content)
        assert (frame.width, frame.height) == (320, 180)
        stats = origin.stats("fallback")
        assert stats is not None and stats.fell_back and (stats.width, stats.height) == (320, 180)
        assert origin.is_publishing("fallback")


async def test_concurrent_start_and_stop_leave_one_encoder(origin: HlsOrigin) -> None:
    await asyncio.gather(origin.start("race", scene), origin.stop("race"), origin.start("race", scene))
    assert origin.is_publishing("race")
    threads = [t for t in threading.enumerate() if t.name == "lab-encoder-race" and t.is_alive()]
    assert len(threads) == 1
    await asyncio.gather(origin.stop("race"), origin.stop("race"))
    assert not origin.is_publishing("race")
    await poll(lambda: not any(t.name == "lab-encoder-race" for t in threading.enumerate()), 10, "the encoder thread to end")


def test_a_forgotten_stream_does_not_crash_the_exit(tmp_path: Path) -> None:
    """Encoder threads are stopped at exit before Qt goes away (no segfault, no hang)."""
    script = tmp_path / "forget.py"
    script.write_text(
        "import asyncio\n"
        "from desktop.lab.scene import Scene\n"
        "from desktop.lab.video import EncoderSettings, HlsOrigin\n"
        "async def main():\n"
        "    origin = HlsOrigin(settings=EncoderSettings(320, 180, fallback_size=None))\n"
        "    await origin.start('left', lambda: Scene('T', 1, True))\n"
        "    await origin.wait_segments('left', 1)\n"
        "    print('leaving')\n"
        "asyncio.run(main())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "leaving"


@pytest.mark.slow
async def test_720p25_real_time_figures(qapp: object) -> None:
    """Encodes 1280x720@25 for ~5 s and prints the figures (reported, not asserted)."""
    settings = EncoderSettings(fallback_size=None)
    async with HlsOrigin(settings=settings, cleanup_delay=None) as origin:
        started = time.monotonic()
        await origin.start("hd", lambda: Scene("720p figures", 250, True, gateway="gw-hd"))
        await poll(lambda: (s := origin.stats("hd")) is not None and s.elapsed_s >= 5.0, 20, "5 s of encoding")
        stats = origin.stats("hd")
        assert stats is not None and origin.encoder_error("hd") is None
        wall = time.monotonic() - started
        print(
            f"\n720p25 for {stats.elapsed_s:.1f} s: frames={stats.frames} late={stats.late_frames} "
            f"dropped={stats.dropped_frames} work avg/p99={stats.work_ms_avg:.1f}/{stats.work_ms_p99:.1f} ms "
            f"(budget 40 ms) lag p99/max={stats.lag_p99_ms:.1f}/{stats.lag_max_ms:.1f} ms "
            f"realtime={stats.realtime_ratio:.3f} wall={wall:.1f} s at {datetime.now():%H:%M:%S}"
        )
        assert stats.frames > 0
        await origin.wait_segments("hd", 3)
