"""How one chat message is painted: a bubble with a header line and the text, as plain text only.

Chat text is hostile (HTML, scripts, bidi overrides, control characters, 5,000-character lines),
so the painter never hands it to anything that interprets markup: no QLabel, no QTextDocument,
no QStaticText (whose default format guesses rich text).  The text is laid out with
:class:`QTextLayout`, which only shapes characters, and painted with ``QTextLayout.draw``;
author names go through ``QPainter.drawText`` the same way.

Two details keep hostile text from breaking the layout:

* :func:`visible_text` turns line breaks into Unicode line separators (what QTextLayout breaks
  lines on) and every other control character into its visible "control picture" (␀, ␛...),
  so nothing invisible moves the caret or the lines around;
* the header (author, badges, time) and the text are separate layouts, so a right-to-left
  override in a message can only reorder that message's own text, never the author or the time.

Cost: the painter is called for the rows under the viewport only (the view is
:mod:`desktop.ui.chat_view`, not an item view).  Its fonts and metrics are built once per base
font; a message's text layout, height and clock are built once per (message, text, width) and
kept in a small LRU cache (the rows on screen and around them), so a repaint lays nothing out
again.  Heights depend on the width (long texts wrap, never elide): :meth:`ChatRowPainter.height`
is exact, :meth:`ChatRowPainter.estimate_height` is a cheap guess from the text's length, used
for rows not painted yet.

Colours come from :func:`desktop.ui.theme.chat_colours` (the palette and the state colours of
the scheme in use), looked up once per message kind and kept until :meth:`ChatRowPainter.forget_colours`
(the view calls it when the scheme or its palette changes): light and dark both read.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextLayout, QTextOption

from desktop.chat.message import ChatMessage, DeliveryStatus, MessageKind, ModerationFlags
from desktop.ui import theme
from desktop.ui.labels import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

CONTEXT = "ChatItemDelegate"  # the translation context keeps the old class name: the catalogue files the words under it
LINE_SEPARATOR = "\u2028"
_LINE_BREAKS = ("\r\n", "\n", "\r", "\v", "\f", "\x85", "\u2029")

MARGIN_X = 8
MARGIN_Y = 3
PADDING = 6
BADGE_PADDING = 4
SPACING = 4
_SINGLE_LINE = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
_CENTRED_LINE = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextSingleLine)
LAYOUT_CACHE_SIZE = 400
"""Laid-out rows kept (least recently used out): a few screens of rows, not the history."""

BORDER_BLEND = 0.35
"""A bubble's border: its kind's colour this much over the bubble's tint."""


KIND_LABELS = {
    MessageKind.AUDIENCE: QT_TRANSLATE_NOOP("ChatItemDelegate", "Audience"),
    MessageKind.PANELIST: QT_TRANSLATE_NOOP("ChatItemDelegate", "Panelist"),
    MessageKind.PRESENTER_ANSWER: QT_TRANSLATE_NOOP("ChatItemDelegate", "You"),
    MessageKind.SYSTEM: QT_TRANSLATE_NOOP("ChatItemDelegate", "System"),
}


def _t(text: str) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP in this module's context."""
    return QCoreApplication.translate(CONTEXT, text)


def visible_text(text: str) -> str:
    """``text`` as it is laid out: line breaks as U+2028, other control characters made visible.

    Tabs stay; C0 controls become U+2400 + code (␀ ␁ ... ␛), DEL becomes ␡ and C1 controls
    become U+FFFD.  Everything else — HTML, emoji, bidi marks, zero-width characters — is kept
    exactly: the presenter sees what was sent.
    """
    for brk in _LINE_BREAKS:
        if brk in text:
            text = text.replace(brk, LINE_SEPARATOR)
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda match: _picture(match.group()), text)


def one_line(text: str) -> str:
    """For names and other single-line fields: line breaks as spaces, controls visible."""
    return visible_text(text).replace(LINE_SEPARATOR, " ")


# what _is_control accepts, as one pattern (one C-level scan of a text instead of a Python loop)
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 and ch != "\t") or 0x7F <= code <= 0x9F


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


_TEXT_OPTION: list[QTextOption] = []


def text_option() -> QTextOption:
    """Wrap at word boundaries (anywhere for a long word), direction from the text (built once)."""
    if not _TEXT_OPTION:
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        _TEXT_OPTION.append(option)
    return _TEXT_OPTION[0]


def lay_out(text: str, font: QFont, width: int) -> tuple[QTextLayout, float]:
    """A plain-text layout of ``text`` wrapped at ``width`` pixels, and its height."""
    layout = QTextLayout(text, font)
    layout.setTextOption(text_option())
    layout.setCacheEnabled(True)
    height = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        line.setPosition(QPointF(0.0, height))
        height += line.height()
    layout.endLayout()
    return layout, height


@dataclass(frozen=True)
class Badge:
    text: str
    colour: QColor


@dataclass(frozen=True)
class RowColours:
    """The theme's colours for one message kind, plus the bubble's border derived from them."""

    chat: theme.ChatColours
    border: QColor


@dataclass
class ItemGeometry:
    """Where the parts of one item go, relative to the item's rectangle."""

    bubble: QRect
    header: QRect
    reply: QRect | None
    text: QRect
    text_height: float


@dataclass
class _Laid:
    """One message laid out at one width (an entry of the painter's cache)."""

    text: str  # the message's raw text when laid out (an edit makes the entry stale)
    deleted: bool
    width: int
    layout: QTextLayout
    text_height: float
    height: int
    clock: str


class ChatRowPainter:
    """Measures and paints chat rows (see the module docstring).

    Args:
        font: the list's font (the base of every font used).

    Attributes:
        layouts_built: text layouts built so far (what the caching test counts).
    """

    def __init__(self, font: QFont) -> None:
        self._cache: OrderedDict[str, _Laid] = OrderedDict()
        self._colours: dict[MessageKind, RowColours] = {}
        self.layouts_built = 0
        self._labels = {kind: _t(label) for kind, label in KIND_LABELS.items()}
        self._words = {word: _t(word) for word in ("Question", "sending…", "not sent", "deleted", "hidden",
                                                   "answered")}
        self.set_font(font)

    def set_font(self, font: QFont) -> None:
        """Build the fonts and metrics once (and forget the layouts made with the old ones)."""
        self.font = QFont(font)
        self.metrics = QFontMetrics(self.font)
        self.small = QFont(font)
        self.small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        self.small.setBold(True)
        self.small_metrics = QFontMetrics(self.small)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.bold_metrics = QFontMetrics(self.bold)
        self.italic = QFont(font)
        self.italic.setItalic(True)
        self.italic_metrics = QFontMetrics(self.italic)
        self.struck = QFont(self.italic)
        self.struck.setStrikeOut(True)
        self.header_height = self.metrics.height() + 2
        self.line_height = self.metrics.lineSpacing()
        self.char_width = max(1.0, self.metrics.averageCharWidth() * 1.1)
        self._badge_widths: dict[str, int] = {}
        self._cache.clear()

    # -- colours ----------------------------------------------------------------------------------
    def colours(self, kind: MessageKind) -> RowColours:
        """The colours of a ``kind`` row in the scheme in use (looked up once until forgotten)."""
        colours = self._colours.get(kind)
        if colours is None:
            chat = theme.chat_colours(kind)
            colours = self._colours[kind] = RowColours(chat, theme.blend(chat.bubble, chat.badge, BORDER_BLEND))
        return colours

    def forget_colours(self) -> None:
        """The scheme or the palette changed: look the colours up again at the next paint."""
        self._colours.clear()

    # -- what is shown ----------------------------------------------------------------------------
    def badges(self, message: ChatMessage, flags: ModerationFlags) -> list[Badge]:
        colours = self.colours(message.kind).chat
        badges = [Badge(self._labels[message.kind], colours.badge)]
        if message.is_question and message.kind in (MessageKind.AUDIENCE, MessageKind.PANELIST):
            badges.append(Badge(self._words["Question"], colours.question))
        if message.status is DeliveryStatus.PENDING:
            badges.append(Badge(self._words["sending…"], colours.muted))
        elif message.status is DeliveryStatus.FAILED:
            badges.append(Badge(self._words["not sent"], colours.failed))
        if message.is_deleted:
            badges.append(Badge(self._words["deleted"], colours.muted))
        if flags.excluded:
            badges.append(Badge(self._words["hidden"], colours.muted))
        return badges

    def markers(self, flags: ModerationFlags) -> str:
        parts = []
        if flags.starred:
            parts.append("★")
        if flags.answered:
            parts.append("✓ " + self._words["answered"])
        return "  ".join(parts)

    @staticmethod
    def clock(moment: datetime) -> str:
        return moment.astimezone().strftime("%H:%M")

    # -- geometry ---------------------------------------------------------------------------------
    @staticmethod
    def text_width(width: int) -> int:
        return max(1, width - 2 * (MARGIN_X + PADDING))

    def _chrome(self, message: ChatMessage) -> int:
        """Everything but the text: margins, paddings, the header, the reply line."""
        chrome = 2 * (MARGIN_Y + PADDING) + self.header_height + SPACING
        if message.reply_to is not None:
            chrome += self.metrics.height() + SPACING // 2
        return chrome

    def laid_out(self, message: ChatMessage, width: int) -> _Laid:
        """``message`` laid out at ``width`` (from the cache when it is there)."""
        entry = self._cache.get(message.id)
        if entry is not None and entry.width == width and entry.text is message.text \
                and entry.deleted == message.is_deleted:
            self._cache.move_to_end(message.id)
            return entry
        text = visible_text(message.text)
        layout, text_height = lay_out(text, self.struck if message.is_deleted else self.font,
                                      self.text_width(width))
        self.layouts_built += 1
        height = self._chrome(message) + int(text_height + 0.999)
        entry = _Laid(message.text, message.is_deleted, width, layout, text_height, height,
                      self.clock(message.created_at))
        self._cache[message.id] = entry
        if len(self._cache) > LAYOUT_CACHE_SIZE:
            self._cache.popitem(last=False)
        return entry

    def height(self, message: ChatMessage, width: int) -> int:
        """The exact height of ``message``'s row at ``width``."""
        return self.laid_out(message, width).height

    def estimate_height(self, message: ChatMessage, width: int) -> int:
        """A guess of the row's height from its text's length (no layout)."""
        text = message.text
        per_line = max(1, int(self.text_width(width) / self.char_width))
        lines = len(text) // per_line + 1
        if "\n" in text:
            lines += text.count("\n")
        return self._chrome(message) + lines * self.line_height

    def geometry(self, rect: QRect, message: ChatMessage) -> ItemGeometry:
        """Where the parts of ``message``'s row go in ``rect`` (its row's rectangle)."""
        laid = self.laid_out(message, rect.width())
        bubble = rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)
        inner = bubble.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        header = QRect(inner.left(), inner.top(), inner.width(), self.header_height)
        top = header.bottom() + 1 + SPACING
        reply = None
        if message.reply_to is not None:
            reply = QRect(inner.left(), top, inner.width(), self.metrics.height())
            top = reply.bottom() + 1 + SPACING // 2
        text_rect = QRect(inner.left(), top, inner.width(), int(laid.text_height + 0.999))
        return ItemGeometry(bubble, header, reply, text_rect, laid.text_height)

    # -- painting ---------------------------------------------------------------------------------
    def paint(self, painter: QPainter, rect: QRect, message: ChatMessage, flags: ModerationFlags, *,
              selected: bool, highlight: QColor, reply_author: str | None) -> None:
        """Paint ``message``'s row in ``rect`` (the painter's state is restored after)."""
        laid = self.laid_out(message, rect.width())
        geometry = self.geometry(rect, message)
        colours = self.colours(message.kind)
        chat = colours.chat
        painter.save()
        try:
            self._paint_bubble(painter, message, geometry, colours, selected, highlight)
            self._paint_header(painter, message, flags, laid.clock, geometry.header, chat)
            if geometry.reply is not None:
                self._paint_reply(painter, reply_author, geometry.reply, chat)
            colour = chat.text
            if message.status is DeliveryStatus.PENDING or message.is_deleted or flags.excluded:
                colour = chat.muted
            elif message.status is DeliveryStatus.FAILED:
                colour = chat.failed
            painter.setPen(colour)
            painter.setClipRect(geometry.bubble)
            laid.layout.draw(painter, QPointF(geometry.text.topLeft()))
        finally:
            painter.restore()

    def _paint_bubble(self, painter: QPainter, message: ChatMessage, geometry: ItemGeometry, colours: RowColours,
                      selected: bool, highlight: QColor) -> None:
        fill = colours.chat.bubble
        border = colours.border
        if message.status is DeliveryStatus.FAILED:
            border = colours.chat.failed
        if selected:
            border = highlight
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(geometry.bubble).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)

    def _badge_width(self, text: str) -> int:
        width = self._badge_widths.get(text)
        if width is None:
            width = self._badge_widths[text] = self.small_metrics.horizontalAdvance(text) + 2 * BADGE_PADDING
        return width

    def _paint_header(self, painter: QPainter, message: ChatMessage, flags: ModerationFlags, clock: str,
                      header: QRect, colours: theme.ChatColours) -> None:
        single = _SINGLE_LINE
        x = header.left()
        # time, right-aligned
        painter.setFont(self.font)
        clock_width = self.metrics.horizontalAdvance(clock)
        painter.setPen(colours.muted)
        painter.drawText(QRect(header.right() - clock_width, header.top(), clock_width, header.height()), single, clock)
        right_limit = header.right() - clock_width - SPACING * 2
        painter.setFont(self.small)
        for badge in self.badges(message, flags):
            width = self._badge_width(badge.text)
            if x + width > right_limit:
                break
            box = QRect(x, header.top() + 1, width, header.height() - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(badge.colour)
            painter.drawRoundedRect(QRectF(box), 4, 4)
            painter.setPen(colours.on_badge)
            painter.drawText(box, _CENTRED_LINE, badge.text)
            x += width + SPACING
        markers = self.markers(flags)
        marker_width = self.metrics.horizontalAdvance(markers) + SPACING if markers else 0
        author_room = max(0, right_limit - x - marker_width)
        author = self.bold_metrics.elidedText(one_line(message.author), Qt.TextElideMode.ElideRight, author_room)
        painter.setFont(self.bold)
        painter.setPen(colours.text)
        painter.drawText(QRect(x, header.top(), author_room, header.height()), single, author)
        x += self.bold_metrics.horizontalAdvance(author) + SPACING
        if markers and x < right_limit:
            painter.setFont(self.font)
            painter.setPen(colours.question if flags.starred else colours.muted)
            painter.drawText(QRect(x, header.top(), right_limit - x, header.height()), single, markers)

    def _paint_reply(self, painter: QPainter, reply_author: str | None, rect: QRect,
                     colours: theme.ChatColours) -> None:
        painter.setFont(self.italic)
        painter.setPen(colours.muted)
        if reply_author:
            line = _t("↪ in reply to %1").replace("%1", one_line(reply_author))
        else:
            line = _t("↪ in reply to an earlier message")
        line = self.italic_metrics.elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, _SINGLE_LINE, line)


# the words of the rows, for lupdate (they are looked up through _t at run time)
_WORDS = (
    QT_TRANSLATE_NOOP("ChatItemDelegate", "Question"),
    QT_TRANSLATE_NOOP("ChatItemDelegate", "sending…"),
    QT_TRANSLATE_NOOP("ChatItemDelegate", "not sent"),
    QT_TRANSLATE_NOOP("ChatItemDelegate", "deleted"),
    QT_TRANSLATE_NOOP("ChatItemDelegate", "hidden"),
    QT_TRANSLATE_NOOP("ChatItemDelegate", "answered"),
    QT_TRANSLATE_NOOP("ChatItemDelegate", "↪ in reply to %1"),
    QT_TRANSLATE_NOOP("ChatItemDelegate", "↪ in reply to an earlier message"),
)
