"""BBBClient against a trickling BBB on loopback: ``pupitre meetings`` and the live watcher's
``isMeetingRunning`` end at the request's total deadline, with a typed error, and are not retried."""

from __future__ import annotations

import asyncio

import pytest

from desktop.bbb.client import BBBClient
from desktop.errors import DeadlineError, ProtocolError
from desktop.net.http import HttpOptions, Timeouts
from tests.bbb.fake_bbb import SECRET
from tests.support.trickle import TrickleServer

DEADLINE = 1.0
BOUND = DEADLINE + 3.0


def bbb(server: TrickleServer) -> BBBClient:
    options = HttpOptions(timeouts=Timeouts(connect=5.0, read=10.0, total=DEADLINE))
    return BBBClient(server.url("/bigbluebutton/"), SECRET, http=options, retry_first_delay=0.0)


async def test_get_meetings_ends_at_the_deadline() -> None:
    async with TrickleServer(content_type="text/xml") as server, bbb(server) as client, \
            asyncio.timeout(BOUND):
        with pytest.raises(DeadlineError) as caught:
            await client.get_meetings()
    assert caught.value.sentence == f"127.0.0.1:{server.port} sent its answer too slowly (over 1 s)."
    assert server.requests == 1  # the server is up, only slow: asking again would triple the wait


async def test_is_meeting_running_ends_at_the_deadline() -> None:
    async with TrickleServer(content_type="text/xml") as server, bbb(server) as client, \
            asyncio.timeout(BOUND):
        with pytest.raises(DeadlineError):
            await client.is_meeting_running("room-1")
    assert server.paths == ["/bigbluebutton/api/isMeetingRunning"]


async def test_an_answer_over_the_size_cap_is_refused() -> None:
    async with TrickleServer(mode="huge", content_type="text/xml", huge_bytes=22_000_000) as server, \
            bbb(server) as client, \
            asyncio.timeout(BOUND):
        with pytest.raises(ProtocolError, match="larger than"):
            await client.get_meetings()
