"""The GUI's entry point: one QApplication, one asyncio loop shared with Qt, one instance.

Why qasync and not PySide6.QtAsyncio:

* QtAsyncio is still a "technical preview" in Qt's documentation, and it is not even part of
  the ``PySide6-Essentials`` wheel we pin (``import PySide6.QtAsyncio`` fails in our venv); it
  would pull the full PySide6 meta-package (+400 MB).
* qasync is a mature selector-based loop (the quamash/asyncqt lineage) that implements the
  whole asyncio API the core relies on: sockets and TLS for httpx, aiohttp (the lab's servers)
  and websockets.  Checked here with PySide6 6.11.3 offscreen: an aiohttp server, an
  httpx.AsyncClient request and a websockets echo all ran in one qasync loop.
* It keeps ``QApplication.exec`` semantics: ``QEventLoop.run_forever()`` *is* ``app.exec()``,
  with the asyncio loop marked running.  Pitfall found while checking: calling ``app.exec()``
  directly instead does run coroutines, but the loop is then not "running" for
  ``asyncio.get_running_loop()``, and httpx (through anyio) fails with NoEventLoopError.  So
  :func:`run` always enters through ``loop.run_forever()``.

Nothing here blocks the GUI thread: network work runs as tasks on this loop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, MutableMapping, Sequence

import qasync
from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer, QTranslator, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from desktop import APP_ID, APP_NAME, __version__
from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.errors import PupitreError
from desktop.logs import setup_logging
from desktop.secrets import secret_store
from desktop.ui import theme
from desktop.ui.controller import WebinarController
from desktop.ui.crash import CrashMarker, CrashReport, install_excepthook
from desktop.ui.i18n import install_translators
from desktop.ui.main_window import Page
from desktop.ui.notifications import NotificationKind
from desktop.ui.platform_integration import integrate_with_platform
from desktop.ui.resources import app_icon
from desktop.ui.shell import DesktopShell
from desktop.ui.single_instance import Claim, SingleInstance, server_name
from desktop.ui.workspace import Workspace

logger = logging.getLogger(__name__)

# the core starts once the window is on screen, or after this long if the window manager never
# says so (a window opened on another workspace is not exposed)
CORE_START_AT_THE_LATEST_MS = 1500


def prepare_environment(environ: MutableMapping[str, str]) -> str | None:
    """Settle Qt's platform before QApplication exists; return the platform forced, if any.

    libVLC embeds its video into a foreign native window, which Wayland does not allow; under a
    Wayland session Pupitre asks for XWayland (``QT_QPA_PLATFORM=xcb``) unless the user chose a
    platform themselves (their choice wins, and the preview then says it cannot embed).
    """
    if environ.get("WAYLAND_DISPLAY") and not environ.get("QT_QPA_PLATFORM"):
        environ["QT_QPA_PLATFORM"] = "xcb"
        return "xcb"
    return None


def name_application(app: QGuiApplication) -> None:
    """Name the application for settings paths, the desktop entry and the window manager.

    No ``setApplicationDisplayName``: Qt appends the display name to every window title that
    does not already end with it, so the lab's "Pupitre — lab" showed as "Pupitre — lab —
    Pupitre".  Each window's title says what it is instead.
    """
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)


def first_page(settings: Settings, *, lab: bool) -> Page:
    """The page the window opens on: the console when servers are configured (it fills in once
    the core has opened them), else the welcome page (where the lab also shows its progress)."""
    return Page.CONSOLE if settings.is_configured and not lab else Page.WELCOME


class WhenExposed(QObject):
    """Calls ``then`` once: at the first Expose of ``window``, or after ``at_the_latest_ms``.

    The window is drawn before the core opens the user's set-up (the schedule database, the
    control socket, the first server request), so it shows at once and fills in a moment later.
    """

    def __init__(self, window: QWindow, then: Callable[[], None], at_the_latest_ms: int) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        self._latest = QTimer(self)
        self._latest.setObjectName("coreStartTimer")
        self._latest.setSingleShot(True)
        self._latest.timeout.connect(self._fire)
        self._latest.start(at_the_latest_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Expose and self._window.isExposed():
            # after this event is handled (and the window painted), not inside it
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is None:
            return
        self._latest.stop()
        self._window.removeEventFilter(self)
        then()


class SignalWake(QObject):
    """Lets Python's signal handlers (Ctrl+C, a plain kill) run while Qt idles, without polling.

    Python runs a handler only between bytecodes, and an idle Qt waits in C++.  The C-level
    handler writes to the wakeup descriptor (:func:`signal.set_wakeup_fd`) as soon as a signal
    arrives; a :class:`QSocketNotifier` on the other end of the pair wakes Qt, and the Python
    slot that drains it lets the handler run.  (A 300 ms timer did this before: it woke the idle
    app three times a second.)  Main thread only, like :func:`signal.set_wakeup_fd`.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while self._reader.recv(64):
                pass

    def close(self) -> None:
        """Give the wakeup descriptor back (to what was there before) and close the pair."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous)
        self._reader.close()
        self._writer.close()


class PupitreApplication(QApplication):
    """The application: owns the app-wide signals and wires the parts together.

    Attributes:
        paths, settings: where things live and the user's settings.
        lab: started on the loopback lab (``--lab``).
        previous_crash: what the last run left behind if it did not end cleanly (None if it did).
        shell: the window + tray + notifier, once :meth:`build_ui` ran.
        controller: the bridge to the core (:class:`WebinarController`), once :meth:`build_ui` ran.
        user_workspace: the user's own settings and secrets (the lab never writes to them).

    Signals:
        notification_requested(str, str, str): kind, title, text (an unhandled error was caught).

    Webinar state reaches the views through the controller's own signals (see
    :meth:`DesktopShell.attach`), not through the application.
    """

    notification_requested = Signal(str, str, str)

    def __init__(self, argv: Sequence[str], paths: AppPaths, settings: Settings, *, lab: bool = False) -> None:
        super().__init__(list(argv))
        name_application(self)
        self.setWindowIcon(app_icon())
        # the tray keeps the app alive with no window shown; quitting is always explicit
        self.setQuitOnLastWindowClosed(False)
        self.paths = paths
        self.settings = settings
        self.lab = lab
        self.previous_crash: CrashReport | None = None
        self.shell: DesktopShell | None = None
        self.controller: WebinarController | None = None
        self.user_workspace = Workspace(paths, settings, secret_store())
        self.translators: list[QTranslator] = []

    def build_ui(
        self, *, tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable
    ) -> DesktopShell:
        theme.follow_system()  # light or dark as the system says, switching live (issue 15)
        shell = DesktopShell(self, lab=self.lab, tray_available=tray_available)
        shell.quit_requested.connect(self.quit)
        self.notification_requested.connect(shell.notify)
        self.aboutToQuit.connect(shell.close)
        self.shell = shell
        self.controller = WebinarController(self)
        shell.attach(self.controller, self.user_workspace, self.previous_crash)
        return shell

    def show_window(self) -> None:
        """Show the main window: on the console (empty until the core fills it) when servers are
        configured, so the welcome page does not flash first."""
        assert self.shell is not None
        self.shell.window.show_page(first_page(self.settings, lab=self.lab))
        self.shell.start()

    def start_core_when_shown(self, at_the_latest_ms: int = CORE_START_AT_THE_LATEST_MS) -> None:
        """:meth:`start_core` once the window is exposed (see :class:`WhenExposed`)."""
        assert self.shell is not None
        handle = self.shell.window.windowHandle()
        if handle is None:  # not shown (cannot happen after show_window): start now
            self.start_core()
            return
        WhenExposed(handle, self.start_core, at_the_latest_ms)

    def start_core(self) -> None:
        """Open the lab, the user's set-up or the welcome page (on the running loop)."""
        assert self.controller is not None
        self.controller.spawn(self.controller.start(self.user_workspace, lab=self.lab))

    def report_unhandled(self, exc: BaseException) -> None:
        self.notification_requested.emit(
            NotificationKind.ERROR,
            self.tr("Something went wrong"),
            self.tr("Pupitre hit an unexpected error and carried on. Details are in the log."),
        )


def run(args: argparse.Namespace) -> int:
    """``pupitre`` with no command: start the GUI (or bring the running one forward)."""
    prepare_environment(os.environ)
    integrate_with_platform()  # e.g. Windows' app id, before any window exists
    paths = AppPaths.from_environment().ensure()
    verbose = bool(getattr(args, "verbose", False))
    setup_logging(paths.log_dir, verbose=verbose, console=verbose)
    try:
        settings = Settings.load(paths.settings_file)
    except PupitreError as error:
        print(f"pupitre: {error.explain()}", file=sys.stderr)
        return 1

    app = PupitreApplication(sys.argv[:1], paths, settings, lab=bool(getattr(args, "lab", False)))
    guard = SingleInstance(server_name(str(paths.config_dir)), app)
    claim = guard.claim()
    if claim is Claim.ALREADY_RUNNING:
        print("Pupitre is already running: its window was brought forward.")
        return 0

    app.translators = install_translators(app, str(settings.preference("language") or ""))
    marker = CrashMarker(paths.data_dir)
    app.previous_crash = marker.previous()
    if app.previous_crash is not None:
        logger.warning("the previous run did not end cleanly (started %s)", app.previous_crash.started_at)
    marker.start_session()
    previous_hook = install_excepthook(marker, app.report_unhandled)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    shell = app.build_ui()
    guard.raise_requested.connect(shell.window.bring_forward)
    app.show_window()
    app.start_core_when_shown()
    # Ctrl+C in the terminal, or a plain kill, quits cleanly (the lab stops, lives keep running).
    # A Python-level handler, not KeyboardInterrupt: raised inside a Qt callback, Qt swallows it.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _signum, _frame: app.quit())
    # Python runs signal handlers only between bytecodes: wake it while Qt idles in C++
    wake = SignalWake(app)
    try:
        with loop:
            loop.run_forever()  # = app.exec(), with the asyncio loop running (see module doc)
            if app.controller is not None:
                # lives keep running (the journal remembers them); the lab stops
                loop.run_until_complete(app.controller.aclose())
    finally:
        wake.close()
        guard.close()
        sys.excepthook = previous_hook
    marker.end_session()
    return 0
