"""The console in French against the lab: the GUI's own words (Qt's catalogue) and the core's
sentences it shows as they are (failure causes, validation messages, health rows; gettext)
speak the same language.

Both catalogues are compiled from the sources in git into temporary folders, then installed with
the language "fr" exactly as the app does at start (``install_translators``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QDateTime, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.i18n import current_language
from desktop.ui.i18n import install_translators
from desktop.ui.live_panel import LivePanel
from desktop.ui.main_window import Page
from desktop.ui.webinar_editor import WebinarEditor
from desktop.webinar.state import ChatPanel, ChatPanelBasis, LiveState
from tests.support.catalogues import ROOT, compile_core_catalogues
from tests.ui.builders import snapshot
from tests.ui.console_support import Gui, gui  # noqa: F401
from tests.ui.qasync_support import signal, until

NBSP = "\u00a0"


@pytest.fixture
def french_ui(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """Qt's and the core's French catalogues installed, before the ``gui`` fixture builds the
    windows (list it first)."""
    lrelease = shutil.which("pyside6-lrelease") or str(ROOT / ".venv" / "bin" / "pyside6-lrelease")
    if not Path(lrelease).exists():
        pytest.skip("pyside6-lrelease not available")
    qm_dir = tmp_path / "qm"
    qm_dir.mkdir()
    subprocess.run([lrelease, "-silent", str(ROOT / "resources" / "translations" / "pupitre_fr.ts"),
                    "-qm", str(qm_dir / "pupitre_fr.qm")], check=True, timeout=60)
    core_dir = compile_core_catalogues(tmp_path / "locale")
    translators: list[QTranslator] = install_translators(qapp, "fr", directory=qm_dir, environ={},
                                                         core_locale_dir=core_dir)
    assert current_language() == "fr"
    try:
        yield
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


@pytest.mark.lab
def test_a_refused_token_is_explained_in_french(french_ui: None, gui: Gui,  # noqa: F811
                                                 qloop: qasync.QEventLoop) -> None:
    shell, controller = gui.shell, gui.controller
    window, console = shell.window, shell.window.console_page
    panel = console.panel

    async def body() -> None:
        await signal(controller.welcome_needed, lambda: controller.start(gui.user))
        window.welcome_page.try_lab_button.click()
        await until(lambda: window.current_page() is Page.CONSOLE, 30, "the console")
        assert controller.workspace is not None and controller.workspace.lab is not None
        lab = controller.workspace.lab
        # before anything runs, the health rows are the core's defaults, in French
        assert console.health.rows["chat"].reason.text() == "Non connecté."
        assert console.health.rows["gateway"].reason.text() == "Aucune passerelle."

        # the editor puts the core's validation sentence next to the field, in French
        editor_args = await signal(console.editor_opened, console.webinars.new_button.click)
        editor = editor_args[0]
        assert isinstance(editor, WebinarEditor)
        editor.title_edit.setText("Conférence inaugurale")
        editor.start_edit.setDateTime(QDateTime.currentDateTime().addSecs(600))
        editor.duration_spin.setValue(0)
        editor.save_button.click()
        assert editor.error_text("duration") == "Un webinaire doit durer au moins une minute."
        editor.duration_spin.setValue(30)
        editor.save_button.click()
        await until(lambda: not editor.isVisible(), 5, "the editor to close")
        assert panel.big_button.text() == "Passer en direct"  # Qt's catalogue

        # every lab gateway refuses the token: the go-live fails at the check, explained in French
        for gateway in lab.gateways:
            await lab.set_fault(gateway.name, "wrong_token")
        panel.big_button.click()
        await until(lambda: panel.snapshot is not None and panel.snapshot.state is LiveState.FAILED,
                    60, "the failure")
        assert not panel.failure_box.isHidden()
        sentence = panel.failure_text.text()
        assert sentence.startswith(f"Aucune passerelle n’est utilisable{NBSP}: "), sentence
        assert f"La passerelle «{NBSP}lab-gw1{NBSP}» a refusé le jeton." in sentence
        assert panel.failure_hint.text() == "Vérifiez les adresses et les jetons des passerelles dans les paramètres."
        assert lab.publishing() == []

    gui.run(body(), timeout=120)


def test_the_chat_button_says_requested_in_french(french_ui: None, qtbot: QtBot) -> None:
    panel = LivePanel()
    qtbot.addWidget(panel)
    panel.update_from(snapshot(LiveState.LIVE, chat_panel=ChatPanel(False, ChatPanelBasis.REQUESTED)))
    assert panel.chat_button.text() == f"Discussion dans le flux{NBSP}: masquage demandé"
    assert panel.chat_button.toolTip() == (
        f"Pupitre a demandé à la passerelle de masquer le panneau de discussion de BBB{NBSP}; elle ne peut pas "
        f"le confirmer{NBSP}: vérifiez l’aperçu. Un clic lui demande de l’afficher à nouveau.")
    panel.update_from(snapshot(LiveState.LIVE, chat_panel=ChatPanel.after_start()))
    assert panel.chat_button.text() == f"Discussion dans le flux{NBSP}: affichée par défaut"
    panel.update_from(snapshot(LiveState.LIVE, chat_panel=ChatPanel(True, ChatPanelBasis.REQUESTED)))
    assert panel.chat_button.text() == f"Discussion dans le flux{NBSP}: affichage demandé"
