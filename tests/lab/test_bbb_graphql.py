"""The lab's GraphQL websocket over real loopback: auth (4403), the graphql-transport-ws protocol,
userJoinMeeting, chat_message_public result sets, chatSendMessage, ping/pong and faults."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.bbb.graphql_parse import GraphQLSyntaxError, parse_operation, project
from desktop.lab.world import PUBLIC_CHAT_ID, LabMeeting, LabWorld
from tests.lab.conftest import Api

JOIN = ("mutation UserJoin($authToken: String!, $clientType: String!, $clientIsMobile: Boolean!) "
        "{ userJoinMeeting(authToken: $authToken, clientType: $clientType, clientIsMobile: $clientIsMobile) }")
CHAT = ("subscription chatMessages($limit: Int!, $offset: Int!) { chat_message_public(limit: $limit, offset: $offset, "
        "order_by: [{createdAt: asc}, {messageSequence: asc}]) { messageId messageSequence messageType chatId message senderName senderRole "
        "createdAt editedAt deletedAt user { name userId isModerator } } }")
SEND = ("mutation ChatSendMessage($chatId: String!, $chatMessageInMarkdownFormat: String!) "
        "{ chatSendMessage(chatId: $chatId, chatMessageInMarkdownFormat: $chatMessageInMarkdownFormat) }")
ALIVE = ("mutation UpdateConnectionAliveAt($clientSessionUUID: String!, $networkRttInMs: Float!) "
         "{ userSetConnectionAlive(clientSessionUUID: $clientSessionUUID, networkRttInMs: $networkRttInMs) }")
USER_CURRENT = "subscription userCurrentSubscription { user_current { userId name role joined loggedOut __typename } }"
PROTOCOL = Subprotocol("graphql-transport-ws")


@dataclass
class Bot:
    token: str
    auth: str
    user_id: str
    cookie: str


@pytest.fixture
async def room(bbb_api: Api, bbb_world: LabWorld) -> LabMeeting:
    await bbb_api.create()
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    return meeting


async def join_bot(api: Api, name: str = "Pupitre") -> Bot:
    reply = await api.join_xml(full_name=name, role="VIEWER")
    return Bot(reply.get("session_token") or "", reply.get("auth_token") or "", reply.get("user_id") or "",
               reply.cookies["JSESSIONID"])


@pytest.fixture
async def bot(bbb_api: Api, room: LabMeeting) -> Bot:
    return await join_bot(bbb_api)


def open_socket(server: BBBServer, cookie: str | None, *, subprotocol: bool = True) -> Any:
    headers = {"Cookie": f"JSESSIONID={cookie}"} if cookie else {}
    return connect(server.graphql_url, subprotocols=[PROTOCOL] if subprotocol else None,
                   additional_headers=headers, open_timeout=5, close_timeout=2)


async def receive(ws: ClientConnection, *, answer_pings: bool = True) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if answer_pings and message.get("type") == "ping":
            await ws.send(json.dumps({"type": "pong"}))
            continue
        return message


async def send(ws: ClientConnection, message: dict[str, Any]) -> None:
    await ws.send(json.dumps(message))


async def init(ws: ClientConnection, token: str) -> dict[str, Any]:
    await send(ws, {"type": "connection_init", "payload": {"headers": {
        "X-Session-Token": token, "X-ClientSessionUUID": "0b1c", "X-ClientType": "HTML5", "X-ClientIsMobile": "false"}}})
    return await receive(ws)


async def close_code(ws: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed):
        while True:
            await asyncio.wait_for(ws.recv(), 5)
    return ws.close_code


async def subscribe(ws: ClientConnection, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
    await send(ws, {"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})


async def join_meeting(ws: ClientConnection, bot: Bot) -> None:
    await subscribe(ws, "join", JOIN, {"authToken": bot.auth, "clientType": "HTML5", "clientIsMobile": False})
    assert await receive(ws) == {"id": "join", "type": "next", "payload": {"data": {"userJoinMeeting": True}}}
    assert await receive(ws) == {"id": "join", "type": "complete"}


@pytest.fixture
async def ready(bbb_server: BBBServer, bot: Bot) -> AsyncIterator[ClientConnection]:
    async with open_socket(bbb_server, bot.cookie) as ws:
        assert await init(ws, bot.token) == {"type": "connection_ack"}
        yield ws


# -- authorisation ---------------------------------------------------------------------------------------
async def test_ack_with_token_and_cookie(bbb_server: BBBServer, bot: Bot) -> None:
    async with open_socket(bbb_server, bot.cookie) as ws:
        assert ws.subprotocol == "graphql-transport-ws"
        assert await init(ws, bot.token) == {"type": "connection_ack"}


async def test_clients_without_the_subprotocol_are_served(bbb_server: BBBServer, bot: Bot) -> None:
    async with open_socket(bbb_server, bot.cookie, subprotocol=False) as ws:
        assert ws.subprotocol is None
        assert await init(ws, bot.token) == {"type": "connection_ack"}


@pytest.mark.parametrize("case", ["no cookie", "other cookie", "wrong token", "no token"])
async def test_refusals_close_with_4403(bbb_server: BBBServer, bot: Bot, bbb_api: Api, case: str) -> None:
    other = await join_bot(bbb_api, "Other")
    cookie = {"no cookie": None, "other cookie": other.cookie}.get(case, bot.cookie)
    token = {"wrong token": "not-a-token", "no token": ""}.get(case, bot.token)
    async with open_socket(bbb_server, cookie) as ws:
        await send(ws, {"type": "connection_init", "payload": {"headers": {"X-Session-Token": token}}})
        assert await close_code(ws) == 4403


async def test_one_http_session_may_hold_several_tokens(bbb_server: BBBServer, bbb_api: Api, room: LabMeeting) -> None:
    first = await join_bot(bbb_api, "First")
    second = await bbb_api.join_xml(full_name="Second", cookies={"JSESSIONID": first.cookie})
    assert second.cookies["JSESSIONID"] == first.cookie
    async with open_socket(bbb_server, first.cookie) as ws:
        assert await init(ws, second.get("session_token") or "") == {"type": "connection_ack"}


async def test_meeting_without_session_check_needs_no_cookie(bbb_server: BBBServer, bbb_api: Api) -> None:
    await bbb_api.create("open-room", "Open", allowRequestsWithoutSession="true")
    bot = await join_bot_in(bbb_api, "open-room")
    async with open_socket(bbb_server, None) as ws:
        assert await init(ws, bot.token) == {"type": "connection_ack"}


async def join_bot_in(api: Api, meeting_id: str) -> Bot:
    reply = await api.join_xml(meeting_id=meeting_id, full_name="Bot")
    return Bot(reply.get("session_token") or "", reply.get("auth_token") or "", reply.get("user_id") or "",
               reply.cookies["JSESSIONID"])


async def test_ended_meeting_keeps_sockets_open_and_refuses_new_ones(bbb_server: BBBServer, bot: Bot,
                                                                     bbb_world: LabWorld, room: LabMeeting) -> None:
    """Meeting end demotes the role and re-sends user_current; the socket stays open (bbb-api.md,
    "Checked against BBB's own code"); a new connection is refused with meeting_not_found."""
    async with open_socket(bbb_server, bot.cookie) as ws:
        assert await init(ws, bot.token) == {"type": "connection_ack"}
        await join_meeting(ws, bot)
        await subscribe(ws, "me", USER_CURRENT)
        assert (await receive(ws))["payload"]["data"]["user_current"][0]["joined"] is True
        bbb_world.finish_meeting(room, "test")
        assert (await receive(ws))["payload"]["data"]["user_current"][0]["joined"] is False
        await send(ws, {"type": "ping"})
        assert await receive(ws, answer_pings=False) == {"type": "pong"}  # still open
    async with open_socket(bbb_server, bot.cookie) as ws:
        assert await init(ws, bot.token) == {"id": "-1", "type": "error", "payload": [
            {"messageId": "meeting_not_found", "message": "error on trying to check authorization"}]}
        assert await close_code(ws) == 4403


# -- protocol ----------------------------------------------------------------------------------------------
async def test_subscribe_before_ack_closes_4401(bbb_server: BBBServer, bot: Bot) -> None:
    async with open_socket(bbb_server, bot.cookie) as ws:
        await subscribe(ws, "1", USER_CURRENT)
        assert await close_code(ws) == 4401


async def test_second_init_and_duplicate_ids_close_the_socket(ready: ClientConnection, bot: Bot,
                                                             bbb_server: BBBServer) -> None:
    await subscribe(ready, "same", USER_CURRENT)
    await receive(ready)
    await subscribe(ready, "same", USER_CURRENT)
    assert await close_code(ready) == 4409
    async with open_socket(bbb_server, bot.cookie) as ws:
        assert await init(ws, bot.token) == {"type": "connection_ack"}
        await send(ws, {"type": "connection_init", "payload": {}})
        assert await close_code(ws) == 4429


async def test_init_timeout_closes_4408(bbb_world: LabWorld, bot: Bot) -> None:
    server = BBBServer(bbb_world, BBBOptions(graphql_init_timeout=0.1))
    await server.start()
    try:
        async with open_socket(server, bot.cookie) as ws:
            assert await close_code(ws) == 4408
    finally:
        await server.stop()


async def test_garbage_closes_4400(ready: ClientConnection) -> None:
    await ready.send("{not json")
    assert await close_code(ready) == 4400


async def test_ping_pong_both_ways(bbb_world: LabWorld, bot: Bot) -> None:
    server = BBBServer(bbb_world, BBBOptions(graphql_ping_interval=0.05))
    await server.start()
    try:
        async with open_socket(server, bot.cookie) as ws:
            assert await init(ws, bot.token) == {"type": "connection_ack"}
            assert await receive(ws, answer_pings=False) == {"type": "ping"}  # the server's keep-alive
            await send(ws, {"type": "ping", "payload": {"n": 1}})
            while (message := await receive(ws, answer_pings=False)) == {"type": "ping"}:
                pass
            assert message == {"type": "pong", "payload": {"n": 1}}
    finally:
        await server.stop()


async def test_unknown_operations_and_bad_documents_are_errors(ready: ClientConnection) -> None:
    for op_id, query in (("a", "subscription { meeting { name } }"), ("b", "mutation { presentationSetPage }"),
                         ("c", "subscription { chat_message_public { ...F } }"), ("d", "{ user_current {")):
        await subscribe(ready, op_id, query)
        message = await receive(ready)
        assert message["id"] == op_id and message["type"] == "error"
        assert message["payload"][0]["message"]
        if query.startswith("mutation"):  # a refused action is followed by complete
            assert await receive(ready) == {"id": op_id, "type": "complete"}
    await subscribe(ready, "ok", USER_CURRENT)  # the socket stays usable
    assert (await receive(ready))["type"] == "next"


# -- join and user ------------------------------------------------------------------------------------------
async def test_user_join_meeting_makes_the_bot_an_attendee(ready: ClientConnection, bot: Bot, bbb_api: Api,
                                                          room: LabMeeting) -> None:
    await subscribe(ready, "me", USER_CURRENT)
    first = await receive(ready)
    assert first["payload"]["data"]["user_current"] == [
        {"userId": bot.user_id, "name": "Pupitre", "role": "VIEWER", "joined": False, "loggedOut": False,
         "__typename": "user_current"}]
    assert (await bbb_api.call("isMeetingRunning", {"meetingID": "lab-room"})).get("running") == "false"
    await subscribe(ready, "join", JOIN, {"authToken": bot.auth, "clientType": "HTML5", "clientIsMobile": False})
    seen = [await receive(ready) for _ in range(3)]
    assert {"id": "join", "type": "next", "payload": {"data": {"userJoinMeeting": True}}} in seen
    assert {"id": "join", "type": "complete"} in seen
    update = next(m for m in seen if m["id"] == "me")
    assert update["payload"]["data"]["user_current"][0]["joined"] is True
    info = await bbb_api.call("getMeetingInfo", {"meetingID": "lab-room"})
    assert [(a.findtext("userID"), a.findtext("fullName")) for a in info.xml.findall("attendees/attendee")] == [
        (bot.user_id, "Pupitre")]
    assert (await bbb_api.call("isMeetingRunning", {"meetingID": "lab-room"})).get("running") == "true"
    await subscribe(ready, "alive", ALIVE, {"clientSessionUUID": "0b1c", "networkRttInMs": 12.5})
    assert await receive(ready) == {"id": "alive", "type": "next", "payload": {"data": {"userSetConnectionAlive": True}}}


async def test_wrong_auth_token_is_an_error(ready: ClientConnection, room: LabMeeting) -> None:
    await subscribe(ready, "join", JOIN, {"authToken": "nope", "clientType": "HTML5", "clientIsMobile": False})
    assert (await receive(ready))["type"] == "error"
    assert room.participant_count == 0


async def test_closing_the_socket_makes_the_bot_leave(bbb_server: BBBServer, bot: Bot, bbb_world: LabWorld,
                                                    room: LabMeeting) -> None:
    async with open_socket(bbb_server, bot.cookie) as ws:
        await init(ws, bot.token)
        await join_meeting(ws, bot)
        assert room.participant_count == 1
        left = asyncio.ensure_future(bbb_world.next_event(lambda e: e.kind == "user_left", 5))
    await left
    assert room.participant_count == 0


# -- chat ------------------------------------------------------------------------------------------------------
async def test_chat_history_then_live_result_sets(ready: ClientConnection, bot: Bot, bbb_api: Api,
                                                 room: LabMeeting, bbb_world: LabWorld) -> None:
    await join_meeting(ready, bot)
    await bbb_api.call("sendChatMessage", {"meetingID": "lab-room", "message": "first", "userName": "Host"})
    bbb_world.post_chat(room, text="(Jane Doe) <b>Bonjour</b>", sender_name="streaming", sender_id="w_gw")
    await subscribe(ready, "chat", CHAT, {"limit": 50, "offset": 0})
    history = (await receive(ready))["payload"]["data"]["chat_message_public"]
    assert [(m["senderName"], m["message"]) for m in history] == [("Host", "first"),
                                                                  ("streaming", "(Jane Doe) <b>Bonjour</b>")]
    row = history[1]
    assert set(row) == {"messageId", "messageSequence", "messageType", "chatId", "message", "senderName", "senderRole",
                        "createdAt", "editedAt", "deletedAt", "user"}
    assert (row["chatId"], row["messageType"], row["messageSequence"]) == (PUBLIC_CHAT_ID, "default", 2)
    assert row["createdAt"].endswith("Z") and row["editedAt"] is None
    assert row["user"] == {"name": "streaming", "userId": "w_gw", "isModerator": False}
    await bbb_api.call("sendChatMessage", {"meetingID": "lab-room", "message": "live"})
    live = (await receive(ready))["payload"]["data"]["chat_message_public"]
    assert [m["message"] for m in live] == ["first", "(Jane Doe) <b>Bonjour</b>", "live"]
    assert [m["messageId"] for m in live[:2]] == [m["messageId"] for m in history]


async def test_chat_window_applies_limit_and_offset(ready: ClientConnection, bot: Bot, room: LabMeeting,
                                                   bbb_world: LabWorld) -> None:
    await join_meeting(ready, bot)
    for n in range(5):
        bbb_world.post_chat(room, text=f"m{n}", sender_name="S")
    await subscribe(ready, "tail", CHAT, {"limit": 3, "offset": 3})
    assert [m["message"] for m in (await receive(ready))["payload"]["data"]["chat_message_public"]] == ["m3", "m4"]
    await subscribe(ready, "head", CHAT, {"limit": 2, "offset": 0})
    assert [m["message"] for m in (await receive(ready))["payload"]["data"]["chat_message_public"]] == ["m0", "m1"]
    bbb_world.post_chat(room, text="m5", sender_name="S")
    # the full head window does not change: only the tail subscription hears about m5
    message = await receive(ready)
    assert message["id"] == "tail"
    assert [m["message"] for m in message["payload"]["data"]["chat_message_public"]] == ["m3", "m4", "m5"]
    bbb_world.post_chat(room, text="m6", sender_name="S")  # both windows are full now: silence
    await subscribe(ready, "stop", ("query { chat_message_public(limit: 1, offset: 6, "
                                       "order_by: [{createdAt: asc}, {messageSequence: asc}]) { message } }"))
    assert await receive(ready) == {"id": "stop", "type": "next",
                                    "payload": {"data": {"chat_message_public": [{"message": "m6"}]}}}
    assert await receive(ready) == {"id": "stop", "type": "complete"}


async def test_messages_between_two_refetches_arrive_in_one_push(ready: ClientConnection, bot: Bot,
                                                                 room: LabMeeting, bbb_world: LabWorld) -> None:
    """BBB's Hasura re-runs the chat live query every 250 ms: what was posted in between is one push."""
    await join_meeting(ready, bot)
    await subscribe(ready, "chat", CHAT, {"limit": 50, "offset": 0})
    assert (await receive(ready))["payload"]["data"]["chat_message_public"] == []
    for n in range(5):  # posted without yielding to the loop: all before the next refetch
        bbb_world.post_chat(room, text=f"m{n}", sender_name="S")
    pushed = (await receive(ready))["payload"]["data"]["chat_message_public"]
    assert [m["message"] for m in pushed] == ["m0", "m1", "m2", "m3", "m4"]
    bbb_world.post_chat(room, text="m5", sender_name="S")
    assert [m["message"] for m in (await receive(ready))["payload"]["data"]["chat_message_public"]][-1] == "m5"


async def test_a_subscription_joining_a_running_poller_waits_for_its_next_poll(
        bbb_world: LabWorld, bot: Bot, room: LabMeeting, bbb_api: Api) -> None:
    """Hasura keys a poller on (role, query text): alone, a subscription is polled at once; beside
    another one of the same query it waits for the running poller's next poll."""
    server = BBBServer(bbb_world, BBBOptions(graphql_live_refetch_interval=3600))
    await server.start()
    other = await join_bot(bbb_api, "Other reader")
    try:
        async with open_socket(server, bot.cookie) as first, open_socket(server, other.cookie) as second:
            for ws, who in ((first, bot), (second, other)):
                assert await init(ws, who.token) == {"type": "connection_ack"}
                await join_meeting(ws, who)
            await subscribe(first, "chat", CHAT, {"limit": 50, "offset": 0})
            assert (await receive(first))["id"] == "chat"  # a new poller: polled at once
            await subscribe(second, "chat", CHAT, {"limit": 10, "offset": 0})
            await subscribe(second, "me", USER_CURRENT)  # a barrier: both were read by the server
            assert (await receive(second))["id"] == "me"  # no chat result before the poller's next poll
    finally:
        await server.stop()


async def test_refetch_interval_zero_pushes_once_per_message(bbb_world: LabWorld, bot: Bot, room: LabMeeting) -> None:
    server = BBBServer(bbb_world, BBBOptions(graphql_live_refetch_interval=0))
    await server.start()
    try:
        async with open_socket(server, bot.cookie) as ws:
            assert await init(ws, bot.token) == {"type": "connection_ack"}
            await join_meeting(ws, bot)
            await subscribe(ws, "chat", CHAT, {"limit": 50, "offset": 0})
            await receive(ws)
            for n in range(3):
                bbb_world.post_chat(room, text=f"m{n}", sender_name="S")
            sizes = [len((await receive(ws))["payload"]["data"]["chat_message_public"]) for _ in range(3)]
            assert sizes == [1, 2, 3]
    finally:
        await server.stop()


async def test_complete_stops_a_subscription(ready: ClientConnection, bot: Bot, room: LabMeeting,
                                             bbb_world: LabWorld) -> None:
    await join_meeting(ready, bot)
    await subscribe(ready, "chat", CHAT, {"limit": 50, "offset": 0})
    await receive(ready)
    await send(ready, {"id": "chat", "type": "complete"})
    await subscribe(ready, "me", USER_CURRENT)  # a barrier: the server has read the complete
    await receive(ready)
    bbb_world.post_chat(room, text="unheard", sender_name="S")
    await subscribe(ready, "me2", USER_CURRENT)
    assert (await receive(ready))["id"] == "me2"


async def test_chat_send_message_as_the_joined_user(ready: ClientConnection, bot: Bot, room: LabMeeting) -> None:
    await subscribe(ready, "early", SEND, {"chatId": PUBLIC_CHAT_ID, "chatMessageInMarkdownFormat": "too early"})
    assert (await receive(ready))["type"] == "error"
    assert await receive(ready) == {"id": "early", "type": "complete"}
    await join_meeting(ready, bot)
    await subscribe(ready, "private", SEND, {"chatId": "some-private-chat", "chatMessageInMarkdownFormat": "psst"})
    assert (await receive(ready))["type"] == "error"
    assert await receive(ready) == {"id": "private", "type": "complete"}
    await subscribe(ready, "chat", CHAT, {"limit": 50, "offset": 0})
    assert (await receive(ready))["payload"]["data"]["chat_message_public"] == []
    await subscribe(ready, "send", SEND, {"chatId": PUBLIC_CHAT_ID, "chatMessageInMarkdownFormat": "Hello **all**"})
    seen = [await receive(ready) for _ in range(3)]
    assert {"id": "send", "type": "next", "payload": {"data": {"chatSendMessage": True}}} in seen
    rows = next(m for m in seen if m["id"] == "chat")["payload"]["data"]["chat_message_public"]
    assert [(r["senderName"], r["message"], r["user"]["userId"]) for r in rows] == [("Pupitre", "Hello **all**",
                                                                                      bot.user_id)]
    assert [m.text for m in room.chat] == ["Hello **all**"]


# -- faults ---------------------------------------------------------------------------------------------------
async def test_drop_fault_closes_every_socket_and_reconnect_works(bbb_server: BBBServer, bot: Bot,
                                                                 bbb_world: LabWorld, room: LabMeeting) -> None:
    async with open_socket(bbb_server, bot.cookie) as one, open_socket(bbb_server, bot.cookie) as two:
        await init(one, bot.token)
        await init(two, bot.token)
        await join_meeting(one, bot)
        bbb_world.bbb_faults.graphql_drop += 1
        bbb_world.fault_changed("graphql_drop")
        assert await close_code(one) == 1011
        assert await close_code(two) == 1011
    async with open_socket(bbb_server, bot.cookie) as again:
        assert await init(again, bot.token) == {"type": "connection_ack"}
        await join_meeting(again, bot)
        assert room.participant_count == 1


async def test_down_fault_aborts_sockets_and_refuses_then_recovers(bbb_server: BBBServer, bot: Bot) -> None:
    async with open_socket(bbb_server, bot.cookie) as ws:
        await init(ws, bot.token)
        await bbb_server.set_down(True)
        assert await close_code(ws) == 1006  # no close frame: the server vanished
    with pytest.raises(OSError):
        async with open_socket(bbb_server, bot.cookie):
            pass
    await bbb_server.set_down(False)
    async with open_socket(bbb_server, bot.cookie) as ws:
        assert await init(ws, bot.token) == {"type": "connection_ack"}


async def test_no_graphql_in_bbb2_mode(bbb_world: LabWorld, bbb_http: aiohttp.ClientSession) -> None:
    server = BBBServer(bbb_world, BBBOptions(bbb2_mode=True))
    await server.start()
    try:
        with pytest.raises(InvalidStatus):
            async with open_socket(server, None):
                pass
    finally:
        await server.stop()


# -- the operation reader --------------------------------------------------------------------------------------
def test_reader_takes_variables_literals_aliases_and_selections() -> None:
    op = parse_operation(CHAT, {"limit": 50, "offset": 10})
    assert (op.kind, op.name) == ("subscription", "chatMessages")
    (field,) = op.fields
    assert field.args == {"limit": 50, "offset": 10, "order_by": [{"createdAt": "asc"}, {"messageSequence": "asc"}]}
    assert field.selections is not None and [f.name for f in field.selections][:2] == ["messageId", "messageSequence"]
    op = parse_operation('mutation { sent: chatSendMessage(chatId: "MAIN-PUBLIC-GROUP-CHAT", '
                         'chatMessageInMarkdownFormat: "a \\"quoted\\" (text)") }')
    assert op.fields[0].key == "sent" and op.fields[0].args["chatMessageInMarkdownFormat"] == 'a "quoted" (text)'
    assert project([{"a": 1, "b": {"c": 2, "d": 3}}], parse_operation("{ x { a b { c e } } }").fields[0].selections) == [
        {"a": 1, "b": {"c": 2, "e": None}}]


@given(st.text(alphabet=' {}()[]:$!@",.#\nabquerymutationsubcr0123456789-_\\', max_size=300))
def test_reader_refuses_garbage_with_its_own_error_only(text: str) -> None:
    with contextlib.suppress(GraphQLSyntaxError):
        parse_operation(text, {"a": 1})


def test_reader_refuses_deep_nesting() -> None:
    with pytest.raises(GraphQLSyntaxError):
        parse_operation("{ a " + "{ b " * 5000 + "}" * 5001)
    with pytest.raises(GraphQLSyntaxError):
        parse_operation("{ a(x: " + "[" * 5000 + "]" * 5000 + ") }")


async def test_stopping_the_server_closes_open_sockets(bbb_world: LabWorld, bot: Bot) -> None:
    server = BBBServer(bbb_world)
    await server.start()
    async with open_socket(server, bot.cookie) as ws:
        assert await init(ws, bot.token) == {"type": "connection_ack"}
        await asyncio.wait_for(server.stop(), 5)
        assert await close_code(ws) == 1001


async def test_a_server_may_stop_while_down(bbb_world: LabWorld) -> None:
    server = BBBServer(bbb_world)
    await server.start()
    await server.set_down(True)
    await asyncio.wait_for(server.stop(), 5)
