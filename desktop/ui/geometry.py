"""Remembered window geometry (Picard's PreserveGeometry idea).

A window mixes in :class:`PreserveGeometry`, names itself with ``geometry_key`` and calls
:meth:`PreserveGeometry.restore_geometry` after building its layout; the geometry (and the
state of each splitter it registers) is saved when the window hides or closes.  Values live in
``ui.ini`` in the config folder, so ``--home``/PUPITRE_HOME keeps test runs apart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtGui import QCloseEvent, QGuiApplication, QHideEvent
from PySide6.QtWidgets import QSplitter, QWidget

from desktop.config.paths import AppPaths

logger = logging.getLogger(__name__)

UI_SETTINGS_FILE = "ui.ini"


def ui_settings(paths: AppPaths | None = None) -> QSettings:
    """The GUI's own small settings (geometry, splitters), an INI file in the config folder."""
    paths = paths or AppPaths.from_environment()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    return QSettings(str(paths.config_dir / UI_SETTINGS_FILE), QSettings.Format.IniFormat)


WINDOW_FRAME = QSize(16, 48)
"""Room a window manager's frame and title bar take around a window (a generous guess)."""


def first_size(wanted: QSize, available: QSize | None = None) -> QSize:
    """``wanted``, shrunk to fit the screen's available area (``available``; default: the
    primary screen's, without panels and docks) once a frame is around it: a window opened at
    1200×760 on a 1280×720 screen would otherwise run off its bottom."""
    if available is None:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return wanted
        available = screen.availableGeometry().size()
    room = available - WINDOW_FRAME
    return wanted.boundedTo(room.expandedTo(QSize(320, 240)))


class PreserveGeometry:
    """Mixin for a QWidget subclass; put it first in the bases.

    Attributes:
        geometry_key: the settings group for this window ("main_window"...).
    """

    geometry_key: str = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._splitters: dict[str, QSplitter] = {}
        self._geometry_settings: QSettings | None = None

    def _settings(self) -> QSettings:
        if self._geometry_settings is None:
            self._geometry_settings = ui_settings()
        return self._geometry_settings

    def preserve_splitter(self, name: str, splitter: QSplitter) -> None:
        self._splitters[name] = splitter

    def _key(self, what: str) -> str:
        return f"{self.geometry_key or type(self).__name__}/{what}"

    def restore_geometry(self) -> bool:
        """Restore the saved geometry and splitters; False when nothing was saved yet."""
        settings = self._settings()
        widget = self._as_widget()
        restored = False
        value = settings.value(self._key("geometry"))
        if isinstance(value, QByteArray) and not value.isEmpty():
            restored = widget.restoreGeometry(value)
        for name, splitter in self._splitters.items():
            state = settings.value(self._key(f"splitter/{name}"))
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        return restored

    def save_geometry(self) -> None:
        settings = self._settings()
        settings.setValue(self._key("geometry"), self._as_widget().saveGeometry())
        for name, splitter in self._splitters.items():
            settings.setValue(self._key(f"splitter/{name}"), splitter.saveState())
        settings.sync()

    def _as_widget(self) -> QWidget:
        assert isinstance(self, QWidget), "PreserveGeometry must be mixed into a QWidget"
        return self

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_geometry()
        super().hideEvent(event)  # type: ignore[misc]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        super().closeEvent(event)  # type: ignore[misc]
