"""Both gateway drivers against a trickling gateway on loopback: each call ends at its own total
deadline (``CallTimeouts``) with a typed error, and a reply over 1 MB is refused as it comes."""

from __future__ import annotations

import asyncio

import pytest

from desktop.errors import DeadlineError
from desktop.gateways.base import CallTimeouts, Gateway
from desktop.gateways.errors import GatewayProtocolError, reason
from desktop.gateways.legacy import LegacySipMediaGw
from desktop.gateways.sipmediagw import SipMediaGw
from desktop.net.http import Timeouts
from tests.support.trickle import TrickleServer

DEADLINE = 1.0
BOUND = DEADLINE + 3.0
SHORT = Timeouts(connect=5.0, read=10.0, total=DEADLINE)
TIMEOUTS = CallTimeouts(start=SHORT, stop=SHORT, chat=SHORT, status=SHORT, probe=SHORT)


def legacy(server: TrickleServer) -> Gateway:
    return LegacySipMediaGw("gw1", server.url(), "tok", timeouts=TIMEOUTS)


def v18(server: TrickleServer) -> Gateway:
    return SipMediaGw("gw1", server.url(), "tok", timeouts=TIMEOUTS)


@pytest.mark.parametrize("driver", [legacy, v18], ids=["legacy", "sipmediagw"])
async def test_status_ends_at_the_deadline(driver: object) -> None:
    async with TrickleServer() as server, asyncio.timeout(BOUND):
        gateway = driver(server)  # type: ignore[operator]
        with pytest.raises(DeadlineError) as caught:
            await gateway.status("room-1")
    assert caught.value.sentence == f"127.0.0.1:{server.port} sent its answer too slowly (over 1 s)."
    assert reason("gw1", caught.value) == "gw1 did not answer in time"


@pytest.mark.parametrize("driver", [legacy, v18], ids=["legacy", "sipmediagw"])
async def test_a_reply_over_1_mb_is_refused(driver: object) -> None:
    async with TrickleServer(mode="huge") as server, asyncio.timeout(BOUND):
        gateway = driver(server)  # type: ignore[operator]
        with pytest.raises(GatewayProtocolError, match="more than 1 MB"):
            await gateway.status("room-1")
