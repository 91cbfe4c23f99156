"""Fixtures for the lab's BBB emulator: a world with short lifecycle timers and a running server.

Their names start with ``bbb_`` so that the other lab tests (gateways, video) keep their own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from yarl import URL

from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.world import LabWorld, LifecycleTimings
from tests.lab.signing import DOCS_SECRET, encode, signed


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    text: str

    @property
    def xml(self) -> ET.Element:
        return ET.fromstring(self.text)

    def get(self, tag: str) -> str | None:
        node = self.xml.find(tag)
        return None if node is None else (node.text or "")

    @property
    def returncode(self) -> str | None:
        return self.get("returncode")

    @property
    def key(self) -> str | None:
        return self.get("messageKey")


class Api:
    """Calls the emulator with exactly the query bytes given (no client-side re-encoding)."""

    def __init__(self, server: BBBServer, session: aiohttp.ClientSession, secret: str) -> None:
        self.server = server
        self.session = session
        self.secret = secret

    async def raw(self, call: str, query: str, *, method: str = "GET", cookies: dict[str, str] | None = None,
                  **kwargs: Any) -> Reply:
        url = URL(f"{self.server.api_url}{call}" + (f"?{query}" if query else ""), encoded=True)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        async with self.session.request(method, url, allow_redirects=False, headers=headers,
                                        **kwargs) as response:
            text = await response.text()
            return Reply(response.status, dict(response.headers),
                         {k: m.value for k, m in response.cookies.items()}, text)

    async def call(self, call: str, params: dict[str, str] | None = None, algorithm: str = "sha256",
                   **kwargs: Any) -> Reply:
        return await self.raw(call, signed(call, encode(params or {}), self.secret, algorithm), **kwargs)

    async def create(self, meeting_id: str = "lab-room", name: str = "Lab room", **extra: str) -> Reply:
        reply = await self.call("create", {"name": name, "meetingID": meeting_id, **extra})
        assert reply.returncode == "SUCCESS", reply.text
        return reply

    async def join_xml(self, meeting_id: str = "lab-room", full_name: str = "Jane Doe", role: str = "VIEWER",
                       *, cookies: dict[str, str] | None = None, params: dict[str, str] | None = None,
                       **extra: str) -> Reply:
        reply = await self.call("join", {"fullName": full_name, "meetingID": meeting_id, "role": role,
                                         "redirect": "false", **(params or {}), **extra}, cookies=cookies)
        assert reply.key == "successfullyJoined", reply.text
        return reply


@pytest.fixture
def bbb_timings() -> LifecycleTimings:
    return LifecycleTimings(end_delay=0.05, last_user_left_delay=30.0, no_user_joined_delay=30.0)


@pytest.fixture
def bbb_world(bbb_timings: LifecycleTimings) -> Iterator[LabWorld]:
    lab = LabWorld(secret=DOCS_SECRET, timings=bbb_timings)
    yield lab
    lab.close()


@pytest.fixture
def bbb_options() -> BBBOptions:
    return BBBOptions(graphql_ping_interval=30.0)


@pytest.fixture
async def bbb_server(bbb_world: LabWorld, bbb_options: BBBOptions) -> AsyncIterator[BBBServer]:
    bbb = BBBServer(bbb_world, bbb_options)
    await bbb.start()
    yield bbb
    await bbb.stop()


@pytest.fixture
async def bbb_http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=aiohttp.ClientTimeout(total=10)) as client:
        yield client


@pytest.fixture
def bbb_api(bbb_server: BBBServer, bbb_http: aiohttp.ClientSession) -> Api:
    return Api(bbb_server, bbb_http, DOCS_SECRET)
