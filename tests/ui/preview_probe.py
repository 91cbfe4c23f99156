"""Play an HLS URL in the real embedded PreviewWidget on a real X display; print JSON.

Run by ``test_preview_xvfb.py`` in a subprocess with ``QT_QPA_PLATFORM=xcb`` (the test session
itself is offscreen, and a process cannot switch Qt platforms).  Waits, driven by a QTimer,
until libVLC has displayed more than ``--min-pictures`` pictures, then grabs the video
widget's screen region with ``QScreen.grabWindow`` (``QWidget.grab`` never contains VLC's
picture) and prints ``{"displayed": N, "distinct_colours": M, "size": [w, h]}``.  Exit 1 with
an ``error`` field on timeout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMainWindow

from desktop.ui.preview import PreviewWidget


def distinct_colours(image: QImage, step: int = 4) -> int:
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(QColor(image.pixel(x, y)).rgb())
    return len(colours)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--min-pictures", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    preview = PreviewWidget(muted=True, retry_delays=(0.5, 1.0))
    window.setCentralWidget(preview)
    window.resize(640, 420)
    window.show()
    result: dict[str, object] = {"platform": app.platformName()}
    deadline = time.monotonic() + args.timeout
    started = False

    def finish(code: int) -> None:
        relay = preview.relay
        if relay is not None:
            stats = relay.relay.stats
            result["relay"] = {"segments_sent": stats.segments_sent, "fallback": stats.fallback}
        result["relayed"] = preview.relayed
        preview.release()
        print(json.dumps(result), flush=True)
        app.exit(code)

    def tick() -> None:
        nonlocal started
        if not preview.available:
            result["error"] = f"libVLC unavailable: {preview.unavailable_reason}"
            finish(1)
            return
        if not started:
            if not window.windowHandle() or not window.windowHandle().isExposed():
                if time.monotonic() > deadline:
                    result["error"] = "window never exposed"
                    finish(1)
                return
            preview.set_url(args.url)
            started = True
            return
        displayed = preview.displayed_pictures()
        result["displayed"] = displayed
        if displayed > args.min_pictures:
            video = preview.video
            origin = video.mapToGlobal(video.rect().topLeft())
            screen = video.screen()
            shot = screen.grabWindow(0, origin.x(), origin.y(), video.width(), video.height()).toImage()
            result["distinct_colours"] = distinct_colours(shot)
            result["size"] = [shot.width(), shot.height()]
            finish(0)
        elif time.monotonic() > deadline:
            result["error"] = f"only {displayed} pictures displayed in {args.timeout:g} s"
            finish(1)

    timer = QTimer()
    timer.setInterval(100)
    timer.timeout.connect(tick)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
