"""Crash recovery offered at start, and "Connect to my servers" checking and saving, against the lab."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import qasync

from desktop.config.settings import bbb_secret_name, gateway_secret_name
from desktop.lab.runner import Lab
from desktop.schedule.models import Webinar
from desktop.ui.crash import CrashReport
from desktop.ui.main_window import Page
from desktop.ui.workspace import lab_workspace
from desktop.webinar.manager import WebinarManager
from desktop.webinar.recovery import Recommendation
from desktop.webinar.state import LiveState
from tests.integration.conftest import open_in_browser
from tests.support.memory_keyring import MemoryKeyring
from tests.ui.console_support import FAST_TIMINGS, Gui, fast_lab_options, gui  # noqa: F401
from tests.ui.qasync_support import signal, until
from tests.ui.test_settings_dialog import fill, type_secret


def test_after_a_crash_the_console_offers_to_stop_a_stream_left_running(
        gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    shell, controller = gui.shell, gui.controller
    shell.previous_crash = CrashReport(started_at=time.time() - 600, pid=4242)

    async def body() -> None:
        lab = Lab(fast_lab_options())
        await lab.start()
        workspace = lab_workspace(lab)
        # a first "run" takes a webinar live...
        manager = WebinarManager(workspace.paths, workspace.settings, workspace.secrets, timings=FAST_TIMINGS)
        webinar = manager.schedule.add(Webinar(
            title="Left running", start=datetime.now(UTC) + timedelta(minutes=5), duration=timedelta(hours=1),
            timezone="UTC"))
        session = manager.session(manager.plan_for(webinar.id))
        browsers: list[asyncio.Task[None]] = []
        session.on_presenter_join_url(lambda url: browsers.append(asyncio.ensure_future(open_in_browser(url))))
        await session.go_live()
        snapshot = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
        assert snapshot.state is LiveState.LIVE, snapshot.failure
        await asyncio.gather(*browsers)
        assert lab.publishing() == ["gw1"]
        # ... and dies without stopping anything (the journal remembers the live)
        await manager.aclose()

        # the next start finds it and offers what to do
        await controller.open_workspace(workspace)
        offered, = await signal(controller.recovery_offered, controller.check_recovery, timeout=30)
        assert [rec.entry.key for rec in offered] == [session.plan.key]
        dialog = shell.recovery_dialog
        assert dialog is not None and dialog.isVisible()
        row = dialog.rows[session.plan.key]
        assert row.rec.recommendation is Recommendation.RESUME  # the meeting still runs
        assert {Recommendation.RESUME, Recommendation.STOP} <= set(row.buttons)
        assert row.buttons[Recommendation.RESUME].isDefault()
        assert "did not close properly" in dialog.intro.text()

        notified: list[tuple[object, str, str]] = []
        controller.notification_requested.connect(lambda kind, title, text: notified.append((kind, title, text)))
        changed: list[tuple[str, object]] = []
        controller.snapshot_changed.connect(lambda key, snap: changed.append((key, snap)))
        row.buttons[Recommendation.STOP].click()
        await until(lambda: lab.publishing() == [], 30, "the orphan stream to stop")
        # the controller renders the manager's event: who stopped it (crash recovery) and why
        await until(lambda: any("live stopped" in title and "recovery" in text for _kind, title, text in notified),
                    10, "a notification saying recovery stopped the live")
        assert (session.plan.key, LiveState.ENDED) in [(key, snap.state) for key, snap in changed]
        await until(lambda: row.result.text() == "The stream was stopped.", 10, "the row's result")
        assert controller.manager is not None
        assert controller.manager.journal.unfinished() == []

    gui.run(body(), timeout=120)


def test_connect_to_my_servers_checks_then_saves_to_settings_and_keyring(
        gui: Gui, qloop: qasync.QEventLoop, memory_keyring: MemoryKeyring) -> None:  # noqa: F811
    shell, controller = gui.shell, gui.controller

    async def body() -> None:
        await signal(controller.welcome_needed, lambda: controller.start(gui.user))
        lab = Lab(fast_lab_options())
        await lab.start()
        try:
            shell.window.welcome_page.connect_button.click()
            dialog = shell.servers_dialog
            assert dialog is not None and dialog.isVisible()
            editor = dialog.editor  # the settings dialog's own servers editor
            assert editor.profiles.secret_where.text() == gui.user.secrets.backend().describe()
            gw = lab.gateway("gw1")
            fill(editor.profiles, name="campus-bbb", url=lab.bbb.url)
            type_secret(editor.profiles, "not-the-secret")
            fill(editor.gateways, name="campus", kind=gw.kind, url=gw.url, rtmp_url=gw.rtmp_url, hls_url=gw.hls_url)
            type_secret(editor.gateways, gw.token)

            results, = await signal(dialog.checked, dialog.start_check, timeout=30)
            lines = dialog.result_lines()
            assert len(lines) == len(results) > 2
            assert any(line.startswith("✗") for line in lines)  # the wrong secret is named
            assert any(line.startswith("✓") for line in lines)  # the gateway answered

            editor.tabs.setCurrentWidget(editor.profiles)
            type_secret(editor.profiles, lab.world.secret)
            results, = await signal(dialog.checked, dialog.start_check, timeout=30)
            assert not any(line.startswith("✗") for line in dialog.result_lines()), dialog.result_lines()

            await signal(controller.workspace_opened, dialog.save_button.click, timeout=20)
            assert shell.window.current_page() is Page.CONSOLE
            saved = gui.user.paths.settings_file.read_text()
            assert lab.bbb.url in saved and "campus" in saved
            assert lab.world.secret not in saved and gw.token not in saved
            assert memory_keyring.get_password("pupitre", bbb_secret_name("campus-bbb")) == lab.world.secret
            assert memory_keyring.get_password("pupitre", gateway_secret_name("campus")) == gw.token
        finally:
            await lab.stop()

    gui.run(body(), timeout=120)
