"""Fixtures of the reliability suite: the integration tests' lab world, and one whose manager has
short gateway call timeouts (hung gateways must fail fast here)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.gateways.base import CallTimeouts
from desktop.lab.runner import Lab
from desktop.net.http import Timeouts
from desktop.secrets import secret_store
from desktop.webinar.manager import WebinarManager
from tests.integration.conftest import FAST_TIMINGS, World, lab_options
from tests.integration.conftest import lab_world as lab_world  # re-exported fixture

SHORT = Timeouts(connect=1.0, read=1.0)
SHORT_CALLS = CallTimeouts(start=SHORT, stop=SHORT, chat=SHORT, status=SHORT, probe=SHORT)


@pytest.fixture
async def short_timeout_world() -> AsyncIterator[World]:
    """The lab, and a manager whose every gateway call gives up after one second."""
    async with Lab(lab_options()) as lab:
        paths = AppPaths.from_environment().ensure()
        settings = Settings(path=paths.settings_file)
        lab.write_profile(settings, secret_store())
        settings.save()
        manager = WebinarManager(paths, settings, secret_store(), timings=FAST_TIMINGS,
                                 gateway_timeouts=SHORT_CALLS)
        try:
            yield World(lab, manager, settings, paths)
        finally:
            await manager.aclose()
