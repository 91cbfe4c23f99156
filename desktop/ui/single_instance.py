"""One Pupitre per user and home: a second launch brings the first window forward and exits.

The first instance listens on a QLocalServer whose name is derived from the user and the
PUPITRE_HOME folder (so test homes and side-by-side set-ups don't collide); the socket is
restricted to the user.  On POSIX the socket lives in the user's own ``0700`` runtime folder
(``$XDG_RUNTIME_DIR/pupitre``, else a folder in Pupitre's cache): in the world-writable ``/tmp``
another local user could take the predictable name first and stop Pupitre from starting.  A second instance connects, sends one JSON line ``{"command":
"raise"}`` and exits 0.  A stale socket left by a crashed run is removed before listening.

On POSIX the socket is a plain Python ``AF_UNIX`` socket on Qt's event loop
(:mod:`desktop.ui.unix_line_server`): the idle app does not load QtNetwork (2 MiB of RSS, issue
13); on Windows, a ``QLocalServer`` named pipe.  Both are what ``QLocalServer`` makes on each
platform, so launches of different versions still find each other.

The client side uses blocking waits with short timeouts: they run once, before any window
exists, so nothing visible blocks.
"""

from __future__ import annotations

import enum
import getpass
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.config.paths import AppPaths
from desktop.private_files import SOCKET_PATH_MAX, private_dir, runtime_dir
from desktop.ui.unix_line_server import UnixLineServer, send_line, socket_path

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500
MAX_MESSAGE = 4096
RAISE_COMMAND = "raise"


def server_name(home: str | None = None, user: str | None = None, *, runtime: Path | None = None) -> str:
    """``pupitre-<user>-<hash of the config folder>``: short, filesystem-safe, per home.

    On POSIX, the full path of the socket in the user's ``0700`` runtime folder (``runtime``, else
    :func:`desktop.private_files.runtime_dir`); on Windows a pipe name (pipes are not files).
    """
    if user is None:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    if home is None:
        home = str(AppPaths.from_environment().config_dir)
    digest = hashlib.sha256(f"{user}\0{os.path.abspath(home)}".encode()).hexdigest()[:16]
    safe_user = "".join(c for c in user if c.isalnum())[:16] or "user"
    name = f"pupitre-{safe_user}-{digest}"
    if os.name != "posix":
        return name
    folder = runtime if runtime is not None else runtime_dir(_cache_run_dir(name))
    return str(private_dir(folder) / name)


def _cache_run_dir(name: str) -> Path | None:
    """``<cache>/run`` of this home when the socket's path there fits in ``sun_path``."""
    folder = AppPaths.from_environment().cache_dir / "run"
    if len(str(folder / name).encode()) > SOCKET_PATH_MAX:
        return None  # a deep PUPITRE_HOME: the user's own cache folder instead
    return folder


class Claim(enum.Enum):
    FIRST = "first"  # we are the instance: the server listens
    ALREADY_RUNNING = "already running"  # another instance was told to come forward
    UNAVAILABLE = "unavailable"  # could not listen: run anyway, without the guard


class SingleInstance(QObject):
    """The single-instance guard.

    Signals:
        raise_requested: another launch asked this instance to show its window.
    """

    raise_requested = Signal()

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server: QLocalServer | None = None
        self._sockets: set[QLocalSocket] = set()
        self._unix_server: UnixLineServer | None = None

    def claim(self) -> Claim:
        if ask_running_instance(self.name):
            return Claim.ALREADY_RUNNING
        # nobody answered: any socket file left is stale (a crashed run)
        if os.name == "posix":
            unix_server = UnixLineServer(socket_path(self.name), MAX_MESSAGE, self)
            error = unix_server.listen()
            if error is not None:
                logger.warning("single-instance server %s: %s", self.name, error)
                return Claim.UNAVAILABLE
            unix_server.line_received.connect(self._handle)
            self._unix_server = unix_server
            return Claim.FIRST
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            logger.warning("single-instance server %s: %s", self.name, server.errorString())
            return Claim.UNAVAILABLE
        server.newConnection.connect(self._accept)
        self._server = server
        return Claim.FIRST

    def close(self) -> None:
        """Stop listening and drop open connections (explicitly, before Qt deletes them)."""
        if self._unix_server is not None:
            self._unix_server.line_received.disconnect(self._handle)
            self._unix_server.close()
            self._unix_server.deleteLater()
            self._unix_server = None
        for socket in list(self._sockets):
            self._forget(socket)
            socket.abort()
        if self._server is not None:
            self._server.newConnection.disconnect(self._accept)
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _accept(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            self._sockets.add(socket)
            socket.readyRead.connect(self._ready_read)
            socket.disconnected.connect(self._disconnected)
            self._read(socket)  # the line may already be there

    def _ready_read(self) -> None:
        socket = self.sender()
        if socket in self._sockets:
            self._read(socket)

    def _disconnected(self) -> None:
        socket = self.sender()
        if socket in self._sockets:
            assert socket is not None
            self._forget(socket)
            socket.deleteLater()

    def _forget(self, socket: QLocalSocket) -> None:
        self._sockets.discard(socket)
        socket.readyRead.disconnect(self._ready_read)
        socket.disconnected.disconnect(self._disconnected)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_MESSAGE:
                logger.warning("single-instance: oversized message dropped")
                socket.abort()
            return
        line = bytes(socket.readLine(MAX_MESSAGE).data())
        socket.disconnectFromServer()
        self._handle(line)

    def _handle(self, line: bytes) -> None:
        try:
            command = json.loads(line.decode("utf-8")).get("command")
        except (UnicodeDecodeError, ValueError, AttributeError):
            logger.warning("single-instance: unreadable message ignored")
            return
        if command == RAISE_COMMAND:
            logger.info("another launch asked to bring the window forward")
            self.raise_requested.emit()
        else:
            logger.warning("single-instance: unknown command %r ignored", command)


def ask_running_instance(name: str, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """Tell a running instance to come forward; False when no instance listens on ``name``."""
    message = json.dumps({"command": RAISE_COMMAND}).encode()
    if os.name == "posix":
        sent = send_line(socket_path(name), message, timeout_ms / 1000)
        if sent is None:
            return False
        if not sent:
            logger.warning("single-instance: the running instance did not take the message")
        return True
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(message + b"\n")
    delivered = socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(timeout_ms)
    if not delivered:
        logger.warning("single-instance: the running instance did not take the message")
    return True
