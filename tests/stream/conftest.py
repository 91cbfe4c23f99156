"""The scripted loopback origin, served for every stream test module (each module picks its ``origin``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.stream.origin import FakeOrigin, OriginServer


@pytest.fixture
async def server(origin: FakeOrigin) -> AsyncIterator[OriginServer]:
    running = OriginServer(origin)
    await running.start()
    yield running
    await running.stop()
