""""Connect to my servers": the welcome page's way in, the servers part of the settings alone.

It shows the same :class:`~desktop.ui.servers_editor.ServersEditor` as the settings dialog (BBB
servers and gateways, their secrets, the Check button and its answers), starting with one empty
server and one empty gateway when there are none.  Save writes the addresses to the settings file
and the secrets to the keyring (each secret field says which keyring, or that there is none and
the secrets only last for this session).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.config.settings import Settings
from desktop.errors import PupitreError
from desktop.secrets import SecretStore
from desktop.ui import theme
from desktop.ui.check_view import Preflight
from desktop.ui.servers_editor import ServersEditor

logger = logging.getLogger(__name__)


class ServersDialog(QDialog):
    """Edit the BBB servers and the gateways, check them, save them.

    Attributes:
        editor: the servers and gateways, with the Check button.
        save_button: Save; error: why saving failed.

    Signals:
        checked(list): the CheckResult list of a finished check.
        saved: the settings were written (the console can open on them).
    """

    checked = Signal(list)
    saved = Signal()

    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None, *,
                 check: Preflight | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to my servers"))
        self.settings = settings
        self.editor = ServersEditor(settings, secrets, check=check, parent=self)
        self.editor.check_finished.connect(self.checked)
        for page in (self.editor.profiles, self.editor.gateways):
            if not page.entries:
                page.add_entry()
        self.editor.tabs.setCurrentWidget(self.editor.profiles)

        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        theme.style_with(self.error, lambda: theme.text_style(theme.Level.ERROR))
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   parent=self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(max(720, self.sizeHint().width()), max(560, self.sizeHint().height()))

    def start_check(self) -> bool:
        return self.editor.start_check()

    def result_lines(self) -> list[str]:
        return self.editor.check.lines()

    def save(self) -> bool:
        """Validate and write (settings file, then keyring); False (with the reason shown) if not."""
        self.error.hide()
        if not self.editor.validate():
            return False
        try:
            self.editor.write(self.settings)
        except (PupitreError, OSError) as error:
            sentence = error.sentence if isinstance(error, PupitreError) else str(error)
            self.error.setText(self.tr("The settings could not be saved: %1").replace("%1", sentence))
            self.error.show()
            return False
        self.saved.emit()
        self.accept()
        return True

    def reject(self) -> None:
        self.editor.check.cancel()
        super().reject()
