"""The About dialog is reachable from the console and the tray menu; "Start Pupitre at login" is in
the settings dialog's General tab and writes (and removes) the desktop's login item."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFormLayout
from pytestqt.qtbot import QtBot

from desktop.cli.version import VersionInfo
from desktop.config.settings import Settings
from desktop.secrets import secret_store
from desktop.ui.about_dialog import AboutDialog, AutostartCheckBox
from desktop.ui.autostart import Autostart
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.shell import DesktopShell
from desktop.webinar.state import LiveState
from tests.ui.builders import NOW, snapshot
from tests.ui.fakes import FakeVlc

INFO = VersionInfo(app="9.8.7", python="3.11.7 (Linux)", qt="6.11.3 (PySide6 6.11.3)", libvlc="3.0.21",
                   keyring="session memory", keyring_persistent=True, homepage="https://example.org/pupitre")


@pytest.fixture(autouse=True)
def fixed_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("desktop.ui.about_dialog.version_info", lambda: INFO)


def make_shell(qtbot: QtBot, *, tray: bool) -> DesktopShell:
    shell = DesktopShell(tray_available=lambda: tray, confirm_quit=lambda titles: True, clock=lambda: NOW,
                         vlc_loader=FakeVlc)
    qtbot.addWidget(shell.window)
    return shell


def test_the_console_about_button_opens_the_dialog(qtbot: QtBot) -> None:
    shell = make_shell(qtbot, tray=False)
    shell.start()
    console = shell.window.console_page
    assert console.about_button.isVisibleTo(console)
    with qtbot.waitSignal(console.about_dialog_opened, timeout=1000) as opened:
        console.about_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    assert dialog.parent() is console
    assert dialog.version_text().splitlines()[0] == "Pupitre 9.8.7"
    dialog.close()


@pytest.mark.parametrize("state", [LiveState.IDLE, LiveState.LIVE])
def test_the_tray_menu_offers_about_and_brings_the_console_forward(qtbot: QtBot, state: LiveState) -> None:
    shell = make_shell(qtbot, tray=True)
    shell.render([snapshot(state)], None)
    shell.tray.rebuild_menu()
    names = [action.objectName() for action in shell.tray.menu.actions() if action.objectName()]
    assert names[-2:] == ["about", "quit"]  # in every state, just above Quit
    about = next(action for action in shell.tray.menu.actions() if action.objectName() == "about")
    assert about.text() == "About Pupitre"
    assert not shell.window.isVisible()  # e.g. closed into the tray
    with qtbot.waitSignal(shell.window.console_page.about_dialog_opened, timeout=1000) as opened:
        about.trigger()
    assert shell.window.isVisible()
    assert isinstance(opened.args[0], AboutDialog) and opened.args[0].isVisible()
    opened.args[0].close()
    shell.close()


@pytest.fixture
def autostart(tmp_path: Path) -> Autostart:
    return Autostart(platform="linux", environ={"XDG_CONFIG_HOME": str(tmp_path / "config")}, command=["pupitre"])


def settings_dialog(qtbot: QtBot, pupitre_home: Path, autostart: Autostart) -> SettingsDialog:
    dialog = SettingsDialog(Settings.load(pupitre_home / "settings.json"), store=secret_store(), autostart=autostart)
    qtbot.addWidget(dialog)
    return dialog


def test_start_at_login_is_the_first_row_of_general_and_applies_at_once(
        qtbot: QtBot, pupitre_home: Path, autostart: Autostart) -> None:
    dialog = settings_dialog(qtbot, pupitre_home, autostart)
    box = dialog.autostart_box
    assert isinstance(box, AutostartCheckBox) and box.autostart is autostart
    general = dialog.tabs.widget(next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "General"))
    assert box.parent() is general
    form = general.layout()
    assert isinstance(form, QFormLayout)
    assert form.itemAt(0, QFormLayout.ItemRole.SpanningRole).widget() is box
    assert box.isEnabled() and not box.isChecked()
    box.click()
    assert autostart.entry_path.is_file()
    assert "Exec=pupitre" in autostart.entry_path.read_text(encoding="utf-8")
    dialog.reject()  # not a preference: Cancel does not undo it
    assert autostart.entry_path.is_file()
    again = settings_dialog(qtbot, pupitre_home, autostart)
    assert again.autostart_box.isChecked()
    again.autostart_box.click()
    assert not autostart.entry_path.exists()


def test_a_login_item_that_cannot_be_written_is_explained_in_the_dialog(
        qtbot: QtBot, pupitre_home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    autostart = Autostart(platform="linux", environ={"XDG_CONFIG_HOME": str(blocker)}, command=["pupitre"])
    dialog = settings_dialog(qtbot, pupitre_home, autostart)
    dialog.show()
    dialog.autostart_box.click()
    assert not dialog.autostart_box.isChecked()
    assert dialog.error.isVisible() and "login item" in dialog.error.text()
