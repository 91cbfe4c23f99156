"""One audience chat per live session: the pipeline that reads and answers it, the log the chat
window shows, and the "new audience question" hook for notifications.

Why the reader starts only once the presenter has joined: the monitoring user joins the BBB
meeting to read the chat, and BBB reports a meeting "running" as soon as anyone is in it — a
monitor joining earlier would make the go-live believe the presenter had arrived.  The log is
kept after the live ends, so the window still shows (and exports) the conversation.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from desktop.chat.archive import ChatArchive, ChatArchiveError
from desktop.chat.message import MessageKind
from desktop.chat.model import ChatLog
from desktop.chat.moderation import ModerationState
from desktop.chat.pipeline import ChatPipeline, gateway_sender
from desktop.errors import PupitreError
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session import LiveSession
from desktop.webinar.state import LiveState

logger = logging.getLogger(__name__)

READING_STATES = frozenset({LiveState.STARTING_GATEWAY, LiveState.LIVE, LiveState.STOPPING,
                            LiveState.LIVE_STOPPED})


@dataclass
class WebinarChat:
    log: ChatLog
    pipeline: ChatPipeline | None = None
    gateway: str | None = None
    remove_listener: Callable[[], None] | None = field(default=None, repr=False)


class ChatHub(QObject):
    """The chats of the sessions the console owns.

    Signals:
        question_arrived(str, str, str): session key, author, text of a new audience question.
        chat_started(str): the pipeline of that session key started (a window can open).
    """

    question_arrived = Signal(str, str, str)
    chat_started = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chats: dict[str, WebinarChat] = {}
        self._archive: ChatArchive | None = None

    def log_for(self, key: str) -> ChatLog | None:
        chat = self.chats.get(key)
        return None if chat is None else chat.log

    def pipeline_for(self, key: str) -> ChatPipeline | None:
        chat = self.chats.get(key)
        return None if chat is None else chat.pipeline

    async def follow(self, manager: WebinarManager, session: LiveSession) -> None:
        """Start, keep or stop the session's chat reader to match its state and gateway."""
        key, state = session.plan.key, session.snapshot.state
        chat = self.chats.get(key)
        if state in READING_STATES:
            if chat is None or chat.pipeline is None:
                await self._start(manager, session)
            else:
                self._update_gateway(chat, session)
        elif state in (LiveState.ENDED, LiveState.IDLE) and chat is not None and chat.pipeline is not None:
            pipeline, chat.pipeline = chat.pipeline, None
            await pipeline.stop()

    async def _start(self, manager: WebinarManager, session: LiveSession) -> None:
        key = session.plan.key
        chat = self.chats.get(key)
        if chat is None:
            try:
                moderation: ModerationState | None = ModerationState.open(session.plan.meeting_id, manager.paths)
            except PupitreError as error:
                logger.warning("chat moderation not remembered: %s", error.sentence)
                moderation = None
            log = ChatLog(moderation=moderation)
            chat = WebinarChat(log)
            chat.remove_listener = log.add_listener(
                lambda first, count: self._appended(key, log, first, count), lambda _index: None)
            self.chats[key] = chat
        settings = manager.settings
        pipeline = ChatPipeline(
            key, session.plan.meeting_id, manager.bbb(session.plan.profile), log=chat.log,
            archive=self._archive_of(manager),
            monitor_name=str(settings.preference("monitor_name") or "Pupitre"),
            answer_sender_name=str(settings.preference("answer_sender_name") or "") or manager.presenter_name(),
            on_health=session.set_chat_health)
        chat.pipeline = pipeline
        self._update_gateway(chat, session)
        await pipeline.start()
        self.chat_started.emit(key)

    def _archive_of(self, manager: WebinarManager) -> ChatArchive | None:
        if self._archive is None:
            try:
                self._archive = ChatArchive(manager.paths.database_file)
            except ChatArchiveError as error:
                logger.warning("chat archive unavailable: %s", error.sentence)
        return self._archive

    @staticmethod
    def _update_gateway(chat: WebinarChat, session: LiveSession) -> None:
        acquired = session.acquired
        name = acquired.name if acquired is not None else None
        if chat.pipeline is None or name == chat.gateway:
            return
        chat.gateway = name
        if acquired is None:
            chat.pipeline.set_gateway_sender(None)
        else:
            chat.pipeline.set_gateway_sender(gateway_sender(acquired.gateway, acquired.session), acquired.name)

    def _appended(self, key: str, log: ChatLog, first: int, count: int) -> None:
        for index in range(first, first + count):
            message = log[index]
            if message.kind is MessageKind.AUDIENCE and message.is_question:
                self.question_arrived.emit(key, message.author, message.text)

    async def aclose(self) -> None:
        for chat in self.chats.values():
            if chat.pipeline is not None:
                pipeline, chat.pipeline = chat.pipeline, None
                with contextlib.suppress(Exception):
                    await pipeline.stop()
            if chat.remove_listener is not None:
                chat.remove_listener()
            if chat.log.moderation is not None:
                with contextlib.suppress(Exception):
                    chat.log.moderation.close()
        self.chats.clear()
        if self._archive is not None:
            archive, self._archive = self._archive, None
            with contextlib.suppress(Exception):
                archive.close()
