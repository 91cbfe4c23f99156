"""Folders for config, data, logs and cache.

By default the platform folders (platformdirs).  ``PUPITRE_HOME`` (or the CLI's ``--home``)
puts everything under one folder, for tests and for several set-ups side by side.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop.private_files import private_dir

HOME_ENV = "PUPITRE_HOME"


@dataclass(frozen=True)
class AppPaths:
    """The four folders Pupitre writes to."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path

    @classmethod
    def from_environment(cls) -> AppPaths:
        home = os.environ.get(HOME_ENV)
        if home:
            root = Path(home).expanduser()
            return cls(root / "config", root / "data", root / "logs", root / "cache")
        return cls(
            Path(platformdirs.user_config_dir("pupitre", appauthor=False)),
            Path(platformdirs.user_data_dir("pupitre", appauthor=False)),
            Path(platformdirs.user_log_dir("pupitre", appauthor=False)),
            Path(platformdirs.user_cache_dir("pupitre", appauthor=False)),
        )

    def ensure(self) -> AppPaths:
        """Create the four folders, ``0700`` on POSIX (:mod:`desktop.private_files`)."""
        for folder in (self.config_dir, self.data_dir, self.log_dir, self.cache_dir):
            private_dir(folder)
        return self

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "pupitre.sqlite3"
