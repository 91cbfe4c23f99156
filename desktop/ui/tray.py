"""The tray icon: its look follows one :class:`TrayState`; its menu is rebuilt from state.

:func:`~desktop.ui.live_style.tray_state` is pure, so the rules are tested as a table; the menu
offers what each snapshot allows (:attr:`LiveSnapshot.allowed`).  The menu is rebuilt
each time it opens (Vorta's idea), so it can never show a stale "Stop live".  Actions only emit
intent signals; the controller decides.  When the platform has no tray (offscreen, bare Xvfb,
some Wayland desktops) :attr:`TrayIcon.available` is False, nothing is shown, and the main
window stays the way in: nothing is lost.

While a webinar is on air the icon is the theme's live mark (a disc in a ring, in the scheme's
on-air colour: a shape unlike the other states', redrawn when the system switches between light
and dark) and the tooltip counts the time on air.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon

from desktop.ui import theme
from desktop.ui.live_panel import format_elapsed
from desktop.ui.live_style import SOON_WINDOW, TRAY_LEVELS, TrayState, state_label, tray_state
from desktop.ui.resources import load_icon
from desktop.webinar.state import Intent, LiveSnapshot

__all__ = ["SOON_WINDOW", "NextWebinar", "TrayIcon", "TrayState", "tray_icon", "tray_state"]

logger = logging.getLogger(__name__)

def tray_icon(state: TrayState, scheme: theme.Scheme | None = None) -> QIcon:
    """The tray's icon for ``state`` in ``scheme`` (default: the app's current scheme)."""
    return _tray_icon(state, scheme or theme.current_scheme())


@cache
def _tray_icon(state: TrayState, scheme: theme.Scheme) -> QIcon:
    if state is TrayState.LIVE:
        return theme.state_icon(TRAY_LEVELS[state], scheme)
    return load_icon(f"tray-{state.value}", TRAY_LEVELS[state])


def _state_label(state: TrayState) -> str:
    labels = {
        TrayState.IDLE: QCoreApplication.translate("TrayIcon", "No webinar live"),
        TrayState.SOON: QCoreApplication.translate("TrayIcon", "A webinar starts soon"),
        TrayState.LIVE: QCoreApplication.translate("TrayIcon", "Live"),
        TrayState.PROBLEM: QCoreApplication.translate("TrayIcon", "A live needs attention"),
    }
    return labels[state]


@dataclass(frozen=True)
class NextWebinar:
    """The next scheduled webinar, as the tray shows it."""

    title: str
    start: float


def ask_quit_while_live(titles: Sequence[str]) -> bool:
    """The default quit confirmation: a modal question (tests inject their own answer)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("TrayIcon", "Quit Pupitre?"),
        QCoreApplication.translate(
            "TrayIcon", "A webinar is live: %1. Quitting closes the console; the stream keeps "
            "running until you stop it.").replace("%1", ", ".join(titles)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


class TrayIcon(QObject):
    """The system tray icon and its menu.

    Attributes:
        available: the platform has a system tray (injectable for tests).
        state: the current :class:`TrayState`.
        tray: the QSystemTrayIcon (exists even when not available, never shown then).
        menu: the context menu, rebuilt on ``aboutToShow``.

    Signals:
        open_console_requested: show the main window.
        go_live_requested: go live on the next scheduled webinar.
        stop_live_requested(str): stop the stream of the webinar with this snapshot key.
        end_requested(str): end that webinar (the meeting).
        open_chat_requested(str): open that webinar's chat.
        about_requested: show the About dialog.
        quit_requested: quit (already confirmed when a webinar was live).
    """

    open_console_requested = Signal()
    go_live_requested = Signal()
    stop_live_requested = Signal(str)
    end_requested = Signal(str)
    open_chat_requested = Signal(str)
    about_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        is_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        confirm_quit: Callable[[Sequence[str]], bool] = ask_quit_while_live,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.available = bool(is_available())
        self._confirm_quit = confirm_quit
        self.state = TrayState.IDLE
        self._snapshots: list[LiveSnapshot] = []
        self._next: NextWebinar | None = None
        self._unread = 0
        self.menu = QMenu()
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.tray = QSystemTrayIcon(tray_icon(self.state), self)
        self.tray.setContextMenu(self.menu)
        self.tray.activated.connect(self._activated)
        self._elapsed_timer = QTimer(self)
        self._elapsed_timer.setObjectName("trayElapsedTimer")
        self._elapsed_timer.setInterval(1000)
        self._elapsed_timer.timeout.connect(self._render)
        theme.watcher().scheme_changed.connect(self._render)
        self._render()
        if self.available:
            self.tray.show()
        else:
            logger.info("no system tray here: the main window stays the way in")

    # -- state in -------------------------------------------------------------------------

    def update_from(
        self, snapshots: Sequence[LiveSnapshot], next_webinar: NextWebinar | None, now: float
    ) -> None:
        """Render the icon and tooltip from every webinar's snapshot and the next start."""
        self._snapshots = list(snapshots)
        self._next = next_webinar
        self.state = tray_state(self._snapshots, None if next_webinar is None else next_webinar.start, now)
        self._render()

    def set_unread(self, count: int) -> None:
        self._unread = max(0, count)
        self._render()

    def show_message(self, title: str, text: str, icon: QSystemTrayIcon.MessageIcon) -> bool:
        """Show a desktop notification through the tray; False when there is no tray."""
        if not (self.available and self.tray.supportsMessages()):
            return False
        self.tray.showMessage(title, text, icon)
        return True

    def hide(self) -> None:
        self.tray.hide()

    # -- rendering ------------------------------------------------------------------------

    def tooltip(self) -> str:
        lines = ["Pupitre — " + _state_label(self.state)]
        now = self._clock()
        for snapshot in self._active():
            if snapshot.on_air and snapshot.live_since is not None:
                elapsed = format_elapsed(now - snapshot.live_since)
                lines.append(self.tr("%1: ON AIR for %2").replace("%1", snapshot.title).replace("%2", elapsed))
            else:
                lines.append(f"{snapshot.title}: {state_label(snapshot.state)}")
        if self._next is not None and not self._active():
            lines.append(self.tr("Next: %1").replace("%1", self._next.title))
        if self._unread:
            lines.append(self.tr("%n unread message(s)", "", self._unread))
        return "\n".join(lines)

    def _render(self, *_args: object) -> None:
        self.tray.setIcon(tray_icon(self.state))
        self.tray.setToolTip(self.tooltip())
        counting = any(s.on_air and s.live_since is not None for s in self._snapshots)
        if counting and not self._elapsed_timer.isActive():
            self._elapsed_timer.start()
        elif not counting:
            self._elapsed_timer.stop()

    def _active(self) -> list[LiveSnapshot]:
        """The webinars with something to do: a meeting, a step in progress, a stream to stop."""
        return [s for s in self._snapshots
                if s.state.has_meeting or s.state.is_working or Intent.END_WEBINAR in s.allowed]

    def rebuild_menu(self) -> None:
        """Refill the menu from the current state (called when it is about to show)."""
        menu = self.menu
        menu.clear()
        self._add(menu, self.tr("Open console"), "open_console", self.open_console_requested.emit)
        active = self._active()
        if not active:
            label = self.tr("Go live on next webinar")
            if self._next is not None:
                label = self.tr("Go live: %1").replace("%1", self._next.title)
            action = self._add(menu, label, "go_live", self.go_live_requested.emit)
            action.setEnabled(self._next is not None)
        for snapshot in active:
            menu.addSection(snapshot.title)
            key = snapshot.key
            if snapshot.on_air:
                action = self._add(menu, self.tr("Stop live"), "stop_live",
                                   partial(self.stop_live_requested.emit, key))
                action.setEnabled(Intent.STOP_LIVE in snapshot.allowed)
            if Intent.END_WEBINAR in snapshot.allowed:
                self._add(menu, self.tr("End webinar"), "end", partial(self.end_requested.emit, key))
            chat = self.tr("Open chat")
            if self._unread:
                chat = self.tr("Open chat (%1 unread)").replace("%1", str(self._unread))
            self._add(menu, chat, "open_chat", partial(self.open_chat_requested.emit, key))
        menu.addSeparator()
        self._add(menu, self.tr("About Pupitre"), "about", self.about_requested.emit)
        self._add(menu, self.tr("Quit"), "quit", self._quit)

    def _add(self, menu: QMenu, text: str, name: str, slot: Callable[[], object]) -> QAction:
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def on_air_titles(self) -> list[str]:
        """The titles of the webinars the audience is watching now (restarts included)."""
        return [s.title for s in self._snapshots if s.on_air]

    def confirm_quit(self) -> bool:
        """Whether quitting may go ahead: asks the presenter only while a webinar is on air.

        Used by the menu's Quit and, when there is no tray, by closing the main window.
        """
        on_air = self.on_air_titles()
        return not on_air or self._confirm_quit(on_air)

    def _quit(self) -> None:
        if self.confirm_quit():
            self.quit_requested.emit()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_console_requested.emit()
