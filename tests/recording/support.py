"""Helpers for the recording tests: a lab live to record, waiting on a recorder's status, a player."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop.recording.recorder import LiveRecorder, RecordingStatus

ROOT = Path(__file__).resolve().parents[2]
PLAY_PROBE = Path(__file__).with_name("play_probe.py")
RECORD_PROBE = Path(__file__).with_name("record_probe.py")


@dataclass
class LabLive:
    """A live of the lab's HLS origin: its playlist URL, and a restart (stop, then publish again)."""

    origin: Any
    scene: Callable[[], Any]
    name: str

    @property
    def url(self) -> str:
        return str(self.origin.hls_url(self.name))

    async def stop(self) -> None:
        await self.origin.stop(self.name)

    async def start(self) -> None:
        await self.origin.start(self.name, self.scene)


@contextlib.asynccontextmanager
async def lab_live(name: str = "rec") -> AsyncIterator[LabLive]:
    """The lab's HLS origin encoding a live scene (360p, AAC tone) once it has a segment."""
    from desktop.lab.scene import Scene
    from desktop.lab.video.encoder import EncoderSettings
    from desktop.lab.video.origin import HlsOrigin

    scene = Scene(title="Recorded live", participant_count=3, chat_visible=True, gateway="gw-rec")
    settings = EncoderSettings(width=640, height=360, fallback_size=None, audio=True)
    async with HlsOrigin(settings=settings, cleanup_delay=None) as origin:
        live = LabLive(origin, lambda: scene, name)
        await live.start()
        await origin.wait_segments(name, count=1, timeout=20)
        yield live


class StatusWatch:
    """Collects a recorder's statuses; :meth:`until` waits for one that satisfies a condition."""

    def __init__(self) -> None:
        self.latest: RecordingStatus | None = None
        self._changed = asyncio.Event()

    def __call__(self, status: RecordingStatus) -> None:
        self.latest = status
        self._changed.set()

    async def until(self, predicate: Callable[[RecordingStatus], bool], timeout: float = 30.0) -> RecordingStatus:
        async with asyncio.timeout(timeout):
            while self.latest is None or not predicate(self.latest):
                self._changed.clear()
                await self._changed.wait()
        return self.latest


async def record_with_restart(live: LabLive, path: Path) -> RecordingStatus:
    """Record the lab's live, restart it once (a stop, then a new publication), record more."""
    from desktop.recording.files import DiskBudget

    watch = StatusWatch()
    recorder = LiveRecorder(live.url, path, budget=DiskBudget(0), on_change=watch)
    await recorder.start()
    first = await watch.until(lambda s: s.segments >= 4)
    await live.stop()
    await live.start()
    await watch.until(lambda s: s.segments >= first.segments + 4)
    return await recorder.stop()


def read_recording(path: Path) -> dict[str, Any]:
    """What PyAV finds in a recording: chapters, streams, and every video frame decoded."""
    import av

    with av.open(str(path)) as container:
        chapters = [(float(c["start"] * (c["time_base"] or 1)), c["metadata"].get("title", ""))
                    for c in container.chapters()]
        kinds = sorted(s.type for s in container.streams)
        video = container.streams.video[0]
        times = [float(frame.pts * frame.time_base) for frame in container.decode(video)
                 if frame.pts is not None and frame.time_base is not None]
    return {"chapters": chapters, "streams": kinds, "frame_times": times, "duration": times[-1] if times else 0.0}


def needs_display_and_libvlc() -> None:
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs a real X display (DISPLAY unset; the project's test command runs under xvfb-run)")
    from desktop.ui.preview import VlcUnavailable, load_vlc

    try:
        load_vlc()
    except VlcUnavailable as exc:
        pytest.skip(f"libVLC not installed: {exc}")


async def play_in_vlc(path: Path) -> dict[str, Any]:
    """Play ``path`` in libVLC (a subprocess, see play_probe.py) until it ends; its JSON answer."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(PLAY_PROBE), str(path), "--rate", "4", "--timeout", "60",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=90)
    lines = stdout.decode().strip().splitlines()
    assert lines, f"the player printed nothing (exit {process.returncode}): {stderr.decode()[-2000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    print("player:", result)
    return result
