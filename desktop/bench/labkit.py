"""A throw-away app set-up against the loopback lab, for the benchmarks that drive a live.

What the integration tests' fixtures do (tests/integration/conftest.py), without pytest: a
temporary ``PUPITRE_HOME``, an in-memory keyring (the benchmark must never touch the user's
keyring or settings), the lab's profile and gateways written into fresh settings, and a
:class:`~desktop.webinar.manager.WebinarManager` with the given timings.

It also records when each lab gateway *receives* ``/stop`` (its emulator's ``stop`` is wrapped),
which is the moment the end-detection benchmark stops its clock.

:func:`lab_process_app` runs the lab in its own process instead (``pupitre lab``, configured
from the JSON document it prints): the go-live benchmark measures the app's own overhead, and a
lab in the same process (its HTTP handlers, the video encoder thread holding the GIL) would be
counted in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import keyring

from desktop.config.paths import AppPaths
from desktop.config.settings import (
    BBBProfile,
    GatewayConfig,
    Settings,
    bbb_secret_name,
    gateway_secret_name,
)
from desktop.lab.bbb import BBBOptions
from desktop.lab.runner import Lab, LabOptions
from desktop.schedule.models import Webinar, WebinarOptions
from desktop.secrets.memory import MemoryKeyring
from desktop.secrets.store import SecretStore
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session import LiveSession, LiveTimings
from desktop.webinar.state import LiveState


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
class AppCore:
    """An app core (manager and settings) configured against a lab."""

    manager: WebinarManager
    settings: Settings

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


@dataclass
class LabApp(AppCore):
    """The lab (in this process) plus an app core configured against it."""

    lab: Lab = field(kw_only=True)
    stop_requests: dict[str, list[float]] = field(default_factory=dict)  # gateway -> monotonic times

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


# monotonic times at which the presenter's browser got BBB's answer to the join link (the lab
# has registered the user then): how the go-live benchmark times "presenter joined → noticed"
# when the lab runs in another process
presenter_joins: list[float] = []


async def open_in_browser(url: str) -> None:
    """What the presenter's browser does with the join link: follow it to the client page."""
    answered: list[float] = []

    async def first_answer(_response: httpx.Response) -> None:
        if not answered:
            answered.append(time.monotonic())

    async with httpx.AsyncClient(follow_redirects=True, timeout=20,
                                 event_hooks={"response": [first_answer]}) as browser:
        response = await browser.get(url)
    presenter_joins.extend(answered[:1])
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
                yield LabApp(manager, settings, lab=lab)
            finally:
                await manager.aclose()


@dataclass
class LabProcessApp(AppCore):
    """``pupitre lab`` in its own process plus an app core configured from its JSON document."""

    document: dict[str, Any] = field(kw_only=True)


def configure_from_document(document: dict[str, Any], settings: Settings, store: SecretStore,
                            name: str = "lab") -> None:
    """What ``pupitre lab --write-profile`` stores, from the document the lab printed."""
    settings.put_profile(BBBProfile(name=name, url=document["bbb"]["url"]))
    settings.default_profile = name
    store.set(bbb_secret_name(name), document["bbb"]["secret"])
    for gateway in document["gateways"]:
        config = GatewayConfig(
            name=f"{name}-{gateway['name']}", kind=gateway["kind"], url=gateway["url"],
            rtmp_url=gateway["rtmp_url"], hls_url=gateway["hls_url"],
            audience_page_url=gateway["audience_page_url"], join_mode=gateway["join_mode"],
            join_page_url=gateway["join_page_url"], browsing="bigbluebutton")
        settings.put_gateway(config)
        store.set(gateway_secret_name(config.name), gateway["token"])


@contextlib.asynccontextmanager
async def lab_process_app(timings: LiveTimings, *lab_args: str, start_timeout: float = 60.0
                          ) -> AsyncIterator[LabProcessApp]:
    """``python -m desktop lab *lab_args`` (its own temporary home, no keyring), then an app core
    against it in this process; the lab gets SIGTERM at the end."""
    with isolated_home() as home, tempfile.TemporaryDirectory(prefix="pupitre-bench-lab-") as lab_home:
        env = dict(os.environ, PUPITRE_HOME=lab_home, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
        with open(Path(lab_home) / "stderr.log", "wb") as errors:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "desktop", "lab", *lab_args, env=env, cwd=str(home),
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=errors)
        try:
            document = await _read_document(process, start_timeout, Path(lab_home) / "stderr.log")
            paths = AppPaths.from_environment().ensure()
            settings = Settings(path=paths.settings_file)
            store = SecretStore(keyring.get_keyring())
            configure_from_document(document, settings, store)
            settings.save()
            manager = WebinarManager(paths, settings, store, timings=timings)
            try:
                yield LabProcessApp(manager, settings, document=document)
            finally:
                await manager.aclose()
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 30)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def _read_document(process: asyncio.subprocess.Process, timeout: float, errors: Path) -> dict[str, Any]:
    """The one JSON document ``pupitre lab`` prints (indented over several lines)."""
    assert process.stdout is not None
    text = ""
    decoder = json.JSONDecoder()
    async with asyncio.timeout(timeout):
        while True:
            line = await process.stdout.readline()
            if not line:
                await process.wait()
                tail = errors.read_text(errors="replace")[-1000:]
                raise RuntimeError(f"pupitre lab exited ({process.returncode}) before describing itself: {tail}")
            text += line.decode()
            try:
                document, _ = decoder.raw_decode(text.strip())
            except ValueError:
                continue
            if not isinstance(document, dict):
                raise RuntimeError("pupitre lab printed something other than its JSON document")
            return document


async def wait_live(session: LiveSession, timeout: float) -> None:
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), timeout)
    if snap.state != LiveState.LIVE:
        reason = snap.failure.sentence if snap.failure else snap.state.value
        raise RuntimeError(f"the go-live failed: {reason}")
