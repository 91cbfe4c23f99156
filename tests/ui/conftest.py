"""Fixtures for the GUI tests (pytest-qt, offscreen; see tests/conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.ui.builders import NOW


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
