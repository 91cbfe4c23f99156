"""Per-platform settings the app applies once at start, before any window exists.

Windows groups taskbar buttons, pins and toast notifications by an *AppUserModelID*. A Python
program otherwise gets python.exe's (or the bundle's executable's) implicit id, so Windows shows
notifications as coming from "Python" and does not match them to the Start-menu shortcut. The id
must be set before the first window is created; it is the app id used everywhere else
(:data:`desktop.APP_ID`). The installer's Start-menu shortcut must carry the same id
(README, "Install" → Windows).

Linux needs nothing here: ``QGuiApplication.setDesktopFileName(APP_ID)`` (app.py) ties windows
and notifications to the ``.desktop`` file. macOS takes its identity from the bundle's
``CFBundleIdentifier`` (the PyInstaller spec sets it).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from desktop import APP_ID

logger = logging.getLogger(__name__)


def set_windows_app_user_model_id(
    app_id: str = APP_ID, *, platform: str = sys.platform, shell32: Any = None
) -> bool:
    """Set this process's AppUserModelID on Windows; True if it was set.

    ``shell32`` is ``ctypes.windll.shell32`` by default (a stand-in in tests).
    """
    if platform != "win32":
        return False
    if shell32 is None:
        import ctypes

        shell32 = ctypes.windll.shell32  # type: ignore[attr-defined,unused-ignore]
    try:
        result = shell32.SetCurrentProcessExplicitAppUserModelID(app_id)
    except (AttributeError, OSError) as exc:  # very old Windows, or a restricted shell
        logger.warning("could not set the Windows app id: %s", exc)
        return False
    if result != 0:  # an HRESULT: 0 is S_OK
        logger.warning("could not set the Windows app id (HRESULT %#x)", result & 0xFFFFFFFF)
        return False
    return True


def integrate_with_platform() -> None:
    """Everything the platform needs before the QApplication exists (called by app.run)."""
    set_windows_app_user_model_id()
