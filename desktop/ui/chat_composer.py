"""The chat window's answer area: the reply box, its counter, the sink choice and sending.

The reply box counts characters the way BBB does (UTF-16 units, 500 at most), Enter sends and
Shift+Enter starts a new line.  Replying to a message puts ``@First Last: `` in the box and
remembers the message; the pipeline adds that same quote when it sends, so the composer strips it
first (and forgets the reply if the presenter deleted the quote).  Sending runs as an asyncio task
on the app's loop (qasync); the answer shows at once as a pending row of the log.

Its words are translated in the ``ChatWindow`` context (they were the window's before the split).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop.bbb.client import CHAT_MESSAGE_MAX, java_length
from desktop.chat.classify import quote_reply
from desktop.chat.message import ChatMessage
from desktop.chat.model import ChatLog
from desktop.chat.sinks import AnswerSink, SinkKind
from desktop.errors import PupitreError
from desktop.ui import announce, theme
from desktop.ui.chat_painter import one_line
from desktop.ui.theme import Level

logger = logging.getLogger(__name__)


class AnswerService(Protocol):
    """What the window needs to send answers (:class:`~desktop.chat.pipeline.ChatPipeline` is one)."""

    def available_sinks(self) -> Sequence[AnswerSink]: ...

    def default_sink(self) -> AnswerSink: ...

    async def answer(self, text: str, *, sink: AnswerSink | SinkKind | str | None = None,
                     reply_to: str | None = None) -> ChatMessage: ...


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


class ReplyComposer(QObject):
    """The answer widgets of one chat window and what they do (see the module docstring).

    Args:
        log: the webinar's chat log (to find the message a failed reply answered).
        answers: where answers go, or None for a read-only window.
        parent: the window; the widgets are its children, laid out by it.

    Attributes:
        reply_banner, reply_label: "Replying to …" with its cancel button.
        reply_box, sink_combo, counter, send_button, error_label: the answer area.
        send_row: the layout of sink, counter and send button.

    Signals:
        answer_sent(object): an answer was handed to its sink (the ChatMessage row).
        answer_failed(str): an answer could not be sent (the sentence shown).
    """

    answer_sent = Signal(object)
    answer_failed = Signal(str)

    def __init__(self, log: ChatLog, answers: AnswerService | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.log = log
        self.answers = answers
        self._reply_to: str | None = None
        self._reply_prefix = ""
        self._sending = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._sinks: list[AnswerSink] = []

        self.reply_banner = QWidget(parent)
        self.reply_label = QLabel(self.reply_banner)
        self.reply_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reply_label.setWordWrap(True)  # an author's name may be long
        self.cancel_button = cancel = QToolButton(self.reply_banner)
        cancel.setText("×")
        cancel.setToolTip(QCoreApplication.translate("ChatWindow", "Cancel the reply"))
        cancel.setAccessibleName(cancel.toolTip())
        cancel.clicked.connect(self.cancel_reply)
        banner_layout = QHBoxLayout(self.reply_banner)
        banner_layout.setContentsMargins(0, 0, 0, 0)
        banner_layout.addWidget(self.reply_label, 1)
        banner_layout.addWidget(cancel)
        self.reply_banner.hide()

        self.reply_box = ReplyBox(parent)
        self.reply_box.setPlaceholderText(QCoreApplication.translate(
            "ChatWindow", "Answer the audience (Enter sends, Shift+Enter: new line)"))
        self.reply_box.setTabChangesFocus(True)
        self.reply_box.setAccessibleName(QCoreApplication.translate("ChatWindow", "Answer"))
        self.reply_box.setAccessibleDescription(QCoreApplication.translate(
            "ChatWindow", "Your answer to the audience: Enter sends it, Shift+Enter starts a new line"))
        metrics = self.reply_box.fontMetrics()
        self.reply_box.setFixedHeight(metrics.lineSpacing() * 4 + 12)
        self.reply_box.textChanged.connect(self._update_counter)
        self.reply_box.send_requested.connect(self.send)

        self.sink_combo = QComboBox(parent)
        self.sink_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sink_combo.setMinimumContentsLength(16)
        self.sink_combo.setToolTip(QCoreApplication.translate("ChatWindow", "Where the answer is sent"))
        self.sink_combo.setAccessibleName(QCoreApplication.translate("ChatWindow", "Send to"))
        self.sink_combo.setAccessibleDescription(self.sink_combo.toolTip())
        self.counter = QLabel(parent)
        self.counter.setAccessibleDescription(QCoreApplication.translate(
            "ChatWindow", "Characters used in the answer, out of the most the chat accepts"))
        self.send_button = QPushButton(QCoreApplication.translate("ChatWindow", "Send"), parent)
        self.send_button.setAccessibleDescription(QCoreApplication.translate(
            "ChatWindow", "Send the answer to the audience"))
        self.send_button.clicked.connect(self.send)
        self.send_row = QHBoxLayout()
        self.send_row.addWidget(self.sink_combo, 1)
        self.send_row.addWidget(self.counter)
        self.send_row.addWidget(self.send_button)
        self.error_label = QLabel(parent)
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        theme.style_with(self.error_label, lambda: theme.text_style(Level.ERROR))
        self.error_label.hide()
        self.refresh_sinks()
        self._update_counter()

    def dispose(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def tab_chain(self) -> list[QWidget]:
        """The answer area's controls in Tab order."""
        return [self.cancel_button, self.reply_box, self.sink_combo, self.send_button]

    # -- errors -------------------------------------------------------------------------------
    def show_error(self, sentence: str) -> None:
        self.error_label.setText(sentence)
        self.error_label.show()
        announce.announce(self.error_label, sentence)  # heard too, without moving the focus

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    # -- replying -----------------------------------------------------------------------------
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
        self.reply_label.setText(QCoreApplication.translate("ChatWindow", "Replying to %1")
                                 .replace("%1", one_line(message.author)))
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
        self.counter.setAccessibleName(QCoreApplication.translate("ChatWindow", "%1 of %2 characters")
                                       .replace("%1", str(length)).replace("%2", str(CHAT_MESSAGE_MAX)))
        too_long = length > CHAT_MESSAGE_MAX
        if too_long != self.counter.property("too_long"):  # a style sheet only when it flips
            theme.style_with(self.counter, (lambda: theme.text_style(Level.ERROR, bold=True)) if too_long
                             else (lambda: ""))
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

    # -- sinks --------------------------------------------------------------------------------
    def refresh_sinks(self) -> None:
        """Re-read the sinks usable now (call when the chat connects or a gateway starts/stops)."""
        previous = self.selected_sink_kind()
        self._sinks = list(self.answers.available_sinks()) if self.answers is not None else []
        self.sink_combo.blockSignals(True)
        self.sink_combo.clear()
        for sink in self._sinks:
            self.sink_combo.addItem(sink.describe(), str(sink.kind))
        if not self._sinks:
            self.sink_combo.addItem(
                QCoreApplication.translate("ChatWindow", "No way to send answers right now")
                if self.answers is not None
                else QCoreApplication.translate("ChatWindow", "Answers are not available for this chat"), None)
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

    # -- sending ------------------------------------------------------------------------------
    def send(self) -> None:
        """Send the reply box's text through the chosen sink (Enter in the box does the same)."""
        if self.answers is None or self._sending:
            return
        text = self.outgoing_text()
        length = java_length(text)
        if length == 0:
            return
        if length > CHAT_MESSAGE_MAX:
            self.show_error(QCoreApplication.translate(
                "ChatWindow", "The answer is %1 characters long; the chat accepts at most %2.")
                .replace("%1", str(length)).replace("%2", str(CHAT_MESSAGE_MAX)))
            return
        reply_to = self._reply_to
        body = text
        if reply_to is not None:
            body = self._body_after_prefix(text).strip()
            if not body:
                self.show_error(QCoreApplication.translate("ChatWindow", "Write the answer after the quote."))
                return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.show_error(QCoreApplication.translate(
                "ChatWindow",
                "Answers can't be sent right now (the application is not running its network loop)."))
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
            self._send_failed(QCoreApplication.translate(
                "ChatWindow", "The answer could not be sent because of an unexpected error."), typed, reply_to)
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
