"""A recorded lab live: the lab's HLS origin encodes real video (H.264 + AAC), the recorder remuxes
the audience's segments into one Matroska file; PyAV and a real player (libVLC) read it back."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import signal
import sys
from pathlib import Path

import pytest

from desktop.recording.files import DiskBudget
from desktop.recording.recorder import (
    LiveRecorder,
    RecordingRefused,
    RecordingState,
    RecordingStatus,
)
from tests.recording.support import (
    RECORD_PROBE,
    ROOT,
    StatusWatch,
    lab_live,
    needs_display_and_libvlc,
    play_in_vlc,
    read_recording,
    record_with_restart,
)

pytestmark = [pytest.mark.lab, pytest.mark.slow]

FRAME = 1 / 25


@pytest.fixture(scope="module")
def restarted_recording(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RecordingStatus]:
    """One recording of a lab live restarted once, shared by the tests that read it (it costs CPU)."""
    path = tmp_path_factory.mktemp("recording") / "live.mkv"

    async def record() -> RecordingStatus:
        async with lab_live() as live:
            return await record_with_restart(live, path)

    status = asyncio.run(record())
    return path, status


def test_a_restarted_live_is_one_file_with_two_chapters_and_every_frame(
        restarted_recording: tuple[Path, RecordingStatus]) -> None:
    path, status = restarted_recording
    found = read_recording(path)
    assert found["streams"] == ["audio", "video"]
    # one chapter per publication of the stream; the second starts where the first ended
    assert [title for _start, title in found["chapters"]] == ["Live, part 1", "Live, part 2"]
    second = found["chapters"][1][0]
    times = found["frame_times"]
    assert all(later > earlier for earlier, later in itertools.pairwise(times)), "timestamps go back"
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert max(gaps) < 3 * FRAME  # no hole, not even at the restart
    assert any(abs(t - second) < 3 * FRAME for t in times)  # the second chapter starts on a frame
    # every frame of every segment listed (25 fps), 8 segments at least
    assert isinstance(status, RecordingStatus)
    assert status.state == RecordingState.FINISHED and status.chapters == 2 and status.segments >= 8
    assert abs(len(times) - status.listed_seconds * 25) <= 2, (len(times), status.listed_seconds)
    assert status.missed == 0


@pytest.mark.xvfb
async def test_the_recording_plays_from_start_to_end_in_vlc(restarted_recording: tuple[Path, RecordingStatus]) -> None:
    needs_display_and_libvlc()
    path, _status = restarted_recording
    frames = len(read_recording(path)["frame_times"])
    result = await play_in_vlc(path)
    assert result["state"] == "Ended"
    assert result["chapters"] == 2
    # it played to the end: VLC decoded (about) every frame and reached the last second
    assert result["decoded_video"] >= frames - 5, result
    assert result["length_ms"] >= 6000 and result["furthest_ms"] >= result["length_ms"] - 1500, result


async def test_a_recording_killed_mid_live_stays_playable(tmp_path: Path) -> None:
    """The recorder's process is killed (SIGKILL: no clean-up at all) in the middle of the live."""
    path = tmp_path / "killed.mkv"
    async with lab_live() as live:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(RECORD_PROBE), live.url, str(path),
            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=asyncio.subprocess.PIPE)
        assert process.stdout is not None
        try:
            async with asyncio.timeout(60):
                while True:
                    line = await process.stdout.readline()
                    assert line, "the recorder ended by itself"
                    if json.loads(line)["segments"] >= 6:
                        break
        finally:
            process.send_signal(signal.SIGKILL)
            await process.wait()
    assert process.returncode == -signal.SIGKILL
    found = read_recording(path)
    assert found["streams"] == ["audio", "video"]
    # what was written plays: several seconds of frames, in order (the last cluster may be cut)
    times = found["frame_times"]
    assert len(times) >= 3 * 25
    assert all(later > earlier for earlier, later in itertools.pairwise(times))
    if os.environ.get("DISPLAY"):
        needs_display_and_libvlc()
        result = await play_in_vlc(path)
        assert result["state"] == "Ended" and result["decoded_video"] >= len(times) - 25, result


async def test_the_recording_stops_cleanly_before_the_disk_is_full(tmp_path: Path) -> None:
    """A fake small disk: 30 MB free, minus what the recording wrote; Pupitre keeps 29.5 MB free."""
    path = tmp_path / "small-disk.mkv"

    def free_space(_folder: Path) -> int:
        return 30 * 2**20 - (path.stat().st_size if path.exists() else 0)

    watch = StatusWatch()
    async with lab_live() as live:
        recorder = LiveRecorder(live.url, path, budget=DiskBudget(int(29.5 * 2**20)), free_space=free_space,
                                on_change=watch)
        await recorder.start()
        stopped = await watch.until(lambda s: s.state != RecordingState.RECORDING, timeout=60)
        finished = await recorder.stop()
    assert not recorder.running
    assert stopped.state == finished.state == RecordingState.STOPPED_DISK_FULL
    assert re.fullmatch(r"Recording stopped: the disk of .+ has only 30 MB free \(Pupitre keeps 30 MB free\)\. "
                        r"The file recorded so far is kept and plays\.", stopped.warning), stopped.warning
    # the file was finished properly and never took the disk below the limit
    assert free_space(tmp_path) >= 29.5 * 2**20 - 64 * 1024  # the trailer's few kilobytes
    assert len(read_recording(path)["frame_times"]) >= 25


async def test_a_recording_does_not_start_on_a_nearly_full_disk(tmp_path: Path) -> None:
    recorder = LiveRecorder("http://127.0.0.1:9/none.m3u8", tmp_path / "never.mkv",
                            budget=DiskBudget(2048 * 2**20), free_space=lambda _folder: 700 * 2**20)
    with pytest.raises(RecordingRefused) as refused:
        await recorder.start()
    assert refused.value.sentence == (
        f"Not recording: the disk of {tmp_path} has only 700 MB free, and Pupitre keeps at least 2.0 GB free "
        "while recording. Free some space or choose another folder in the settings.")
    assert not (tmp_path / "never.mkv").exists()
