"""Reaching the process that owns a live from another command.

A live is owned by the process that watches it (``pupitre webinar start``/``watch`` or the GUI):
that process holds the auto-stop watcher and the stream monitor.  ``pupitre webinar stop-live``
typed in another terminal must not act behind its back, so the owner listens on a loopback TCP
port and writes ``<data>/run/<key>.json`` (port, one-time token, pid; mode 0600); other commands
send it their intent as one JSON line and get the resulting snapshot back.

When no owner is alive (the file is missing or stale), the command acts on its own, from the
journal (see :mod:`desktop.cli.commands.webinar`).  Loopback TCP rather than a Unix socket so it
works the same on Windows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from desktop.errors import PupitreError
from desktop.i18n import _

logger = logging.getLogger(__name__)

INTENTS = ("stop-live", "restart-live", "end", "toggle-chat", "status", "cancel", "start-live")
Handler = Callable[[str, str], Awaitable[dict[str, Any]]]


def _safe(key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in key)


def endpoint_file(run_dir: Path, key: str) -> Path:
    return run_dir / f"webinar-{_safe(key)}.json"


class ControlServer:
    """Serves intents for the sessions this process owns."""

    def __init__(self, run_dir: Path, handler: Handler) -> None:
        self._run_dir = run_dir
        self._handler = handler
        self._server: asyncio.Server | None = None
        self._token = secrets.token_urlsafe(24)
        self._keys: set[str] = set()
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def announce(self, key: str) -> None:
        """Publish that this process owns ``key``."""
        self._run_dir.mkdir(parents=True, exist_ok=True)
        path = endpoint_file(self._run_dir, key)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump({"port": self.port, "token": self._token, "pid": os.getpid(), "key": key}, handle)
        os.replace(tmp, path)
        self._keys.add(key)

    def withdraw(self, key: str) -> None:
        self._keys.discard(key)
        with contextlib.suppress(FileNotFoundError):
            path = endpoint_file(self._run_dir, key)
            if json.loads(path.read_text()).get("pid") == os.getpid():
                path.unlink()

    async def close(self) -> None:
        for key in list(self._keys):
            self.withdraw(key)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), 10)
            request = json.loads(line or b"{}")
            if not isinstance(request, dict) or not secrets.compare_digest(str(request.get("token", "")), self._token):
                reply: dict[str, Any] = {"ok": False, "error": "refused"}
            elif request.get("intent") not in INTENTS or request.get("key") not in self._keys:
                reply = {"ok": False, "error": "unknown intent or webinar"}
            else:
                reply = {"ok": True, **await self._handler(str(request["key"]), str(request["intent"]))}
        except (ValueError, TimeoutError, ConnectionError) as exc:
            reply = {"ok": False, "error": exc.__class__.__name__}
        except PupitreError as error:
            reply = {"ok": False, "error": error.sentence}
        with contextlib.suppress(ConnectionError):
            writer.write(json.dumps(reply).encode() + b"\n")
            await writer.drain()
            writer.close()


def owner_of(run_dir: Path, key: str) -> dict[str, Any] | None:
    """The owner's endpoint for ``key``, or None when no live process owns it."""
    path = endpoint_file(run_dir, key)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    pid = data.get("pid")
    if not isinstance(pid, int) or not _alive(pid):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return data


async def send_intent(run_dir: Path, key: str, intent: str, timeout: float = 120.0) -> dict[str, Any] | None:
    """Ask the owner of ``key`` to do ``intent``; None when there is no owner to ask."""
    owner = owner_of(run_dir, key)
    if owner is None:
        return None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", int(owner["port"])), 5)
    except (OSError, TimeoutError):
        return None
    try:
        writer.write(json.dumps({"token": owner["token"], "key": key, "intent": intent}).encode() + b"\n")
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), timeout)
    finally:
        writer.close()
    reply = json.loads(line or b"{}")
    if not reply.get("ok"):
        raise PupitreError(_("The Pupitre process watching this webinar refused the request ({reason}).").format(
            reason=reply.get("error")))
    return reply


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
