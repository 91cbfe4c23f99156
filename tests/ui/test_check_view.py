"""One check-result view and one servers editor, shared by "Connect to my servers" and the settings
dialog: the same Check, run the same way, listed the same way (issue 13)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import qasync
from pytestqt.qtbot import QtBot

from desktop.config.settings import (
    BBBProfile,
    GatewayConfig,
    Settings,
    bbb_secret_name,
    gateway_secret_name,
)
from desktop.preflight import CheckResult, Level
from desktop.secrets.store import BackendInfo, secret_store
from desktop.ui.check_view import CheckPanel, result_line
from desktop.ui.servers_dialog import ServersDialog
from desktop.ui.servers_editor import ServersEditor
from desktop.ui.settings_dialog import SettingsDialog
from tests.ui.qasync_support import qloop, run, signal  # noqa: F401 (qloop is a fixture)

RESULTS = [
    CheckResult("bbb.reachable", "campus", Level.OK, "BigBlueButton answers (version 3.0)."),
    CheckResult("gateway.version", "gw1", Level.WARNING, "The gateway “gw1” runs SIPMediaGW v1.7.",
                hint="Upgrade it to v1.8."),
    CheckResult("gateway.token", "gw2", Level.ERROR, "The gateway “gw2” refused the token.",
                hint="Type the token again."),
]


class RecordingCheck:
    """A preflight that records what it was asked to check and answers RESULTS."""

    def __init__(self) -> None:
        self.calls: list[tuple[BBBProfile, str | None, list[tuple[GatewayConfig, str | None]], BackendInfo]] = []

    async def __call__(self, profile: BBBProfile, secret: str | None,
                       gateways: Sequence[tuple[GatewayConfig, str | None]], *, keyring: BackendInfo,
                       **_: Any) -> list[CheckResult]:
        self.calls.append((profile, secret, list(gateways), keyring))
        await asyncio.sleep(0)
        return list(RESULTS)


@pytest.fixture
def settings(pupitre_home: Path) -> Settings:
    settings = Settings.load(pupitre_home / "settings.json")
    settings.put_profile(BBBProfile("campus", "https://bbb.example.org/bigbluebutton/"))
    settings.put_gateway(GatewayConfig(name="gw1", kind="sipmediagw-legacy", url="https://gw.example.org",
                                       rtmp_url="rtmp://stream.example.org/live/w",
                                       hls_url="https://stream.example.org/hls/w.m3u8"))
    settings.default_profile = "campus"
    store = secret_store()
    store.set(bbb_secret_name("campus"), "stored-secret-0123456789")
    store.set(gateway_secret_name("gw1"), "stored-token-0123456789")
    return settings


def test_the_panel_lists_each_answer_with_its_mark_and_a_verdict(qtbot: QtBot) -> None:
    panel = CheckPanel(secret_store().backend)
    qtbot.addWidget(panel)
    assert panel.results.isHidden()
    panel.show_results(RESULTS)
    assert panel.lines() == [
        "✓  BigBlueButton answers (version 3.0).",
        "!  The gateway “gw1” runs SIPMediaGW v1.7. — Upgrade it to v1.8.",
        "✗  The gateway “gw2” refused the token. — Type the token again.",
    ]
    assert [result_line(r) for r in RESULTS] == panel.lines()
    assert not panel.results.isHidden()
    assert panel.status.text() == "1 problem(s) found."
    panel.show_results(RESULTS[:2])
    assert panel.status.text() == "Everything answers, with 1 warning(s)."
    panel.show_results(RESULTS[:1])
    assert panel.status.text() == "Everything answers as expected."


@pytest.mark.parametrize("kind", ["servers", "settings"])
def test_both_dialogs_check_the_edited_values_through_the_same_editor(
        qtbot: QtBot, settings: Settings, qloop: qasync.QEventLoop, kind: str) -> None:  # noqa: F811
    check = RecordingCheck()
    dialog: ServersDialog | SettingsDialog
    if kind == "servers":
        dialog = ServersDialog(settings, secret_store(), check=check)
        editor, finished = dialog.editor, dialog.checked
    else:
        dialog = SettingsDialog(settings, store=secret_store(), check=check)
        editor, finished = dialog.servers, dialog.check_finished
    qtbot.addWidget(dialog)
    assert isinstance(editor, ServersEditor) and isinstance(editor.check, CheckPanel)
    # a typed (unsaved) token wins over the stored one; the stored secret is used as it is
    editor.gateways.secret.setText("typed-token-0123456789")
    editor.gateways.secret.textEdited.emit("typed-token-0123456789")

    async def body() -> None:
        results, = await signal(finished, editor.check.button.click, timeout=10)
        assert results == RESULTS
        assert not editor.check.checking and editor.check.button.isEnabled()

    run(qloop, body(), timeout=20)
    (profile, secret, gateways, keyring), = check.calls
    assert profile.name == "campus" and secret == "stored-secret-0123456789"
    assert [(g.name, token) for g, token in gateways] == [("gw1", "typed-token-0123456789")]
    assert keyring == secret_store().backend()
    assert editor.check.lines()[2].startswith("✗  ")


def test_check_refuses_to_start_on_invalid_fields(qtbot: QtBot, settings: Settings,
                                                  qloop: qasync.QEventLoop) -> None:  # noqa: F811
    check = RecordingCheck()
    dialog = ServersDialog(settings, secret_store(), check=check)
    qtbot.addWidget(dialog)
    url = dialog.editor.gateways.rows["url"].line
    assert url is not None
    url.setText("gw.example.org")
    url.textEdited.emit("gw.example.org")

    async def body() -> None:
        assert not dialog.start_check()

    run(qloop, body(), timeout=10)
    assert check.calls == []
    assert dialog.editor.check.status.text() == "Correct the fields marked in red, then check again."
    assert dialog.editor.tabs.currentWidget() is dialog.editor.gateways
