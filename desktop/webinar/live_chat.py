"""The chat of a live, followed for as long as its meeting runs.

Whoever owns a live (``pupitre webinar start``/``watch``, the app) attaches a :class:`LiveChat`
to its :class:`~desktop.webinar.session.LiveSession`: once the meeting runs, the chat pipeline
joins the monitoring user and feeds the chat log (and the archive, for exports after the
meeting); its connection state becomes the chat row of the health view; the gateway's chat
endpoint is offered as an answer sink while a gateway streams; the pipeline stops when the
webinar ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from desktop.chat.archive import ChatArchive
from desktop.chat.classify import Classifier
from desktop.chat.model import ChatLog
from desktop.chat.moderation import ModerationState
from desktop.chat.pipeline import ChatPipeline, gateway_sender
from desktop.gateways.pool import Acquired
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session import LiveSession
from desktop.webinar.state import LiveSnapshot, LiveState

logger = logging.getLogger(__name__)

_MEETING_RUNS = (LiveState.STARTING_GATEWAY, LiveState.LIVE, LiveState.LIVE_STOPPED, LiveState.STOPPING)


class LiveChat:
    """Follows one session's chat.

    Attributes:
        log: the chat log (the GUI wraps it in a list model).
        pipeline: the running pipeline, once the meeting runs.
    """

    def __init__(self, manager: WebinarManager, session: LiveSession, *, log: ChatLog | None = None,
                 archive: ChatArchive | None = None, moderation: ModerationState | None = None) -> None:
        self.manager = manager
        self.session = session
        self.archive = archive if archive is not None else ChatArchive(manager.paths.database_file)
        self._own_archive = archive is None
        self.moderation = moderation
        self.log = log if log is not None else ChatLog(Classifier(), moderation)
        self.archive.load_into(session.plan.key, self.log)
        self.pipeline: ChatPipeline | None = None
        self._acquired: Acquired | None = None
        self._task: asyncio.Task[None] | None = None
        self._remove: Callable[[], None] | None = None

    def attach(self) -> None:
        self._remove = self.session.add_listener(self._on_snapshot)
        self._on_snapshot(self.session.snapshot)

    def _on_snapshot(self, snapshot: LiveSnapshot) -> None:
        if snapshot.state in _MEETING_RUNS and self.pipeline is None and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._start())
        if self.pipeline is not None and self.session.acquired is not self._acquired:
            self._acquired = self.session.acquired
            acquired = self._acquired
            self.pipeline.set_gateway_sender(
                gateway_sender(acquired.gateway, acquired.session) if acquired else None,
                acquired.name if acquired else "gateway")

    async def _start(self) -> None:
        plan = self.session.plan
        self._acquired = self.session.acquired
        acquired = self._acquired
        self.pipeline = ChatPipeline(
            plan.key, plan.meeting_id, self.session.bbb, log=self.log, archive=self.archive,
            monitor_name=self.manager.monitor_name(plan.profile),
            answer_sender_name=self.manager.answer_sender_name(),
            gateway_sender=gateway_sender(acquired.gateway, acquired.session) if acquired else None,
            gateway_name=acquired.name if acquired else "gateway",
            on_health=self.session.set_chat_health)
        try:
            await self.pipeline.start()
        except Exception:
            logger.exception("webinar %s: the chat could not start", plan.meeting_id)

    async def close(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self.pipeline is not None:
            await self.pipeline.stop()
        self.log.close()
        if self._own_archive:
            self.archive.close()
