"""The lab for the chat pipeline tests: a BBB 3 emulator and a legacy SIPMediaGW emulator over
real loopback HTTP/WebSocket, a meeting with its presenter, and a gateway that really joins it
(through a signed BBB join URL) so audience messages arrive the way Pod sends them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from desktop.bbb import BBBClient, CreateParams
from desktop.config.paths import AppPaths
from desktop.config.settings import (
    BBBProfile,
    GatewayConfig,
    Settings,
    bbb_secret_name,
    gateway_secret_name,
)
from desktop.gateways.base import GatewaySession
from desktop.gateways.join_target import signed_join_target, streaming_join_params
from desktop.gateways.legacy import LegacySipMediaGw
from desktop.lab.audience import pod_message
from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.gateways import GatewayTimings, LegacyGatewayServer
from desktop.lab.scene import SceneSource
from desktop.lab.world import LabChatMessage, LabMeeting, LabWorld
from desktop.secrets import secret_store
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session import LiveTimings

MEETING = "pipeline-webinar-01"
KEY = f"adopted:{MEETING}"
GATEWAY_TOKEN = "gw-token-5150"
RTMP = "rtmp://127.0.0.1:1935/live/gw1"
ROOM = "0a1b2c3d4e"
WAIT = 10.0


class NullPublisher:
    """The gateway publishes nowhere: these tests are about the chat, not the video."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    async def start(self, stream_name: str, scene: SceneSource) -> None:
        self.names.add(stream_name)

    async def stop(self, stream_name: str) -> None:
        self.names.discard(stream_name)

    def is_publishing(self, stream_name: str) -> bool:
        return stream_name in self.names


async def wait_for_world(world: LabWorld, condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Wait until ``condition()`` holds, re-checked after every world event."""
    changed = asyncio.Event()
    unsubscribe = world.subscribe(lambda _event: changed.set())
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await changed.wait()
                changed.clear()
    finally:
        unsubscribe()


@dataclass
class Lab:
    world: LabWorld
    server: BBBServer
    bbb: BBBClient
    gateway_server: LegacyGatewayServer
    gateway: LegacySipMediaGw
    session: GatewaySession | None = None

    @property
    def meeting(self) -> LabMeeting:
        meeting = self.world.meeting(MEETING)
        assert meeting is not None
        return meeting

    @property
    def chat(self) -> list[LabChatMessage]:
        return self.meeting.chat

    async def start_meeting(self) -> None:
        """Create the meeting and let the presenter in (it runs from then on)."""
        await self.bbb.create(CreateParams(name="Pipeline webinar", meeting_id=MEETING))
        presenter = self.world.register_user(self.meeting, full_name="Ada Presenter", role="MODERATOR")
        self.world.enter(self.meeting, presenter)
        assert await self.bbb.is_meeting_running(MEETING)

    async def start_gateway(self) -> GatewaySession:
        """Start the gateway through the real driver; returns once its browser is in the meeting."""
        parts = urlsplit(self.bbb.api_base)
        endpoint = urlunsplit(("https", parts.netloc, parts.path.rstrip("/") + "/join", "", ""))
        target = signed_join_target(lambda q: self.bbb.raw_checksum("join", q), endpoint,
                                    streaming_join_params(MEETING), ROOM)
        self.session = await self.gateway.start(target, RTMP)
        await wait_for_world(self.world, lambda: any(
            u.full_name == "streaming" for u in self.meeting.present_users))
        return self.session

    async def send_through_gateway(self, text: str) -> None:
        assert self.session is not None
        await self.gateway.send_chat(self.session, text)

    async def post_audience(self, name: str, text: str) -> None:
        """What Pod does for a viewer: ``POST /chat {room, msg: "(First Last) text"}`` (no token),
        its quotes replaced by ’ (Esup-Pod ``chat_rtmp_gateway``; a ``"`` would break the v1.6
        gateway's hand-made JSON and the line would be lost)."""
        async with httpx.AsyncClient(timeout=WAIT) as client:
            response = await client.post(self.gateway_server.url.rstrip("/") + "/chat",
                                         json={"room": ROOM, "msg": pod_message(name, text)})
        assert response.status_code == 200 and response.json() == {"res": "ok"}, response.text


async def make_lab(*, bbb2_mode: bool = False, scalelite_mode: bool = False) -> Lab:
    world = LabWorld(secret="pipeline-lab-secret")
    server = BBBServer(world, BBBOptions(page_presence_timeout=3600, bbb2_mode=bbb2_mode,
                                         scalelite_mode=scalelite_mode))
    await server.start()
    gateway_server = LegacyGatewayServer(world, NullPublisher(), name="gw1", token=GATEWAY_TOKEN,
                                         timings=GatewayTimings.fast(), bbb_base_url=server.url.rstrip("/"))
    await gateway_server.start("127.0.0.1", 0)
    bbb = BBBClient(server.url, world.secret)
    gateway = LegacySipMediaGw("gw1", gateway_server.url, GATEWAY_TOKEN)
    return Lab(world, server, bbb, gateway_server, gateway)


async def close_lab(lab: Lab) -> None:
    await lab.bbb.aclose()
    await lab.gateway_server.stop()
    await lab.server.stop()
    lab.world.close()


@pytest.fixture
async def lab() -> AsyncIterator[Lab]:
    """A BBB 3 lab with a running meeting and its gateway streaming."""
    built = await make_lab()
    try:
        await built.start_meeting()
        await built.start_gateway()
        yield built
    finally:
        await close_lab(built)


MONITOR_NAME = "Régie amphi"  # the profile's monitoring-user name (not Pupitre's default)
ANSWER_SENDER = "Ada (answers)"
DEAD_HLS = "http://127.0.0.1:9/hls/gw1.m3u8"  # nothing serves the audience stream: chat tests


def lab_manager(lab: Lab, **timings: float) -> WebinarManager:
    """The app's core configured against ``lab`` (profile "lab" with its monitoring-user name,
    gateway "gw1"), its secrets in the test keyring, chat readers retrying fast."""
    paths = AppPaths.from_environment().ensure()
    settings = Settings(path=paths.settings_file)
    settings.put_profile(BBBProfile("lab", lab.server.url, monitor_name=MONITOR_NAME))
    settings.put_gateway(GatewayConfig(name="gw1", kind="sipmediagw-legacy", url=lab.gateway_server.url,
                                       rtmp_url=RTMP, hls_url=DEAD_HLS))
    settings.preferences["answer_sender_name"] = ANSWER_SENDER
    settings.save()
    secrets = secret_store()
    secrets.set(bbb_secret_name("lab"), lab.world.secret)
    secrets.set(gateway_secret_name("gw1"), GATEWAY_TOKEN)
    manager = WebinarManager(paths, settings, secrets, timings=LiveTimings(**timings))  # type: ignore[arg-type]
    manager.chats.source_options = {"max_backoff": 0.3}
    return manager


def monitor_present(lab: Lab) -> bool:
    return any(user.full_name == MONITOR_NAME for user in lab.meeting.present_users)
