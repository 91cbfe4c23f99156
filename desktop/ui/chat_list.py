"""The chat window's message list: the filtered rows, auto-scroll, "N new messages ↓" and unread.

Reading rules:

* auto-scroll follows the newest message while the list is at the bottom; scrolling up pauses
  it, and a "N new messages ↓" button counts what arrived meanwhile and jumps back;
* a message is *read* once the window is visible and following the bottom; the unread count
  (other people's visible messages after the read marker, as :meth:`ChatLog.unread_count`
  counts them) is emitted with ``unread_changed`` for the tray.

Its words are translated in the ``ChatWindow`` context (they were the window's before the split).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QListView, QPushButton, QWidget

from desktop.chat.filters import ChatFilter
from desktop.chat.message import ChatMessage, MessageKind
from desktop.chat.model import ChatLog
from desktop.ui.chat_delegate import ChatItemDelegate
from desktop.ui.chat_model import ChatFilterProxy, ChatListModel, RecentRowsProxy

FOLLOW_THRESHOLD_PX = 8
OLDER_ROWS_PER_SCROLL = 500


def counts_as_unread(message: ChatMessage, excluded: bool) -> bool:
    """Other people's visible messages count as unread (the log's default rule)."""
    return message.kind is not MessageKind.PRESENTER_ANSWER and not message.is_deleted and not excluded


class ChatListView(QListView):
    """The message list.

    Per-message actions are QActions with single-key shortcuts; when the shortcut system does
    not see a key (a window that is not active, a test), :meth:`keyPressEvent` triggers the
    matching action itself.  A key handled as a shortcut never reaches ``keyPressEvent``, so an
    action can't run twice.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setWordWrap(True)
        self.setSpacing(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        pressed = QKeySequence(event.keyCombination())
        for action in self.actions():
            if action.isEnabled() and not action.shortcut().isEmpty() and \
                    action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                return
        super().keyPressEvent(event)


class ChatList(QObject):
    """The list part of one chat window (see the module docstring).

    Args:
        log: the webinar's chat log.
        parent: the window; the widgets are its children, laid out by it.
        window_sees: whether the window is visible and not minimised now.

    Attributes:
        model, proxy, recent, view, delegate: the list.
        jump_button: "N new messages ↓" (visible while auto-scroll is paused).

    Signals:
        unread_changed(int): the unread count changed.
        current_changed: the current message changed.
    """

    unread_changed = Signal(int)
    current_changed = Signal()

    def __init__(self, log: ChatLog, parent: QWidget, window_sees: Callable[[], bool]) -> None:
        super().__init__(parent)
        self.log = log
        self._window_sees = window_sees
        self._following = True
        self._scroll_scheduled = False
        self._new_while_paused = 0
        self._unread = 0
        self.model = ChatListModel(log, self)
        self.proxy = ChatFilterProxy(self.model, self)
        # the view shows the newest rows of the filtered history (see RecentRowsProxy)
        self.recent = RecentRowsProxy(self.proxy, self)
        self.view = ChatListView(parent)
        self.delegate = ChatItemDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.recent)
        self.jump_button = QPushButton(parent)
        self.jump_button.hide()
        self.jump_button.clicked.connect(self.jump_to_latest)

        bar = self.view.verticalScrollBar()
        bar.rangeChanged.connect(self._range_changed)
        bar.valueChanged.connect(self._scrolled)
        self.proxy.rowsInserted.connect(self._proxy_rows_inserted)
        self.model.rowsInserted.connect(self._source_rows_inserted)
        self.model.dataChanged.connect(self._recount_unread)
        self.model.rowsRemoved.connect(self._recount_unread)
        self.view.selectionModel().currentChanged.connect(lambda *_args: self.current_changed.emit())
        self._recount_unread()

    def dispose(self) -> None:
        self.model.close()

    # -- filter -------------------------------------------------------------------------------
    def set_filter(self, chat_filter: ChatFilter) -> None:
        self.proxy.set_filter(chat_filter)
        if self._following:
            self.schedule_scroll()

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

    def _scrolled(self, value: int) -> None:
        bar = self.view.verticalScrollBar()
        if value == bar.minimum() and self.recent.hidden_rows:
            self.recent.show_older(OLDER_ROWS_PER_SCROLL)  # reached the top: older messages come
        at_bottom = value >= bar.maximum() - FOLLOW_THRESHOLD_PX
        if at_bottom == self._following:
            return
        self._following = at_bottom
        if at_bottom:
            self.caught_up()

    def schedule_scroll(self) -> None:
        """Scroll to the end once the current burst of rows is in (one scroll per burst, not per row)."""
        if not self._scroll_scheduled:
            self._scroll_scheduled = True
            QTimer.singleShot(0, self._scroll_if_following)

    def _scroll_if_following(self) -> None:
        self._scroll_scheduled = False
        if self._following:
            self.view.scrollToBottom()

    def _proxy_rows_inserted(self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        if self._following:
            self.schedule_scroll()
            return
        self._new_while_paused += last - first + 1
        self.jump_button.setText(QCoreApplication.translate(
            "ChatWindow", "%n new message(s) ↓", "", self._new_while_paused))
        self.jump_button.show()

    def _source_rows_inserted(self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        if self._window_sees() and self._following:
            self.log.mark_read()
            self._set_unread(0)
            return
        added = 0
        for row in range(first, last + 1):
            message = self.log[row]
            if counts_as_unread(message, self.log.flags(message).excluded):
                added += 1
        self._set_unread(self._unread + added)

    def _recount_unread(self, *_args: object) -> None:
        self._set_unread(self.log.unread_count())

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
        self.view.scrollToBottom()
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())
        self.caught_up()

    # -- the current message ------------------------------------------------------------------
    def current_message(self) -> ChatMessage | None:
        return self.message_of(self.view.currentIndex())

    def message_of(self, view_index: QModelIndex) -> ChatMessage | None:
        if not view_index.isValid():
            return None
        return self.proxy.message_at(self.recent.mapToSource(view_index).row())

    def select_message(self, message_id: str) -> bool:
        """Make ``message_id`` the current message (False when the current filter hides it)."""
        row = self.proxy.proxy_row_of(message_id)
        if row is None:
            return False
        self.recent.show_source_row(row)  # an older message comes back into the view first
        index = self.recent.mapFromSource(self.proxy.index(row, 0))
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return True

    def message_at_point(self, position: QPoint) -> ChatMessage | None:
        """The message under ``position`` (viewport coordinates), or None."""
        return self.message_of(self.view.indexAt(position))
