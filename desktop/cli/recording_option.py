"""``--record`` / ``--no-record`` of the commands that own a live, and what they print about it."""

from __future__ import annotations

import argparse
import sys

from desktop.errors import ConfigError
from desktop.i18n import _
from desktop.recording.recorder import RecordingState, RecordingStatus
from desktop.webinar.manager import WebinarManager


def apply_record_option(manager: WebinarManager, args: argparse.Namespace) -> None:
    """Switch recording on or off for this command (the ``record_live`` setting otherwise); the
    file's path and how it ended go to stderr, so that ``--json`` output stays one snapshot a line.

    Raises:
        ConfigError: ``--record`` with ``--detach`` (the recording lives in the owning process).
    """
    record = getattr(args, "record", None)
    if record and getattr(args, "detach", False):
        raise ConfigError(_("“--record” cannot be used with “--detach”: the recording is made by the process "
                            "that owns the live."))
    if getattr(args, "detach", False):
        record = False  # this process leaves once live; “pupitre webinar watch” (which stays) records
    if record is not None:
        manager.recordings.set_enabled(bool(record))
    manager.recordings.add_listener(_print_status)


def _print_status(_key: str, status: RecordingStatus) -> None:
    if status.state == RecordingState.RECORDING and status.segments == 0 and not status.warning:
        print(_("Recording the live into {path}").format(path=status.path), file=sys.stderr, flush=True)
    elif status.state != RecordingState.RECORDING and status.segments:
        print(_("Recording finished: {path} ({seconds} s, {chapters} chapter(s)).").format(
            path=status.path, seconds=f"{status.seconds:.0f}", chapters=status.chapters), file=sys.stderr, flush=True)
