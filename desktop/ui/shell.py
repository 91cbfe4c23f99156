"""Wires the main window, the tray icon and the notifier together; renders app-wide state.

Separate from :class:`desktop.ui.app.PupitreApplication` so tests can build the whole shell
inside pytest-qt's own QApplication, with the tray's availability injected.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.ui.main_window import MainWindow
from desktop.ui.notifications import NotificationKind, Notifier
from desktop.ui.tray import NextWebinar, TrayIcon, ask_quit_while_live
from desktop.webinar.state import LiveSnapshot

logger = logging.getLogger(__name__)


class DesktopShell(QObject):
    """Main window + tray + notifier.

    Attributes:
        window, tray, notifier: the parts.

    Signals:
        quit_requested: the user asked to quit (tray "Quit", or closing the window without tray).
    """

    quit_requested = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        lab: bool = False,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        confirm_quit: Callable[[Sequence[str]], bool] = ask_quit_while_live,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._told_about_tray = False
        self.window = MainWindow(lab=lab)
        self.tray = TrayIcon(self, is_available=tray_available, confirm_quit=confirm_quit)
        self.notifier = Notifier(self.tray if self.tray.available else None, self.window.banner, parent=self)
        self.window.keep_running_in_tray = self.tray.available
        self.tray.open_console_requested.connect(self.window.bring_forward)
        self.tray.quit_requested.connect(self.quit_requested)
        self.window.quit_requested.connect(self.quit_requested)
        self.window.hidden_to_tray.connect(self._hidden_to_tray)

    def start(self) -> None:
        """Show the window (always at start: the console is the way in, the tray an extra)."""
        self.window.show()

    def render(self, snapshots: Sequence[LiveSnapshot], next_webinar: NextWebinar | None) -> None:
        self.tray.update_from(snapshots, next_webinar, self._clock())

    def set_unread(self, count: int) -> None:
        self.tray.set_unread(count)

    def notify(self, kind: str, title: str, text: str) -> None:
        self.notifier.notify(kind, title, text)

    def close(self) -> None:
        self.tray.hide()
        self.window.keep_running_in_tray = False
        self.window.save_geometry()
        self.window.hide()

    def _hidden_to_tray(self) -> None:
        if not self._told_about_tray:
            self._told_about_tray = True
            self.notifier.notify(NotificationKind.INFO, self.tr("Pupitre is still running"),
                                 self.tr("Open the console again from the tray icon."))
