from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
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
VENV_BIN = ROOT / ".venv" / "bin"
PLACEHOLDER = re.compile(r"%L?\d+|%n|\{[^{}]*\}")
NBSP = "\u00a0"


def _tool(name: str) -> str:
    found = shutil.which(name) or str(VENV_BIN / name)
    if not Path(found).exists():
        pytest.skip(f"{name} not available")
    return found


def _messages(ts: Path) -> Iterator[tuple[str, ET.Element]]:
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield name, message


def _translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    forms = translation.findall("numerusform")
    return [form.text or "" for form in forms] if forms else [translation.text or ""]


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
    assert re.search(r"\(\d+ finished and 0 unfinished\)", result.stdout), result.stdout
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


def test_french_catalogue_covers_every_string_in_the_gui(tmp_path: Path) -> None:
    """lupdate over the GUI's sources into a copy of the catalogue finds nothing new, nothing
    unfinished and nothing vanished: every tr() string of desktop/ui has a French translation."""
    copy = tmp_path / "pupitre_fr.ts"
    shutil.copy(TS_FILE, copy)
    sources = sorted(str(path) for path in (ROOT / "desktop" / "ui").glob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-ts", str(copy)],
                   capture_output=True, text=True, timeout=60, check=True)
    states: dict[str, list[str]] = {}
    for context, message in _messages(copy):
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type", "finished")
        states.setdefault(kind, []).append(f"{context}: {message.findtext('source')}")
    assert states.get("unfinished", []) == []
    assert states.get("vanished", []) == [] and states.get("obsolete", []) == []
    assert len(states["finished"]) > 300


def test_french_entries_keep_placeholders_and_plural_forms() -> None:
    for context, message in _messages(TS_FILE):
        source = message.findtext("source") or ""
        forms = _translations(message)
        if message.get("numerus") == "yes":
            assert len(forms) == 2, (context, source)  # French: one, many
        for text in forms:
            assert text.strip(), (context, source)
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)) or (
                message.get("numerus") == "yes"
                and set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source))), (context, source, text)


def test_french_typography_uses_no_break_spaces() -> None:
    """A no-break space before : ; ? ! » and after «, so a wrapped label never starts a line with
    a colon; and never an ASCII space there."""
    for context, message in _messages(TS_FILE):
        for text in _translations(message):
            assert not re.search(r"[ \u202f][:;?!»]|«[ \u202f]", text), (context, text)
            assert not re.search(r"\w[;?!»]", text), (context, text)
            for match in re.finditer(r"(\S):(?!//)", text):
                # a colon right after a word is only fine in a path, a time or a URL scheme
                assert match.group(1) in "0123456789" or "://" in text, (context, text)
    french = {message.findtext("source"): _translations(message)[0]
              for context, message in _messages(TS_FILE) if context == "TrayIcon"}
    assert french["Quit Pupitre?"] == f"Quitter Pupitre{NBSP}?"
