"""The About dialog and the "Start at login" check box: the app's desktop-integration widgets.

The About dialog shows exactly what ``pupitre --version`` prints (one
:class:`~desktop.cli.version.VersionInfo` for both), so a presenter reporting a problem can copy
the same lines from either place, and links the project's home page (from the package
metadata, i.e. pyproject.toml).

Neither widget is placed anywhere here: the main window and the settings dialog own their menus
and pages and add them (``AboutDialog(parent).exec()``; ``AutostartCheckBox()`` in a form).
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.cli.version import VersionInfo, version_info
from desktop.errors import PupitreError
from desktop.ui.autostart import Autostart
from desktop.ui.resources import app_icon
from desktop.ui.shortcuts import install_help, show_shortcuts

logger = logging.getLogger(__name__)


class AboutDialog(QDialog):
    """Pupitre's version, Qt, libVLC and keyring backend, and a link to the home page.

    Attributes:
        info: the versions shown.
        details: the label with the version lines (selectable).
        link: the home-page label (hidden when the home page is unknown).
        copy_button: copies the version lines to the clipboard.
        shortcuts_button: opens the "Keyboard shortcuts" dialog (so does F1).
    """

    def __init__(self, parent: QWidget | None = None, *, info: VersionInfo | None = None) -> None:
        super().__init__(parent)
        self.info = info if info is not None else version_info()
        self.setWindowTitle(self.tr("About Pupitre"))
        self.setWindowIcon(app_icon())

        icon = QLabel(self)
        # at the screen's scale (1.5x, 2x): the SVG is rendered for it, not a 64 px bitmap upscaled
        icon.setPixmap(app_icon().pixmap(QSize(64, 64), self.devicePixelRatioF()))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<h2>{html.escape(APP_NAME)} {html.escape(self.info.app)}</h2>", self)
        summary = QLabel(self.tr("The presenter's console for large BigBlueButton webinars."), self)
        summary.setWordWrap(True)

        self.details = QLabel(self._details_html(), self)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.link = QLabel(self)
        self.link.setOpenExternalLinks(True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        if self.info.homepage:
            url = html.escape(self.info.homepage, quote=True)
            self.link.setText(f'<a href="{url}">{html.escape(self.info.homepage)}</a>')
        else:
            self.link.hide()

        text = QVBoxLayout()
        for widget in (title, summary, self.details, self.link):
            text.addWidget(widget)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("Copy versions"), self)
        self.copy_button.setToolTip(self.tr("Copy these lines, for a problem report"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_versions)
        self.shortcuts_button = QPushButton(self.tr("Keyboard shortcuts"), self)
        self.shortcuts_button.setToolTip(self.tr("Every keyboard shortcut (F1 in any window)"))
        buttons.addButton(self.shortcuts_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.shortcuts_button.clicked.connect(lambda: show_shortcuts(self))
        install_help(self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)

    def _details_html(self) -> str:
        info = self.info
        keyring = info.keyring if info.keyring_persistent else self.tr(
            "%1 (secrets kept for this session only)").replace("%1", info.keyring)
        rows = [
            (self.tr("Python"), info.python),
            (self.tr("Qt"), info.qt or self.tr("not installed")),
            (self.tr("libVLC"), info.libvlc or self.tr("not found: the preview is off")),
            (self.tr("Keyring"), keyring),
        ]
        cells = "".join(
            f"<tr><td><b>{html.escape(name)}</b>&nbsp;&nbsp;</td><td>{html.escape(value)}</td></tr>"
            for name, value in rows
        )
        return f"<table>{cells}</table>"

    def version_text(self) -> str:
        """The same lines as ``pupitre --version`` (English, for problem reports)."""
        return "\n".join(self.info.lines())

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.version_text())


class AutostartCheckBox(QCheckBox):
    """"Start Pupitre at login", bound to :class:`Autostart` (the file or registry value is the state).

    Where the app cannot set it (macOS, Flatpak) the box is disabled and its tooltip says what
    to do instead. A failure to write is shown in the tooltip and reported through
    :attr:`failed`; the box then shows the real state again.

    Signals:
        failed(str): the change could not be made; the one-sentence explanation.
    """

    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, autostart: Autostart | None = None) -> None:
        super().__init__(self.tr("Start Pupitre at login"), parent)
        self.autostart = autostart if autostart is not None else Autostart()
        self.refresh()
        self.toggled.connect(self._apply)

    def refresh(self) -> None:
        """Show the real state (it may have been changed outside the app)."""
        self.blockSignals(True)
        self.setChecked(self.autostart.is_enabled())
        self.blockSignals(False)
        reason = self.autostart.unsupported_reason
        self.setEnabled(reason is None)
        self.setToolTip(reason or self.tr("Pupitre opens when you log in."))

    def _apply(self, enabled: bool) -> None:
        try:
            self.autostart.set_enabled(enabled)
        except PupitreError as error:
            logger.warning("start at login: %s", error.explain())
            self.refresh()
            self.setToolTip(error.explain())
            self.failed.emit(error.explain())
