"""``pupitre --version``: the app, Python, Qt, libVLC and keyring backend."""

from __future__ import annotations

import platform

from desktop import __version__


def version_report() -> str:
    lines = [f"Pupitre {__version__}", f"Python {platform.python_version()} ({platform.system()})"]
    try:
        import PySide6
        from PySide6 import QtCore

        lines.append(f"Qt {QtCore.qVersion()} (PySide6 {PySide6.__version__})")
    except ImportError:
        lines.append("Qt: not installed")
    lines.append(f"libVLC {libvlc_version() or 'not found'}")
    from desktop.secrets import secret_store

    info = secret_store().backend()
    lines.append(f"Keyring: {info.name}{'' if info.persistent else ' (secrets kept for this session only)'}")
    return "\n".join(lines)


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
