"""MPEG-TS segments remuxed, without re-encoding, into one Matroska file, a chapter per run.

Why Matroska and not (fragmented) MP4: the file must stay playable when Pupitre is killed in the
middle of a live, and must get a chapter at every restart of the live — restarts that are only
known as they happen.  FFmpeg's Matroska muxer (libavformat/matroskaenc.c) opens the Segment with
an *unknown* size (``put_ebml_size_unknown``) after a header that already describes the tracks,
then appends clusters of a few seconds at most: a file cut anywhere
plays up to its last packet in VLC, mpv or FFmpeg — that is why OBS records to MKV by default.
The remuxer also flushes every packet to the file (``flush_packets``), so a crash loses nothing
FFmpeg had already muxed.  A fragmented MP4 is crash-safe too, but its chapters live in the
``moov`` box, which a fragmented file writes *first* (``empty_moov``): chapters found later cannot
go there.  Matroska chapters known only at the end are written by the muxer's trailer (checked
with the FFmpeg 8.1 that PyAV 18 bundles: ``tests/recording/test_remux.py``); after a crash the
file has no chapters (its video and sound are all there).

One *run* is one continuous publication of the stream (a live, or the live after a restart): its
segments are one MPEG-TS stream read by one demuxer, and its timestamps are shifted so that the
run starts where the previous one ended.  PyAV (``av``) is imported here only, inside the muxing
thread: importing this module costs nothing, and the GUI's start path never loads PyAV.

The muxing runs in its own thread (:class:`LiveRemuxer`): demuxing and writing a 720p segment take
a few milliseconds, which the event loop (the GUI's, under qasync) must not spend.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_END_RUN = object()
_CLOSE = object()
MAX_CLOCK_JUMP = 10 * 90000
"""A track's timestamps moving forward by more than this (10 s, in MPEG-TS's 1/90000 s), or back by
more than :data:`MAX_LATE` (1 s), are a reset of the stream's clock; less far back, a late packet."""
MAX_LATE = 90000
PROBE_BYTES = "2000000"
"""How much of a run the demuxer reads to find its streams (a 720p segment is 150-400 KB)."""


@dataclass
class RemuxStats:
    """What the remuxer wrote (read from other threads: plain values only).

    Attributes:
        packets: packets written.
        runs: runs started (each is a chapter).
        duration: seconds of media written, over all runs.
        failure: FFmpeg's words for a failure that stopped the remuxer (the file keeps what was
            written), or "".
        skipped_runs: runs left out because their tracks differ from the file's.
    """

    packets: int = 0
    runs: int = 0
    duration: float = 0.0
    failure: str = ""
    skipped_runs: int = 0
    chapter_starts: list[float] = field(default_factory=list)


class _RunReader:
    """A blocking file-like object over the segments of one run (PyAV reads it in the thread)."""

    def __init__(self, items: queue.Queue[object]) -> None:
        self._items = items
        self._pending = b""
        self.ended = False
        self.closing = False

    def has_data(self) -> bool:
        """Block until the run's first bytes came (True) or the run ended empty (False)."""
        self._fill()
        return bool(self._pending)

    def read(self, size: int = -1) -> bytes:
        self._fill()
        if size < 0 or size >= len(self._pending):
            chunk, self._pending = self._pending, b""
        else:
            chunk, self._pending = self._pending[:size], self._pending[size:]
        return chunk

    def _fill(self) -> None:
        while not self._pending and not self.ended:
            item = self._items.get()
            if item is _END_RUN:
                self.ended = True
            elif item is _CLOSE:
                self.ended = self.closing = True
            else:
                assert isinstance(item, bytes)
                self._pending = item


class LiveRemuxer:
    """Writes runs of MPEG-TS segments into ``path`` (Matroska), one chapter per run.

    ``start_run()`` opens a run, ``feed(segment)`` appends a segment's bytes, ``end_run()`` closes
    the run (the next ``start_run`` becomes a new chapter), ``close()`` finishes the file (chapters
    and index) and joins the thread.  A run whose tracks differ from the first run's (another
    codec or picture size, a gateway configured differently) cannot continue the same tracks: the
    remuxer skips it and counts it in :attr:`RemuxStats.skipped_runs`.
    """

    def __init__(self, path: Path, *, chapter_title: str = "Live {number}") -> None:
        self.path = path
        self.chapter_title = chapter_title
        self.stats = RemuxStats()
        self._items: queue.Queue[object] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="pupitre-recording", daemon=True)
        self._started = False
        self._closed = False
        self._tracks: set[tuple[object, ...]] = set()

    def start(self) -> None:
        self._started = True
        self._thread.start()

    def start_run(self) -> None:
        """Nothing to do but a marker: the first segment fed after ``end_run`` opens a new run."""

    def feed(self, segment: bytes) -> None:
        if segment:
            self._items.put(segment)

    def end_run(self) -> None:
        self._items.put(_END_RUN)

    @property
    def alive(self) -> bool:
        """False once the muxing thread stopped (closed, or a failure)."""
        return self._thread.is_alive() and not self.stats.failure

    def close(self, timeout: float = 30.0) -> bool:
        """Finish the file; False when the thread did not finish in ``timeout`` seconds."""
        if not self._closed:  # a second close (its first caller was cancelled) waits just the same
            self._closed = True
            self._items.put(_CLOSE)
        if self._started:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    # -- the thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        import av  # lazily: PyAV loads FFmpeg's libraries (tens of MB)

        output: Any = None
        outputs: dict[str, Any] = {}
        end_of_file = 0  # output time (in 1/90000 s, MPEG-TS's clock) where the next run starts
        try:
            # flush_packets: every packet goes to the file as it is muxed (FFmpeg would keep up to
            # 256 KB in memory, seconds of video that a crash would lose)
            output = av.open(str(self.path), "w", format="matroska", container_options={"flush_packets": "1"})
            while True:
                reader = _RunReader(self._items)
                # wait for the run's first bytes before opening a demuxer on it
                if not reader.has_data():
                    if reader.closing:
                        break
                    continue  # an empty run (ended before any segment)
                end_of_file = self._remux_run(av, reader, output, outputs, end_of_file)
                if reader.closing:
                    break
        except Exception as exc:  # FFmpeg's errors (disk full, broken data): the file keeps what it has
            logger.warning("recording to %s failed: %s", self.path, exc)
            self.stats.failure = str(exc) or type(exc).__name__
            self._drain()
        finally:
            if output is not None:
                self._finish(output)

    def _remux_run(self, av: Any, reader: _RunReader, output: Any, outputs: dict[str, Any], start: int) -> int:
        ts_clock = Fraction(1, 90000)
        try:
            source = av.open(reader, "r", format="mpegts",
                             options={"probesize": PROBE_BYTES, "analyzeduration": "2000000"})
        except av.FFmpegError as exc:
            logger.info("recording: a run could not be read (%s); skipped", exc)
            self._skip_run(reader)
            return start
        with source:
            streams = [s for s in source.streams if s.type in ("video", "audio")]
            if not outputs:
                for stream in streams:
                    outputs[stream.type] = output.add_stream_from_template(stream)
                self._tracks = _tracks(streams)
            elif _tracks(streams) != self._tracks:
                self.stats.skipped_runs += 1
                logger.warning("recording: the run's tracks differ from the file's; the run is skipped")
                self._skip_run(reader)
                return start
            anchor: tuple[int, int] | None = None  # (input time, output time) of the run's start
            written: dict[str, int] = {}  # the newest output time per track
            end = start
            for packet in source.demux(streams):
                if packet.dts is None or packet.stream.type not in outputs:
                    continue  # demuxer flush packets, and tracks the file has no room for
                kind = packet.stream.type
                stamp = int(packet.dts * packet.time_base / ts_clock)
                if anchor is None:
                    anchor = (stamp, start)
                    self.stats.runs += 1
                    self.stats.chapter_starts.append(float(start * ts_clock))
                out = anchor[1] + stamp - anchor[0]
                previous = written.get(kind)
                if previous is not None and not previous < out <= previous + MAX_CLOCK_JUMP:
                    if previous - MAX_LATE < out <= previous:
                        continue  # a repeated or late packet: the file's timestamps must increase
                    # the stream's clock jumped without a discontinuity tag (an encoder restarted,
                    # its 33-bit clock wrapped after 26.5 h): go on right after what was written
                    logger.info("recording: the stream's clock jumped by %.1f s; re-anchored",
                                float((out - previous) * ts_clock))
                    anchor = (stamp, end)
                    out = end
                written[kind] = out
                shift = int((out - stamp) * ts_clock / packet.time_base)
                packet.dts += shift
                if packet.pts is not None:
                    packet.pts += shift
                end = max(end, out + int((packet.duration or 0) * packet.time_base / ts_clock))
                packet.stream = outputs[kind]
                output.mux(packet)
                self.stats.packets += 1
                self.stats.duration = float(end * ts_clock)
            return end

    def _skip_run(self, reader: _RunReader) -> None:
        while not reader.ended:
            reader.read()

    def _drain(self) -> None:
        """After a failure: swallow what is still fed until close, so feeders never block."""
        while self._items.get() is not _CLOSE:
            pass

    def _finish(self, output: Any) -> None:
        starts = self.stats.chapter_starts
        if len(starts) > 1:
            ends = [*starts[1:], max(self.stats.duration, starts[-1])]
            output.set_chapters([
                {"id": number, "start": int(begin * 1000), "end": int(finish * 1000),
                 "time_base": Fraction(1, 1000),
                 "metadata": {"title": self.chapter_title.format(number=number)}}
                for number, (begin, finish) in enumerate(zip(starts, ends, strict=True), start=1)])
        try:
            output.close()
        except Exception as exc:  # the trailer could not be written (disk full): the clusters stay
            logger.warning("recording: %s could not be finished: %s", self.path, exc)
            self.stats.failure = self.stats.failure or str(exc) or type(exc).__name__


def _tracks(streams: list[Any]) -> set[tuple[object, ...]]:
    """What must stay the same for a run to continue the file's tracks: kind, codec, picture size."""
    return {(s.type, s.codec_context.name,
             s.codec_context.width if s.type == "video" else s.codec_context.sample_rate) for s in streams}
