"""The GraphQL chat reader against the lab's BBB 3 emulator, over real loopback HTTP and WS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import httpx
import pytest

from desktop.bbb import BBBClient, CreateParams, JoinParams
from desktop.chat.graphql_source import (
    ChatConnection,
    ChatStatus,
    ChatUnavailable,
    GraphQLChatSource,
)
from desktop.chat.message import RawChatMessage
from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.world import LabWorld

MEETING = "0001-chat-test"


class Inbox:
    """Collects delivered messages and lets a test wait for a condition on them."""

    def __init__(self) -> None:
        self.messages: list[RawChatMessage] = []
        self.statuses: list[ChatStatus] = []
        self._changed = asyncio.Event()

    def on_messages(self, batch: Sequence[RawChatMessage]) -> None:
        self.messages.extend(batch)
        self._changed.set()

    def on_status(self, status: ChatStatus) -> None:
        self.statuses.append(status)
        self._changed.set()

    async def wait(self, predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        async with asyncio.timeout(timeout):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

    def texts(self) -> list[str]:
        return [m.text for m in self.messages]


@pytest.fixture
async def lab_bbb() -> AsyncIterator[tuple[LabWorld, BBBServer, BBBClient]]:
    world = LabWorld()
    server = BBBServer(world, BBBOptions(page_presence_timeout=3600))
    await server.start()
    bbb = BBBClient(server.url, world.secret)
    try:
        yield world, server, bbb
    finally:
        await bbb.aclose()
        await server.stop()
        world.close()


async def _meeting_with_presenter(bbb: BBBClient) -> None:
    await bbb.create(CreateParams(name="Chat test", meeting_id=MEETING))
    url = bbb.join_url(JoinParams("Presenter", MEETING, role="MODERATOR"))
    async with httpx.AsyncClient(follow_redirects=True, timeout=10) as browser:
        page = await browser.get(url)
    assert page.status_code == 200
    assert await bbb.is_meeting_running(MEETING)


async def test_history_live_messages_drop_and_send(lab_bbb) -> None:  # type: ignore[no-untyped-def]
    world, _server, bbb = lab_bbb
    await _meeting_with_presenter(bbb)
    await bbb.send_chat_message(MEETING, "(Jane Doe) Before the reader", "streaming")

    inbox = Inbox()
    source = GraphQLChatSource(bbb, MEETING, on_messages=inbox.on_messages, on_status=inbox.on_status,
                               window=3, max_backoff=0.5)
    task = asyncio.create_task(source.run())
    try:
        await source.wait_connected(10)
        await inbox.wait(lambda: "(Jane Doe) Before the reader" in inbox.texts())
        # the monitoring user is a participant now
        info = await bbb.get_meeting_info(MEETING)
        assert "Pupitre" in [a.full_name for a in info.attendees]

        for i in range(5):  # more than the window: it must move forward
            await bbb.send_chat_message(MEETING, f"message {i}", "streaming")
        await inbox.wait(lambda: all(f"message {i}" in inbox.texts() for i in range(5)))

        # the GraphQL connection drops: the reader reconnects and resumes without gaps or duplicates
        world.bbb_faults.graphql_drop += 1
        world.fault_changed("graphql_drop")
        await inbox.wait(lambda: any(s.state == ChatConnection.RECONNECTING for s in inbox.statuses))
        await bbb.send_chat_message(MEETING, "after the drop", "streaming")
        await inbox.wait(lambda: "after the drop" in inbox.texts())
        await source.wait_connected(10)

        ids = [m.message_id for m in inbox.messages]
        assert len(ids) == len(set(ids)), "a message was delivered twice"
        sequences = sorted(m.sequence for m in inbox.messages if m.sequence is not None)
        assert sequences == list(range(1, len(sequences) + 1)), "a message is missing"

        # answering as the monitoring user
        await source.send_message("Merci pour la question !")
        await inbox.wait(lambda: "Merci pour la question !" in inbox.texts())
        mine = next(m for m in inbox.messages if m.text == "Merci pour la question !")
        assert mine.sender_name == "Pupitre" and mine.sender_user_id == source.user_id
        meeting = world.meeting(MEETING)
        assert meeting is not None and meeting.chat[-1].text == "Merci pour la question !"
    finally:
        await source.close()
        await asyncio.wait_for(task, 10)


async def test_reader_stops_when_the_meeting_ends(lab_bbb) -> None:  # type: ignore[no-untyped-def]
    _world, _server, bbb = lab_bbb
    await _meeting_with_presenter(bbb)
    inbox = Inbox()
    source = GraphQLChatSource(bbb, MEETING, on_messages=inbox.on_messages, on_status=inbox.on_status,
                               max_backoff=0.3)
    task = asyncio.create_task(source.run())
    await source.wait_connected(10)
    await bbb.end(MEETING)
    await asyncio.wait_for(task, 15)
    assert source.status.state == ChatConnection.ENDED


async def test_no_graphql_on_bbb2_is_explained() -> None:
    world = LabWorld()
    server = BBBServer(world, bbb2_mode=True)
    await server.start()
    try:
        async with BBBClient(server.url, world.secret) as bbb:
            await bbb.create(CreateParams(name="Old server", meeting_id=MEETING))
            source = GraphQLChatSource(bbb, MEETING, on_messages=lambda _m: None)
            with pytest.raises(ChatUnavailable, match="no GraphQL chat"):
                await source.run()
            assert source.status.state == ChatConnection.UNAVAILABLE
    finally:
        await server.stop()
        world.close()
