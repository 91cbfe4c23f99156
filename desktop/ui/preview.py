"""The audience-stream preview: libVLC drawing into a native child window of a Qt widget.

Why libVLC: it plays the gateway's HLS with ~3–5 s of latency on 1-s segments and is already a
system package on the presenters' machines; QtMultimedia would add 400 MB of wheels.

Embedding: VLC draws into the native handle of :attr:`PreviewWidget.video` (X11
``set_xwindow``, Windows ``set_hwnd``, macOS ``set_nsobject``).  Wayland has no foreign-window
embedding, so :func:`desktop.ui.app.prepare_environment` makes Qt use XWayland (``xcb``) when
``WAYLAND_DISPLAY`` is set and the user did not choose ``QT_QPA_PLATFORM`` themselves.  On a
platform that cannot embed (offscreen tests) the media is opened without video so no stray VLC
window appears.

Pitfalls handled (see docs / environment notes):

* libVLC (and its plugins: tens of MiB) is loaded the first time there is a stream to show
  (:meth:`PreviewWidget.set_url`) or someone asks whether it is :attr:`~PreviewWidget.available`,
  not when the console is built: a presenter who is not live does not carry it.
* ``import vlc`` raises NotImplementedError (not ImportError) when libVLC is missing, and a bad
  option list makes ``vlc.Instance()`` return None silently: both become the "install libVLC"
  page, and the rest of the app carries on.  The loader is injectable for tests.
* ``MediaPlayerPlaying`` fires before any frame and even when the video output failed: the
  preview counts ``displayed_pictures`` instead.
* libVLC calls its event callbacks on its own threads, where calling back into libVLC can
  deadlock: callbacks only emit a Qt signal, queued to the GUI thread.
* Live HLS that is not up yet (404, empty playlist) ends in an error or end-of-stream; the
  preview retries with back-off (a QTimer, never a sleep), or at once when the health layer
  says the stream is live (:meth:`PreviewWidget.stream_is_live`).

Low delay: the preview reads the stream through :class:`~desktop.stream.relay.RelayThread` (a
loopback relay on its own thread), which hands libVLC the audience's own segments as one MPEG-TS
stream starting at the live edge and paced by the stream's own clock, so VLC's
``network-caching`` is the only buffer between the newest segment and the screen (measured with
OCR of the lab's clock, 1-s segments: 0.1-0.2 s more than the HLS edge's own age, where libVLC 3
reading HLS itself sits 1.3-2.8 s behind it).

Catch-up (``catch_up=True``), for when VLC reads HLS itself (no relay, or the relay redirected it
because the segments are fMP4 or encrypted): libVLC 3's HLS module starts at least two segments
behind the newest one, so once pictures show the preview plays at 1.25x for 4 s, taking back 1 s
— less than that lower bound, so VLC's buffer never runs dry — and returns to 1x at once if
pictures stop coming.  Measured: 3.9 s -> 3.1 s glass to glass (median), no lost picture.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QSlider,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ConfigError
from desktop.logs import redact
from desktop.ui import theme
from desktop.ui.reflow import ReflowRow

if TYPE_CHECKING:  # the relay (and httpx) load with the first stream, like libVLC
    from desktop.net.http import HttpOptions
    from desktop.stream.relay import RelayThread

logger = logging.getLogger(__name__)

# Checked options only: one unknown or malformed option makes Instance() return None.
# --adaptive-livedelay is left out on purpose: it only helps with long playlists, and the
# gateway writes short ones (measured: 1-s segments, 3-6 entries -> 3.3-5.5 s).
DEFAULT_VLC_ARGS: tuple[str, ...] = (
    "--quiet",
    "--network-caching=300",
    "--no-video-title-show",
    "--no-osd",
    "--no-snapshot-preview",
)
LINUX_VLC_ARGS: tuple[str, ...] = ("--no-xlib",)  # Qt owns Xlib; VLC uses xcb only

RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 10.0)
RELAY_CACHING_MS = 600
"""libVLC's buffer when it reads the relay: its margin against a segment coming late.  Measured
on the lab (1-s segments, HLS edge 1.55 s), with the relay pacing segments by their PCRs:
600 ms -> 1.64-1.71 s glass to glass and no lost picture in every open; 300 ms -> 1.36-1.50 s but
lost pictures in some opens.  (Unpaced, 600 ms lost 1-2 pictures a second in half the opens.)"""
RELAY_PREFETCH_KIB = 2048
"""libVLC reads a plain HTTP stream through its "prefetch" filter, whose ring buffer is 16 MiB by
default (with 16 MiB reads): on a live stream that never ends, its pages fill one by one, so the
preview's memory grew by the stream's whole bitrate for minutes (measured: +2.9 MB/min at the
lab's 400 kbit/s, for 5-6 minutes).  2 MiB still holds 40 s of a 400 kbit/s stream, 5 s at
3 Mbit/s, against 0.6 s of caching (measured: flat after 45 s)."""
RELAY_PREFETCH_READ_BYTES = 65536


def relay_media_options() -> list[str]:
    """libVLC options for the relay's MPEG-TS stream (not for HLS, which reads differently)."""
    return [
        f":network-caching={RELAY_CACHING_MS}",
        f":prefetch-buffer-size={RELAY_PREFETCH_KIB}",  # KiB; the read size bounds it from below
        f":prefetch-read-size={RELAY_PREFETCH_READ_BYTES}",
    ]


CATCH_UP_RATE = 1.25
CATCH_UP_MS = 4000  # at 1.25x: 1 s taken back (see the module docstring)
CATCH_UP_CHECK_MS = 500
WATCH_INTERVAL_MS = 2000
STALL_CHECKS = 5  # no new picture for this many watch ticks (10 s) while playing: reopen

EMBEDDING_PLATFORMS = frozenset({"xcb", "windows", "cocoa"})


class VlcUnavailable(Exception):
    """libVLC cannot be used here; the message says why (for the details line)."""


def load_vlc() -> ModuleType:
    """Import python-vlc, turning every "libVLC is missing" shape into VlcUnavailable."""
    try:
        import vlc
    except (ImportError, OSError, NotImplementedError) as exc:
        raise VlcUnavailable(str(exc) or type(exc).__name__) from exc
    return vlc


def vlc_arguments(platform: str = sys.platform) -> list[str]:
    args = list(DEFAULT_VLC_ARGS)
    if platform.startswith("linux"):
        args.extend(LINUX_VLC_ARGS)
    return args


class _VlcEvents(QObject):
    """Carries libVLC's thread callbacks to the GUI thread (queued signal delivery)."""

    failed = Signal()
    ended = Signal()
    playing = Signal()


class PreviewWidget(QWidget):
    """Embedded libVLC preview of the audience stream.

    Attributes:
        available: libVLC loaded and an instance was created.
        opens: how many times a media was opened (first open, retries, *Back to live*).
        unavailable_reason: why not (empty when available).
        video: the native child widget VLC draws into.
        mute_button, volume_slider, back_to_live_button, delay_label, status_label: controls.
        missing_label: the "install libVLC" explanation shown when libVLC is unavailable.

    Signals:
        playing: pictures are being displayed (first picture after an open).
        retry_scheduled(float): the stream is not up; a new attempt in that many seconds.
        muted_changed(bool): the user toggled mute.
    """

    playing = Signal()
    retry_scheduled = Signal(float)
    muted_changed = Signal(bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        muted: bool = True,
        volume: int = 80,
        vlc_loader: Callable[[], ModuleType] = load_vlc,
        vlc_args: Sequence[str] | None = None,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        catch_up: bool = True,
        relay: bool = True,
        relay_factory: Callable[[str, HttpOptions | None], RelayThread] | None = None,
    ) -> None:
        super().__init__(parent)
        self.catch_up = catch_up
        self.use_relay = relay
        self._relay_factory = relay_factory
        self._relay: RelayThread | None = None
        self._play_url: str | None = None
        self._vlc: Any = None
        self._instance: Any = None
        self._player: Any = None
        self._media: Any = None
        self._url: str | None = None
        self._attempt = 0
        self._retry_delays = tuple(retry_delays) or RETRY_DELAYS
        self._last_displayed = 0
        self._still_checks = 0
        self._showing = False
        self._pictures_before = 0  # pictures of the media opened before the current one
        self.opens = 0
        self.unavailable_reason = ""
        self._events = _VlcEvents(self)
        self._events.failed.connect(self._stream_failed)
        self._events.ended.connect(self._stream_failed)
        self._events.playing.connect(self._apply_audio)
        self._callbacks: list[Callable[[Any], None]] = []

        self._build(muted, volume)
        self._retry_timer = QTimer(self)
        self._retry_timer.setObjectName("previewRetryTimer")
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._open)
        self._watch_timer = QTimer(self)
        self._watch_timer.setObjectName("previewWatchTimer")
        self._watch_timer.setInterval(WATCH_INTERVAL_MS)
        self._watch_timer.timeout.connect(self._watch)
        self._catch_up_timer = QTimer(self)
        self._catch_up_timer.setObjectName("previewCatchUpTimer")
        self._catch_up_timer.setInterval(CATCH_UP_CHECK_MS)
        self._catch_up_timer.timeout.connect(self._catch_up_tick)
        self._catch_up_until = 0.0
        self._catch_up_pictures = 0

        self._vlc_loader = vlc_loader
        self._vlc_args = list(vlc_args) if vlc_args is not None else vlc_arguments()
        self._vlc_tried = False
        self._set_status(self.tr("No stream"))
        self._render_controls()

    # -- construction ---------------------------------------------------------------------

    def _build(self, muted: bool, volume: int) -> None:
        self.pages = QStackedWidget(self)

        player_page = QWidget(self)
        self.video = QFrame(player_page)
        self.video.setObjectName("previewVideo")
        self.video.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        theme.video_surface(self.video)
        self.video.setMinimumSize(320, 180)
        self.status_label = QLabel(player_page)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.delay_label = QLabel(player_page)
        self.delay_label.setObjectName("delayLabel")
        self.delay_label.setTextFormat(Qt.TextFormat.PlainText)
        self.delay_label.setToolTip(self.tr("Measured delay between the presenter and the audience"))
        self.mute_button = QToolButton(player_page)
        self.mute_button.setCheckable(True)
        self.mute_button.setChecked(muted)
        self.mute_button.toggled.connect(self._mute_toggled)
        self.mute_button.setAccessibleDescription(self.tr("Mutes or unmutes the preview's sound on this computer; "
                                                          "the audience is not affected"))
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, player_page)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(max(0, min(100, volume)))
        self.volume_slider.setMaximumWidth(120)
        self.volume_slider.setAccessibleName(self.tr("Preview volume"))
        self.volume_slider.valueChanged.connect(self._apply_audio)
        self.back_to_live_button = QPushButton(self.tr("Back to live"), player_page)
        self.back_to_live_button.setToolTip(self.tr("Reopen the stream at its live edge"))
        self.back_to_live_button.clicked.connect(self.back_to_live)
        self.back_to_live_button.setAccessibleDescription(self.back_to_live_button.toolTip())

        # sound and "back to live" on one side, the status and the delay on the other: one row
        # when it fits, two (or a column) when the preview is narrow or the strings are long
        sound = ReflowRow()
        sound.add_widget(self.mute_button)
        sound.add_widget(self.volume_slider)
        sound.add_widget(self.back_to_live_button)
        status = ReflowRow()
        status.add_widget(self.status_label, 1)
        status.add_widget(self.delay_label)
        controls = ReflowRow()
        controls.add_layout(sound)
        controls.add_layout(status, 1)
        player_layout = QVBoxLayout(player_page)
        player_layout.setContentsMargins(0, 0, 0, 0)
        player_layout.addWidget(self.video, 1)
        player_layout.addLayout(controls)

        self.missing_label = QLabel(self)
        self.missing_label.setObjectName("vlcMissing")
        self.missing_label.setWordWrap(True)
        self.missing_label.setTextFormat(Qt.TextFormat.PlainText)
        self.missing_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.missing_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.pages.addWidget(player_page)
        self.pages.addWidget(self.missing_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._render_mute()

    def _start_vlc(self, loader: Callable[[], ModuleType], args: list[str]) -> None:
        try:
            vlc = loader()
            instance = vlc.Instance(args)
        except VlcUnavailable as exc:
            self._show_missing(str(exc))
            return
        except (ImportError, OSError, NotImplementedError) as exc:  # a loader that did not wrap
            self._show_missing(str(exc) or type(exc).__name__)
            return
        if instance is None:
            self._show_missing(self.tr("libVLC refused the player options (%1).").replace("%1", " ".join(args)))
            return
        self._vlc, self._instance = vlc, instance
        self._player = instance.media_player_new()
        manager = self._player.event_manager()
        for event_type, signal in (
            (vlc.EventType.MediaPlayerEncounteredError, self._events.failed),
            (vlc.EventType.MediaPlayerEndReached, self._events.ended),
            (vlc.EventType.MediaPlayerPlaying, self._events.playing),
        ):
            # runs on a libVLC thread: emit only (queued to the GUI thread), never call libVLC
            def callback(_event: Any, signal: Any = signal) -> None:
                signal.emit()

            self._callbacks.append(callback)
            manager.event_attach(event_type, callback)
        self.pages.setCurrentIndex(0)
        self._set_status(self.tr("No stream"))
        self._render_controls()

    def _show_missing(self, reason: str) -> None:
        self.unavailable_reason = reason
        logger.warning("video preview disabled: %s", reason)
        lines = [
            self.tr("The video preview needs libVLC, which could not be loaded."),
            self.tr("Everything else in Pupitre works without it."),
            "",
            self.tr("Debian or Ubuntu: sudo apt install libvlc5 vlc-plugin-base vlc-plugin-video-output"),
            self.tr("Windows: install VLC (64-bit) from https://www.videolan.org, then restart Pupitre."),
            self.tr("macOS: install VLC in Applications (or: brew install --cask vlc), then restart Pupitre."),
            "",
            self.tr("Details: %1").replace("%1", reason),
        ]
        self.missing_label.setText("\n".join(lines))
        self.pages.setCurrentIndex(1)

    # -- public API -----------------------------------------------------------------------

    def load_player(self) -> bool:
        """Load libVLC and make the player (the first time only); True when there is a player."""
        if not self._vlc_tried:
            self._vlc_tried = True
            self._start_vlc(self._vlc_loader, self._vlc_args)
        return self._player is not None

    @property
    def available(self) -> bool:
        """libVLC loaded and a player made (asking loads it, the first time)."""
        return self.load_player()

    @property
    def url(self) -> str | None:
        return self._url

    @property
    def relay(self) -> RelayThread | None:
        """The relay the player reads through, or None when it reads the HLS URL itself."""
        return self._relay

    def _make_relay(self, url: str, options: HttpOptions | None) -> RelayThread:
        if self._relay_factory is not None:
            return self._relay_factory(url, options)
        from desktop.stream.relay import RelayThread

        return RelayThread(url, options)

    def set_url(self, url: str, options: HttpOptions | None = None) -> None:
        """Play ``url`` (HLS) through the relay when possible; retries by itself until the stream is up.

        ``options`` are the transport options of the stream's server (a campus CA bundle...).
        """
        self._stop_relay()
        self._url = url
        self._play_url = url
        if self.load_player() and self.use_relay and url.startswith(("http://", "https://")):
            relay: RelayThread | None = None
            try:
                relay = self._make_relay(url, options)
                self._play_url = relay.start()
                self._relay = relay
            except (ConfigError, OSError, TimeoutError, RuntimeError) as exc:
                # a URL the relay refuses, no loopback socket: libVLC reads the stream itself
                logger.warning("preview relay unavailable (%s); libVLC reads the stream itself", exc)
                if relay is not None:
                    relay.stop()
        self._attempt = 0
        self._render_controls()
        self._open()

    def stop(self) -> None:
        """Stop playing and forget the URL (no more retries).

        libVLC's stop is synchronous; on a live HLS it returns within tens of milliseconds.
        """
        self._pictures_before += self.displayed_pictures()  # read before the media goes
        self._url = None
        self._play_url = None
        self._retry_timer.stop()
        self._watch_timer.stop()
        self._end_catch_up()
        if self._player is not None:
            self._player.stop()
        self._stop_relay()
        self._media = None
        self._showing = False
        self._set_status(self.tr("No stream") if self._player is not None or not self._vlc_tried else "")
        self._render_controls()

    def has_stream(self) -> bool:
        """A stream is set (playing or being retried): the sound and *Back to live* apply."""
        return self._url is not None

    def _render_controls(self) -> None:
        """Mute, volume and *Back to live* are disabled while there is no stream (nothing to hear
        or to catch up); the volume also while muted."""
        stream = self.has_stream()
        self.mute_button.setEnabled(stream)
        self.back_to_live_button.setEnabled(stream)
        self.volume_slider.setEnabled(stream and not self.mute_button.isChecked())

    def back_to_live(self) -> None:
        """Reopen the media: HLS playback restarts at the live edge."""
        if self._url is not None:
            self._attempt = 0
            self._open()

    def stream_is_live(self) -> None:
        """The health layer saw the stream live: stop waiting for the back-off and try now."""
        if self._url is not None and not self._showing:
            self._attempt = 0
            self._open()

    def set_delay_text(self, text: str) -> None:
        self.delay_label.setText(text)

    def set_muted(self, muted: bool) -> None:
        self.mute_button.setChecked(muted)

    def is_muted(self) -> bool:
        return self.mute_button.isChecked()

    def set_volume(self, volume: int) -> None:
        self.volume_slider.setValue(volume)

    def displayed_pictures(self) -> int:
        """Pictures shown since the media was (re)opened — the one honest "it plays" number."""
        if self._media is None or self._vlc is None:
            return 0
        stats = self._vlc.MediaStats()
        if not self._media.get_stats(stats):
            return 0
        return int(stats.displayed_pictures)

    def total_displayed_pictures(self) -> int:
        """Pictures shown since the widget was made, over every (re)open (libVLC counts per media)."""
        return self._pictures_before + self.displayed_pictures()

    def release(self) -> None:
        """Stop and free libVLC (call before the app quits)."""
        self.stop()
        if self._player is not None:
            self._player.release()
            self._player = None
        if self._instance is not None:
            self._instance.release()
            self._instance = None

    # -- internals ------------------------------------------------------------------------

    def _stop_relay(self) -> None:
        relay, self._relay = self._relay, None
        if relay is not None:
            relay.stop()

    @property
    def relayed(self) -> bool:
        """libVLC reads the relay's MPEG-TS (not redirected to the HLS URL)."""
        return self._relay is not None and not self._relay.relay.stats.fallback

    def _can_embed(self) -> bool:
        return QGuiApplication.platformName() in EMBEDDING_PLATFORMS

    def _open(self) -> None:
        self._retry_timer.stop()
        if self._player is None or self._play_url is None:
            return
        self._end_catch_up()
        self._pictures_before += self.displayed_pictures()
        self.opens += 1
        media = self._instance.media_new(self._play_url)
        if self.relayed:
            for option in relay_media_options():
                media.add_option(option)
        if not self._can_embed():
            # no native window to draw into: decode audio only rather than open a VLC window
            media.add_option(":no-video")
        self._player.set_media(media)
        self._media = media
        if self._can_embed():
            handle = int(self.video.winId())
            if sys.platform.startswith("win"):
                self._player.set_hwnd(handle)
            elif sys.platform == "darwin":
                self._player.set_nsobject(handle)
            else:
                self._player.set_xwindow(handle)
        self._showing = False
        self._last_displayed = 0
        self._still_checks = 0
        if self._player.play() != 0:
            logger.warning("libVLC could not start %s", redact(self._play_url))
            self._stream_failed()
            return
        self._apply_audio()
        self._watch_timer.start()
        self._set_status(self.tr("Connecting…"))

    def _stream_failed(self) -> None:
        """Error or end of stream: the live is not (or no longer) up; try again later."""
        if self._url is None or self._retry_timer.isActive():
            return
        self._showing = False
        self._watch_timer.stop()
        self._end_catch_up()
        delay = self._retry_delays[min(self._attempt, len(self._retry_delays) - 1)]
        self._attempt += 1
        logger.info("preview: stream not up, attempt %d in %.1f s", self._attempt, delay)
        self._set_status(self.tr("Waiting for the stream…"))
        self._retry_timer.start(int(delay * 1000))
        self.retry_scheduled.emit(delay)

    def _watch(self) -> None:
        displayed = self.displayed_pictures()
        if displayed > self._last_displayed:
            self._still_checks = 0
            if not self._showing:
                self._showing = True
                self._attempt = 0
                self._set_status(self.tr("Playing"))
                self._start_catch_up(displayed)
                self.playing.emit()
        else:
            self._still_checks += 1
            if self._showing and self._still_checks >= STALL_CHECKS:
                logger.info("preview: no new picture for %d s, reopening", STALL_CHECKS * WATCH_INTERVAL_MS // 1000)
                self._stream_failed()
        self._last_displayed = displayed

    @property
    def catching_up(self) -> bool:
        return self._catch_up_timer.isActive()

    def _start_catch_up(self, displayed: int) -> None:
        if not self.catch_up or self._player is None or self.relayed:
            return  # through the relay VLC holds only its network caching: nothing to take back
        if self._player.set_rate(CATCH_UP_RATE) != 0:
            return
        self._catch_up_until = time.monotonic() + CATCH_UP_MS / 1000
        self._catch_up_pictures = displayed
        self._catch_up_timer.start()

    def _catch_up_tick(self) -> None:
        displayed = self.displayed_pictures()
        stalled = displayed <= self._catch_up_pictures
        self._catch_up_pictures = displayed
        if stalled or time.monotonic() >= self._catch_up_until:
            if stalled:
                logger.info("preview: pictures stopped during the catch-up; back to normal speed")
            self._end_catch_up()

    def _end_catch_up(self) -> None:
        if self._catch_up_timer.isActive():
            self._catch_up_timer.stop()
            if self._player is not None:
                self._player.set_rate(1.0)

    def _mute_toggled(self, muted: bool) -> None:
        self._render_mute()
        self._apply_audio()
        self.muted_changed.emit(muted)

    def _render_mute(self) -> None:
        muted = self.mute_button.isChecked()
        self.mute_button.setText(self.tr("Unmute") if muted else self.tr("Mute"))
        self.volume_slider.setEnabled(not muted and self._url is not None)

    def _apply_audio(self) -> None:
        # libVLC forgets mute/volume when a new audio output starts: reapply on every Playing
        if self._player is None:
            return
        self._player.audio_set_mute(self.mute_button.isChecked())
        self._player.audio_set_volume(self.volume_slider.value())

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
