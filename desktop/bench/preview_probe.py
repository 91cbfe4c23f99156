"""Glass-to-glass delay of the embedded preview: run on an X display by :mod:`desktop.bench.preview`.

``python -m desktop.bench.preview_probe URL --samples N --warmup S --frame WxH`` shows the
app's :class:`~desktop.ui.preview.PreviewWidget` playing ``URL`` (QT_QPA_PLATFORM=xcb), and once
pictures are displayed and the warm-up is over, grabs the burned-in clock once a second with
``QScreen.grabWindow`` (``QWidget.grab`` never contains VLC's picture).  After the last grab each
crop is inverted, scaled to 120 px high and read by ``tesseract --psm 7`` with a digits-only
whitelist (environment.md §5).  Delay = grab time − clock read.  Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMainWindow

from desktop.lab.video.renderer import clock_rect
from desktop.ui import preview as preview_module
from desktop.ui.preview import PreviewWidget, vlc_arguments

CLOCK = re.compile(r"(\d{2}):(\d{2}):(\d{2})[.:](\d{3})")


def read_clock(image: QImage, folder: Path, index: int) -> str:
    image.invertPixels()
    scaled = image.scaledToHeight(120, Qt.TransformationMode.SmoothTransformation)
    path = folder / f"clock-{index}.png"
    scaled.save(str(path))
    done = subprocess.run(["tesseract", str(path), "-", "--psm", "7", "-c",
                           "tessedit_char_whitelist=0123456789:."], capture_output=True, text=True, timeout=30)
    return done.stdout.strip()


def clock_seconds(text: str, near: float) -> float | None:
    """The epoch time of ``HH:MM:SS.mmm`` (local time) closest to ``near``."""
    match = CLOCK.search(text.replace(" ", ""))
    if match is None:
        return None
    hours, minutes, seconds, millis = (int(g) for g in match.groups())
    local = time.localtime(near)
    midnight = time.mktime((local.tm_year, local.tm_mon, local.tm_mday, 0, 0, 0, 0, 0, -1))
    value = midnight + hours * 3600 + minutes * 60 + seconds + millis / 1000
    for candidate in (value - 86400, value + 86400):
        if abs(candidate - near) < abs(value - near):
            value = candidate
    return value


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--samples", type=int, default=6)
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--frame", default="640x360")
    parser.add_argument("--no-catch-up", action="store_true", help="the preview without its catch-up")
    parser.add_argument("--no-relay", action="store_true", help="libVLC reads the HLS itself (no relay)")
    parser.add_argument("--relay-caching", type=int, default=None, help="libVLC's caching on the relay (ms)")
    parser.add_argument("--vlc-arg", action="append", default=[], help="an extra libVLC option (experiments)")
    args = parser.parse_args()
    if args.relay_caching is not None:
        preview_module.RELAY_CACHING_MS = args.relay_caching
    frame_w, frame_h = (int(v) for v in args.frame.split("x"))

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    preview = PreviewWidget(muted=True, retry_delays=(0.5, 1.0), catch_up=not args.no_catch_up,
                            relay=not args.no_relay, vlc_args=vlc_arguments() + list(args.vlc_arg))
    preview.video.setFixedSize(frame_w, frame_h)  # VLC then draws the picture 1:1
    window.setCentralWidget(preview)
    window.show()
    result: dict[str, Any] = {"platform": app.platformName(), "grabs": []}
    grabs: list[tuple[float, QImage]] = []
    deadline = time.monotonic() + args.timeout
    state = {"started": False, "playing_since": 0.0, "next_grab": 0.0}

    def pictures() -> dict[str, int]:
        """displayed / lost pictures so far (a catch-up must not make VLC drop or starve)."""
        stats = preview._vlc.MediaStats()
        if preview._media is None or not preview._media.get_stats(stats):
            return {"displayed": 0, "lost": 0}
        return {"displayed": int(stats.displayed_pictures), "lost": int(stats.lost_pictures)}

    def finish(code: int) -> None:
        if preview.available:
            result.update(pictures())
            relay = preview.relay
            if relay is not None:
                stats = relay.relay.stats
                result["relay"] = {"segments_sent": stats.segments_sent, "connections": stats.connections,
                                   "fallback": stats.fallback, "last_end": stats.last_end}
        preview.release()
        with tempfile.TemporaryDirectory(prefix="pupitre-bench-ocr-") as tmp:
            for index, (taken, image) in enumerate(grabs):
                text = read_clock(image, Path(tmp), index)
                clock = clock_seconds(text, taken)
                result["grabs"].append({"taken": taken, "text": text,
                                        "delay": None if clock is None else taken - clock})
        print(json.dumps(result), flush=True)
        app.exit(code)

    def tick() -> None:
        now = time.monotonic()
        if not preview.available:
            result["error"] = f"libVLC unavailable: {preview.unavailable_reason}"
            finish(1)
            return
        if not state["started"]:
            handle = window.windowHandle()
            if handle is not None and handle.isExposed():
                preview.set_url(args.url)
                state["started"] = True
        elif not state["playing_since"]:
            if preview.displayed_pictures() > 0:
                state["playing_since"] = now
                state["next_grab"] = now + args.warmup
        elif now >= state["next_grab"]:
            video = preview.video
            x, y, w, h = clock_rect(frame_w, frame_h)
            origin = video.mapToGlobal(video.rect().topLeft())
            taken = time.time()
            image = video.screen().grabWindow(0, origin.x() + x, origin.y() + y, w, h).toImage()
            grabs.append((taken, image))
            counts = pictures()
            result.setdefault("displayed_at_grabs", []).append(counts["displayed"])
            result.setdefault("lost_at_grabs", []).append(counts["lost"])
            state["next_grab"] = now + 1.0
            if len(grabs) >= args.samples:
                finish(0)
                return
        if now > deadline:
            result["error"] = f"timed out (displayed pictures: {preview.displayed_pictures()})"
            finish(1)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
