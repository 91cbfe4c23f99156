"""Fixtures for end-to-end tests: a running lab and an app core configured against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.lab.bbb import BBBOptions
from desktop.lab.runner import Lab, LabOptions
from desktop.schedule.models import Webinar, WebinarOptions
from desktop.secrets import secret_store
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session import LiveTimings

FAST_TIMINGS = LiveTimings(presenter_poll=0.2, live_poll=0.5, stream_live_timeout=30.0,
                           gateway_down_timeout=30.0, down_poll=0.2, gateway_status_every=1.0)


@dataclass
class World:
    lab: Lab
    manager: WebinarManager
    settings: Settings
    paths: AppPaths

    def schedule(self, title: str = "Amphi L1", **options: object) -> Webinar:
        start = datetime.now(UTC) + timedelta(minutes=5)
        webinar = Webinar(title=title, start=start, duration=timedelta(hours=1), timezone="Europe/Paris",
                          options=WebinarOptions(**options))  # type: ignore[arg-type]
        return self.manager.schedule.add(webinar)


def lab_options(**changes: object) -> LabOptions:
    options = LabOptions(fast=True, video_size=(640, 360), bbb=BBBOptions(page_presence_timeout=3600))
    for key, value in changes.items():
        setattr(options, key, value)
    return options


@pytest.fixture
async def lab_world(request: pytest.FixtureRequest) -> AsyncIterator[World]:
    marker = request.node.get_closest_marker("lab_options")
    options = lab_options(**(marker.kwargs if marker else {}))
    async with Lab(options) as lab:
        paths = AppPaths.from_environment().ensure()
        settings = Settings(path=paths.settings_file)
        lab.write_profile(settings, secret_store())
        settings.save()
        manager = WebinarManager(paths, settings, secret_store(), timings=FAST_TIMINGS)
        try:
            yield World(lab, manager, settings, paths)
        finally:
            await manager.aclose()


async def open_in_browser(url: str) -> None:
    """What the presenter's browser does with the join link: follow it to the client page."""
    async with httpx.AsyncClient(follow_redirects=True, timeout=10) as browser:
        response = await browser.get(url)
    assert response.status_code == 200, response.status_code
