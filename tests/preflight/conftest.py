"""Fixtures of the preflight tests: the loopback lab, started fresh for each test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.preflight.lab_setup import Lab, start_lab, stop_lab


@pytest.fixture
async def lab() -> AsyncIterator[Lab]:
    running = await start_lab()
    try:
        yield running
    finally:
        await stop_lab(running)
