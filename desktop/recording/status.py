"""What a recording did so far (its state and figures), without the recorder's machinery: the
console's switch imports this on the GUI's start path, which must not load httpx or PyAV."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import PupitreError


class RecordingState(enum.StrEnum):
    RECORDING = "recording"
    FINISHED = "finished"
    STOPPED_DISK_FULL = "stopped: disk full"
    FAILED = "failed"


@dataclass(frozen=True)
class RecordingStatus:
    """What a recording did so far, for the console, the CLI and the session report.

    Attributes:
        path: the file.
        state: recording, finished, stopped because of the disk, failed.
        chapters: runs of the live in the file (a restart adds one).
        seconds: media seconds written.
        segments: segments written; ``missed`` those that could not be downloaded in time.
        listed_seconds: the duration of the segments written, as the playlist lists them.
        warning: a sentence for the presenter (disk space, a failure), or "".
    """

    path: Path
    state: RecordingState = RecordingState.RECORDING
    chapters: int = 0
    seconds: float = 0.0
    segments: int = 0
    missed: int = 0
    listed_seconds: float = 0.0
    warning: str = ""


class RecordingRefused(PupitreError):
    """The recording cannot start (not enough free space, the folder cannot be created)."""


class RecordingUnsupported(PupitreError):
    """The stream's segments cannot be remuxed (fMP4, encrypted, byte ranges)."""
