"""One webinar's chat, end to end: reader -> log (+ archive) -> answers -> health.

:class:`ChatPipeline` joins the pieces that each do one job:

* :class:`~desktop.chat.graphql_source.GraphQLChatSource` follows the BBB 3 public chat as the
  monitoring user (and reconnects by itself);
* every batch it delivers goes into the :class:`~desktop.chat.model.ChatLog` (what the GUI and
  ``pupitre chat tail`` show) and into the :class:`~desktop.chat.archive.ChatArchive` (what
  survives the meeting and a restart);
* answers go out through one of three sinks (:mod:`desktop.chat.sinks`): ``sendChatMessage``
  when the server has it, ``chatSendMessage`` as the monitoring user while connected, or the
  streaming gateway's chat endpoint.  Each answer shows at once as a *pending* row under the
  sender name it will come back with, so the log turns it into the real message when the
  reader sees it (no duplicate), or marks it failed when the sink refuses it;
* the reader's connection state becomes the chat row of the health view (``on_health``).

Why the pipeline registers the monitoring user's id and the sender names with the classifier:
answers sent through GraphQL come back under the monitoring user, those sent with
``sendChatMessage`` under the free ``userName`` (with the system user's id); both must read as
the presenter's answers, not as panelists.

Without GraphQL (BBB 2.x, Scalelite) nothing can be read: the pipeline says so in the health row
and still offers the gateway sink.  Answers sent then stay *pending* in the log: nothing can
confirm them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.bbb import BBBClient
from desktop.bbb.client import validate_chat_message
from desktop.bbb.models import ApiInfo
from desktop.chat.archive import ChatArchive, ChatArchiveError, answers_in
from desktop.chat.classify import GATEWAY_USER_NAME, quote_reply
from desktop.chat.graphql_source import (
    ChatConnection,
    ChatSendError,
    ChatStatus,
    ChatUnavailable,
    GraphQLChatSource,
)
from desktop.chat.message import ChatMessage, DeliveryStatus, RawChatMessage
from desktop.chat.model import ChatLog
from desktop.chat.sinks import AnswerSink, BBBApiSink, GatewaySink, GraphQLSink, SinkKind
from desktop.errors import PupitreError
from desktop.gateways.base import Gateway, GatewaySession
from desktop.health import Health
from desktop.i18n import N_, _

logger = logging.getLogger(__name__)

DEFAULT_SINK_ORDER = (SinkKind.BBB_API, SinkKind.GRAPHQL, SinkKind.GATEWAY)
# the sender name BBB gives sendChatMessage messages sent without userName
SYSTEM_SENDER = "System"
# English, marked for translation: translate with _() where it is shown
UNAVAILABLE_SENTENCE = N_(
    "This BBB server offers no GraphQL chat (BBB 2.x or a load balancer such as Scalelite): "
    "audience messages can't be read from here."
)

GatewaySender = Callable[[str], Awaitable[None]]
HealthCallback = Callable[[Health, str], None]


class NoAnswerSink(PupitreError):
    """No way to send an answer right now (or not the one asked for)."""


class AnswerTargetUnknown(PupitreError):
    """``reply_to`` names a message this webinar's chat does not have."""


@dataclass
class _Tracked:
    pending_id: str
    index: int  # the pending row's index when it was added
    dropped: int  # the log's dropped_count then (indices shift down by later drops)


def gateway_sender(gateway: Gateway, session: GatewaySession) -> GatewaySender:
    """``gateway.send_chat`` bound to the running gateway ``session`` (the live's acquired gateway)."""

    async def send(text: str) -> None:
        await gateway.send_chat(session, text)

    return send


def health_of(status: ChatStatus, *, gateway_available: bool = False,
              reconnecting: bool = False) -> tuple[Health, str]:
    """The chat row of the health view for a reader status.

    ``reconnecting``: the connection dropped earlier and this CONNECTING is a new attempt, which
    must stay a warning rather than fall back to "unknown".
    """
    state = status.state
    if state is ChatConnection.CONNECTING and reconnecting:
        return Health.WARNING, _("The chat connection dropped; reconnecting now.")
    if state is ChatConnection.CONNECTED:
        return Health.GOOD, _("The chat is connected.")
    if state is ChatConnection.RECONNECTING:
        delay = max(1, math.ceil(status.retry_in or 0.0))
        return Health.WARNING, _("The chat connection dropped; reconnecting in {delay} s.").format(
            delay=delay)
    if state is ChatConnection.UNAVAILABLE:
        text = status.detail or _(UNAVAILABLE_SENTENCE)
        if gateway_available:
            text += " " + _("Answers can still be sent through the gateway.")
        return Health.WARNING, text
    if state is ChatConnection.ENDED:
        return Health.GOOD, _("The meeting has ended; the chat is closed.")
    if state is ChatConnection.CLOSED:
        return Health.UNKNOWN, _("The chat is not followed.")
    return Health.UNKNOWN, _("Connecting to the chat.")


def supports_send_chat_message(info: ApiInfo | None) -> bool:
    """``sendChatMessage`` exists on BBB ≥ 3.0 and is not routed by Scalelite.

    The GraphQL URL in the API root is the 3.x marker (Scalelite's root has none); a root that
    announces a ``bbbVersion`` below 3 is believed.
    """
    if info is None or not info.graphql_websocket_url:
        return False
    major = _major_version(info.bbb_version)
    return major is None or major >= 3


def _major_version(version: str | None) -> int | None:
    if not version:
        return None
    match = re.match(r"\s*(\d+)", version)
    return int(match.group(1)) if match else None


class ChatPipeline:
    """The chat of one webinar session (see the module docstring).

    Args:
        key: the webinar session key ("3:0", "adopted:<meetingID>"): the archive's key.
        meeting_id: the BBB meetingID.
        bbb: the server's client (not closed by the pipeline).
        log: the log to feed (the GUI's model wraps it).
        archive: where rows are kept after the meeting, or None.
        monitor_name: the monitoring user's display name.
        answer_sender_name: the ``userName`` of ``sendChatMessage`` answers (None: ``monitor_name``).
        gateway_sender: posts a text through the streaming gateway (``Gateway.send_chat`` bound
            to the running session), or None while no gateway streams; see
            :meth:`set_gateway_sender`.
        gateway_name: the gateway's name, for the reply box.
        on_health: told ``(level, sentence)`` whenever the chat row of the health view changes
            (the chat follower passes it on to the live's health view).
        source_options: extra keyword arguments for :class:`GraphQLChatSource` (tests: back-off).
    """

    def __init__(
        self,
        key: str,
        meeting_id: str,
        bbb: BBBClient,
        *,
        log: ChatLog,
        archive: ChatArchive | None = None,
        monitor_name: str = "Pupitre",
        answer_sender_name: str | None = None,
        gateway_sender: GatewaySender | None = None,
        gateway_name: str = "gateway",
        gateway_user_name: str = GATEWAY_USER_NAME,
        on_health: HealthCallback | None = None,
        source_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.key = key
        self.meeting_id = meeting_id
        self.log = log
        self.archive = archive
        self.monitor_name = monitor_name
        self.answer_sender_name = (answer_sender_name or "").strip() or monitor_name
        self.gateway_user_name = gateway_user_name
        self._bbb = bbb
        self._gateway_sender = gateway_sender
        self._gateway_name = gateway_name
        self._on_health = on_health
        self._source_options = dict(source_options or {})
        self.api_info: ApiInfo | None = None
        self.api_error: PupitreError | None = None
        self.status = ChatStatus(ChatConnection.CLOSED)
        self.source: GraphQLChatSource | None = None
        self._task: asyncio.Task[None] | None = None
        self._finished = asyncio.Event()
        self._changed = asyncio.Event()
        self._archive_failed = False
        self._health: tuple[Health, str] | None = None
        log.classifier.add_presenter_name(self.answer_sender_name)
        log.classifier.add_presenter_name(monitor_name)

    # -- lifecycle ---------------------------------------------------------------------------
    async def refresh_capabilities(self) -> ApiInfo | None:
        """Read the API root (versions, GraphQL URL); None when the server could not tell."""
        try:
            self.api_info = await self._bbb.api_info()
            self.api_error = None
        except PupitreError as error:
            self.api_error = error
            logger.info("webinar chat: API root not readable (%s)", error.sentence)
        return self.api_info

    async def start(self, *, read: bool = True) -> None:
        """Learn what the server offers and, with ``read``, start following the chat.

        Returns at once; use :meth:`wait_connected` / :meth:`wait_until` to wait for the reader.
        Nothing happens while the reader runs; after it ended by itself (the meeting ended), a new
        one starts (the same webinar live again).
        """
        if self._task is not None:
            if not self._task.done():
                return
            self._task = None
        info = await self.refresh_capabilities()
        if not read:
            return
        if info is not None and not info.has_graphql:
            self._set_status(ChatStatus(ChatConnection.UNAVAILABLE, _(UNAVAILABLE_SENTENCE)))
            self._finished.set()
            return
        options: dict[str, Any] = dict(self._source_options)
        if info is not None and info.graphql_websocket_url:
            options.setdefault("websocket_url", info.graphql_websocket_url)
        self._finished.clear()
        self.source = GraphQLChatSource(
            self._bbb, self.meeting_id, on_messages=self._on_messages, on_status=self._on_status,
            monitor_name=self.monitor_name, **options)
        self._task = asyncio.create_task(self._follow(self.source), name=f"chat {self.key}")

    async def _follow(self, source: GraphQLChatSource) -> None:
        try:
            await source.run()
        except ChatUnavailable:
            pass  # the status says it
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("webinar chat: the reader stopped unexpectedly")
            self._set_status(ChatStatus(ChatConnection.CLOSED, _("The chat reader stopped unexpectedly.")))
        finally:
            self._finished.set()
            self._notify()

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop following the chat (the monitoring user's socket closes; BBB lets it leave)."""
        source, task = self.source, self._task
        if source is not None:
            await source.close()
        if task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            except asyncio.CancelledError:
                if not task.cancelled():
                    raise
        self._task = None
        self._finished.set()
        self._notify()

    @property
    def finished(self) -> bool:
        """The reader is no longer running (meeting ended, no GraphQL, or stopped)."""
        return self._finished.is_set()

    async def wait_finished(self) -> ChatStatus:
        await self._finished.wait()
        return self.status

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> None:
        """Wait until ``predicate()`` holds, checked after every status change and message batch."""
        async with asyncio.timeout(timeout):
            while not predicate():
                changed = self._changed
                await changed.wait()

    async def wait_connected(self, timeout: float) -> None:
        """Wait for the reader's connection; a PupitreError if it ends (or cannot start) first."""
        await self.wait_until(lambda: self.status.state is ChatConnection.CONNECTED or self.finished, timeout)
        if self.status.state is not ChatConnection.CONNECTED:
            if self.status.state is ChatConnection.ENDED:
                raise PupitreError(_("The meeting is not running: the chat cannot be joined."),
                                   hint=_("Start the webinar first."))
            raise PupitreError(self.status.detail or _("The chat connection could not be opened."))

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # -- reader callbacks --------------------------------------------------------------------
    def _on_messages(self, batch: Sequence[RawChatMessage]) -> None:
        self.log.ingest_many(batch)
        if self.archive is not None:
            try:
                self.archive.append(self.key, batch, answers=answers_in(self.log, batch))
            except ChatArchiveError as error:
                if not self._archive_failed:
                    self._archive_failed = True
                    logger.warning("webinar chat: archive not written (%s)", error.sentence)
        self._notify()

    def _on_status(self, status: ChatStatus) -> None:
        if status.state is ChatConnection.CONNECTED and self.source is not None and self.source.user_id:
            self.log.classifier.add_presenter_user_id(self.source.user_id)
        self._set_status(status)

    def _set_status(self, status: ChatStatus) -> None:
        self.status = status
        self._report_health()
        self._notify()

    def _report_health(self) -> None:
        reconnecting = self._health is not None and self._health[0] is Health.WARNING
        health = health_of(self.status, gateway_available=self._gateway_sender is not None,
                           reconnecting=reconnecting)
        if health == self._health:
            return
        self._health = health
        if self._on_health is not None:
            try:
                self._on_health(*health)
            except Exception:
                logger.exception("chat health listener failed")

    # -- sinks -------------------------------------------------------------------------------
    def set_gateway_sender(self, sender: GatewaySender | None, name: str = "gateway") -> None:
        """A gateway started (or stopped) streaming this webinar: offer (or withdraw) its sink."""
        self._gateway_sender = sender
        self._gateway_name = name
        self._report_health()
        self._notify()

    @property
    def can_read(self) -> bool:
        return self.status.state is ChatConnection.CONNECTED

    def available_sinks(self) -> list[AnswerSink]:
        """The sinks usable now, in the default order of preference."""
        sinks: list[AnswerSink] = []
        for kind in DEFAULT_SINK_ORDER:
            sink = self._make_sink(kind)
            if sink is not None:
                sinks.append(sink)
        return sinks

    def default_sink(self) -> AnswerSink:
        """``sendChatMessage`` if the server has it, then GraphQL, then the gateway."""
        sinks = self.available_sinks()
        if not sinks:
            raise NoAnswerSink(
                _("No way to send an answer: the server has no sendChatMessage, the chat is not "
                  "connected and no gateway streams this webinar."))
        return sinks[0]

    def sink(self, kind: SinkKind | str) -> AnswerSink:
        """The sink of ``kind``, or NoAnswerSink explaining why it can't be used now."""
        try:
            kind = SinkKind(kind)
        except ValueError:
            raise NoAnswerSink(_("“{sink}” is not an answer sink (use {choices}).").format(
                sink=str(kind)[:40], choices=", ".join(k.value for k in SinkKind))) from None
        sink = self._make_sink(kind)
        if sink is not None:
            return sink
        if kind is SinkKind.BBB_API:
            raise NoAnswerSink(_("This server has no sendChatMessage (it needs BBB 3.0 or later, without Scalelite)."))
        if kind is SinkKind.GRAPHQL:
            raise NoAnswerSink(_("The chat is not connected, so answers can't be sent as the monitoring user."))
        raise NoAnswerSink(_("No gateway streams this webinar, so answers can't go through a gateway."))

    def _make_sink(self, kind: SinkKind) -> AnswerSink | None:
        if kind is SinkKind.BBB_API:
            if supports_send_chat_message(self.api_info):
                return BBBApiSink(self._bbb, self.meeting_id, self.answer_sender_name)
            return None
        if kind is SinkKind.GRAPHQL:
            if self.source is not None and self.can_read:
                return GraphQLSink(self.source)
            return None
        if self._gateway_sender is not None:
            return GatewaySink(self._gateway_sender, self._gateway_name)
        return None

    def sender_name_of(self, sink: AnswerSink) -> str:
        """The sender name an answer sent through ``sink`` comes back under."""
        if sink.kind is SinkKind.BBB_API:
            return getattr(sink, "sender_name", None) or SYSTEM_SENDER
        if sink.kind is SinkKind.GRAPHQL:
            return self.monitor_name
        return self.gateway_user_name

    # -- answers -----------------------------------------------------------------------------
    def author_of(self, message_id: str) -> str:
        """Who wrote ``message_id`` ("First Last" for audience messages), from the log or the archive."""
        message = self.log.get(message_id)
        if message is None and self.archive is not None:
            raw = self.archive.get(self.key, message_id)
            if raw is not None:
                message = self.log.classifier.classify(raw)
        if message is None:
            raise AnswerTargetUnknown(
                _("There is no message “{message}” in this webinar's chat.").format(message=message_id[:60]),
                hint=_("Copy the id from “pupitre chat tail --json”."))
        return message.author

    async def answer(self, text: str, *, sink: AnswerSink | SinkKind | str | None = None,
                     reply_to: str | None = None) -> ChatMessage:
        """Send an answer; returns its row (pending, or already delivered if it came back).

        With ``reply_to`` the text is quoted ``@First Last: …`` so the audience sees who is
        answered (every sink sends the same text).  The length is checked before anything is
        sent or shown.  A refusal marks the row failed and raises the sink's PupitreError.
        """
        chosen = self.default_sink() if sink is None else (
            self.sink(sink) if isinstance(sink, SinkKind | str) else sink)
        body = text.strip()
        chat_text = quote_reply(self.author_of(reply_to), body) if reply_to else body
        sender = self.sender_name_of(chosen)
        validate_chat_message(chat_text, sender if chosen.kind is SinkKind.BBB_API else None)
        pending = self.log.add_pending(chat_text, sender, reply_to=reply_to)
        tracked = self._track(pending)
        try:
            await chosen.send(chat_text)
        except PupitreError:
            self.log.mark_failed(pending.id)
            self._notify()
            raise
        except TimeoutError:
            self.log.mark_failed(pending.id)
            self._notify()
            raise ChatSendError(
                _("The chat server did not confirm the answer in time; it may not have been sent.")) from None
        self._notify()
        return self._row_of(tracked) or pending

    def _track(self, pending: ChatMessage) -> _Tracked:
        index = self.log.index_of(pending.id)
        assert index is not None
        return _Tracked(pending.id, index, self.log.dropped_count)

    def _row_of(self, tracked: _Tracked) -> ChatMessage | None:
        index = self.log.index_of(tracked.pending_id)
        if index is None:  # reconciled: the real message took the pending row's place
            index = tracked.index - (self.log.dropped_count - tracked.dropped)
        if not 0 <= index < len(self.log):
            return None  # dropped from memory since
        return self.log[index]

    async def wait_delivered(self, message: ChatMessage, timeout: float) -> ChatMessage:
        """Wait until the pending answer ``message`` comes back from the chat; returns the real row.

        Raises TimeoutError, or the sink's failure as ChatSendError if the row failed.
        """
        if message.status is DeliveryStatus.DELIVERED:
            return message
        index = self.log.index_of(message.id)
        if index is None:
            raise ValueError(f"{message.id} is not a pending row of this log")
        tracked = _Tracked(message.id, index, self.log.dropped_count)

        def delivered() -> bool:
            row = self._row_of(tracked)
            return row is None or row.status is not DeliveryStatus.PENDING or self.finished

        await self.wait_until(delivered, timeout)
        row = self._row_of(tracked)
        if row is None:
            raise ChatSendError(_("The answer is no longer in the chat log."))
        if row.status is DeliveryStatus.FAILED:
            raise ChatSendError(_("The answer could not be sent."))
        if row.status is DeliveryStatus.PENDING:
            raise ChatSendError(_("The chat closed before the answer came back."))
        return row
