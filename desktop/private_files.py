"""Pupitre's files are the user's alone: folders ``0700``, files ``0600`` (POSIX).

The database holds the audience's names and messages, the schedule and the live journal; the logs
and exports hold chat text too.  On POSIX the folders Pupitre writes to are made ``0700`` (also
when they already exist: an older Pupitre left them ``0755``) and the files it creates ``0600``,
whatever the umask.  An export goes where the user chose; a new export file is created ``0600``,
an existing one keeps the mode the user gave it.  On Windows nothing changes (the profile's ACLs
already keep other users out).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed and make it ``0700``; returns ``path``.

    Only ``path`` itself is restricted: its parents (``~/.local/share``...) are not Pupitre's.
    """
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if POSIX:
        with contextlib.suppress(OSError):  # not ours (a shared PUPITRE_HOME): leave it
            if path.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
                path.chmod(PRIVATE_DIR_MODE)
    return path


def restrict_file(path: Path | str) -> None:
    """Make an existing file ``0600`` (a file left ``0644`` by an older Pupitre); no-op if absent."""
    if not POSIX:
        return
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if os.stat(path).st_mode & 0o777 != PRIVATE_FILE_MODE:
            os.chmod(path, PRIVATE_FILE_MODE)


def open_private(path: Path | str, flags: int) -> int:
    """``os.open`` that creates the file ``0600`` (an existing file keeps its mode)."""
    return os.open(path, flags | os.O_CREAT, PRIVATE_FILE_MODE)


def write_private_text(path: Path, text: str, *, encoding: str = "utf-8", newline: str | None = None) -> None:
    """``path.write_text`` for a file that holds the user's data: created ``0600``."""
    fd = open_private(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
        handle.write(text)


RUNTIME_ENV = "XDG_RUNTIME_DIR"
SOCKET_PATH_MAX = 100  # sun_path is 104 (macOS) or 108 (Linux) bytes, the final NUL included


def runtime_dir(fallback: Path | None = None) -> Path:
    """A ``0700`` folder of the user's own for sockets: ``$XDG_RUNTIME_DIR/pupitre`` when the
    session has one (a folder only the user can enter), else ``fallback`` (Pupitre's cache folder
    by default), never a predictable name in the world-writable ``/tmp``."""
    base = os.environ.get(RUNTIME_ENV, "").strip()
    if base and os.path.isabs(base) and _owned_private_dir(Path(base)):
        folder = Path(base) / "pupitre"
    else:
        if fallback is None:
            import platformdirs

            fallback = Path(platformdirs.user_cache_dir("pupitre", appauthor=False)) / "run"
        folder = fallback
    return private_dir(folder)


def _owned_private_dir(path: Path) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    if not POSIX:
        return path.is_dir()
    return path.is_dir() and info.st_uid == os.getuid() and info.st_mode & 0o077 == 0
