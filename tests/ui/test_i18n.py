from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.i18n import PseudoTranslator, install_translators, pseudo_enabled, pseudo_localise
from desktop.ui.live_panel import LivePanel
from desktop.webinar.state import LiveState
from tests.ui.builders import snapshot

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "resources" / "translations" / "pupitre_fr.ts"


@pytest.fixture
def translators(qapp: QApplication) -> Iterator[list[QTranslator]]:
    installed: list[QTranslator] = []
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)


@given(st.text(max_size=80))
def test_pseudo_localisation_at_least_doubles(text: str) -> None:
    result = pseudo_localise(text)
    assert len(result) >= 2 * len(text)


def test_pseudo_localisation_keeps_placeholders_and_markup() -> None:
    result = pseudo_localise("Go live: %1 — %n unread, {title} <b>now</b> &amp;")
    for kept in ("%1", "%n", "{title}", "<b>", "</b>", "&amp;"):
        assert kept in result
    assert "Gö" in result or "Ĝ" in result or "ö" in result
    assert re.sub(r"[^\w]", "", result) != re.sub(r"[^\w]", "", "Go live")


def test_pseudo_env_switch() -> None:
    assert pseudo_enabled({"PUPITRE_PSEUDO_L10N": "1"})
    assert not pseudo_enabled({"PUPITRE_PSEUDO_L10N": "0"})
    assert not pseudo_enabled({})


def test_pseudo_mode_doubles_every_widget_string(qtbot: QtBot, qapp: QApplication,
                                                 translators: list[QTranslator]) -> None:
    translators.extend(install_translators(qapp, "", environ={"PUPITRE_PSEUDO_L10N": "1"}))
    assert isinstance(translators[0], PseudoTranslator)
    panel = LivePanel()
    qtbot.addWidget(panel)
    panel.update_from(snapshot(LiveState.IDLE))
    assert panel.big_button.text() == pseudo_localise("Go live")
    assert len(panel.end_button.text()) >= 2 * len("End webinar")
    assert QCoreApplication.translate("TrayIcon", "Quit") == pseudo_localise("Quit")


def test_french_catalogue_compiles_and_translates(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                                                  translators: list[QTranslator]) -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(ROOT, ".venv", "bin", "pyside6-lrelease"))
    if not Path(lrelease).exists():
        pytest.skip("pyside6-lrelease not available")
    result = subprocess.run([lrelease, str(TS_FILE), "-qm", str(tmp_path / "pupitre_fr.qm")],
                            capture_output=True, text=True, timeout=60, check=True)
    assert "0 unfinished" in result.stdout, result.stdout
    translators.extend(install_translators(qapp, "fr", directory=tmp_path, environ={}))
    panel = LivePanel()
    qtbot.addWidget(panel)
    panel.update_from(snapshot(LiveState.LIVE))
    assert panel.big_button.text() == "Arrêter le direct"
    assert panel.end_button.text() == "Terminer le webinaire"


def test_missing_catalogue_keeps_english(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                                         translators: list[QTranslator]) -> None:
    translators.extend(install_translators(qapp, "fr", directory=tmp_path / "nothing", environ={}))
    panel = LivePanel()
    qtbot.addWidget(panel)
    panel.update_from(snapshot(LiveState.IDLE))
    assert panel.big_button.text() == "Go live"
