"""The whole GUI (shell + controller) as the app builds it, for tests against the lab."""

from __future__ import annotations

import stat
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.join_link import link_in_page
from desktop.lab.bbb import BBBOptions
from desktop.lab.runner import LabOptions
from desktop.secrets import secret_store
from desktop.ui.controller import WebinarController
from desktop.ui.shell import DesktopShell
from desktop.ui.workspace import Workspace
from desktop.webinar.session import LiveTimings
from tests.ui.fakes import FakeVlc
from tests.ui.qasync_support import run

FAST_TIMINGS = LiveTimings(presenter_poll=0.2, live_poll=0.5, stream_live_timeout=30.0,
                           gateway_down_timeout=30.0, down_poll=0.2, gateway_status_every=1.0)


def fast_lab_options() -> LabOptions:
    # the presenter's "browser" is one HTTP GET: keep its presence for the whole test
    return LabOptions(fast=True, video_size=(320, 180), fps=10, bbb=BBBOptions(page_presence_timeout=3600))


@dataclass
class Gui:
    shell: DesktopShell
    controller: WebinarController
    user: Workspace
    vlc: FakeVlc
    loop: qasync.QEventLoop
    opened_urls: list[str] = field(default_factory=list)
    notifications: list[tuple[str, str, str]] = field(default_factory=list)

    def run(self, body: Coroutine[Any, Any, None], timeout: float = 120.0) -> None:
        """Run the test's body, then close the controller (the lab stops) in the same loop run.

        Closing inside the run matters: pytest-qt processes Qt events between the test and the
        fixtures' teardown, and asyncio callbacks fired then would run with no running loop.
        """

        async def body_then_close() -> None:
            try:
                await body
            finally:
                await self.controller.aclose()

        run(self.loop, body_then_close(), timeout)


@pytest.fixture
def gui(qtbot: QtBot, qloop: qasync.QEventLoop, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gui]:
    """The shell (no system tray: offscreen) wired to a controller with fast timings.

    The presenter's browser is QDesktopServices.openUrl, patched to record the URL.
    """
    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        # the app hands the browser a private page that redirects to the signed link (never the
        # link itself: a browser's command line is visible to every local user); record the link
        assert url.isLocalFile(), url.toString()
        page = Path(url.toLocalFile())
        assert stat.S_IMODE(page.stat().st_mode) == 0o600
        opened.append(link_in_page(page))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    vlc = FakeVlc()
    shell = DesktopShell(tray_available=lambda: False, confirm_quit=lambda titles: True, vlc_loader=lambda: vlc)
    shell.window.console_page.confirm_stop = lambda _parent, _title: True  # the presenter confirms
    controller = WebinarController(timings=FAST_TIMINGS, lab_options=fast_lab_options())
    paths = AppPaths.from_environment().ensure()
    user = Workspace(paths, Settings.load(paths.settings_file), secret_store())
    shell.attach(controller, user)
    gui = Gui(shell, controller, user, vlc, qloop, opened)
    shell.notifier.delivered.connect(lambda kind, title, text: gui.notifications.append((kind, title, text)))
    shell.start()
    try:
        yield gui
    finally:
        try:
            run(qloop, controller.aclose(), timeout=60)
        finally:
            shell.close()
            shell.window.deleteLater()
