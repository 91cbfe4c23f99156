"""SIPMediaGW contract details, each run against Pupitre's drivers *and* the lab's gateways.

Every test names what it pins and where it was read (Renater/SIPMediaGW, file, tag or commit).
The lab runs chat through a real ``/bin/sh`` with upstream's command templates
(:mod:`desktop.lab.gateways.shell`), so the tests below that send raw, unescaped text show the
lab reproducing the real gateway's failure — what the drivers must never let happen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from desktop.gateways import (
    ChatRelay,
    GatewayFeatureUnavailable,
    GatewayState,
    JoinTarget,
    LegacySipMediaGw,
    SipMediaGw,
)
from desktop.gateways.base import GatewaySession
from desktop.lab.gateways import (
    GatewayTimings,
    GatewayVersion,
    JoinPageServer,
    LegacyGatewayServer,
    ProxyGatewayServer,
)
from desktop.lab.world import LabMeeting, LabWorld
from tests.lab import gateway_support as support
from tests.lab.gateway_support import RecordingPublisher, start_meeting, wait_for_world

world = support.world
bbb_url = support.bbb_url
join_pages = support.join_pages
publisher = support.publisher
timings = support.timings

pytestmark = pytest.mark.lab

TOKEN = "conformance-token"
RTMP = "rtmp://127.0.0.1:1935/live/conf"
INJECTION = 'He said "yes" $(echo INJECTED) `echo RAN` back\\slash'


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def proxy_server(world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings,
                       bbb_url: str, join_pages: JoinPageServer, version: GatewayVersion) -> ProxyGatewayServer:
    server = ProxyGatewayServer(world, publisher, name="conf", gw_id="gw-7", token=TOKEN, timings=timings,
                                bbb_base_url=bbb_url, join_pages=join_pages, version=version,
                                webrtc_domains={"bigbluebutton": f"{join_pages.public_host}/rooms"})
    await server.start()
    return server


async def legacy_server(world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings,
                        bbb_url: str, join_pages: JoinPageServer, version: GatewayVersion) -> LegacyGatewayServer:
    server = LegacyGatewayServer(world, publisher, name="conf", token=TOKEN, timings=timings, bbb_base_url=bbb_url,
                                 join_pages=join_pages, version=version)
    await server.start()
    return server


async def proxy_live(server: ProxyGatewayServer, publisher: RecordingPublisher, join_pages: JoinPageServer,
                     meeting: LabMeeting) -> tuple[SipMediaGw, GatewaySession]:
    driver = SipMediaGw("conf", server.url, TOKEN)
    page = f"https://{join_pages.public_host}/rooms/{meeting.meeting_id}"
    session = await driver.start(JoinTarget.from_join_page(page), RTMP)
    await publisher.wait_until(lambda: publisher.is_publishing("conf"))
    return driver, session


async def legacy_live(server: LegacyGatewayServer, publisher: RecordingPublisher, join_pages: JoinPageServer,
                      meeting: LabMeeting) -> tuple[LegacySipMediaGw, GatewaySession]:
    driver = LegacySipMediaGw("conf", server.url, TOKEN)
    if server.version is GatewayVersion.V1_6:  # Pod's page: #id_name (v1.6 browsing/bigbluebutton.py)
        page = join_pages.register_join_page(meeting.meeting_id)
    else:  # Greenlight's #joinFormName (v1.7.0, 641b625)
        page = f"https://{join_pages.public_host}/{join_pages.room_for(meeting.meeting_id)}"
    session = await driver.start(JoinTarget.from_join_page(page), RTMP)
    await publisher.wait_until(lambda: publisher.is_publishing("conf"))
    return driver, session


async def last_chat(world: LabWorld, meeting: LabMeeting, count: int) -> str:
    await wait_for_world(world, lambda: len(meeting.chat) >= count)
    return meeting.chat[-1].text


# -- main (564e7a5): HTTPLauncher.py sendCommand + deploy/proxyAPI/proxy.py -------------------------
async def test_main_chat_goes_through_a_shell_and_the_driver_escapes_it(
        world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
        join_pages: JoinPageServer, http: aiohttp.ClientSession) -> None:
    """main ``sendChat``: ``sh -c '… printf "%s\\n" "<msg>" > ./chatFifo …'`` — the text sits in
    double quotes: unescaped, ``$(…)`` and backquotes run and ``"``/``\\`` vanish."""
    server = await proxy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.MAIN)
    try:
        meeting = start_meeting(world)
        driver, session = await proxy_live(server, publisher, join_pages, meeting)
        # what the old driver sent (no escaping): the lab's shell runs it, as the container's would
        raw = {"gw_id": session.gw_id, "payload": {"command": "sendChat", "param1": INJECTION}}
        async with http.post(server.url + "/command", json=raw) as response:
            # the launcher's reply, through the proxy: {"status","error":null,"data":{"ack","received"}}
            assert response.status == 200
            assert await response.json() == {"status": "success", "error": None,
                                             "data": {"ack": True, "received": raw["payload"]}}
        assert await last_chat(world, meeting, 1) == "He said yes INJECTED RAN back\\slash"
        await driver.send_chat(session, INJECTION)
        assert await last_chat(world, meeting, 2) == INJECTION
        assert driver.capabilities.chat_relay is ChatRelay.PROXY_PRINTF
    finally:
        await server.stop()


async def test_main_proxy_states_started_working_stopped(
        world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
        join_pages: JoinPageServer) -> None:
    """proxy.py: ``started`` = registered and free, ``working`` after a start, ``stopped`` after a
    stop; ``monitorGateways`` (30 s) maps the launcher's up/down to working/started.  Only
    ``working`` is streaming."""
    server = await proxy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.MAIN)
    try:
        driver = SipMediaGw("conf", server.url, TOKEN)
        assert server.record_state == "started"
        meeting = start_meeting(world)
        driver, session = await proxy_live(server, publisher, join_pages, meeting)
        status = await driver.status(session)
        assert (status.state, status.raw_state) == (GatewayState.UP, "working")
        await driver.stop(session)
        status = await driver.status(session)
        assert status.state is GatewayState.DOWN and status.raw_state in ("stopped", "started")
        # the monitor frees it again: "started" — idle, not up
        await wait_for_world(world, lambda: server.record_state == "started")
        status = await driver.status(session)
        assert (status.state, status.raw_state) == (GatewayState.DOWN, "started")
    finally:
        await server.stop()


async def test_main_a_dead_container_reads_idle_not_up(
        world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
        join_pages: JoinPageServer) -> None:
    """A container that dies mid-webinar: the monitor turns ``working`` into ``started``, which
    the old driver showed green (``_UP_STATES`` held "started")."""
    server = await proxy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.MAIN)
    try:
        meeting = start_meeting(world)
        driver, session = await proxy_live(server, publisher, join_pages, meeting)
        await server.gateway.close()  # the container dies (no /stop)
        await wait_for_world(world, lambda: server.record_state == "started")
        assert (await driver.status(session)).state is GatewayState.DOWN
    finally:
        await server.stop()


# -- tagged v1.8.0–v1.8.4 (8432d73): proxy.py forwards /command to /command -------------------------
async def test_v184_streams_but_says_chat_cannot_work(
        world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
        join_pages: JoinPageServer, http: aiohttp.ClientSession) -> None:
    server = await proxy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.V1_8_4)
    try:
        probe = await SipMediaGw("conf", server.url, TOKEN).probe()
        assert probe.ok and probe.limitation and "v1.8.0–v1.8.4" in probe.limitation
        meeting = start_meeting(world)
        driver, session = await proxy_live(server, publisher, join_pages, meeting)  # streaming works
        assert (await driver.status(session)).state is GatewayState.UP
        raw = {"gw_id": session.gw_id, "payload": {"command": "sendChat", "param1": "hi"}}
        async with http.post(server.url + "/command", json=raw,
                             headers={"Authorization": f"Bearer {TOKEN}"}) as response:
            assert (response.status, await response.json()) == (404, {"detail": "Not Found"})
        async with http.get(server.url + f"/status?gw_id={session.gw_id}") as response:
            assert response.status == 401  # v1.8.4's /status wants the token
        with pytest.raises(GatewayFeatureUnavailable, match="upgrade"):
            await driver.send_chat(session, "hello")
        with pytest.raises(GatewayFeatureUnavailable):
            await driver.toggle_chat_panel(session)
        assert driver.capabilities.can_relay_chat is False
        await driver.stop(session)
        assert not publisher.is_publishing("conf")
    finally:
        await server.stop()


async def test_v184_bare_404_is_recognised_without_a_probe(
        world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
        join_pages: JoinPageServer) -> None:
    server = await proxy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.V1_8_4)
    try:
        meeting = start_meeting(world)
        _, session = await proxy_live(server, publisher, join_pages, meeting)
        fresh = SipMediaGw("conf", server.url, TOKEN)
        with pytest.raises(GatewayFeatureUnavailable):
            await fresh.send_chat(session, "hello")
    finally:
        await server.stop()


# -- legacy v1.7.0 (1bfa796): HTTPLauncher.py Chat.POST/Progress.GET + src/netstring.py ------------
async def test_v17_chat_is_a_bytes_repr_without_backslashes(
        world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
        join_pages: JoinPageServer, http: aiohttp.ClientSession) -> None:
    server = await legacy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.V1_7)
    try:
        meeting = start_meeting(world)
        driver, session = await legacy_live(server, publisher, join_pages, meeting)
        # the old rendering (Pod's ’) through the real path: every accent and apostrophe destroyed
        async with http.post(server.url + "/chat", json={"room": session.room,
                                                          "msg": "Merci, c’est très clair !"}) as response:
            assert await response.json() == {"res": "ok"}
        assert await last_chat(world, meeting, 1) == "b'Merci, cxe2x80x99est trxc3xa8s clair !'"
        # a straight quote breaks the hand-made JSON: the line is lost, yet the reply says ok
        async with http.post(server.url + "/chat", json={"room": session.room, "msg": "it's"}) as response:
            assert await response.json() == {"res": "ok"}
        await driver.send_chat(session, "Merci, c'est très clair !")
        assert await last_chat(world, meeting, 2) == "b'Merci, c`est tres clair !'"
        assert len(meeting.chat) == 2
        assert driver.capabilities.chat_relay is ChatRelay.LEGACY_BYTES
    finally:
        await server.stop()


async def test_v17_progress_has_no_gw_state_while_running(
        world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
        join_pages: JoinPageServer, http: aiohttp.ClientSession) -> None:
    server = await legacy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.V1_7)
    try:
        meeting = start_meeting(world)
        driver, session = await legacy_live(server, publisher, join_pages, meeting)
        async with http.get(server.url + "/progress", params={"room": session.room},
                            headers={"Authorization": f"Bearer {TOKEN}"}) as response:
            assert await response.json() == {"status": "success", "transcript_progress": "0%"}
        assert (await driver.status(session)).state is GatewayState.UP
        await driver.stop(session)
        assert (await driver.status(session)).state is GatewayState.DOWN
    finally:
        await server.stop()


# -- legacy v1.6.0 (29e35ff): echo '{json}' | netcat, no /progress ----------------------------------
async def test_v16_a_quote_ends_the_shell_string_and_the_driver_replaces_it(
        world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
        join_pages: JoinPageServer, http: aiohttp.ClientSession) -> None:
    server = await legacy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.V1_6)
    try:
        meeting = start_meeting(world)
        driver, session = await legacy_live(server, publisher, join_pages, meeting)
        # ' closes echo's single quotes: what follows is shell code (it "executes" in the lab's shell)
        async with http.post(server.url + "/chat", json={"room": session.room,
                                                          "msg": "a'$(echo INJECTED)'b"}) as response:
            assert await response.json() == {"res": "ok"}
        assert await last_chat(world, meeting, 1) == "aINJECTEDb"
        await driver.send_chat(session, "l'amphi \"A\" $(echo no) très")
        assert await last_chat(world, meeting, 2) == "l’amphi ”A” $(echo no) très"
        assert driver.capabilities.chat_relay is ChatRelay.LEGACY_ECHO
        assert (await driver.status(session)).state is GatewayState.UNKNOWN  # no /progress before v1.7
    finally:
        await server.stop()


# -- every generation: a toggle reply proves nothing ----------------------------------------------
@pytest.mark.parametrize("version", list(GatewayVersion))
async def test_no_generation_confirms_a_toggle(version: GatewayVersion) -> None:
    """v1.7.0 browsing/bigbluebutton.py clicks inside try/except: pass; main's sendKey only acks."""
    driver = (LegacySipMediaGw if version.legacy else SipMediaGw)("x", "https://gw.invalid", TOKEN)
    assert driver.capabilities.chat_toggle_confirmed is False


async def test_main_a_restart_waits_for_the_proxy_to_free_the_gateway(
        world: LabWorld, publisher: RecordingPublisher, bbb_url: str, join_pages: JoinPageServer,
        http: aiohttp.ClientSession) -> None:
    """proxy.py /stop records ``stopped``; ``findAvailableGateway`` wants ``started``, which only the
    next monitor run sets: a start right after a stop is "No available gateways" until then."""
    timings = GatewayTimings.fast()
    timings.proxy_monitor = 0.5
    server = await proxy_server(world, publisher, timings, bbb_url, join_pages, GatewayVersion.MAIN)
    try:
        meeting = start_meeting(world)
        driver, session = await proxy_live(server, publisher, join_pages, meeting)
        await driver.stop(session)
        assert server.record_state == "stopped"
        body = {"room": "0123456789", "main_app": "streaming", "browsing": "bigbluebutton", "rtmp_dst": RTMP}
        async with http.post(server.url + "/start", json=body,
                             headers={"Authorization": f"Bearer {TOKEN}"}) as response:
            assert response.status == 503  # the proxy has not freed it yet
        page = f"https://{join_pages.public_host}/rooms/{meeting.meeting_id}"
        again = await driver.start(JoinTarget.from_join_page(page), RTMP)  # waits for "started"
        assert again.gw_id == session.gw_id and server.record_state == "working"
    finally:
        await server.stop()
