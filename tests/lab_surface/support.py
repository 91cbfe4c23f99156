"""Helpers for the lab-surface tests: a lab with the app core configured against it, signed BBB
calls, and driving a lab gateway directly (as Pupitre or Pod would)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import httpx

from desktop.chat.classify import unwrap_gateway_bytes
from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.lab.bbb import BBBOptions
from desktop.lab.gateways import GatewayVersion
from desktop.lab.runner import Lab, LabOptions
from desktop.lab.world import LabMeeting
from desktop.schedule.models import Webinar, WebinarOptions
from desktop.secrets import secret_store
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session import LiveSession, LiveTimings
from desktop.webinar.state import LiveState
from tests.lab.signing import encode, signed

FAST_TIMINGS = LiveTimings(presenter_poll=0.2, live_poll=0.5, stream_live_timeout=30.0,
                           gateway_down_timeout=30.0, down_poll=0.2, gateway_status_every=1.0)


def small_lab_options(**changes: Any) -> LabOptions:
    options = LabOptions(fast=True, video_size=(640, 360), bbb=BBBOptions(page_presence_timeout=3600))
    for key, value in changes.items():
        setattr(options, key, value)
    return options


@dataclass
class Surface:
    """A running lab and the app core (webinar manager) configured against it by write_profile."""

    lab: Lab
    manager: WebinarManager

    def schedule(self, title: str = "Amphi L1", **options: Any) -> Webinar:
        start = datetime.now(UTC) + timedelta(minutes=5)
        webinar = Webinar(title=title, start=start, duration=timedelta(hours=1), timezone="Europe/Paris",
                          options=WebinarOptions(**options))
        return self.manager.schedule.add(webinar)

    async def go_live(self, title: str = "Amphi L1", **options: Any) -> tuple[Webinar, LiveSession]:
        """Schedule a webinar and take it live; the presenter's browser opens the join link."""
        webinar = self.schedule(title, **options)
        session = self.manager.session(self.manager.plan_for(webinar.id))
        tasks: list[asyncio.Task[None]] = []
        session.on_presenter_join_url(lambda url: tasks.append(asyncio.ensure_future(open_in_browser(url))))
        await session.go_live()
        snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
        assert snap.state == LiveState.LIVE, snap.failure
        await asyncio.gather(*tasks)
        return webinar, session


@asynccontextmanager
async def surface(options: LabOptions | None = None) -> AsyncIterator[Surface]:
    async with Lab(options or small_lab_options()) as lab:
        paths = AppPaths.from_environment().ensure()
        settings = Settings(path=paths.settings_file)
        lab.write_profile(settings, secret_store())
        settings.save()
        manager = WebinarManager(paths, settings, secret_store(), timings=FAST_TIMINGS)
        try:
            yield Surface(lab, manager)
        finally:
            await manager.aclose()


async def open_in_browser(url: str) -> None:
    """What the presenter's browser does with the join link: follow it to the client page."""
    async with httpx.AsyncClient(follow_redirects=True, timeout=10) as browser:
        response = await browser.get(url)
    assert response.status_code == 200, response.status_code


async def bbb_call(lab: Lab, call: str, params: dict[str, str], algorithm: str = "sha256",
                   **kwargs: Any) -> httpx.Response:
    """A signed BBB API call to the lab (signing independent of the app's client)."""
    query = signed(call, encode(params), lab.world.secret, algorithm)
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(f"{lab.bbb.api_url}{call}?{query}", **kwargs)


def running_meeting(lab: Lab, meeting_id: str, title: str) -> LabMeeting:
    """A meeting with its presenter in it (created straight in the lab world)."""
    meeting, _ = lab.world.create_meeting({"meetingID": meeting_id, "name": title})
    presenter = lab.world.register_user(meeting, full_name="Presenter", role="MODERATOR")
    lab.world.enter(meeting, presenter)
    return meeting


async def stream_directly(lab: Lab, gateway_name: str, meeting: LabMeeting, timeout: float = 30.0) -> None:
    """Start ``gateway_name`` on ``meeting`` through its own HTTP API (the way Pupitre's drivers
    do) and wait until it publishes."""
    gateway = lab.gateway(gateway_name)
    assert lab.join_pages is not None
    published = asyncio.ensure_future(lab.world.next_event(
        lambda e: e.kind == "gateway_publishing" and e.data.get("gateway") == gateway_name, timeout))
    async with httpx.AsyncClient(timeout=10, headers={"Authorization": f"Bearer {gateway.token}"}) as client:
        if gateway.kind == "sipmediagw-legacy":
            if gateway.server.version is GatewayVersion.V1_6:  # Pod's page (#id_name)
                page = lab.join_pages.register_join_page(meeting.meeting_id)
                domain, room = page[len("https://"):-11], page[-10:]
            else:  # v1.7 fills Greenlight's #joinFormName: the room page
                domain, room = lab.join_pages.public_host, lab.join_pages.room_for(meeting.meeting_id)
            reply = await client.get(f"{gateway.url}/start", params={
                "room": room, "domain": domain, "rtmpDst": gateway.rtmp_url})
            assert reply.json()["details"]["res"] == "ok", reply.text
        else:
            reply = await client.post(f"{gateway.url}/start", json={
                "room": meeting.meeting_id, "main_app": "streaming", "browsing": "bigbluebutton",
                "rtmp_dst": gateway.rtmp_url})
            assert reply.json()["status"] == "success", reply.text
    await published


async def wait_for_chat(lab: Lab, meeting: LabMeeting, predicate: Any, count: int = 1,
                        timeout: float = 15.0) -> list[Any]:
    """Wait until ``count`` public-chat messages of ``meeting`` match ``predicate``; returns them."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = [m for m in meeting.chat if predicate(m)]
        if len(found) >= count:
            return found
        remaining = deadline - loop.time()
        assert remaining > 0, f"only {len(found)} of {count} chat messages arrived in {timeout:g} s"
        with suppress(TimeoutError):
            await lab.world.next_event(lambda e: e.kind == "chat_message" and e.meeting_id == meeting.meeting_id,
                                       remaining)


async def media_sequence(session: aiohttp.ClientSession, url: str) -> int | None:
    """The playlist's media sequence plus its segment count (grows while the stream advances)."""
    import m3u8

    async with session.get(url) as response:
        if response.status != 200:
            return None
        playlist = m3u8.loads(await response.text())
    if not playlist.segments:
        return None
    return int(playlist.media_sequence or 0) + len(playlist.segments)


async def wait_stream_advances(url: str, timeout: float = 20.0) -> tuple[int, int]:
    """Poll the HLS playlist until its media sequence has moved; returns (first, later)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    first: int | None = None
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        while True:
            current = await media_sequence(session, url)
            if first is None:
                first = current
            elif current is not None and current > first:
                return first, current
            assert loop.time() < deadline, f"the stream at {url} did not advance ({first} -> {current})"
            await asyncio.sleep(0.2)  # polling an external HTTP resource


def as_meant(text: str) -> str:
    """A chat text as its author meant it: gw1 is a v1.7 gateway by default, which types every
    line as ``b'…'`` with its accents as ``xc3xa9`` (Renater/SIPMediaGW v1.7.0 Chat.POST); the
    reader decodes that (``desktop.chat.classify.unwrap_gateway_bytes``)."""
    unwrapped = unwrap_gateway_bytes(text)
    return text if unwrapped is None else unwrapped
