"""How one chat message is painted: a bubble with a header line and the text, as plain text only.

Chat text is hostile (HTML, scripts, bidi overrides, control characters, 5,000-character lines),
so the delegate never hands it to anything that interprets markup: no QLabel, no QTextDocument,
no QStaticText (whose default format guesses rich text).  The text is laid out with
:class:`QTextLayout`, which only shapes characters, and painted with ``QTextLayout.draw``;
author names go through ``QPainter.drawText`` the same way.

Two details keep hostile text from breaking the layout:

* :func:`visible_text` turns line breaks into Unicode line separators (what QTextLayout breaks
  lines on) and every other control character into its visible "control picture" (␀, ␛...),
  so nothing invisible moves the caret or the lines around;
* the header (author, badges, time) and the text are separate layouts, so a right-to-left
  override in a message can only reorder that message's own text, never the author or the time.

Heights depend on the view's width (long texts wrap, never elide), so :meth:`sizeHint` lays the
text out at the viewport width and caches the size per (message, text, width).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.chat.message import ChatMessage, DeliveryStatus, MessageKind, ModerationFlags
from desktop.ui.chat_model import ChatRole
from desktop.ui.labels import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

CONTEXT = "ChatItemDelegate"
LINE_SEPARATOR = "\u2028"
_LINE_BREAKS = ("\r\n", "\n", "\r", "\v", "\f", "\x85", "\u2029")

MARGIN_X = 8
MARGIN_Y = 3
PADDING = 6
BADGE_PADDING = 4
SPACING = 4
_SIZE_CACHE_SIZE = 4_000
"""Measured row sizes kept (oldest first out).  The view shows a window of a few hundred rows
(RecentRowsProxy), so a few thousand cover it and some scrolling back; a cache as large as the
history kept an entry (a key tuple and a QSize) per chat message, for rows no longer shown."""

# Fixed tints with dark text: readable whatever the desktop theme is.
BUBBLE_COLOURS = {
    MessageKind.AUDIENCE: QColor("#e6f0fb"),
    MessageKind.PANELIST: QColor("#eaf5e4"),
    MessageKind.PRESENTER_ANSWER: QColor("#fff4cf"),
    MessageKind.SYSTEM: QColor("#f0f0f0"),
}
BADGE_COLOURS = {
    MessageKind.AUDIENCE: QColor("#1565c0"),
    MessageKind.PANELIST: QColor("#2e7d32"),
    MessageKind.PRESENTER_ANSWER: QColor("#8d6e00"),
    MessageKind.SYSTEM: QColor("#616161"),
}
TEXT_COLOUR = QColor("#1a1a1a")
MUTED_COLOUR = QColor("#757575")
FAILED_COLOUR = QColor("#c62828")
QUESTION_COLOUR = QColor("#e65100")

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
    if not any(_is_control(ch) for ch in text):
        return text
    return "".join(_picture(ch) if _is_control(ch) else ch for ch in text)


def one_line(text: str) -> str:
    """For names and other single-line fields: line breaks as spaces, controls visible."""
    return visible_text(text).replace(LINE_SEPARATOR, " ")


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


def text_option() -> QTextOption:
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
    return option


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


@dataclass
class ItemGeometry:
    """Where the parts of one item go, relative to the item's rectangle."""

    bubble: QRect
    header: QRect
    reply: QRect | None
    text: QRect
    text_height: float


class ChatItemDelegate(QStyledItemDelegate):
    """Paints :class:`~desktop.ui.chat_model.ChatListModel` rows (see the module docstring).

    Args:
        view: the list view; its viewport width decides where texts wrap.
    """

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._sizes: OrderedDict[tuple[str, str, bool, int, float], QSize] = OrderedDict()

    # -- what is shown ----------------------------------------------------------------------------
    @staticmethod
    def displayed_text(index: QModelIndex | QPersistentModelIndex) -> str:
        """The exact string this delegate lays out for the message's text."""
        text = index.data(ChatRole.TEXT)
        return visible_text(text if isinstance(text, str) else "")

    def badges(self, message: ChatMessage, flags: ModerationFlags) -> list[Badge]:
        badges = [Badge(_t(KIND_LABELS[message.kind]), BADGE_COLOURS[message.kind])]
        if message.is_question and message.kind in (MessageKind.AUDIENCE, MessageKind.PANELIST):
            badges.append(Badge(self.tr("Question"), QUESTION_COLOUR))
        if message.status is DeliveryStatus.PENDING:
            badges.append(Badge(self.tr("sending…"), MUTED_COLOUR))
        elif message.status is DeliveryStatus.FAILED:
            badges.append(Badge(self.tr("not sent"), FAILED_COLOUR))
        if message.is_deleted:
            badges.append(Badge(self.tr("deleted"), MUTED_COLOUR))
        if flags.excluded:
            badges.append(Badge(self.tr("hidden"), MUTED_COLOUR))
        return badges

    def markers(self, flags: ModerationFlags) -> str:
        parts = []
        if flags.starred:
            parts.append("★")
        if flags.answered:
            parts.append("✓ " + self.tr("answered"))
        return "  ".join(parts)

    @staticmethod
    def clock(moment: datetime) -> str:
        return moment.astimezone().strftime("%H:%M")

    # -- geometry ---------------------------------------------------------------------------------
    def _width(self, option: QStyleOptionViewItem) -> int:
        viewport = self._view.viewport().width()
        return max(120, viewport if viewport > 0 else option.rect.width())

    def geometry(self, rect: QRect, font: QFont, text: str, has_reply: bool, message_id: str) -> ItemGeometry:
        bubble = rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)
        inner = bubble.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        metrics = QFontMetrics(font)
        header_height = metrics.height() + 2
        header = QRect(inner.left(), inner.top(), inner.width(), header_height)
        top = header.bottom() + 1 + SPACING
        reply = None
        if has_reply:
            reply = QRect(inner.left(), top, inner.width(), metrics.height())
            top = reply.bottom() + 1 + SPACING // 2
        text_height = self._text_height(message_id, text, font, inner.width())
        text_rect = QRect(inner.left(), top, inner.width(), int(text_height + 0.999))
        return ItemGeometry(bubble, header, reply, text_rect, text_height)

    def _text_height(self, message_id: str, text: str, font: QFont, width: int) -> float:
        _, height = lay_out(text, font, width)
        return height

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        message = index.data(ChatRole.MESSAGE)
        if not isinstance(message, ChatMessage):
            return super().sizeHint(option, index)
        width = self._width(option)
        # the view asks again for every visible row after each insert: answer from the cache
        # (the text object is part of the key, so an edited message is measured again)
        key = (message.id, message.text, message.reply_to is not None, width, option.font.pointSizeF())
        size = self._sizes.get(key)
        if size is not None:
            return size
        text = visible_text(message.text)
        geometry = self.geometry(QRect(0, 0, width, 0), option.font, text,
                                 message.reply_to is not None, message.id)
        height = geometry.text.bottom() + 1 + PADDING + MARGIN_Y
        size = QSize(width, max(height, geometry.header.bottom() + PADDING + MARGIN_Y))
        self._sizes[key] = size
        if len(self._sizes) > _SIZE_CACHE_SIZE:
            self._sizes.popitem(last=False)
        return size

    # -- painting ---------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        message = index.data(ChatRole.MESSAGE)
        flags = index.data(ChatRole.FLAGS)
        if not isinstance(message, ChatMessage) or not isinstance(flags, ModerationFlags):
            return
        font = QFont(option.font)
        text = self.displayed_text(index)
        reply_author = index.data(ChatRole.REPLY_TO_AUTHOR)
        geometry = self.geometry(option.rect, font, text, message.reply_to is not None, message.id)
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_bubble(painter, option, message, geometry)
            self._paint_header(painter, font, message, flags, geometry.header)
            if geometry.reply is not None:
                self._paint_reply(painter, font, reply_author, geometry.reply)
            self._paint_text(painter, font, message, flags, text, geometry)
        finally:
            painter.restore()

    def _paint_bubble(self, painter: QPainter, option: QStyleOptionViewItem, message: ChatMessage,
                      geometry: ItemGeometry) -> None:
        fill = BUBBLE_COLOURS[message.kind]
        border = fill.darker(115)
        if message.status is DeliveryStatus.FAILED:
            border = FAILED_COLOUR
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            border = option.palette.highlight().color()
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(geometry.bubble).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)

    def _paint_header(self, painter: QPainter, font: QFont, message: ChatMessage, flags: ModerationFlags,
                      header: QRect) -> None:
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        small.setBold(True)
        small_metrics = QFontMetrics(small)
        x = header.left()
        # time, right-aligned
        painter.setFont(font)
        metrics = QFontMetrics(font)
        clock = self.clock(message.created_at)
        clock_width = metrics.horizontalAdvance(clock)
        painter.setPen(MUTED_COLOUR)
        painter.drawText(QRect(header.right() - clock_width, header.top(), clock_width, header.height()),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine), clock)
        right_limit = header.right() - clock_width - SPACING * 2
        for badge in self.badges(message, flags):
            width = small_metrics.horizontalAdvance(badge.text) + 2 * BADGE_PADDING
            if x + width > right_limit:
                break
            box = QRect(x, header.top() + 1, width, header.height() - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(badge.colour)
            painter.drawRoundedRect(QRectF(box), 4, 4)
            painter.setPen(QColor("white"))
            painter.setFont(small)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextSingleLine), badge.text)
            x += width + SPACING
        markers = self.markers(flags)
        marker_width = metrics.horizontalAdvance(markers) + SPACING if markers else 0
        bold = QFont(font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        author_room = max(0, right_limit - x - marker_width)
        author = bold_metrics.elidedText(one_line(message.author), Qt.TextElideMode.ElideRight, author_room)
        painter.setFont(bold)
        painter.setPen(TEXT_COLOUR)
        author_rect = QRect(x, header.top(), author_room, header.height())
        painter.drawText(author_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine), author)
        x += bold_metrics.horizontalAdvance(author) + SPACING
        if markers and x < right_limit:
            painter.setFont(font)
            painter.setPen(QUESTION_COLOUR if flags.starred else MUTED_COLOUR)
            painter.drawText(QRect(x, header.top(), right_limit - x, header.height()),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine), markers)

    def _paint_reply(self, painter: QPainter, font: QFont, reply_author: object, rect: QRect) -> None:
        italic = QFont(font)
        italic.setItalic(True)
        painter.setFont(italic)
        painter.setPen(MUTED_COLOUR)
        if isinstance(reply_author, str) and reply_author:
            line = self.tr("↪ in reply to %1").replace("%1", one_line(reply_author))
        else:
            line = self.tr("↪ in reply to an earlier message")
        line = QFontMetrics(italic).elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine), line)

    def _paint_text(self, painter: QPainter, font: QFont, message: ChatMessage, flags: ModerationFlags,
                    text: str, geometry: ItemGeometry) -> None:
        if message.is_deleted:
            font = QFont(font)
            font.setItalic(True)
            font.setStrikeOut(True)
        colour = TEXT_COLOUR
        if message.status is DeliveryStatus.PENDING or message.is_deleted or flags.excluded:
            colour = MUTED_COLOUR
        elif message.status is DeliveryStatus.FAILED:
            colour = FAILED_COLOUR
        layout, _height = lay_out(text, font, geometry.text.width())
        painter.setPen(colour)
        painter.setClipRect(geometry.bubble)
        layout.draw(painter, QPointF(geometry.text.topLeft()))
