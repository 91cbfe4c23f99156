"""The whole GUI against the lab in-process: first run -> lab -> schedule -> go live -> stop ->
start again -> restart -> end, with the tray and the notifications following.

The test plays the presenter: it clicks the widgets, and opens the presenter's join link itself
(the app hands it to QDesktopServices.openUrl, patched by the ``gui`` fixture) with an HTTP
client that follows redirects, as a browser would.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import qasync
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QMenu

from desktop.ui.live_panel import TICK, Tone
from desktop.ui.main_window import Page
from desktop.ui.tray import TrayState
from desktop.ui.webinar_editor import WebinarEditor
from desktop.webinar.control import AlreadyOwned, endpoint_file, send_intent
from desktop.webinar.state import LiveState, Step
from tests.integration.conftest import open_in_browser
from tests.ui.console_support import Gui, gui  # noqa: F401
from tests.ui.qasync_support import signal, until


def menu_actions(menu: QMenu) -> list[str]:
    return [action.objectName() for action in menu.actions() if action.objectName()]


def test_first_run_lab_schedule_and_a_whole_live(gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    shell, controller = gui.shell, gui.controller
    window, console = shell.window, shell.window.console_page
    panel = console.panel
    states: list[LiveState] = []
    controller.snapshot_changed.connect(
        lambda key, snap: states.append(snap.state) if not states or states[-1] != snap.state else None)

    async def body() -> None:
        # -- first run: nothing configured -> the welcome page
        await signal(controller.welcome_needed, lambda: controller.start(gui.user))
        assert window.current_page() is Page.WELCOME

        # -- "Try it with the lab": the lab starts in-process, the console opens with a demo webinar
        window.welcome_page.try_lab_button.click()
        await until(lambda: window.current_page() is Page.CONSOLE, 30, "the console")
        assert controller.workspace is not None and controller.workspace.lab is not None
        lab = controller.workspace.lab
        assert not console.lab_note.isHidden()
        await until(lambda: any("Demo webinar" in console.webinars.item_for(k).text(0)  # type: ignore[union-attr]
                                for k in console.webinars.entry_keys()), 5, "the demo webinar in the list")
        assert any(title.startswith("Today") or title.startswith("Tomorrow")
                   for title in console.webinars.group_titles())
        # nothing of the lab reached the user's saved settings or keyring
        assert not gui.user.settings.is_configured
        assert not gui.user.paths.settings_file.exists()

        # -- schedule a webinar with the editor; a bad duration is explained next to its field
        editor_args = await signal(console.editor_opened, console.webinars.new_button.click)
        editor = editor_args[0]
        assert isinstance(editor, WebinarEditor)
        editor.title_edit.setText("Town hall")
        editor.start_edit.setDateTime(QDateTime.currentDateTime().addSecs(600))
        editor.duration_spin.setValue(0)
        editor.save_button.click()
        assert editor.isVisible()
        assert "at least one minute" in editor.error_text("duration")
        assert editor.error_text("title") == ""
        editor.duration_spin.setValue(30)
        editor.save_button.click()
        await until(lambda: not editor.isVisible(), 5, "the editor to close")
        assert console.selected_key is not None
        key = console.selected_key
        assert panel.title.text() == "Town hall"
        assert panel.big_button.text() == "Go live"

        # -- go live: the panel shows the work, the test opens the join link like a browser
        panel.big_button.click()
        await until(lambda: gui.opened_urls, 20, "the presenter's join link")
        await until(lambda: panel.snapshot is not None
                    and panel.snapshot.state is LiveState.WAITING_FOR_PRESENTER, 20, "waiting for the presenter")
        assert panel.big_button.property("tone") == Tone.CANCEL.value
        assert panel.step_ticks[Step.MEETING_CREATED].text() == TICK
        assert panel.step_ticks[Step.PRESENTER_JOINED].text() != TICK
        assert "role=MODERATOR" in gui.opened_urls[0]
        await open_in_browser(gui.opened_urls[0])
        await until(lambda: panel.snapshot is not None and panel.snapshot.state in (LiveState.LIVE, LiveState.FAILED),
                    60, "the live")
        assert panel.snapshot is not None
        assert panel.snapshot.state is LiveState.LIVE, panel.snapshot.failure
        assert all(panel.step_ticks[step].text() == TICK for step in Step)
        assert all(panel.step_times[step].text() for step in Step)
        assert panel.big_button.text() == "Stop live"
        assert lab.publishing() == ["gw1"]
        # the preview plays the gateway's audience stream; the health and the log follow
        assert console.preview.url == lab.gateway("gw1").hls_url
        assert any(text.endswith("  Live") for text in console.health.event_texts())
        await until(lambda: console.health.rows["meeting"].property("level") == "good", 10, "meeting health")
        # tray and notifications follow the state
        assert shell.tray.state is TrayState.LIVE
        shell.tray.rebuild_menu()
        assert {"stop_live", "end", "open_chat"} <= set(menu_actions(shell.tray.menu))
        assert any(title == "Live: Town hall" for _kind, title, _text in gui.notifications)
        assert key in console.webinars.entry_keys()
        assert "Live" in console.webinars.item_for(key).text(0)  # type: ignore[union-attr]

        # -- the audience chat: read once the presenter joined; a question is notified
        await until(console.chat_button.isEnabled, 20, "the chat to start")
        await until(lambda: console.health.rows["chat"].property("level") == "good", 20, "the chat connection")
        gateway = lab.gateway("gw1")
        async with httpx.AsyncClient(timeout=10) as client:
            reply = await client.post(f"{gateway.url}/chat", json={
                "room": panel.snapshot.room, "msg": "(Alice Martin) Will the recording be available?"})
        assert reply.status_code == 200
        log = controller.chats.log_for(key)
        assert log is not None
        await until(lambda: any(m.author == "Alice Martin" for m in log), 20, "the audience message")
        await until(lambda: any(title == "Question from Alice Martin" for _k, title, _t in gui.notifications),
                    5, "the question notification")
        console.chat_button.click()
        chat_window = shell.chat_windows[key]
        assert chat_window.isVisible()
        assert chat_window.log is log

        # -- stop live from another process, as `pupitre webinar stop-live` does
        assert controller.workspace is not None
        reply = await send_intent(controller.workspace.paths.data_dir / "run", key, "stop-live", timeout=60)
        assert reply is not None and reply["snapshot"]["state"] == "live stopped"
        await until(lambda: panel.big_button.text() == "Start live again", 10, "Start live again")
        await until(lambda: lab.publishing() == [], 20, "the gateway to stop publishing")
        assert console.preview.url is None

        # -- start live again, then restart
        panel.big_button.click()
        await until(lambda: panel.snapshot is not None and panel.snapshot.state is LiveState.LIVE, 60, "live again")
        states.clear()
        assert panel.restart_button.isEnabled()
        panel.restart_button.click()
        await until(lambda: LiveState.STOPPING in states and panel.snapshot is not None
                    and panel.snapshot.state is LiveState.LIVE and not panel.snapshot.restarting, 60, "the restart")
        path = [state for state in states if state is not LiveState.LIVE]
        assert path[:2] == [LiveState.STOPPING, LiveState.STARTING_GATEWAY]

        # -- end the webinar: the meeting ends, nothing publishes, the tray is idle again
        panel.end_button.click()
        await until(lambda: panel.snapshot is not None and panel.snapshot.state is LiveState.ENDED, 30, "the end")
        await until(lambda: lab.publishing() == [], 20, "the gateway to stop")
        assert panel.big_button.text() == "Go live"
        assert shell.tray.state in (TrayState.IDLE, TrayState.SOON)
        shell.tray.rebuild_menu()
        assert "stop_live" not in menu_actions(shell.tray.menu)
        # ended by the presenter: no "stopped automatically" warning
        assert not any(kind == "warning" for kind, _title, _text in gui.notifications)

    gui.run(body(), timeout=150)


def test_reminders_and_next_webinar_follow_the_schedule(gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    controller = gui.controller

    def reminders() -> list[str]:
        return [title for _kind, title, _text in gui.notifications if "starts in" in title]

    async def body() -> None:
        await controller.start_lab()
        demo = controller.upcoming()
        assert len(demo) == 1
        next_webinar = controller.next_webinar
        assert next_webinar is not None and next_webinar.title == "Demo webinar"
        assert gui.shell.tray.state is TrayState.SOON
        # the demo starts in two minutes at most: its 2-minute reminder came at once, and only once
        assert reminders() == ["Demo webinar starts in 2 minute(s)"]
        controller.check_schedule()
        assert len(reminders()) == 1
        # a webinar 9 minutes away gets its 10-minute reminder now, its 2-minute one later
        start = datetime.fromtimestamp(controller._clock()).astimezone() + timedelta(minutes=9)
        webinar = controller.demo_webinar()
        webinar.title, webinar.start = "Later", start
        controller.add_webinar(webinar)
        assert reminders()[-1] == "Later starts in 10 minute(s)"
        later = start.timestamp() - 100
        controller._clock = lambda: later
        controller.check_schedule()
        assert reminders()[-1] == "Later starts in 2 minute(s)"
        assert len(reminders()) == 3

        # the demo taken up (resumed here as "live stopped", no live needed): the header and the
        # tray announce the webinar after it, not the one already on
        controller._clock = time.time
        controller.check_schedule()
        assert controller.next_webinar is not None and controller.next_webinar.title == "Demo webinar"
        manager = controller.manager
        assert manager is not None
        session = manager.session(manager.plan_for(demo[0].webinar_id, demo[0].index))
        controller._attach(session)  # as a go-live or a recovery would
        session.resume(state=LiveState.LIVE_STOPPED, acquired=None, steps={}, chat_panel=None, live_since=None)
        await until(lambda: controller.next_webinar is not None and controller.next_webinar.title == "Later", 5,
                    "the next webinar to move on as soon as the demo's state changes")

    gui.run(body(), timeout=60)


def test_editor_puts_each_problem_next_to_its_field(gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    controller, console = gui.controller, gui.shell.window.console_page

    async def body() -> None:
        await controller.start_lab()
        editor = console.open_editor()
        assert editor is not None
        editor.title_edit.setText("x")
        editor.freq_combo.setCurrentIndex(editor.freq_combo.findText("Weekly"))
        start = editor.start_edit.dateTime().date().dayOfWeek() - 1  # Qt: 1 = Monday
        for day, box in enumerate(editor.weekday_boxes):
            box.setChecked(day == (start + 1) % 7)
        editor.max_participants_spin.setValue(2)
        editor.save_button.click()
        assert "at least 2 characters" in editor.error_text("title")
        assert "must include" in editor.error_text("weekdays")
        assert "participant limit" in editor.error_text("max_participants")
        assert editor.error_text("duration") == ""
        assert len(controller.upcoming()) == 1  # nothing saved
        editor.reject()

    gui.run(body(), timeout=60)



def test_settings_saved_on_the_lab_reopen_the_core_and_stay_out_of_the_user_files(
        gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    controller, console = gui.controller, gui.shell.window.console_page

    async def body() -> None:
        lab = await controller.start_lab()
        dialog, = await signal(console.settings_dialog_opened, console.settings_button.click)
        assert [p.name for p in dialog.settings.profiles] == ["lab"]
        old_manager = controller.manager
        await signal(controller.running_meetings_changed, dialog.save_and_close, timeout=20)
        assert controller.manager is not None and controller.manager is not old_manager  # reopened, and it answers
        assert controller.workspace is not None and controller.workspace.lab is lab
        assert controller.workspace.settings.path is not None
        assert controller.workspace.settings.path.exists()  # in the lab's temporary folder
        assert not gui.user.paths.settings_file.exists()
        assert [o.title for o in controller.upcoming()] == ["Demo webinar"]  # same schedule, lab still up

    gui.run(body(), timeout=60)


def test_the_preview_follows_the_preview_preferences(gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    controller, console = gui.controller, gui.shell.window.console_page

    async def body() -> None:
        await controller.start_lab()
        assert controller.settings is not None
        assert console.preview.is_muted() is True  # the default: muted at start
        controller.settings.preferences.update({"preview_muted": False, "preview_volume": 35})
        dialog, = await signal(console.settings_dialog_opened, console.settings_button.click)
        await signal(controller.running_meetings_changed, dialog.save_and_close, timeout=20)
        assert console.preview.is_muted() is False
        assert console.preview.volume_slider.value() == 35

    gui.run(body(), timeout=60)


def test_go_live_refuses_a_webinar_another_process_owns_and_overwrites_nothing(
        gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    controller = gui.controller

    async def body() -> None:
        await controller.start_lab()
        [demo] = controller.upcoming()
        assert controller.workspace is not None and controller.workspace.lab is not None
        key = f"{demo.webinar_id}:{demo.index}"
        run_dir = controller.workspace.paths.data_dir / "run"
        holder = await asyncio.create_subprocess_exec(  # a CLI owner, reduced to its claim
            sys.executable, "-c", HOLDER, str(run_dir), key, cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        try:
            assert holder.stdout is not None and (await holder.stdout.readline()).strip() == b"held"
            endpoint = endpoint_file(run_dir, key)
            endpoint.write_text('{"pid": 1, "port": 9, "token": "x"}')
            with pytest.raises(AlreadyOwned, match="does not answer"):
                await controller._go_live(key)
            assert endpoint.read_text() == '{"pid": 1, "port": 9, "token": "x"}'  # not overwritten
            assert controller.session(key) is None
            assert controller.workspace.lab.publishing() == []
        finally:
            holder.kill()
            await holder.wait()

    gui.run(body(), timeout=60)


HOLDER = """
import sys
from pathlib import Path
from desktop.webinar.control import claim
assert claim(Path(sys.argv[1]), sys.argv[2])
print("held", flush=True)
sys.stdin.readline()
"""
ROOT = Path(__file__).resolve().parents[2]
