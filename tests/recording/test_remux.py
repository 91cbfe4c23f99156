"""The remuxer on MPEG-TS made here with PyAV: a clock reset inside a run, runs as chapters."""

from __future__ import annotations

import io
import itertools
from fractions import Fraction
from pathlib import Path

import av
import pytest

from desktop.recording.remux import LiveRemuxer
from tests.recording.support import read_recording


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
    assert remuxer.stats.error == "" and remuxer.stats.runs == 1
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
    assert remuxer.stats.error == "the stream's format changed after a restart"
    assert len(read_recording(path)["frame_times"]) == 50
