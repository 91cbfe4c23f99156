"""The app's look in one place: light or dark from the system, and the colours of states.

Widgets never write a colour.  Neutral things (text, backgrounds, selection) come from the
application's ``QPalette``, which the platform fills for the system's colour scheme.  What the
palette has no role for — the colours of a live, of work in progress, of a failure, of the
health levels — is here, one colour per :class:`Level` and :class:`Scheme`:

* derived from the Okabe–Ito palette (told apart by people with the common colour-vision
  deficiencies), darkened for light backgrounds and lightened for dark ones so that each reads
  as text (WCAG contrast >= 4.5:1) and as an indicator fill (>= 3:1) on the usual window and
  field backgrounds of both schemes; ``tests/ui/test_theme.py`` computes the ratios;
* never alone: every level has a mark (a symbol and a word, :func:`state_mark`) and a drawn
  icon whose *shape* differs by level (:func:`state_icon`).

The scheme is read from the palette actually in use (its window colour), not only from
``QStyleHints.colorScheme()``: a platform that reports "dark" but cannot supply a dark palette
(Qt's offscreen and bare xcb platforms) still draws light windows, and light-scheme colours are
what read on them.  :func:`force_scheme` asks Qt for a scheme and, where the platform cannot
deliver it, installs this module's own palette (the screenshot script uses it for the dark set).

:func:`follow_system` (called once at start) also covers platforms that report the system's
scheme without supplying a palette for it.

Widgets that style themselves register with :func:`on_scheme_change`; the callback runs once
at once and again whenever the system switches scheme (``QStyleHints.colorSchemeChanged``) or
the application palette changes.

Converting a widget (what ``tests/ui/test_no_written_colours.py`` asks):

* ``label.setStyleSheet("color: #c62828;")`` -> ``theme.style_with(label, lambda:
  theme.text_style(Level.ERROR))`` (re-applied when the scheme changes);
* a coloured pill -> ``theme.style_with(w, lambda: theme.badge_style(level))``; the big live
  button -> ``theme.button_style(level)``; a tinted note or banner ->
  ``theme.banner_style(level)``; how a webinar state looks -> ``desktop.ui.live_style``;
* ``setStyleSheet("font-weight: bold; font-size: 16pt")`` -> ``theme.emphasise(w, scale=1.6)``;
* painting (delegates) -> ``theme.chat_colours(kind)`` / ``theme.state_color(level)`` and the
  palette at paint time, never a module constant; ``QColor("white")`` on a badge ->
  ``theme.on_fill_color()``;
* grey secondary text -> ``theme.mute(label)``; a video area -> ``theme.video_surface(w)``;
  a preflight level -> ``theme.check_level(result.level)``;
* a dot -> a QLabel showing ``theme.state_icon(level).pixmap(size, dpr)`` (shape + colour), with
  ``state_mark(level).word`` as tooltip and accessible name.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.labels import QT_TRANSLATE_NOOP
from desktop.webinar.state import Health

logger = logging.getLogger(__name__)

CONTEXT = "Theme"


class Scheme(enum.Enum):
    LIGHT = "light"
    DARK = "dark"


class Level(enum.Enum):
    """What a coloured thing says: health levels, and the states of a live."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    UNKNOWN = "unknown"
    LIVE = "live"
    WORKING = "working"
    FAILED = "failed"


# One colour per level and scheme, used for text and for fills (badges, dots).  Derived from
# Okabe & Ito, "Color Universal Design" (2008): bluish green #009E73, orange #E69F00,
# vermillion #D55E00, blue #0072B2; LIVE is the broadcast "on air" red.  Checked against the
# backgrounds listed in tests/ui/test_theme.py (Qt Fusion, Adwaita, Breeze, Windows, macOS).
STATE_COLOURS: dict[Scheme, dict[Level, str]] = {
    Scheme.LIGHT: {
        Level.OK: "#007a59",
        Level.WARNING: "#8a5f00",
        Level.ERROR: "#b04e00",
        Level.UNKNOWN: "#666666",
        Level.LIVE: "#c8102e",
        Level.WORKING: "#006aa6",
        Level.FAILED: "#b04e00",
    },
    Scheme.DARK: {
        Level.OK: "#1fc08f",
        Level.WARNING: "#e0a31a",
        Level.ERROR: "#ff8a3d",
        Level.UNKNOWN: "#a8a8a8",
        Level.LIVE: "#ff7088",
        Level.WORKING: "#4db3f0",
        Level.FAILED: "#ff8a3d",
    },
}

# Text written on a fill of the level's colour (badges): the scheme's own field background.
ON_FILL: dict[Scheme, str] = {Scheme.LIGHT: "#ffffff", Scheme.DARK: "#141414"}

# A soft background for banners and notes (the level's colour at low opacity over the window).
BANNER_ALPHA = 0.14


@dataclass(frozen=True)
class StateMark:
    """What goes with a colour so that colour is never alone: a symbol and a word."""

    symbol: str
    word: str

    def text(self) -> str:
        return f"{self.symbol} {self.word}"


_MARKS: dict[Level, tuple[str, str]] = {
    Level.OK: ("\u2714", QT_TRANSLATE_NOOP("Theme", "OK")),  # ✔
    Level.WARNING: ("\u26a0", QT_TRANSLATE_NOOP("Theme", "Warning")),  # ⚠
    Level.ERROR: ("\u2716", QT_TRANSLATE_NOOP("Theme", "Problem")),  # ✖
    Level.UNKNOWN: ("?", QT_TRANSLATE_NOOP("Theme", "Unknown")),
    Level.LIVE: ("\u25cf", QT_TRANSLATE_NOOP("Theme", "On air")),  # ●
    Level.WORKING: ("\u21bb", QT_TRANSLATE_NOOP("Theme", "Working")),  # ↻
    Level.FAILED: ("\u2716", QT_TRANSLATE_NOOP("Theme", "Failed")),  # ✖
}

HEALTH_LEVELS: dict[Health, Level] = {
    Health.GOOD: Level.OK,
    Health.WARNING: Level.WARNING,
    Health.BAD: Level.ERROR,
    Health.UNKNOWN: Level.UNKNOWN,
}


def health_level(health: Health) -> Level:
    return HEALTH_LEVELS[health]


def state_mark(level: Level) -> StateMark:
    """The symbol and the translated word that go with ``level``'s colour."""
    symbol, word = _MARKS[level]
    return StateMark(symbol, QCoreApplication.translate(CONTEXT, word))


# --- the scheme --------------------------------------------------------------------------------


def scheme_of(palette: QPalette) -> Scheme:
    """DARK when the palette's windows are darker than their text."""
    window = palette.color(QPalette.ColorRole.Window).lightnessF()
    text = palette.color(QPalette.ColorRole.WindowText).lightnessF()
    return Scheme.DARK if window < text else Scheme.LIGHT


def current_scheme() -> Scheme:
    """The scheme the app is drawn in now (LIGHT before a QGuiApplication exists)."""
    if QGuiApplication.instance() is None:
        return Scheme.LIGHT
    return scheme_of(QGuiApplication.palette())


def state_color(level: Level, scheme: Scheme | None = None) -> QColor:
    """``level``'s colour in ``scheme`` (default: the current one), for text and fills alike."""
    return QColor(STATE_COLOURS[scheme or current_scheme()][level])


def text_style(level: Level, *, bold: bool = False) -> str:
    """A style sheet for a label written in ``level``'s colour (re-apply on scheme change)."""
    weight = " font-weight: bold;" if bold else ""
    return f"color: {state_color(level).name()};{weight}"


def badge_style(level: Level, *, radius: int = 4, selector: str = "") -> str:
    """A style sheet for a badge: ``level``'s colour as background, readable text on it."""
    scheme = current_scheme()
    body = (f"background: {state_color(level, scheme).name()}; color: {ON_FILL[scheme]};"
            f" border-radius: {radius}px; padding: 2px 8px; font-weight: bold;")
    return f"{selector} {{ {body} }}" if selector else body


def button_style(level: Level, *, scale: float = 1.4) -> str:
    """A style sheet for a big coloured push button (the live panel's Go live / Stop live):
    ``level``'s fill, readable text, and the palette's disabled colours when disabled."""
    scheme = current_scheme()
    palette = QGuiApplication.palette() if QGuiApplication.instance() else QPalette()
    disabled_fill = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button).name()
    disabled_text = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText).name()
    # style sheets know only pt and px: scale the system's font size
    base = QGuiApplication.font().pointSizeF() if QGuiApplication.instance() else 10.0
    points = (base if base > 0 else 10.0) * scale
    return (f"QPushButton {{ background: {state_color(level, scheme).name()}; color: {ON_FILL[scheme]};"
            f" font-size: {points:.1f}pt; font-weight: bold; border-radius: 6px; padding: 8px 20px; }}"
            f" QPushButton:disabled {{ background: {disabled_fill}; color: {disabled_text}; }}")


def banner_style(level: Level, *, selector: str = "") -> str:
    """A style sheet for a note or banner: a faint tint of ``level``, a border and text in it."""
    scheme = current_scheme()
    colour = state_color(level, scheme)
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window) if QGuiApplication.instance() \
        else QColor("#ffffff")
    tint = blend(window, colour, BANNER_ALPHA)
    text = QGuiApplication.palette().color(QPalette.ColorRole.WindowText) if QGuiApplication.instance() \
        else QColor("#000000")
    body = (f"background: {tint.name()}; color: {text.name()}; border: 1px solid {colour.name()};"
            " border-radius: 4px; padding: 4px;")
    return f"{selector} {{ {body} }}" if selector else body


def dot_style(level: Level, diameter: int) -> str:
    """A style sheet for a round indicator of ``diameter`` px (a fixed-size QFrame)."""
    return f"background: {state_color(level).name()}; border-radius: {diameter // 2}px;"


def blend(under: QColor, over: QColor, alpha: float) -> QColor:
    """``over`` at ``alpha`` opacity on ``under`` (an opaque result, for style sheets)."""
    def mix(a: float, b: float) -> float:
        return a * (1 - alpha) + b * alpha

    return QColor.fromRgbF(mix(under.redF(), over.redF()), mix(under.greenF(), over.greenF()),
                           mix(under.blueF(), over.blueF()))


def muted_text_color() -> QColor:
    """Secondary text (placeholders, hints): the palette's own, never a written grey."""
    return QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)


# --- fonts: emphasis without a style sheet ------------------------------------------------------


def emphasise(widget: QWidget, *, bold: bool = True, scale: float = 1.0, monospace: bool = False) -> None:
    """Bold, larger or fixed-width text through the widget's font (follows the system's font
    size, unlike a point size written in a style sheet)."""
    font = QFont(widget.font())
    if monospace:
        font.setFamilies(["monospace"])
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFixedPitch(True)
    font.setBold(bold)
    if scale != 1.0:
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(size * scale)
    widget.setFont(font)


# --- following the system -------------------------------------------------------------------------


class SchemeWatcher(QObject):
    """Emits :attr:`scheme_changed` when the app's effective scheme changes.

    Listens to ``QStyleHints.colorSchemeChanged`` (the system switched) and to the application
    palette (an explicit palette, :func:`force_scheme`).

    Attributes:
        scheme: the scheme last announced.

    Signals:
        scheme_changed(Scheme): the new scheme; widgets re-style.
    """

    scheme_changed = Signal(object)

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self.scheme = scheme_of(app.palette())
        app.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        # QGuiApplication::paletteChanged is deprecated in favour of ApplicationPaletteChange
        # events, but a filter on the application object would see every event of the app;
        # the signal is one call per change.
        app.paletteChanged.connect(self.refresh)

    def _system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self.refresh()

    def refresh(self, *_args: object) -> None:
        scheme = current_scheme()
        if scheme is not self.scheme:
            logger.info("colour scheme: %s", scheme.value)
            self.scheme = scheme
            self.scheme_changed.emit(scheme)


_watcher: SchemeWatcher | None = None


def watcher() -> SchemeWatcher:
    """The app's one watcher (made at first use; needs the QGuiApplication)."""
    global _watcher
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication), "the theme needs a QGuiApplication"
    if _watcher is None or _watcher.parent() is not app:
        _watcher = SchemeWatcher(app)
    return _watcher


class _Restyler(QObject):
    """A child of the styled widget, so the connection dies with the widget."""

    def __init__(self, widget: QWidget, restyle: Callable[[], None]) -> None:
        super().__init__(widget)
        self.restyle = restyle

    def on_scheme_changed(self, _scheme: object) -> None:
        self.restyle()


_STYLE_SHEET_RESTYLER = "themeStyleSheet"


def on_scheme_change(widget: QWidget, restyle: Callable[[], None]) -> None:
    """Run ``restyle`` now and each time the scheme changes, for as long as ``widget`` lives."""
    restyle()
    restyler = _Restyler(widget, restyle)
    watcher().scheme_changed.connect(restyler.on_scheme_changed)


def style_with(widget: QWidget, make_style: Callable[[], str]) -> None:
    """``widget.setStyleSheet(make_style())`` now and again whenever the scheme changes.

    Calling it again on the same widget replaces the previous style (a label that turns from
    an error to a success registers once), so it is safe in a render method.
    """
    def restyle() -> None:
        widget.setStyleSheet(make_style())

    existing = widget.findChild(_Restyler, _STYLE_SHEET_RESTYLER, Qt.FindChildOption.FindDirectChildrenOnly)
    if existing is not None:
        existing.restyle = restyle
        restyle()
        return
    restyle()
    restyler = _Restyler(widget, restyle)
    restyler.setObjectName(_STYLE_SHEET_RESTYLER)
    watcher().scheme_changed.connect(restyler.on_scheme_changed)


def clear_style(widget: QWidget) -> None:
    """Back to the palette's look (the counterpart of :func:`style_with`)."""
    style_with(widget, lambda: "")


def mute(widget: QWidget) -> None:
    """Secondary text (a status line, a hint) in the palette's placeholder colour: it follows
    the scheme by itself, no style sheet."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def video_surface(widget: QWidget) -> None:
    """A black surface for video whatever the scheme (through the palette, no style sheet)."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(Qt.GlobalColor.black))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


def check_level(level: enum.Enum) -> Level:
    """A preflight check's level (``desktop.preflight.Level``: ok / warning / error)."""
    return Level(str(level.value))


# --- the chat's messages (painted by the delegate) ----------------------------------------------


MESSAGE_KIND_LEVELS: dict[str, Level] = {
    "audience": Level.WORKING,
    "panelist": Level.OK,
    "presenter_answer": Level.WARNING,
    "system": Level.UNKNOWN,
}
"""``desktop.chat.message.MessageKind`` values (a StrEnum: its members are these keys)."""

BUBBLE_ALPHA = {Scheme.LIGHT: 0.10, Scheme.DARK: 0.16}


@dataclass(frozen=True)
class ChatColours:
    """What the chat delegate paints with, for one message kind in the current scheme.

    Attributes:
        bubble: the message's background (the field background tinted by the kind's colour).
        badge: the kind's badge fill; ``on_badge`` is the text on it.
        text, muted: the message text and secondary text (from the palette).
        failed, question: the "not sent" and "Question" accents.
    """

    bubble: QColor
    badge: QColor
    on_badge: QColor
    text: QColor
    muted: QColor
    failed: QColor
    question: QColor


def chat_colours(kind: str) -> ChatColours:
    """The colours for a message of ``kind`` (a MessageKind), read at paint time."""
    palette = QGuiApplication.palette()
    scheme = scheme_of(palette)
    return _chat_colours(kind, scheme, palette.color(QPalette.ColorRole.Base).rgba(),
                         palette.color(QPalette.ColorRole.Text).rgba())


@cache
def _chat_colours(kind: str, scheme: Scheme, base_rgba: int, text_rgba: int) -> ChatColours:
    level = MESSAGE_KIND_LEVELS[str(kind)]
    base, text = QColor.fromRgba(base_rgba), QColor.fromRgba(text_rgba)
    return ChatColours(
        bubble=blend(base, state_color(level, scheme), BUBBLE_ALPHA[scheme]),
        badge=state_color(level, scheme),
        on_badge=QColor(ON_FILL[scheme]),
        text=text,
        muted=state_color(Level.UNKNOWN, scheme),
        failed=state_color(Level.FAILED, scheme),
        question=state_color(Level.WARNING, scheme),
    )


def on_fill_color() -> QColor:
    """Text drawn on a fill of a state colour (badges painted by hand)."""
    return QColor(ON_FILL[current_scheme()])


# --- forcing a scheme (screenshots, tests) -----------------------------------------------------


def fallback_palette(scheme: Scheme) -> QPalette:
    """A complete palette for ``scheme``, for platforms that cannot supply the system's."""
    if scheme is Scheme.LIGHT:
        app = QApplication.instance()
        style = app.style() if isinstance(app, QApplication) else None
        return style.standardPalette() if style is not None else QPalette()
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2d2d2d",
        QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Text: "#e8e8e8",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e8e8e8",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Light: "#4a4a4a",
        QPalette.ColorRole.Midlight: "#3e3e3e",
        QPalette.ColorRole.Mid: "#2a2a2a",
        QPalette.ColorRole.Dark: "#202020",
        QPalette.ColorRole.Shadow: "#101010",
        QPalette.ColorRole.Highlight: "#3d7fd6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7ab8ff",
        QPalette.ColorRole.LinkVisited: "#c5a3ff",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8a8a"))
    return palette


def follow_system() -> None:
    """Keep the app in the system's scheme (call once at start, after the QApplication).

    Qt repaints in the system's scheme by itself where the platform theme supplies a palette
    for it; where the platform only *reports* the scheme (some Linux desktops through the
    settings portal with no matching palette), this installs the theme's palette so the app
    still switches, at start and whenever ``colorSchemeChanged`` fires.
    """
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    hints = app.styleHints()
    hints.colorSchemeChanged.connect(sync_palette_to)
    sync_palette_to(hints.colorScheme())
    watcher()


def sync_palette_to(system: Qt.ColorScheme) -> bool:
    """Install the theme's palette when the one in use is not of the ``system`` scheme;
    True when it did (an Unknown scheme changes nothing)."""
    wanted = {Qt.ColorScheme.Dark: Scheme.DARK, Qt.ColorScheme.Light: Scheme.LIGHT}.get(system)
    app = QGuiApplication.instance()
    if wanted is None or not isinstance(app, QGuiApplication) or scheme_of(app.palette()) is wanted:
        return False
    app.setPalette(fallback_palette(wanted))
    watcher().refresh()
    return True


def force_scheme(scheme: Scheme) -> None:
    """Draw the app in ``scheme`` whatever the system says (Qt >= 6.8's request first; where
    the platform ignores it, this module's palette)."""
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.styleHints().setColorScheme(Qt.ColorScheme.Dark if scheme is Scheme.DARK else Qt.ColorScheme.Light)
    if scheme_of(app.palette()) is not scheme:
        app.setPalette(fallback_palette(scheme))
    watcher().refresh()


# --- state icons: a shape per level, drawn at any size -----------------------------------------


class StateIconEngine(QIconEngine):
    """Draws ``level``'s shape in its colour at the exact pixel size asked (crisp at any scale):
    disc (OK), triangle (warning), square with a cross (error/failed), ring (unknown), disc in a
    ring (live), three-quarter arc (working)."""

    def __init__(self, level: Level, scheme: Scheme | None = None) -> None:
        super().__init__()
        self.level = level
        self.scheme = scheme

    def clone(self) -> QIconEngine:
        return StateIconEngine(self.level, self.scheme)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        paint_state_shape(painter, QRectF(rect), self.level, self.scheme or current_scheme())

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        pixmap = QPixmap(QSize(round(size.width() * scale), round(size.height() * scale)))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, pixmap.rect(), mode, state)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap


def paint_state_shape(painter: QPainter, rect: QRectF, level: Level, scheme: Scheme) -> None:
    side = min(rect.width(), rect.height())
    box = QRectF(0, 0, side, side)
    box.moveCenter(rect.center())
    inset = max(1.0, side / 12)
    box = box.adjusted(inset, inset, -inset, -inset)
    colour = QColor(STATE_COLOURS[scheme][level])
    outline = QColor(ON_FILL[scheme])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(outline, max(1.0, side / 16))
    painter.setPen(pen)
    painter.setBrush(colour)
    if level is Level.OK:
        painter.drawEllipse(box)
    elif level is Level.WARNING:
        path = QPainterPath(QPointF(box.center().x(), box.top()))
        path.lineTo(box.bottomRight())
        path.lineTo(box.bottomLeft())
        path.closeSubpath()
        painter.drawPath(path)
    elif level in (Level.ERROR, Level.FAILED):
        painter.drawRect(box)
        cross = QPen(outline, max(1.5, side / 8))
        painter.setPen(cross)
        a = box.adjusted(box.width() / 4, box.height() / 4, -box.width() / 4, -box.height() / 4)
        painter.drawLine(a.topLeft(), a.bottomRight())
        painter.drawLine(a.topRight(), a.bottomLeft())
    elif level is Level.UNKNOWN:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, max(1.5, side / 7)))
        painter.drawEllipse(box.adjusted(side / 14, side / 14, -side / 14, -side / 14))
    elif level is Level.LIVE:
        painter.drawEllipse(box)
        painter.setBrush(outline)
        painter.setPen(Qt.PenStyle.NoPen)
        core = box.adjusted(box.width() * 0.32, box.height() * 0.32, -box.width() * 0.32, -box.height() * 0.32)
        painter.drawEllipse(core)
    else:  # WORKING
        painter.setBrush(Qt.BrushStyle.NoBrush)
        arc = QPen(colour, max(1.5, side / 6))
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(arc)
        inner = box.adjusted(side / 10, side / 10, -side / 10, -side / 10)
        painter.drawArc(inner, 90 * 16, -270 * 16)
    painter.restore()


@cache
def _state_icon(level: Level, scheme: Scheme | None) -> QIcon:
    return QIcon(StateIconEngine(level, scheme))


def state_icon(level: Level, scheme: Scheme | None = None) -> QIcon:
    """``level``'s icon (a distinct shape per level); with ``scheme`` None it follows the app."""
    return _state_icon(level, scheme)
