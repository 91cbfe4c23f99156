"""Where the GUI finds its icons and compiled translations, and how it loads icons.

Icons are SVG files in the repository's ``resources/icons`` (one source for the app, the
``.desktop`` file and packages), so they are crisp at any scale (1x, 1.5x, 2x: QtSvg renders
them at the pixel size asked; ``tests/ui/test_icons_hidpi.py`` checks it).  A packaged build
copies that folder next to the code; if an icon is missing anyway, :func:`load_icon` falls back
on the theme's drawn icon for a level (a coloured shape, also drawn at any size) so the tray
still tells the states apart instead of showing an empty square.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from desktop.ui.theme import Level, state_icon

logger = logging.getLogger(__name__)

_UI_DIR = Path(__file__).resolve().parent
_CANDIDATES = (
    _UI_DIR.parent.parent / "resources",  # a source checkout / editable install
    _UI_DIR / "resources",  # a frozen or packaged build that copies resources next to the code
)

TRANSLATIONS_DIR = _UI_DIR / "translations"
"""Compiled ``.qm`` files (``make translations``); git-ignored, built at set-up time."""

APP_ICON_NAME = "pupitre"


def resources_dir() -> Path | None:
    for candidate in _CANDIDATES:
        if (candidate / "icons").is_dir():
            return candidate
    return None


def icon_path(name: str) -> Path | None:
    root = resources_dir()
    if root is None:
        return None
    path = root / "icons" / f"{name}.svg"
    return path if path.is_file() else None


@cache
def load_icon(name: str, fallback: Level | str = Level.UNKNOWN) -> QIcon:
    """The SVG icon ``name`` (QtSvg renders it at any size), or ``fallback``'s drawn icon.

    A ``str`` fallback is the old hex colour some callers still pass (tray.py): it is ignored
    and the UNKNOWN shape is drawn; pass the :class:`~desktop.ui.theme.Level` instead.
    """
    path = icon_path(name)
    if path is not None:
        icon = QIcon(str(path))
        if not icon.isNull():
            return icon
    logger.warning("icon %s not found; drawing a plain one", name)
    return state_icon(fallback if isinstance(fallback, Level) else Level.UNKNOWN)


def app_icon() -> QIcon:
    return load_icon(APP_ICON_NAME, Level.WORKING)
