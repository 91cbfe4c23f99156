"""The chat window's message list: the filtered rows, auto-scroll, "N new messages ↓" and unread.

Reading rules:

* auto-scroll follows the newest message while the list is at the bottom; scrolling up pauses
  it, and a "N new messages ↓" button counts what arrived meanwhile and jumps back;
* a message is *read* once the window is visible and following the bottom; the unread count
  (other people's visible messages after the read marker, as :meth:`ChatLog.unread_count`
  counts them) is emitted with ``unread_changed`` for the tray.

Everything here runs once per pass of :class:`~desktop.ui.chat_rows.ChatRows` (at most one a
frame), never once per message: new rows are counted from the log's new range, and the view
scrolls to the bottom through one path (:meth:`ChatView.scroll_to_bottom`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from desktop.chat.filters import ChatFilter
from desktop.chat.message import ChatMessage, MessageKind
from desktop.chat.model import ChatLog
from desktop.ui.chat_view import ChatView

FOLLOW_THRESHOLD_PX = 8


def counts_as_unread(message: ChatMessage, excluded: bool) -> bool:
    """Other people's visible messages count as unread (the log's default rule)."""
    return message.kind is not MessageKind.PRESENTER_ANSWER and not message.is_deleted and not excluded


class ChatList(QObject):
    """The list part of one chat window (see the module docstring).

    Args:
        log: the webinar's chat log.
        parent: the window; the widgets are its children, laid out by it.
        window_sees: whether the window is visible and not minimised now.
        jump_text: the jump button's words for a count ("3 new messages ↓").

    Attributes:
        view: the list widget; ``rows``: its filtered rows.
        jump_button: "N new messages ↓" (visible while auto-scroll is paused).

    Signals:
        unread_changed(int): the unread count changed.
        current_changed: the current message changed.
    """

    unread_changed = Signal(int)
    current_changed = Signal()

    def __init__(self, log: ChatLog, parent: QWidget, window_sees: Callable[[], bool],
                 jump_text: Callable[[int], str]) -> None:
        super().__init__(parent)
        self.log = log
        self._window_sees = window_sees
        self._jump_text = jump_text
        self._following = True
        self._new_while_paused = 0
        self._unread = 0
        self.view = ChatView(log, parent)
        self.rows = self.view.rows
        self._scanned_upto = log.dropped_count + len(log)  # absolute: rows counted for unread
        self.jump_button = QPushButton(parent)
        self.jump_button.setAccessibleName(self.tr("Jump to the newest messages"))
        self.jump_button.setAccessibleDescription(self.tr("Scroll to the newest message and follow the chat again"))
        self.jump_button.hide()
        self.jump_button.clicked.connect(self.jump_to_latest)

        bar = self.view.verticalScrollBar()
        bar.rangeChanged.connect(self._range_changed)
        bar.valueChanged.connect(self._scrolled)
        self.rows.flushed.connect(self._flushed)
        self.view.layout_done.connect(self._laid_out)
        self.view.current_changed.connect(self.current_changed)
        self._set_unread(log.unread_count())

    def dispose(self) -> None:
        self.view.close_rows()

    # -- filter -------------------------------------------------------------------------------
    def set_filter(self, chat_filter: ChatFilter) -> None:
        self.rows.set_filter(chat_filter)

    # -- scrolling and unread -----------------------------------------------------------------
    @property
    def following(self) -> bool:
        """Auto-scroll is on (the list is at the bottom)."""
        return self._following

    @property
    def unread(self) -> int:
        return self._unread

    @property
    def new_while_paused(self) -> int:
        return self._new_while_paused

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self._following:
            self.view.verticalScrollBar().setValue(maximum)

    def _scrolled(self, _value: int) -> None:
        at_bottom = self.view.at_bottom(FOLLOW_THRESHOLD_PX)
        if at_bottom == self._following:
            return
        self._following = at_bottom
        if at_bottom:
            self.caught_up()

    def _laid_out(self) -> None:
        if self._following:
            self.view.scroll_to_bottom()

    def schedule_scroll(self) -> None:
        """Show the end now if following (after a show or a filter change)."""
        if self._following:
            self.view.scroll_to_bottom()

    def _flushed(self, appended: int, other: bool) -> None:
        if appended and not self._following:
            self._new_while_paused += appended
            text = self._jump_text(self._new_while_paused)
            self.jump_button.setText(text)
            self.jump_button.setAccessibleName(text.replace("↓", "").strip())  # no "downwards arrow"
            self.jump_button.show()
        log = self.log
        base, end = log.dropped_count, log.dropped_count + len(log)
        if self._window_sees() and self._following:
            log.mark_read()
            self._set_unread(0)
        elif other:
            self._set_unread(log.unread_count())
        else:
            added = 0
            for absolute in range(max(self._scanned_upto, base), end):
                message = log[absolute - base]
                if counts_as_unread(message, log.flags(message).excluded):
                    added += 1
            self._set_unread(self._unread + added)
        self._scanned_upto = end

    def caught_up(self) -> None:
        self._new_while_paused = 0
        self.jump_button.hide()
        if self._window_sees():
            self.log.mark_read()
            self._set_unread(0)

    def _set_unread(self, count: int) -> None:
        if count != self._unread:
            self._unread = count
            self.unread_changed.emit(count)

    def jump_to_latest(self) -> None:
        """Scroll to the newest message and resume auto-scroll."""
        self._following = True
        self.view.scroll_to_bottom()
        self.caught_up()

    # -- the current message ------------------------------------------------------------------
    def current_message(self) -> ChatMessage | None:
        return self.view.current_message()

    def message_at_point(self, position: QPoint) -> ChatMessage | None:
        """The message under ``position`` (viewport coordinates), or None."""
        row = self.view.row_at(position)
        return None if row is None else self.rows.message_at(row)

    def select_message(self, message_id: str) -> bool:
        """Make ``message_id`` the current message (False when the current filter hides it)."""
        if self.rows.pending:
            self.rows.flush()
        row = self.rows.row_of(message_id)
        if row is None:
            return False
        self.view.set_current_row(row)
        return True
