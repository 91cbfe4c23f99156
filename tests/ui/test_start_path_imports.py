"""The app's start path loads only what the first window needs (issue 13).

The lab (emulators, aiohttp servers, the FFmpeg encoder) and the benchmarks are loaded only when
they are asked for (``pupitre --lab``, ``pupitre lab``, *Try it with the lab*); libVLC only when
the preview has a stream to show; the chat window and its exporters when a chat is opened; the
dialogs (settings, servers, webinar editor, about, crash recovery) when they are opened — and the
recovery dialog not at all when there is nothing to recover.  Each check runs in a fresh process
and reads its ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.config.paths import AppPaths
from desktop.config.settings import BBBProfile, GatewayConfig, Settings

ROOT = Path(__file__).resolve().parents[2]
NOT_ON_THE_START_PATH: tuple[str, ...] = (
    "aiohttp", "av", "vlc", "desktop.lab", "desktop.bench", "desktop.chat.export", "desktop.ui.chat_window",
    "desktop.ui.settings_dialog", "desktop.ui.servers_dialog", "desktop.ui.webinar_editor",
    "desktop.ui.about_dialog", "desktop.ui.recovery_dialog",
)
# importing the app (before its window shows) loads no core: the manager, the sessions, the
# recovery, the HTTP client and the parsers load once the window is on screen
NOT_BEFORE_THE_WINDOW = (
    "httpx", "lxml", "websockets", "m3u8", "keyring", "sqlite3", "click", "pygments",
    "desktop.net.http", "desktop.bbb.client", "desktop.gateways.base", "desktop.stream.monitor",
    "desktop.chat.pipeline", "desktop.preflight", "desktop.schedule.store", "desktop.webinar.manager",
    "desktop.webinar.session", "desktop.webinar.live_chat", "desktop.webinar.recovery",
    "desktop.webinar.journal",
)
# the configured console with nothing live (and nothing to recover) opens the schedule, the journal
# and the BBB client; the sessions, gateway drivers, preflight, HLS monitor, chat reader and
# recovery wait for a live, and lxml for the first answer parsed (the servers here never answer)
NOT_IN_THE_IDLE_CONSOLE = (
    "websockets", "m3u8", "lxml", "click", "pygments", "desktop.webinar.session", "desktop.webinar.live_chat",
    "desktop.webinar.recovery", "desktop.gateways.factory", "desktop.preflight", "desktop.stream",
    "desktop.chat.pipeline",
)
if os.name == "posix":  # the single-instance guard is a plain Unix socket there (no QtNetwork)
    NOT_ON_THE_START_PATH += ("PySide6.QtNetwork",)
# the welcome page reads no secret: keyring (and the backends it discovers) waits too
NOT_ON_THE_WELCOME_PAGE = ("keyring",)
# runs the app as `pupitre` does, and once the first page is settled (the welcome page, or the
# console opened on the configured servers) prints what was loaded and quits
FIRST_WINDOW = """
import argparse, json, sys
from PySide6.QtCore import QTimer
import desktop.ui.app as app_module

build_ui = app_module.PupitreApplication.build_ui
found = []
page = []

def instrumented(self, **kwargs):
    shell = build_ui(self, **kwargs)
    def report():
        found.append(sorted(k for k, v in sys.modules.items() if v is not None))
        page.append(shell.window.current_page().name)
        self.quit()
    settled = lambda *_: QTimer.singleShot(0, report)
    shell.controller.welcome_needed.connect(settled)
    shell.controller.workspace_opened.connect(settled)
    return shell

app_module.PupitreApplication.build_ui = instrumented
code = app_module.run(argparse.Namespace(verbose=False, lab=False))
print(json.dumps({"code": code, "modules": found[0] if found else None, "page": page[0] if page else None}))
"""


def loaded(modules: list[str], names: tuple[str, ...] = NOT_ON_THE_START_PATH) -> list[str]:
    return sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in names))


def test_importing_the_app_loads_no_lab_code() -> None:
    probe = "import json, sys; import desktop.cli, desktop.ui.app; print(json.dumps(sorted(k for k, v in sys.modules.items() if v is not None)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert loaded(json.loads(done.stdout), NOT_ON_THE_START_PATH + NOT_BEFORE_THE_WINDOW) == []


@pytest.mark.parametrize("configured", [False, True], ids=["welcome page", "configured console"])
def test_the_first_window_loads_only_what_it_shows(tmp_path: Path, configured: bool) -> None:
    home = tmp_path / "home"
    if configured:
        paths = AppPaths(home / "config", home / "data", home / "logs", home / "cache").ensure()
        settings = Settings.load(paths.settings_file)
        settings.put_profile(BBBProfile("campus", "https://127.0.0.1:9/bigbluebutton/"))
        settings.put_gateway(GatewayConfig(name="gw1", kind="sipmediagw-legacy", url="https://127.0.0.1:9",
                                           rtmp_url="rtmp://127.0.0.1:9/live/w", hls_url="https://127.0.0.1:9/w.m3u8"))
        settings.save()
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PUPITRE_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", FIRST_WINDOW], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True, env=env)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0 and report["modules"] is not None, done.stderr
    names = NOT_ON_THE_START_PATH + (NOT_IN_THE_IDLE_CONSOLE if configured else NOT_ON_THE_WELCOME_PAGE)
    assert loaded(report["modules"], names) == []
    assert report["page"] == ("CONSOLE" if configured else "WELCOME")
