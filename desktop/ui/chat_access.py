"""What screen readers see of the chat view: a list whose items are the messages on screen.

:class:`~desktop.ui.chat_view.ChatView` paints its rows itself (it is not an item view), so Qt
has nothing to tell an assistive technology about them.  This module gives it a real
accessible interface, through Qt's accessibility factory (``QAccessible.installFactory``):

* the view is a ``List`` (:class:`ChatViewInterface`, a ``QAccessibleWidget``); its children are
  the rows under the viewport (the history is too long to expose whole — as with Qt's own item
  views, a reader moves with the keys and the view scrolls);
* each row is a ``ListItem`` (:class:`MessageInterface`) whose name is what a reader says first,
  "author: text" (plain text; control characters shown as their pictures, see
  :func:`~desktop.ui.chat_painter.one_line`), and whose description says the rest: the kind, a
  question, sending / not sent, deleted, hidden, starred, answered, the time, the reply target;
  its state is selectable, selected and focused for the current message;
* when the current message changes, the view sends a ``Focus`` event for its row (and a
  ``Selection`` event), so a reader speaks the message the presenter moved to
  (:func:`current_changed`).

Not sent: a "children changed" event when rows scroll in or arrive; a reader asks for the
children when it walks the list (they are computed then) and follows the presenter through the
focus events, which is what Orca reads.

The row interfaces have no QObject; each is registered with Qt's accessibility cache
(``QAccessible.registerAccessibleInterface``) and dropped from it when it scrolls well out of
view or the view is destroyed, so an assistive technology never holds a dangling one.
(PySide6's stubs type ``child``/``parent``/``focusChild``... as never None, but None is how an
interface says "none": Qt's own return nullptr there; hence the ``type: ignore[override]``.)

Nothing runs while no assistive technology is listening, except when something asks
(``QAccessible.queryAccessibleInterface``, what the tests do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QPoint, QRect, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface, QWindow
from PySide6.QtWidgets import QAccessibleWidget

from desktop.chat.message import ChatMessage
from desktop.ui.chat_painter import one_line
from desktop.ui.labels import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from desktop.ui.chat_view import ChatView

CONTEXT = "ChatView"
KEEP_EXTRA = 64
"""Row interfaces kept beyond the ones on screen before the ones off screen are dropped."""

_WORDS = {
    "starred": QT_TRANSLATE_NOOP("ChatView", "starred"),
    "answered": QT_TRANSLATE_NOOP("ChatView", "answered"),
    "reply": QT_TRANSLATE_NOOP("ChatView", "in reply to %1"),
    "reply_unknown": QT_TRANSLATE_NOOP("ChatView", "in reply to an earlier message"),
    "at": QT_TRANSLATE_NOOP("ChatView", "at %1"),
}


def _t(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, _WORDS[key])


def spoken_name(message: ChatMessage) -> str:
    """What a reader says first for a message: "author: text" (one line, plain text)."""
    return f"{one_line(message.author)}: {one_line(message.text)}"


def spoken_description(view: ChatView, message: ChatMessage) -> str:
    """The rest of what the row shows, as words: its badges, star, answered, time, reply."""
    log = view.rows.log
    flags = log.flags(message)
    parts = [badge.text for badge in view.painter.badges(message, flags)]
    if flags.starred:
        parts.append(_t("starred"))
    if flags.answered:
        parts.append(_t("answered"))
    parts.append(_t("at").replace("%1", view.painter.clock(message.created_at)))
    if message.reply_to is not None:
        target = log.get(message.reply_to)
        parts.append(_t("reply").replace("%1", one_line(target.author)) if target is not None
                     else _t("reply_unknown"))
    return ", ".join(parts)


class Events(QObject):
    """Signals:
        sent(object, str): an accessibility event (``QAccessible.Event``) was sent for the row
            of a message id (for the tests: Qt gives no way to read them back).
    """

    sent = Signal(object, str)


events = Events()


class MessageInterface(QAccessibleInterface):
    """One message row of a chat view, for assistive technologies (see the module docstring)."""

    def __init__(self, view: ChatView, message_id: str) -> None:
        super().__init__()
        self.view = view
        self.message_id = message_id

    def _row(self) -> int | None:
        if not shiboken6.isValid(self.view):
            return None
        return self.view.rows.row_of(self.message_id)

    def _message(self) -> ChatMessage | None:
        row = self._row()
        return None if row is None else self.view.rows.message_at(row)

    def isValid(self) -> bool:
        return self._row() is not None

    def object(self) -> QObject | None:  # type: ignore[override]
        return None

    def window(self) -> QWindow | None:  # type: ignore[override]
        return self.view.window().windowHandle() if shiboken6.isValid(self.view) else None

    def rect(self) -> QRect:
        row = self._row()
        if row is None:
            return QRect()
        rect = self.view.row_rect(row).intersected(self.view.viewport().rect())
        return QRect(self.view.viewport().mapToGlobal(rect.topLeft()), rect.size())

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        row = self._row()
        if row is None:
            state.invalid = True
            return state
        state.selectable = True
        state.focusable = True
        state.readOnly = True
        current = self.view.current_row() == row
        state.selected = current
        state.focused = current and self.view.hasFocus()
        state.offscreen = row not in self.view.visible_rows()
        return state

    def text(self, kind: QAccessible.Text) -> str:
        message = self._message()
        if message is None:
            return ""
        if kind == QAccessible.Text.Name:
            return spoken_name(message)
        if kind == QAccessible.Text.Description:
            return spoken_description(self.view, message)
        return ""

    def setText(self, kind: QAccessible.Text, text: str) -> None:
        pass  # messages are read-only

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return QAccessible.queryAccessibleInterface(self.view) if shiboken6.isValid(self.view) else None

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return None


class RowInterfaces:
    """The row interfaces of one view, by message id (registered with Qt's cache)."""

    def __init__(self, view: ChatView) -> None:
        self._view = view
        self._by_id: dict[str, tuple[MessageInterface, int]] = {}
        registered = self._by_id
        # the closure holds the table, not the view: it runs while the view is destroyed
        view.destroyed.connect(lambda *_args: RowInterfaces._drop(registered, set(registered)))

    def __len__(self) -> int:
        return len(self._by_id)

    def for_row(self, row: int) -> MessageInterface:
        """The interface of ``row`` (made and registered on first use)."""
        view = self._view
        message_id = view.rows.message_at(row).id
        found = self._by_id.get(message_id)
        if found is not None:
            return found[0]
        interface = MessageInterface(view, message_id)
        self._by_id[message_id] = (interface, QAccessible.registerAccessibleInterface(interface))
        self._prune()
        return interface

    def _prune(self) -> None:
        visible = self._view.visible_rows()
        if len(self._by_id) <= len(visible) + KEEP_EXTRA:
            return
        rows = self._view.rows
        keep = {rows.message_at(row).id for row in visible}
        current = self._view.current_message()
        if current is not None:
            keep.add(current.id)
        self._drop(self._by_id, set(self._by_id) - keep)

    @staticmethod
    def _drop(registered: dict[str, tuple[MessageInterface, int]], message_ids: set[str]) -> None:
        for message_id in message_ids:
            _interface, unique_id = registered.pop(message_id)
            QAccessible.deleteAccessibleInterface(unique_id)


class ChatViewInterface(QAccessibleWidget):
    """The chat view as a list of the messages on screen (see the module docstring)."""

    def __init__(self, view: ChatView) -> None:
        super().__init__(view, QAccessible.Role.List, "")
        self.view = view

    def childCount(self) -> int:
        return len(self.view.visible_rows())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        visible = self.view.visible_rows()
        if not 0 <= index < len(visible):
            return None
        return self.view.accessible_rows.for_row(visible.start + index)

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        if not isinstance(child, MessageInterface):
            return -1
        row = child._row()
        visible = self.view.visible_rows()
        return row - visible.start if row is not None and row in visible else -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        viewport = self.view.viewport()
        row = self.view.row_at(viewport.mapFromGlobal(QPoint(x, y)))
        return None if row is None else self.view.accessible_rows.for_row(row)

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        row = self.view.current_row()
        if row is None or not self.view.hasFocus():
            return None
        return self.view.accessible_rows.for_row(row)


def _factory(_class_name: str, target: QObject | None) -> QAccessibleInterface | None:
    from desktop.ui.chat_view import ChatView

    if isinstance(target, ChatView):
        return ChatViewInterface(target)
    return None


_installed = False


def install_factory() -> None:
    """Have Qt ask this module for chat views' interfaces (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def current_changed(view: ChatView) -> None:
    """Tell assistive technologies the current message of ``view`` changed (a reader speaks it)."""
    row = view.current_row()
    if row is None or not QAccessible.isActive():
        return
    interface = view.accessible_rows.for_row(row)
    kinds = [QAccessible.Event.Selection]
    if view.hasFocus():
        kinds.append(QAccessible.Event.Focus)
    for kind in kinds:
        QAccessible.updateAccessibility(QAccessibleEvent(interface, kind))
        events.sent.emit(kind, interface.message_id)
