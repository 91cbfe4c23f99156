"""Reaching the process that owns a live from another command.

A live is owned by the process that watches it (``pupitre webinar start``/``watch`` or the GUI):
that process holds the auto-stop watcher and the stream monitor.  ``pupitre webinar stop-live``
typed in another terminal must not act behind its back, so the owner listens on a loopback TCP
port and writes ``<data>/run/<key>.json`` (port, one-time token, pid; mode 0600); other commands
send it their intent as one JSON line and get the resulting snapshot back.

Ownership is a claim, not a file: the owner holds an OS lock on ``<data>/run/<key>.lock``
(``flock``; ``msvcrt.locking`` on Windows) for as long as it runs, taken *before* it looks at the
journal or writes its endpoint file.  Two starts at the same moment cannot both win, and the
kernel drops the lock when the owner dies, even by SIGKILL: a stale endpoint file (its pid
reused by an unrelated process) means nothing once the lock is free.  An owner is believed alive
only when the lock is held *and* it answers a ``hello`` on its control channel with its pid.

When no owner holds the lock, the command acts on its own, from the journal (see
:mod:`desktop.cli.commands.webinar`).  Loopback TCP rather than a Unix socket so it works the same
on Windows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from desktop.errors import PupitreError
from desktop.i18n import _
from desktop.webinar.state import Intent

logger = logging.getLogger(__name__)

# what another process may ask: every intent but a go-live (a start claims the webinar itself),
# and "status" (the snapshot, nothing done)
INTENTS = (*(intent.value for intent in Intent if intent is not Intent.GO_LIVE), "status")
Handler = Callable[[str, str], Awaitable[dict[str, Any]]]


def _safe(key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in key)


def endpoint_file(run_dir: Path, key: str) -> Path:
    return run_dir / f"webinar-{_safe(key)}.json"


def lock_file(run_dir: Path, key: str) -> Path:
    return run_dir / f"webinar-{_safe(key)}.lock"


# the claims this process holds: lock path -> the open file carrying the OS lock
_HELD: dict[Path, IO[bytes]] = {}


class AlreadyOwned(PupitreError):
    """Another process holds the claim on this webinar."""


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":  # pragma: no cover
            import msvcrt
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    handle.close()


def claim(run_dir: Path, key: str, *, patience: int = 10) -> bool:
    """Take the OS lock on ``key`` for this process (idempotent); False when another holds it.

    A probe (:func:`claimed`) holds the lock for microseconds; ``patience`` retries 10 ms apart
    keep it from refusing a real claim.  The lock file is never deleted: removing it would let
    two processes lock two different files of the same name.
    """
    path = lock_file(run_dir, key)
    if path in _HELD:
        return True
    run_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    handle = os.fdopen(fd, "r+b")
    for attempt in range(patience + 1):
        if _try_lock(handle):
            _HELD[path] = handle
            return True
        if attempt < patience:
            time.sleep(0.01)  # a probe's lock lasts microseconds
    handle.close()
    return False


def release(run_dir: Path, key: str) -> None:
    handle = _HELD.pop(lock_file(run_dir, key), None)
    if handle is not None:
        _unlock(handle)


def claimed(run_dir: Path, key: str) -> bool:
    """Whether some process (this one included) holds the claim on ``key``."""
    path = lock_file(run_dir, key)
    if path in _HELD:
        return True
    if not path.exists():
        return False
    if claim(run_dir, key, patience=0):
        release(run_dir, key)
        return False
    return True


def refuse_sentence(owner: OwnerInfo) -> str:
    if owner.answering:
        return _("Another Pupitre process (pid {pid}) is already running this webinar.").format(pid=owner.pid)
    return _("Another Pupitre process holds this webinar but does not answer on its control channel.")


def claim_or_refuse(run_dir: Path, key: str, owner: OwnerInfo | None) -> None:
    """Claim ``key`` or raise :class:`AlreadyOwned` (``owner``: what :func:`find_owner` saw)."""
    if claim(run_dir, key):
        return
    info = owner or OwnerInfo(pid=None, port=None, token=None, answering=False)
    raise AlreadyOwned(refuse_sentence(info),
                       hint=_("Use “pupitre webinar watch {key}” to follow it.").format(key=key))


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
        """Publish that this process owns ``key``: claim it, then write the endpoint file.

        Raises :class:`AlreadyOwned` (and writes nothing) when another process holds the claim.
        """
        claim_or_refuse(self._run_dir, key, None)
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
        release(self._run_dir, key)

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
            key = request.get("key") if isinstance(request, dict) else None
            if not isinstance(request, dict) or not secrets.compare_digest(
                    str(request.get("token", "")).encode("utf-8", "replace"), self._token.encode()):
                reply: dict[str, Any] = {"ok": False, "error": "refused"}
            elif not isinstance(key, str) or key not in self._keys:
                reply = {"ok": False, "error": "unknown intent or webinar"}
            elif request.get("intent") == "hello":
                reply = {"ok": True, "pid": os.getpid(), "key": key}  # the liveness handshake
            elif request.get("intent") not in INTENTS:
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


@dataclass(frozen=True)
class OwnerInfo:
    """The process holding a webinar's claim.

    Attributes:
        pid: from its endpoint file (None: no file yet, e.g. a start still setting up).
        answering: it answered the ``hello`` handshake with that pid.
    """

    pid: int | None
    port: int | None
    token: str | None
    answering: bool


async def find_owner(run_dir: Path, key: str, timeout: float = 5.0) -> OwnerInfo | None:
    """The owner of ``key``, or None when no process holds its claim.

    The claim (an OS lock) decides whether there is an owner; the handshake decides whether it
    can be asked.  A stale endpoint file (no lock held) is removed.
    """
    path = endpoint_file(run_dir, key)
    if not claimed(run_dir, key):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    pid, port, token = data.get("pid"), data.get("port"), data.get("token")
    if not (isinstance(pid, int) and isinstance(port, int) and isinstance(token, str)):
        return OwnerInfo(pid=pid if isinstance(pid, int) else None, port=None, token=None, answering=False)
    reply = await _exchange(port, {"token": token, "key": key, "intent": "hello"}, timeout)
    answering = reply is not None and reply.get("ok") is True and reply.get("pid") == pid
    return OwnerInfo(pid=pid, port=port, token=token, answering=answering)


async def _exchange(port: int, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
    except (OSError, TimeoutError):
        return None
    try:
        writer.write(json.dumps(request).encode() + b"\n")
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), timeout)
    except (OSError, TimeoutError):
        return None
    finally:
        writer.close()
    try:
        reply = json.loads(line or b"{}")
    except ValueError:
        return None
    return reply if isinstance(reply, dict) else None


async def send_intent(run_dir: Path, key: str, intent: str, timeout: float = 120.0) -> dict[str, Any] | None:
    """Ask the owner of ``key`` to do ``intent``; None when no process holds its claim.

    Raises when a process holds the claim but cannot be asked: acting behind its back would make
    two processes drive one live.
    """
    owner = await find_owner(run_dir, key)
    if owner is None:
        return None
    if not owner.answering or owner.port is None:
        raise AlreadyOwned(refuse_sentence(owner),
                           hint=_("Wait until it exits, or stop that process; then try again."))
    reply = await _exchange(owner.port, {"token": owner.token, "key": key, "intent": intent}, timeout)
    if reply is None:
        raise PupitreError(_("The Pupitre process watching this webinar did not answer."))
    if not reply.get("ok"):
        raise PupitreError(_("The Pupitre process watching this webinar refused the request ({reason}).").format(
            reason=reply.get("error")))
    return reply
