"""Records one live: follows the audience's HLS playlist and hands every segment to the remuxer.

The segments recorded are the audience's own (the playlist the HLS monitor reads), downloaded
once each, in order, and remuxed without re-encoding (:mod:`desktop.recording.remux`).  Unlike
the preview's :class:`~desktop.stream.segment_feed.SegmentFeed`, which jumps to the live edge, the
recorder wants every segment: at its start it takes the current run's segments still listed
(the first seconds of the live), and when the stream restarts — a discontinuity, or a media
sequence that goes back (nginx-rtmp without ``hls_continuous``) — it ends the run, which becomes
a chapter, and takes the new run from its first listed segment.

Between runs (the live stopped, a restart under way) the playlist may be stale or answer 404:
the recorder keeps polling quietly until it is stopped.  Before each segment is written the free
space of the disk is checked (:class:`~desktop.recording.files.DiskBudget`): below the limit the
recording stops cleanly — the file is finished and plays — and :attr:`RecordingStatus.warning`
says so in one sentence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import httpx

from desktop.errors import PupitreError
from desktop.i18n import _
from desktop.logs import redact
from desktop.net.http import HttpOptions, make_client, send_limited
from desktop.recording.files import DiskBudget, FreeSpace, disk_free
from desktop.recording.remux import LiveRemuxer
from desktop.recording.status import (
    RecordingRefused,
    RecordingState,
    RecordingStatus,
    RecordingUnsupported,
)
from desktop.stream.fetch import fetch_limited, parse_off_loop
from desktop.stream.playlist import MasterPlaylist, MediaPlaylist, PlaylistError, Segment
from desktop.stream.segment_feed import UNSUPPORTED_TAGS, poll_interval

logger = logging.getLogger(__name__)

MAX_SEGMENT_BYTES = 64 * 1024 * 1024
IDLE_POLL_SECONDS = 2.0
"""The poll period while the stream is away (live stopped, restarting): cheap and quick enough."""
AWAY_AFTER_TARGETS = 4
"""No new segment for this many target durations: the stream is away."""


class LiveRecorder:
    """Records the HLS stream at ``hls_url`` into ``path`` until :meth:`stop`.

    Args:
        hls_url: the audience HLS playlist (master or media).
        path: the recording file (Matroska), created by :meth:`start`.
        budget: the free space to keep on the disk.
        options: transport options for the HLS server (timeouts, CA bundle).
        client: an existing AsyncClient (not closed by the recorder), for tests.
        free_space: free bytes of the disk of a folder (injectable: tests fake a small disk).
        wait: how the recorder waits between polls (a poll period, not a sleep for a state).
        monotonic: the clock of the poll periods (injectable for tests).
        on_change: called with each new :class:`RecordingStatus`.
        chapter_title: the chapters' titles, ``{number}`` being the run's number.
    """

    def __init__(
        self,
        hls_url: str,
        path: Path,
        *,
        budget: DiskBudget,
        options: HttpOptions | None = None,
        client: httpx.AsyncClient | None = None,
        free_space: FreeSpace = disk_free,
        wait: Callable[[float], Awaitable[object]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        on_change: Callable[[RecordingStatus], None] | None = None,
        chapter_title: str = "",
    ) -> None:
        self.hls_url = hls_url
        self.path = path
        self.budget = budget
        self._options = options or HttpOptions()
        self._client = client
        self._owns_client = client is None
        self._free_space = free_space
        self._wait = wait
        self._monotonic = monotonic
        self._on_change = on_change
        self.status = RecordingStatus(path=path)
        self._remuxer = LiveRemuxer(path, chapter_title=chapter_title or _("Live, part {number}"))
        self._task: asyncio.Task[None] | None = None
        self._last_sequence: int | None = None
        self._new_run = True
        self._media_url: str | None = None
        self._created = False

    # -- life cycle -----------------------------------------------------------------------------
    async def start(self) -> RecordingStatus:
        """Check the disk, create the file and start following the stream.

        Raises:
            RecordingRefused: not enough free space, or the folder cannot be created.
        """
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            free = self._free_space(folder)
        except OSError as error:
            raise RecordingRefused(_("Not recording: the folder {folder} cannot be used ({reason}).").format(
                folder=folder, reason=error.strerror or error)) from None
        refusal = self.budget.refusal(folder, free)
        if refusal is not None:
            raise RecordingRefused(refusal)
        self._created = not self.path.exists()  # only a file the recorder made may be removed
        if self._client is None:
            self._client = make_client(self._options, follow_redirects=True,
                                       headers={"User-Agent": "Pupitre recorder", "Cache-Control": "no-cache"})
        self._remuxer.start()
        logger.info("recording %s into %s", redact(self.hls_url), self.path)
        self._task = asyncio.get_running_loop().create_task(self._follow())
        return self.status

    def switch(self, hls_url: str) -> None:
        """Follow another playlist (a restart on another gateway): a new run, so a new chapter."""
        if hls_url != self.hls_url:
            self.hls_url = hls_url
            self._media_url = None
            self._last_sequence = None
            self._end_run()

    async def stop(self) -> RecordingStatus:
        """Stop following and finish the file (chapters, index); the status says how it ended."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._finish(RecordingState.FINISHED if self.status.state == RecordingState.RECORDING
                           else self.status.state)
        return self.status

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    # -- following --------------------------------------------------------------------------------
    async def _follow(self) -> None:
        last_new = self._monotonic()
        try:
            while True:
                try:
                    playlist = await self._read()
                except RecordingUnsupported:
                    raise
                except PlaylistError as error:
                    logger.info("recording: playlist unreadable for now: %s", error.sentence)
                    playlist = None
                except PupitreError as error:  # away (404, unreachable): the live may come back
                    logger.debug("recording: playlist not available: %s", error.sentence)
                    playlist = None
                if not await self._still_writing():
                    return
                period = IDLE_POLL_SECONDS
                if playlist is not None:
                    fresh = self._new_segments(playlist)
                    for segment in fresh:
                        if not await self._record(segment):
                            return
                    if fresh:
                        last_new = self._monotonic()
                    # at the live's pace while it advances; slower while it is away (stopped,
                    # restarting): a new run is still caught while its first segments are listed
                    if playlist.segments and self._monotonic() - last_new < AWAY_AFTER_TARGETS * playlist.target_duration:
                        period = poll_interval(playlist.target_duration)
                await self._wait(period)
        except RecordingUnsupported as error:
            self._set(state=RecordingState.FAILED, warning=error.sentence)
            await self._finish(RecordingState.FAILED)

    def _new_segments(self, playlist: MediaPlaylist) -> list[Segment]:
        segments = list(playlist.segments)
        if not segments:
            return []
        if self._last_sequence is None or segments[-1].sequence < self._last_sequence:
            if self._last_sequence is not None:
                self._end_run()  # the media sequence went back: the stream was published anew
            # from the start of the current run: its first segments still listed
            starts = [i for i, s in enumerate(segments) if s.discontinuity]
            return segments[starts[-1]:] if starts else segments
        fresh = [s for s in segments if s.sequence > self._last_sequence]
        if fresh and fresh[0].sequence > self._last_sequence + 1:
            missed = fresh[0].sequence - self._last_sequence - 1
            logger.info("recording: %d segments fell out of the playlist before they were read", missed)
            self._set(missed=self.status.missed + missed)
        return fresh

    async def _record(self, segment: Segment) -> bool:
        """Download and write one segment; False when the recording must stop."""
        if segment.discontinuity and self.status.segments:
            self._end_run()
        self._last_sequence = segment.sequence
        body = await self._download(segment)
        if body is None:
            self._set(missed=self.status.missed + 1)
            return True
        try:
            free = self._free_space(self.path.parent)
        except OSError:
            free = 0
        reason = self.budget.stop_reason(self.path.parent, free, len(body))
        if reason is not None:
            logger.warning("recording: %s", reason)
            self._set(state=RecordingState.STOPPED_DISK_FULL, warning=reason)
            await self._finish(RecordingState.STOPPED_DISK_FULL)
            return False
        if self._new_run:
            self._new_run = False
            self._remuxer.start_run()
        self._remuxer.feed(body)
        stats = self._remuxer.stats
        self._set(segments=self.status.segments + 1, chapters=max(stats.runs, 1),
                  listed_seconds=self.status.listed_seconds + segment.duration,
                  seconds=max(stats.duration, self.status.seconds))
        if not await self._still_writing():
            return False
        if stats.skipped_runs and not self.status.warning:
            self._set(warning=_("The recording skipped part of the live: the stream's format changed "
                                "after a restart."))
        return True

    async def _still_writing(self) -> bool:
        """False (and the recording failed, with its sentence) once the file cannot be written."""
        failure = self._remuxer.stats.failure
        if not failure:
            return True
        logger.warning("recording: %s could not be written: %s", self.path, failure)
        self._set(state=RecordingState.FAILED, warning=_(
            "Recording stopped: the file {path} could not be written ({reason}). What was written plays."
        ).format(path=self.path, reason=failure[:200]))
        await self._finish(RecordingState.FAILED)
        return False

    def _end_run(self) -> None:
        if not self._new_run:
            self._remuxer.end_run()
            self._new_run = True

    async def _download(self, segment: Segment) -> bytes | None:
        assert self._client is not None
        request = self._client.build_request("GET", segment.uri)
        try:
            response = await send_limited(self._client, request, limit=MAX_SEGMENT_BYTES, too_large=_too_large)
        except PupitreError as error:
            logger.info("recording: segment %d not read: %s", segment.sequence, error.sentence)
            return None
        if not 200 <= response.status_code < 300:
            logger.info("recording: segment %d answered %d", segment.sequence, response.status_code)
            return None
        return response.content

    async def _read(self) -> MediaPlaylist:
        assert self._client is not None
        url = self._media_url or self.hls_url
        for attempt in range(2):
            answer = await fetch_limited(self._client, url)
            if not answer.ok:
                self._media_url = None
                raise PupitreError(_("The stream's server answered {status}.").format(status=answer.status))
            playlist = await parse_off_loop(answer.body, answer.url)
            if isinstance(playlist, MediaPlaylist):
                text = answer.body.decode("utf-8", errors="replace")
                if any(tag in text for tag in UNSUPPORTED_TAGS):
                    raise RecordingUnsupported(_("Recording stopped: the stream's segments are not plain MPEG-TS "
                                                 "(fragmented MP4 or encrypted), which Pupitre cannot record."))
                self._media_url = answer.url
                return playlist
            if attempt or url != self.hls_url:
                raise PlaylistError(_("The variant of the master playlist is itself a master playlist."))
            assert isinstance(playlist, MasterPlaylist)
            url = playlist.pick_variant().uri
        raise AssertionError("unreachable")  # pragma: no cover

    # -- finishing --------------------------------------------------------------------------------
    async def _finish(self, state: RecordingState) -> None:
        if not await asyncio.to_thread(self._remuxer.close):
            logger.warning("recording: %s took too long to finish", self.path)
        stats = self._remuxer.stats
        self._set(state=state, chapters=stats.runs, seconds=stats.duration)
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None
        with contextlib.suppress(OSError):
            if (stats.packets == 0 and self._created and self.path.is_file() and not self.path.is_symlink()
                    and self.path.stat().st_size < 4096):
                self.path.unlink()  # nothing was recorded: no empty file of ours left behind

    def _set(self, **changes: object) -> None:
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        if self._on_change is not None:
            try:
                self._on_change(self.status)
            except Exception:
                logger.exception("recording listener failed")


def _too_large(size: int) -> PupitreError:
    return PupitreError(_("A segment of the stream is too large to record ({size} MB).").format(size=size // 2 ** 20))
