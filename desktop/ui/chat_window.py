"""The audience chat window: a separate top-level window beside the console.

It puts together parts that each do one job:

* :mod:`desktop.ui.chat_list`: the message list — filtered rows, auto-scroll, "N new
  messages ↓", unread count and the current message;
* :mod:`desktop.ui.chat_actions`: star, answered, hide, mute, copy, reply on the current message
  (the log's :class:`~desktop.chat.moderation.ModerationState`), and the blocked-words dialog;
* :mod:`desktop.ui.chat_composer`: the reply box, its counter, the sink choice and sending through
  an :class:`~desktop.ui.chat_composer.AnswerService` — the webinar's
  :class:`~desktop.chat.pipeline.ChatPipeline`;
* :mod:`desktop.ui.chat_export`: CSV, JSON and Markdown exports (written off the GUI thread).

The window itself holds the filter bar (views, search, "show hidden"), the lay-out and the
keyboard: the chat shortcuts of :mod:`desktop.ui.shortcuts` (answer box, messages, search; the
per-message keys live on the list), F1 for the table, and a Tab order in reading order.  Every
control has an accessible name and description; the messages themselves reach screen readers
through :mod:`desktop.ui.chat_access`.
"""

from __future__ import annotations

import logging
import threading
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.chat.filters import ChatFilter, View
from desktop.chat.message import ChatMessage
from desktop.chat.model import ChatLog
from desktop.ui import announce, shortcuts
from desktop.ui.chat_actions import ModerationActions
from desktop.ui.chat_composer import AnswerService, ReplyBox, ReplyComposer
from desktop.ui.chat_export import (
    ExportFormat,
    ExportJob,
    ExportOutcome,
    ask_export_path,
    prepare_export,
)
from desktop.ui.chat_list import ChatList, counts_as_unread
from desktop.ui.chat_painter import one_line
from desktop.ui.chat_rules_dialog import ModerationRulesDialog
from desktop.ui.geometry import PreserveGeometry
from desktop.ui.labels import QT_TRANSLATE_NOOP
from desktop.ui.reflow import ReflowRow
from desktop.ui.shortcuts import Scope

__all__ = ["AnswerService", "ChatWindow", "ExportFormat", "ReplyBox", "counts_as_unread"]

logger = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 250

VIEW_LABELS: dict[View, str] = {
    View.ALL: QT_TRANSLATE_NOOP("ChatWindow", "All"),
    View.AUDIENCE: QT_TRANSLATE_NOOP("ChatWindow", "Audience"),
    View.QUESTIONS: QT_TRANSLATE_NOOP("ChatWindow", "Questions"),
    View.STARRED: QT_TRANSLATE_NOOP("ChatWindow", "Starred"),
    View.UNANSWERED: QT_TRANSLATE_NOOP("ChatWindow", "Unanswered"),
}
VIEW_DESCRIPTIONS: dict[View, str] = {
    View.ALL: QT_TRANSLATE_NOOP("ChatWindow", "Show every message"),
    View.AUDIENCE: QT_TRANSLATE_NOOP("ChatWindow", "Show only the audience's messages"),
    View.QUESTIONS: QT_TRANSLATE_NOOP("ChatWindow", "Show only the questions"),
    View.STARRED: QT_TRANSLATE_NOOP("ChatWindow", "Show only the starred messages"),
    View.UNANSWERED: QT_TRANSLATE_NOOP("ChatWindow", "Show only the questions not answered yet"),
}


class ChatWindow(PreserveGeometry, QWidget):
    """The chat of one webinar (see the module docstring).

    Args:
        log: the webinar's chat log (its ``moderation`` is used for per-message actions; without
            one, those actions are disabled).
        answers: where answers go (the webinar's ChatPipeline), or None for a read-only window.
        title: the webinar's title (window title, Markdown transcript title).
        parent: usually None: the window is top-level.

    Attributes:
        message_list: the message list (:class:`~desktop.ui.chat_list.ChatList`); ``view`` is its
            widget, ``rows`` its filtered rows.
        moderation_actions: the per-message actions; ``actions_by_name``: name -> QAction.
        composer: the answer area; ``reply_box``, ``counter``, ``sink_combo``, ``send_button``,
            ``reply_banner``, ``error_label`` are its widgets.
        view_buttons: View -> its filter button; search: the search box; show_hidden: toggle.
        jump_button: "N new messages ↓" (visible while auto-scroll is paused).
        rules_button, export_button: moderation rules and export.
        shortcut_actions: the window's chat shortcuts by id; help_action: F1.

    Signals:
        unread_changed(int): the unread count changed (for the tray tooltip).
        answer_sent(object): an answer was handed to its sink (the ChatMessage row).
        answer_failed(str): an answer could not be sent (the sentence shown).
        export_finished(object): an export started by :meth:`choose_export` ended (ExportOutcome).
    """

    geometry_key = "chat_window"
    unread_changed = Signal(int)
    answer_sent = Signal(object)
    answer_failed = Signal(str)
    export_finished = Signal(object)

    def __init__(self, log: ChatLog, answers: AnswerService | None = None, *, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.log = log
        self.answers = answers
        self.webinar_title = title
        self.setWindowTitle(self.tr("Chat — %1").replace("%1", one_line(title)) if title else self.tr("Chat"))

        self.message_list = ChatList(log, self, self._window_sees,
                                     lambda count: self.tr("%n new message(s) ↓", "", count))
        self.view = self.message_list.view
        self.rows = self.message_list.rows
        self.jump_button = self.message_list.jump_button
        self.composer = ReplyComposer(log, answers, self)
        self.reply_banner, self.reply_box = self.composer.reply_banner, self.composer.reply_box
        self.sink_combo, self.counter = self.composer.sink_combo, self.composer.counter
        self.send_button, self.error_label = self.composer.send_button, self.composer.error_label
        self.moderation_actions = ModerationActions(
            log, self.view, current=self.message_list.current_message,
            reply=self.composer.start_reply if answers is not None else None,
            show_error=self.show_error, show_status=self.show_status)
        self.actions_by_name = self.moderation_actions.by_name
        self._build_toolbar()
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
        layout.addLayout(self.composer.send_row)
        layout.addWidget(self.error_label)

        self._name_controls()
        self._set_tab_order()
        self.shortcut_actions = shortcuts.install(self, Scope.CHAT, {
            "focus_answer": self.focus_answer, "focus_messages": self.focus_messages,
            "focus_search": self.focus_search})
        self.help_action = shortcuts.install_help(self)

        self.message_list.unread_changed.connect(self.unread_changed)
        self.message_list.current_changed.connect(self.moderation_actions.update)
        self.composer.answer_sent.connect(self.answer_sent)
        self.composer.answer_failed.connect(self.answer_failed)
        self.export_finished.connect(self._export_finished)
        self.view.customContextMenuRequested.connect(self._context_menu)

        # a height floor only: the layout decides the minimum width, so nothing is cut off
        self.setMinimumHeight(420)
        if not self.restore_geometry():
            self.resize(460, 720)
        self.moderation_actions.update()

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
            button.setToolTip(self.tr(VIEW_DESCRIPTIONS[view]))
            button.setAccessibleDescription(self.tr(VIEW_DESCRIPTIONS[view]))
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

    def _name_controls(self) -> None:
        """An accessible name and description for every control (what a screen reader says)."""
        keys = {name: shortcuts.shortcut(name).native_keys() for name in ("star", "answered", "reply", "focus_answer")}
        self.view.setAccessibleName(self.tr("Messages"))
        self.view.setAccessibleDescription(
            self.tr("The chat, newest message at the bottom. Up and Down move between the messages; "
                    "%1 stars the message, %2 marks it answered, %3 replies, %4 goes to the answer box; "
                    "F1 lists every key.")
            .replace("%1", keys["star"]).replace("%2", keys["answered"]).replace("%3", keys["reply"])
            .replace("%4", keys["focus_answer"]))
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setAccessibleDescription(self.tr("Show only the messages whose author or text contains "
                                                     "these words"))
        for clear in self.search.findChildren(QToolButton):  # Qt's own clear button (no words of its own)
            clear.setAccessibleName(self.tr("Clear the search"))
        self.show_hidden.setToolTip(self.tr("Also show hidden messages and those of muted authors"))
        self.show_hidden.setAccessibleDescription(self.show_hidden.toolTip())
        self.rules_button.setToolTip(self.tr("Words that hide a message, and muted authors"))
        self.rules_button.setAccessibleDescription(self.rules_button.toolTip())
        self.export_button.setToolTip(self.tr("Save the chat as a spreadsheet, JSON or Markdown file"))
        self.export_button.setAccessibleDescription(self.export_button.toolTip())

    def _set_tab_order(self) -> None:
        """Tab goes: messages, the filters, search and its tools, then the answer and sending."""
        chain: list[QWidget] = [self.view, self.jump_button, *self.view_buttons.values(), self.search,
                                self.show_hidden, self.rules_button, self.export_button,
                                *self.composer.tab_chain()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- keyboard -------------------------------------------------------------------------------
    def focus_answer(self) -> None:
        """Put the cursor in the answer box (at the end of what is typed)."""
        self.reply_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.reply_box.moveCursor(QTextCursor.MoveOperation.End)

    def focus_messages(self) -> None:
        """Go to the message list; with no current message, the newest one becomes current."""
        if self.rows.pending:
            self.rows.flush()
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.current_message() is None and len(self.rows):
            self.view.set_current_row(len(self.rows) - 1)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

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
        if self.message_list.following:
            self.message_list.caught_up()
            self.message_list.schedule_scroll()

    def _window_sees(self) -> bool:
        return self.isVisible() and not self.isMinimized()

    def dispose(self) -> None:
        """Stop following the log (call before dropping the window for good)."""
        self.message_list.dispose()
        self.composer.dispose()

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
        self.message_list.set_filter(ChatFilter(self.current_view, self.search.text(), self.show_hidden.isChecked()))

    # -- the list -------------------------------------------------------------------------------
    @property
    def following(self) -> bool:
        """Auto-scroll is on (the list is at the bottom)."""
        return self.message_list.following

    @property
    def unread(self) -> int:
        return self.message_list.unread

    @property
    def new_while_paused(self) -> int:
        return self.message_list.new_while_paused

    def jump_to_latest(self) -> None:
        self.message_list.jump_to_latest()

    def current_message(self) -> ChatMessage | None:
        return self.message_list.current_message()

    def select_message(self, message_id: str) -> bool:
        """Make ``message_id`` the current message (False when the current filter hides it)."""
        return self.message_list.select_message(message_id)

    # -- per-message actions --------------------------------------------------------------------
    def act(self, name: str, message_id: str) -> None:
        """Run a per-message action ("star", "answered", "hide", "mute", "copy", "reply")."""
        self.moderation_actions.act(name, message_id)

    def context_menu_for(self, message_id: str) -> QMenu:
        """The menu of one message (what a right click shows)."""
        self.select_message(message_id)
        return self.moderation_actions.menu(self)

    def _context_menu(self, position: QPoint) -> None:
        message = self.message_list.message_at_point(position)
        if message is None:
            return
        menu = self.context_menu_for(message.id)
        menu.exec(self.view.viewport().mapToGlobal(position))
        menu.deleteLater()

    def open_rules(self) -> ModerationRulesDialog | None:
        """Open the blocked words / muted authors dialog (non-modal); returns it."""
        return self.moderation_actions.open_rules(self)

    # -- replying -------------------------------------------------------------------------------
    def start_reply(self, message: ChatMessage) -> None:
        self.composer.start_reply(message)

    def cancel_reply(self) -> None:
        self.composer.cancel_reply()

    @property
    def reply_to(self) -> str | None:
        return self.composer.reply_to

    def outgoing_text(self) -> str:
        return self.composer.outgoing_text()

    def refresh_sinks(self) -> None:
        """Re-read the sinks usable now (call when the chat connects or a gateway starts/stops)."""
        self.composer.refresh_sinks()

    def selected_sink_kind(self) -> str | None:
        return self.composer.selected_sink_kind()

    def send(self) -> None:
        """Send the reply box's text through the chosen sink (Enter in the box does the same)."""
        self.composer.send()

    # -- messages to the presenter ------------------------------------------------------------
    def show_error(self, sentence: str) -> None:
        self.composer.show_error(sentence)

    def clear_error(self) -> None:
        self.composer.clear_error()

    def show_status(self, sentence: str) -> None:
        self.status_label.setText(sentence)
        self.status_label.show()
        announce.announce(self.status_label, sentence)  # "Message copied." heard too

    # -- export ---------------------------------------------------------------------------------
    def choose_export(self, fmt: ExportFormat) -> Path | None:
        """Ask where to save, then export in a worker thread; returns the file being written (None
        if cancelled).  ``export_finished`` tells the outcome, also shown in one sentence."""
        target = ask_export_path(self, fmt)
        if target is None:
            return None
        job = prepare_export(self.log, target, fmt, self.webinar_title or self.tr("Webinar chat"))
        self.show_status(self.tr("Exporting the chat…"))
        threading.Thread(target=self._write_export, args=(job,), name="chat export", daemon=True).start()
        return target

    def _write_export(self, job: ExportJob) -> None:
        """The export thread: write, then tell the window (queued to the GUI thread)."""
        outcome = job.write()
        try:
            self.export_finished.emit(outcome)
        except RuntimeError:  # the window was deleted meanwhile: the file is written all the same
            logger.info("chat export finished after its window closed: %s", outcome.path.name)

    def export_to(self, path: Path, fmt: ExportFormat) -> bool:
        """Write the chat to ``path`` now; the outcome is shown in one sentence."""
        outcome = prepare_export(self.log, path, fmt, self.webinar_title or self.tr("Webinar chat")).write()
        self._export_finished(outcome)
        return outcome.ok

    def _export_finished(self, outcome: ExportOutcome) -> None:
        if outcome.ok:
            self.clear_error()
            self.show_status(self.tr("%n message(s) exported to %1.", "", outcome.count).replace("%1", outcome.path.name))
        else:
            self.show_error(outcome.error)
