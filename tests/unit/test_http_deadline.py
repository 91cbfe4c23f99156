"""desktop.net.http: a total deadline per request (body included) and a size cap, on real loopback.

The server trickles one byte every 0.5 s: every single read succeeds well within the 10 s read
timeout, only the total deadline can end the request.  Each test is bounded by asyncio.timeout.
"""

from __future__ import annotations

import asyncio

import pytest

from desktop.errors import DeadlineError, ProtocolError
from desktop.net.http import (
    HttpOptions,
    Timeouts,
    get_with_retry,
    make_client,
    read_limited,
    send,
    send_limited,
)
from tests.support.trickle import TrickleServer

DEADLINE = 1.0
BOUND = DEADLINE + 3.0  # the deadline, plus slack for a loaded machine; never reached when it works


def options() -> HttpOptions:
    return HttpOptions(timeouts=Timeouts(connect=5.0, read=10.0, total=DEADLINE))


def test_the_total_deadline_defaults_to_the_read_budget() -> None:
    assert Timeouts().deadline == 10.0
    assert Timeouts(read=60.0).deadline == 60.0
    assert Timeouts(read=60.0, total=5.0).deadline == 5.0


async def test_send_ends_a_trickling_answer_at_the_deadline() -> None:
    async with TrickleServer() as server, make_client(options()) as client, asyncio.timeout(BOUND):
        with pytest.raises(DeadlineError) as caught:
            await send(client, client.build_request("GET", server.url("/slow")))
    assert caught.value.sentence == f"127.0.0.1:{server.port} sent its answer too slowly (over 1 s)."
    assert caught.value.host == f"127.0.0.1:{server.port}"
    assert caught.value.hint


async def test_a_streamed_body_is_read_within_what_is_left_of_the_deadline() -> None:
    async with TrickleServer() as server, make_client(options()) as client, asyncio.timeout(BOUND):
        response = await send(client, client.build_request("GET", server.url("/slow")), stream=True)
        with pytest.raises(DeadlineError):
            await read_limited(response, limit=10_000_000, too_large=lambda size: ProtocolError("big"))
    assert response.is_closed


async def test_a_deadline_passed_is_not_retried() -> None:
    async with TrickleServer() as server, make_client(options()) as client, asyncio.timeout(BOUND):
        with pytest.raises(DeadlineError):
            await get_with_retry(client, server.url("/slow"), first_delay=0.0)
    assert server.requests == 1


async def test_send_limited_refuses_a_body_over_the_cap_as_it_comes() -> None:
    async with TrickleServer(mode="huge") as server, make_client(options()) as client, \
            asyncio.timeout(BOUND):
        with pytest.raises(ProtocolError) as caught:
            await send_limited(client, client.build_request("GET", server.url("/big")), limit=100_000,
                               too_large=lambda size: ProtocolError(str(size)))
    # refused as soon as the count passed the cap, long before the 3 MB the server offered
    assert 100_000 < int(caught.value.sentence) < 1_000_000


async def test_send_limited_gives_the_body_as_content() -> None:
    fast = {"/ok": (b'{"a": 1}', "application/json")}
    async with TrickleServer(fast=fast) as server, make_client(options()) as client, \
            asyncio.timeout(BOUND):
        response = await send_limited(client, client.build_request("GET", server.url("/ok")),
                                      limit=100, too_large=lambda size: ProtocolError("big"))
    assert response.json() == {"a": 1}
