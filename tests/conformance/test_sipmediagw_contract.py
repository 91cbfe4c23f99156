"""SIPMediaGW contract details, each run against Pupitre's drivers *and* the lab's gateways.

Every test names what it pins and where it was read (Renater/SIPMediaGW, file, tag or commit).
The lab runs chat through a real ``/bin/sh`` with upstream's command templates
(:mod:`desktop.lab.gateways.shell`), so the tests below that send raw, unescaped text show the
lab reproducing the real gateway's failure — what the drivers must never let happen.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

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
from desktop.gateways.base import GatewaySession, utc_now
from desktop.gateways.sipmediagw import ProxyGeneration
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


@dataclass
class Live:
    """One gateway of a given version, streaming a lab meeting, and Pupitre's driver for it."""

    server: LegacyGatewayServer | ProxyGatewayServer
    driver: LegacySipMediaGw | SipMediaGw
    session: GatewaySession
    meeting: LabMeeting


@dataclass
class Bench:
    world: LabWorld
    publisher: RecordingPublisher
    timings: GatewayTimings
    bbb_url: str
    join_pages: JoinPageServer

    async def server(self, version: GatewayVersion) -> LegacyGatewayServer | ProxyGatewayServer:
        server: LegacyGatewayServer | ProxyGatewayServer
        if version.legacy:
            server = LegacyGatewayServer(self.world, self.publisher, name="conf", token=TOKEN, timings=self.timings,
                                         bbb_base_url=self.bbb_url, join_pages=self.join_pages, version=version)
        else:
            server = ProxyGatewayServer(self.world, self.publisher, name="conf", gw_id="gw-7", token=TOKEN,
                                        timings=self.timings, bbb_base_url=self.bbb_url, join_pages=self.join_pages,
                                        version=version,
                                        webrtc_domains={"bigbluebutton": f"{self.join_pages.public_host}/rooms"})
        await server.start()
        return server

    def page(self, version: GatewayVersion, meeting: LabMeeting) -> str:
        """The join page its browser can fill: Pod's ``#id_name`` up to v1.6 (browsing/bigbluebutton.py),
        Greenlight's ``#joinFormName`` from v1.7.0 (641b625) and on main."""
        if version is GatewayVersion.V1_6:
            return self.join_pages.register_join_page(meeting.meeting_id)
        if version.legacy:
            return f"https://{self.join_pages.public_host}/{self.join_pages.room_for(meeting.meeting_id)}"
        return f"https://{self.join_pages.public_host}/rooms/{meeting.meeting_id}"

    async def go_live(self, server: LegacyGatewayServer | ProxyGatewayServer,
                      driver: LegacySipMediaGw | SipMediaGw, meeting: LabMeeting) -> GatewaySession:
        session = await driver.start(JoinTarget.from_join_page(self.page(server.version, meeting)), RTMP)
        await self.publisher.wait_until(lambda: self.publisher.is_publishing("conf"))
        return session

    @asynccontextmanager
    async def live(self, version: GatewayVersion) -> AsyncIterator[Live]:
        server = await self.server(version)
        try:
            meeting = start_meeting(self.world)
            driver = (LegacySipMediaGw if version.legacy else SipMediaGw)("conf", server.url, TOKEN)
            yield Live(server, driver, await self.go_live(server, driver, meeting), meeting)
        finally:
            await server.stop()


@pytest.fixture
def bench(world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
          join_pages: JoinPageServer) -> Bench:
    return Bench(world, publisher, timings, bbb_url, join_pages)


async def last_chat(world: LabWorld, meeting: LabMeeting, count: int) -> str:
    await wait_for_world(world, lambda: len(meeting.chat) >= count)
    return meeting.chat[-1].text


# -- main (564e7a5): HTTPLauncher.py sendCommand + deploy/proxyAPI/proxy.py -------------------------
async def test_main_chat_goes_through_a_shell_and_the_driver_escapes_it(
        bench: Bench, http: aiohttp.ClientSession) -> None:
    """main ``sendChat``: ``sh -c '… printf "%s\\n" "<msg>" > ./chatFifo …'`` — the text sits in
    double quotes: unescaped, ``$(…)`` and backquotes run and ``"`` vanishes."""
    async with bench.live(GatewayVersion.MAIN) as live:
        # what the old driver sent (no escaping): the lab's shell runs it, as the container's would
        raw = {"gw_id": live.session.gw_id, "payload": {"command": "sendChat", "param1": INJECTION}}
        async with http.post(live.server.url + "/command", json=raw) as response:
            # the launcher's reply, through the proxy: {"status","error":null,"data":{"ack","received"}}
            assert response.status == 200
            assert await response.json() == {"status": "success", "error": None,
                                             "data": {"ack": True, "received": raw["payload"]}}
        assert await last_chat(bench.world, live.meeting, 1) == "He said yes INJECTED RAN back\\slash"
        await live.driver.send_chat(live.session, INJECTION)
        assert await last_chat(bench.world, live.meeting, 2) == INJECTION
        assert live.driver.capabilities.chat_relay is ChatRelay.PROXY_PRINTF


async def test_main_proxy_states_started_working_stopped(bench: Bench) -> None:
    """proxy.py: ``started`` = registered and free, ``working`` after a start, ``stopped`` after a
    stop; ``monitorGateways`` (30 s) maps the launcher's up/down to working/started.  Only
    ``working`` is streaming."""
    async with bench.live(GatewayVersion.MAIN) as live:
        assert isinstance(live.server, ProxyGatewayServer)
        proxy = live.server
        status = await live.driver.status(live.session)
        assert (status.state, status.raw_state) == (GatewayState.UP, "working")
        await live.driver.stop(live.session)
        status = await live.driver.status(live.session)
        assert status.state is GatewayState.DOWN and status.raw_state in ("stopped", "started")
        # the monitor frees it again: "started" — idle, not up
        await wait_for_world(bench.world, lambda: proxy.record_state == "started")
        status = await live.driver.status(live.session)
        assert (status.state, status.raw_state) == (GatewayState.DOWN, "started")


async def test_main_a_registered_gateway_is_started_and_free(bench: Bench) -> None:
    server = await bench.server(GatewayVersion.MAIN)
    try:
        assert isinstance(server, ProxyGatewayServer) and server.record_state == "started"
        status = await SipMediaGw("conf", server.url, TOKEN).status(
            GatewaySession("conf", "sipmediagw", "r", utc_now(), gw_id="gw-7"))
        assert (status.state, status.raw_state) == (GatewayState.DOWN, "started")
    finally:
        await server.stop()


async def test_main_a_dead_container_reads_idle_not_up(bench: Bench) -> None:
    """A container that dies mid-webinar: the monitor turns ``working`` into ``started``, which
    the old driver showed green (``_UP_STATES`` held "started")."""
    async with bench.live(GatewayVersion.MAIN) as live:
        assert isinstance(live.server, ProxyGatewayServer)
        proxy = live.server
        await proxy.gateway.close()  # the container dies (no /stop)
        await wait_for_world(bench.world, lambda: proxy.record_state == "started")
        assert (await live.driver.status(live.session)).state is GatewayState.DOWN


async def test_main_a_restart_waits_for_the_proxy_to_free_the_gateway(
        bench: Bench, http: aiohttp.ClientSession) -> None:
    """proxy.py /stop records ``stopped``; ``findAvailableGateway`` wants ``started``, which only the
    next monitor run sets: a start right after a stop is "No available gateways" until then."""
    bench.timings = GatewayTimings.fast()
    bench.timings.proxy_monitor = 0.5
    async with bench.live(GatewayVersion.MAIN) as live:
        assert isinstance(live.server, ProxyGatewayServer)
        await live.driver.stop(live.session)
        assert live.server.record_state == "stopped"
        body = {"room": "0123456789", "main_app": "streaming", "browsing": "bigbluebutton", "rtmp_dst": RTMP}
        async with http.post(live.server.url + "/start", json=body,
                             headers={"Authorization": f"Bearer {TOKEN}"}) as response:
            assert response.status == 503  # the proxy has not freed it yet
        again = await bench.go_live(live.server, live.driver, live.meeting)  # waits for "started"
        assert again.gw_id == live.session.gw_id and live.server.record_state == "working"


# -- tagged v1.8.0–v1.8.4 (8432d73): proxy.py forwards /command to /command -------------------------
async def test_v184_streams_but_says_chat_cannot_work(bench: Bench, http: aiohttp.ClientSession) -> None:
    async with bench.live(GatewayVersion.V1_8_4) as live:  # streaming works
        probe = await SipMediaGw("conf", live.server.url, TOKEN).probe()
        assert probe.ok and probe.limitation and "v1.8.0–v1.8.4" in probe.limitation
        assert (await live.driver.status(live.session)).state is GatewayState.UP
        raw = {"gw_id": live.session.gw_id, "payload": {"command": "sendChat", "param1": "hi"}}
        async with http.post(live.server.url + "/command", json=raw,
                             headers={"Authorization": f"Bearer {TOKEN}"}) as response:
            assert (response.status, await response.json()) == (404, {"detail": "Not Found"})
        async with http.get(live.server.url + f"/status?gw_id={live.session.gw_id}") as response:
            assert response.status == 401  # v1.8.4's /status wants the token
        with pytest.raises(GatewayFeatureUnavailable, match="upgrade"):
            await live.driver.send_chat(live.session, "hello")
        with pytest.raises(GatewayFeatureUnavailable):
            await live.driver.toggle_chat_panel(live.session)
        assert live.driver.capabilities.can_relay_chat is False
        await live.driver.stop(live.session)
        assert not bench.publisher.is_publishing("conf")


async def test_v184_bare_404_is_recognised_on_a_command(bench: Bench) -> None:
    """Even a driver that took the proxy for main (say, behind a reverse proxy that answers the
    empty start itself) learns the truth from FastAPI's bare 404 to ``/command``."""
    async with bench.live(GatewayVersion.V1_8_4) as live:
        fooled = SipMediaGw("conf", live.server.url, TOKEN)
        fooled.generation = ProxyGeneration.MAIN
        with pytest.raises(GatewayFeatureUnavailable, match=re.escape("v1.8.0–v1.8.4")):
            await fooled.send_chat(live.session, "hello")
        assert fooled.generation is ProxyGeneration.TAGGED_1_8


# -- legacy v1.7.0 (1bfa796): HTTPLauncher.py Chat.POST/Progress.GET + src/netstring.py ------------
async def test_v17_chat_is_a_bytes_repr_without_backslashes(bench: Bench, http: aiohttp.ClientSession) -> None:
    async with bench.live(GatewayVersion.V1_7) as live:
        # the old rendering (Pod's ’) through the real path: every accent and apostrophe destroyed
        async with http.post(live.server.url + "/chat", json={"room": live.session.room,
                                                               "msg": "Merci, c’est très clair !"}) as response:
            assert await response.json() == {"res": "ok"}
        assert await last_chat(bench.world, live.meeting, 1) == "b'Merci, cxe2x80x99est trxc3xa8s clair !'"
        # a straight quote breaks the hand-made JSON: the line is lost, yet the reply says ok
        async with http.post(live.server.url + "/chat", json={"room": live.session.room, "msg": "it's"}) as response:
            assert await response.json() == {"res": "ok"}
        await live.driver.send_chat(live.session, "Merci, c'est très clair !")
        assert await last_chat(bench.world, live.meeting, 2) == "b'Merci, c`est tres clair !'"
        assert len(live.meeting.chat) == 2
        assert live.driver.capabilities.chat_relay is ChatRelay.LEGACY_BYTES


async def test_v17_progress_has_no_gw_state_while_running(bench: Bench, http: aiohttp.ClientSession) -> None:
    async with bench.live(GatewayVersion.V1_7) as live:
        async with http.get(live.server.url + "/progress", params={"room": live.session.room},
                            headers={"Authorization": f"Bearer {TOKEN}"}) as response:
            assert await response.json() == {"status": "success", "transcript_progress": "0%"}
        assert (await live.driver.status(live.session)).state is GatewayState.UP
        await live.driver.stop(live.session)
        assert (await live.driver.status(live.session)).state is GatewayState.DOWN


# -- legacy v1.6.0 (29e35ff): echo '{json}' | netcat, no /progress ----------------------------------
async def test_v16_a_quote_ends_the_shell_string_and_the_driver_replaces_it(
        bench: Bench, http: aiohttp.ClientSession) -> None:
    async with bench.live(GatewayVersion.V1_6) as live:
        # ' closes echo's single quotes: what follows is shell code (it "executes" in the lab's shell)
        async with http.post(live.server.url + "/chat", json={"room": live.session.room,
                                                               "msg": "a'$(echo INJECTED)'b"}) as response:
            assert await response.json() == {"res": "ok"}
        assert await last_chat(bench.world, live.meeting, 1) == "aINJECTEDb"
        await live.driver.send_chat(live.session, "l'amphi \"A\" $(echo no) très")
        assert await last_chat(bench.world, live.meeting, 2) == "l’amphi ”A” $(echo no) très"
        assert live.driver.capabilities.chat_relay is ChatRelay.LEGACY_ECHO
        assert (await live.driver.status(live.session)).state is GatewayState.UNKNOWN  # no /progress before v1.7


async def test_v16_stop_is_compose_down_without_a_check(bench: Bench, http: aiohttp.ClientSession) -> None:
    """v1.6.0 ``Stop.GET`` runs ``docker compose -p<room> down`` whatever runs: always a success."""
    server = await bench.server(GatewayVersion.V1_6)
    try:
        async with http.get(server.url + "/stop", params={"room": "0123456789"},
                            headers={"Authorization": f"Bearer {TOKEN}"}) as response:
            assert (response.status, await response.json()) == (200, {"status": "success", "details": {"res": ""}})
        async with http.get(server.url + "/progress", params={"room": "0123456789"},
                            headers={"Authorization": f"Bearer {TOKEN}"}) as response:
            assert response.status == 404 and await response.text() == "not found"  # web.py: no route
    finally:
        await server.stop()


# -- every generation: a toggle reply proves nothing ----------------------------------------------
@pytest.mark.parametrize("version", list(GatewayVersion))
async def test_no_generation_confirms_a_toggle(version: GatewayVersion) -> None:
    """v1.7.0 browsing/bigbluebutton.py clicks inside try/except: pass; main's sendKey only acks."""
    driver = (LegacySipMediaGw if version.legacy else SipMediaGw)("x", "https://gw.invalid", TOKEN)
    assert driver.capabilities.chat_toggle_confirmed is False
