"""A throw-away app set-up against the loopback lab, for the benchmarks that drive a live.

What the integration tests' fixtures do (tests/integration/conftest.py), without pytest: a
temporary ``PUPITRE_HOME``, an in-memory keyring (the benchmark must never touch the user's
keyring or settings), the lab's profile and gateways written into fresh settings, and a
:class:`~desktop.webinar.manager.WebinarManager` with the given timings.

It also records when each lab gateway *receives* ``/stop`` (its emulator's ``stop`` is wrapped),
which is the moment the end-detection benchmark stops its clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import keyring
import keyring.backend
from keyring.errors import PasswordDeleteError

from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.lab.bbb import BBBOptions
from desktop.lab.runner import Lab, LabOptions
from desktop.schedule.models import Webinar, WebinarOptions
from desktop.secrets.store import SecretStore
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session import LiveSession, LiveTimings
from desktop.webinar.state import LiveState


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Secrets kept in this process only."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.data[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None


@contextlib.contextmanager
def isolated_home() -> Any:
    """A temporary PUPITRE_HOME and an in-memory keyring for the duration of the block."""
    import desktop.secrets.store as store

    previous_home = os.environ.get("PUPITRE_HOME")
    previous_keyring = keyring.get_keyring()
    with tempfile.TemporaryDirectory(prefix="pupitre-bench-") as home:
        os.environ["PUPITRE_HOME"] = home
        keyring.set_keyring(MemoryKeyring())
        store._default_store = None
        try:
            yield Path(home)
        finally:
            keyring.set_keyring(previous_keyring)
            store._default_store = None
            if previous_home is None:
                os.environ.pop("PUPITRE_HOME", None)
            else:
                os.environ["PUPITRE_HOME"] = previous_home


def lab_options(**changes: Any) -> LabOptions:
    """Small video (the machine is shared) and no control endpoint; ``changes`` override."""
    options = LabOptions(video_size=(640, 360), control=False, bbb=BBBOptions(page_presence_timeout=3600))
    for key, value in changes.items():
        setattr(options, key, value)
    return options


@dataclass
class LabApp:
    """The lab plus an app core configured against it."""

    lab: Lab
    manager: WebinarManager
    settings: Settings
    stop_requests: dict[str, list[float]] = field(default_factory=dict)  # gateway -> monotonic times

    def schedule(self, title: str, **options: Any) -> Webinar:
        start = datetime.now(UTC) + timedelta(minutes=5)
        webinar = Webinar(title=title, start=start, duration=timedelta(hours=1), timezone="Europe/Paris",
                          options=WebinarOptions(**options))
        return self.manager.schedule.add(webinar)

    def new_session(self, title: str, timings: LiveTimings, *, gateway: str | None = None,
                    presenter: bool = True, **options: Any) -> tuple[Webinar, LiveSession]:
        """A session for a new scheduled webinar; the presenter opens the join link at once."""
        webinar = self.schedule(title, **options)
        self.manager.timings = timings
        session = self.manager.session(self.manager.plan_for(webinar.id, gateway=gateway))
        if presenter:
            session.on_presenter_join_url(_presenter_opens)
        return webinar, session

    def watch_stop_requests(self) -> None:
        """Record the arrival time of every ``/stop`` at each lab gateway."""
        for gateway in self.lab.gateways:
            emulator = gateway.server.gateway
            original: Callable[[], Awaitable[bool]] = emulator.stop
            times = self.stop_requests.setdefault(gateway.name, [])

            async def stop(original: Callable[[], Awaitable[bool]] = original, times: list[float] = times) -> bool:
                times.append(time.monotonic())
                return await original()

            emulator.stop = stop  # type: ignore[method-assign]


_background: set[asyncio.Task[Any]] = set()


def _presenter_opens(url: str) -> None:
    spawn(open_in_browser(url))


def spawn(coro: Awaitable[Any]) -> asyncio.Task[Any]:
    async def wrap() -> Any:
        return await coro

    task = asyncio.get_running_loop().create_task(wrap(), name="bench-presenter")
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


async def open_in_browser(url: str) -> None:
    """What the presenter's browser does with the join link: follow it to the client page."""
    async with httpx.AsyncClient(follow_redirects=True, timeout=20) as browser:
        response = await browser.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"the presenter's join link answered {response.status_code}")


@contextlib.asynccontextmanager
async def lab_app(options: LabOptions, timings: LiveTimings) -> AsyncIterator[LabApp]:
    with isolated_home():
        async with Lab(options) as lab:
            paths = AppPaths.from_environment().ensure()
            settings = Settings(path=paths.settings_file)
            store = SecretStore(keyring.get_keyring())
            lab.write_profile(settings, store)
            settings.save()
            manager = WebinarManager(paths, settings, store, timings=timings)
            try:
                yield LabApp(lab, manager, settings)
            finally:
                await manager.aclose()


async def wait_live(session: LiveSession, timeout: float) -> None:
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), timeout)
    if snap.state != LiveState.LIVE:
        reason = snap.failure.sentence if snap.failure else snap.state.value
        raise RuntimeError(f"the go-live failed: {reason}")
