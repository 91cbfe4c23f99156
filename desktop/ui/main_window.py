"""The main window: a stack of pages (welcome, console) under a banner line.

The window knows how to come forward (single-instance raise, tray click), to remember its
geometry and splitters, and to keep running in the tray when one exists (closing it then hides
it instead of quitting).  What the pages show is wired by :meth:`DesktopShell.attach`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from types import ModuleType

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from desktop.ui import shortcuts
from desktop.ui.console import ConsolePage
from desktop.ui.geometry import PreserveGeometry, first_size
from desktop.ui.notifications import NotificationBanner
from desktop.ui.preview import load_vlc
from desktop.ui.resources import app_icon
from desktop.ui.welcome import WelcomePage


class Page(enum.IntEnum):
    WELCOME = 0
    CONSOLE = 1


class MainWindow(PreserveGeometry, QMainWindow):
    """Pupitre's main window.

    Attributes:
        pages: the central stack (see :class:`Page`); welcome_page / console_page its pages.
        banner: the in-window notification line.
        keep_running_in_tray: closing hides the window (set when a tray icon exists).
        confirm_quit: asked before closing the window quits the app (no tray); False keeps
            the window open.  The shell makes it ask while a webinar is on air.

    Signals:
        quit_requested: the window was closed and no tray keeps the app reachable.
        hidden_to_tray: the window was closed into the tray.
    """

    geometry_key = "main_window"
    quit_requested = Signal()
    hidden_to_tray = Signal()

    def __init__(self, parent: QWidget | None = None, *, lab: bool = False,
                 vlc_loader: Callable[[], ModuleType] = load_vlc) -> None:
        super().__init__(parent)
        self.keep_running_in_tray = False
        self.confirm_quit: Callable[[], bool] = lambda: True
        title = self.tr("Pupitre")
        if lab:
            title = self.tr("Pupitre — lab")
        self.setWindowTitle(title)
        self.setWindowIcon(app_icon())

        central = QWidget(self)
        self.banner = NotificationBanner(central)
        self.pages = QStackedWidget(central)
        self.welcome_page = WelcomePage(self.pages)
        self.console_page = ConsolePage(self.pages, vlc_loader=vlc_loader)
        self.preserve_splitter("console", self.console_page.splitter)
        self.pages.insertWidget(Page.WELCOME, self.welcome_page)
        self.pages.insertWidget(Page.CONSOLE, self.console_page)
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        # F1 everywhere; the console's own keys live on its page (inactive on the welcome page)
        self.help_action = shortcuts.install_help(self)
        self.quit_action = shortcuts.install(self, shortcuts.Scope.CONSOLE, {"quit": self.quit_asked})["quit"]
        if not self.restore_geometry():
            self.resize(first_size(QSize(1200, 760)))

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

    def quit_asked(self) -> None:
        """Ctrl+Q: quit (asking first while a webinar is on air), even when a tray keeps the app."""
        if self.confirm_quit():
            self.save_geometry()
            self.quit_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        if self.keep_running_in_tray:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        if not self.confirm_quit():  # no tray: closing would quit, maybe in the middle of a live
            event.ignore()
            return
        event.accept()
        self.quit_requested.emit()
