"""Fixtures of the lab-surface tests (control endpoint, audience pages, ``pupitre lab``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from desktop.lab.runner import Lab
from tests.lab_surface.support import Surface, small_lab_options, surface


@pytest.fixture
async def lab() -> AsyncIterator[Lab]:
    """A lab alone (no app core), small video, fast gateway timings."""
    async with Lab(small_lab_options()) as running:
        yield running


@pytest.fixture
async def app_lab(request: pytest.FixtureRequest) -> AsyncIterator[Surface]:
    """A lab and the app core configured against it (``@pytest.mark.lab_options(...)`` changes
    the lab's options)."""
    marker = request.node.get_closest_marker("lab_options")
    async with surface(small_lab_options(**(marker.kwargs if marker else {}))) as world:
        yield world


