"""The app (or a bare Qt window) started for the start-up benchmark; reports to a JSON-lines file.

``python -m desktop.bench.app_probe REPORT TRIGGER_DIR [--bare [--size W H]]`` starts Pupitre
exactly as the ``pupitre`` command does (:func:`desktop.ui.app.run`), with one addition made from
outside: an event filter on the application that writes ``{"shown": <epoch>}`` to REPORT at the
first ``Expose`` of the main window, and ``{"ready": <epoch>, "window": [W, H]}`` when the
core has opened the user's set-up (the console filled) or asked for the welcome page (W×H: the
main window's size).  ``--bare`` shows an empty ``QMainWindow`` instead (the reference: what any
PySide6 app pays) of ``--size`` (the benchmark gives the app's main window's, so the two windows'
pixel buffers cancel out).  When a file named ``play`` appears in TRIGGER_DIR (a
``QFileSystemWatcher``: no polling while idle), the app's ``PreviewWidget`` opens in a window
and plays the URL written in it; ``{"playing": <epoch>}`` follows once pictures are displayed.

``PUPITRE_BENCH_SECRETS`` (a JSON object, name → value) stands for the secrets "Connect to my
servers" stored in the keyring: the app's secret store still asks its keyring first (keyring loads
when a secret is first read, as it does for a presenter), then answers with the value given.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, QTimer
from PySide6.QtGui import QWindow


def _write(report: Path, **data: Any) -> None:
    with report.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(data) + "\n")


def _is_main_window(window: QWindow) -> bool:
    """The app's main window (or the bare QMainWindow): not the tray icon's or another helper's."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    return any(isinstance(widget, QMainWindow) and widget.windowHandle() == window
               for widget in QApplication.topLevelWidgets())


class FirstExpose(QObject):
    """Writes the time the main window is first exposed (once): an earlier small window (the tray
    icon's, on X11) does not count."""

    def __init__(self, report: Path) -> None:
        super().__init__()
        self.report = report
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.done and event.type() == QEvent.Type.Expose and isinstance(watched, QWindow) \
                and watched.isExposed() and _is_main_window(watched):
            self.done = True
            _write(self.report, shown=time.time(), title=watched.title())
        return False


class PreviewOnTrigger(QObject):
    """Opens the app's preview on the URL of TRIGGER_DIR/play when that file appears."""

    def __init__(self, report: Path, trigger_dir: Path) -> None:
        super().__init__()
        self.report = report
        self.trigger = trigger_dir / "play"
        self.watcher = QFileSystemWatcher([str(trigger_dir)])
        self.watcher.directoryChanged.connect(self._changed)
        self.preview: Any = None
        self.window: Any = None
        self.timer = QTimer()
        self.timer.setInterval(200)
        self.timer.timeout.connect(self._check)

    def _changed(self, _path: str) -> None:
        if self.preview is not None or not self.trigger.exists():
            return
        url = self.trigger.read_text(encoding="utf-8").strip()
        if not url:
            return
        from PySide6.QtWidgets import QMainWindow

        from desktop.ui.preview import PreviewWidget

        self.window = QMainWindow()
        self.preview = PreviewWidget(muted=True)
        self.window.setCentralWidget(self.preview)
        self.window.resize(640, 420)
        self.window.show()
        self.preview.set_url(url)
        self.timer.start()

    def _check(self) -> None:
        if self.preview is not None and self.preview.displayed_pictures() > 0:
            self.timer.stop()
            _write(self.report, playing=time.time())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=Path)
    parser.add_argument("trigger_dir", type=Path)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--size", type=int, nargs=2, default=(800, 600), metavar=("WIDTH", "HEIGHT"),
                        help="the bare window's size (the benchmark gives the app's first window's)")
    args = parser.parse_args()
    keep: list[QObject] = []

    def instrument(app: Any) -> None:
        first = FirstExpose(args.report)
        app.installEventFilter(first)
        keep.extend([first, PreviewOnTrigger(args.report, args.trigger_dir)])

    if args.bare:
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication(sys.argv[:1])
        instrument(app)
        window = QMainWindow()
        window.resize(*args.size)
        window.show()
        return app.exec()

    import desktop.ui.app as app_module

    stored: dict[str, str] = json.loads(os.environ.get("PUPITRE_BENCH_SECRETS") or "{}")
    if stored:
        user_store = app_module.secret_store

        def secret_store_with_stored_secrets() -> Any:
            store = user_store()
            read = store.get

            def get(name: str) -> str | None:
                return read(name) or stored.get(name)  # the keyring first, as the app does

            store.get = get  # type: ignore[method-assign]
            return store

        app_module.secret_store = secret_store_with_stored_secrets

    build_ui = app_module.PupitreApplication.build_ui

    def instrumented_build_ui(self: Any, **kwargs: Any) -> Any:
        instrument(self)
        shell = build_ui(self, **kwargs)
        ready: list[bool] = []

        def settled(*_args: Any) -> None:
            if not ready:
                ready.append(True)
                _write(args.report, ready=time.time(), window=[shell.window.width(), shell.window.height()])

        controller = shell.controller
        assert controller is not None
        controller.workspace_opened.connect(settled)
        controller.welcome_needed.connect(settled)
        return shell

    setattr(app_module.PupitreApplication, "build_ui", instrumented_build_ui)  # noqa: B010
    return app_module.run(argparse.Namespace(verbose=False, lab=False))


if __name__ == "__main__":
    sys.exit(main())
