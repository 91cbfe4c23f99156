"""The v1.8 proxy emulator over real loopback HTTP: envelopes, the slot, the join through the
Greenlight-like room page or a signed join URL, commands, status, stop, faults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from desktop.lab.gateways import GatewayTimings, JoinPageServer, ProxyGatewayServer
from desktop.lab.world import LabWorld
from tests.lab import gateway_support as support
from tests.lab.gateway_support import (
    RecordingPublisher,
    signed_join_url,
    start_meeting,
    streaming_users,
    wait_for_world,
)

world = support.world
bbb_url = support.bbb_url
join_pages = support.join_pages
publisher = support.publisher
timings = support.timings

pytestmark = pytest.mark.lab

TOKEN = "1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RTMP = "rtmp://127.0.0.1:1935/live/v18"


@pytest.fixture
async def proxy(world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
                join_pages: JoinPageServer) -> AsyncIterator[ProxyGatewayServer]:
    server = ProxyGatewayServer(world, publisher, name="gw-v18", gw_id="gw-a1b2", token=TOKEN, timings=timings,
                                bbb_base_url=bbb_url, join_pages=join_pages)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def call(http: aiohttp.ClientSession, method: str, url: str, *, headers: dict[str, str] | None = None,
               **kwargs: Any) -> tuple[int, Any, dict[str, str]]:
    async with http.request(method, url, headers=AUTH if headers is None else headers, **kwargs) as response:
        return response.status, await response.json(content_type=None), dict(response.headers)


def start_body(room: str, **extra: str) -> dict[str, str]:
    return {"room": room, "main_app": "streaming", "browsing": "bigbluebutton",
            "browsing_name": "bigbluebutton", "rtmp_dst": RTMP, **extra}


async def started(proxy: ProxyGatewayServer, http: aiohttp.ClientSession, world: LabWorld,
                  join_pages: JoinPageServer, publisher: RecordingPublisher) -> str:
    meeting = start_meeting(world)
    room = join_pages.room_for(meeting.meeting_id)
    join_pages.register_join_page(meeting.meeting_id)
    status, body, _ = await call(http, "POST", proxy.url + "/start", json=start_body(room))
    assert (status, body) == (200, {"status": "success", "error": None,
                                    "data": {"processing_state": "working", "gw_id": "gw-a1b2"}})
    await publisher.wait_until(lambda: publisher.is_publishing("v18"))
    return room


# -- auth and envelopes -------------------------------------------------------------------------------
@pytest.mark.parametrize(("method", "path", "expected", "open_upstream"), [
    ("POST", "/start", "authorization error invalid_token ", False),
    ("POST", "/stop", "authorization error", False),
    ("GET", "/status?gw_id=gw-a1b2", "authorization error", True),
    ("GET", "/progress?gw_id=gw-a1b2", "authorization error", True),
    ("POST", "/command", "authorization error", True),
])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": TOKEN}])
async def test_refuses_a_bad_token(proxy: ProxyGatewayServer, http: aiohttp.ClientSession, method: str, path: str,
                                   expected: str, open_upstream: bool, headers: dict[str, str]) -> None:
    status, body, response_headers = await call(http, method, proxy.url + path, headers=headers, json={})
    if open_upstream:  # upstream checks no token there
        assert status != 401
        proxy.protect_all_routes = True
        status, body, response_headers = await call(http, method, proxy.url + path, headers=headers, json={})
    assert (status, body) == (401, {"error": expected})
    assert response_headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize(("missing", "detail"), [("browsing", "Missing 'browsing' parameter"),
                                                 ("room", "Missing 'room' parameter"),
                                                 ("main_app", "Missing 'main_app' parameter")])
async def test_start_without_a_required_field(proxy: ProxyGatewayServer, http: aiohttp.ClientSession,
                                              missing: str, detail: str) -> None:
    body = start_body("967ae002d1")
    del body[missing]
    assert (await call(http, "POST", proxy.url + "/start", json=body))[:2] == (
        400, {"status": "error", "error": {"code": 400, "detail": detail}, "data": None})


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", ""])
async def test_start_with_a_body_that_is_not_an_object_is_a_422(proxy: ProxyGatewayServer,
                                                               http: aiohttp.ClientSession, raw: str) -> None:
    status, body, _ = await call(http, "POST", proxy.url + "/start", data=raw,
                                 headers=AUTH | {"Content-Type": "application/json"})
    assert status == 422
    assert body["status"] == "error" and body["error"] == "Invalid input"
    assert isinstance(body["message"], list) and body["message"]


async def test_status_and_stop_of_unknown_gateways(proxy: ProxyGatewayServer, http: aiohttp.ClientSession) -> None:
    assert (await call(http, "GET", proxy.url + "/status"))[:2] == (
        400, {"status": "error", "error": {"code": 400, "detail": "Missing 'gw_id' or 'room' parameter"},
              "data": None})
    assert (await call(http, "GET", proxy.url + "/status?gw_id=other"))[:2] == (
        404, {"status": "error", "error": {"code": 404, "detail": "Gateway 'other' not found"}, "data": None})
    assert (await call(http, "GET", proxy.url + "/status?room=abc"))[:2] == (
        404, {"status": "error", "error": {"code": 404, "detail": "No gateway found for room 'abc'"}, "data": None})
    assert (await call(http, "POST", proxy.url + "/stop", json={"gw_id": "other"}))[:2] == (
        404, {"status": "error", "error": {"code": 404, "detail": "No mapping found for gateway 'other'"},
              "data": None})
    assert (await call(http, "GET", proxy.url + "/status?gw_id=gw-a1b2"))[:2] == (
        # proxy.py /register: a registered, free gateway is "started" (main 564e7a5)
        200, {"status": "success", "data": {"gw_id": "gw-a1b2", "gw_state": "started", "room": None, "browsing": None,
                                            "media_duration": "0", "transcript_progress": "0"}})
    assert (await call(http, "POST", proxy.url + "/command",
                       json={"gw_id": "gw-a1b2", "payload": {"command": "sendChat", "param1": "hi"}}))[:2] == (
        403, {"status": "error", "error": {"code": 403, "detail": "Gateway 'gw-a1b2' is stopped, cannot send commands"},
              "data": None})


# -- start, join, publish -----------------------------------------------------------------------------
async def test_start_joins_through_the_room_page_and_reports_up(
        proxy: ProxyGatewayServer, http: aiohttp.ClientSession, world: LabWorld, join_pages: JoinPageServer,
        publisher: RecordingPublisher) -> None:
    room = await started(proxy, http, world, join_pages, publisher)
    meeting = world.meetings["0042-amphi-l1"]
    assert [u.role for u in streaming_users(meeting)] == ["VIEWER"]
    # the proxy's own word from Redis: "working" (it never answers the launcher's "up")
    expected = {"status": "success", "data": {"gw_id": "gw-a1b2", "gw_state": "working", "room": room,
                                              "browsing": "bigbluebutton", "media_duration": "0",
                                              "transcript_progress": "0"}}
    assert (await call(http, "GET", proxy.url + "/status?gw_id=gw-a1b2"))[:2] == (200, expected)
    assert (await call(http, "GET", proxy.url + f"/status?room={room}"))[:2] == (200, expected)
    assert (await call(http, "GET", proxy.url + f"/progress?room={room}"))[:2] == (200, expected)


async def test_busy_is_a_503_envelope(proxy: ProxyGatewayServer, http: aiohttp.ClientSession, world: LabWorld,
                                      join_pages: JoinPageServer, publisher: RecordingPublisher) -> None:
    await started(proxy, http, world, join_pages, publisher)
    no_gateway = (503, {"status": "error", "error": {"code": 503, "detail": "No available gateways"}, "data": None})
    assert (await call(http, "POST", proxy.url + "/start", json=start_body("0123456789")))[:2] == no_gateway


async def test_start_with_a_signed_join_url_as_room(proxy: ProxyGatewayServer, http: aiohttp.ClientSession,
                                                    world: LabWorld, publisher: RecordingPublisher,
                                                    bbb_url: str) -> None:
    meeting = start_meeting(world, "signed-v18", "Signed")
    body = start_body(signed_join_url(bbb_url, world, meeting), browsing="anything")
    status, _, _ = await call(http, "POST", proxy.url + "/start", json=body)
    assert status == 200
    await wait_for_world(world, lambda: len(streaming_users(meeting)) == 1)
    await publisher.wait_until(lambda: publisher.is_publishing("v18"))


async def test_an_unknown_browsing_key_goes_nowhere(proxy: ProxyGatewayServer, http: aiohttp.ClientSession,
                                                    world: LabWorld, publisher: RecordingPublisher) -> None:
    start_meeting(world)
    status, _, _ = await call(http, "POST", proxy.url + "/start", json=start_body("967ae002d1", browsing="jitsi"))
    assert status == 200  # the launcher accepted; the container then finds nothing to browse
    await wait_for_world(world, lambda: not proxy.gateway.is_up)
    # the record keeps "working" until the proxy's monitor sees the launcher's "down": then "started"
    await wait_for_world(world, lambda: proxy.record_state == "started")
    assert (await call(http, "GET", proxy.url + "/status?gw_id=gw-a1b2"))[1]["data"]["gw_state"] == "started"
    assert publisher.history == []


# -- commands, stop ------------------------------------------------------------------------------------
async def test_send_chat_speaks_as_streaming(proxy: ProxyGatewayServer, http: aiohttp.ClientSession,
                                             world: LabWorld, join_pages: JoinPageServer,
                                             publisher: RecordingPublisher) -> None:
    await started(proxy, http, world, join_pages, publisher)
    meeting = world.meetings["0042-amphi-l1"]
    text = "(Jean Dupont) Est-ce que les diapos seront partagées ?"
    status, body, _ = await call(http, "POST", proxy.url + "/command",
                                 json={"gw_id": "gw-a1b2", "payload": {"command": "sendChat", "param1": text}})
    assert (status, body["status"]) == (200, "success")
    message = meeting.chat[-1]
    assert (message.text, message.sender_name, message.sender_id) == (
        text, "streaming", streaming_users(meeting)[0].user_id)


@pytest.mark.parametrize("key", ["c", "3"])
async def test_send_key_toggles_the_chat_panel(proxy: ProxyGatewayServer, http: aiohttp.ClientSession,
                                               world: LabWorld, join_pages: JoinPageServer,
                                               publisher: RecordingPublisher, key: str) -> None:
    await started(proxy, http, world, join_pages, publisher)
    scene = publisher.scenes["v18"]
    assert scene().chat_visible is True
    command = {"gw_id": "gw-a1b2", "payload": {"command": "sendKey", "param1": key}}
    assert (await call(http, "POST", proxy.url + "/command", json=command))[0] == 200
    assert scene().chat_visible is False
    other = {"gw_id": "gw-a1b2", "payload": {"command": "sendKey", "param1": "x"}}
    assert (await call(http, "POST", proxy.url + "/command", json=other))[0] == 200
    assert scene().chat_visible is False
    assert (await call(http, "POST", proxy.url + "/command", json=command))[0] == 200
    assert scene().chat_visible is True


async def test_stop_leaves_stops_publishing_and_forgets_the_room(
        proxy: ProxyGatewayServer, http: aiohttp.ClientSession, world: LabWorld, join_pages: JoinPageServer,
        publisher: RecordingPublisher) -> None:
    room = await started(proxy, http, world, join_pages, publisher)
    meeting = world.meetings["0042-amphi-l1"]
    assert (await call(http, "POST", proxy.url + "/stop", json={"gw_id": "gw-a1b2"}))[:2] == (
        200, {"status": "success", "error": None, "data": {"processing_state": "stopped"}})
    assert streaming_users(meeting) == []
    assert not publisher.is_publishing("v18")
    assert (await call(http, "GET", proxy.url + "/status?gw_id=gw-a1b2"))[1]["data"]["gw_state"] in ("stopped", "started")
    assert (await call(http, "GET", proxy.url + f"/status?room={room}"))[0] == 404


# -- faults --------------------------------------------------------------------------------------------
async def test_faults(proxy: ProxyGatewayServer, http: aiohttp.ClientSession, world: LabWorld) -> None:
    start_meeting(world)
    proxy.set_faults(busy=True)
    assert (await call(http, "POST", proxy.url + "/start", json=start_body("967ae002d1")))[:2] == (
        503, {"status": "error", "error": {"code": 503, "detail": "No available gateways"}, "data": None})
    proxy.gateway.clear_faults()
    proxy.set_faults(launch_fail=True)
    status, body, _ = await call(http, "POST", proxy.url + "/start", json=start_body("967ae002d1"))
    assert status == 503 and body["status"] == "error" and body["error"]["code"] == 503
    assert not proxy.gateway.is_up
    proxy.gateway.clear_faults()
    proxy.set_faults(http500=True)
    assert (await call(http, "GET", proxy.url + "/status?gw_id=gw-a1b2"))[:2] == (
        500, {"status": "error", "error": {"code": 500, "detail": "Internal Server Error"}, "data": None})
    proxy.gateway.clear_faults()
    proxy.set_faults(wrong_token=True)
    assert (await call(http, "POST", proxy.url + "/stop", json={"gw_id": "gw-a1b2"}))[0] == 401


async def test_hang_fault(proxy: ProxyGatewayServer, http: aiohttp.ClientSession, world: LabWorld) -> None:
    proxy.set_faults(hang=True)
    pending = asyncio.ensure_future(call(http, "GET", proxy.url + "/status?gw_id=gw-a1b2"))
    await wait_for_world(world, lambda: proxy.gateway.held_requests == 1)
    assert not pending.done()
    proxy.set_faults(hang=False)
    assert (await asyncio.wait_for(pending, 5))[0] == 200
