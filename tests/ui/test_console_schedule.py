"""The console's schedule against the lab: adopting a meeting started elsewhere and taking it live,
editing one occurrence of a repeating webinar through the editor, removing a webinar."""

from __future__ import annotations

from datetime import datetime, timedelta

import qasync
from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import QWidget

from desktop.bbb.params import CreateParams, JoinParams
from desktop.schedule.models import Frequency, Recurrence, Webinar
from desktop.ui.webinar_editor import Scope, WebinarEditor
from desktop.webinar.session_key import adopted_key, occurrence_key
from desktop.webinar.state import LiveState
from tests.integration.conftest import open_in_browser
from tests.ui.console_support import Gui, gui  # noqa: F401
from tests.ui.qasync_support import signal, until

MOODLE = "moodle-course-42"


def test_a_meeting_running_on_the_server_is_adopted_and_taken_live(
        gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    controller, console = gui.controller, gui.shell.window.console_page
    panel, webinars = console.panel, console.webinars

    async def body() -> None:
        lab = await controller.start_lab()
        # a teacher starts a meeting from Moodle and joins it: it runs on the server
        assert controller.manager is not None
        bbb = controller.manager.bbb()
        await bbb.create(CreateParams(name="Moodle course", meeting_id=MOODLE))
        await open_in_browser(bbb.join_url(JoinParams("Teacher", MOODLE, role="MODERATOR")))

        key = adopted_key(MOODLE)
        await signal(controller.running_meetings_changed, webinars.refresh_button.click)
        item = webinars.item_for(key)
        assert item is not None and item.text(0).startswith("Moodle course (")
        assert item.parent() is not None and item.parent().text(0) == "Running on the server"
        webinars.tree.setCurrentItem(item)  # the presenter picks it
        assert console.selected_key == key
        assert panel.title.text() == "Moodle course"
        assert not webinars.edit_button.isEnabled() and not webinars.remove_button.isEnabled()

        panel.big_button.click()
        await until(lambda: panel.snapshot is not None and panel.snapshot.state in (LiveState.LIVE, LiveState.FAILED),
                    60, "the live")
        assert panel.snapshot is not None and panel.snapshot.state is LiveState.LIVE, panel.snapshot.failure
        assert panel.big_button.text() == "Stop live"
        assert panel.state_text.text() == "Live"
        assert "Live" in (webinars.item_for(key) or item).text(0)
        assert lab.publishing() == ["gw1"]
        meeting = lab.world.meeting(MOODLE)
        assert meeting is not None and "pupitre-webinar" not in meeting.metadata  # adopted, not re-created

        panel.big_button.click()  # Stop live: the Moodle meeting goes on
        await until(lambda: lab.publishing() == [], 30, "the stream to stop")
        await until(lambda: panel.big_button.text() == "Start live again", 10, "Start live again")

    gui.run(body(), timeout=150)


def test_editing_this_occurrence_only_of_a_repeating_webinar(gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    controller, console = gui.controller, gui.shell.window.console_page
    webinars = console.webinars

    async def body() -> None:
        await controller.start_lab()
        start = (datetime.now().astimezone() + timedelta(days=1)).replace(hour=10, minute=0, second=0,
                                                                          microsecond=0)
        series = controller.add_webinar(Webinar(
            title="Daily stand-up", start=start, duration=timedelta(minutes=30), timezone="UTC",
            recurrence=Recurrence(freq=Frequency.DAILY, count=4)))
        key = occurrence_key(series.id, 1)
        assert webinars.select(key)
        editor, = await signal(console.editor_opened, webinars.edit_button.click)
        assert isinstance(editor, WebinarEditor)
        assert editor.scope_box.isVisibleTo(editor) and editor.only_this.isChecked()
        assert editor.scope is Scope.OCCURRENCE and not editor.repeat_box.isEnabled()
        editor.title_edit.setText("Stand-up with the dean")
        moved = editor.start_edit.dateTime()
        editor.start_edit.setDateTime(QDateTime(moved.date(), QTime(15, 30)))
        editor.duration_spin.setValue(45)
        editor.save_button.click()
        await until(lambda: not editor.isVisible(), 5, "the editor to close")

        schedule = controller.schedule
        edited = schedule.occurrence(series.id, 1)
        assert edited.overridden and edited.title == "Stand-up with the dean"
        assert (edited.start.hour, edited.start.minute) == (15, 30)
        assert edited.duration == timedelta(minutes=45)
        for index in (0, 2, 3):  # the rest of the series is untouched
            other = schedule.occurrence(series.id, index)
            assert not other.overridden and other.title == "Daily stand-up"
            assert (other.start.hour, other.start.minute) == (start.astimezone(other.start.tzinfo).hour, 0)
        assert schedule.get(series.id).title == "Daily stand-up"
        assert "Stand-up with the dean" in (webinars.item_for(key) or webinars.tree.invisibleRootItem()).text(0)
        assert "Daily stand-up" in (webinars.item_for(occurrence_key(series.id, 2))
                                    or webinars.tree.invisibleRootItem()).text(0)

    gui.run(body(), timeout=60)


def test_remove_asks_then_removes_the_webinar_and_refuses_while_live(
        gui: Gui, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    controller, console = gui.controller, gui.shell.window.console_page
    webinars = console.webinars
    asked: list[tuple[str, bool]] = []
    answers = [False, True]

    def confirm(_parent: QWidget, title: str, repeats: bool) -> bool:
        asked.append((title, repeats))
        return answers.pop(0)

    console.confirm_remove = confirm

    async def body() -> None:
        await controller.start_lab()
        start = datetime.now().astimezone() + timedelta(hours=3)
        weekly = controller.add_webinar(Webinar(
            title="Weekly seminar", start=start, duration=timedelta(hours=1), timezone="UTC",
            recurrence=Recurrence(freq=Frequency.WEEKLY, count=3)))
        key = occurrence_key(weekly.id, 0)
        assert webinars.select(key) and webinars.remove_button.isEnabled()

        webinars.remove_button.click()  # "Cancel": nothing happens
        assert asked == [("Weekly seminar", True)]
        assert key in webinars.entry_keys()

        webinars.remove_button.click()  # "Remove": the whole series goes
        assert asked[-1] == ("Weekly seminar", True)
        assert not any(k.startswith(f"{weekly.id}:") for k in webinars.entry_keys())
        assert all(o.webinar_id != weekly.id for o in controller.upcoming())
        assert console.selected_key != key  # the next entry (the demo webinar) is shown instead
        assert console.panel.title.text() == "Demo webinar"

        # the demo webinar, on its way to live, cannot be removed
        demo_key = console.selected_key
        assert demo_key is not None
        console.panel.big_button.click()
        await until(lambda: gui.opened_urls, 20, "the presenter's join link")
        await until(lambda: controller.webinar_is_engaged(int(demo_key.partition(":")[0])), 10, "the live to start")
        webinars.remove_button.click()
        assert len(asked) == 2  # not even asked
        assert demo_key in webinars.entry_keys()
        assert any(title == "The webinar is in progress" for _kind, title, _text in gui.notifications)
        console.panel.big_button.click()  # Cancel
        await until(lambda: console.panel.snapshot is not None
                    and console.panel.snapshot.state is LiveState.IDLE, 20, "the cancel")

    gui.run(body(), timeout=90)
