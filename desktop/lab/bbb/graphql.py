"""BBB 3's GraphQL websocket (``/graphql``), reduced to what a chat bot uses (bbb-api.md §4.3).

Protocol: ``graphql-transport-ws`` (connection_init/ack, subscribe, next, error, complete,
ping/pong); clients that do not request the sub-protocol get the same protocol.  The server sends
``ping`` every ``graphql_ping_interval`` seconds.

Authorisation happens at ``connection_init``, in bbb-graphql-middleware's order
(``graphql_upstream``): ``X-Session-Token`` present, fewer than
``graphql_max_connections_per_session_token`` sockets already hold that token, the three other
headers present, then bbb-web's check (the token names a session of a live meeting *and* the
upgrade request carries that session's ``JSESSIONID`` cookie, unless the meeting allows requests
without session).  A refusal is an ``error`` frame with id ``-1`` and ``[{messageId: <reason>,
message: <text>}]``, then a close with 4403 and ``<text>`` as reason.

The Hasura role of a socket is ``bbb_client_not_in_meeting`` until the join is processed
(``graphql_role_switch_delay`` after the ``userJoinMeeting`` reply, or at once for a user already
in the meeting); only then is ``chat_message_public`` visible — before, a subscription to it gets
Hasura's ``field 'chat_message_public' not found in type: 'subscription_root'`` error.  The switch
does not close the socket (the middleware renews its own Hasura connection): active subscriptions
are served again under the new role.  When the meeting ends the socket stays open as well: the
role is demoted, ``user_current`` is re-sent and the chat goes quiet.

Operations are recognised by their root field (no GraphQL engine):

* ``userJoinMeeting(authToken, clientType, clientIsMobile)`` (mutation): ``next
  {userJoinMeeting: true}`` then ``complete``; the user enters the meeting (and appears among
  getMeetingInfo's attendees) when the join is processed.  When the last socket of a joined user
  closes, the user leaves.
* ``userSetConnectionAlive(clientSessionUUID, networkRttInMs, applicationRttInMs, traceLog)``
  (mutation): ``true``, or — a required argument missing or of the wrong type — the refusal
  bbb-graphql-actions gives, worded by the middleware: ``error [{message}]`` then ``complete``.
* ``chatSendMessage(chatId, chatMessageInMarkdownFormat)`` (mutation): posts to
  ``MAIN-PUBLIC-GROUP-CHAT`` as the joined user; an ``error`` if the user has not joined, for any
  other chat id, or for an empty or over-long (> 5000) message.
* ``user_current`` (subscription or query): a one-row result set with the user's record; re-sent
  when the user enters or leaves, and when the meeting ends.
* ``chat_message_public(limit, offset, order_by)`` (subscription or query): **each ``next`` is the
  whole result set** of the query over the meeting's public chat (history included): rows ordered
  by the ``order_by`` keys given (one object or a list, ``createdAt``/``messageSequence``, asc or
  desc), then ``offset`` skipped, then at most ``limit`` kept.  Rows whose keys tie come in an
  order of the lab's own that differs between pages, as PostgreSQL promises none: ask for
  ``[{createdAt: asc}, {messageSequence: asc}]`` to page safely.  A first ``next`` comes at once;
  later ones at the live query's next refetch after a message arrived, and only when the result
  set changed (see "How BBB pushes the chat" below), so a window that is already full stays
  silent: move ``offset`` forward, or de-duplicate on ``messageId`` when re-sending a growing
  window.  ``where`` is ignored.

How BBB pushes the chat (read in bigbluebutton/bigbluebutton and hasura/graphql-engine; facts
taken, no code copied):

* The HTML5 client reads the public chat as a **live query**, not a stream: ``subscription
  chatMessages($limit, $offset) { chat_message_public(limit, offset, order_by: {createdAt: asc})
  … }`` in pages of 50 (``bigbluebutton-html5/imports/ui/components/chat/chat-graphql/
  chat-message-list/page/queries.ts`` at 1abbf594574a63b4969617116082fc0e1c310390 and
  ``page/component.tsx`` at 0285be474773d091a40ccbf2b22979b5b3c4ff60, ``PAGE_SIZE = 50``).
  Pupitre's reader subscribes to the same field the same way (``desktop.chat.graphql_source``,
  a 500-row window, same operation name ``chatMessages``).
* Hasura re-runs a live query every ``HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_REFETCH_INTERVAL``,
  which BBB sets to **250 ms** (``bbb-graphql-server/hasura-config.env`` at
  07f38842cc9671b478b57e0295c77769d3f86610; ``..._STREAMING_QUERIES_MULTIPLEXED_REFETCH_INTERVAL``
  is 100 ms there).  A poll pushes the whole result set to a subscriber only when its hash
  changed since the last push (new subscribers always get it): hasura/graphql-engine
  ``server/src-lib/Hasura/GraphQL/Execute/Subscription/Poll/LiveQuery.hs``,
  ``pushResultToCohort``.  So every message posted between two refetches arrives in **one**
  push, bounded by the query's ``limit`` (``HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_BATCH_SIZE``,
  not set by BBB, default 100, counts the *subscriptions* multiplexed into one SQL statement, not
  rows).  The lab refetches on the loop's clock every ``graphql_live_refetch_interval`` (0.25 s
  by default; 0 = push after every message, the worst case), and only when a message arrived
  since the last push, which is equivalent since nothing else changes the result set here.
* A poller is keyed by source, role and query text; a new one polls at once, then sleeps the
  interval; a subscription joining a running poller gets its first result at that poller's next
  poll (hasura/graphql-engine ``server/src-lib/Hasura/GraphQL/Execute/Subscription/State.hs``,
  ``addLiveQuery``: ``forever $ do pollLiveQuery …; sleep … refetchInterval``, ``PollerKey
  source role query``).  So a reader that moves its window (``complete`` then ``subscribe``) is
  answered at once when it is alone on the server with that query, and waits for the next poll
  when another subscriber of the same query keeps the poller alive: the lab does the same.
* bbb-graphql-middleware drops a ``next`` whose bytes (query id aside) have the same CRC-32 as
  the previous one of that subscription, and sends a JSON patch instead of the result set only to
  subscriptions whose operation name starts with ``Patched_``
  (``bbb-graphql-middleware/internal/hasura/conn/reader/reader.go`` at
  827e9e7743c6ad19d0245d120d6d35dda40419e3, ``handleSubscriptionMessage``): Pupitre's
  ``chatMessages`` gets whole result sets, and the lab never repeats an identical one.
* The chat *stream* (``getChatMessageStream``: ``chat_message_stream(cursor, batch_size: 10)``,
  ``chat-graphql/alert/queries.ts`` at 57625539703631757e0ed068245a05fd7c5ede21) feeds the
  HTML5 client's alerts, not its message list.  Older servers serve it through Hasura (at most 10
  rows per 100-ms poll); the newer middleware answers it itself from Redis with **one ``next``
  per message** (``internal/streaming_server/chatMessageStream.go`` at
  17bd397cc2ca78a8f017b168d5ee9b0cac483cce; ``config/Config.go`` at
  0365d169bae62b2d91140910e25539de1c74d76d, ``StreamingSubscriptionsManagedByMiddleware``).
  The lab does not serve that stream; a client of it would see the one-push-per-message case.

Rows carry the selected fields only; unknown fields inside a row are ``null``.  Any other root
field, a fragment or a syntax error gives an ``error`` message.  On a ``graphql_drop`` fault every
socket closes with 1011; when the server goes down, connections are aborted without a close frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import operator
from dataclasses import dataclass
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from desktop.lab.bbb import graphql_upstream as upstream
from desktop.lab.bbb.graphql_parse import (
    Field,
    GraphQLSyntaxError,
    Operation,
    parse_operation,
    project,
)
from desktop.lab.bbb.state import JSESSIONID, STATE_KEY, BBBState
from desktop.lab.world import PUBLIC_CHAT_ID, LabChatMessage, LabMeeting, LabUser, WorldEvent

logger = logging.getLogger(__name__)

SUBPROTOCOL = "graphql-transport-ws"
MAX_CHAT_MESSAGE = 5000  # the HTML5 client's chat limit

# graphql-transport-ws close codes
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_INIT_TIMEOUT = 4408
CLOSE_DUPLICATE_ID = 4409
CLOSE_TOO_MANY_INITS = 4429


def chat_row(message: LabChatMessage) -> dict[str, Any]:
    row = message.to_graphql()
    row.setdefault("chatEmphasizedText", False)
    row.setdefault("correlationId", None)
    row.setdefault("replyToMessageId", None)
    row.setdefault("reactions", [])
    return row


def user_row(meeting: LabMeeting, user: LabUser, waiting: bool) -> dict[str, Any]:
    return {
        "userId": user.user_id,
        "extId": user.external_user_id,
        "meetingId": meeting.internal_id,
        "name": user.full_name,
        "role": user.role,
        "isModerator": user.is_moderator,
        "presenter": False,
        "guest": waiting,
        "guestStatus": "WAIT" if waiting else "ALLOW",
        "joined": user.present,
        "loggedOut": user.left,
        "ejected": False,
        "clientType": user.client_type,
        "isOnline": user.present,
    }


@dataclass
class _Subscription:
    field: Field
    query: str = ""  # the document's text: Hasura's poller key, with the role
    last: dict[str, Any] | None = None  # the last result set pushed
    # messageId -> ((text, editedAt, deletedAt), projected row) of the last window
    rows: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = dataclasses.field(default_factory=dict)


class GraphQLConnection:
    """One websocket; lives as long as :meth:`run`."""

    def __init__(self, state: BBBState, request: web.Request, ws: web.WebSocketResponse) -> None:
        self.state = state
        self.world = state.world
        self.request = request
        self.ws = ws
        self.meeting: LabMeeting | None = None
        self.user: LabUser | None = None
        self.acked = False
        self.joined = False  # did userJoinMeeting on this socket
        self.role = upstream.ROLE_NOT_IN_MEETING
        self.session_token: str | None = None  # counted against the per-token limit once acked
        self.client_session_uuid: str | None = None
        self.close_reason_sent: tuple[int, str] | None = None  # set when the server closes the socket
        self.alive_inputs: list[dict[str, Any]] = []  # the last keep-alives' arguments, for inspection
        self._join_timer: asyncio.TimerHandle | None = None
        self.subscriptions: dict[str, _Subscription] = {}
        self._refetch_timer: asyncio.TimerHandle | None = None  # the chat live query's next poll
        self._outbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._closing: tuple[int, str] | None = None
        self._unsubscribe = self.world.subscribe(self._on_event)

    @property
    def meeting_id(self) -> str | None:
        return self.meeting.meeting_id if self.meeting is not None else None

    # -- closing -------------------------------------------------------------------------------
    def close_soon(self, code: int, reason: str) -> None:
        """Close after what is already queued (called from synchronous world listeners)."""
        if self._closing is None:
            self._closing = (code, reason)
            self.close_reason_sent = (code, reason)
            self._outbox.put_nowait(None)

    def abort(self) -> None:
        """Drop the TCP connection without a close frame: what a crashed server looks like."""
        transport = self.request.transport
        if transport is not None:
            transport.abort()
        self._closing = self._closing or (WSCloseCode.ABNORMAL_CLOSURE, "aborted")
        self._outbox.put_nowait(None)

    def send(self, message: dict[str, Any]) -> None:
        if self._closing is None:
            self._outbox.put_nowait(message)

    # -- main loop -----------------------------------------------------------------------------
    async def run(self) -> None:
        writer = asyncio.create_task(self._write_loop())
        pinger = asyncio.create_task(self._ping_loop())
        init_timer = asyncio.get_running_loop().call_later(
            self.state.options.graphql_init_timeout,
            lambda: None if self.acked else self.close_soon(CLOSE_INIT_TIMEOUT, "Connection initialisation timeout"))
        try:
            async for message in self.ws:
                if message.type != WSMsgType.TEXT:
                    if message.type == WSMsgType.BINARY:
                        self.close_soon(CLOSE_BAD_REQUEST, "Invalid message received")
                    continue
                try:
                    self._handle_text(message.data)
                except Exception:  # a lab bug must cost one socket, not the server
                    logger.exception("lab GraphQL: failed to handle a message")
                    self.close_soon(WSCloseCode.INTERNAL_ERROR, "Internal server error")
                if self._closing is not None:
                    break
        finally:
            init_timer.cancel()
            pinger.cancel()
            if self._join_timer is not None:
                self._join_timer.cancel()
            if self._refetch_timer is not None:
                self._refetch_timer.cancel()
            if self._closing is None:
                self._closing = (WSCloseCode.OK, "")
                self._outbox.put_nowait(None)
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await asyncio.wait_for(writer, timeout=5)
            self._unsubscribe()
            self._leave_if_last()

    async def _write_loop(self) -> None:
        while True:
            message = await self._outbox.get()
            if message is None:
                break
            try:
                await self.ws.send_str(json.dumps(message, separators=(",", ":")))
            except (ConnectionError, RuntimeError):
                break
        code, reason = self._closing or (WSCloseCode.OK, "")
        if not self.ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.close(code=code, message=reason.encode()[:120])

    async def _ping_loop(self) -> None:
        interval = self.state.options.graphql_ping_interval
        while True:
            await asyncio.sleep(interval)  # a keep-alive period, not a wait for state
            self.send({"type": "ping"})

    def _leave_if_last(self) -> None:
        if not self.joined or self.meeting is None or self.user is None:
            return
        others = [s for s in self.state.sockets
                  if s is not self and isinstance(s, GraphQLConnection) and s.joined and s.user is self.user]
        if not others and not self.meeting.ended:
            self.world.leave(self.meeting, self.user)

    # -- protocol --------------------------------------------------------------------------------
    def _handle_text(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            self.close_soon(CLOSE_BAD_REQUEST, "Invalid message received")
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            self.close_soon(CLOSE_BAD_REQUEST, "Invalid message received")
            return
        kind = message["type"]
        if kind == "connection_init":
            self._connection_init(message.get("payload"))
        elif kind == "ping":
            pong: dict[str, Any] = {"type": "pong"}
            if message.get("payload") is not None:
                pong["payload"] = message["payload"]
            self.send(pong)
        elif kind == "pong":
            pass
        elif kind == "subscribe":
            if not self.acked:
                self.close_soon(CLOSE_UNAUTHORIZED, "Unauthorized")
                return
            self._subscribe(message)
        elif kind == "complete":
            self.subscriptions.pop(str(message.get("id")), None)
        else:
            self.close_soon(CLOSE_BAD_REQUEST, f"Invalid message type {kind[:40]!r}")

    def _connection_init(self, payload: Any) -> None:
        if self.acked:
            self.close_soon(CLOSE_TOO_MANY_INITS, "Too many initialisation requests")
            return
        raw = payload.get("headers") if isinstance(payload, dict) else None
        # the middleware reads the headers with their exact names (Go map lookups)
        headers = raw if isinstance(raw, dict) else {}

        def text(name: str) -> str | None:
            value = headers.get(name)
            return value if isinstance(value, str) else None

        token = text(upstream.HEADER_SESSION_TOKEN)
        if token is None:
            self._refuse(upstream.REASON_PARAM_MISSING, upstream.header_missing_text(upstream.HEADER_SESSION_TOKEN))
            return
        if self._connections_holding(token) >= self.state.options.graphql_max_connections_per_session_token:
            self._refuse(upstream.REASON_TOO_MANY_CONNECTIONS, upstream.TEXT_TOO_MANY_CONNECTIONS)
            return
        for name in upstream.HEADERS_AFTER_LIMIT:
            if text(name) is None:
                self._refuse(upstream.REASON_PARAM_MISSING, upstream.header_missing_text(name))
                return
        found = self.state.find_session(token)
        cookie = self.request.cookies.get(JSESSIONID)
        # Which reason bbb-web's answer turns into is [unverified]: the middleware says
        # meeting_not_found when bbb-web gives no meeting id and user_not_found when it gives no
        # user id; the lab maps an ended meeting to the first and an unknown token or a missing
        # session cookie to the second.
        if found is None:
            self._refuse(upstream.REASON_USER_NOT_FOUND, upstream.TEXT_AUTHORIZATION)
            return
        meeting, user = found
        if meeting.ended or meeting.end_requested:
            self._refuse(upstream.REASON_MEETING_NOT_FOUND, upstream.TEXT_AUTHORIZATION)
            return
        if not self.state.session_allowed(meeting, user, cookie):
            self._refuse(upstream.REASON_USER_NOT_FOUND, upstream.TEXT_AUTHORIZATION)
            return
        self.meeting, self.user = meeting, user
        self.session_token = token
        self.client_session_uuid = text("X-ClientSessionUUID")
        # a user already in the meeting (another socket joined) gets bbb_client at once
        self.role = upstream.ROLE_IN_MEETING if user.present else upstream.ROLE_NOT_IN_MEETING
        self.acked = True
        self.send({"type": "connection_ack"})

    def _connections_holding(self, token: str) -> int:
        return sum(1 for s in self.state.sockets
                   if s is not self and isinstance(s, GraphQLConnection) and s.session_token == token
                   and s._closing is None)

    def _refuse(self, reason: str, text: str) -> None:
        """bbb-graphql-middleware's disconnectWithError: the reason frame, then 4403 (graphql_upstream)."""
        self.send(upstream.refusal_frame(reason, text))
        self.close_soon(CLOSE_FORBIDDEN, text)

    def _subscribe(self, message: dict[str, Any]) -> None:
        op_id = message.get("id")
        payload = message.get("payload")
        if not isinstance(op_id, str) or not op_id or not isinstance(payload, dict):
            self.close_soon(CLOSE_BAD_REQUEST, "Invalid message received")
            return
        if op_id in self.subscriptions:
            self.close_soon(CLOSE_DUPLICATE_ID, f"Subscriber for {op_id[:40]} already exists")
            return
        variables = payload.get("variables") if isinstance(payload.get("variables"), dict) else {}
        try:
            operation = parse_operation(payload.get("query", ""), variables)
        except GraphQLSyntaxError as exc:
            self._error(op_id, f"not a valid graphql query: {exc}", "validation-failed")
            return
        if operation.kind == "mutation":
            self._mutation(op_id, operation)
        elif operation.kind in ("subscription", "query"):
            self._read(op_id, operation, str(payload.get("query", "")))

    def _error(self, op_id: str, text: str, code: str) -> None:
        self.send({"id": op_id, "type": "error",
                   "payload": [{"message": text, "extensions": {"path": "$", "code": code}}]})

    # -- mutations ----------------------------------------------------------------------------------
    def _mutation(self, op_id: str, operation: Operation) -> None:
        assert self.meeting is not None and self.user is not None
        data: dict[str, Any] = {}
        for field in operation.fields:
            problem = self._mutate(field)
            if problem is not None:
                # mutations go to bbb-graphql-actions, not Hasura: a refusal is a message-only
                # error followed by complete (graphql_upstream, MW_GQL_ACTIONS)
                self.send({"id": op_id, "type": "error",
                           "payload": [{"message": upstream.action_failure_text(problem)}]})
                self.send({"id": op_id, "type": "complete"})
                return
            data[field.key] = True
        self.send({"id": op_id, "type": "next", "payload": {"data": data}})
        self.send({"id": op_id, "type": "complete"})

    def _mutate(self, field: Field) -> str | None:
        """Apply one mutation field; returns an error text or None."""
        meeting, user = self.meeting, self.user
        assert meeting is not None and user is not None
        if meeting.ended:
            return "meeting has ended"
        if field.name == "userJoinMeeting":
            if field.args.get("authToken") != user.auth_token:
                return "invalid authToken"
            if user.session_token in self.state.waiting_guests:
                return "guest is waiting for approval"
            client_type = field.args.get("clientType")
            self.joined = True
            self._schedule_join(client_type if isinstance(client_type, str) else "HTML5")
            return None
        if field.name == "userSetConnectionAlive":
            self.alive_inputs = [*self.alive_inputs[-19:], dict(field.args)]
            return upstream.validate_action_input(field.args, upstream.CONNECTION_ALIVE_INPUT)
        if field.name == "chatSendMessage":
            if not user.present:
                return "user is not joined in the meeting"
            chat_id = field.args.get("chatId")
            if chat_id != PUBLIC_CHAT_ID:
                return f"chat {str(chat_id)[:60]!r} not found (the lab serves {PUBLIC_CHAT_ID} only)"
            text = field.args.get("chatMessageInMarkdownFormat")
            if not isinstance(text, str) or not text.strip():
                return "the message is empty"
            if len(text) > MAX_CHAT_MESSAGE:
                return f"the message is longer than {MAX_CHAT_MESSAGE} characters"
            self.world.post_chat(meeting, text=text, sender_name=user.full_name, sender_id=user.user_id,
                                 sender_role=user.role)
            return None
        return f"field '{field.name[:60]}' not found in type: 'mutation_root'"

    def _schedule_join(self, client_type: str) -> None:
        """akka-apps processes the join after the mutation has answered; the user then enters and
        every socket of the user switches to ``bbb_client`` (``_on_event``: ``user_joined``)."""
        meeting, user = self.meeting, self.user
        assert meeting is not None and user is not None

        def process() -> None:
            self._join_timer = None
            if self._closing is None and not meeting.ended:
                if user.present:
                    self._switch_role(upstream.ROLE_IN_MEETING)  # already in: no user_joined event
                else:
                    self.world.enter(meeting, user, client_type=client_type)

        if self._join_timer is None:
            self._join_timer = asyncio.get_running_loop().call_later(
                max(0.0, self.state.options.graphql_role_switch_delay), process)

    def _switch_role(self, role: str) -> None:
        """The middleware renewed its Hasura connection with ``role``: the browser socket stays
        open and its active subscriptions are served again (graphql_upstream, MW_REDIS)."""
        if role == self.role:
            return
        self.role = role
        for op_id, subscription in list(self.subscriptions.items()):
            if subscription.field.name in upstream.FIELDS_NEEDING_JOIN and role != upstream.ROLE_IN_MEETING:
                continue  # demoted: the chat goes quiet [unverified: whether an error is sent instead]
            self._push(op_id, subscription)

    # -- reads (queries and subscriptions) ----------------------------------------------------------
    def _read(self, op_id: str, operation: Operation, query: str) -> None:
        root = "subscription_root" if operation.kind == "subscription" else "query_root"
        for field in operation.fields:
            hidden = field.name in upstream.FIELDS_NEEDING_JOIN and self.role != upstream.ROLE_IN_MEETING
            if hidden or field.name not in ("user_current", "chat_message_public"):
                # the same Hasura validation error whether the field does not exist or the role
                # cannot see it (graphql_upstream.field_not_found)
                self.send({"id": op_id, "type": "error", "payload": [upstream.field_not_found(field.name, root)]})
                return
        if operation.kind == "subscription" and len(operation.fields) != 1:
            self._error(op_id, "subscriptions must select one top level field", "validation-failed")
            return
        if operation.kind == "query":
            data = {field.key: self._resolve(field) for field in operation.fields}
            self.send({"id": op_id, "type": "next", "payload": {"data": data}})
            self.send({"id": op_id, "type": "complete"})
            return
        subscription = _Subscription(operation.fields[0], query)
        interval = self.state.options.graphql_live_refetch_interval
        if subscription.field.name == "chat_message_public" and interval > 0 and self._poller_running(query):
            # Hasura adds it to the running poller of that query: its first result comes with
            # that poller's next poll, not at once (see "How BBB pushes the chat")
            self.subscriptions[op_id] = subscription
            self._schedule_refetch(interval)
            return
        self.subscriptions[op_id] = subscription
        self._push(op_id, subscription)

    def _poller_running(self, query: str) -> bool:
        """Another chat live query with the same text is subscribed on this server, under the same
        role: Hasura polls both with one poller (its key is source, role and query text)."""
        return any(isinstance(socket, GraphQLConnection) and socket.role == self.role
                   and any(other.query == query for other in socket.subscriptions.values())
                   for socket in self.state.sockets)

    def _resolve(self, field: Field) -> list[dict[str, Any]]:
        meeting, user = self.meeting, self.user
        assert meeting is not None and user is not None
        if field.name == "user_current":
            rows = [user_row(meeting, user, user.session_token in self.state.waiting_guests)]
            return project(rows, field.selections, "user_current")
        return self._project_chat(self._chat_window(meeting, field.args), field, None)

    @staticmethod
    def _project_chat(window: list[LabChatMessage], field: Field,
                      cache: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] | None) -> list[dict[str, Any]]:
        """The rows of ``window`` with ``field``'s selection; a subscription keeps the rows of its
        last window (``cache``), so a refetch projects only the rows that are new or edited."""
        if cache is None:
            return project([chat_row(m) for m in window], field.selections, "chat_message_public")
        rows: list[dict[str, Any]] = []
        kept: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
        for message in window:
            state = (message.text, message.edited_at, message.deleted_at)
            known = cache.get(message.message_id)
            if known is None or known[0] != state:
                known = (state, project([chat_row(message)], field.selections, "chat_message_public")[0])
            kept[message.message_id] = known
            rows.append(known[1])
        cache.clear()
        cache.update(kept)
        return rows

    @staticmethod
    def _chat_window(meeting: LabMeeting, args: dict[str, Any]) -> list[LabChatMessage]:
        offset = args.get("offset")
        limit = args.get("limit")
        columns = {"createdAt": lambda m: m.created_at, "messageSequence": lambda m: m.sequence}
        keys = [(column, desc) for column, desc in upstream.order_keys(args.get("order_by")) if column in columns]
        # ties (and everything, without order_by) in an order of the lab's own per page
        # (graphql_upstream.unspecified_tie_rank), then the requested keys from the last to the
        # first: Python's sort is stable, so the first key decides and the next ones break ties
        if any(column == "messageSequence" for column, _desc in keys):
            messages = list(meeting.chat)  # a unique key among the keys: no tie left to rank
        else:
            messages = sorted(meeting.chat, key=lambda m: upstream.unspecified_tie_rank(m.message_id, limit, offset))
        if keys and len({desc for _column, desc in keys}) == 1:
            # one direction for every key: one sort on a C-level composite key (a refetch per
            # message must not cost the lab more than the reader it measures)
            attributes = {"createdAt": "created_at", "messageSequence": "sequence"}
            messages.sort(key=operator.attrgetter(*(attributes[column] for column, _desc in keys)),
                          reverse=keys[0][1])
        else:
            for column, desc in reversed(keys):
                messages.sort(key=columns[column], reverse=desc)
        start = offset if isinstance(offset, int) and offset > 0 else 0
        window = messages[start:]
        if isinstance(limit, int) and limit >= 0:
            window = window[:limit]
        return window

    def _push(self, op_id: str, subscription: _Subscription) -> None:
        field = subscription.field
        if field.name == "chat_message_public":
            assert self.meeting is not None
            data = {field.key: self._project_chat(self._chat_window(self.meeting, field.args), field,
                                                  subscription.rows)}
        else:
            data = {field.key: self._resolve(field)}
        if data != subscription.last:  # the middleware forwards no identical result set twice
            subscription.last = data
            self.send({"id": op_id, "type": "next", "payload": {"data": data}})

    def _schedule_refetch(self, interval: float) -> None:
        """The chat changed: its live queries are re-run at the next tick of a poller that ticks
        every ``interval`` on the loop's clock (Hasura's poller runs on its own timer, whatever
        the messages do; see the module docstring)."""
        if self._refetch_timer is not None:
            return  # the next poll is already due: it will carry this message too
        loop = asyncio.get_running_loop()
        delay = interval - (loop.time() % interval)
        self._refetch_timer = loop.call_later(delay, self._refetch_chat)

    def _refetch_chat(self) -> None:
        self._refetch_timer = None
        if self._closing is not None or self.role != upstream.ROLE_IN_MEETING:
            return
        for op_id, subscription in list(self.subscriptions.items()):
            if subscription.field.name == "chat_message_public":
                self._push(op_id, subscription)

    def _on_event(self, event: WorldEvent) -> None:
        if self.meeting is None or event.meeting_id != self.meeting.meeting_id or self._closing is not None:
            return
        if event.kind == "chat_message":
            if self.role != upstream.ROLE_IN_MEETING:
                return  # a demoted or not yet joined socket sees no chat
            if self.state.options.graphql_live_refetch_interval > 0:
                self._schedule_refetch(self.state.options.graphql_live_refetch_interval)
                return
            wanted = "chat_message_public"
        elif event.kind == "meeting_ended":
            # no close on meeting end: the role is demoted and the chat goes quiet (bbb-api.md,
            # "Checked against BBB's own code"; the exact demotion path in akka-apps is [unverified])
            self.role = upstream.ROLE_NOT_IN_MEETING
            wanted = "user_current"
        elif event.kind in ("user_joined", "user_left"):
            if self.user is None or event.data.get("user_id") != self.user.user_id:
                return
            if event.kind == "user_joined":
                self._switch_role(upstream.ROLE_IN_MEETING)
            wanted = "user_current"
        else:
            return
        for op_id, subscription in list(self.subscriptions.items()):
            if subscription.field.name == wanted:
                self._push(op_id, subscription)


async def graphql_handler(request: web.Request) -> web.StreamResponse:
    state: BBBState = request.app[STATE_KEY]
    if not state.options.graphql_enabled:
        raise web.HTTPNotFound()
    ws = web.WebSocketResponse(protocols=(SUBPROTOCOL,), autoping=True)
    await ws.prepare(request)
    connection = GraphQLConnection(state, request, ws)
    state.sockets.add(connection)
    try:
        await connection.run()
    finally:
        state.sockets.discard(connection)
    return ws

