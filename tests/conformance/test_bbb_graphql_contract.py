"""The BBB 3 GraphQL contract, held against both Pupitre's reader and the lab's emulator.

Each test names what it checks and where that was read upstream.  Sources (facts only):

* MW: bigbluebutton/bigbluebutton ``bbb-graphql-middleware/internal/websrv/connhandler.go`` (develop
  branch, the version importing ``bbb-graphql-middleware/config``; no commit id from the index),
  ``internal/common/GlobalState.go`` (same), ``internal/websrv/rediscli.go`` (same),
  ``config/config.yml`` at 017f7bc6e0d94d18577ced0c603aac0799a7192e,
  ``internal/gql_actions/client.go`` at 02636c9ddb8179116e14b9f1e80c2e654efe7879.
* ACTIONS: bigbluebutton/bigbluebutton ``bbb-graphql-actions/src/actions/userSetConnectionAlive.ts``
  at 133b34186aa066fae0845dc42b49beacfff0d85c, ``bbb-graphql-actions/src/imports/validation.ts`` at
  b93c5b5e153a6a0e26e9173009fc22f14fdc45cb.
* SCHEMA: bigbluebutton/bigbluebutton
  ``bbb-graphql-server/metadata/databases/BigBlueButton/tables/public_v_chat_message_public.yaml``
  (select permission for ``bbb_client`` only).
* STRESS: iMDT/bbb-stress-test-utils@d0b5ab8f0780d7aebbd1939fb540166e0dc2f58a
  ``client-stress-test/hasura/client.go`` and ``client-stress-test/subscriptions/*.txt`` (frames
  dumped from the real HTML5 client).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from desktop.bbb import BBBClient, CreateParams, JoinParams
from desktop.chat import graphql_source as source_module
from desktop.chat.graphql_source import ChatConnection, ChatStatus, GraphQLChatSource
from desktop.chat.message import RawChatMessage
from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.bbb.graphql import GraphQLConnection
from desktop.lab.bbb.graphql_parse import parse_operation
from desktop.lab.world import LabMeeting, LabWorld

MEETING = "0001-contract"
PROTOCOL = Subprotocol("graphql-transport-ws")
JOIN = source_module.USER_JOIN
UNORDERED_CHAT = ("subscription chatMessages($limit: Int!, $offset: Int!) { chat_message_public(limit: $limit, "
                  "offset: $offset, order_by: {createdAt: asc}) { messageId } }")


# -- a lab, a meeting, a reader ------------------------------------------------------------------------------
class Lab:
    def __init__(self, world: LabWorld, server: BBBServer, bbb: BBBClient) -> None:
        self.world, self.server, self.bbb = world, server, bbb
        self.statuses: list[ChatStatus] = []
        self.messages: list[RawChatMessage] = []
        self._changed = asyncio.Event()

    @property
    def meeting(self) -> LabMeeting:
        meeting = self.world.meeting(MEETING)
        assert meeting is not None
        return meeting

    def connections(self) -> list[GraphQLConnection]:
        return [s for s in self.server.state.sockets if isinstance(s, GraphQLConnection) and s.acked]

    def monitor_users(self) -> int:
        return sum(1 for u in self.meeting.users.values() if u.full_name == "Pupitre")

    def source(self, **options: Any) -> GraphQLChatSource:
        return GraphQLChatSource(self.bbb, MEETING, on_messages=self._on_messages, on_status=self._on_status,
                                 max_backoff=0.2, **options)

    def _on_messages(self, batch: Any) -> None:
        self.messages.extend(batch)
        self._changed.set()

    def _on_status(self, status: ChatStatus) -> None:
        self.statuses.append(status)
        self._changed.set()

    def changed(self) -> None:
        self._changed.set()

    async def until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                self._changed.clear()
                with contextlib.suppress(TimeoutError):  # the lab's own state is re-checked too
                    await asyncio.wait_for(self._changed.wait(), 0.05)


async def _open_lab(options: BBBOptions) -> tuple[LabWorld, BBBServer, BBBClient]:
    world = LabWorld()
    server = BBBServer(world, options)
    await server.start()
    bbb = BBBClient(server.url, world.secret)
    await bbb.create(CreateParams(name="Contract", meeting_id=MEETING))
    async with httpx.AsyncClient(follow_redirects=True, timeout=10) as browser:  # a presenter keeps it running
        assert (await browser.get(bbb.join_url(JoinParams("Presenter", MEETING, role="MODERATOR")))).status_code == 200
    return world, server, bbb


@pytest.fixture
async def lab(request: pytest.FixtureRequest) -> AsyncIterator[Lab]:
    marker = request.node.get_closest_marker("bbb_options")
    options = BBBOptions(page_presence_timeout=3600, **(marker.kwargs if marker else {}))
    world, server, bbb = await _open_lab(options)
    try:
        yield Lab(world, server, bbb)
    finally:
        await bbb.aclose()
        await server.stop()
        world.close()


async def _running(lab: Lab, **options: Any) -> tuple[GraphQLChatSource, asyncio.Task[None]]:
    reader = lab.source(**options)
    return reader, asyncio.create_task(reader.run())


async def _stop(reader: GraphQLChatSource, task: asyncio.Task[None]) -> None:
    await reader.close()
    async with asyncio.timeout(5):
        await asyncio.gather(task, return_exceptions=True)


# raw sockets, for what the lab answers
async def _bot(lab: Lab, name: str = "Bot") -> tuple[str, str, str]:
    result, cookie = await lab.bbb.join_api(JoinParams(name, MEETING, role="VIEWER"))
    return result.session_token or "", result.auth_token or "", cookie or ""


def _socket(lab: Lab, cookie: str) -> Any:
    return connect(lab.server.graphql_url, subprotocols=[PROTOCOL], additional_headers={"Cookie": f"JSESSIONID={cookie}"},
                   open_timeout=5, close_timeout=2)


def _headers(token: str, **changes: str | None) -> dict[str, str]:
    headers = {"X-Session-Token": token, "X-ClientSessionUUID": "uuid-1", "X-ClientType": "HTML5",
               "X-ClientIsMobile": "false"}
    for key, value in changes.items():
        name = key.replace("_", "-")
        if value is None:
            headers.pop(name)
        else:
            headers[name] = value
    return headers


async def _recv(ws: ClientConnection) -> dict[str, Any]:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if frame.get("type") == "ping":
            await ws.send(json.dumps({"type": "pong"}))
            continue
        return frame


async def _init(ws: ClientConnection, headers: dict[str, str]) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "connection_init", "payload": {"headers": headers}}))
    return await _recv(ws)


async def _closed_with(ws: ClientConnection) -> tuple[int | None, str | None]:
    with pytest.raises(ConnectionClosed):
        while True:
            await asyncio.wait_for(ws.recv(), 5)
    return ws.close_code, ws.close_reason


async def _subscribe(ws: ClientConnection, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}))


# -- chat_message_public ---------------------------------------------------------------------------------------
# Fields the HTML5 client selects on chat_message_public (STRESS subscriptions/29-subscription-chatMessages.txt)
HTML5_CHAT_FIELDS = {"user", "messageSequence", "replyToMessage", "reactions", "messageType", "chatEmphasizedText",
                     "chatId", "message", "messageAsHtml", "messageId", "createdAt", "editedAt", "deletedAt",
                     "deletedBy", "messageMetadata", "senderName", "senderRole"}


def test_client_chat_fields_are_ones_the_html5_client_reads() -> None:
    """Every field Pupitre asks of chat_message_public is one the real client selects (STRESS 29-…txt),
    plus senderId (a column of the view: SCHEMA), so Hasura cannot refuse the query."""
    (field,) = parse_operation(source_module.CHAT_MESSAGES, {"limit": 1, "offset": 0}).fields
    assert field.name == "chat_message_public" and field.selections is not None
    asked = {f.name for f in field.selections}
    assert asked - HTML5_CHAT_FIELDS == {"senderId"}
    assert "createdTime" not in asked and "createdTimeAsDate" not in asked  # BBB >= 3.0 GA names only


def test_client_orders_by_created_at_then_message_sequence() -> None:
    """order_by is a list: createdAt, then messageSequence (createdAt is not unique; Hasura takes a list
    of order_by objects in order).  STRESS 29-…txt shows the HTML5 client's {createdAt: asc} alone."""
    (field,) = parse_operation(source_module.CHAT_MESSAGES, {"limit": 1, "offset": 0}).fields
    assert field.args["order_by"] == [{"createdAt": "asc"}, {"messageSequence": "asc"}]


@pytest.mark.bbb_options(graphql_role_switch_delay=0.0)
async def test_lab_pages_lose_a_tied_row_unless_the_order_is_total(lab: Lab) -> None:
    """Rows with the same createdAt: paging over createdAt alone can lose one at a page boundary;
    the client's total order never does.  (PostgreSQL gives no order among ties; the lab shows it.)"""
    # several tie groups so that at least one straddles a boundary badly under the lab's per-page order
    for n in range(12):
        message = lab.world.post_chat(lab.meeting, text=f"m{n}", sender_name="S")
        message.created_at = 1_772_632_800_000 + (n // 4) * 1000  # four messages per createdAt
    token, auth, cookie = await _bot(lab)
    async with _socket(lab, cookie) as ws:
        assert await _init(ws, _headers(token)) == {"type": "connection_ack"}
        await _subscribe(ws, "join", JOIN, {"authToken": auth, "clientType": "HTML5", "clientIsMobile": False})
        assert (await _recv(ws))["type"] == "next"
        assert (await _recv(ws))["type"] == "complete"

        async def pages(query: str, size: int) -> list[str]:
            ids: list[str] = []
            for offset in range(0, 12, size):
                await _subscribe(ws, f"q{size}-{offset}-{len(query)}", query.replace("subscription", "query", 1),
                                 {"limit": size, "offset": offset})
                frame = await _recv(ws)
                assert frame["type"] == "next", frame
                ids += [row["messageId"] for row in frame["payload"]["data"]["chat_message_public"]]
                assert (await _recv(ws))["type"] == "complete"
            return ids

        every = {m.message_id for m in lab.meeting.chat}
        lossy = [size for size in (2, 3, 5) if set(await pages(UNORDERED_CHAT, size)) != every]
        assert lossy, "the lab must show that createdAt alone is not a paging order"
        for size in (2, 3, 5):
            total = await pages(source_module.CHAT_MESSAGES, size)
            assert sorted(total) == sorted(every)


# -- user_current and the role switch -------------------------------------------------------------------------
def test_client_reads_user_current_joined() -> None:
    """Pupitre subscribes to user_current and reads joined (STRESS hasura/client.go waits for
    user_current[0].joined before going on; 01-subscription-Patched_userCurrentSubscription.txt)."""
    (field,) = parse_operation(source_module.USER_CURRENT).fields
    assert field.name == "user_current" and field.selections is not None
    assert {"userId", "joined"} <= {f.name for f in field.selections}


@pytest.mark.bbb_options(graphql_role_switch_delay=0.4)
async def test_lab_role_switch_refuses_the_chat_until_the_join_is_processed(lab: Lab) -> None:
    """Before akka-apps has processed the join the role is bbb_client_not_in_meeting and
    chat_message_public is not in its schema (SCHEMA); Hasura answers field-not-found.  The switch
    keeps the browser socket open (MW rediscli.go → a new Hasura connection) and user_current says
    joined: true."""
    token, auth, cookie = await _bot(lab)
    async with _socket(lab, cookie) as ws:
        assert await _init(ws, _headers(token)) == {"type": "connection_ack"}
        await _subscribe(ws, "me", source_module.USER_CURRENT)
        assert (await _recv(ws))["payload"]["data"]["user_current"][0]["joined"] is False
        await _subscribe(ws, "join", JOIN, {"authToken": auth, "clientType": "HTML5", "clientIsMobile": False})
        assert await _recv(ws) == {"id": "join", "type": "next", "payload": {"data": {"userJoinMeeting": True}}}
        assert await _recv(ws) == {"id": "join", "type": "complete"}
        await _subscribe(ws, "early", source_module.CHAT_MESSAGES, {"limit": 10, "offset": 0})
        assert await _recv(ws) == {"id": "early", "type": "error", "payload": [{
            "message": "field 'chat_message_public' not found in type: 'subscription_root'",
            "extensions": {"path": "$.selectionSet.chat_message_public", "code": "validation-failed"}}]}
        switched = await _recv(ws)  # no close: user_current comes again under the new role
        assert switched["id"] == "me" and switched["payload"]["data"]["user_current"][0]["joined"] is True
        await _subscribe(ws, "chat", source_module.CHAT_MESSAGES, {"limit": 10, "offset": 0})
        assert (await _recv(ws))["payload"]["data"]["chat_message_public"] == []


@pytest.mark.bbb_options(graphql_role_switch_delay=0.4)
async def test_client_waits_for_the_role_switch_then_reads_the_chat(lab: Lab, caplog: pytest.LogCaptureFixture) -> None:
    """The reader subscribes to the chat only after user_current.joined (the old reader subscribed at
    once, got the validation error, logged it and never retried: no chat at all)."""
    await lab.bbb.send_chat_message(MEETING, "(Jane Doe) hello", "streaming")
    reader, task = await _running(lab)
    try:
        await lab.until(lambda: [m.text for m in lab.messages] == ["(Jane Doe) hello"])
        assert reader.status.state is ChatConnection.CONNECTED
        assert "refused" not in caplog.text
    finally:
        await _stop(reader, task)


@pytest.mark.bbb_options(graphql_role_switch_delay=5.0)
async def test_client_reports_a_join_that_never_completes(lab: Lab) -> None:
    """No joined: true within join_timeout → a typed error with one sentence in the status, not a
    silent, empty chat."""
    reader, task = await _running(lab, join_timeout=0.3)
    try:
        await lab.until(lambda: any(s.state is ChatConnection.RECONNECTING for s in lab.statuses))
        status = next(s for s in lab.statuses if s.state is ChatConnection.RECONNECTING)
        assert status.detail.startswith("BBB did not confirm the monitoring user's entry into the meeting")
    finally:
        await _stop(reader, task)


# -- userSetConnectionAlive ----------------------------------------------------------------------------------------
def test_client_keep_alive_sends_the_required_arguments() -> None:
    """clientSessionUUID (String) and networkRttInMs (Float) are required by the action (ACTIONS
    userSetConnectionAlive.ts: throwErrorIfInvalidInput); the HTML5 client declares them String!/Float!."""
    (field,) = parse_operation(source_module.CONNECTION_ALIVE, {"clientSessionUUID": "u", "networkRttInMs": 1.0}).fields
    assert field.name == "userSetConnectionAlive"
    assert field.args == {"clientSessionUUID": "u", "networkRttInMs": 1.0}


async def test_lab_refuses_a_keep_alive_without_client_session_uuid(lab: Lab) -> None:
    """The middleware relays the action's refusal (MW gql_actions/client.go sendErrorMessage):
    error [{message}] then complete; the message is the action's (ACTIONS validation.ts)."""
    token, _auth, cookie = await _bot(lab)
    old = "mutation UpdateConnectionAliveAt($networkRttInMs: Float!) { userSetConnectionAlive(networkRttInMs: $networkRttInMs) }"
    async with _socket(lab, cookie) as ws:
        assert await _init(ws, _headers(token)) == {"type": "connection_ack"}
        await _subscribe(ws, "alive", old, {"networkRttInMs": 3.0})
        assert await _recv(ws) == {"id": "alive", "type": "error", "payload": [{"message": (
            "It was not able to send the request to Graphql Actions: graphql actions request failed: "
            "Missing required parameter: 'clientSessionUUID'")}]}
        assert await _recv(ws) == {"id": "alive", "type": "complete"}


async def test_client_keep_alive_is_accepted_with_one_session_uuid_across_reconnections(lab: Lab) -> None:
    """The reader's keep-alive carries the X-ClientSessionUUID of its connection_init, and the same
    UUID survives a reconnection (one per reader, as one per tab in the HTML5 client)."""
    reader, task = await _running(lab, keepalive_seconds=0.05)
    try:
        await lab.until(lambda: any(c.alive_inputs for c in lab.connections()))
        (first,) = lab.connections()
        assert first.client_session_uuid == reader.client_session_uuid
        assert first.alive_inputs[0]["clientSessionUUID"] == reader.client_session_uuid
        lab.world.fault_changed("graphql_drop")
        await lab.until(lambda: any(c is not first and c.alive_inputs for c in lab.connections()))
        (second,) = [c for c in lab.connections() if c is not first]
        assert second.client_session_uuid == reader.client_session_uuid
        assert lab.monitor_users() == 1
    finally:
        await _stop(reader, task)


# -- connection_init and refusals ------------------------------------------------------------------------------------
@pytest.mark.parametrize("missing", ["X_ClientSessionUUID", "X_ClientType", "X_ClientIsMobile", "X_Session_Token"])
async def test_lab_requires_the_four_connection_init_headers(lab: Lab, missing: str) -> None:
    """connectionInitHandler (MW connhandler.go) refuses a missing header with param_missing and the
    text "<header> header missing on init connection", then closes 4403 with that text."""
    token, _auth, cookie = await _bot(lab)
    name = missing.replace("_", "-")
    async with _socket(lab, cookie) as ws:
        frame = await _init(ws, _headers(token, **{missing: None}))
        text = f"{name} header missing on init connection"
        assert frame == {"id": "-1", "type": "error", "payload": [{"messageId": "param_missing", "message": text}]}
        assert await _closed_with(ws) == (4403, text)


def test_client_sends_the_four_connection_init_headers() -> None:
    """What the reader puts in connection_init is what the middleware requires (MW connhandler.go)."""
    seen: dict[str, Any] = {}

    class Recorder:
        async def send(self, raw: str) -> None:
            seen.update(json.loads(raw))

        async def recv(self) -> str:
            return json.dumps({"type": "connection_ack"})

    reader = GraphQLChatSource(BBBClient("http://127.0.0.1:9/", "s"), MEETING, on_messages=lambda batch: None)
    credentials = source_module._Credentials("tok", "auth", "w_1", "cookie")
    asyncio.run(reader._handshake(Recorder(), credentials))  # type: ignore[arg-type]
    assert seen["payload"]["headers"] == {"X-Session-Token": "tok", "X-ClientSessionUUID": reader.client_session_uuid,
                                          "X-ClientType": "HTML5", "X-ClientIsMobile": "false"}


async def test_lab_limits_connections_per_session_token(lab: Lab) -> None:
    """max_connections_per_session_token defaults to 3 (MW config.yml); the 4th gets
    too_many_connections / "too many connections" and 4403 (MW connhandler.go, GlobalState.go);
    a closed connection frees its place."""
    token, _auth, cookie = await _bot(lab)
    sockets = [await _socket(lab, cookie).__aenter__() for _ in range(3)]
    try:
        for ws in sockets:
            assert await _init(ws, _headers(token)) == {"type": "connection_ack"}
        async with _socket(lab, cookie) as fourth:
            assert await _init(fourth, _headers(token)) == {"id": "-1", "type": "error", "payload": [
                {"messageId": "too_many_connections", "message": "too many connections"}]}
            assert await _closed_with(fourth) == (4403, "too many connections")
        await sockets.pop().close()
        await lab.until(lambda: len(lab.connections()) == 2)
        async with _socket(lab, cookie) as again:
            assert await _init(again, _headers(token)) == {"type": "connection_ack"}
    finally:
        for ws in sockets:
            await ws.close()


async def test_lab_refuses_an_ended_meeting_with_meeting_not_found(lab: Lab) -> None:
    """meeting_not_found before 4403 (MW connhandler.go); which bbb-web answer leads there is
    [unverified] — the lab uses it for a token of an ended meeting."""
    token, _auth, cookie = await _bot(lab)
    lab.world.finish_meeting(lab.meeting, "test")
    async with _socket(lab, cookie) as ws:
        assert await _init(ws, _headers(token)) == {"id": "-1", "type": "error", "payload": [
            {"messageId": "meeting_not_found", "message": "error on trying to check authorization"}]}
        assert (await _closed_with(ws))[0] == 4403


@pytest.mark.bbb_options(graphql_max_connections_per_session_token=0)
async def test_client_does_not_join_again_on_too_many_connections(lab: Lab) -> None:
    """too_many_connections is not stale credentials: the reader waits and says so, and never joins a
    second "Pupitre" (the old reader joined again on every 4403).  A limit of 0 refuses every
    connection, as HasReachedMaxUserConnections does (MW GlobalState.go)."""
    reader, task = await _running(lab, crowded_backoff=0.05)
    try:
        await lab.until(lambda: sum(s.state is ChatConnection.RECONNECTING for s in lab.statuses) >= 3)
        assert lab.monitor_users() == 1
        refused = [s for s in lab.statuses if s.state is ChatConnection.RECONNECTING]
        assert refused[-1].detail.startswith("BBB refused the chat connection: the monitoring user already has too many")
    finally:
        await _stop(reader, task)


# -- meeting end -------------------------------------------------------------------------------------------------------
async def test_meeting_end_keeps_the_socket_and_the_client_notices(lab: Lab) -> None:
    """The meeting's end does not close the socket: the role is demoted, user_current says joined:
    false, the chat goes quiet.  The reader notices through user_current and isMeetingRunning (the
    old reader waited for a close that never comes)."""
    reader, task = await _running(lab)
    try:
        await reader.wait_connected(10)
        (connection,) = lab.connections()
        lab.world.finish_meeting(lab.meeting, "test")
        await lab.until(lambda: reader.status.state is ChatConnection.ENDED)
        assert reader.status.detail == "The meeting has ended."
        assert connection.role == "bbb_client_not_in_meeting"
        assert connection.close_reason_sent is None  # the lab never closed it: the reader did
        async with asyncio.timeout(5):
            await task
    finally:
        await _stop(reader, task)
