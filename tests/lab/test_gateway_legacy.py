"""The legacy SIPMediaGW emulator over real loopback HTTP: exact replies, the slot, the join
through Pod's page or a signed join URL, publishing, chat, toggle, stop, faults."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator

import aiohttp
import pytest

from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.gateways import (
    GatewayTimings,
    GatewayVersion,
    JoinPageServer,
    LegacyGatewayServer,
    SlotPhase,
)
from desktop.lab.world import LabWorld
from tests.lab import gateway_support as support
from tests.lab.gateway_support import (
    RecordingPublisher,
    signed_join_url,
    start_meeting,
    streaming_users,
    wait_for_world,
)

# fixtures shared by the gateway tests (module-level, so they stay out of the other lab tests)
world = support.world
bbb_url = support.bbb_url
join_pages = support.join_pages
publisher = support.publisher
timings = support.timings

pytestmark = pytest.mark.lab

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RTMP = "rtmp://127.0.0.1:1935/live/gw1"


@pytest.fixture
async def gateway(world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
                  join_pages: JoinPageServer) -> AsyncIterator[LegacyGatewayServer]:
    server = LegacyGatewayServer(world, publisher, name="gw1", token=TOKEN, timings=timings, bbb_base_url=bbb_url,
                                 version=GatewayVersion.V1_7,
                                 join_pages=join_pages)
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


def join_params(join_pages: JoinPageServer, meeting_id: str) -> dict[str, str]:
    """A v1.7 gateway fills Greenlight's ``#joinFormName`` (v1.7.0 ``browsing/bigbluebutton.py``):
    ``domain``/``room`` lead to the join-page server's Greenlight-like ``/<room>`` page."""
    return {"room": join_pages.room_for(meeting_id), "domain": join_pages.public_host, "rtmpDst": RTMP}


def pod_params(join_pages: JoinPageServer, meeting_id: str) -> dict[str, str]:
    """``domain`` and ``room`` split from the join-page URL exactly as Pod does (§3.3, §6.1)."""
    url = join_pages.register_join_page(meeting_id)
    meeting_base_url = url.removeprefix("https://")
    return {"room": meeting_base_url[-10:], "domain": meeting_base_url[:-11], "rtmpDst": RTMP}


async def get_json(http: aiohttp.ClientSession, url: str, **kwargs: object) -> tuple[int, object]:
    async with http.get(url, **kwargs) as response:  # type: ignore[arg-type]
        return response.status, await response.json(content_type=None)


# -- exact replies ------------------------------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czNjcmV0"}])
@pytest.mark.parametrize("path", ["/start?room=abc", "/stop?room=abc", "/chat?room=abc&toggle=True",
                                  "/progress?room=abc"])
async def test_refuses_a_bad_token_with_the_exact_401(gateway: LegacyGatewayServer, http: aiohttp.ClientSession,
                                                      path: str, headers: dict[str, str]) -> None:
    async with http.get(gateway.url + path, headers=headers) as response:
        assert response.status == 401
        assert await response.json() == {"Error": "authorization error"}
        assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


async def test_accepts_the_token_without_the_bearer_prefix_like_web_py(gateway: LegacyGatewayServer,
                                                                      http: aiohttp.ClientSession) -> None:
    status, body = await get_json(http, gateway.url + "/progress?room=abc", headers={"Authorization": TOKEN})
    assert (status, body) == (200, {"status": "success", "gw_state": "down"})


@pytest.mark.parametrize("query", ["", "?room=", "?room=0", "?domain=x"])
async def test_start_without_a_room_is_a_400(gateway: LegacyGatewayServer, http: aiohttp.ClientSession,
                                             query: str) -> None:
    status, body = await get_json(http, gateway.url + "/start" + query, headers=AUTH)
    assert (status, body) == (400, {"Error": "a room name must be specified"})


async def test_toggle_validation_bodies(gateway: LegacyGatewayServer, http: aiohttp.ClientSession) -> None:
    assert await get_json(http, gateway.url + "/chat?room=abc", headers=AUTH) == (
        400, {"Error": "toggle parameter is expected"})
    assert await get_json(http, gateway.url + "/chat?toggle=True", headers=AUTH) == (
        400, {"Error": "a room name must be specified"})


async def test_stop_and_commands_without_a_container(gateway: LegacyGatewayServer,
                                                     http: aiohttp.ClientSession) -> None:
    assert await get_json(http, gateway.url + "/stop?room=abc", headers=AUTH) == (
        400, {"Error": "no running container for room=abc"})
    status, body = await get_json(http, gateway.url + "/chat?room=abc&toggle=True", headers=AUTH)
    assert status == 200 and isinstance(body, dict) and body["res"] != "ok" and "abc" in body["res"]
    async with http.post(gateway.url + "/chat", json={"room": "abc", "msg": "hello"}) as response:
        reply = await response.json()
        assert response.status == 200 and reply["res"] != "ok"


# -- start, join through Pod's page, publish ------------------------------------------------------
async def test_start_joins_through_the_room_page_and_publishes(
        gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld,
        publisher: RecordingPublisher, join_pages: JoinPageServer) -> None:
    meeting = start_meeting(world)
    params = join_params(join_pages, meeting.meeting_id)
    status, body = await get_json(http, gateway.url + "/start", params=params, headers=AUTH)
    assert (status, body) == (200, {"status": "success", "details": {"res": "ok", "app": "streaming", "uri": RTMP}})
    # the reply comes before the browser joins
    assert streaming_users(meeting) == []

    await wait_for_world(world, lambda: len(streaming_users(meeting)) == 1)
    user = streaming_users(meeting)[0]
    assert user.role == "VIEWER"
    await publisher.wait_until(lambda: publisher.is_publishing("gw1"))
    scene = publisher.scenes["gw1"]()
    assert scene.title == "Amphi L1"
    assert scene.participant_count == 2
    assert scene.chat_visible is True
    # the scene follows the meeting (rebuilt on world events, read from the encoder thread)
    late = world.register_user(meeting, full_name="Late Viewer", role="VIEWER")
    world.enter(meeting, late)
    assert publisher.scenes["gw1"]().participant_count == 3
    assert await get_json(http, gateway.url + "/progress", params={"room": params["room"]}, headers=AUTH) == (
        200, {"status": "success", "transcript_progress": "0%"})


async def test_a_second_start_finds_no_free_resources(gateway: LegacyGatewayServer, http: aiohttp.ClientSession,
                                                      world: LabWorld, join_pages: JoinPageServer) -> None:
    meeting = start_meeting(world)
    params = join_params(join_pages, meeting.meeting_id)
    await get_json(http, gateway.url + "/start", params=params, headers=AUTH)
    other = dict(params, room="0123456789")
    status, body = await get_json(http, gateway.url + "/start", params=other, headers=AUTH)
    # the trap: "success" with res == error
    assert (status, body) == (200, {"status": "success",
                                    "details": {"res": "error", "type": "No free resources found"}})


async def test_start_joins_with_a_signed_join_url(gateway: LegacyGatewayServer, http: aiohttp.ClientSession,
                                                  world: LabWorld, publisher: RecordingPublisher,
                                                  bbb_url: str) -> None:
    meeting = start_meeting(world, "signed-1", "Signed")
    join_url = signed_join_url(bbb_url, world, meeting).replace("http://", "https://")
    domain, _, room = join_url.removeprefix("https://").partition("/bigbluebutton/api/")
    params = {"domain": domain + "/bigbluebutton/api", "room": room, "rtmpDst": RTMP}
    status, body = await get_json(http, gateway.url + "/start", params=params, headers=AUTH)
    assert status == 200 and isinstance(body, dict) and body["details"]["res"] == "ok"
    await wait_for_world(world, lambda: len(streaming_users(meeting)) == 1)
    await publisher.wait_until(lambda: publisher.is_publishing("gw1"))


async def test_a_tampered_join_url_never_gets_in(gateway: LegacyGatewayServer, http: aiohttp.ClientSession,
                                                 world: LabWorld, publisher: RecordingPublisher,
                                                 bbb_url: str) -> None:
    meeting = start_meeting(world, "signed-2", "Signed")
    gateway.timings.join_wait = 0.5
    join_url = signed_join_url(bbb_url, world, meeting, tamper=True)
    params = {"domain": "ignored.example", "room": join_url, "rtmpDst": RTMP}
    status, body = await get_json(http, gateway.url + "/start", params=params, headers=AUTH)
    assert status == 200 and isinstance(body, dict) and body["details"]["res"] == "ok"
    await wait_for_world(world, lambda: not gateway.gateway.is_up)
    last = gateway.gateway.last_run
    assert last is not None and last.failure is not None
    assert "?" not in last.failure  # URLs shown without their query (checksums, passwords)
    assert streaming_users(meeting) == []
    assert publisher.history == []


async def test_start_before_the_meeting_runs_fails_after_the_join_wait(
        world: LabWorld, publisher: RecordingPublisher, bbb_url: str, join_pages: JoinPageServer,
        http: aiohttp.ClientSession) -> None:
    timings = GatewayTimings.fast()
    timings.join_wait = 0.4
    server = LegacyGatewayServer(world, publisher, token=TOKEN, timings=timings, bbb_base_url=bbb_url,
                                 join_pages=join_pages, version=GatewayVersion.V1_7)
    await server.start()
    try:
        meeting, _ = world.create_meeting({"meetingID": "not-yet", "name": "Later"})
        params = join_params(join_pages, meeting.meeting_id)
        status, body = await get_json(http, server.url + "/start", params=params, headers=AUTH)
        assert status == 200 and isinstance(body, dict) and body["details"]["res"] == "ok"
        await wait_for_world(world, lambda: not server.gateway.is_up)
        assert server.gateway.last_run is not None and server.gateway.last_run.failure is not None
        assert "no join form within 0.4 s" in server.gateway.last_run.failure
        assert meeting.users == {}
        assert publisher.history == []
        assert await get_json(http, server.url + "/progress", params={"room": params["room"]}, headers=AUTH) == (
            200, {"status": "success", "gw_state": "down"})
    finally:
        await server.stop()


async def test_the_join_page_reload_lets_a_late_meeting_in(
        world: LabWorld, publisher: RecordingPublisher, bbb_url: str, join_pages: JoinPageServer,
        http: aiohttp.ClientSession) -> None:
    timings = GatewayTimings.fast()
    timings.join_wait = 5.0
    server = LegacyGatewayServer(world, publisher, token=TOKEN, timings=timings, bbb_base_url=bbb_url,
                                 join_pages=join_pages, version=GatewayVersion.V1_7)
    await server.start()
    try:
        meeting, _ = world.create_meeting({"meetingID": "late", "name": "Late"})
        params = join_params(join_pages, meeting.meeting_id)
        await get_json(http, server.url + "/start", params=params, headers=AUTH)
        # the browser is waiting on the "not started yet" page; now the presenter arrives
        await wait_for_world(world, lambda: server.gateway.run is not None and server.gateway.run.browser is not None)
        presenter = world.register_user(meeting, full_name="Ada", role="MODERATOR")
        world.enter(meeting, presenter)
        await wait_for_world(world, lambda: len(streaming_users(meeting)) == 1)
    finally:
        await server.stop()


# -- chat, toggle, stop -----------------------------------------------------------------------------
async def joined(gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld,
                 join_pages: JoinPageServer, publisher: RecordingPublisher) -> dict[str, str]:
    meeting = start_meeting(world)
    params = join_params(join_pages, meeting.meeting_id)
    await get_json(http, gateway.url + "/start", params=params, headers=AUTH)
    await publisher.wait_until(lambda: publisher.is_publishing("gw1"))
    return params


async def test_post_chat_needs_no_token_and_speaks_as_streaming(
        gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld, join_pages: JoinPageServer,
        publisher: RecordingPublisher) -> None:
    params = await joined(gateway, http, world, join_pages, publisher)
    meeting = world.meetings["0042-amphi-l1"]
    gateway.set_faults(wrong_token=True)  # POST /chat is not behind @authorize
    text = "(Jane Doe) J’aime <b>beaucoup</b> 🎉"
    async with http.post(gateway.url + "/chat", json={"room": params["room"], "msg": text}) as response:
        assert response.status == 200
        assert await response.json() == {"res": "ok"}
    message = meeting.chat[-1]
    streaming = streaming_users(meeting)[0]
    # v1.7: the bytes repr, its backslashes deleted by the container's netstring decoder
    typed = "b'(Jane Doe) Jxe2x80x99aime <b>beaucoup</b> xf0x9fx8ex89'"
    assert (message.text, message.sender_name, message.sender_id, message.sender_role) == (
        typed, "streaming", streaming.user_id, "VIEWER")
    assert publisher.scenes["gw1"]().chat[-1].text == typed


async def test_v17_renders_messages_as_python_bytes_without_backslashes(
        world: LabWorld, publisher: RecordingPublisher, bbb_url: str, join_pages: JoinPageServer,
        http: aiohttp.ClientSession) -> None:
    server = LegacyGatewayServer(world, publisher, token=TOKEN, timings=GatewayTimings.fast(), bbb_base_url=bbb_url, version=GatewayVersion.V1_7,
                                 join_pages=join_pages)
    await server.start()
    try:
        params = await joined(server, http, world, join_pages, publisher)
        async with http.post(server.url + "/chat", json={"room": params["room"], "msg": "Très bien"}) as response:
            assert await response.json() == {"res": "ok"}
        assert world.meetings["0042-amphi-l1"].chat[-1].text == "b'Trxc3xa8s bien'"
    finally:
        await server.stop()


async def test_toggle_flips_the_chat_panel_in_the_scene(
        gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld, join_pages: JoinPageServer,
        publisher: RecordingPublisher) -> None:
    params = await joined(gateway, http, world, join_pages, publisher)
    scene = publisher.scenes["gw1"]
    assert scene().chat_visible is True
    for expected in (False, True, False):
        status, body = await get_json(http, gateway.url + "/chat", params={"room": params["room"], "toggle": "True"},
                                      headers=AUTH)
        assert (status, body) == (200, {"res": "ok"})
        assert scene().chat_visible is expected


async def test_toggle_lost_fault_acknowledges_and_leaves_the_panel(
        gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld, join_pages: JoinPageServer,
        publisher: RecordingPublisher) -> None:
    """v1.7 chatHandler: the click fails inside try/except, the HTTP reply is "ok" all the same."""
    params = await joined(gateway, http, world, join_pages, publisher)
    gateway.set_faults(toggle_lost=True)
    status, body = await get_json(http, gateway.url + "/chat", params={"room": params["room"], "toggle": "True"},
                                  headers=AUTH)
    assert (status, body) == (200, {"res": "ok"})
    assert publisher.scenes["gw1"]().chat_visible is True
    gateway.set_faults(toggle_lost=False)
    await get_json(http, gateway.url + "/chat", params={"room": params["room"], "toggle": "True"}, headers=AUTH)
    assert publisher.scenes["gw1"]().chat_visible is False


async def test_stop_leaves_the_meeting_and_stops_publishing(
        gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld, join_pages: JoinPageServer,
        publisher: RecordingPublisher) -> None:
    params = await joined(gateway, http, world, join_pages, publisher)
    meeting = world.meetings["0042-amphi-l1"]
    status, body = await get_json(http, gateway.url + "/stop", params={"room": params["room"]}, headers=AUTH)
    assert status == 200 and isinstance(body, dict)
    assert body["status"] == "success" and "Stopped" in body["details"]["res"]
    assert streaming_users(meeting) == []
    assert not publisher.is_publishing("gw1")
    assert publisher.history == [("start", "gw1"), ("stop", "gw1")]
    assert await get_json(http, gateway.url + "/progress", params={"room": params["room"]}, headers=AUTH) == (
        200, {"status": "success", "gw_state": "down"})
    assert await get_json(http, gateway.url + "/stop", params={"room": params["room"]}, headers=AUTH) == (
        400, {"Error": f"no running container for room={params['room']}"})
    # the slot is free again
    status, body = await get_json(http, gateway.url + "/start", params=params, headers=AUTH)
    assert isinstance(body, dict) and body["details"]["res"] == "ok"


async def test_a_meeting_ending_keeps_the_container_publishing_the_ended_page(
        gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld, join_pages: JoinPageServer,
        publisher: RecordingPublisher) -> None:
    params = await joined(gateway, http, world, join_pages, publisher)
    meeting = world.meetings["0042-amphi-l1"]
    world.finish_meeting(meeting, "ended by test")
    assert gateway.gateway.run is not None and gateway.gateway.run.phase is SlotPhase.ENDED
    assert publisher.is_publishing("gw1")
    assert publisher.scenes["gw1"]().title == "The meeting has ended"
    assert (await get_json(http, gateway.url + "/progress", params={"room": params["room"]}, headers=AUTH))[1] == {
        "status": "success", "transcript_progress": "0%"}
    await get_json(http, gateway.url + "/stop", params={"room": params["room"]}, headers=AUTH)
    assert not publisher.is_publishing("gw1")


# -- faults ---------------------------------------------------------------------------------------
async def test_launch_fail_fault(gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld,
                                 join_pages: JoinPageServer, publisher: RecordingPublisher) -> None:
    meeting = start_meeting(world)
    gateway.set_faults(launch_fail=True)
    params = join_params(join_pages, meeting.meeting_id)
    assert await get_json(http, gateway.url + "/start", params=params, headers=AUTH) == (
        200, {"status": "success", "details": {"res": "error", "type": "The gateway failed to launch"}})
    assert not gateway.gateway.is_up
    assert publisher.history == []


async def test_busy_fault(gateway: LegacyGatewayServer, http: aiohttp.ClientSession, world: LabWorld,
                          join_pages: JoinPageServer) -> None:
    meeting = start_meeting(world)
    gateway.set_faults(busy=True)
    status, body = await get_json(http, gateway.url + "/start", params=pod_params(join_pages, meeting.meeting_id),
                                  headers=AUTH)
    assert status == 200
    assert isinstance(body, dict) and body["details"] == {"res": "error", "type": "No free resources found"}
    gateway.gateway.clear_faults()
    _, body = await get_json(http, gateway.url + "/start", params=pod_params(join_pages, meeting.meeting_id),
                             headers=AUTH)
    assert isinstance(body, dict) and body["details"]["res"] == "ok"


async def test_wrong_token_fault_refuses_the_right_token(gateway: LegacyGatewayServer,
                                                          http: aiohttp.ClientSession) -> None:
    gateway.set_faults(wrong_token=True)
    status, body = await get_json(http, gateway.url + "/progress?room=abc", headers=AUTH)
    assert (status, body) == (401, {"Error": "authorization error"})


async def test_http500_fault(gateway: LegacyGatewayServer, http: aiohttp.ClientSession) -> None:
    gateway.set_faults(http500=True)
    async with http.get(gateway.url + "/progress?room=abc", headers=AUTH) as response:
        assert response.status == 500


async def test_hang_fault_holds_requests_until_cleared(gateway: LegacyGatewayServer,
                                                       http: aiohttp.ClientSession) -> None:
    gateway.set_faults(hang=True)
    with pytest.raises(TimeoutError):
        async with http.get(gateway.url + "/progress?room=abc", headers=AUTH,
                            timeout=aiohttp.ClientTimeout(total=0.3)):
            pass
    held_before = gateway.gateway.held_requests
    pending = asyncio.ensure_future(get_json(http, gateway.url + "/progress?room=abc", headers=AUTH))
    await wait_for_world(gateway.world, lambda: gateway.gateway.held_requests > held_before)
    gateway.set_faults(hang=False)
    assert await asyncio.wait_for(pending, 5) == (200, {"status": "success", "gw_state": "down"})


async def test_stopping_the_server_frees_hung_requests(world: LabWorld, publisher: RecordingPublisher,
                                                       http: aiohttp.ClientSession) -> None:
    server = LegacyGatewayServer(world, publisher, token=TOKEN, timings=GatewayTimings.fast(), version=GatewayVersion.V1_7)
    await server.start()
    server.set_faults(hang=True)
    pending = asyncio.ensure_future(get_json(http, server.url + "/progress?room=abc", headers=AUTH))
    await wait_for_world(world, lambda: server.gateway.held_requests == 1)
    assert not pending.done()
    async with asyncio.timeout(3):
        await server.stop()
        await asyncio.wait({pending})
    assert server.gateway.held_requests == 0


async def test_the_app_s_signed_join_target_gets_in(gateway: LegacyGatewayServer, http: aiohttp.ClientSession,
                                                    world: LabWorld, publisher: RecordingPublisher,
                                                    bbb_url: str) -> None:
    """Pupitre's own signed target (``&checksum=…&userdata-pupitre_room=/<room>``) through the lab."""
    from desktop.gateways.join_target import room_id, signed_join_target, streaming_join_params

    meeting = start_meeting(world, "pupitre-signed", "Signed by the app")
    endpoint = bbb_url.replace("http://", "https://") + "/api/join"

    def checksum_of(query: str) -> str:
        return hashlib.sha256(("join" + query + world.secret).encode()).hexdigest()

    target = signed_join_target(checksum_of, endpoint,
                                streaming_join_params(meeting.meeting_id, create_time=str(meeting.create_time)),
                                room_id("webinar-1"))
    params = {"domain": target.domain, "room": target.room, "rtmpDst": RTMP}
    status, body = await get_json(http, gateway.url + "/start", params=params, headers=AUTH)
    assert status == 200 and isinstance(body, dict) and body["details"]["res"] == "ok"
    await wait_for_world(world, lambda: len(streaming_users(meeting)) == 1)
    assert streaming_users(meeting)[0].customdata["pupitre_room"] == "/" + target.room
    await publisher.wait_until(lambda: publisher.is_publishing("gw1"))


async def test_the_joined_browser_keeps_its_bbb_page_alive(world: LabWorld, publisher: RecordingPublisher,
                                                           join_pages: JoinPageServer) -> None:
    """The lab BBB lets the user of a silent client page leave (a closed tab); the gateway's browser
    polls like an open page, so it stays while a page loaded once and left alone goes."""
    bbb = BBBServer(world, BBBOptions(page_presence_timeout=0.3))
    await bbb.start()
    timings = GatewayTimings.fast()
    timings.client_reload = 0.05
    server = LegacyGatewayServer(world, publisher, token=TOKEN, timings=timings, bbb_base_url=bbb.url,
                                 join_pages=join_pages, version=GatewayVersion.V1_7)
    join_pages.bbb_base_url = bbb.url
    await server.start()
    try:
        meeting = start_meeting(world)
        params = join_params(join_pages, meeting.meeting_id)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            await get_json(browser, server.url + "/start", params=params, headers=AUTH)
            await wait_for_world(world, lambda: len(streaming_users(meeting)) == 1)
            # a tab opened after the gateway joined, then left without polling
            async with browser.get(signed_join_url(bbb.url, world, meeting, name="Idle Tab")) as response:
                assert response.status == 200
            await wait_for_world(world, lambda: not any(u.full_name == "Idle Tab" for u in meeting.present_users))
        assert len(streaming_users(meeting)) == 1
    finally:
        await server.stop()
        await bbb.stop()
