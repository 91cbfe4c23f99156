"""Draws one video frame of the gateway's "streaming" browser with QPainter on a QImage.

This is the one module outside ``desktop/ui`` that imports Qt: PyAV's FFmpeg has no ``drawtext``
filter, so text (title, chat, the clock) is painted with Qt's raster engine (environment.md §3b).

Threading, which the encoder relies on (checked on PySide6 6.11.3, offscreen platform):

* QImage + QPainter + QFont work in a worker thread *once a QGuiApplication exists*; without one,
  Qt aborts on the first text ("Must construct a QGuiApplication before accessing
  QFontDatabase").  Qt documents painting on QImage from non-GUI threads as supported.
* The application object must be created in the main thread: created in a worker thread,
  painting worked but the process crashed at exit.  :func:`ensure_qt_application` therefore runs
  in the publisher's ``start()`` (the asyncio loop's thread), never in the encoder thread.
* It creates a ``QApplication`` rather than a bare ``QGuiApplication``: there is one application
  object per process, and code that later wants widgets (the desktop UI, pytest-qt's ``qapp``)
  calls ``QApplication.instance()`` and would crash on a QGuiApplication.

The wall clock is drawn big, white on black, in DejaVu Sans Mono Bold sized in pixels (point sizes
depend on the DPI and got clipped in the reference), in a box whose place is fixed by
:func:`clock_rect`: latency probes crop that rectangle and OCR it.  The chat panel occupies
:func:`chat_rect`; nothing else is drawn there, so a hidden panel leaves a uniform area.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import unicodedata
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QImage, QPainter

from desktop.errors import PupitreError
from desktop.lab.scene import Scene

logger = logging.getLogger(__name__)

REFERENCE_WIDTH = 1280
REFERENCE_HEIGHT = 720

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
MONO_FAMILY = "DejaVu Sans Mono"
SANS_FAMILY = "DejaVu Sans"

BACKGROUND = QColor(27, 40, 56)
CLOCK_BOX = QColor(0, 0, 0)
CLOCK_TEXT = QColor(255, 255, 255)
CHAT_BACKGROUND = QColor(244, 244, 244)

CLOCK_SAMPLE = "00:00:00.000"


def _scaled(value: float, height: int) -> int:
    return max(1, round(value * height / REFERENCE_HEIGHT))


def clock_pixel_size(height: int) -> int:
    """The clock's font size in pixels: 72 px at 720p, scaled with the frame height."""
    return _scaled(72, height)


def clock_rect(width: int, height: int) -> tuple[int, int, int, int]:
    """``(x, y, w, h)`` of the clock's black box for a ``width`` x ``height`` frame.

    The box is sized for twelve monospace glyphs at 0.64 em each (DejaVu Sans Mono advances
    0.602 em) plus padding, so the text never touches its edges; the test checks it.
    """
    del width  # the clock sits top-left and scales with the height only
    margin = _scaled(24, height)
    pad = _scaled(12, height)
    px = clock_pixel_size(height)
    return (margin, margin, round(len(CLOCK_SAMPLE) * 0.64 * px) + 2 * pad, round(1.25 * px) + 2 * pad)


def chat_rect(width: int, height: int) -> tuple[int, int, int, int]:
    """``(x, y, w, h)`` of the public-chat panel (the right third of the frame)."""
    margin = _scaled(16, height)
    x = round(width * 0.68)
    return (x, margin, width - x - margin, height - 2 * margin)


CLOCK_RECT = clock_rect(REFERENCE_WIDTH, REFERENCE_HEIGHT)
"""The clock box at the default 1280x720; use :func:`clock_rect` for other sizes."""

CHAT_RECT = chat_rect(REFERENCE_WIDTH, REFERENCE_HEIGHT)

_app_lock = threading.Lock()
_paint_lock = threading.Lock()  # see SceneRenderer.render
_owned_app: QCoreApplication | None = None
_fonts_registered = False


def ensure_qt_application() -> None:
    """Make sure a Qt application exists so that fonts work, creating one if none does.

    Call it from the main thread before any rendering thread starts (see the module docstring).
    Without a display (no ``DISPLAY``/``WAYLAND_DISPLAY`` and no ``QT_QPA_PLATFORM``) the
    application is created on the ``offscreen`` platform.

    Raises:
        PupitreError: no application exists and this is not the main thread, or the existing
            application is a plain QCoreApplication (which cannot render text).
    """
    global _owned_app, _fonts_registered
    with _app_lock:
        app = QCoreApplication.instance()
        if app is None:
            if threading.current_thread() is not threading.main_thread():
                raise PupitreError(
                    "The lab's video renderer needs a Qt application created in the main thread.",
                    hint="Start the lab from the main thread, or create the QApplication first.",
                )
            # QtWidgets' QApplication, not QGuiApplication: see the module docstring.
            from PySide6.QtWidgets import QApplication

            argv = ["pupitre-lab"]
            headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
            if headless and not os.environ.get("QT_QPA_PLATFORM"):
                argv += ["-platform", "offscreen"]
            _owned_app = QApplication(argv)
            app = _owned_app
            logger.debug("created a Qt application for the lab's video (%s)", argv[1:])
        from PySide6.QtGui import QGuiApplication

        if not isinstance(app, QGuiApplication):
            raise PupitreError(
                "The lab's video renderer cannot draw text with a non-GUI Qt application.",
                hint="Create a QApplication (or QGuiApplication) instead of a QCoreApplication.",
            )
        if not _fonts_registered:
            _fonts_registered = True
            families = set(QFontDatabase.families())
            for family, filename in ((MONO_FAMILY, "DejaVuSansMono-Bold.ttf"), (SANS_FAMILY, "DejaVuSans.ttf")):
                path = DEJAVU_DIR / filename
                if family not in families and path.exists():
                    QFontDatabase.addApplicationFont(str(path))
            if MONO_FAMILY not in set(QFontDatabase.families()):
                logger.warning(
                    "%s is missing (Debian: fonts-dejavu-core); the lab's clock uses Qt's fixed-pitch fallback",
                    MONO_FAMILY,
                )


def _font(family: str, pixel_size: int, *, bold: bool = False, mono: bool = False) -> QFont:
    font = QFont(family)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    if mono:
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setFixedPitch(True)
    return font


def plain(text: str) -> str:
    """Hostile chat text made safe to draw on one line: control and format characters
    (newlines, bidi overrides, zero-width joiners...) become spaces, runs of spaces collapse."""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    return " ".join(cleaned.split())


def format_clock(wall_time: float) -> str:
    """``HH:MM:SS.mmm`` in local time, the text latency probes read back."""
    seconds = int(wall_time)
    millis = int((wall_time - seconds) * 1000)
    return time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{millis:03d}"


class SceneRenderer:
    """Paints :class:`~desktop.lab.scene.Scene` frames of a fixed size.

    One instance belongs to one thread (it reuses a single QImage); :meth:`render` overwrites
    the previous frame.
    """

    def __init__(self, width: int, height: int, fps: int = 25) -> None:
        if width < 64 or height < 64:
            raise ValueError(f"frame too small: {width}x{height}")
        self.width = width
        self.height = height
        self.fps = fps
        self._image = QImage(width, height, QImage.Format.Format_RGB32)
        h = height
        self._clock_font = _font(MONO_FAMILY, clock_pixel_size(h), bold=True, mono=True)
        self._title_font = _font(SANS_FAMILY, _scaled(40, h), bold=True)
        self._count_font = _font(SANS_FAMILY, _scaled(30, h))
        self._small_font = _font(SANS_FAMILY, _scaled(18, h))
        self._chat_head_font = _font(SANS_FAMILY, _scaled(22, h), bold=True)
        self._chat_sender_font = _font(SANS_FAMILY, _scaled(20, h), bold=True)
        self._chat_font = _font(SANS_FAMILY, _scaled(20, h))
        self._chat_metrics = QFontMetrics(self._chat_font)
        self._sender_metrics = QFontMetrics(self._chat_sender_font)
        self._title_metrics = QFontMetrics(self._title_font)
        self._elided: dict[tuple[str, str, int], str] = {}

    @property
    def image(self) -> QImage:
        """The last rendered frame (RGB32: B, G, R, 0xff bytes in memory on little-endian)."""
        return self._image

    def render(self, scene: Scene, wall_time: float, frame_index: int) -> QImage:
        """Paint ``scene`` with the clock showing ``wall_time`` (seconds since the epoch).

        One encoder thread paints at a time: text drawing shares Qt's font engine and glyph
        caches, and two streams painting at once (two gateways live) crashed a process
        (SIGSEGV) in a benchmark run; a frame takes ~11 ms at 720p, so serialising costs little.
        """
        with _paint_lock:
            return self._render(scene, wall_time, frame_index)

    def _render(self, scene: Scene, wall_time: float, frame_index: int) -> QImage:
        w, h = self.width, self.height
        img = self._image
        img.fill(BACKGROUND)
        painter = QPainter(img)
        try:
            left_width = chat_rect(w, h)[0]
            self._draw_clock(painter, wall_time)
            cx, cy, _, ch = clock_rect(w, h)
            margin = cx
            y = cy + ch + _scaled(28, h)
            painter.setPen(QColor(255, 255, 255))
            painter.setFont(self._title_font)
            title = self._elide(plain(scene.title), left_width - 2 * margin, self._title_metrics, "t")
            painter.drawText(QRect(margin, y, left_width - 2 * margin, _scaled(52, h)),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
            y += _scaled(60, h)
            painter.setPen(QColor(200, 214, 229))
            painter.setFont(self._count_font)
            people = "participant" if scene.participant_count == 1 else "participants"
            painter.drawText(QRect(margin, y, left_width - 2 * margin, _scaled(40, h)),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{scene.participant_count} {people}")
            self._draw_motion(painter, frame_index, margin, left_width)
            if scene.gateway:
                painter.setPen(QColor(140, 156, 175))
                painter.setFont(self._small_font)
                painter.drawText(QRect(margin, h - _scaled(40, h), left_width - 2 * margin, _scaled(28, h)),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 f"gateway {plain(scene.gateway)}")
            if scene.chat_visible:
                self._draw_chat(painter, scene)
        finally:
            painter.end()
        return img

    def render_bgra(self, scene: Scene, wall_time: float, frame_index: int) -> tuple[memoryview, int]:
        """Render and return the pixels as ``(buffer, bytes_per_line)`` in FFmpeg's ``bgra``.

        The buffer is only valid until the next call.
        """
        img = self.render(scene, wall_time, frame_index)
        return memoryview(img.constBits()), img.bytesPerLine()

    def _draw_clock(self, painter: QPainter, wall_time: float) -> None:
        x, y, bw, bh = clock_rect(self.width, self.height)
        painter.fillRect(x, y, bw, bh, CLOCK_BOX)
        painter.setPen(CLOCK_TEXT)
        painter.setFont(self._clock_font)
        painter.drawText(QRect(x, y, bw, bh), Qt.AlignmentFlag.AlignCenter, format_clock(wall_time))

    def _draw_motion(self, painter: QPainter, frame_index: int, margin: int, left_width: int) -> None:
        """A square sweeping left and right every four seconds, so consecutive frames differ
        even where the clock does not (a still picture would hide a frozen encoder)."""
        h = self.height
        size = _scaled(48, h)
        span = max(1, left_width - 2 * margin - size)
        period = 4 * self.fps
        phase = frame_index % period
        travel = phase if phase < period // 2 else period - phase
        x = margin + span * travel * 2 // period
        y = h - _scaled(120, h)
        painter.fillRect(x, y, size, size, QColor(255, 196, 0))
        painter.fillRect(margin, y + size + _scaled(8, h), span + size, _scaled(4, h), QColor(70, 90, 115))

    def _draw_chat(self, painter: QPainter, scene: Scene) -> None:
        x, y, w, h = chat_rect(self.width, self.height)
        fh = self.height
        pad = _scaled(14, fh)
        painter.fillRect(x, y, w, h, CHAT_BACKGROUND)
        painter.setPen(QColor(40, 40, 40))
        painter.setFont(self._chat_head_font)
        head_h = _scaled(40, fh)
        painter.drawText(QRect(x + pad, y + pad // 2, w - 2 * pad, head_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "Public chat")
        painter.fillRect(x + pad, y + head_h + pad // 2, w - 2 * pad, max(1, _scaled(2, fh)), QColor(200, 200, 200))
        line_h = self._chat_metrics.height() + _scaled(8, fh)
        top = y + head_h + pad
        bottom = y + h - pad
        text_w = w - 2 * pad
        fits = max(0, (bottom - top) // line_h)
        lines = scene.chat[-fits:] if fits else ()
        line_y = bottom - len(lines) * line_h  # newest line at the bottom, like BBB
        for line in lines:
            sender = self._elide(plain(line.sender) + ": ", text_w // 2, self._sender_metrics, "s")
            sender_w = self._sender_metrics.horizontalAdvance(sender)
            painter.setPen(QColor(20, 90, 160))
            painter.setFont(self._chat_sender_font)
            painter.drawText(QRect(x + pad, line_y, sender_w + 1, line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, sender)
            text = self._elide(plain(line.text), text_w - sender_w, self._chat_metrics, "m")
            painter.setPen(QColor(30, 30, 30))
            painter.setFont(self._chat_font)
            painter.drawText(QRect(x + pad + sender_w, line_y, text_w - sender_w, line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            line_y += line_h

    def _elide(self, text: str, width: int, metrics: QFontMetrics, kind: str) -> str:
        key = (kind, text, width)
        cached = self._elided.get(key)
        if cached is None:
            if len(self._elided) > 2048:
                self._elided.clear()
            cached = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, width))
            self._elided[key] = cached
        return cached
