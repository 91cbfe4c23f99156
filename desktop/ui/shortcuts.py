"""Every keyboard shortcut of the app, in one documented table, and the dialog that lists them.

:data:`SHORTCUTS` is the single source: the windows install their actions from it
(:func:`install`), the "Keyboard shortcuts" dialog (:class:`ShortcutsDialog`, F1 in any window
that calls :func:`install_help`) lists it, and ``tests/ui/test_shortcuts.py`` checks that no
two shortcuts that can be active together share keys and that each has a description.

Keys are written in Qt's portable form ("Ctrl+Shift+L"); Qt shows them in the platform's own
form (⌘ on macOS, where Ctrl means Command).  Descriptions are translated at display time.

Scopes say where a shortcut works:

* ``APP``: in every Pupitre window (help);
* ``CONSOLE``: the main window (the console's webinar, its preview, the schedule);
* ``CHAT``: a chat window;
* ``CHAT_MESSAGE``: a chat window's message list when it has the focus (single keys, as in a
  mail client: they would type letters anywhere else);
* ``ANSWER``: the answer box (handled by the box itself; listed so the presenter learns them).

Wiring an action (the lead, in console.py/shell.py/chat_window.py)::

    actions = shortcuts.install(self, Scope.CONSOLE, {
        "go_live": controller_go_live, "stop_live": ask_then_stop, ...})
    actions["go_live"].setEnabled(snapshot_allows_go_live)

"Stop live" keeps the confirmation the button already asks: the handler is the same slot the
button calls, never the controller's stop directly.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.labels import QT_TRANSLATE_NOOP

CONTEXT = "Shortcuts"


class Scope(enum.Enum):
    APP = "app"
    CONSOLE = "console"
    CHAT = "chat"
    CHAT_MESSAGE = "chat_message"
    ANSWER = "answer"


SCOPE_TITLES: dict[Scope, str] = {
    Scope.APP: QT_TRANSLATE_NOOP("Shortcuts", "Everywhere"),
    Scope.CONSOLE: QT_TRANSLATE_NOOP("Shortcuts", "Console"),
    Scope.CHAT: QT_TRANSLATE_NOOP("Shortcuts", "Chat window"),
    Scope.CHAT_MESSAGE: QT_TRANSLATE_NOOP("Shortcuts", "Selected chat message"),
    Scope.ANSWER: QT_TRANSLATE_NOOP("Shortcuts", "Answer box"),
}

WINDOWS: dict[str, frozenset[Scope]] = {
    "main window": frozenset({Scope.APP, Scope.CONSOLE}),
    "chat window": frozenset({Scope.APP, Scope.CHAT, Scope.CHAT_MESSAGE, Scope.ANSWER}),
}
"""The scopes active together in each window: their keys must not collide."""


@dataclass(frozen=True)
class Shortcut:
    """One entry of the table.

    Attributes:
        id: what handlers are keyed by in :func:`install`.
        keys: Qt's portable key text ("Ctrl+Shift+L"), or a standard key's text.
        scope: where it works.
        description: English, marked for translation; :meth:`text` translates it.
        installed: False for keys a widget handles itself (listed for the presenter only).
    """

    id: str
    keys: str
    scope: Scope
    description: str
    installed: bool = True

    def sequence(self) -> QKeySequence:
        return QKeySequence(self.keys, QKeySequence.SequenceFormat.PortableText)

    def text(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.description)

    def native_keys(self) -> str:
        return self.sequence().toString(QKeySequence.SequenceFormat.NativeText)


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("show_shortcuts", "F1", Scope.APP, QT_TRANSLATE_NOOP("Shortcuts", "Show the keyboard shortcuts")),
    Shortcut("go_live", "Ctrl+Shift+L", Scope.CONSOLE,
             QT_TRANSLATE_NOOP("Shortcuts", "Go live with the selected webinar")),
    Shortcut("stop_live", "Ctrl+Shift+E", Scope.CONSOLE,
             QT_TRANSLATE_NOOP("Shortcuts", "Stop the live (asks for confirmation first)")),
    Shortcut("open_chat", "Ctrl+Shift+C", Scope.CONSOLE,
             QT_TRANSLATE_NOOP("Shortcuts", "Open the chat of the selected webinar")),
    Shortcut("mute_preview", "Ctrl+Shift+M", Scope.CONSOLE, QT_TRANSLATE_NOOP("Shortcuts", "Mute or unmute the preview")),
    Shortcut("back_to_live", "Ctrl+Shift+B", Scope.CONSOLE,
             QT_TRANSLATE_NOOP("Shortcuts", "Bring the preview back to the live edge")),
    Shortcut("refresh", "F5", Scope.CONSOLE, QT_TRANSLATE_NOOP("Shortcuts", "Refresh the schedule and the meetings")),
    Shortcut("new_webinar", "Ctrl+N", Scope.CONSOLE, QT_TRANSLATE_NOOP("Shortcuts", "Schedule a new webinar")),
    Shortcut("settings", "Ctrl+,", Scope.CONSOLE, QT_TRANSLATE_NOOP("Shortcuts", "Open the settings")),
    Shortcut("quit", "Ctrl+Q", Scope.CONSOLE, QT_TRANSLATE_NOOP("Shortcuts", "Quit Pupitre")),
    Shortcut("focus_answer", "Ctrl+L", Scope.CHAT, QT_TRANSLATE_NOOP("Shortcuts", "Go to the answer box")),
    Shortcut("focus_messages", "Ctrl+1", Scope.CHAT, QT_TRANSLATE_NOOP("Shortcuts", "Go to the messages")),
    Shortcut("focus_search", "Ctrl+F", Scope.CHAT, QT_TRANSLATE_NOOP("Shortcuts", "Search the messages")),
    Shortcut("star", "S", Scope.CHAT_MESSAGE, QT_TRANSLATE_NOOP("Shortcuts", "Star or unstar the message")),
    Shortcut("answered", "A", Scope.CHAT_MESSAGE, QT_TRANSLATE_NOOP("Shortcuts", "Mark the question answered")),
    Shortcut("reply", "R", Scope.CHAT_MESSAGE, QT_TRANSLATE_NOOP("Shortcuts", "Reply to the message")),
    Shortcut("hide", "H", Scope.CHAT_MESSAGE, QT_TRANSLATE_NOOP("Shortcuts", "Hide the message")),
    Shortcut("mute_author", "M", Scope.CHAT_MESSAGE, QT_TRANSLATE_NOOP("Shortcuts", "Mute the message's author")),
    Shortcut("copy", "Ctrl+C", Scope.CHAT_MESSAGE, QT_TRANSLATE_NOOP("Shortcuts", "Copy the message's text")),
    Shortcut("send_answer", "Return", Scope.ANSWER, QT_TRANSLATE_NOOP("Shortcuts", "Send the answer"), installed=False),
    Shortcut("new_line", "Shift+Return", Scope.ANSWER,
             QT_TRANSLATE_NOOP("Shortcuts", "New line in the answer"), installed=False),
)

_BY_ID = {shortcut.id: shortcut for shortcut in SHORTCUTS}


def shortcut(shortcut_id: str) -> Shortcut:
    return _BY_ID[shortcut_id]


def in_scope(scope: Scope) -> list[Shortcut]:
    return [entry for entry in SHORTCUTS if entry.scope is scope]


def install(window: QWidget, scope: Scope, handlers: Mapping[str, Callable[[], object]], *,
            context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> dict[str, QAction]:
    """Add an action per handled shortcut of ``scope`` to ``window`` and return them by id.

    The action's text is the translated description (menus and screen readers show it); a
    handler for an id of another scope, or unknown, is a programming error (KeyError).
    ``CHAT_MESSAGE`` shortcuts should be installed on the message list with
    ``context=Qt.ShortcutContext.WidgetShortcut`` (single letters must not fire while typing).
    """
    actions: dict[str, QAction] = {}
    for shortcut_id, handler in handlers.items():
        entry = _BY_ID[shortcut_id]
        if entry.scope is not scope or not entry.installed:
            raise KeyError(f"shortcut {shortcut_id!r} is not an installable {scope.value} shortcut")
        action = QAction(entry.text(), window)
        action.setObjectName(f"shortcut_{entry.id}")
        action.setShortcut(entry.sequence())
        action.setShortcutContext(context)
        action.triggered.connect(lambda _checked=False, run=handler: run())
        window.addAction(action)
        actions[shortcut_id] = action
    return actions


def install_help(window: QWidget) -> QAction:
    """F1 in ``window`` opens the "Keyboard shortcuts" dialog."""
    return install(window, Scope.APP, {"show_shortcuts": lambda: show_shortcuts(window)})["show_shortcuts"]


def show_shortcuts(parent: QWidget | None = None) -> ShortcutsDialog:
    dialog = ShortcutsDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class ShortcutsDialog(QDialog):
    """The table of shortcuts, grouped by where they work.

    Attributes:
        tree: one top-level item per scope, one child per shortcut (keys, description).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        intro = QLabel(self.tr("Tab and Shift+Tab move between the controls of a window; these keys reach "
                                "the main actions directly."), self)
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        for scope in Scope:
            entries = in_scope(scope)
            if not entries:
                continue
            group = QTreeWidgetItem(self.tree, [QCoreApplication.translate(CONTEXT, SCOPE_TITLES[scope])])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for entry in entries:
                QTreeWidgetItem(group, [entry.native_keys(), entry.text()])
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(560, 560)

    def rows(self) -> list[tuple[str, str]]:
        """(keys, description) as shown, in order."""
        found = []
        for group in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(group)
            children = [item.child(i) for i in range(item.childCount())] if item is not None else []
            found += [(child.text(0), child.text(1)) for child in children if child is not None]
        return found
