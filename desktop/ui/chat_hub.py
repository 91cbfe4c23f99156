"""The audience chats of the console's sessions, as Qt signals: a thin adapter.

The chat itself is followed by the core: the webinar manager's one follower per session key
(:class:`desktop.webinar.live_chat.ChatFollower`, the same one ``pupitre webinar start`` and
``pupitre chat`` use) reads it while the meeting runs, answers, keeps the log and reports its
health.  This hub only binds a session's follower once and turns its callbacks into signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the core is loaded when a workspace opens, not with the window (issue 13)
    from desktop.chat.message import ChatMessage
    from desktop.chat.model import ChatLog
    from desktop.chat.pipeline import ChatPipeline
    from desktop.webinar.live_chat import ChatFollower
    from desktop.webinar.manager import WebinarManager
    from desktop.webinar.session import LiveSession

__all__ = ["ChatHub"]


class ChatHub(QObject):
    """The chats of the sessions the console owns.

    Signals:
        question_arrived(str, str, str): session key, author, text of a new audience question.
        chat_started(str): the reader of that session key started (a window can open).
    """

    question_arrived = Signal(str, str, str)
    chat_started = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager: WebinarManager | None = None
        self._connections: dict[str, list[Callable[[], None]]] = {}

    def _follower(self, key: str) -> ChatFollower | None:
        return None if self._manager is None else self._manager.chats.get(key)

    def log_for(self, key: str) -> ChatLog | None:
        """The chat log of ``key`` once its reader has started (None before: no window yet)."""
        follower = self._follower(key)
        return follower.log if follower is not None and follower.started else None

    def pipeline_for(self, key: str) -> ChatPipeline | None:
        """Where the chat window of ``key`` sends answers."""
        follower = self._follower(key)
        return follower.pipeline if follower is not None and follower.started else None

    async def follow(self, manager: WebinarManager, session: LiveSession) -> None:
        """Have the manager follow ``session``'s chat (it starts and stops with the live)."""
        if manager is not self._manager:
            self._disconnect()
            self._manager = manager
        follower = manager.chats.follow(session)
        key = follower.key
        if key not in self._connections:
            self._connections[key] = [
                follower.on_question(lambda message: self._question(key, message)),
                follower.on_started(lambda: self.chat_started.emit(key)),
            ]
            if follower.started:
                self.chat_started.emit(key)

    def _question(self, key: str, message: ChatMessage) -> None:
        self.question_arrived.emit(key, message.author, message.text)

    def _disconnect(self) -> None:
        for removers in self._connections.values():
            for remove in removers:
                remove()
        self._connections.clear()

    async def aclose(self) -> None:
        """Stop relaying (the manager closes its followers when the core closes)."""
        self._disconnect()
        self._manager = None
