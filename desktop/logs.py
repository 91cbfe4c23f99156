"""Logging set-up and redaction.

Every log line is written through :class:`RedactingFormatter`: ``checksum=`` values, bearer tokens,
``Authorization`` headers, session tokens and every secret registered with
:func:`register_secret` (the secret store registers each secret it hands out) are replaced by
``***`` before anything is written.  :func:`redact` is also what error messages and reports use.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from desktop.private_files import open_private, private_dir, restrict_file

_KEYS = r"(?:session_?token|sessionToken|auth_?token|JSESSIONID|token|secret)"
# a value that looks like a credential, not a word of a sentence: no spaces, and digits or length
_CREDENTIAL = re.compile(r"[A-Za-z0-9._~+/=:%-]{6,}")


def _looks_like_a_credential(value: str) -> bool:
    core = value.rstrip(".")
    return bool(_CREDENTIAL.fullmatch(core)) and (any(c.isdigit() for c in core) or len(core) >= 20)


def _key_colon(match: re.Match[str]) -> str:
    """``token: VALUE``: a quoted value or one glued to the colon is a value; after a space, only
    what looks like a credential is (``token: The gateway...`` is a sentence)."""
    key, space, quote, value = match.group(1), match.group(2), match.group(3), match.group(4)
    if quote or not space or _looks_like_a_credential(value):
        return f"{key}{space}{quote}***"
    return match.group(0)


def _authorization(match: re.Match[str]) -> str:
    key, scheme, value = match.group(1), match.group(2), match.group(3)
    if scheme or _looks_like_a_credential(value):
        return f"{key}{scheme or ''}***"
    return match.group(0)


_PATTERNS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    # signed BBB URLs: the checksum is as good as a one-call password
    (re.compile(r"(checksum=)[0-9A-Fa-f]+"), r"\1***"),
    (re.compile(r"(?i)(checksum[\"']?\s*[:=]\s*[\"']?)[0-9A-Fa-f]{8,}"), r"\1***"),
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)((?:bearer|token|basic|digest)\s+)?([^\s\"',}]+)"),
     _authorization),
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1***"),
    # key=value (a query, a form, an environment line): always a value
    (re.compile(r"(?i)(" + _KEYS + r"[\"']?\s*=\s*[\"']?)[^\s&\"',;}]+"), r"\1***"),
    # key: value (JSON, a header, a sentence...): see _key_colon
    (re.compile(r"(?i)(" + _KEYS + r"[\"']?\s*:)(\s*)([\"']?)([^\s&\"',;}]+)"), _key_colon),
]

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Make sure ``value`` never appears in a log line, an error or a report."""
    if value and len(value) >= 3:
        with _lock:
            _secrets.add(value)


def forget_registered_secrets() -> None:
    """Empty the registry (between tests; a process keeps its secrets otherwise)."""
    with _lock:
        _secrets.clear()


def redact(text: str) -> str:
    """``text`` with every known secret shape and registered secret replaced by ``***``."""
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual (traceback included), then redacts the whole text.

    Redaction happens at formatting time, per handler, so the record itself is never changed:
    other handlers (a test's log capture, a crash reporter) see it intact and redact on their own.
    """

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created ``0600`` (POSIX), the rotated ones included."""

    def _open(self) -> io.TextIOWrapper:
        fd = open_private(self.baseFilename, os.O_WRONLY | os.O_APPEND)
        restrict_file(self.baseFilename)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


_configured_handlers: list[logging.Handler] = []


def reset_logging() -> None:
    """Remove the handlers :func:`setup_logging` installed (tests; a second set-up)."""
    root = logging.getLogger()
    for handler in _configured_handlers:
        root.removeHandler(handler)
        handler.close()
    _configured_handlers.clear()


def setup_logging(log_dir: Path, *, verbose: bool = False, console: bool = False) -> Path:
    """A rotating log file in ``log_dir`` (5 x 1 MB), redacted; returns its path."""
    private_dir(log_dir)
    path = log_dir / "pupitre.log"
    for existing in log_dir.glob("pupitre.log*"):  # left 0644 by an older Pupitre
        restrict_file(existing)
    reset_logging()
    root = logging.getLogger()
    file_handler = PrivateRotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _configured_handlers.append(file_handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
        stream.setLevel(logging.DEBUG if verbose else logging.WARNING)
        _configured_handlers.append(stream)
    for handler in _configured_handlers:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore", "websockets", "aiohttp.access", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path
