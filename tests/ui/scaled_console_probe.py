"""Run in a fresh process with QT_SCALE_FACTOR set (tests/ui/test_scaled_console.py): lays the
console out live, in French when a catalogue folder is given, at the size the app opens it on a
1280×720 screen (in device-independent pixels) and prints what it measured as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication


def main(qm_folder: str) -> None:
    app = QApplication(sys.argv[:1])
    from desktop.ui.geometry import first_size
    from desktop.ui.i18n import install_translators
    from desktop.ui.main_window import MainWindow, Page
    from desktop.ui.tray import NextWebinar
    from desktop.webinar.state import LiveState, Step
    from tests.ui.builders import NOW, snapshot
    from tests.ui.fakes import FakeVlc
    from tests.ui.layout_probe import clipped_texts

    if qm_folder:
        install_translators(app, "fr", directory=Path(qm_folder), environ={})
    window = MainWindow(lab=True, vlc_loader=FakeVlc)
    console = window.console_page
    window.show_page(Page.CONSOLE)
    console.lab_note.show()
    console.set_next_webinar(NextWebinar("Quarterly town hall", NOW + 600))
    console.panel.update_from(snapshot(LiveState.LIVE, steps={step: NOW - 60 for step in Step}, live_since=NOW - 30))
    console.preview.use_relay = False
    console.preview.set_url("https://stream.example.org/hls/w.m3u8")
    window.resize(first_size(QSize(1200, 760), QSize(1280, 720 - 32)))
    window.show()
    for _ in range(5):
        app.processEvents()
    hint = window.minimumSizeHint()
    print(json.dumps({"dpr": window.devicePixelRatio(), "minimum": [hint.width(), hint.height()],
                      "size": [window.width(), window.height()], "clipped": clipped_texts(window),
                      "on_air": console.panel.on_air_word.text()}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
