"""A live encoder: renders a scene at a fixed frame rate, encodes H.264 + AAC with PyAV, and
writes either FFmpeg's HLS muxer output (the lab's origin) or FLV to an RTMP server (nginx-rtmp).

Why a thread: rendering and x264 are CPU-bound and PyAV releases the GIL while encoding, so a
dedicated thread keeps up in real time without ever blocking the asyncio loop.  The publishers
start it from the loop, and join it in an executor.

Pacing follows the wall clock like a camera: frame *i* is due at ``t0 + i / fps``.  A frame that
is already due when the previous one is done is *late* (no sleep); when the lag exceeds
``max_lag_seconds`` (the process was starved), frames are *dropped* to get back to now, so the
stream stays live instead of drifting behind.  The picture's clock shows the real time at which
the frame was rendered.

Resolution fallback: after ``fallback_probe_seconds`` of the first output, if the average work per
frame (scene, render, colour conversion, encode, mux) exceeds ``fallback_load`` x the frame budget
(0.8 x 40 ms at 25 fps), the output is closed and reopened once at ``fallback_size`` (960x540 by
default).  Measured on the 2-core reference machine, 1280x720 costs ~11-13 ms per frame (x264
veryfast) plus ~6 ms of painting, so the fallback is for slower or busier machines.  For HLS the
reopened output continues the playlist with an ``EXT-X-DISCONTINUITY`` (``append_list`` +
``discont_start``); for RTMP it republishes, which nginx-rtmp also marks as a discontinuity.

A failure inside the thread (FFmpeg error, RTMP refused, a renderer bug) is logged with its
traceback, kept in :attr:`LiveEncoder.error`, and ends the thread: ``running`` becomes False.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import shutil
import threading
import time
import weakref
from array import array
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import av
from av.audio.stream import AudioStream
from av.container import OutputContainer
from av.video.stream import VideoStream

from desktop.errors import PupitreError
from desktop.lab.scene import IDLE_SCENE, Scene, SceneSource

logger = logging.getLogger(__name__)

PLAYLIST_NAME = "index.m3u8"
SEGMENT_PATTERN = "seg-%05d.ts"


class PublishError(PupitreError):
    """A lab stream could not be published (output refused, encoder failure)."""


@dataclass(frozen=True)
class EncoderSettings:
    """How a lab stream is encoded.  Defaults are the production-like 720p25, 1-s segments.

    Attributes:
        width, height: the first output size (even numbers).
        fps: frames per second; the GOP is ``fps * segment_seconds`` so every segment starts
            with a key frame (nginx-rtmp needs GOP <= ``hls_fragment``).
        segment_seconds: HLS segment length (``hls_time``).
        playlist_size: segments listed in the live playlist (``hls_list_size``).
        preset: x264 preset (``veryfast`` keeps 720p real time on two cores).
        audio: whether to add a sine tone as AAC audio (players expect an audio track).
        tone_hz, sample_rate: the tone (mono).
        fallback_size: the size to fall back to when the machine cannot keep up, or None.
        fallback_probe_seconds, fallback_load: when and at which load to decide the fallback.
        max_lag_seconds: lag beyond which frames are dropped to catch up with the clock.
    """

    width: int = 1280
    height: int = 720
    fps: int = 25
    segment_seconds: int = 1
    playlist_size: int = 5
    preset: str = "veryfast"
    audio: bool = True
    tone_hz: float = 440.0
    sample_rate: int = 48000
    fallback_size: tuple[int, int] | None = (960, 540)
    fallback_probe_seconds: float = 2.0
    fallback_load: float = 0.8
    max_lag_seconds: float = 1.0

    def __post_init__(self) -> None:
        sizes = [(self.width, self.height)] + ([self.fallback_size] if self.fallback_size else [])
        for w, h in sizes:
            if w < 64 or h < 64 or w % 2 or h % 2:
                raise ValueError(f"video size must be even and at least 64x64, not {w}x{h}")
        if self.fps < 1 or self.segment_seconds < 1 or self.playlist_size < 1:
            raise ValueError("fps, segment_seconds and playlist_size must be positive")

    @property
    def gop(self) -> int:
        return self.fps * self.segment_seconds


@dataclass(frozen=True)
class EncoderStats:
    """A snapshot of a live encoder's figures.

    Attributes:
        frames: frames encoded.
        late_frames: frames that were already due when the encoder got to them.
        dropped_frames: frames skipped to catch up after a lag above ``max_lag_seconds``.
        lag_p99_ms, lag_max_ms: how long after its due time a frame started (recent window).
        work_ms_avg, work_ms_p99: time spent per frame (scene, render, convert, encode, mux).
        width, height: the current output size.
        fell_back: whether the encoder switched to the fallback size.
        elapsed_s: seconds since the first frame of the current output.
        media_s: media seconds produced in the current output (including dropped frames).
    """

    frames: int = 0
    late_frames: int = 0
    dropped_frames: int = 0
    lag_p99_ms: float = 0.0
    lag_max_ms: float = 0.0
    work_ms_avg: float = 0.0
    work_ms_p99: float = 0.0
    width: int = 0
    height: int = 0
    fell_back: bool = False
    elapsed_s: float = 0.0

    media_s: float = 0.0

    @property
    def realtime_ratio(self) -> float:
        """Media time produced / wall time elapsed in the current output (1.0 = real time)."""
        return 0.0 if self.elapsed_s <= 0 else self.media_s / self.elapsed_s


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


class OutputTarget(Protocol):
    """Where a :class:`LiveEncoder` writes: opens a container for one output session."""

    def open(self, *, reopen: bool) -> OutputContainer:
        """Open the container; ``reopen`` is True when continuing after a size fallback."""

    def describe(self) -> str:
        """A short, secret-free description for logs."""


class HlsFolderOutput:
    """FFmpeg's ``hls`` muxer writing ``index.m3u8`` and ``seg-NNNNN.ts`` into ``folder``.

    ``base_url`` prefixes the segment URIs in the playlist (``NAME/`` so that ``/hls/NAME.m3u8``
    refers to ``/hls/NAME/seg-00001.ts``).  No ``EXT-X-ENDLIST`` is written on close
    (``omit_endlist``): nginx-rtmp does not write one when a publisher stops either; the
    playlist just goes stale until it is cleaned up.  When a playlist is already in the folder
    (a republish before cleanup, or the size fallback) the muxer continues it, with a
    discontinuity, like nginx-rtmp's ``hls_continuous``.
    """

    def __init__(self, folder: Path, settings: EncoderSettings, base_url: str = "") -> None:
        self.folder = folder
        self.settings = settings
        self.base_url = base_url

    @property
    def playlist(self) -> Path:
        return self.folder / PLAYLIST_NAME

    def open(self, *, reopen: bool) -> OutputContainer:
        self.folder.mkdir(parents=True, exist_ok=True)
        flags = "delete_segments+program_date_time+temp_file+independent_segments+omit_endlist"
        if reopen or self.playlist.exists():
            flags += "+append_list+discont_start"
        options = {
            "hls_time": str(self.settings.segment_seconds),
            "hls_list_size": str(self.settings.playlist_size),
            "hls_flags": flags,
            "hls_segment_filename": str(self.folder / SEGMENT_PATTERN),
        }
        if self.base_url:
            options["hls_base_url"] = self.base_url
        return av.open(str(self.playlist), "w", format="hls", options=options)

    def describe(self) -> str:
        return f"HLS in {self.folder}"


class FlvOutput:
    """FLV pushed to an RTMP URL (``rtmp://127.0.0.1:1935/live/NAME``)."""

    def __init__(self, url: str, *, timeout: float = 5.0) -> None:
        self.url = url
        self.timeout = timeout

    def open(self, *, reopen: bool) -> OutputContainer:
        del reopen  # a reconnect is a new publish; the server handles the discontinuity
        return av.open(self.url, "w", format="flv", timeout=(self.timeout, self.timeout))

    def describe(self) -> str:
        return f"RTMP to {self.url}"


class _ToneSource:
    """A sine tone in 1024-sample AAC frames, kept in step with the video frames."""

    FRAME_SAMPLES = 1024

    def __init__(self, hz: float, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        # one second is a whole number of periods for integer tones, so the table loops cleanly
        one_second = array("f", (0.2 * math.sin(2 * math.pi * hz * i / sample_rate) for i in range(sample_rate)))
        self._table = one_second.tobytes() * 2
        self.position = 0  # samples emitted so far

    def frames_until(self, sample: int) -> list[av.AudioFrame]:
        frames = []
        while self.position < sample:
            offset = (self.position % self.sample_rate) * 4
            frame = av.AudioFrame(format="fltp", layout="mono", samples=self.FRAME_SAMPLES)
            frame.planes[0].update(self._table[offset : offset + self.FRAME_SAMPLES * 4])
            frame.sample_rate = self.sample_rate
            frame.pts = self.position
            frame.time_base = Fraction(1, self.sample_rate)
            frames.append(frame)
            self.position += self.FRAME_SAMPLES
        return frames


class _Session:
    """One open output: the container, its two streams and the renderer for its size."""

    def __init__(self, container: OutputContainer, width: int, height: int, settings: EncoderSettings) -> None:
        from desktop.lab.video.renderer import SceneRenderer

        self.container = container
        self.width, self.height = width, height
        self.settings = settings
        self.renderer = SceneRenderer(width, height, settings.fps)
        video: VideoStream = container.add_stream("libx264", rate=settings.fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.codec_context.gop_size = settings.gop
        video.codec_context.options = {
            "preset": settings.preset,
            "tune": "zerolatency",
            "sc_threshold": "0",
            "keyint_min": str(settings.gop),
        }
        self.video = video
        self.audio: AudioStream | None = None
        self.tone: _ToneSource | None = None
        if settings.audio:
            audio: AudioStream = container.add_stream("aac", rate=settings.sample_rate)
            audio.layout = "mono"
            self.audio = audio
            self.tone = _ToneSource(settings.tone_hz, settings.sample_rate)
        # Opens the codecs and the output now (not at the first packet), so an unreachable
        # RTMP server is reported by start() instead of by the first frame.
        container.start_encoding()

    def encode(self, scene: Scene, frame_index: int) -> None:
        pixels, stride = self.renderer.render_bgra(scene, time.time(), frame_index)
        frame = av.VideoFrame(self.width, self.height, "bgra")
        plane = frame.planes[0]
        if plane.line_size == stride:
            plane.update(pixels)  # type: ignore[arg-type]  # any buffer works; the stub says bytes
        else:  # FFmpeg padded the rows: copy them one by one
            row = self.width * 4
            target = memoryview(plane)
            for y in range(self.height):
                target[y * plane.line_size : y * plane.line_size + row] = pixels[y * stride : y * stride + row]
        frame.pts = frame_index
        frame.time_base = Fraction(1, self.settings.fps)
        for packet in self.video.encode(frame.reformat(format="yuv420p")):
            self.container.mux(packet)
        if self.audio is not None and self.tone is not None:
            until = (frame_index + 1) * self.settings.sample_rate // self.settings.fps
            for audio_frame in self.tone.frames_until(until):
                for packet in self.audio.encode(audio_frame):
                    self.container.mux(packet)

    def skip_audio_to(self, frame_index: int) -> None:
        """After dropped frames, move the tone's clock too (leaving a gap, as a camera would)."""
        if self.tone is not None:
            target = frame_index * self.settings.sample_rate // self.settings.fps
            frames = (target - self.tone.position) // _ToneSource.FRAME_SAMPLES
            if frames > 0:
                self.tone.position += frames * _ToneSource.FRAME_SAMPLES

    def close(self) -> None:
        """Flush both encoders and close the container (the muxer writes the last segment)."""
        try:
            for packet in self.video.encode(None):
                self.container.mux(packet)
            if self.audio is not None:
                for packet in self.audio.encode(None):
                    self.container.mux(packet)
        finally:
            self.container.close()


class LiveEncoder:
    """Encodes ``scene`` in real time to ``output`` in its own thread until :meth:`request_stop`.

    ``scene`` is called once per frame *from the encoder thread*: it must be cheap and only read
    state (an immutable :class:`Scene` rebuilt by the owner is ideal).  If it raises, the last
    good scene is drawn and the error logged once.
    """

    def __init__(self, name: str, output: OutputTarget, scene: SceneSource, settings: EncoderSettings) -> None:
        self.name = name
        self.output = output
        self.scene = scene
        self.settings = settings
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._opened = threading.Event()
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"lab-encoder-{name}", daemon=True)
        self._frames = 0
        self._late = 0
        self._dropped = 0
        self._lags: deque[float] = deque(maxlen=3000)
        self._work: deque[float] = deque(maxlen=3000)
        self._work_total = 0.0
        self._size = (settings.width, settings.height)
        self._fell_back = False
        self._session_started = 0.0
        self._session_frames = 0
        self._last_scene: Scene = IDLE_SCENE
        self._scene_failed = False

    # -- control (any thread) ---------------------------------------------------------------
    def start(self) -> None:
        _live_encoders.add(self)
        self._thread.start()

    def wait_opened(self, timeout: float) -> None:
        """Block until the output is open (or failed).  Raises PublishError on failure."""
        if not self._opened.wait(timeout):
            raise PublishError(f"The lab's encoder for {self.name} did not open its output in time.")
        if self.error is not None:
            raise PublishError(
                f"The lab could not publish {self.name}: {self.error}.",
                hint=f"Check the output ({self.output.describe()}).",
            )

    def request_stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; True when it did."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        """True while the thread encodes (False once stopping, stopped or failed)."""
        return self._thread.is_alive() and not self._stop.is_set() and self.error is None

    def stats(self) -> EncoderStats:
        with self._lock:
            lags = list(self._lags)
            work = list(self._work)
            elapsed = time.monotonic() - self._session_started if self._session_started else 0.0
            return EncoderStats(
                frames=self._frames,
                late_frames=self._late,
                dropped_frames=self._dropped,
                lag_p99_ms=_percentile(lags, 0.99) * 1000,
                lag_max_ms=max(lags, default=0.0) * 1000,
                work_ms_avg=(sum(work) / len(work) * 1000) if work else 0.0,
                work_ms_p99=_percentile(work, 0.99) * 1000,
                width=self._size[0],
                height=self._size[1],
                fell_back=self._fell_back,
                elapsed_s=elapsed,
                media_s=self._session_frames / self.settings.fps,
            )

    # -- the thread -------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            reopen = False
            while True:
                width, height = self._size
                container = self.output.open(reopen=reopen)
                try:
                    session = _Session(container, width, height, self.settings)
                except BaseException:
                    with contextlib.suppress(Exception):
                        container.close()
                    raise
                logger.info("lab stream %s: encoding %dx%d@%d to %s", self.name, width, height,
                            self.settings.fps, self.output.describe())
                self._opened.set()
                try:
                    fall_back = self._encode_until_stopped(session)
                except BaseException:
                    with contextlib.suppress(Exception):  # keep the first error, not the flush's
                        session.close()
                    raise
                session.close()
                if not fall_back or self.settings.fallback_size is None:
                    break
                self._size = self.settings.fallback_size
                self._fell_back = True
                reopen = True
        except Exception as error:
            self.error = error
            logger.exception("lab stream %s: the encoder failed (%s)", self.name, self.output.describe())
        finally:
            self._opened.set()
            self._done.set()

    def _next_scene(self) -> Scene:
        try:
            scene = self.scene()
        except Exception:
            if not self._scene_failed:
                self._scene_failed = True
                logger.exception("lab stream %s: the scene source failed; drawing the last scene", self.name)
            return self._last_scene
        self._last_scene = scene
        return scene

    def _encode_until_stopped(self, session: _Session) -> bool:
        """Encode paced frames until stopped; True means "reopen at the fallback size"."""
        fps = self.settings.fps
        probe_frames = round(self.settings.fallback_probe_seconds * fps)
        fallback = self.settings.fallback_size
        may_fall_back = (
            fallback is not None
            and not self._fell_back
            and fallback[0] * fallback[1] < self._size[0] * self._size[1]  # only ever smaller
        )
        budget = 1.0 / fps
        t0 = time.monotonic()
        with self._lock:
            self._session_started = t0
            self._session_frames = 0
        index = 0
        session_work = 0.0
        while not self._stop.is_set():
            due = t0 + index / fps
            now = time.monotonic()
            late = now > due
            if not late and self._stop.wait(due - now):
                break
            began = time.monotonic()
            lag = began - due
            if lag > self.settings.max_lag_seconds:
                skipped = int(lag * fps)
                index += skipped
                session.skip_audio_to(index)
                with self._lock:
                    self._dropped += skipped
                logger.warning("lab stream %s: %.2f s behind, dropped %d frames", self.name, lag, skipped)
                continue
            session.encode(self._next_scene(), index)
            work = time.monotonic() - began
            session_work += work
            index += 1
            with self._lock:
                self._frames += 1
                self._session_frames = index
                self._late += int(late)
                self._lags.append(max(0.0, lag))
                self._work.append(work)
            if may_fall_back and index == probe_frames:
                load = session_work / probe_frames / budget
                if load > self.settings.fallback_load:
                    logger.warning(
                        "lab stream %s: %dx%d takes %.0f%% of the frame budget; falling back to %dx%d",
                        self.name, session.width, session.height, load * 100, *(fallback or (0, 0)),
                    )
                    return True
        return False


_live_encoders: weakref.WeakSet[LiveEncoder] = weakref.WeakSet()


@atexit.register
def _stop_live_encoders() -> None:
    """Encoder threads are daemons so a forgotten stream cannot hang the exit; still, stop them
    before the interpreter (and Qt) tear down under their feet."""
    encoders = list(_live_encoders)
    for encoder in encoders:
        encoder.request_stop()
    for encoder in encoders:
        encoder.join(5.0)


def remove_folder(folder: Path) -> None:
    """Remove a stream's folder (nginx-rtmp's ``hls_cleanup`` after the publisher left)."""
    shutil.rmtree(folder, ignore_errors=True)


def describe_stats(stats: EncoderStats) -> dict[str, Any]:
    """The stats as a flat dict for logs and the measuring script."""
    return {
        "size": f"{stats.width}x{stats.height}",
        "frames": stats.frames,
        "late_frames": stats.late_frames,
        "dropped_frames": stats.dropped_frames,
        "lag_p99_ms": round(stats.lag_p99_ms, 2),
        "lag_max_ms": round(stats.lag_max_ms, 2),
        "work_ms_avg": round(stats.work_ms_avg, 2),
        "work_ms_p99": round(stats.work_ms_p99, 2),
        "realtime_ratio": round(stats.realtime_ratio, 3),
        "fell_back": stats.fell_back,
    }
