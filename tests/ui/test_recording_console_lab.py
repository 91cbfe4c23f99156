"""The console's *Record the live* switch on the lab: the live is recorded, the line under the switch
follows it, and ending the webinar finishes a file that plays."""

from __future__ import annotations

from pathlib import Path

import pytest
import qasync

from desktop.webinar.state import LiveState
from tests.integration.conftest import open_in_browser
from tests.recording.support import read_recording
from tests.ui.console_support import Gui, gui  # noqa: F401
from tests.ui.qasync_support import until

pytestmark = [pytest.mark.slow, pytest.mark.lab]


def test_record_a_lab_live_from_the_console(gui: Gui, qloop: qasync.QEventLoop, pupitre_home: Path) -> None:  # noqa: F811
    controller, console = gui.controller, gui.shell.window.console_page
    panel, switch = console.panel, console.recording

    async def body() -> None:
        assert not switch.check.isEnabled()
        await controller.start_lab()
        await until(switch.check.isEnabled, 10, "the switch once the workspace is open")
        assert not switch.check.isChecked()  # off by default
        [demo] = controller.upcoming()
        key = f"{demo.webinar_id}:{demo.index}"
        console.select(key)
        switch.check.click()
        assert controller.manager is not None and controller.manager.recordings.enabled

        panel.big_button.click()
        await until(lambda: gui.opened_urls, 20, "the presenter's join link")
        await open_in_browser(gui.opened_urls[0])
        await until(lambda: panel.snapshot is not None and panel.snapshot.state in (LiveState.LIVE, LiveState.FAILED),
                    60, "the live")
        await until(lambda: switch.status.text().startswith("Recording into ") and " 0 min 00 s" not in
                    switch.status.text(), 30, "the recording's status line")
        assert not switch.status.isHidden()
        panel.end_button.click()
        await until(lambda: panel.snapshot is not None and panel.snapshot.state is LiveState.ENDED, 30, "the end")
        await until(lambda: switch.status.text().startswith("Recorded into "), 30, "the finished recording")
        [recording] = list((pupitre_home / "recordings").glob("*.mkv"))
        assert recording.name in switch.status.text() and switch.status.toolTip() == str(recording)
        assert read_recording(recording)["duration"] > 1

    gui.run(body(), timeout=150)
