"""The simulated audience: Pod's message format, the content mix, pacing statistics, and real
posting through both gateway generations into the world's public chat."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest

from desktop.lab.audience import (
    HOSTILE_MESSAGES,
    MESSAGES_EN,
    MESSAGES_FR,
    AudienceSimulator,
    ChatPostRefused,
    legacy_chat_poster,
    pod_message,
    proxy_chat_poster,
)
from desktop.lab.gateways import (
    GatewayTimings,
    JoinPageServer,
    LegacyGatewayServer,
    ProxyGatewayServer,
)
from desktop.lab.world import LabWorld
from tests.lab import gateway_support as support
from tests.lab.gateway_support import RecordingPublisher, start_meeting, streaming_users

world = support.world
bbb_url = support.bbb_url
join_pages = support.join_pages
publisher = support.publisher
timings = support.timings

PREFIX = re.compile(r"^\((?P<name>[^()]+)\) (?P<text>.*)$", re.DOTALL)


class Recorder:
    def __init__(self, fail_every: int = 0) -> None:
        self.posts: list[tuple[str, str]] = []
        self.fail_every = fail_every

    async def __call__(self, author: str, text: str) -> None:
        self.posts.append((author, text))
        if self.fail_every and len(self.posts) % self.fail_every == 0:
            raise ChatPostRefused("refused")


def test_pod_message_prefixes_and_replaces_quotes() -> None:
    assert pod_message("Jane O'Brien", 'He said "it\'s fine"') == "(Jane O’Brien) He said ’it’s fine’"
    assert pod_message("Léa Roux", "Très bien") == "(Léa Roux) Très bien"


def test_catalogues_are_realistic_and_the_hostile_one_covers_every_kind() -> None:
    for catalogue in (MESSAGES_FR, MESSAGES_EN):
        assert len(catalogue) >= 24
        assert sum(text.endswith("?") for text in catalogue) >= 8
    kinds = {kind for kind, _ in HOSTILE_MESSAGES}
    assert kinds >= {"html", "script", "long", "emoji", "rtl", "control", "zero-width"}
    long_text = next(text for kind, text in HOSTILE_MESSAGES if kind == "long")
    assert len(long_text) == 5000
    assert any("\u200b" in text for _, text in HOSTILE_MESSAGES)
    assert any("\x00" in text or "\x07" in text for _, text in HOSTILE_MESSAGES)


async def test_posts_n_messages_from_distinct_viewers_with_a_hostile_share() -> None:
    recorder = Recorder()
    audience = AudienceSimulator(recorder, viewers=12, rate=5000, seed=7, hostile_share=0.05)
    stats = await audience.run(400)
    assert (stats.sent, stats.failed, stats.in_flight) == (400, 0, 0)
    names = {viewer.name for viewer in audience.viewers}
    assert len(audience.viewers) == 12 and len(names) == 12
    assert {author for author, _ in recorder.posts} <= names
    hostile_texts = {text for _, text in HOSTILE_MESSAGES}
    hostile = sum(text in hostile_texts for _, text in recorder.posts)
    assert hostile == stats.hostile
    assert 4 <= hostile <= 50  # about 5 % of 400
    assert {text for _, text in recorder.posts} & (set(MESSAGES_FR) | set(MESSAGES_EN))


async def test_every_hostile_kind_appears_when_all_messages_are_hostile() -> None:
    recorder = Recorder()
    stats = await AudienceSimulator(recorder, viewers=3, rate=5000, seed=1, hostile_share=1.0).run(200)
    assert stats.hostile == 200
    assert {text for _, text in recorder.posts} == {text for _, text in HOSTILE_MESSAGES}


async def test_failures_are_counted_and_the_audience_goes_on() -> None:
    recorder = Recorder(fail_every=4)
    stats = await AudienceSimulator(recorder, rate=5000, seed=3).run(40)
    assert (stats.sent, stats.failed) == (30, 10)


async def test_same_seed_same_audience() -> None:
    first, second = Recorder(), Recorder()
    await AudienceSimulator(first, rate=5000, seed=42).run(50)
    await AudienceSimulator(second, rate=5000, seed=42).run(50)
    assert first.posts == second.posts


class Hanging:
    """A gateway that never answers; ``arrived`` is set once ``expected`` posts wait on it."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.waiting = 0
        self.arrived = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, author: str, text: str) -> None:
        self.waiting += 1
        if self.waiting == self.expected:
            self.arrived.set()
        await self.release.wait()


async def test_a_hung_gateway_does_not_stall_the_schedule() -> None:
    hung = Hanging(30)
    audience = AudienceSimulator(hung, rate=5000, seed=5, max_in_flight=100)
    runner = asyncio.ensure_future(audience.run(30))
    # all 30 are sent although none has been answered
    await asyncio.wait_for(hung.arrived.wait(), 5)
    assert audience.stats().in_flight == 30
    hung.release.set()
    stats = await runner
    assert (stats.sent, stats.in_flight) == (30, 0)


async def test_stop_cancels_what_is_in_flight() -> None:
    never = Hanging(5)
    audience = AudienceSimulator(never, rate=5000, seed=2)
    audience.start(5)
    await asyncio.wait_for(never.arrived.wait(), 5)
    stats = await audience.stop()
    assert (stats.sent, stats.failed, stats.in_flight) == (0, 5, 0)


def test_rejects_an_empty_audience() -> None:
    with pytest.raises(ValueError):
        AudienceSimulator(Recorder(), viewers=0)
    with pytest.raises(ValueError):
        AudienceSimulator(Recorder(), rate=0)


# -- through real gateways ------------------------------------------------------------------------
@pytest.fixture
async def legacy(world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
                 join_pages: JoinPageServer) -> AsyncIterator[LegacyGatewayServer]:
    server = LegacyGatewayServer(world, publisher, token="1234", timings=timings, bbb_base_url=bbb_url,
                                 join_pages=join_pages)
    await server.start()
    yield server
    await server.stop()


@pytest.mark.lab
async def test_audience_through_a_legacy_gateway_lands_in_bbb_chat_as_streaming(
        legacy: LegacyGatewayServer, world: LabWorld, join_pages: JoinPageServer,
        publisher: RecordingPublisher) -> None:
    meeting = start_meeting(world)
    room = join_pages.room_for(meeting.meeting_id)
    assert await legacy.gateway.launch(room=room, target_url=join_pages.register_join_page(meeting.meeting_id),
                                       rtmp_dst="rtmp://127.0.0.1/live/gw") is not None
    await publisher.wait_until(lambda: publisher.is_publishing("gw"))
    streaming = streaming_users(meeting)[0]

    poster = legacy_chat_poster(legacy.url, room)
    try:
        audience = AudienceSimulator(poster, viewers=8, rate=2000, seed=11, hostile_share=0.3)
        stats = await audience.run(40)
    finally:
        await poster.aclose()
    assert (stats.sent, stats.failed) == (40, 0)
    posted = [m for m in meeting.chat if m.sender_id == streaming.user_id]
    assert len(posted) == 40
    names = {viewer.name.replace("'", "’") for viewer in audience.viewers}
    for message in posted:
        assert message.sender_name == "streaming"
        match = PREFIX.match(message.text)
        assert match is not None and match.group("name") in names
        assert "'" not in message.text and '"' not in message.text


@pytest.fixture
async def proxy(world: LabWorld, publisher: RecordingPublisher, timings: GatewayTimings, bbb_url: str,
                join_pages: JoinPageServer) -> AsyncIterator[ProxyGatewayServer]:
    server = ProxyGatewayServer(world, publisher, gw_id="gw-9", token="t0k", timings=timings, bbb_base_url=bbb_url,
                                join_pages=join_pages)
    await server.start()
    yield server
    await server.stop()


@pytest.mark.lab
async def test_audience_through_a_v18_proxy(proxy: ProxyGatewayServer, world: LabWorld,
                                            join_pages: JoinPageServer, publisher: RecordingPublisher) -> None:
    meeting = start_meeting(world)
    join_pages.register_join_page(meeting.meeting_id)
    room = join_pages.room_for(meeting.meeting_id)
    target = proxy.target_url("bigbluebutton", room)
    await proxy.gateway.launch(room=room, target_url=target, rtmp_dst="rtmp://127.0.0.1/live/v18")
    await publisher.wait_until(lambda: publisher.is_publishing("v18"))
    proxy.refresh_record()  # started outside /start: the proxy's monitor marks it "working"

    poster = proxy_chat_poster(proxy.url, "t0k", "gw-9")
    wrong = proxy_chat_poster(proxy.url, "nope", "gw-9")
    try:
        stats = await AudienceSimulator(poster, rate=2000, seed=4).run(15)
        unchecked = await AudienceSimulator(wrong, rate=2000, seed=4).run(3)  # upstream /command is open
        proxy.protect_all_routes = True
        refused = await AudienceSimulator(wrong, rate=2000, seed=4).run(3)
    finally:
        await poster.aclose()
        await wrong.aclose()
    assert (stats.sent, stats.failed) == (15, 0)
    assert (unchecked.sent, unchecked.failed) == (3, 0)
    assert (refused.sent, refused.failed) == (0, 3)
    assert sum(m.sender_name == "streaming" for m in meeting.chat) == 18
