"""The main window: a shell around a stack of pages (welcome, console), with a banner line.

The pages are placeholders until the console's views are written; the window already knows how
to come forward (single-instance raise, tray click), to remember its geometry, and to keep
running in the tray when one exists (closing it then hides it instead of quitting).
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from desktop.ui.geometry import PreserveGeometry
from desktop.ui.notifications import NotificationBanner
from desktop.ui.resources import app_icon


class Page(enum.IntEnum):
    WELCOME = 0
    CONSOLE = 1


class MainWindow(PreserveGeometry, QMainWindow):
    """Pupitre's main window.

    Attributes:
        pages: the central stack (see :class:`Page`); welcome_page / console_page its pages.
        banner: the in-window notification line.
        keep_running_in_tray: closing hides the window (set when a tray icon exists).

    Signals:
        quit_requested: the window was closed and no tray keeps the app reachable.
        hidden_to_tray: the window was closed into the tray.
    """

    geometry_key = "main_window"
    quit_requested = Signal()
    hidden_to_tray = Signal()

    def __init__(self, parent: QWidget | None = None, *, lab: bool = False) -> None:
        super().__init__(parent)
        self.keep_running_in_tray = False
        title = self.tr("Pupitre")
        if lab:
            title = self.tr("Pupitre — lab")
        self.setWindowTitle(title)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(640, 420)

        central = QWidget(self)
        self.banner = NotificationBanner(central)
        self.pages = QStackedWidget(central)
        self.welcome_page = self._placeholder(self.tr(
            "Welcome to Pupitre.\nAdd a BigBlueButton server and a streaming gateway to prepare "
            "your first webinar."))
        self.console_page = self._placeholder(self.tr("No webinar is running."))
        self.pages.insertWidget(Page.WELCOME, self.welcome_page)
        self.pages.insertWidget(Page.CONSOLE, self.console_page)
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        if not self.restore_geometry():
            self.resize(960, 640)

    def _placeholder(self, text: str) -> QWidget:
        page = QWidget(self)
        label = QLabel(text, page)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(page)
        layout.addWidget(label)
        return page

    def show_page(self, page: Page) -> None:
        self.pages.setCurrentIndex(int(page))

    def current_page(self) -> Page:
        return Page(self.pages.currentIndex())

    def bring_forward(self) -> None:
        """Show, un-minimise, raise and focus (asked by a second launch or the tray)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        if self.keep_running_in_tray:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        event.accept()
        self.quit_requested.emit()
