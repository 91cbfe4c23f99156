"""The recordings of the lives, driven from outside the state machine by its snapshots.

:class:`LiveRecordings` is attached to each live session (``session.add_listener``): the session
does not know it is recorded.  From the snapshots it decides, per webinar:

* ``live`` (the audience stream advances) and recording on → a :class:`LiveRecorder` follows the
  playlist of the gateway that streams (``settings.gateway(snapshot.gateway).hls_url``, the one
  the HLS monitor reads); a restart on another gateway switches it to that gateway's playlist;
* ``stopping``, ``live stopped``, ``starting gateway``, ``failed`` → the recorder stays: a live
  stopped and started again, or restarted, goes on in the same file as a new chapter (the
  recorder sees the new run in the playlist);
* ``ended`` or back to ``idle`` → the file is finished.

A crash of Pupitre leaves the file playable (see :mod:`desktop.recording.remux`); when the live is
resumed after the crash, the recording goes on in a *new* file (FFmpeg cannot append to a file it
did not finish).  Each file is journaled (event ``recording``) so the session report links it.
Sentences for the presenter (disk space, refusal) become the session's notice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop.config.settings import Settings
from desktop.errors import PupitreError
from desktop.recording.files import DiskBudget, FreeSpace, default_folder, disk_free, recording_path
from desktop.recording.status import RecordingRefused, RecordingState, RecordingStatus
from desktop.webinar.state import LiveSnapshot, LiveState

if TYPE_CHECKING:  # the recorder (httpx, the HLS reader) loads with the first recording (issue 13)
    from desktop.net.http import HttpOptions

logger = logging.getLogger(__name__)

RECORDING_EVENT = "recording"
"""The journal event kind holding a recording's path (read by the session report)."""

MIN_FREE_FLOOR_MB = 100
"""Whatever the setting says, a recording leaves this much free: room for the file's last cluster and
index, and for the rest of the system."""

StreamOf = Callable[[str], "tuple[str, HttpOptions]"]
"""A gateway's name -> its audience HLS playlist and the transport options to read it."""
StatusListener = Callable[[str, RecordingStatus], None]


class RecordedSession(Protocol):
    """What the recordings need of a live session (a :class:`~desktop.webinar.session.LiveSession`)."""

    @property
    def snapshot(self) -> LiveSnapshot: ...

    def add_listener(self, listener: Callable[[LiveSnapshot], None]) -> Callable[[], None]: ...

    def note(self, text: str) -> None: ...


class Recorder(Protocol):
    """What the recordings drive (a :class:`~desktop.recording.recorder.LiveRecorder`)."""

    @property
    def running(self) -> bool: ...

    async def start(self) -> RecordingStatus: ...

    def switch(self, hls_url: str) -> None: ...

    async def stop(self) -> RecordingStatus: ...


class EventJournal(Protocol):
    def event(self, key: str, kind: str, detail: str = "", at: float | None = None) -> None: ...


class LiveRecordings:
    """Records each live session while recording is on (see the module docstring).

    Args:
        settings: ``record_live``, ``recording_folder`` and ``recording_min_free_mb`` are read here.
        stream_of: the HLS playlist (and options) of a gateway, by name.
        journal: where each recording's path is noted for the session report.
        free_space: free bytes of a folder's disk (tests fake a small disk).
        recorder_factory: builds a recorder (tests give one with a test transport).
    """

    def __init__(
        self,
        settings: Settings,
        stream_of: StreamOf,
        *,
        journal: EventJournal | None = None,
        free_space: FreeSpace = disk_free,
        recorder_factory: Callable[..., Recorder] | None = None,
    ) -> None:
        self.settings = settings
        self._stream_of = stream_of
        self._journal = journal
        self._free_space = free_space
        self._factory = recorder_factory  # None: desktop.recording.recorder.LiveRecorder, loaded on use
        self._enabled: bool | None = None  # None: the preference decides
        self._sessions: dict[str, RecordedSession] = {}
        self._recorders: dict[str, Recorder] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._listeners: list[StatusListener] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.statuses: dict[str, RecordingStatus] = {}
        self._warned: dict[str, str] = {}
        self._gave_up: set[str] = set()  # refused or stopped for the disk: until the switch is used again

    # -- the switch -----------------------------------------------------------------------------
    @property
    def enabled(self) -> bool:
        if self._enabled is not None:
            return self._enabled
        return bool(self.settings.preference("record_live"))

    def set_enabled(self, enabled: bool) -> None:
        """Switch recording on or off for this run of Pupitre (the preference is the default).

        On: the lives already running start recording now.  Off: their files are finished.
        """
        self._enabled = enabled
        self._gave_up.clear()
        for key in list(self._sessions):
            self._schedule(key)

    @property
    def folder(self) -> Path:
        return default_folder(str(self.settings.preference("recording_folder") or ""))

    @property
    def budget(self) -> DiskBudget:
        megabytes = max(MIN_FREE_FLOOR_MB, float(self.settings.preference("recording_min_free_mb")))
        return DiskBudget(int(megabytes * 1024 * 1024))

    def add_listener(self, listener: StatusListener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # -- sessions -------------------------------------------------------------------------------
    def attach(self, key: str, session: RecordedSession) -> None:
        """Follow ``session``'s snapshots (once per key)."""
        if key in self._sessions:
            return
        self._sessions[key] = session
        session.add_listener(lambda _snapshot: self._on_snapshot(key))
        self._on_snapshot(key)

    def _on_snapshot(self, key: str) -> None:
        if self.enabled or key in self._recorders:  # off and idle: nothing to decide
            self._schedule(key)

    def recorder(self, key: str) -> Recorder | None:
        return self._recorders.get(key)

    def _schedule(self, key: str) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (a snapshot published while closing): nothing to start
        task = loop.create_task(self._reconcile(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reconcile(self, key: str) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            session = self._sessions.get(key)
            if session is None:
                return
            snapshot = session.snapshot
            recorder = self._recorders.get(key)
            wanted = self.enabled and snapshot.state not in (LiveState.ENDED, LiveState.IDLE)
            if recorder is not None and (not wanted or not recorder.running):
                await self._stop(key, recorder)
                recorder = None
            if not wanted or snapshot.state != LiveState.LIVE or not snapshot.gateway:
                return
            try:
                url, options = self._stream_of(snapshot.gateway)
            except PupitreError as error:
                logger.info("recording: no playlist for gateway %s: %s", snapshot.gateway, error.sentence)
                return
            if recorder is not None:
                recorder.switch(url)
            elif key not in self._gave_up:
                await self._start(key, session, url, options)

    async def _start(self, key: str, session: RecordedSession, url: str, options: HttpOptions) -> None:
        snapshot = session.snapshot
        path = recording_path(self.folder, snapshot.title, datetime.now().astimezone())
        factory = self._factory
        if factory is None:
            from desktop.recording.recorder import LiveRecorder

            factory = self._factory = LiveRecorder
        recorder = factory(url, path, budget=self.budget, options=options, free_space=self._free_space,
                           on_change=lambda status: self._changed(key, status))
        try:
            self._changed(key, await recorder.start())
        except RecordingRefused as refused:
            self._gave_up.add(key)
            self._changed(key, RecordingStatus(path=path, state=RecordingState.FAILED, warning=refused.sentence))
            return
        self._recorders[key] = recorder
        if self._journal is not None:
            self._journal.event(key, RECORDING_EVENT, str(path))

    async def _stop(self, key: str, recorder: Recorder) -> None:
        self._recorders.pop(key, None)
        self._changed(key, await recorder.stop())

    def _changed(self, key: str, status: RecordingStatus) -> None:
        if self.statuses.get(key) == status:
            return  # the recorder's own last word, repeated when it is stopped
        self.statuses[key] = status
        if status.state in (RecordingState.STOPPED_DISK_FULL, RecordingState.FAILED):
            self._gave_up.add(key)
        if status.warning and self._warned.get(key) != status.warning:
            self._warned[key] = status.warning
            session = self._sessions.get(key)
            if session is not None:
                # not from inside the session's own publishing: its notice is a new snapshot
                with contextlib.suppress(RuntimeError):
                    asyncio.get_running_loop().call_soon(session.note, status.warning)
        for listener in list(self._listeners):
            try:
                listener(key, status)
            except Exception:
                logger.exception("recording status listener failed")

    async def aclose(self) -> None:
        """Finish every file (the app quits: its lives go on, their recordings end here)."""
        # the pending decisions run to their end (not cancelled): one may be finishing a file
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        for key, recorder in list(self._recorders.items()):
            await self._stop(key, recorder)
        self._sessions.clear()
