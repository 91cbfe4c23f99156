"""The keyboard shortcuts table: unique keys where they can collide, a description for each,
actions installed from it, and the help dialog that lists it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui import shortcuts
from desktop.ui.shortcuts import SHORTCUTS, Scope, ShortcutsDialog

TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "pupitre_fr.ts"


def test_ids_are_unique_and_every_shortcut_has_keys_and_a_description() -> None:
    assert len({entry.id for entry in SHORTCUTS}) == len(SHORTCUTS)
    for entry in SHORTCUTS:
        assert entry.description.strip(), entry.id
        assert not entry.sequence().isEmpty(), entry.id
        assert entry.sequence().count() == 1, f"{entry.id}: one chord, no multi-key sequences"


@pytest.mark.parametrize("window", list(shortcuts.WINDOWS))
def test_no_two_shortcuts_active_in_the_same_window_share_keys(window: str) -> None:
    scopes = shortcuts.WINDOWS[window]
    seen: dict[str, str] = {}
    for entry in SHORTCUTS:
        if entry.scope in scopes:
            keys = entry.sequence().toString(QKeySequence.SequenceFormat.PortableText)
            assert keys not in seen, f"{entry.id} and {seen[keys]} both use {keys} in the {window}"
            seen[keys] = entry.id


def test_every_scope_belongs_to_a_window() -> None:
    assert set().union(*shortcuts.WINDOWS.values()) == set(Scope)


def test_the_issue_s_actions_are_in_the_table() -> None:
    ids = {entry.id for entry in SHORTCUTS}
    assert {"go_live", "stop_live", "open_chat", "focus_answer", "answered", "star", "mute_preview"} <= ids


def test_descriptions_have_a_french_translation() -> None:
    catalogue = TS.read_text(encoding="utf-8")
    for entry in SHORTCUTS:
        source = entry.description.replace("&", "&amp;").replace("'", "&apos;")
        block = re.search(r"<source>" + re.escape(source) + r"</source>\s*<translation>([^<]+)</translation>",
                          catalogue)
        assert block, f"no French for {entry.description!r} (make translations-update)"


def test_installed_actions_fire_their_handler_from_the_keyboard(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    fired: list[str] = []
    actions = shortcuts.install(window, Scope.CONSOLE, {"go_live": lambda: fired.append("go"),
                                                        "mute_preview": lambda: fired.append("mute")})
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert fired == ["go"]
    actions["go_live"].setEnabled(False)  # e.g. already live: the shortcut does nothing
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert fired == ["go", "mute"]
    assert actions["mute_preview"].text() == "Mute or unmute the preview"


def test_a_handler_for_another_scope_is_refused(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    with pytest.raises(KeyError):
        shortcuts.install(window, Scope.CONSOLE, {"star": lambda: None})
    with pytest.raises(KeyError):
        shortcuts.install(window, Scope.ANSWER, {"send_answer": lambda: None})  # the box handles it


def test_f1_opens_the_dialog_listing_every_shortcut(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    shortcuts.install_help(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert len(rows) == len(SHORTCUTS)
    assert (shortcuts.shortcut("stop_live").native_keys(), "Stop the live (asks for confirmation first)") in rows
    dialog.close()


def test_the_about_dialog_opens_the_shortcuts(qtbot: QtBot) -> None:
    from desktop.cli.version import VersionInfo
    from desktop.ui.about_dialog import AboutDialog

    about = AboutDialog(info=VersionInfo(app="1", python="3", qt="6", libvlc=None, keyring="memory",
                                         keyring_persistent=True, homepage=None))
    qtbot.addWidget(about)
    about.show()
    about.shortcuts_button.click()
    dialog = about.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()
