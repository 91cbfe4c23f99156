"""Crash marker: did the previous run end cleanly?  (qutebrowser's crash-signal idea.)

Two facts are kept in one small JSON file in the data folder:

* a *session* marker written when the GUI starts and removed when it quits cleanly, so a run
  killed by the system (or by a crash in C code that no Python hook sees) is still noticed;
* the last unhandled Python exception, written by the excepthook from :func:`install_excepthook`
  (redacted with :func:`desktop.logs.redact`: a traceback may quote a signed URL).

The next start reads :meth:`CrashMarker.previous` *before* :meth:`CrashMarker.start_session`
and can offer recovery (check whether a gateway is still publishing, reopen the console).
The offer itself is the console's job; this module only keeps the facts.  No Qt here.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from desktop.logs import redact

logger = logging.getLogger(__name__)

MARKER_NAME = "gui-session.json"
MAX_TRACEBACK_CHARS = 20_000

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


@dataclass(frozen=True)
class CrashReport:
    """What the previous run left behind.

    Attributes:
        started_at: epoch seconds when that run started.
        pid: its process id.
        exception: the last unhandled exception's formatted, redacted traceback ("" when the run
            simply vanished: killed, or crashed in native code).
        at: epoch seconds of that exception (None if there was none).
    """

    started_at: float
    pid: int
    exception: str = ""
    at: float | None = None


class CrashMarker:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / MARKER_NAME

    def previous(self) -> CrashReport | None:
        """The report of a run that did not end cleanly, or None (also for an unreadable file)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return CrashReport(
                started_at=float(data["started_at"]),
                pid=int(data["pid"]),
                exception=str(data.get("exception", "")),
                at=None if data.get("at") is None else float(data["at"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("ignoring an unreadable crash marker %s: %s", self.path, exc)
            return None

    def start_session(self) -> None:
        self._write({"started_at": time.time(), "pid": os.getpid(), "exception": "", "at": None})

    def record_exception(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        text = redact("".join(traceback.format_exception(exc_type, exc, tb)))[-MAX_TRACEBACK_CHARS:]
        data: dict[str, object]
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except (OSError, ValueError):
            data = {"started_at": time.time(), "pid": os.getpid()}
        data.update({"exception": text, "at": time.time()})
        self._write(data)

    def end_session(self) -> None:
        """A clean exit: forget the marker."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            logger.warning("could not remove the crash marker %s: %s", self.path, exc)

    def _write(self, data: dict[str, object]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(data), encoding="utf-8")
            temporary.replace(self.path)
        except OSError as exc:  # a full disk must not turn a crash report into a second crash
            logger.warning("could not write the crash marker %s: %s", self.path, exc)


def install_excepthook(
    marker: CrashMarker, on_exception: Callable[[BaseException], None] | None = None
) -> ExceptHook:
    """Record unhandled exceptions in ``marker`` and log them; return the previous hook.

    Qt calls ``sys.excepthook`` for an exception raised in a slot and then carries on, so the
    app stays up: the hook logs, records, and lets ``on_exception`` tell the user (a banner);
    KeyboardInterrupt keeps Python's default behaviour.
    """
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        logger.critical("unhandled exception", exc_info=(exc_type, exc, tb))
        marker.record_exception(exc_type, exc, tb)
        if on_exception is not None:
            try:
                on_exception(exc)
            except Exception:  # the reporter itself must not recurse into the hook
                logger.exception("the crash reporter failed")

    sys.excepthook = hook
    return previous
