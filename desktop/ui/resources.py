"""Where the GUI finds its icons and compiled translations, and how it loads icons.

Icons are SVG files in the repository's ``resources/icons`` (one source for the app, the
``.desktop`` file and packages).  A packaged build copies that folder next to the code; if an
icon is missing anyway, :func:`state_icon` draws a plain coloured disc so the tray still tells
the states apart instead of showing an empty square.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

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


def _drawn_icon(colour: str) -> QIcon:
    icon = QIcon()
    for side in (16, 22, 24, 32, 48):
        pixmap = QPixmap(QSize(side, side))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#202020"))
        painter.setBrush(QColor(colour))
        painter.drawEllipse(1, 1, side - 2, side - 2)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@cache
def load_icon(name: str, fallback_colour: str = "#7a7f87") -> QIcon:
    """The SVG icon ``name`` (QtSvg renders it at any size), or a drawn disc if it is missing."""
    path = icon_path(name)
    if path is not None:
        icon = QIcon(str(path))
        if not icon.isNull():
            return icon
    logger.warning("icon %s not found; drawing a plain one", name)
    return _drawn_icon(fallback_colour)


def app_icon() -> QIcon:
    return load_icon(APP_ICON_NAME, "#1f4e79")
