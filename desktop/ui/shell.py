"""Wires the main window, the tray icon and the notifier together; renders app-wide state.

Separate from :class:`desktop.ui.app.PupitreApplication` so tests can build the whole shell
inside pytest-qt's own QApplication, with the tray's availability injected.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.ui.controller import WebinarController
from desktop.ui.crash import CrashReport
from desktop.ui.main_window import MainWindow, Page
from desktop.ui.notifications import NotificationKind, Notifier
from desktop.ui.preview import load_vlc
from desktop.ui.tray import NextWebinar, TrayIcon, ask_quit_while_live
from desktop.ui.workspace import Workspace
from desktop.webinar.state import LiveSnapshot

if TYPE_CHECKING:  # loaded when first opened, not on the start path (issue 13)
    from desktop.ui.about_dialog import AboutDialog
    from desktop.ui.chat_window import ChatWindow
    from desktop.ui.recovery_dialog import RecoveryDialog
    from desktop.ui.servers_dialog import ServersDialog
    from desktop.webinar.recovery import Reconciliation

logger = logging.getLogger(__name__)


class DesktopShell(QObject):
    """Main window + tray + notifier.

    Attributes:
        window, tray, notifier: the parts.
        controller: the core bridge once :meth:`attach` ran.
        servers_dialog / recovery_dialog: those dialogs while open.
        chat_windows: session key -> its chat window (created on first open, kept).

    Signals:
        quit_requested: the user asked to quit (tray "Quit", or closing the window without tray).
        open_chat_requested(str): open the chat window of that session key (the chat window
            connects here).
    """

    quit_requested = Signal()
    open_chat_requested = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        lab: bool = False,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        confirm_quit: Callable[[Sequence[str]], bool] = ask_quit_while_live,
        clock: Callable[[], float] = time.time,
        vlc_loader: Callable[[], ModuleType] = load_vlc,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._told_about_tray = False
        self.controller: WebinarController | None = None
        self.user_workspace: Workspace | None = None
        self.previous_crash: CrashReport | None = None
        self.servers_dialog: ServersDialog | None = None
        self.recovery_dialog: RecoveryDialog | None = None
        self.chat_windows: dict[str, ChatWindow] = {}
        self.window = MainWindow(lab=lab, vlc_loader=vlc_loader)
        self.tray = TrayIcon(self, is_available=tray_available, confirm_quit=confirm_quit, clock=clock)
        self.notifier = Notifier(self.tray if self.tray.available else None, self.window.banner, parent=self)
        self.window.keep_running_in_tray = self.tray.available
        self.window.confirm_quit = self.tray.confirm_quit  # the same question as the tray's Quit
        self.tray.open_console_requested.connect(self.window.bring_forward)
        self.tray.about_requested.connect(self.show_about)
        self.tray.quit_requested.connect(self.quit_requested)
        self.window.quit_requested.connect(self.quit_requested)
        self.window.hidden_to_tray.connect(self._hidden_to_tray)

    def attach(self, controller: WebinarController, user: Workspace | None = None,
               previous_crash: CrashReport | None = None) -> None:
        """Wire the controller to the pages, the tray and the notifier.

        ``user`` is the user's own set-up ("Connect to my servers" edits and opens it);
        ``previous_crash`` is mentioned in the recovery offer.
        """
        self.controller = controller
        self.user_workspace = user
        self.previous_crash = previous_crash
        window = self.window
        window.console_page.bind(controller)
        controller.question_announcer.source = lambda: self.window
        welcome = window.welcome_page
        welcome.try_lab_requested.connect(self.try_lab)
        welcome.connect_requested.connect(self.open_servers_dialog)
        controller.busy_changed.connect(
            lambda busy: welcome.set_busy(busy, self.tr("Starting the lab…") if busy else ""))
        controller.welcome_needed.connect(lambda: window.show_page(Page.WELCOME))
        controller.workspace_opened.connect(self._workspace_opened)
        controller.snapshots_changed.connect(self._snapshots_changed)
        controller.next_webinar_changed.connect(self._next_changed)
        controller.unread_changed.connect(self.set_unread)
        controller.notification_requested.connect(self.notify)
        controller.open_chat_requested.connect(self.open_chat_requested)
        controller.open_chat_requested.connect(self.open_chat)
        controller.recovery_offered.connect(self.offer_recovery)
        tray = self.tray
        tray.go_live_requested.connect(controller.go_live_next)
        tray.stop_live_requested.connect(window.console_page.ask_then_stop)  # asks first, like the button
        tray.end_requested.connect(controller.end_webinar)
        tray.open_chat_requested.connect(controller.request_chat)

    def show_about(self) -> AboutDialog:
        """The About dialog over the console (brought forward first: it may be in the tray)."""
        self.window.bring_forward()
        return self.window.console_page.open_about()

    def chat_window_for(self, key: str) -> ChatWindow | None:
        """The chat window of ``key`` (created the first time), None while it has no chat yet."""
        window = self.chat_windows.get(key)
        if window is not None:
            return window
        controller = self.controller
        log = controller.chats.log_for(key) if controller is not None else None
        if controller is None or log is None:
            return None
        from desktop.ui.chat_window import ChatWindow

        snapshot = controller.snapshot_for(key)
        window = ChatWindow(log, controller.chats.pipeline_for(key), title=snapshot.title if snapshot else "")
        window.unread_changed.connect(controller.set_unread)
        self.chat_windows[key] = window
        return window

    def open_chat(self, key: str) -> ChatWindow | None:
        window = self.chat_window_for(key)
        if window is None:
            self.notify(NotificationKind.INFO, self.tr("No chat yet"),
                        self.tr("The audience chat opens once the presenter has joined the meeting."))
            return None
        window.show_beside(self.window)
        return window

    def try_lab(self) -> None:
        if self.controller is not None:
            self.controller.spawn(self.controller.start_lab(), self.tr("Starting the lab"))

    def open_servers_dialog(self) -> ServersDialog | None:
        user = self.user_workspace
        if user is None:
            return None
        from desktop.ui.servers_dialog import ServersDialog

        dialog = ServersDialog(user.settings, user.secrets, self.window)
        dialog.saved.connect(self._servers_saved)
        dialog.finished.connect(dialog.deleteLater)
        self.servers_dialog = dialog
        dialog.open()
        return dialog

    def _servers_saved(self) -> None:
        controller, user = self.controller, self.user_workspace
        if controller is None or user is None:
            return

        async def open_user() -> None:
            await controller.open_workspace(user)
            await controller.check_recovery()

        controller.spawn(open_user(), self.tr("Opening the console"))

    def offer_recovery(self, recs: list[Reconciliation]) -> RecoveryDialog:
        from desktop.ui.recovery_dialog import RecoveryDialog
        from desktop.webinar.recovery import Recommendation

        dialog = RecoveryDialog(recs, self.previous_crash, self.window)
        controller = self.controller
        if controller is not None:
            dialog.choice_made.connect(
                lambda rec, choice: controller.apply_recovery(rec, Recommendation(choice)))
            controller.recovery_applied.connect(dialog.show_result)
        dialog.finished.connect(dialog.deleteLater)
        self.recovery_dialog = dialog
        dialog.open()
        return dialog

    def _workspace_opened(self, lab: bool) -> None:
        self.window.show_page(Page.CONSOLE)
        title = self.tr("Pupitre — lab") if lab else self.tr("Pupitre")
        self.window.setWindowTitle(title)

    def _snapshots_changed(self, snapshots: list[LiveSnapshot]) -> None:
        self.render(snapshots, self.controller.next_webinar if self.controller else None)

    def _next_changed(self, next_webinar: object) -> None:
        snapshots = self.controller.snapshots() if self.controller else []
        self.render(snapshots, next_webinar if isinstance(next_webinar, NextWebinar) else None)

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
        for window in self.chat_windows.values():
            window.dispose()
            window.close()
        self.chat_windows.clear()
        self.window.console_page.preview.release()
        self.tray.hide()
        self.window.keep_running_in_tray = False
        self.window.save_geometry()
        self.window.hide()

    def _hidden_to_tray(self) -> None:
        if not self._told_about_tray:
            self._told_about_tray = True
            self.notifier.notify(NotificationKind.INFO, self.tr("Pupitre is still running"),
                                 self.tr("Open the console again from the tray icon."))
