"""Qt models over the chat log: a virtualised list model and the filter proxy of the chat window.

:class:`ChatListModel` owns no copy of the messages: ``rowCount``/``data`` read the
:class:`~desktop.chat.model.ChatLog` by index, so 10,000 or 200,000 rows cost the view only the
rows it paints.  The log tells the model what changed through its listener (appended, changed,
dropped, flags of many rows changed) and the model turns that into exactly the Qt notifications
a view and a proxy need.

Why the model keeps its own ``_count``: the log has already appended (or dropped) its rows when
it calls a listener, but Qt's contract is that ``rowCount`` only changes between
``beginInsertRows`` and ``endInsertRows``; the model therefore reports the rows it has
*announced*, never more.

:class:`ChatFilterProxy` applies a :class:`~desktop.chat.filters.ChatFilter` (view + search) in
``filterAcceptsRow``; the window debounces the search box before calling
:meth:`ChatFilterProxy.set_filter`.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from desktop.chat.filters import ChatFilter
from desktop.chat.message import ChatMessage, ModerationFlags
from desktop.chat.model import ChatLog

logger = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex


class ChatRole(enum.IntEnum):
    """Custom data roles of :class:`ChatListModel` (``Qt.DisplayRole`` is the raw text)."""

    MESSAGE = Qt.ItemDataRole.UserRole + 1  # the ChatMessage itself
    FLAGS = Qt.ItemDataRole.UserRole + 2  # its ModerationFlags
    KIND = Qt.ItemDataRole.UserRole + 3  # MessageKind value (str)
    AUTHOR = Qt.ItemDataRole.UserRole + 4
    TEXT = Qt.ItemDataRole.UserRole + 5  # the text exactly as received (never interpreted)
    TIME = Qt.ItemDataRole.UserRole + 6  # aware datetime
    IS_QUESTION = Qt.ItemDataRole.UserRole + 7
    STARRED = Qt.ItemDataRole.UserRole + 8
    ANSWERED = Qt.ItemDataRole.UserRole + 9
    HIDDEN = Qt.ItemDataRole.UserRole + 10  # hidden, muted author or blocked word
    STATUS = Qt.ItemDataRole.UserRole + 11  # DeliveryStatus value: delivered / pending / failed
    REPLY_TO = Qt.ItemDataRole.UserRole + 12  # id of the message answered, or None
    REPLY_TO_AUTHOR = Qt.ItemDataRole.UserRole + 13  # its author, when still in the log
    MESSAGE_ID = Qt.ItemDataRole.UserRole + 14
    DELETED = Qt.ItemDataRole.UserRole + 15


_ROLE_NAMES = {int(role): role.name.lower().encode() for role in ChatRole}


class ChatListModel(QAbstractListModel):
    """A read-only list model over one :class:`ChatLog` (see the module docstring).

    Args:
        log: the chat log to show; the model listens to it until :meth:`close`.
    """

    def __init__(self, log: ChatLog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log = log
        self._count = len(log)
        self._remove_listener: Callable[[], None] | None = log.add_listener(
            self._appended, self._changed, self._dropped, self._changed_all)

    def close(self) -> None:
        """Stop following the log (the window calls it when it is destroyed)."""
        if self._remove_listener is not None:
            self._remove_listener()
            self._remove_listener = None

    # -- Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._count

    def roleNames(self) -> dict[int, Any]:
        names: dict[int, Any] = dict(super().roleNames())
        names.update(_ROLE_NAMES)
        return names

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < self._count:
            return None
        message = self.log[row]
        if role == Qt.ItemDataRole.DisplayRole or role == ChatRole.TEXT:
            return message.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return None  # a tooltip would be another place to render hostile text
        if role == ChatRole.MESSAGE:
            return message
        if role == ChatRole.MESSAGE_ID:
            return message.id
        if role == ChatRole.KIND:
            return message.kind.value
        if role == ChatRole.AUTHOR:
            return message.author
        if role == ChatRole.TIME:
            return message.created_at
        if role == ChatRole.IS_QUESTION:
            return message.is_question
        if role == ChatRole.STATUS:
            return message.status.value
        if role == ChatRole.REPLY_TO:
            return message.reply_to
        if role == ChatRole.REPLY_TO_AUTHOR:
            target = self.log.get(message.reply_to) if message.reply_to else None
            return None if target is None else target.author
        if role == ChatRole.DELETED:
            return message.is_deleted
        if role in (ChatRole.FLAGS, ChatRole.STARRED, ChatRole.ANSWERED, ChatRole.HIDDEN):
            flags = self.log.flags(message)
            if role == ChatRole.FLAGS:
                return flags
            if role == ChatRole.STARRED:
                return flags.starred
            if role == ChatRole.ANSWERED:
                return flags.answered
            return flags.excluded
        return None

    # -- direct access (the proxy and the window, no QVariant round trip) ----------------------
    def message_at(self, row: int) -> ChatMessage:
        return self.log[row]

    def flags_at(self, row: int) -> ModerationFlags:
        return self.log.flags(self.log[row])

    def row_of(self, message_id: str) -> int | None:
        row = self.log.index_of(message_id)
        return row if row is not None and row < self._count else None

    # -- log listener ---------------------------------------------------------------------------
    def _appended(self, first: int, count: int) -> None:
        if count <= 0:
            return
        # the log may have announced rows past what we know if a notification was missed; Qt
        # needs contiguous inserts, so insert from our own end
        first = min(first, self._count)
        last = len(self.log) - 1
        if last < first:
            return
        self.beginInsertRows(QModelIndex(), first, last)
        self._count = last + 1
        self.endInsertRows()

    def _changed(self, row: int) -> None:
        if 0 <= row < self._count:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def _dropped(self, count: int) -> None:
        count = min(count, self._count)
        if count <= 0:
            return
        self.beginRemoveRows(QModelIndex(), 0, count - 1)
        self._count -= count
        self.endRemoveRows()

    def _changed_all(self) -> None:
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, 0))


class ChatFilterProxy(QSortFilterProxyModel):
    """Shows the rows of a :class:`ChatListModel` that a :class:`ChatFilter` accepts.

    Attributes:
        chat_filter: the filter in force.
    """

    def __init__(self, source: ChatListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chat_filter = ChatFilter()
        self._chat_source = source
        # re-filter a row when its flags change (starred, hidden, muted...)
        self.setDynamicSortFilter(True)
        self.setSourceModel(source)

    @property
    def chat_model(self) -> ChatListModel:
        return self._chat_source

    def set_filter(self, chat_filter: ChatFilter) -> None:
        if chat_filter == self.chat_filter:
            return
        self.beginFilterChange()
        self.chat_filter = chat_filter
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        source = self._chat_source
        if not 0 <= source_row < source.rowCount():
            return False
        message = source.message_at(source_row)
        return self.chat_filter.matches(message, source.log.flags(message))

    def message_at(self, row: int) -> ChatMessage:
        """The message of proxy row ``row``."""
        return self._chat_source.message_at(self.mapToSource(self.index(row, 0)).row())

    def proxy_row_of(self, message_id: str) -> int | None:
        """The proxy row showing ``message_id``, or None when filtered out (or unknown)."""
        source_row = self._chat_source.row_of(message_id)
        if source_row is None:
            return None
        index = self.mapFromSource(self._chat_source.index(source_row, 0))
        return index.row() if index.isValid() else None



class RecentRowsProxy(QAbstractProxyModel):
    """The newest ``limit`` rows of its source (older ones on request): what the chat view shows.

    Why: Qt's QListView lays out *every* row again after each insert (qlistview.cpp:
    ``rowsInserted`` clears the layout: "be smarter about inserted items"), asking the delegate
    for each row's size — a Python call per row.  Over a whole chat history that made each new
    message cost more than the one before (measured offscreen: 24 ms of CPU per message with
    500 messages shown, 60 ms with 2,000, 190 ms with 8,000; a 20 msg/s chat saturated a core
    after a few minutes).  The view therefore shows a window of the newest rows; when it grows
    ``slack`` rows past ``limit``, the oldest leave it in one step, and scrolling to the top
    brings older rows back (:meth:`show_older`).  Filters still apply to the whole history
    (the source is the :class:`ChatFilterProxy`).

    Appends at the end become row inserts; anything else the source does (a filter change, a
    flag change that hides a row, the log dropping its oldest rows) resets the window, which
    costs one layout of at most ``limit`` rows.
    """

    def __init__(self, source: QAbstractItemModel, parent: QObject | None = None, *,
                 limit: int = 300, slack: int = 100) -> None:
        super().__init__(parent)
        self.limit = max(1, limit)
        self.slack = max(1, slack)
        self._offset = 0
        self._resetting = False
        self._appending = False
        self.setSourceModel(source)
        source.rowsAboutToBeInserted.connect(self._about_to_insert)
        source.rowsInserted.connect(self._inserted)
        source.dataChanged.connect(self._data_changed)
        for about, done in ((source.rowsAboutToBeRemoved, source.rowsRemoved),
                            (source.modelAboutToBeReset, source.modelReset),
                            (source.layoutAboutToBeChanged, source.layoutChanged),
                            (source.rowsAboutToBeMoved, source.rowsMoved)):
            about.connect(self._begin_reset)
            done.connect(self._end_reset)
        self._offset = self._default_offset()

    @property
    def hidden_rows(self) -> int:
        """Source rows older than the window (0 when everything is shown)."""
        return self._offset

    def show_older(self, count: int) -> int:
        """Bring up to ``count`` older rows into the window; returns how many came."""
        count = min(max(0, count), self._offset)
        if count:
            self.beginInsertRows(QModelIndex(), 0, count - 1)
            self._offset -= count
            self.endInsertRows()
        return count

    def show_source_row(self, source_row: int) -> None:
        """Make sure the window reaches back to ``source_row``."""
        if source_row < self._offset:
            self.show_older(self._offset - source_row)

    # -- QAbstractProxyModel ---------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        source = self.sourceModel()
        if parent.isValid() or source is None:
            return 0
        return max(0, source.rowCount() - self._offset)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def index(self, row: int, column: int = 0, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or column != 0 or not 0 <= row < self.rowCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def mapToSource(self, proxy_index: AnyIndex) -> QModelIndex:
        source = self.sourceModel()
        if not proxy_index.isValid() or source is None:
            return QModelIndex()
        return source.index(proxy_index.row() + self._offset, 0)

    def mapFromSource(self, source_index: AnyIndex) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        return self.index(source_index.row() - self._offset, 0)

    # -- source notifications -------------------------------------------------------------
    def _default_offset(self) -> int:
        source = self.sourceModel()
        return max(0, source.rowCount() - self.limit) if source is not None else 0

    def _about_to_insert(self, parent: AnyIndex, first: int, last: int) -> None:
        if self._resetting:
            return
        if first >= self.sourceModel().rowCount():  # appended at the end: the usual case
            self._appending = True
            self.beginInsertRows(QModelIndex(), first - self._offset, last - self._offset)
        else:
            self._begin_reset()

    def _inserted(self, parent: AnyIndex, first: int, last: int) -> None:
        if self._appending:
            self._appending = False
            self.endInsertRows()
            shown = self.rowCount()
            if shown > self.limit + self.slack:
                excess = shown - self.limit
                self.beginRemoveRows(QModelIndex(), 0, excess - 1)
                self._offset += excess
                self.endRemoveRows()
        elif self._resetting:
            self._end_reset()

    def _begin_reset(self, *_args: object) -> None:
        if not self._resetting:
            self._resetting = True
            self.beginResetModel()

    def _end_reset(self, *_args: object) -> None:
        if self._resetting:
            self._offset = self._default_offset()
            self._resetting = False
            self.endResetModel()

    def _data_changed(self, top_left: AnyIndex, bottom_right: AnyIndex, roles: Any = ()) -> None:
        first = max(top_left.row() - self._offset, 0)
        last = bottom_right.row() - self._offset
        if last >= first and last >= 0:
            self.dataChanged.emit(self.index(first, 0), self.index(min(last, self.rowCount() - 1), 0))
