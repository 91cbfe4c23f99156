"""Fixtures for the GUI tests (pytest-qt, offscreen; see tests/conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.ui.builders import NOW

# GUI tests that drive the core (the lab in-process, the controller) run one qasync loop around
# their body, as the app does: tests/ui/qasync_support.py says why and how (pytest-asyncio's
# loop is not used for them).
from tests.ui.qasync_support import qloop  # noqa: F401


@pytest.fixture
def now() -> float:
    return NOW


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # the panels format step times in local time: make it deterministic
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
