"""A mistyped preference in settings.json: the app opens with the default and says which one."""

from __future__ import annotations

import json

import qasync

from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.secrets import secret_store
from desktop.ui.controller import WebinarController
from desktop.ui.workspace import Workspace
from tests.ui.qasync_support import qloop, run  # noqa: F401


def test_opening_a_workspace_names_the_unusable_preference(qloop: qasync.QEventLoop) -> None:  # noqa: F811
    paths = AppPaths.from_environment().ensure()
    paths.settings_file.write_text(json.dumps({"preferences": {"poll_live_seconds": "fast"}}), encoding="utf-8")
    settings = Settings.load(paths.settings_file)
    assert settings.problems()
    controller = WebinarController()
    notes: list[tuple[str, str, str]] = []
    controller.notification_requested.connect(lambda kind, title, text: notes.append((kind, title, text)))

    async def body() -> None:
        await controller.open_workspace(Workspace(paths, settings, secret_store()))
        await controller.aclose()

    run(qloop, body(), timeout=30)
    warnings = [n for n in notes if n[0] == "warning"]
    assert [n[1] for n in warnings] == ["A setting cannot be used"]
    assert "poll_live_seconds" in warnings[0][2] and "fast" in warnings[0][2]
