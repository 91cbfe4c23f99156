"""The remuxer on MPEG-TS made here with PyAV: a clock reset inside a run, runs as chapters."""

from __future__ import annotations

import asyncio
import io
import itertools
from fractions import Fraction
from pathlib import Path

import av
import httpx
import pytest

from desktop.recording.files import DiskBudget
from desktop.recording.recorder import LiveRecorder, RecordingState
from desktop.recording.remux import LiveRemuxer
from tests.recording.support import StatusWatch, read_recording


def ts_clip(seconds: int, start_pts: int = 0) -> bytes:
    """``seconds`` of 320x180 H.264 at 25 fps in MPEG-TS, its first frame at ``start_pts`` (1/25 s)."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mpegts") as container:
        stream = container.add_stream("libx264", rate=25, options={"preset": "ultrafast", "g": "25"})
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for index in range(seconds * 25):
            frame = av.VideoFrame(320, 180, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([index * 7 % 256]) * plane.buffer_size)
            frame.pts, frame.time_base = start_pts + index, Fraction(1, 25)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def clip() -> bytes:
    return ts_clip(2)


def test_a_clock_reset_without_a_discontinuity_tag_continues_the_file(tmp_path: Path, clip: bytes) -> None:
    path = tmp_path / "reset.mkv"
    remuxer = LiveRemuxer(path)
    remuxer.start()
    remuxer.feed(clip)
    remuxer.feed(ts_clip(2))  # the same clock again from 0: as an encoder restarted behind the same playlist
    assert remuxer.close()
    found = read_recording(path)
    times = found["frame_times"]
    assert remuxer.stats.failure == "" and remuxer.stats.runs == 1
    assert len(times) == 100 and all(b > a for a, b in itertools.pairwise(times))
    assert found["chapters"] == []  # one run: no chapter marks


def test_runs_become_chapters_and_follow_each_other(tmp_path: Path, clip: bytes) -> None:
    path = tmp_path / "runs.mkv"
    remuxer = LiveRemuxer(path, chapter_title="Part {number}")
    remuxer.start()
    remuxer.feed(clip)
    remuxer.end_run()
    remuxer.end_run()  # an empty run (a restart that never published) adds nothing
    remuxer.feed(ts_clip(2, start_pts=90_000))  # far-away timestamps: the run still starts where the file ended
    assert remuxer.close()
    found = read_recording(path)
    assert [title for _start, title in found["chapters"]] == ["Part 1", "Part 2"]
    assert found["chapters"][1][0] == pytest.approx(2.0, abs=0.05)
    assert found["duration"] == pytest.approx(3.96, abs=0.05)


def test_a_run_with_other_tracks_is_skipped_and_said(tmp_path: Path, clip: bytes) -> None:
    path = tmp_path / "changed.mkv"
    remuxer = LiveRemuxer(path)
    remuxer.start()
    remuxer.feed(clip)
    remuxer.end_run()
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mpegts") as container:  # 640x360: another picture size
        stream = container.add_stream("libx264", rate=25, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        for index in range(25):
            frame = av.VideoFrame(640, 360, "yuv420p")
            frame.pts, frame.time_base = index, Fraction(1, 25)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    remuxer.feed(buffer.getvalue())
    assert remuxer.close()
    assert remuxer.stats.skipped_runs == 1 and remuxer.stats.failure == ""
    assert len(read_recording(path)["frame_times"]) == 50


def test_a_write_failure_stops_the_remuxer_and_keeps_what_was_written(tmp_path: Path, clip: bytes) -> None:
    """/dev/full (through a link): every write fails with ENOSPC, as on a disk filled by another program."""
    full = tmp_path / "full.mkv"
    full.symlink_to("/dev/full")
    remuxer = LiveRemuxer(full)
    remuxer.start()
    remuxer.feed(clip)
    remuxer.feed(clip)
    assert remuxer.close()
    assert remuxer.stats.failure and not remuxer.alive


async def test_the_recorder_says_when_its_file_cannot_be_written(tmp_path: Path, clip: bytes) -> None:
    """The HLS server is a mock here: what is staged is a disk failing under FFmpeg, not the stream."""
    playlist = ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
                "#EXTINF:2.0,\nseg-0.ts\n#EXTINF:2.0,\nseg-1.ts\n")

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(".m3u8"):
            return httpx.Response(200, text=playlist)
        return httpx.Response(200, content=clip)

    full = tmp_path / "full.mkv"
    full.symlink_to("/dev/full")
    watch = StatusWatch()
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        recorder = LiveRecorder("http://hls.example/live.m3u8", full, budget=DiskBudget(0),
                                client=client, free_space=lambda _folder: 10**12, on_change=watch,
                                wait=lambda _seconds: asyncio.sleep(0.01))
        await recorder.start()
        failed = await watch.until(lambda status: status.state == RecordingState.FAILED, timeout=20)
        await recorder.stop()
    assert failed.warning.startswith(f"Recording stopped: the file {full} could not be written (")
    assert failed.warning.endswith("). What was written plays.")
    assert not recorder.running
    assert full.is_symlink() and Path("/dev/full").is_char_device()  # nothing but our own files is ever removed


async def test_a_stream_of_fmp4_segments_is_not_recorded_and_says_why(tmp_path: Path) -> None:
    playlist = ('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI="init.mp4"\n'
                "#EXTINF:2.0,\nseg-0.m4s\n")
    requested: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requested.append(request.url.path)
        return httpx.Response(200, text=playlist)

    watch = StatusWatch()
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        recorder = LiveRecorder("http://hls.example/live.m3u8", tmp_path / "fmp4.mkv", budget=DiskBudget(0),
                                client=client, free_space=lambda _folder: 10**12, on_change=watch)
        await recorder.start()
        failed = await watch.until(lambda status: status.state == RecordingState.FAILED, timeout=20)
        await recorder.stop()
    assert failed.warning == ("Recording stopped: the stream's segments are not plain MPEG-TS (fragmented MP4 "
                              "or encrypted), which Pupitre cannot record.")
    assert requested == ["/live.m3u8"]  # no segment was fetched
    assert not (tmp_path / "fmp4.mkv").exists()  # nothing recorded: no empty file left
