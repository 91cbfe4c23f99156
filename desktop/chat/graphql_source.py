"""Reading (and writing) the BBB 3 public chat over GraphQL, as a joined monitoring user.

The flow is the one of the HTML5 client and of iMDT's stress client (bbb-api.md §4.3):

1. ``GET /bigbluebutton/api`` for ``graphqlWebsocketUrl`` (absent: BBB 2.x or Scalelite, no
   GraphQL path — :class:`ChatUnavailable`);
2. ``join`` with ``redirect=false`` as the monitoring user (name configurable, "Pupitre" by
   default), keeping ``session_token``, ``auth_token`` and the ``JSESSIONID`` cookie;
3. WebSocket with ``Cookie: JSESSIONID=…`` and the ``graphql-transport-ws`` sub-protocol;
   ``connection_init`` with ``X-Session-Token``; ``connection_ack`` (close 4403: refused);
4. ``user_current`` subscribed, then ``userJoinMeeting`` (the monitoring user now appears among
   the attendees); the Hasura role only becomes ``bbb_client`` once BBB has processed the join,
   so the chat is subscribed when ``user_current`` says ``joined: true`` (within
   ``join_timeout``, else :class:`ChatJoinTimeout`); ``userSetConnectionAlive`` every 10 s with
   the reader's one ``clientSessionUUID``, ``pong`` to every ``ping``, ``ka`` ignored;
5. ``chat_message_public`` ordered by ``createdAt`` then ``messageSequence`` (``createdAt`` is
   not unique: an offset over it alone can skip or repeat a row), read through a **window**
   (``limit``/``offset``): each ``next`` is a result set of the query, not a delta; when the
   window is full it moves forward.  Rows are de-duplicated on ``messageId`` and an edited row
   (``editedAt``/``deletedAt`` changed) is delivered again so the log can apply it.  The ids
   remembered for that are the current window's and the previous one's, not the whole live's.

On any drop the reader reconnects with exponential back-off and jitter and subscribes again from
the start of its current window, so nothing is missed and the de-duplication hides the overlap.
A refused chat subscription (an older middleware answers a validation error to a subscription
made before the role switch) is retried a few times, then the connection is renewed.

A 4403 comes after an ``error`` frame (id ``-1``) naming the reason (bbb-graphql-middleware
``disconnectWithError``): ``too_many_connections`` never re-joins (that would add another
attendee) and waits at least ``crowded_backoff``; ``meeting_not_found`` ends the reader;
``user_not_found`` — or a 4403 without a reason — joins again for fresh credentials, once until
a session succeeds.  The meeting's end does not close the socket: ``user_current`` turns
``joined`` false, the reader checks ``isMeetingRunning`` and stops with
:attr:`ChatConnection.ENDED`.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from desktop.bbb import BBBClient, JoinParams
from desktop.chat.message import PUBLIC_CHAT_ID, ChatDataError, RawChatMessage
from desktop.errors import NetworkError, ProtocolError, PupitreError
from desktop.i18n import _
from desktop.logs import register_secret

logger = logging.getLogger(__name__)

SUBPROTOCOL = "graphql-transport-ws"
CLOSE_FORBIDDEN = 4403

USER_JOIN = (
    "mutation UserJoin($authToken: String!, $clientType: String!, $clientIsMobile: Boolean!) "
    "{ userJoinMeeting(authToken: $authToken, clientType: $clientType, clientIsMobile: $clientIsMobile) }"
)
# clientSessionUUID and networkRttInMs are the action's required input
# (bigbluebutton/bigbluebutton: bbb-graphql-actions/src/actions/userSetConnectionAlive.ts at
# 133b34186aa066fae0845dc42b49beacfff0d85c); the optional applicationRttInMs and traceLog are not
# sent.  Newer HTML5 clients also send serverRequestId (an HTTP X-Request-Id); whether the newest
# servers require it is [unverified] — a refusal is logged at warning level.
CONNECTION_ALIVE = (
    "mutation UpdateConnectionAliveAt($clientSessionUUID: String!, $networkRttInMs: Float!) "
    "{ userSetConnectionAlive(clientSessionUUID: $clientSessionUUID, networkRttInMs: $networkRttInMs) }"
)
USER_CURRENT = "subscription userCurrentSubscription { user_current { userId name role joined loggedOut } }"
# The HTML5 client's own page query (a Hasura live query, not a stream: bigbluebutton/bigbluebutton
# bigbluebutton-html5/imports/ui/components/chat/chat-graphql/chat-message-list/page/queries.ts at
# 1abbf594574a63b4969617116082fc0e1c310390), with messageSequence added to break createdAt ties;
# BBB re-runs it every 250 ms and pushes the window when it changed (desktop.lab.bbb.graphql,
# "How BBB pushes the chat").  The operation name has no "Patched_" prefix: whole result sets.
# Rows per window.  When another reader of the same query keeps Hasura's poller alive, a moved
# window waits for the next 250-ms poll: one window per poll caps the reader at WINDOW / 0.25 s
# (200 rows: 800 msg/s, measured falling behind at 1,000 msg/s in the lab; 500 rows: 2,000 msg/s).
WINDOW = 500
CHAT_MESSAGES = (
    "subscription chatMessages($limit: Int!, $offset: Int!) "
    "{ chat_message_public(limit: $limit, offset: $offset, "
    "order_by: [{createdAt: asc}, {messageSequence: asc}]) "
    "{ messageId messageSequence messageType chatId message senderId senderName senderRole "
    "createdAt editedAt deletedAt user { name userId isModerator } } }"
)
CHAT_SEND = (
    "mutation ChatSendMessage($chatId: String!, $chatMessageInMarkdownFormat: String!) "
    "{ chatSendMessage(chatId: $chatId, chatMessageInMarkdownFormat: $chatMessageInMarkdownFormat) }"
)


class ChatConnection(enum.StrEnum):
    """The chat row of the health view."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    UNAVAILABLE = "unavailable"  # no GraphQL on this server (BBB 2.x, Scalelite)
    ENDED = "ended"  # the meeting is over
    CLOSED = "closed"  # stopped by us


class ChatUnavailable(PupitreError):
    """This server offers no GraphQL chat (BBB 2.x or Scalelite)."""


# the reasons bbb-graphql-middleware sends before closing with 4403 (bigbluebutton/bigbluebutton:
# bbb-graphql-middleware/internal/websrv/connhandler.go, develop, connectionInitHandler and
# refreshUserSessionVariables; akka-apps may add reasons of its own for the latter [unverified])
REASON_TOO_MANY_CONNECTIONS = "too_many_connections"
REASON_MEETING_NOT_FOUND = "meeting_not_found"
REASON_USER_NOT_FOUND = "user_not_found"
REASON_PARAM_MISSING = "param_missing"
REASON_CHECK_AUTHORIZATION_ERROR = "check_authorization_error"
REFUSAL_OPERATION_ID = "-1"


class ChatRefused(PupitreError):
    """The GraphQL endpoint refused the monitoring user (close code 4403).

    Attributes:
        reason: the middleware's reason (``too_many_connections``, ``meeting_not_found``,
            ``user_not_found``, ``param_missing``, ``check_authorization_error`` …), or "" when the
            server gave none.
    """

    def __init__(self, sentence: str, *, reason: str = "") -> None:
        super().__init__(sentence)
        self.reason = reason

    @classmethod
    def for_reason(cls, reason: str) -> ChatRefused:
        sentences = {
            REASON_TOO_MANY_CONNECTIONS: _("BBB refused the chat connection: the monitoring user already has "
                                          "too many connections open; waiting before trying again."),
            REASON_MEETING_NOT_FOUND: _("BBB refused the chat connection: the meeting is over."),
            REASON_USER_NOT_FOUND: _("BBB refused the chat connection: the monitoring user's session has "
                                     "expired."),
            REASON_PARAM_MISSING: _("BBB refused the chat connection: Pupitre left out a required "
                                    "parameter."),
            REASON_CHECK_AUTHORIZATION_ERROR: _("BBB refused the chat connection: the server could not check "
                                                "the monitoring user's session."),
        }
        sentence = sentences.get(reason) or _("The chat server refused the monitoring user ({reason}).").format(
            reason=reason[:60] or "4403")
        return cls(sentence, reason=reason)


class ChatJoinTimeout(PupitreError):
    """BBB did not confirm the monitoring user's join (``user_current.joined``) in time."""


class ChatSubscriptionRefused(PupitreError):
    """The server kept refusing the chat subscription after the join."""


class ChatSendError(PupitreError):
    """A chatSendMessage mutation was refused."""


@dataclass(frozen=True)
class ChatStatus:
    state: ChatConnection
    detail: str = ""
    attempt: int = 0
    retry_in: float | None = None


@dataclass
class _Credentials:
    session_token: str
    auth_token: str
    user_id: str
    jsessionid: str | None


MessagesCallback = Callable[[Sequence[RawChatMessage]], None]
StatusCallback = Callable[[ChatStatus], None]


class GraphQLChatSource:
    """Follows one meeting's public chat; call :meth:`run` in a task, :meth:`close` to stop.

    Attributes:
        user_id: the monitoring user's id once joined (the classifier marks its messages as the
            presenter's answers).
        status: the latest :class:`ChatStatus`.
    """

    def __init__(
        self,
        bbb: BBBClient,
        meeting_id: str,
        *,
        on_messages: MessagesCallback,
        on_status: StatusCallback | None = None,
        monitor_name: str = "Pupitre",
        monitor_role: str = "MODERATOR",
        window: int = WINDOW,
        keepalive_seconds: float = 10.0,
        ack_timeout: float = 10.0,
        max_backoff: float = 30.0,
        websocket_url: str | None = None,
        join_timeout: float = 20.0,
        crowded_backoff: float = 30.0,
        chat_retry_limit: int = 4,
    ) -> None:
        self._bbb = bbb
        self.meeting_id = meeting_id
        self._on_messages = on_messages
        self._on_status = on_status
        self.monitor_name = monitor_name
        self.monitor_role = monitor_role
        self.window = window
        self.keepalive_seconds = keepalive_seconds
        self.ack_timeout = ack_timeout
        self.max_backoff = max_backoff
        self._websocket_url = websocket_url
        self.join_timeout = join_timeout
        self.crowded_backoff = crowded_backoff
        self.chat_retry_limit = chat_retry_limit
        # one X-ClientSessionUUID per reader, sent in every connection_init and keep-alive (the
        # HTML5 client keeps one per browser tab across its reconnections)
        self.client_session_uuid = str(uuid.uuid4())
        self._credentials: _Credentials | None = None
        self._rejoined = False  # joined again after a refusal, and no session has succeeded since
        self._joined = asyncio.Event()  # user_current said joined: true on this connection
        self._was_joined = False
        self._chat_failures = 0
        self._session_error: PupitreError | None = None
        self._meeting_over = False
        self._last_rtt_ms = 0.0
        self._tasks: set[asyncio.Task[Any]] = set()
        # messageId -> (editedAt, deletedAt) of the rows of the current window, and of the
        # window before it (see _on_next): never more than two windows' worth of ids
        self._seen: dict[str, tuple[Any, Any]] = {}
        self._seen_before: dict[str, tuple[Any, Any]] = {}
        self._offset = 0
        self._ws: ClientConnection | None = None
        self._next_id = 0
        self._pending: dict[str, asyncio.Future[Any]] = {}
        self._closing = False
        self._connected = asyncio.Event()
        self._session_connected = False  # the current attempt got as far as CONNECTED
        self.user_id: str | None = None
        self.status = ChatStatus(ChatConnection.CONNECTING)

    # -- public ------------------------------------------------------------------------------
    async def run(self) -> None:
        """Connect, follow the chat, reconnect on drops; returns when closed or the meeting ended.

        Raises :class:`ChatUnavailable` when the server has no GraphQL (nothing to retry).
        """
        attempt = 0
        while not self._closing:
            self._session_connected = False
            try:
                await self._session()
            except ChatUnavailable as error:
                self._set_status(ChatStatus(ChatConnection.UNAVAILABLE, error.sentence))
                raise
            except asyncio.CancelledError:
                raise
            except _MeetingOver:
                self._set_status(ChatStatus(ChatConnection.ENDED, _("The meeting has ended.")))
                return
            except (PupitreError, OSError, ConnectionClosed, InvalidHandshake, TimeoutError, ProtocolError) as exc:
                if self._closing:
                    break
                if self._session_connected:
                    attempt = 0  # a session that ran and dropped starts the back-off afresh
                    self._rejoined = False
                attempt += 1
                delay = min(self.max_backoff, 0.5 * 2 ** (attempt - 1)) * (0.8 + 0.4 * random.random())
                reason = exc.reason if isinstance(exc, ChatRefused) else ""
                if reason == REASON_MEETING_NOT_FOUND:
                    self._set_status(ChatStatus(ChatConnection.ENDED, exc.sentence if isinstance(exc, ChatRefused)
                                                else _("The meeting has ended.")))
                    return
                if reason == REASON_TOO_MANY_CONNECTIONS:
                    # joining again would add one more "Pupitre" attendee and one more connection
                    delay = max(delay, self.crowded_backoff)
                elif reason in ("", REASON_USER_NOT_FOUND) and (isinstance(exc, ChatRefused) or _is_forbidden(exc)):
                    if not self._rejoined:
                        self._credentials = None  # stale: join again for fresh ones, once
                        self._rejoined = True
                    if not await self._meeting_running():
                        self._set_status(ChatStatus(ChatConnection.ENDED, _("The meeting has ended.")))
                        return
                self._set_status(ChatStatus(ChatConnection.RECONNECTING, _describe(exc), attempt, delay))
                logger.info("webinar chat: connection lost (%s), retrying in %.1fs", _describe(exc), delay)
                await asyncio.sleep(delay)  # back-off between attempts, not a wait for state
        self._set_status(ChatStatus(ChatConnection.CLOSED))

    async def close(self) -> None:
        self._closing = True
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()

    async def wait_connected(self, timeout: float) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def send_message(self, text: str, timeout: float = 10.0) -> None:
        """Post ``text`` to the public chat as the monitoring user (``chatSendMessage``)."""
        if self._ws is None or not self._connected.is_set():
            raise ChatSendError(_("The chat connection is not open; the answer was not sent."))
        result = await self._request(
            CHAT_SEND, "ChatSendMessage",
            {"chatId": PUBLIC_CHAT_ID, "chatMessageInMarkdownFormat": text}, timeout=timeout)
        if isinstance(result, dict) and result.get("errors"):
            raise ChatSendError(_("The server refused the message: {reason}").format(
                reason=_error_text(result["errors"])))

    # -- one connection ------------------------------------------------------------------------
    async def _session(self) -> None:
        self._set_status(ChatStatus(ChatConnection.CONNECTING))
        url = await self._graphql_url()
        if self._credentials is None:
            self._credentials = await self._join()
        creds = self._credentials
        headers = {"Cookie": f"JSESSIONID={creds.jsessionid}"} if creds.jsessionid else {}
        async with connect(
            url,
            subprotocols=[websockets.Subprotocol(SUBPROTOCOL)],
            additional_headers=headers,
            open_timeout=self.ack_timeout,
            ping_interval=None,  # graphql-transport-ws has its own ping/pong
            max_size=8 * 1024 * 1024,
            proxy=None,
        ) as ws:
            self._ws = ws
            self._joined.clear()
            self._was_joined = False
            self._chat_failures = 0
            self._session_error = None
            try:
                await self._handshake(ws, creds)
                reader = asyncio.create_task(self._read_loop(ws))
                keepalive: asyncio.Task[None] | None = None
                try:
                    # user_current first, as the HTML5 and iMDT's stress clients do: the role is
                    # bbb_client only once BBB has processed the join (user_current.joined)
                    self._send_nowait({"id": self._new_id("me"), "type": "subscribe", "payload": {
                        "operationName": "userCurrentSubscription", "variables": {}, "query": USER_CURRENT}})
                    joined = await self._request(USER_JOIN, "UserJoin", {
                        "authToken": creds.auth_token, "clientType": "HTML5", "clientIsMobile": False},
                        timeout=self.ack_timeout)
                    if _payload_errors(joined):
                        raise ChatRefused(_("BBB refused to let the monitoring user into the meeting: {reason}").format(
                            reason=_error_text(_payload_errors(joined))))
                    self.user_id = creds.user_id
                    keepalive = asyncio.create_task(self._keepalive())
                    await self._wait_joined(reader)
                    self._subscribe_window()
                    self._connected.set()
                    self._session_connected = True
                    self._rejoined = False
                    self._set_status(ChatStatus(ChatConnection.CONNECTED))
                    try:
                        await reader
                    except ConnectionClosed:
                        if self._session_error is not None:
                            raise self._session_error from None  # the reason frame says more
                        raise
                finally:
                    if keepalive is not None:
                        keepalive.cancel()
                    reader.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await reader
            finally:
                self._connected.clear()
                self._ws = None
                for future in self._pending.values():
                    if not future.done():
                        future.set_exception(ChatSendError(_("The chat connection closed.")))
                self._pending.clear()
        if self._meeting_over:
            raise _MeetingOver()
        if self._session_error is not None:
            raise self._session_error
        if not self._closing:
            raise ProtocolError(_("The chat connection was closed by the server."))

    async def _wait_joined(self, reader: asyncio.Task[None]) -> None:
        """Until ``user_current`` says ``joined: true``; a dropped connection ends the wait early."""
        waiter = asyncio.create_task(self._joined.wait())
        try:
            done, _pending = await asyncio.wait({waiter, reader}, timeout=self.join_timeout,
                                                return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if reader in done:
            if self._session_error is not None:
                raise self._session_error
            reader.result()  # the connection's own error, if any
            raise ProtocolError(_("The chat connection was closed by the server."))
        if not self._joined.is_set():
            raise ChatJoinTimeout(_("BBB did not confirm the monitoring user's entry into the meeting within "
                                    "{seconds} s; the chat cannot be read yet.").format(seconds=round(self.join_timeout)))

    async def _graphql_url(self) -> str:
        if self._websocket_url:
            return self._websocket_url
        info = await self._bbb.api_info()
        if not info.graphql_websocket_url:
            raise ChatUnavailable(
                _("This BBB server offers no GraphQL chat (BBB 2.x or a load balancer such as "
                  "Scalelite): audience messages can't be read from here."),
                hint=_("Answers can still be sent through the gateway."))
        self._websocket_url = info.graphql_websocket_url
        return self._websocket_url

    async def _join(self) -> _Credentials:
        if not await self._meeting_running():
            raise _MeetingOver()
        result, cookie = await self._bbb.join_api(JoinParams(
            full_name=self.monitor_name, meeting_id=self.meeting_id, role=self.monitor_role,
            userdata={"bbb_auto_join_audio": "false", "bbb_listen_only_mode": "false"}))
        for secret in (result.session_token, result.auth_token, cookie):
            register_secret(secret)
        if not result.session_token or not result.auth_token:
            raise ProtocolError(_("The BBB join answer carried no session token for the chat monitor."))
        return _Credentials(result.session_token, result.auth_token, result.user_id, cookie)

    async def _meeting_running(self) -> bool:
        try:
            return await self._bbb.is_meeting_running(self.meeting_id)
        except NetworkError:
            return True  # cannot tell: keep trying

    async def _handshake(self, ws: ClientConnection, creds: _Credentials) -> None:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"headers": {
            "X-Session-Token": creds.session_token,
            "X-ClientSessionUUID": self.client_session_uuid,
            "X-ClientType": "HTML5",
            "X-ClientIsMobile": "false",
        }}}))
        async with asyncio.timeout(self.ack_timeout):
            while True:
                frame = _decode(await ws.recv())
                kind = frame.get("type")
                if kind == "connection_ack":
                    return
                if kind == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif kind == "connection_error":
                    raise ChatRefused(_("The chat server refused the monitoring user."))
                elif kind == "error" and str(frame.get("id")) == REFUSAL_OPERATION_ID:
                    raise ChatRefused.for_reason(_refusal_reason(frame.get("payload")))

    def _subscribe_window(self) -> None:
        self._send_nowait({"id": self._new_id("chat"), "type": "subscribe", "payload": {
            "operationName": "chatMessages",
            "variables": {"limit": self.window, "offset": self._offset},
            "query": CHAT_MESSAGES}})

    async def _keepalive(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.keepalive_seconds)  # periodic by nature
            started = loop.time()
            try:
                result = await self._request(CONNECTION_ALIVE, "UpdateConnectionAliveAt", {
                    "clientSessionUUID": self.client_session_uuid, "networkRttInMs": self._last_rtt_ms},
                    timeout=self.keepalive_seconds)
            except (PupitreError, TimeoutError) as error:
                logger.warning("webinar chat: keep-alive got no answer (%s)", _describe(error))
                continue
            errors = _payload_errors(result)
            if errors:
                logger.warning("webinar chat: the server refused the keep-alive: %s", _error_text(errors))
                continue
            self._last_rtt_ms = round((loop.time() - started) * 1000, 1)
            logger.debug("chat keep-alive round trip %.0f ms", self._last_rtt_ms)

    async def _read_loop(self, ws: ClientConnection) -> None:
        async for raw in ws:
            frame = _decode(raw)
            kind = frame.get("type")
            if kind == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif kind in ("pong", "ka"):
                continue
            elif kind == "next":
                self._on_next(str(frame.get("id")), frame.get("payload"))
            elif kind == "error":
                if str(frame.get("id")) == REFUSAL_OPERATION_ID:
                    # the middleware's disconnectWithError: the 4403 close follows
                    self._session_error = ChatRefused.for_reason(_refusal_reason(frame.get("payload")))
                    continue
                self._on_error(str(frame.get("id")), frame.get("payload"))
            elif kind == "complete":
                future = self._pending.pop(str(frame.get("id")), None)
                if future is not None and not future.done():
                    future.set_result(None)

    def _on_next(self, op_id: str, payload: Any) -> None:
        future = self._pending.get(op_id)
        if future is not None:
            if not future.done():
                future.set_result(payload)
            return
        if op_id.startswith("me-"):
            self._on_user_current(payload)
            return
        if not op_id.startswith("chat"):
            return
        if _payload_errors(payload):
            self._on_chat_refused(op_id, _payload_errors(payload))
            return
        self._chat_failures = 0
        rows = _rows(payload)
        fresh: list[RawChatMessage] = []
        for row in rows:
            # a result set re-sends its whole window: skip rows already seen unchanged before
            # parsing them (one new message must not cost a window's worth of validation)
            if isinstance(row, dict):
                known_id = row.get("messageId")
                marker = _marker(row.get("editedAt"), row.get("deletedAt"))
                if isinstance(known_id, str) and self._seen_marker(known_id) == marker:
                    continue
            else:
                marker = _UNEDITED
            try:
                message = RawChatMessage.from_graphql(row)
            except ChatDataError as error:
                logger.warning("webinar chat: skipped a malformed row: %s", error.sentence)
                continue
            if self._seen_marker(message.message_id) == marker:
                continue
            self._seen[message.message_id] = marker
            fresh.append(message)
        if fresh:
            self._on_messages(fresh)
        if len(rows) >= self.window:
            # the window is full: move it forward so that result sets stay bounded
            self._send_nowait({"id": op_id, "type": "complete"})
            self._offset += len(rows)
            self._forget_old_window()
            self._subscribe_window()

    def _seen_marker(self, message_id: str) -> tuple[Any, Any] | None:
        marker = self._seen.get(message_id)
        if marker is None:
            marker = self._seen_before.get(message_id)
            if marker is not None:
                self._seen[message_id] = marker  # still served: it belongs to the current window
        return marker

    def _forget_old_window(self) -> None:
        """The window moved on: only the window just left is kept, in case a row of it comes back.

        The server never sends rows before the window's offset again (a reconnect subscribes at
        the same offset), so the ids of older windows are dead weight: the seen-set would
        otherwise grow by one entry per message for the whole live.  The window just left is
        kept because a late row (an earlier ``createdAt``) shifts the ordering by one, bringing
        the last rows of that window back at the start of the next one.  Past that, a re-sent row
        is still harmless: the chat log de-duplicates on ``messageId`` too.
        """
        self._seen_before = self._seen
        self._seen = {}

    @property
    def seen_count(self) -> int:
        """Message ids remembered for de-duplication (at most about two windows' worth)."""
        return len(self._seen) + len(self._seen_before)

    def _on_error(self, op_id: str, payload: Any) -> None:
        future = self._pending.pop(op_id, None)
        if future is not None and not future.done():
            future.set_result({"errors": payload})
        elif op_id.startswith("chat"):
            self._on_chat_refused(op_id, payload)
        else:
            logger.warning("webinar chat: server error on %s: %s", op_id, _error_text(payload))

    def _on_user_current(self, payload: Any) -> None:
        rows = payload.get("data", {}).get("user_current") if isinstance(payload, dict) else None
        row = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None
        if row is None:
            return
        if row.get("joined") is True:
            self._was_joined = True
            self._joined.set()
        elif self._was_joined:
            # no close comes with the meeting's end: the role is demoted and user_current says
            # so; isMeetingRunning tells an ended meeting from a removed user
            self._was_joined = False
            self._joined.clear()
            self._spawn(self._check_meeting_after_leave())

    async def _check_meeting_after_leave(self) -> None:
        if await self._meeting_running():
            logger.warning("webinar chat: BBB reports the monitoring user out of the meeting; reconnecting")
        else:
            self._meeting_over = True
        ws = self._ws
        if ws is not None:
            await ws.close()

    def _on_chat_refused(self, op_id: str, payload: Any) -> None:
        """An error on the chat subscription (e.g. a subscription that beat the role switch on an
        older middleware): retry it a few times with back-off, then renew the connection."""
        self._chat_failures += 1
        logger.warning("webinar chat: the chat subscription was refused (%d/%d): %s", self._chat_failures,
                       self.chat_retry_limit, _error_text(payload))
        if self._chat_failures > self.chat_retry_limit:
            self._session_error = ChatSubscriptionRefused(
                _("The chat server kept refusing the chat subscription: {reason}").format(reason=_error_text(payload)))
            ws = self._ws
            if ws is not None:
                self._spawn(ws.close())
            return
        delay = min(self.max_backoff, 0.25 * 2 ** (self._chat_failures - 1))
        self._spawn(self._resubscribe_after(op_id, delay))

    async def _resubscribe_after(self, op_id: str, delay: float) -> None:
        await asyncio.sleep(delay)  # back-off before asking again, not a wait for state
        if self._ws is not None and not self._closing:
            self._send_nowait({"id": op_id, "type": "complete"})
            self._subscribe_window()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _request(self, query: str, name: str, variables: dict[str, Any], *, timeout: float) -> Any:
        op_id = self._new_id(name)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[op_id] = future
        self._send_nowait({"id": op_id, "type": "subscribe",
                           "payload": {"operationName": name, "variables": variables, "query": query}})
        try:
            async with asyncio.timeout(timeout):
                return await future
        finally:
            self._pending.pop(op_id, None)

    def _send_nowait(self, frame: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None:
            raise ChatSendError(_("The chat connection is not open."))
        task = asyncio.get_running_loop().create_task(ws.send(json.dumps(frame)))
        task.add_done_callback(_ignore_closed)

    def _new_id(self, prefix: str) -> str:
        self._next_id += 1
        return f"{prefix}-{self._next_id}"

    def _set_status(self, status: ChatStatus) -> None:
        self.status = status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:
                logger.exception("chat status listener failed")


class _MeetingOver(Exception):
    pass


def _ignore_closed(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()  # retrieve it: a send on a closing socket is handled by the read loop


_UNEDITED: tuple[Any, Any] = (None, None)


def _marker(edited_at: Any, deleted_at: Any) -> tuple[Any, Any]:
    """The seen-set's record of a row's version; the common unedited one is a shared constant."""
    if edited_at is None and deleted_at is None:
        return _UNEDITED
    return (edited_at, deleted_at)


def _decode(raw: str | bytes) -> dict[str, Any]:
    try:
        frame = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurdly deep nesting
        raise ProtocolError(_("The chat server sent a frame that is not JSON.")) from None
    if not isinstance(frame, dict):
        raise ProtocolError(_("The chat server sent a frame that is not a JSON object."))
    return frame


def _rows(payload: Any) -> list[Any]:
    if not isinstance(payload, dict):
        return []
    data = payload.get("data")
    if not isinstance(data, dict):
        return []
    rows = data.get("chat_message_public")
    return rows if isinstance(rows, list) else []


def _payload_errors(payload: Any) -> Any:
    """The ``errors`` of a ``next`` payload (or of an ``error`` frame wrapped by _on_error)."""
    if isinstance(payload, dict):
        return payload.get("errors") or None
    return None


def _refusal_reason(payload: Any) -> str:
    """``messageId`` of the middleware's refusal frame (``[{"messageId": …, "message": …}]``)."""
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        reason = payload[0].get("messageId")
        if isinstance(reason, str):
            return reason[:60]
    return ""


def _error_text(payload: Any) -> str:
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        return str(payload[0].get("message", _("unknown error")))[:200]
    return str(payload)[:200]


def _is_forbidden(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionClosed):
        frame = exc.rcvd
        return frame is not None and frame.code == CLOSE_FORBIDDEN
    if isinstance(exc, InvalidStatus):
        return exc.response.status_code in (401, 403)
    return False


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PupitreError):
        return exc.sentence
    if isinstance(exc, ConnectionClosed):
        code = exc.rcvd.code if exc.rcvd is not None else None
        if code == CLOSE_FORBIDDEN:
            return _("The chat server refused the monitoring user (4403).")
        return _("The chat connection closed (code {code}).").format(code=code)
    if isinstance(exc, TimeoutError):
        return _("The chat server did not answer in time.")
    return _("The chat server could not be reached.")

