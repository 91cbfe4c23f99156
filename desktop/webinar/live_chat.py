"""The audience chat of a live session, followed once for the CLI and the GUI.

:class:`ChatFollower` is the one chat follower of Pupitre: the :class:`~desktop.chat.pipeline.ChatPipeline`
(reader with its reconnection, answers through the three sinks, the chat row of the health
view), the :class:`~desktop.chat.model.ChatLog` every view shows, the webinar's moderation store,
and the conversation archived by an earlier run put back into the log.  The webinar manager owns
them, one per session key (:class:`ChatFollowers`, ``WebinarManager.chats``), so the app's chat
window, ``pupitre webinar start|watch`` and ``pupitre chat tail|send`` all follow the chat the same
way, under the profile's monitoring-user name (:meth:`WebinarManager.monitor_name`).

A follower runs in one of two ways:

* **with a live** this process owns (:meth:`ChatFollowers.follow`): it reads once the meeting runs
  with the presenter in it, offers the gateway's chat endpoint while a gateway streams, reports
  its connection as the chat row of the session's health view, and stops when the live ends —
  the log stays, so the window still shows (and exports) the conversation;
* **on demand** (:meth:`ChatFollowers.open`): another process owns the live (or nobody does); the
  caller starts and stops it, and the gateway the journal names carries gateway answers.

Why the reader starts only once the presenter has joined: the monitoring user joins the BBB
meeting to read the chat, and BBB reports a meeting "running" as soon as anyone is in it — a
monitor joining earlier would make the go-live believe the presenter had arrived.

Layering (``tests/unit/test_layering.py``): :mod:`desktop.chat` is the lower layer and never
imports the webinar package; this module is the webinar package's only door to the chat.  What
both need (:class:`~desktop.health.Health`) lives in a neutral module.  The GUI's part is a thin
Qt adapter (``desktop.ui.chat_hub``) turning the listeners below into signals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from desktop.bbb import BBBClient
from desktop.chat.archive import ChatArchive, ChatArchiveError
from desktop.chat.message import ChatMessage, MessageKind
from desktop.chat.model import ChatLog
from desktop.chat.moderation import ModerationState
from desktop.chat.pipeline import ChatPipeline, GatewaySender, gateway_sender
from desktop.errors import ConfigError, PupitreError
from desktop.gateways.base import GatewaySession, utc_now
from desktop.gateways.pool import Acquired, GatewayPool
from desktop.health import Health
from desktop.i18n import _
from desktop.webinar.journal import JournalEntry
from desktop.webinar.session import LiveSession
from desktop.webinar.state import LiveSnapshot, LiveState

if TYPE_CHECKING:
    from desktop.webinar.manager import WebinarManager

logger = logging.getLogger(__name__)

READING_STATES = frozenset({LiveState.STARTING_GATEWAY, LiveState.LIVE, LiveState.STOPPING,
                            LiveState.LIVE_STOPPED})
"""The meeting runs with the presenter in it: the chat is read."""
STOPPED_STATES = frozenset({LiveState.ENDED, LiveState.IDLE})
"""The live is over (or never started): the reader stops, the log stays."""

HealthListener = Callable[[Health, str], None]
QuestionListener = Callable[[ChatMessage], None]
StartedListener = Callable[[], None]
_T = TypeVar("_T")


def _added(listeners: list[_T], listener: _T) -> Callable[[], None]:
    listeners.append(listener)
    return lambda: listeners.remove(listener) if listener in listeners else None


def _call_each(listeners: list[Callable[..., None]], *args: Any) -> None:
    for listener in list(listeners):
        try:
            listener(*args)
        except Exception:
            logger.exception("chat listener failed")


class ChatFollower:
    """One session key's audience chat (see the module docstring).

    Args:
        key: the session key (the archive's key).
        meeting_id: the BBB meetingID.
        bbb: the server's client (not closed by the follower).
        archive: where messages are kept after the meeting (shared, not closed here), or None.
        moderation: the webinar's moderation store (closed with the follower), or None.
        monitor_name: the monitoring user's display name.
        answer_sender_name: the ``userName`` of ``sendChatMessage`` answers.
        gateway: the chat endpoint of a gateway streaming this webinar and its name (on demand;
            a follower with a live takes the live's gateway).
        source_options: extra keyword arguments for the reader (tests: back-off).

    Attributes:
        log: the chat log every view shows.
        pipeline: reader, answers and health of this chat; the answer API (``answer``, ``sink``,
            ``wait_delivered``) for the chat window and ``pupitre chat send``.
        moderation: the webinar's moderation store, or None when it could not be opened.
        started: the reader has been started at least once (the GUI offers the window then).
    """

    def __init__(self, key: str, meeting_id: str, bbb: BBBClient, *, archive: ChatArchive | None,
                 moderation: ModerationState | None, monitor_name: str, answer_sender_name: str,
                 gateway: tuple[GatewaySender, str] | None = None,
                 source_options: Mapping[str, Any] | None = None) -> None:
        self.key = key
        self.meeting_id = meeting_id
        self.moderation = moderation
        self.log = ChatLog(moderation=moderation)
        self.pipeline = ChatPipeline(
            key, meeting_id, bbb, log=self.log, archive=archive, monitor_name=monitor_name,
            answer_sender_name=answer_sender_name,
            gateway_sender=gateway[0] if gateway else None, gateway_name=gateway[1] if gateway else "gateway",
            on_health=self._health_changed, source_options=source_options)
        self.started = False
        self._health_listeners: list[HealthListener] = []
        self._question_listeners: list[QuestionListener] = []
        self._started_listeners: list[StartedListener] = []
        self._remove_log_listener: Callable[[], None] | None = self.log.add_listener(
            self._appended, lambda _index: None)
        self._session: LiveSession | None = None
        self._stop_reporting: Callable[[], None] | None = None  # health -> the session's view
        self._stop_listening: Callable[[], None] | None = None  # the session's snapshots -> us
        self._acquired: Acquired | None = None
        self._wanted: bool | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    # -- listeners -------------------------------------------------------------------------------
    def on_health(self, listener: HealthListener) -> Callable[[], None]:
        """``listener(level, sentence)`` whenever the chat row of the health view changes."""
        return _added(self._health_listeners, listener)

    def on_question(self, listener: QuestionListener) -> Callable[[], None]:
        """``listener(message)`` for each new audience question (not those restored from the archive)."""
        return _added(self._question_listeners, listener)

    def on_started(self, listener: StartedListener) -> Callable[[], None]:
        """``listener()`` each time the reader has been started."""
        return _added(self._started_listeners, listener)

    def _health_changed(self, level: Health, text: str) -> None:
        _call_each(self._health_listeners, level, text)

    def _appended(self, first: int, count: int) -> None:
        if not self._question_listeners:
            return
        for index in range(first, first + count):
            message = self.log[index]
            if message.kind is MessageKind.AUDIENCE and message.is_question:
                _call_each(self._question_listeners, message)

    # -- the log and the reader ------------------------------------------------------------------
    def restore(self) -> int:
        """Put the conversation archived for this key back into the log; the number of messages."""
        archive = self.pipeline.archive
        if archive is None:
            return 0
        try:
            return archive.load_into(self.key, self.log)
        except ChatArchiveError as error:
            logger.warning("chat %s: archive not read (%s)", self.key, error.sentence)
            return 0

    async def start(self, *, read: bool = True) -> None:
        """Learn what the server offers and, with ``read``, follow the chat (again after an end)."""
        async with self._lock:
            if self._closed:
                return
            await self.pipeline.start(read=read)
            if read:
                self.started = True
                _call_each(self._started_listeners)

    async def stop(self) -> None:
        """Stop reading (the monitoring user leaves); the log stays."""
        async with self._lock:
            await self.pipeline.stop()

    # -- with a live -------------------------------------------------------------------------------
    def bind(self, session: LiveSession) -> None:
        """Follow ``session``'s live: read while its meeting runs, answer through its gateway, report
        to its health view (idempotent)."""
        if session is self._session or self._closed:
            return
        self._unbind()
        self._session = session
        self._stop_reporting = self.on_health(session.set_chat_health)
        self._stop_listening = session.add_listener(self._on_snapshot)
        self._on_snapshot(session.snapshot)

    def _unbind(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None
        if self._stop_reporting is not None:
            self._stop_reporting()
            self._stop_reporting = None
        self._session = None
        self._wanted = None

    def _on_snapshot(self, snapshot: LiveSnapshot) -> None:
        session = self._session
        if session is None:
            return
        self._track_gateway(session)
        state = session.snapshot.state  # a listener may have published a newer one meanwhile
        wanted = True if state in READING_STATES else False if state in STOPPED_STATES else None
        if wanted is None or wanted == self._wanted:
            return
        self._wanted = wanted
        if wanted:
            self._spawn(self.start)
        elif self.started:
            self._spawn(self.stop)

    def _track_gateway(self, session: LiveSession) -> None:
        acquired = session.acquired
        if acquired is self._acquired:
            return
        self._acquired = acquired  # first: the health change below publishes a snapshot again
        if acquired is None:
            self.pipeline.set_gateway_sender(None)
        else:
            self.pipeline.set_gateway_sender(gateway_sender(acquired.gateway, acquired.session), acquired.name)

    def _spawn(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        async def guarded() -> None:  # the coroutine is made when the task runs: cancelling before leaks none
            try:
                await work()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("chat %s: the reader could not be started or stopped", self.key)

        task = asyncio.get_running_loop().create_task(guarded(), name=f"chat follower {self.key}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self) -> None:
        """Wait until the starts and stops asked for by the live so far are done (tests, closing)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- closing ---------------------------------------------------------------------------------
    async def aclose(self) -> None:
        """Stop reading and let go of the session, the log and the moderation store."""
        if self._closed:
            return
        if self._stop_listening is not None:  # the live no longer starts or stops us...
            self._stop_listening()
            self._stop_listening = None
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        try:
            await self.pipeline.stop()
        finally:
            self._unbind()  # ...and its health view hears "not followed" before we let go
            if self._remove_log_listener is not None:
                self._remove_log_listener()
                self._remove_log_listener = None
            self.log.close()
            if self.moderation is not None:
                with contextlib.suppress(Exception):
                    self.moderation.close()


def journaled_gateway(pool: GatewayPool, entry: JournalEntry | None, *,
                      strict: bool) -> tuple[GatewaySender, str] | None:
    """The chat endpoint of the gateway the journal says streams ``entry``'s live, or None.

    ``strict``: a gateway that is no longer configured is an error rather than no gateway.
    """
    if entry is None or entry.gateway is None or entry.room is None or not (
            entry.state.gateway_may_run or entry.state == LiveState.FAILED):
        return None
    try:
        named = pool.get(entry.gateway)
    except KeyError:
        if not strict:
            return None
        raise ConfigError(_("The gateway “{gateway}” of this webinar is no longer configured.").format(
            gateway=entry.gateway)) from None
    session = GatewaySession(gateway=entry.gateway, kind=named.gateway.kind, room=entry.room,
                             started_at=utc_now(), gw_id=entry.gw_id)
    return gateway_sender(named.gateway, session), entry.gateway


class ChatFollowers:
    """The manager's chat followers: one per session key, sharing one archive.

    Attributes:
        archive_error: why the archive could not be opened (the chat is followed without it).
        source_options: extra keyword arguments for every reader (tests: back-off).
    """

    def __init__(self, manager: WebinarManager, *, source_options: Mapping[str, Any] | None = None) -> None:
        self._manager = manager
        self._followers: dict[str, ChatFollower] = {}
        self._archive: ChatArchive | None = None
        self.archive_error: PupitreError | None = None
        self.source_options: dict[str, Any] = dict(source_options or {})

    def get(self, key: str) -> ChatFollower | None:
        return self._followers.get(key)

    def keys(self) -> list[str]:
        return list(self._followers)

    def follow(self, session: LiveSession) -> ChatFollower:
        """The follower of ``session``'s key, bound to its live (created, with the archived
        conversation restored, on first use)."""
        plan = session.plan
        follower = self._followers.get(plan.key)
        if follower is None:
            follower = self._create(plan.key, plan.meeting_id, session.bbb, plan.profile, None)
            follower.restore()
        follower.bind(session)
        return follower

    def open(self, key: str, meeting_id: str, *, profile: str | None = None, entry: JournalEntry | None = None,
             strict_gateway: bool = False) -> ChatFollower:
        """The follower of ``key`` on demand, not started (the existing one if there is one); its
        gateway answers go through the gateway ``entry`` (the journal) names."""
        existing = self._followers.get(key)
        if existing is not None:
            return existing
        bbb = self._manager.bbb(profile)
        gateway = journaled_gateway(self._manager.pool, entry, strict=strict_gateway)
        return self._create(key, meeting_id, bbb, profile, gateway)

    def _create(self, key: str, meeting_id: str, bbb: BBBClient, profile: str | None,
                gateway: tuple[GatewaySender, str] | None) -> ChatFollower:
        manager = self._manager
        try:
            moderation: ModerationState | None = ModerationState.open(meeting_id, manager.paths)
        except PupitreError as error:
            logger.warning("chat moderation not remembered: %s", error.sentence)
            moderation = None
        follower = ChatFollower(
            key, meeting_id, bbb, archive=self._shared_archive(), moderation=moderation,
            monitor_name=manager.monitor_name(profile), answer_sender_name=manager.answer_sender_name(),
            gateway=gateway, source_options=self.source_options)
        self._followers[key] = follower
        return follower

    def _shared_archive(self) -> ChatArchive | None:
        if self._archive is None and self.archive_error is None:
            try:
                self._archive = ChatArchive(self._manager.paths.database_file)
            except ChatArchiveError as error:
                self.archive_error = error
                logger.warning("chat archive unavailable: %s", error.sentence)
        return self._archive

    async def aclose(self) -> None:
        followers = list(self._followers.values())
        self._followers.clear()
        for follower in followers:
            try:
                await follower.aclose()
            except Exception:
                logger.exception("chat %s: not closed cleanly", follower.key)
        if self._archive is not None:
            archive, self._archive = self._archive, None
            with contextlib.suppress(Exception):
                archive.close()
