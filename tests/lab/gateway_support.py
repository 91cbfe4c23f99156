"""Test doubles and fixtures for the lab gateway tests.

* :class:`RecordingPublisher` implements the lab's ``StreamPublisher`` and lets a test wait on
  its state;
* the BBB side is the real lab BBB emulator (``desktop.lab.bbb.BBBServer``): the gateway's
  browser really goes through its checksum-verified ``join`` and its client page;
* :func:`wait_for_world` waits for a condition on the world, re-checked on every world event.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Callable
from urllib.parse import quote

import pytest

from desktop.lab.bbb import BBBServer
from desktop.lab.gateways import GatewayTimings, JoinPageServer, bbb_api_base
from desktop.lab.scene import SceneSource
from desktop.lab.world import LabMeeting, LabUser, LabWorld

WAIT = 5.0


class RecordingPublisher:
    """A ``StreamPublisher`` that records what it is asked to publish."""

    def __init__(self) -> None:
        self.scenes: dict[str, SceneSource] = {}
        self.history: list[tuple[str, str]] = []
        self._changed = asyncio.Event()

    async def start(self, stream_name: str, scene: SceneSource) -> None:
        self.scenes[stream_name] = scene
        self.history.append(("start", stream_name))
        self._notify()

    async def stop(self, stream_name: str) -> None:
        if self.scenes.pop(stream_name, None) is not None:
            self.history.append(("stop", stream_name))
        self._notify()

    def is_publishing(self, stream_name: str) -> bool:
        return stream_name in self.scenes

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, condition: Callable[[], bool], timeout: float = WAIT) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                await self._changed.wait()


async def wait_for_world(world: LabWorld, condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Wait until ``condition()`` holds, checking it again after every world event."""
    if condition():
        return
    changed = asyncio.Event()
    unsubscribe = world.subscribe(lambda _event: changed.set())
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await changed.wait()
                changed.clear()
    finally:
        unsubscribe()


def streaming_users(meeting: LabMeeting, name: str = "streaming") -> list[LabUser]:
    return [u for u in meeting.present_users if u.full_name == name]


def start_meeting(world: LabWorld, meeting_id: str = "0042-amphi-l1", name: str = "Amphi L1") -> LabMeeting:
    """A created meeting with its presenter in it (so it runs)."""
    meeting, _ = world.create_meeting({"meetingID": meeting_id, "name": name})
    presenter = world.register_user(meeting, full_name="Ada Presenter", role="MODERATOR")
    world.enter(meeting, presenter)
    return meeting


def signed_join_url(bbb_url: str, world: LabWorld, meeting: LabMeeting, *, name: str = "streaming",
                    tamper: bool = False) -> str:
    query = (f"fullName={quote(name)}&meetingID={quote(meeting.meeting_id)}&role=VIEWER"
             f"&createTime={meeting.create_time}")
    checksum = hashlib.sha256(("join" + query + world.secret).encode()).hexdigest()
    if tamper:
        checksum = checksum[::-1]
    return f"{bbb_api_base(bbb_url)}/join?{query}&checksum={checksum}"


@pytest.fixture
async def world() -> AsyncIterator[LabWorld]:
    lab_world = LabWorld(secret="lab-test-secret")
    yield lab_world
    lab_world.close()


@pytest.fixture
async def bbb_url(world: LabWorld) -> AsyncIterator[str]:
    """The base URL (``http://127.0.0.1:P``) of a BBB server sharing ``world``."""
    server = BBBServer(world)
    await server.start("127.0.0.1", 0)
    yield server.url.rstrip("/")
    await server.stop()


@pytest.fixture
async def join_pages(world: LabWorld, bbb_url: str) -> AsyncIterator[JoinPageServer]:
    server = JoinPageServer(world, bbb_base_url=bbb_url, poll_interval=0.1)
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def timings() -> GatewayTimings:
    return GatewayTimings.fast()
