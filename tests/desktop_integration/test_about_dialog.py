"""The About dialog shows what --version prints; the login check box drives Autostart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop import __version__
from desktop.cli.version import VersionInfo, version_info, version_report
from desktop.ui.about_dialog import AboutDialog, AutostartCheckBox
from desktop.ui.autostart import Autostart

INFO = VersionInfo(
    app="9.8.7", python="3.11.7 (Linux)", qt="6.11.3 (PySide6 6.11.3)", libvlc=None,
    keyring="session memory", keyring_persistent=False, homepage="https://example.org/pupitre?a=1&b=<2>",
)


def test_dialog_shows_every_version_line_and_links_the_homepage(qtbot: QtBot) -> None:
    dialog = AboutDialog(info=INFO)
    qtbot.addWidget(dialog)
    text = dialog.details.text()
    for expected in ("3.11.7 (Linux)", "6.11.3 (PySide6 6.11.3)", "not found", "session memory", "this session only"):
        assert expected in text
    assert dialog.link.openExternalLinks()
    assert 'href="https://example.org/pupitre?a=1&amp;b=&lt;2&gt;"' in dialog.link.text()


def test_copy_puts_the_version_report_lines_on_the_clipboard(qtbot: QtBot) -> None:
    dialog = AboutDialog(info=INFO)
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines() == INFO.lines()
    assert copied.splitlines()[0] == "Pupitre 9.8.7"


def test_without_a_homepage_the_link_is_hidden(qtbot: QtBot) -> None:
    dialog = AboutDialog(info=VersionInfo(**{**INFO.__dict__, "homepage": None}))
    qtbot.addWidget(dialog)
    assert dialog.link.isHidden()


def test_real_info_matches_the_cli_and_pyproject() -> None:
    from tests.distribution.support import pyproject

    info = version_info()
    assert info.app == __version__
    assert info.homepage == pyproject()["project"]["urls"]["Homepage"]
    assert version_report().splitlines() == info.lines()


@pytest.fixture
def autostart(tmp_path: Path) -> Autostart:
    return Autostart(platform="linux", environ={"XDG_CONFIG_HOME": str(tmp_path)}, command=["pupitre"])


def test_check_box_writes_and_removes_the_login_item(qtbot: QtBot, autostart: Autostart) -> None:
    box = AutostartCheckBox(autostart=autostart)
    qtbot.addWidget(box)
    assert box.isEnabled() and not box.isChecked()
    box.setChecked(True)
    assert autostart.entry_path.is_file()
    box.setChecked(False)
    assert not autostart.entry_path.exists()


def test_check_box_shows_a_login_item_made_outside_the_app(qtbot: QtBot, autostart: Autostart) -> None:
    autostart.enable()
    box = AutostartCheckBox(autostart=autostart)
    qtbot.addWidget(box)
    assert box.isChecked()


def test_check_box_reports_a_failure_and_shows_the_real_state(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    autostart = Autostart(platform="linux", environ={"XDG_CONFIG_HOME": str(blocker)}, command=["pupitre"])
    box = AutostartCheckBox(autostart=autostart)
    qtbot.addWidget(box)
    with qtbot.waitSignal(box.failed, timeout=1000) as signal:
        box.setChecked(True)
    assert "login item" in signal.args[0]
    assert not box.isChecked()


def test_check_box_is_disabled_where_unsupported(qtbot: QtBot) -> None:
    box = AutostartCheckBox(autostart=Autostart(platform="darwin", environ={}, command=["pupitre"]))
    qtbot.addWidget(box)
    assert not box.isEnabled()
    assert "Login Items" in box.toolTip()
