"""A Unix-socket server that takes one line per connection, on Qt's event loop, without QtNetwork.

The single-instance guard's POSIX side (:mod:`desktop.ui.single_instance`): a plain ``AF_UNIX``
socket watched by ``QSocketNotifier`` (no thread, no polling), so the idle app does not load
QtNetwork (libQt6Network and its bindings: 2 MiB of RSS, issue 13).  It speaks what
``QLocalServer``/``QLocalSocket`` speak on POSIX (a stream socket at a path), so a launch of an
older Pupitre still reaches a newer one and the other way round.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import tempfile

from PySide6.QtCore import QObject, QSocketNotifier, Signal

logger = logging.getLogger(__name__)

READ_CHUNK = 4096


def socket_path(name: str) -> str:
    """``name`` when it is a path; else where ``QLocalServer`` puts a bare name (the temp folder)."""
    return name if os.path.isabs(name) else os.path.join(tempfile.gettempdir(), name)


class _Connection:
    def __init__(self, conn: socket.socket, notifier: QSocketNotifier) -> None:
        self.conn = conn
        self.notifier = notifier
        self.buffer = bytearray()


class UnixLineServer(QObject):
    """Listens on ``path`` (mode 0600); each connection's first line (≤ ``max_bytes``) is emitted.

    Signals:
        line_received(bytes): one line, without its newline; the connection is then closed.
    """

    line_received = Signal(bytes)

    def __init__(self, path: str, max_bytes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.max_bytes = max_bytes
        self._listener: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._inode: int | None = None
        self._connections: dict[int, _Connection] = {}

    def listen(self) -> str | None:
        """Start listening (a socket file already there is replaced: the caller found nobody
        answering on it); None, or why it could not."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous = os.umask(0o177)  # the socket is created 0600: only this user may connect
        try:
            listener.bind(self.path)
            listener.listen(8)
        except OSError as error:
            listener.close()
            return error.strerror or str(error)
        finally:
            os.umask(previous)
        listener.setblocking(False)
        self._inode = os.stat(self.path).st_ino
        self._listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return None

    def close(self) -> None:
        """Stop listening, drop open connections and remove the socket file (if still ours)."""
        for fileno in list(self._connections):
            self._drop(fileno)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.activated.disconnect(self._accept)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
            with contextlib.suppress(OSError):
                if os.stat(self.path).st_ino == self._inode:
                    os.unlink(self.path)

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                conn, _address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:
                logger.warning("single-instance: accept failed (%s)", error.strerror or error)
                return
            conn.setblocking(False)
            fileno = conn.fileno()
            notifier = QSocketNotifier(fileno, QSocketNotifier.Type.Read, self)
            self._connections[fileno] = _Connection(conn, notifier)
            notifier.activated.connect(lambda *_args, fileno=fileno: self._read(fileno))
            self._read(fileno)  # the line may already be there

    def _read(self, fileno: int) -> None:
        connection = self._connections.get(fileno)
        if connection is None:
            return
        while True:
            try:
                chunk = connection.conn.recv(READ_CHUNK)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                chunk = b""
            if not chunk:  # closed before a whole line: nothing to do
                self._drop(fileno)
                return
            connection.buffer += chunk
            end = connection.buffer.find(b"\n")
            if 0 <= end <= self.max_bytes:
                line = bytes(connection.buffer[:end])
                self._drop(fileno)
                self.line_received.emit(line)
                return
            if len(connection.buffer) > self.max_bytes:
                logger.warning("single-instance: oversized message dropped")
                self._drop(fileno)
                return

    def _drop(self, fileno: int) -> None:
        connection = self._connections.pop(fileno, None)
        if connection is None:
            return
        connection.notifier.setEnabled(False)
        connection.notifier.deleteLater()
        connection.conn.close()


def send_line(path: str, line: bytes, timeout_s: float) -> bool | None:
    """Send ``line`` + newline to the server at ``path``: None when nobody listens there, else
    whether the line was written whole in time."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(timeout_s)
    try:
        try:
            client.connect(path)
        except OSError:
            return None
        try:
            client.sendall(line + b"\n")
            client.shutdown(socket.SHUT_WR)
        except OSError:
            return False
        return True
    finally:
        client.close()
