"""``pupitre --version``: the app, Python, Qt, libVLC and keyring backend.

:func:`version_info` gathers the facts once, as data; the CLI prints :func:`version_report` and
the GUI's About dialog shows the same :class:`VersionInfo`, so both always agree. Nothing here
imports Qt at module level: the CLI must answer ``--version`` even where Qt cannot load.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

from desktop import __version__

DISTRIBUTION = "pupitre"
"""The Python distribution's name (pyproject's ``[project] name``), for its metadata."""


@dataclass(frozen=True)
class VersionInfo:
    """What ``--version`` and the About dialog report.

    Attributes:
        app: Pupitre's version.
        python: Python's version and the OS name.
        qt: Qt's and PySide6's versions, or None without Qt.
        libvlc: libVLC's version string, or None when libVLC cannot be loaded.
        keyring: the keyring backend's readable name.
        keyring_persistent: False when secrets are kept in memory for the session only.
        homepage: the project's home page (pyproject's ``Homepage`` URL), or None if unknown.
    """

    app: str
    python: str
    qt: str | None
    libvlc: str | None
    keyring: str
    keyring_persistent: bool
    homepage: str | None

    def lines(self) -> list[str]:
        keyring_note = "" if self.keyring_persistent else " (secrets kept for this session only)"
        return [
            f"Pupitre {self.app}",
            f"Python {self.python}",
            f"Qt {self.qt}" if self.qt else "Qt: not installed",
            f"libVLC {self.libvlc or 'not found'}",
            f"Keyring: {self.keyring}{keyring_note}",
        ]


def version_info() -> VersionInfo:
    from desktop.secrets import secret_store

    backend = secret_store().backend()
    return VersionInfo(
        app=__version__,
        python=f"{platform.python_version()} ({platform.system()})",
        qt=qt_version(),
        libvlc=libvlc_version(),
        keyring=backend.name,
        keyring_persistent=backend.persistent,
        homepage=project_homepage(),
    )


def version_report() -> str:
    return "\n".join(version_info().lines())


def qt_version() -> str | None:
    try:
        import PySide6
        from PySide6 import QtCore
    except ImportError:
        return None
    return f"{QtCore.qVersion()} (PySide6 {PySide6.__version__})"


def libvlc_version() -> str | None:
    try:
        import vlc
    except (ImportError, OSError, NotImplementedError):  # no libvlc: NotImplementedError
        return None
    try:
        raw = vlc.libvlc_get_version()
    except Exception:
        return None
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def project_homepage() -> str | None:
    """The ``Homepage`` project URL from the installed distribution's metadata.

    Read from the metadata rather than repeated here so pyproject.toml stays its only source; a
    frozen bundle carries that metadata (the PyInstaller spec copies it).
    """
    try:
        urls = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return url.strip()
    return None
