"""The audience chat window: a separate top-level window beside the console.

What it shows comes from one :class:`~desktop.chat.model.ChatLog` (through
:class:`~desktop.ui.chat_model.ChatListModel` and :class:`~desktop.ui.chat_model.ChatFilterProxy`,
painted by :class:`~desktop.ui.chat_delegate.ChatItemDelegate` as plain text); what it does goes
to the log's :class:`~desktop.chat.moderation.ModerationState` (star, answered, hide, mute,
blocked words) and to an :class:`AnswerService` — the webinar's
:class:`~desktop.chat.pipeline.ChatPipeline` — for answers.

Reading rules:

* auto-scroll follows the newest message while the list is at the bottom; scrolling up pauses
  it, and a "N new messages ↓" button counts what arrived meanwhile and jumps back;
* a message is *read* once the window is visible and following the bottom; the unread count
  (other people's visible messages after the read marker, as
  :meth:`ChatLog.unread_count` counts them) is emitted with ``unread_changed`` for the tray.

Answers: the reply box counts characters the way BBB does (UTF-16 units, 500 at most), Enter
sends and Shift+Enter starts a new line.  Replying to a message puts ``@First Last: `` in the box
and remembers the message; the pipeline adds that same quote when it sends, so the window strips
it first (and forgets the reply if the presenter deleted the quote).  The answer shows at once as
a pending row ("sending…") that turns into the real message when the chat source delivers it.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.bbb.client import CHAT_MESSAGE_MAX, java_length
from desktop.chat.classify import quote_reply
from desktop.chat.export import records, transcript_markdown, write_csv, write_json
from desktop.chat.filters import ChatFilter, View
from desktop.chat.message import ChatMessage, MessageKind
from desktop.chat.model import ChatLog
from desktop.chat.sinks import AnswerSink, SinkKind
from desktop.errors import PupitreError
from desktop.private_files import write_private_text
from desktop.ui.chat_delegate import ChatItemDelegate, one_line
from desktop.ui.chat_model import ChatFilterProxy, ChatListModel, RecentRowsProxy
from desktop.ui.chat_rules_dialog import ModerationRulesDialog
from desktop.ui.geometry import PreserveGeometry
from desktop.ui.labels import QT_TRANSLATE_NOOP
from desktop.ui.reflow import ReflowRow

logger = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 250
FOLLOW_THRESHOLD_PX = 8
OLDER_ROWS_PER_SCROLL = 500
_OTHERS = (MessageKind.AUDIENCE, MessageKind.PANELIST)

VIEW_LABELS: dict[View, str] = {
    View.ALL: QT_TRANSLATE_NOOP("ChatWindow", "All"),
    View.AUDIENCE: QT_TRANSLATE_NOOP("ChatWindow", "Audience"),
    View.QUESTIONS: QT_TRANSLATE_NOOP("ChatWindow", "Questions"),
    View.STARRED: QT_TRANSLATE_NOOP("ChatWindow", "Starred"),
    View.UNANSWERED: QT_TRANSLATE_NOOP("ChatWindow", "Unanswered"),
}


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSON = "json"
    MARKDOWN = "md"


class AnswerService(Protocol):
    """What the window needs to send answers (:class:`~desktop.chat.pipeline.ChatPipeline` is one)."""

    def available_sinks(self) -> Sequence[AnswerSink]: ...

    def default_sink(self) -> AnswerSink: ...

    async def answer(self, text: str, *, sink: AnswerSink | SinkKind | str | None = None,
                     reply_to: str | None = None) -> ChatMessage: ...


def counts_as_unread(message: ChatMessage, excluded: bool) -> bool:
    """Other people's visible messages count as unread (the log's default rule)."""
    return message.kind is not MessageKind.PRESENTER_ANSWER and not message.is_deleted and not excluded


class ReplyBox(QPlainTextEdit):
    """Multi-line answer editor: Enter sends, Shift+Enter inserts a line break.

    Signals:
        send_requested: Enter (or Ctrl+Enter) was pressed.
    """

    send_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            modifiers = event.modifiers()
            if modifiers & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
                return
            if not modifiers & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier):
                self.send_requested.emit()
                return
        super().keyPressEvent(event)


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
        # lay out big logs in steps so the window stays responsive while 10,000 rows are measured
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


class ChatWindow(PreserveGeometry, QWidget):
    """The chat of one webinar (see the module docstring).

    Args:
        log: the webinar's chat log (its ``moderation`` is used for per-message actions; without
            one, those actions are disabled).
        answers: where answers go (the webinar's ChatPipeline), or None for a read-only window.
        title: the webinar's title (window title, Markdown transcript title).
        parent: usually None: the window is top-level.

    Attributes:
        model, proxy, view, delegate: the list.
        view_buttons: View -> its filter button; search: the search box; show_hidden: toggle.
        jump_button: "N new messages ↓" (visible while auto-scroll is paused).
        reply_box, counter, sink_combo, send_button, reply_banner, error_label: the answer area.
        rules_button, export_button: moderation rules and export.
        actions: name -> QAction ("star", "answered", "hide", "mute", "copy", "reply").

    Signals:
        unread_changed(int): the unread count changed (for the tray tooltip).
        answer_sent(object): an answer was handed to its sink (the ChatMessage row).
        answer_failed(str): an answer could not be sent (the sentence shown).
    """

    geometry_key = "chat_window"
    unread_changed = Signal(int)
    answer_sent = Signal(object)
    answer_failed = Signal(str)

    def __init__(self, log: ChatLog, answers: AnswerService | None = None, *, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.log = log
        self.answers = answers
        self.webinar_title = title
        self._following = True
        self._scroll_scheduled = False
        self._new_while_paused = 0
        self._unread = 0
        self._reply_to: str | None = None
        self._reply_prefix = ""
        self._sending = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._sinks: list[AnswerSink] = []
        self.setWindowTitle(self.tr("Chat — %1").replace("%1", one_line(title)) if title else self.tr("Chat"))

        self.model = ChatListModel(log, self)
        self.proxy = ChatFilterProxy(self.model, self)
        # the view shows the newest rows of the filtered history (see RecentRowsProxy)
        self.recent = RecentRowsProxy(self.proxy, self)
        self.view = ChatListView(self)
        self.delegate = ChatItemDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.recent)

        self._build_toolbar()
        self._build_actions()
        self._build_answer_area()

        self.jump_button = QPushButton(self)
        self.jump_button.hide()
        self.jump_button.clicked.connect(self.jump_to_latest)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar)
        layout.addWidget(self.view, 1)
        jump_row = QHBoxLayout()
        jump_row.addWidget(self.status_label, 1)
        jump_row.addWidget(self.jump_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(jump_row)
        layout.addWidget(self.reply_banner)
        layout.addWidget(self.reply_box)
        layout.addLayout(self._send_row)
        layout.addWidget(self.error_label)

        bar = self.view.verticalScrollBar()
        bar.rangeChanged.connect(self._range_changed)
        bar.valueChanged.connect(self._scrolled)
        self.proxy.rowsInserted.connect(self._proxy_rows_inserted)
        self.model.rowsInserted.connect(self._source_rows_inserted)
        self.model.dataChanged.connect(self._recount_unread)
        self.model.rowsRemoved.connect(self._recount_unread)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().currentChanged.connect(self._update_actions)

        # a height floor only: the layout decides the minimum width, so nothing is cut off
        self.setMinimumHeight(420)
        if not self.restore_geometry():
            self.resize(460, 720)
        self.refresh_sinks()
        self._update_counter()
        self._update_actions()
        self._recount_unread()

    # -- building -----------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        self.view_group = QButtonGroup(self)
        self.view_group.setExclusive(True)
        self.view_buttons: dict[View, QToolButton] = {}
        # rows that become columns when the window is narrow or the strings long (reflow.py)
        views = ReflowRow(spacing=0)
        view_rows = (ReflowRow(spacing=0), ReflowRow(spacing=0))
        for row in view_rows:
            views.add_layout(row)
        for index, view in enumerate(View):
            button = QToolButton(self)
            button.setText(self.tr(VIEW_LABELS[view]))
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setChecked(view is View.ALL)
            button.clicked.connect(lambda _checked=False, v=view: self.set_view(v))
            self.view_group.addButton(button)
            self.view_buttons[view] = button
            view_rows[0 if index < 3 else 1].add_widget(button)
        views.add_stretch(1)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search authors and messages"))
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self.search_timer.start)
        self.show_hidden = QToolButton(self)
        self.show_hidden.setText(self.tr("Show hidden"))
        self.show_hidden.setCheckable(True)
        self.show_hidden.toggled.connect(self.apply_filter)
        self.rules_button = QPushButton(self.tr("Blocked words…"), self)
        self.rules_button.clicked.connect(self.open_rules)
        self.rules_button.setEnabled(self.log.moderation is not None)
        self.export_button = QPushButton(self.tr("Export"), self)
        export_menu = QMenu(self.export_button)
        for fmt, label in ((ExportFormat.CSV, self.tr("CSV (spreadsheet)…")),
                           (ExportFormat.JSON, self.tr("JSON…")),
                           (ExportFormat.MARKDOWN, self.tr("Markdown transcript…"))):
            action = export_menu.addAction(label)
            action.triggered.connect(lambda _checked=False, f=fmt: self.choose_export(f))
        self.export_button.setMenu(export_menu)

        tools = ReflowRow()
        tools.add_widget(self.show_hidden)
        tools.add_widget(self.rules_button)
        tools.add_widget(self.export_button)
        search_row = ReflowRow()
        search_row.add_widget(self.search, 1)
        search_row.add_layout(tools)
        self._toolbar = QVBoxLayout()
        self._toolbar.addLayout(views)
        self._toolbar.addLayout(search_row)

    def _build_actions(self) -> None:
        specs = (
            ("star", self.tr("Star"), "S"),
            ("answered", self.tr("Mark answered"), "A"),
            ("hide", self.tr("Hide"), "H"),
            ("mute", self.tr("Mute this author"), "M"),
            ("copy", self.tr("Copy text"), QKeySequence(QKeySequence.StandardKey.Copy).toString()),
            ("reply", self.tr("Reply"), "R"),
        )
        self.actions_by_name: dict[str, QAction] = {}
        for name, label, shortcut in specs:
            action = QAction(label, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _checked=False, n=name: self._act_on_current(n))
            self.view.addAction(action)
            self.actions_by_name[name] = action

    def _build_answer_area(self) -> None:
        self.reply_banner = QWidget(self)
        self.reply_label = QLabel(self.reply_banner)
        self.reply_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reply_label.setWordWrap(True)  # an author's name may be long
        cancel = QToolButton(self.reply_banner)
        cancel.setText("×")
        cancel.setToolTip(self.tr("Cancel the reply"))
        cancel.clicked.connect(self.cancel_reply)
        banner_layout = QHBoxLayout(self.reply_banner)
        banner_layout.setContentsMargins(0, 0, 0, 0)
        banner_layout.addWidget(self.reply_label, 1)
        banner_layout.addWidget(cancel)
        self.reply_banner.hide()

        self.reply_box = ReplyBox(self)
        self.reply_box.setPlaceholderText(self.tr("Answer the audience (Enter sends, Shift+Enter: new line)"))
        self.reply_box.setTabChangesFocus(True)
        metrics = self.reply_box.fontMetrics()
        self.reply_box.setFixedHeight(metrics.lineSpacing() * 4 + 12)
        self.reply_box.textChanged.connect(self._update_counter)
        self.reply_box.send_requested.connect(self.send)

        self.sink_combo = QComboBox(self)
        self.sink_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sink_combo.setMinimumContentsLength(16)
        self.sink_combo.setToolTip(self.tr("Where the answer is sent"))
        self.counter = QLabel(self)
        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.clicked.connect(self.send)
        self._send_row = QHBoxLayout()
        self._send_row.addWidget(self.sink_combo, 1)
        self._send_row.addWidget(self.counter)
        self._send_row.addWidget(self.send_button)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()

    # -- showing the window ---------------------------------------------------------------------
    def show_beside(self, console: QWidget | None) -> None:
        """Show the window; the first time (no remembered geometry), to the right of ``console``."""
        if console is not None and not self.restore_geometry():
            frame = console.frameGeometry()
            screen = console.screen() or QGuiApplication.primaryScreen()
            target = QPoint(frame.right() + 8, frame.top())
            if screen is not None:
                room = screen.availableGeometry()
                if target.x() + self.width() > room.right():
                    target.setX(max(room.left(), room.right() - self.width()))
                target.setY(max(room.top(), min(target.y(), room.bottom() - self.height())))
            self.move(target)
        self.show()
        self.raise_()
        self.activateWindow()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_sinks()
        if self._following:
            self._caught_up()
            self._schedule_scroll()

    def dispose(self) -> None:
        """Stop following the log (call before dropping the window for good)."""
        self.model.close()
        for task in list(self._tasks):
            task.cancel()

    # -- filters --------------------------------------------------------------------------------
    @property
    def current_view(self) -> View:
        for view, button in self.view_buttons.items():
            if button.isChecked():
                return view
        return View.ALL

    def set_view(self, view: View) -> None:
        self.view_buttons[view].setChecked(True)
        self.apply_filter()

    def apply_filter(self) -> None:
        """Apply the view, the search text and "show hidden" now (the search box debounces)."""
        self.search_timer.stop()
        self.proxy.set_filter(ChatFilter(self.current_view, self.search.text(), self.show_hidden.isChecked()))
        if self._following:
            self._schedule_scroll()

    # -- scrolling and unread -------------------------------------------------------------------
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
            self._caught_up()

    def _schedule_scroll(self) -> None:
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
            self._schedule_scroll()
            return
        self._new_while_paused += last - first + 1
        self.jump_button.setText(self.tr("%n new message(s) ↓", "", self._new_while_paused))
        self.jump_button.show()

    def _source_rows_inserted(self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        if self._sees_latest():
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

    def _sees_latest(self) -> bool:
        return self.isVisible() and not self.isMinimized() and self._following

    def _caught_up(self) -> None:
        self._new_while_paused = 0
        self.jump_button.hide()
        if self.isVisible() and not self.isMinimized():
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
        self._caught_up()

    # -- per-message actions --------------------------------------------------------------------
    def current_message(self) -> ChatMessage | None:
        return self._message_of(self.view.currentIndex())

    def _message_of(self, view_index: QModelIndex) -> ChatMessage | None:
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

    def _act_on_current(self, name: str) -> None:
        message = self.current_message()
        if message is not None:
            self.act(name, message.id)

    def act(self, name: str, message_id: str) -> None:
        """Run a per-message action ("star", "answered", "hide", "mute", "copy", "reply")."""
        message = self.log.get(message_id)
        if message is None:
            return
        moderation = self.log.moderation
        try:
            if name == "copy":
                self.copy_message(message)
            elif name == "reply":
                self.start_reply(message)
            elif moderation is None:
                return
            elif name == "star":
                moderation.set_starred(message.id, not self.log.flags(message).starred)
            elif name == "answered":
                moderation.set_answered(message.id, not self.log.flags(message).answered)
            elif name == "hide":
                moderation.set_hidden(message.id, not moderation.is_hidden(message.id))
            elif name == "mute" and message.kind in _OTHERS:
                if moderation.is_muted(message.author):
                    moderation.unmute_author(message.author)
                else:
                    moderation.mute_author(message.author)
        except PupitreError as error:
            self.show_error(error.sentence)
            return
        self._update_actions()

    def copy_message(self, message: ChatMessage) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(message.text)  # text/plain only: never HTML
        self.show_status(self.tr("Message copied."))

    def _update_actions(self, *_args: object) -> None:
        message = self.current_message()
        moderation = self.log.moderation
        for name, action in self.actions_by_name.items():
            enabled = message is not None
            if name in ("star", "answered", "hide", "mute"):
                enabled = enabled and moderation is not None
            if name == "mute":
                enabled = enabled and message is not None and message.kind in _OTHERS
            if name == "reply":
                enabled = enabled and self.answers is not None and message is not None and message.kind in _OTHERS
            action.setEnabled(enabled)
        if message is None or moderation is None:
            return
        flags = self.log.flags(message)
        self.actions_by_name["star"].setText(self.tr("Unstar") if flags.starred else self.tr("Star"))
        self.actions_by_name["answered"].setText(
            self.tr("Mark unanswered") if flags.answered else self.tr("Mark answered"))
        self.actions_by_name["hide"].setText(self.tr("Show again") if moderation.is_hidden(message.id) else self.tr("Hide"))
        self.actions_by_name["mute"].setText(
            self.tr("Unmute this author") if moderation.is_muted(message.author) else self.tr("Mute this author"))

    def context_menu_for(self, message_id: str) -> QMenu:
        """The menu of one message (what a right click shows)."""
        self.select_message(message_id)
        self._update_actions()
        menu = QMenu(self)
        for name in ("reply", "star", "answered", "hide", "mute", "copy"):
            menu.addAction(self.actions_by_name[name])
        return menu

    def _context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        message = self._message_of(index)
        if message is None:
            return
        menu = self.context_menu_for(message.id)
        menu.exec(self.view.viewport().mapToGlobal(position))
        menu.deleteLater()

    def open_rules(self) -> ModerationRulesDialog | None:
        """Open the blocked words / muted authors dialog (non-modal); returns it."""
        if self.log.moderation is None:
            return None
        dialog = ModerationRulesDialog(self.log.moderation, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        return dialog

    # -- replying -------------------------------------------------------------------------------
    def start_reply(self, message: ChatMessage) -> None:
        """Put ``@First Last: `` in the reply box and remember which message is answered."""
        prefix = quote_reply(message.author, "")
        body = self._body_after_prefix(self.reply_box.toPlainText())
        self._reply_to = message.id
        self._reply_prefix = prefix
        self.reply_box.setPlainText(prefix + body)
        cursor = self.reply_box.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.reply_box.setTextCursor(cursor)
        self.reply_label.setText(self.tr("Replying to %1").replace("%1", one_line(message.author)))
        self.reply_banner.show()
        self.reply_box.setFocus()

    def cancel_reply(self) -> None:
        body = self._body_after_prefix(self.reply_box.toPlainText())
        self._reply_to = None
        self._reply_prefix = ""
        self.reply_box.setPlainText(body)
        self.reply_banner.hide()

    @property
    def reply_to(self) -> str | None:
        return self._reply_to

    def _body_after_prefix(self, text: str) -> str:
        prefix = self._reply_prefix.rstrip()
        if prefix and text.lstrip().startswith(prefix):
            return text.lstrip()[len(prefix):].lstrip()
        return text

    def outgoing_text(self) -> str:
        """What will be sent, as the chat will show it (quote included)."""
        return self.reply_box.toPlainText().strip()

    def _update_counter(self) -> None:
        length = java_length(self.outgoing_text())
        self.counter.setText(f"{length}/{CHAT_MESSAGE_MAX}")
        too_long = length > CHAT_MESSAGE_MAX
        self.counter.setStyleSheet("color: #c62828; font-weight: bold;" if too_long else "")
        self.counter.setProperty("too_long", too_long)
        self._update_send_button()
        if self._reply_to is not None and not self.outgoing_text().startswith(self._reply_prefix.rstrip()):
            # the presenter deleted the quote: it is no longer a reply
            self._reply_to = None
            self._reply_prefix = ""
            self.reply_banner.hide()

    def _update_send_button(self) -> None:
        length = java_length(self.outgoing_text())
        can = (self.answers is not None and bool(self._sinks) and not self._sending
               and 0 < length <= CHAT_MESSAGE_MAX)
        self.send_button.setEnabled(can)

    # -- sinks ----------------------------------------------------------------------------------
    def refresh_sinks(self) -> None:
        """Re-read the sinks usable now (call when the chat connects or a gateway starts/stops)."""
        previous = self.selected_sink_kind()
        self._sinks = list(self.answers.available_sinks()) if self.answers is not None else []
        self.sink_combo.blockSignals(True)
        self.sink_combo.clear()
        for sink in self._sinks:
            self.sink_combo.addItem(sink.describe(), str(sink.kind))
        if not self._sinks:
            self.sink_combo.addItem(self.tr("No way to send answers right now") if self.answers is not None
                                    else self.tr("Answers are not available for this chat"), None)
        elif previous is not None:
            found = self.sink_combo.findData(previous)
            if found >= 0:
                self.sink_combo.setCurrentIndex(found)
        self.sink_combo.setEnabled(bool(self._sinks))
        self.sink_combo.blockSignals(False)
        self.reply_box.setReadOnly(self.answers is None)
        self._update_send_button()

    def selected_sink_kind(self) -> str | None:
        data = self.sink_combo.currentData() if self.sink_combo.count() else None
        return data if isinstance(data, str) else None

    # -- sending --------------------------------------------------------------------------------
    def send(self) -> None:
        """Send the reply box's text through the chosen sink (Enter in the box does the same)."""
        if self.answers is None or self._sending:
            return
        text = self.outgoing_text()
        length = java_length(text)
        if length == 0:
            return
        if length > CHAT_MESSAGE_MAX:
            self.show_error(self.tr("The answer is %1 characters long; the chat accepts at most %2.")
                            .replace("%1", str(length)).replace("%2", str(CHAT_MESSAGE_MAX)))
            return
        reply_to = self._reply_to
        body = text
        if reply_to is not None:
            body = self._body_after_prefix(text).strip()
            if not body:
                self.show_error(self.tr("Write the answer after the quote."))
                return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.show_error(self.tr("Answers can't be sent right now (the application is not running its network loop)."))
            return
        self._sending = True
        self._update_send_button()
        self.clear_error()
        self.reply_box.clear()
        self.cancel_reply()
        task = loop.create_task(self._send(body, self.selected_sink_kind(), reply_to, text))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, body: str, sink: str | None, reply_to: str | None, typed: str) -> None:
        assert self.answers is not None
        try:
            message = await self.answers.answer(body, sink=sink, reply_to=reply_to)
        except PupitreError as error:
            self._send_failed(error.sentence, typed, reply_to)
        except Exception:  # a bug must not kill the window; the log has the details
            logger.exception("sending an answer failed unexpectedly")
            self._send_failed(self.tr("The answer could not be sent because of an unexpected error."), typed, reply_to)
        else:
            self.answer_sent.emit(message)
        finally:
            self._sending = False
            self._update_send_button()

    def _send_failed(self, sentence: str, typed: str, reply_to: str | None) -> None:
        self.show_error(sentence)
        if not self.reply_box.toPlainText().strip():
            # give the text back so the presenter can retry or shorten it
            target = self.log.get(reply_to) if reply_to else None
            if target is not None:
                self.start_reply(target)
            self.reply_box.setPlainText(typed)
        self.answer_failed.emit(sentence)

    # -- messages to the presenter ------------------------------------------------------------
    def show_error(self, sentence: str) -> None:
        self.error_label.setText(sentence)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def show_status(self, sentence: str) -> None:
        self.status_label.setText(sentence)
        self.status_label.show()

    # -- export ---------------------------------------------------------------------------------
    def choose_export(self, fmt: ExportFormat) -> Path | None:
        """Ask where to save, then export; returns the file written (None if cancelled or failed)."""
        filters = {
            ExportFormat.CSV: self.tr("CSV files (*.csv)"),
            ExportFormat.JSON: self.tr("JSON files (*.json)"),
            ExportFormat.MARKDOWN: self.tr("Markdown files (*.md)"),
        }
        suggested = f"chat.{fmt.value}"
        path, _selected = QFileDialog.getSaveFileName(self, self.tr("Export the chat"), suggested, filters[fmt])
        if not path:
            return None
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(f".{fmt.value}")
        return target if self.export_to(target, fmt) else None

    def export_to(self, path: Path, fmt: ExportFormat) -> bool:
        """Write the chat to ``path``; the outcome is shown in one sentence."""
        try:
            if fmt is ExportFormat.CSV:
                rows = records(self.log)
                write_csv(path, rows)
            elif fmt is ExportFormat.JSON:
                rows = records(self.log)
                write_json(path, rows)
            else:
                rows = records(self.log)
                text = transcript_markdown(self.log, self.webinar_title or self.tr("Webinar chat"))
                write_private_text(path, text)
        except OSError as error:
            self.show_error(self.tr("The chat could not be written to %1 (%2).")
                            .replace("%1", str(path)).replace("%2", error.strerror or type(error).__name__))
            return False
        self.clear_error()
        self.show_status(self.tr("%n message(s) exported to %1.", "", len(rows)).replace("%1", path.name))
        return True
