"""The chat window's per-message actions: star, mark answered, hide, mute, copy, reply.

Each is a QAction with a single-key shortcut (from :mod:`desktop.ui.shortcuts`) on the message list (and in its context menu); what
they change is the log's :class:`~desktop.chat.moderation.ModerationState`, which tells the log,
which tells the list.  The blocked-words dialog opens from here too.

Its words are translated in the ``ChatWindow`` context (they were the window's before the split).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from desktop.chat.message import ChatMessage, MessageKind
from desktop.chat.model import ChatLog
from desktop.errors import PupitreError
from desktop.ui import shortcuts
from desktop.ui.chat_rules_dialog import ModerationRulesDialog
from desktop.ui.shortcuts import Scope

OTHER_PEOPLE = (MessageKind.AUDIENCE, MessageKind.PANELIST)
MENU_ORDER = ("reply", "star", "answered", "hide", "mute", "copy")
MODERATION = ("star", "answered", "hide", "mute")
SHORTCUT_IDS = {"star": "star", "answered": "answered", "hide": "hide", "mute": "mute_author", "copy": "copy",
                "reply": "reply"}
"""Action name -> its id in the shortcut table."""


class ModerationActions(QObject):
    """The actions on the current message of one chat window.

    Args:
        log: the webinar's chat log (its ``moderation``; without one, moderation is disabled).
        target: the widget the shortcuts belong to (the message list).
        current: returns the current message, or None.
        reply: starts a reply to a message, or None when answers are not available.
        show_error, show_status: one sentence for the presenter.

    Attributes:
        by_name: name -> QAction ("star", "answered", "hide", "mute", "copy", "reply").
    """

    def __init__(self, log: ChatLog, target: QWidget, *, current: Callable[[], ChatMessage | None],
                 reply: Callable[[ChatMessage], None] | None,
                 show_error: Callable[[str], None], show_status: Callable[[str], None]) -> None:
        super().__init__(target)
        self.log = log
        self._target = target
        self._current = current
        self._reply = reply
        self._show_error = show_error
        self._show_status = show_status
        labels = {
            "star": QCoreApplication.translate("ChatWindow", "Star"),
            "answered": QCoreApplication.translate("ChatWindow", "Mark answered"),
            "hide": QCoreApplication.translate("ChatWindow", "Hide"),
            "mute": QCoreApplication.translate("ChatWindow", "Mute this author"),
            "copy": QCoreApplication.translate("ChatWindow", "Copy text"),
            "reply": QCoreApplication.translate("ChatWindow", "Reply"),
        }
        # the keys are the shortcut table's (desktop/ui/shortcuts.py), on the message list only:
        # single letters must not fire while the presenter types
        installed = shortcuts.install(
            target, Scope.CHAT_MESSAGE,
            {SHORTCUT_IDS[name]: partial(self._act_on_current, name) for name in labels},
            context=Qt.ShortcutContext.WidgetShortcut)
        self.by_name: dict[str, QAction] = {}
        for name, label in labels.items():
            action = installed[SHORTCUT_IDS[name]]
            action.setText(label)
            self.by_name[name] = action

    def _act_on_current(self, name: str) -> None:
        message = self._current()
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
                if self._reply is not None:
                    self._reply(message)
            elif moderation is None:
                return
            elif name == "star":
                moderation.set_starred(message.id, not self.log.flags(message).starred)
            elif name == "answered":
                moderation.set_answered(message.id, not self.log.flags(message).answered)
            elif name == "hide":
                moderation.set_hidden(message.id, not moderation.is_hidden(message.id))
            elif name == "mute" and message.kind in OTHER_PEOPLE:
                if moderation.is_muted(message.author):
                    moderation.unmute_author(message.author)
                else:
                    moderation.mute_author(message.author)
        except PupitreError as error:
            self._show_error(error.sentence)
            return
        self.update()

    def copy_message(self, message: ChatMessage) -> None:
        QGuiApplication.clipboard().setText(message.text)  # text/plain only: never HTML
        self._show_status(QCoreApplication.translate("ChatWindow", "Message copied."))

    def update(self, *_args: object) -> None:
        """Enable and name the actions for the current message."""
        message = self._current()
        moderation = self.log.moderation
        for name, action in self.by_name.items():
            enabled = message is not None
            if name in MODERATION:
                enabled = enabled and moderation is not None
            if name == "mute":
                enabled = enabled and message is not None and message.kind in OTHER_PEOPLE
            if name == "reply":
                enabled = enabled and self._reply is not None and message is not None and message.kind in OTHER_PEOPLE
            action.setEnabled(enabled)
        if message is None or moderation is None:
            return
        flags = self.log.flags(message)
        self.by_name["star"].setText(QCoreApplication.translate("ChatWindow", "Unstar") if flags.starred else QCoreApplication.translate("ChatWindow", "Star"))
        self.by_name["answered"].setText(QCoreApplication.translate("ChatWindow", "Mark unanswered") if flags.answered else QCoreApplication.translate("ChatWindow", "Mark answered"))
        self.by_name["hide"].setText(QCoreApplication.translate("ChatWindow", "Show again") if moderation.is_hidden(message.id) else QCoreApplication.translate("ChatWindow", "Hide"))
        self.by_name["mute"].setText(
            QCoreApplication.translate("ChatWindow", "Unmute this author") if moderation.is_muted(message.author) else QCoreApplication.translate("ChatWindow", "Mute this author"))

    def menu(self, parent: QWidget) -> QMenu:
        """The menu of the current message (what a right click shows)."""
        self.update()
        menu = QMenu(parent)
        for name in MENU_ORDER:
            menu.addAction(self.by_name[name])
        return menu

    def open_rules(self, parent: QWidget) -> ModerationRulesDialog | None:
        """Open the blocked words / muted authors dialog (non-modal); returns it."""
        if self.log.moderation is None:
            return None
        dialog = ModerationRulesDialog(self.log.moderation, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        return dialog
