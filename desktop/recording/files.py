"""Where recordings go and what they are called, and how much disk they may use.

One file per live, in the user's Videos folder (``platformdirs.user_videos_dir()``) under
``Pupitre/`` — or ``recordings/`` under ``PUPITRE_HOME`` (tests, side-by-side set-ups), or the
folder of the ``recording_folder`` preference.  The name is the start time and the webinar's
title, made safe for every file system (the title is typed by someone, maybe hostile).
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs

from desktop.config.paths import HOME_ENV
from desktop.i18n import _, format_decimal

SUFFIX = ".mkv"
MAX_TITLE_CHARS = 80
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED_WINDOWS = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

FreeSpace = Callable[[Path], int]
"""Free bytes on the file system holding a folder (injectable: tests fake a small disk)."""


def disk_free(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def default_folder(configured: str = "") -> Path:
    """The recordings folder: the preference, else ``$PUPITRE_HOME/recordings``, else Videos/Pupitre."""
    if configured.strip():
        return Path(configured.strip()).expanduser()
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser() / "recordings"
    return Path(platformdirs.user_videos_dir()) / "Pupitre"


def safe_title(title: str) -> str:
    """``title`` as a file name part: no separators, control or bidi characters, not too long."""
    text = unicodedata.normalize("NFC", title)
    text = "".join(" " if unicodedata.category(c) in ("Cf", "Cc", "Zl", "Zp") else c for c in text)
    text = _UNSAFE.sub(" ", text)
    text = " ".join(text.split()).strip(" .")[:MAX_TITLE_CHARS].strip(" .")
    if not text or text.upper() in _RESERVED_WINDOWS:
        return "webinar"
    return text


def recording_path(folder: Path, title: str, started: datetime) -> Path:
    """A new file name in ``folder`` for a live of ``title`` started at ``started`` (never an existing one)."""
    stem = f"{started.strftime('%Y-%m-%d %H-%M')} {safe_title(title)}"
    candidate = folder / f"{stem}{SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){SUFFIX}"
        number += 1
    return candidate


@dataclass(frozen=True)
class DiskBudget:
    """How much room a recording must leave on its disk.

    Attributes:
        min_free_bytes: the recording stops (cleanly: the file is finished) before the free space
            of its disk would drop below this; it does not start below it plus one segment's
            worth of margin.
    """

    min_free_bytes: int

    def refusal(self, folder: Path, free: int) -> str | None:
        """The sentence saying why a recording cannot start in ``folder``, or None."""
        if free >= self.min_free_bytes:
            return None
        return _("Not recording: the disk of {folder} has only {free} free, and Pupitre keeps at least {limit} "
                 "free while recording. Free some space or choose another folder in the settings.").format(
            folder=folder, free=size_text(free), limit=size_text(self.min_free_bytes))

    def stop_reason(self, folder: Path, free: int, incoming: int) -> str | None:
        """The sentence saying why the recording stops before writing ``incoming`` bytes, or None."""
        if free - incoming >= self.min_free_bytes:
            return None
        return _("Recording stopped: the disk of {folder} has only {free} free (Pupitre keeps {limit} free). "
                 "The file recorded so far is kept and plays.").format(
            folder=folder, free=size_text(free), limit=size_text(self.min_free_bytes))


def size_text(size: int) -> str:
    if size >= 1024 ** 3:
        return _("{amount} GB").format(amount=format_decimal(size / 1024 ** 3, 1))
    return _("{amount} MB").format(amount=f"{size / 1024 ** 2:.0f}")
