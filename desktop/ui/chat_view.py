"""The chat list widget: a scroll area that paints only the rows under its viewport.

Why not a ``QListView``: Qt's list view lays out *every* row again after each insert
(qlistview.cpp, ``rowsInserted`` → ``doDelayedItemsLayout``), asking the delegate for each row's
size — a Python call per row, through the model and every proxy.  Over a live chat that made
each message cost more than the one before (12 ms of CPU per message at 20 msg/s with a 300-row
window in the soak of issue 14).  Here the rows' heights live in a Fenwick tree
(:class:`~desktop.ui.chat_heights.HeightIndex`, held by :class:`~desktop.ui.chat_rows.ChatRows`),
so finding what to paint is O(log n) whatever the history, an insert costs O(log n), and a
paint touches the 10–20 rows on screen.  The vertical scroll bar spans the whole filtered
history: wheel, drag and keys reach the oldest message directly.

The widget keeps the current message by id (it survives filters and the log's drops), paints it
selected, and gives the per-message actions (QActions with single-key shortcuts, see
:mod:`desktop.ui.chat_actions`) the keys the shortcut system did not see.

Screen readers see the rows on screen as the items of a list, the current one selected and
focused (:mod:`desktop.ui.chat_access`).

``paint_probe`` (None by default) is called after each paint with the first and last row
painted: the benchmark's "arrival → painted" clock.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QWidget

from desktop.chat.message import ChatMessage
from desktop.chat.model import ChatLog
from desktop.ui import chat_access, theme
from desktop.ui.chat_painter import ChatRowPainter
from desktop.ui.chat_rows import ChatRows

MIN_WIDTH = 120


class ChatView(QAbstractScrollArea):
    """The message list (see the module docstring).

    Args:
        log: the chat log shown (through a :class:`ChatRows` the view owns).

    Attributes:
        rows: the filtered rows and their heights.
        painter: measures and paints one row.
        paint_probe: ``probe(first_row, last_row)`` after each paint, or None.
        paints: paint events handled (for tests and the benchmark).
        accessible_rows: the rows' accessible interfaces (:mod:`desktop.ui.chat_access`).

    Signals:
        current_changed: the current message changed (or was cleared).
        layout_done: the scroll range was set after a pass of :attr:`rows` (rows in, out, resized).
    """

    current_changed = Signal()
    layout_done = Signal()

    def __init__(self, log: ChatLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.viewport().setAutoFillBackground(True)
        self.painter = ChatRowPainter(self.font())
        self._width = self._row_width()
        self.rows = ChatRows(log, self._estimate, self._measure, self)
        self.rows.flushed.connect(self._rows_flushed)
        self._current_id: str | None = None
        self.paint_probe: Callable[[int, int], None] | None = None
        self.paints = 0
        self._range_pending = False
        self._stale = False
        self._known_total = 0
        self.update_range()
        theme.on_scheme_change(self, self._recolour)
        chat_access.install_factory()
        self.accessible_rows = chat_access.RowInterfaces(self)

    def close_rows(self) -> None:
        self.rows.close()

    # -- heights ----------------------------------------------------------------------------------
    def _row_width(self) -> int:
        return max(MIN_WIDTH, self.viewport().width())

    def _estimate(self, message: ChatMessage) -> int:
        return self.painter.estimate_height(message, self._width)

    def _measure(self, message: ChatMessage) -> int:
        return self.painter.height(message, self._width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self._row_width()
        if width != self._width:
            self._width = width
            self.rows.reflow()
        self.update_range()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.painter.set_font(self.font())
            self.rows.reflow()
        elif event.type() == QEvent.Type.PaletteChange:
            self._recolour()

    def _recolour(self) -> None:
        """The scheme or the palette changed: paint with the new colours."""
        self.painter.forget_colours()
        self.viewport().update()

    def _rows_flushed(self, appended: int, other: bool) -> None:
        old_total = self._known_total
        self.update_range(repaint=other)
        if appended and not other:
            # rows came at the end: only the part of the viewport below the old end changes (a
            # following view then scrolls, which moves the painted pixels: scrollContentsBy)
            viewport = self.viewport()
            top = max(0, old_total - self.verticalScrollBar().value())
            if top < viewport.height():
                viewport.update(QRect(0, top, viewport.width(), viewport.height() - top))
        self.layout_done.emit()

    # -- scrolling --------------------------------------------------------------------------------
    def update_range(self, *, repaint: bool = True) -> None:
        """Set the scroll bar to the rows' total height (and repaint all, unless told not to)."""
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        total = self.rows.heights.total
        self._known_total = total
        bar.setRange(0, max(0, total - page))
        bar.setPageStep(max(1, page))
        bar.setSingleStep(max(1, self.painter.line_height * 3))
        if repaint:
            self.viewport().update()

    def measure_range(self, first: int, last: int) -> int:
        """Measure rows ``first..last`` for real; returns the total height change."""
        change = 0
        rows = self.rows
        for row in range(max(0, first), min(last, len(rows) - 1) + 1):
            change += rows.measure(row)
        return change

    def scroll_to_bottom(self) -> None:
        """Measure the last screen of rows for real, then show the end (the one way to the bottom)."""
        rows = self.rows
        heights = rows.heights
        count = len(rows)
        page = self.viewport().height()
        row, covered = count - 1, 0
        while row >= 0 and covered < page:
            rows.measure(row)
            covered += heights.height(row)
            row -= 1
        # rows measured here were never painted (painting measures first): no repaint needed
        # beyond what the scroll exposes
        self.update_range(repaint=False)
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def at_bottom(self, slack: int) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - slack

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        # move what is painted and repaint only the strip that comes into view
        self.viewport().scroll(0, dy)

    def ensure_visible(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        self.rows.measure(row)
        heights = self.rows.heights
        top, height = heights.top(row), heights.height(row)
        self.update_range()
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        if top < bar.value():
            bar.setValue(top)
        elif top + height > bar.value() + page:
            bar.setValue(top + height - page)

    # -- rows and points --------------------------------------------------------------------------
    def row_at(self, position: QPoint) -> int | None:
        """The row under ``position`` (viewport coordinates), or None."""
        rows = self.rows
        if not len(rows):
            return None
        y = position.y() + self.verticalScrollBar().value()
        if y < 0 or y >= rows.heights.total:
            return None
        return rows.heights.row_at(y)

    def row_rect(self, row: int) -> QRect:
        """Where ``row`` is, in viewport coordinates."""
        heights = self.rows.heights
        return QRect(0, heights.top(row) - self.verticalScrollBar().value(), self._width, heights.height(row))

    def visible_rows(self) -> range:
        rows = self.rows
        if not len(rows):
            return range(0)
        top = self.verticalScrollBar().value()
        heights = rows.heights
        first = heights.row_at(top)
        last = heights.row_at(top + self.viewport().height() - 1)
        return range(first, last + 1)

    # -- the current message ----------------------------------------------------------------------
    def current_message(self) -> ChatMessage | None:
        if self._current_id is None:
            return None
        row = self.rows.row_of(self._current_id)
        return None if row is None else self.rows.message_at(row)

    def current_row(self) -> int | None:
        return None if self._current_id is None else self.rows.row_of(self._current_id)

    def set_current_row(self, row: int | None) -> None:
        message_id = None if row is None or not 0 <= row < len(self.rows) else self.rows.message_at(row).id
        changed = message_id != self._current_id
        if changed:
            self._current_id = message_id
            self.current_changed.emit()
        if row is not None and message_id is not None:
            self.ensure_visible(row)
        self.viewport().update()
        if changed:
            chat_access.current_changed(self)  # a screen reader speaks the message

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            row = self.row_at(event.position().toPoint())
            if row is not None:
                self.set_current_row(row)
        super().mousePressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # reached with the keyboard and nothing selected: the newest message becomes current, so a
        # screen reader has a message to read and the single-key actions something to act on
        keyboard = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                    Qt.FocusReason.ShortcutFocusReason)
        if event.reason() in keyboard and self._current_id is None and len(self.rows):
            self.set_current_row(len(self.rows) - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # a per-message action whose shortcut the shortcut system did not see (inactive window)
        pressed = QKeySequence(event.keyCombination())
        for action in self.actions():
            if action.isEnabled() and not action.shortcut().isEmpty() and \
                    action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                return
        count = len(self.rows)
        current = self.current_row()
        key = event.key()
        if count and key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End):
            if key == Qt.Key.Key_Home:
                target = 0
            elif key == Qt.Key.Key_End or current is None:
                target = count - 1
            else:
                target = max(0, min(count - 1, current + (1 if key == Qt.Key.Key_Down else -1)))
            self.set_current_row(target)
            return
        super().keyPressEvent(event)

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        rows = self.rows
        self.paints += 1
        if not len(rows):
            return
        visible = self.visible_rows()
        if self.measure_range(visible.start, visible.stop - 1):
            # real heights replaced estimates: the rows below moved, and so does the range; what
            # was painted of them outside this event's rectangle (a scroll that moved pixels) is
            # stale and is painted again
            visible = self.visible_rows()
            self.measure_range(visible.start, visible.stop - 1)
            self._stale |= not event.rect().contains(self.viewport().rect())
            if not self._range_pending:
                self._range_pending = True
                QTimer.singleShot(0, self._deferred_range)
        painter = QPainter(self.viewport())
        try:
            painter.setFont(self.font())
            clip = event.rect()
            log = rows.log
            current = self._current_id
            highlight = self.palette().highlight().color()
            width = self._width
            heights = rows.heights
            offset = self.verticalScrollBar().value()
            for row in visible:
                rect = QRect(0, heights.top(row) - offset, width, heights.height(row))
                if not rect.intersects(clip):
                    continue
                message = rows.message_at(row)
                target = log.get(message.reply_to) if message.reply_to else None
                self.painter.paint(painter, rect, message, log.flags(message), selected=message.id == current,
                                   highlight=highlight, reply_author=None if target is None else target.author)
        finally:
            painter.end()
        if self.paint_probe is not None and len(visible):
            self.paint_probe(visible.start, visible.stop - 1)

    def _deferred_range(self) -> None:
        self._range_pending = False
        stale, self._stale = self._stale, False
        self.update_range(repaint=stale)
        self.layout_done.emit()
