"""The recordings follow the sessions' snapshots: started live, kept through a restart, finished at
the end; the switch; the file names; a restart seen in the playlist (the media sequence going back)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from desktop.config.settings import GatewayConfig, Settings
from desktop.errors import ConfigError
from desktop.net.http import HttpOptions
from desktop.recording.files import DiskBudget, default_folder, recording_path, safe_title
from desktop.recording.recorder import (
    LiveRecorder,
    RecordingRefused,
    RecordingState,
    RecordingStatus,
)
from desktop.recording.service import RECORDING_EVENT, LiveRecordings
from desktop.stream.playlist import MediaPlaylist, parse_playlist
from desktop.webinar.state import LiveSnapshot, LiveState


class FakeSession:
    def __init__(self, key: str = "1:0") -> None:
        self.snapshot = LiveSnapshot(key=key, title="Cours: l’amphi / 2", meeting_id="m")
        self.listeners: list[Callable[[LiveSnapshot], None]] = []
        self.notes: list[str] = []

    def add_listener(self, listener: Callable[[LiveSnapshot], None]) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: None

    def note(self, text: str) -> None:
        self.notes.append(text)

    def publish(self, **changes: Any) -> None:
        self.snapshot = self.snapshot.evolve(**changes)
        for listener in self.listeners:
            listener(self.snapshot)


class FakeRecorder:
    made: ClassVar[list[FakeRecorder]] = []

    def __init__(self, url: str, path: Path, *, budget: DiskBudget, refuse: str = "", **_: Any) -> None:
        self.url, self.path, self.budget, self.refuse = url, path, budget, refuse
        self.urls = [url]
        self.running = False
        self.stopped = asyncio.Event()
        FakeRecorder.made.append(self)

    async def start(self) -> RecordingStatus:
        if self.refuse:
            raise RecordingRefused(self.refuse)
        self.running = True
        return RecordingStatus(path=self.path)

    def switch(self, url: str) -> None:
        if url != self.urls[-1]:
            self.urls.append(url)

    async def stop(self) -> RecordingStatus:
        self.running = False
        self.stopped.set()
        return RecordingStatus(path=self.path, state=RecordingState.FINISHED)


class Journal:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []

    def event(self, key: str, kind: str, detail: str = "", at: float | None = None) -> None:
        self.events.append((key, kind, detail))


def settings(**preferences: Any) -> Settings:
    result = Settings(preferences=dict(preferences))
    for name in ("gw1", "gw2"):
        result.put_gateway(GatewayConfig(name=name, kind="sipmediagw", url=f"https://{name}.example",
                                         rtmp_url=f"rtmp://{name}.example/live", hls_url=f"https://{name}.example/live.m3u8"))
    return result


def stream_of(config: Settings) -> Callable[[str], tuple[str, HttpOptions]]:
    def find(name: str) -> tuple[str, HttpOptions]:
        return config.gateway(name).hls_url, HttpOptions()
    return find


async def settle(recordings: LiveRecordings) -> None:
    """Let the scheduled reconciliations run (each is a task on the loop)."""
    while recordings._tasks:
        await asyncio.gather(*list(recordings._tasks), return_exceptions=True)


@pytest.fixture(autouse=True)
def fresh_fakes() -> None:
    FakeRecorder.made.clear()


async def test_a_live_is_recorded_kept_through_a_restart_and_finished_at_the_end(pupitre_home: Path) -> None:
    config = settings(record_live=True)
    journal = Journal()
    recordings = LiveRecordings(config, stream_of(config), journal=journal, recorder_factory=FakeRecorder)
    session = FakeSession()
    recordings.attach("1:0", session)
    session.publish(state=LiveState.STARTING_GATEWAY, gateway="gw1")
    await settle(recordings)
    assert FakeRecorder.made == []  # not before the audience stream is live
    session.publish(state=LiveState.LIVE)
    await settle(recordings)
    [recorder] = FakeRecorder.made
    assert recorder.url == "https://gw1.example/live.m3u8" and recorder.running
    assert recorder.path.parent == pupitre_home / "recordings"
    assert recorder.path.name.endswith(" Cours l’amphi 2.mkv")
    assert journal.events == [("1:0", RECORDING_EVENT, str(recorder.path))]
    # a restart on another gateway: the same file follows the new playlist (a new chapter)
    for state in (LiveState.STOPPING, LiveState.STARTING_GATEWAY, LiveState.LIVE):
        session.publish(state=state, gateway="gw2")
        await settle(recordings)
    assert FakeRecorder.made == [recorder] and recorder.running
    assert recorder.urls == ["https://gw1.example/live.m3u8", "https://gw2.example/live.m3u8"]
    # stopped and started again: still the same file
    for state in (LiveState.STOPPING, LiveState.LIVE_STOPPED, LiveState.STARTING_GATEWAY, LiveState.LIVE):
        session.publish(state=state)
        await settle(recordings)
    assert FakeRecorder.made == [recorder] and recorder.running
    session.publish(state=LiveState.STOPPING)
    session.publish(state=LiveState.ENDED)
    await settle(recordings)
    assert not recorder.running
    assert recordings.statuses["1:0"].state == RecordingState.FINISHED


async def test_recording_is_off_by_default_and_the_switch_starts_and_finishes_it() -> None:
    config = settings()
    recordings = LiveRecordings(config, stream_of(config), recorder_factory=FakeRecorder)
    assert recordings.enabled is False
    session = FakeSession()
    recordings.attach("1:0", session)
    session.publish(state=LiveState.LIVE, gateway="gw1")
    await settle(recordings)
    assert FakeRecorder.made == []
    recordings.set_enabled(True)
    await settle(recordings)
    [recorder] = FakeRecorder.made
    assert recorder.running
    recordings.set_enabled(False)
    await settle(recordings)
    assert not recorder.running
    assert config.preference("record_live") is False  # the switch is for this run; the setting stays


def test_the_free_space_kept_has_a_floor() -> None:
    config = settings(recording_min_free_mb=0)
    assert LiveRecordings(config, stream_of(config)).budget == DiskBudget(100 * 2**20)


async def test_a_refusal_becomes_the_sessions_notice_and_is_not_retried_until_the_switch() -> None:
    config = settings(record_live=True, recording_min_free_mb=4096)
    sentence = "Not recording: the disk is nearly full."
    recordings = LiveRecordings(config, stream_of(config),
                                recorder_factory=lambda *a, **k: FakeRecorder(*a, refuse=sentence, **k))
    session = FakeSession()
    recordings.attach("1:0", session)
    session.publish(state=LiveState.LIVE, gateway="gw1")
    await settle(recordings)
    session.publish(health=session.snapshot.health)  # another snapshot: no new attempt
    await settle(recordings)
    await asyncio.sleep(0)  # the notice is posted with call_soon (not from inside the publishing)
    assert len(FakeRecorder.made) == 1 and FakeRecorder.made[0].budget == DiskBudget(4096 * 2**20)
    assert session.notes == [sentence]
    assert recordings.statuses["1:0"].warning == sentence
    recordings.set_enabled(True)
    await settle(recordings)
    assert len(FakeRecorder.made) == 2


async def test_an_unknown_gateway_records_nothing() -> None:
    config = settings(record_live=True)

    def unknown(name: str) -> tuple[str, HttpOptions]:
        raise ConfigError(f"no gateway {name}")

    recordings = LiveRecordings(config, unknown, recorder_factory=FakeRecorder)
    session = FakeSession()
    recordings.attach("1:0", session)
    session.publish(state=LiveState.LIVE, gateway="gone")
    await settle(recordings)
    assert FakeRecorder.made == []


def test_file_names_are_safe_and_never_overwrite(tmp_path: Path) -> None:
    assert safe_title("../../etc/passwd") == "etc passwd"
    assert safe_title("a\u202eb\x00c\nd") == "a b c d"
    assert safe_title("CON") == "webinar" and safe_title(" ... ") == "webinar"
    assert len(safe_title("x" * 500)) == 80
    when = datetime(2026, 3, 29, 9, 5)
    first = recording_path(tmp_path, "Cours", when)
    assert first.name == "2026-03-29 09-05 Cours.mkv"
    first.write_bytes(b"")
    assert recording_path(tmp_path, "Cours", when).name == "2026-03-29 09-05 Cours (2).mkv"


def test_the_folder_is_videos_pupitre_unless_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PUPITRE_HOME")
    monkeypatch.setattr("platformdirs.user_videos_dir", lambda: str(tmp_path / "Videos"))
    assert default_folder() == tmp_path / "Videos" / "Pupitre"
    assert default_folder(str(tmp_path / "elsewhere")) == tmp_path / "elsewhere"


PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:{first}\n" + "{segments}"


def playlist(first: int, count: int, discontinuity_at: int | None = None) -> MediaPlaylist:
    lines = ""
    for number in range(first, first + count):
        if number == discontinuity_at:
            lines += "#EXT-X-DISCONTINUITY\n"
        lines += f"#EXTINF:1.0,\nseg-{number}.ts\n"
    parsed = parse_playlist(PLAYLIST.format(first=first, segments=lines), "http://o.example/live.m3u8")
    assert isinstance(parsed, MediaPlaylist)
    return parsed


def test_the_follower_takes_every_new_segment_and_a_restart_from_its_start(tmp_path: Path) -> None:
    recorder = LiveRecorder("http://o.example/live.m3u8", tmp_path / "x.mkv", budget=DiskBudget(0))
    ends: list[str] = []
    recorder._remuxer.end_run = lambda: ends.append("end")  # type: ignore[method-assign]
    # at the start: the current run's segments still listed (after the last discontinuity)
    first = recorder._new_segments(playlist(10, 5, discontinuity_at=12))
    assert [s.sequence for s in first] == [12, 13, 14]
    recorder._last_sequence, recorder._new_run = 14, False
    assert [s.sequence for s in recorder._new_segments(playlist(12, 5))] == [15, 16]
    recorder._last_sequence = 16
    # two segments fell out of the window before they were read: counted as missed
    assert [s.sequence for s in recorder._new_segments(playlist(19, 2))] == [19, 20]
    assert recorder.status.missed == 2
    recorder._last_sequence = 20
    # published anew with a media sequence that starts again (nginx-rtmp without hls_continuous)
    assert [s.sequence for s in recorder._new_segments(playlist(0, 3))] == [0, 1, 2]
    assert ends == ["end"]
