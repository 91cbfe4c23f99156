"""The settings dialog: BBB servers, gateways, a Check button, and the preferences.

The preference tabs are built from :data:`desktop.config.settings.PREFERENCES` (Vorta's "settings
declared as data"): one widget per preference, chosen by the type of its default (bool: check
box, int: spin box, float: decimal spin box, str: line, list of ints: "10, 2").  Only the
language has a widget of its own (System / English / Français; it applies at the next start).

Nothing is written until Save: then the secrets typed in the dialog go to the keyring
(:class:`~desktop.secrets.store.SecretStore`) and everything else to settings.json, which
:meth:`Settings.save` refuses to fill with anything that looks like a secret.

The servers and gateways, and the Check button under the tabs, are the
:class:`~desktop.ui.servers_editor.ServersEditor` that "Connect to my servers" shows too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.config.settings import PREFERENCES, Preference, Settings
from desktop.errors import PupitreError
from desktop.secrets.store import SecretStore, secret_store
from desktop.ui import theme
from desktop.ui.about_dialog import AutostartCheckBox
from desktop.ui.autostart import Autostart
from desktop.ui.check_view import Preflight
from desktop.ui.labels import QT_TRANSLATE_NOOP
from desktop.ui.servers_editor import ServersEditor
from desktop.ui.settings_forms import EntriesPage

logger = logging.getLogger(__name__)

PREFERENCES_CONTEXT = "Preferences"
# The PREFERENCES labels, marked here so pyside6-lupdate collects them (the core can't import Qt);
# the tests check that this list covers every preference.
PREFERENCE_LABELS = (
    QT_TRANSLATE_NOOP("Preferences", "How often to check whether the presenter has joined (s)"),
    QT_TRANSLATE_NOOP("Preferences", "How often to check the meeting while live (s)"),
    QT_TRANSLATE_NOOP("Preferences", "Consecutive “not running” answers before the live stops"),
    QT_TRANSLATE_NOOP("Preferences", "How long to wait for the gateway and the stream (s)"),
    QT_TRANSLATE_NOOP("Preferences", "How long to wait for the gateway to stop (s)"),
    QT_TRANSLATE_NOOP("Preferences", "Name of the chat-monitoring user in the meeting"),
    QT_TRANSLATE_NOOP("Preferences", "Sender name for answers sent with sendChatMessage (empty: your name)"),
    QT_TRANSLATE_NOOP("Preferences", "Language (empty: follow the system)"),
    QT_TRANSLATE_NOOP("Preferences", "Start the preview muted"),
    QT_TRANSLATE_NOOP("Preferences", "Preview volume (0–100)"),
    QT_TRANSLATE_NOOP("Preferences", "Notify new audience questions"),
    QT_TRANSLATE_NOOP("Preferences", "Minutes before a scheduled start to notify"),
    QT_TRANSLATE_NOOP("Preferences", "Record each live (what the audience sees) into the Videos folder"),
    QT_TRANSLATE_NOOP("Preferences", "Folder of the recordings (empty: Videos/Pupitre)"),
    QT_TRANSLATE_NOOP("Preferences", "Free disk space to keep while recording (MB)"),
)


class PreferenceTab:
    PREVIEW = QT_TRANSLATE_NOOP("SettingsDialog", "Preview")
    NOTIFICATIONS = QT_TRANSLATE_NOOP("SettingsDialog", "Notifications")
    TIMING = QT_TRANSLATE_NOOP("SettingsDialog", "Polling and timeouts")
    GENERAL = QT_TRANSLATE_NOOP("SettingsDialog", "General")


def preference_tab(key: str) -> str:
    """Which tab a preference goes to (new preferences land in General)."""
    if key.startswith("preview_"):
        return PreferenceTab.PREVIEW
    if key.startswith("notify_"):
        return PreferenceTab.NOTIFICATIONS
    if key.startswith("poll_") or key.endswith("_timeout") or key == "misses_before_autostop":
        return PreferenceTab.TIMING
    return PreferenceTab.GENERAL


TAB_ORDER = (PreferenceTab.GENERAL, PreferenceTab.PREVIEW, PreferenceTab.NOTIFICATIONS, PreferenceTab.TIMING)
# (minimum, maximum) of numeric preferences; others get DEFAULT_LIMITS
LIMITS: dict[str, tuple[float, float]] = {
    "preview_volume": (0, 100),
    "misses_before_autostop": (1, 20),
    "poll_presenter_seconds": (0.2, 60),
    "poll_live_seconds": (1, 300),
    "gateway_start_timeout": (10, 900),
    "gateway_stop_timeout": (5, 600),
    "recording_min_free_mb": (100, 1_000_000),
}
DEFAULT_LIMITS = (0, 100_000)
LANGUAGES = (
    ("", QT_TRANSLATE_NOOP("SettingsDialog", "System language")),
    ("en", "English"),  # language names are written in their own language
    ("fr", "Français"),
)


def _t(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


@dataclass
class PreferenceField:
    """The widget of one preference, with a reader, a writer and an error line."""

    preference: Preference
    widget: QWidget
    read: Callable[[], Any]
    write: Callable[[Any], None]
    error: QLabel


def parse_minutes(text: str) -> list[int]:
    """ "10, 2" -> [10, 2]; raises ValueError for anything but whole minutes from 0 to 1440."""
    values: list[int] = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        value = int(part)
        if not 0 <= value <= 1440:
            raise ValueError(part)
        values.append(value)
    return values


class SettingsDialog(QDialog):
    """Edit servers, gateways and preferences; Save writes them (see the module docstring).

    Args:
        settings: the settings to edit (saved to ``settings.path``).
        store: where secrets go (the process-wide store by default).
        check: the preflight to run (tests and the lab may pass their own).
        autostart: the "Start at login" switch shown in General (tests pass one on a temporary
            folder).  It applies at once, not on Save: it is the desktop's setting, not ours.

    Attributes:
        servers: the servers and gateways editor with its Check (its ``tabs`` get the preference tabs).
        tabs, profiles, gateways, default_box: the editor's, named here for short.
        check_button, check_status, check_results: the editor's check panel's parts.
        preference_fields: key -> PreferenceField.
        autostart_box: "Start Pupitre at login" in the General tab.
        error: one sentence when saving failed.

    Signals:
        settings_saved: Save wrote the settings (and the secrets).
        check_finished(list): the preflight's CheckResults.
    """

    settings_saved = Signal()
    check_finished = Signal(list)

    def __init__(
        self,
        settings: Settings,
        *,
        store: SecretStore | None = None,
        check: Preflight | None = None,
        autostart: Autostart | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store = store or secret_store()
        self.setWindowTitle(self.tr("Settings"))

        self.servers = ServersEditor(settings, self.store, check=check, parent=self)
        self.servers.check_finished.connect(self.check_finished)
        self.tabs = self.servers.tabs
        self.profiles: EntriesPage = self.servers.profiles
        self.gateways: EntriesPage = self.servers.gateways
        self.default_box = self.servers.default_box
        check_panel = self.servers.check
        self.check_button, self.check_status, self.check_results = (
            check_panel.button, check_panel.status, check_panel.results)

        self.preference_fields: dict[str, PreferenceField] = {}
        pages: dict[str, QFormLayout] = {}
        page_widgets: dict[str, QWidget] = {}
        for tab in TAB_ORDER:
            page = QWidget(self)
            page_form = QFormLayout(page)
            page_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            pages[tab] = page_form
            page_widgets[tab] = page
        for preference in PREFERENCES:
            field = self._preference_field(preference)
            if field is None:
                continue
            self.preference_fields[preference.key] = field
            self._add_preference_row(pages[preference_tab(preference.key)], field)
        self.autostart_box = AutostartCheckBox(page_widgets[PreferenceTab.GENERAL], autostart=autostart)
        self.autostart_box.failed.connect(self._autostart_failed)
        pages[PreferenceTab.GENERAL].insertRow(0, self.autostart_box)
        for tab in TAB_ORDER:
            page_widget = page_widgets[tab]
            if pages[tab].rowCount():
                self.tabs.addTab(page_widget, _t("SettingsDialog", tab))
            else:
                page_widget.deleteLater()

        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        theme.style_with(self.error, lambda: theme.text_style(theme.Level.ERROR))
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save_and_close)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.servers, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        hint = self.sizeHint()
        # wide enough to show every tab's title without scrolling (translations are longer)
        margins = layout.contentsMargins()
        tabs_width = self.tabs.tabBar().sizeHint().width() + margins.left() + margins.right() + 8
        self.resize(min(max(760, hint.width(), tabs_width), 1200), min(max(600, hint.height()), 760))

    def _autostart_failed(self, explanation: str) -> None:
        self.error.setText(explanation)
        self.error.show()

    # -- preferences ----------------------------------------------------------------------------
    def _preference_field(self, preference: Preference) -> PreferenceField | None:
        key, default = preference.key, preference.default
        value = self.settings.preference(key)
        label = _t(PREFERENCES_CONTEXT, preference.label)
        error = QLabel(self)
        error.setWordWrap(True)
        theme.style_with(error, lambda: theme.text_style(theme.Level.ERROR))
        error.hide()
        if key == "language":
            combo = QComboBox(self)
            for code, name in LANGUAGES:
                combo.addItem(_t("SettingsDialog", name) if code == "" else name, code)
            index = combo.findData(str(value or ""))
            combo.setCurrentIndex(max(0, index))

            def write_language(v: Any) -> None:
                combo.setCurrentIndex(max(0, combo.findData(str(v or ""))))

            return PreferenceField(preference, combo, lambda: combo.currentData() or "", write_language, error)
        if isinstance(default, bool):
            check = QCheckBox(label, self)
            check.setChecked(bool(value))
            return PreferenceField(preference, check, check.isChecked, lambda v: check.setChecked(bool(v)), error)
        low, high = LIMITS.get(key, DEFAULT_LIMITS)
        if isinstance(default, int):
            spin = QSpinBox(self)
            spin.setRange(int(low), int(high))
            spin.setValue(int(value))
            return PreferenceField(preference, spin, spin.value, lambda v: spin.setValue(int(v)), error)
        if isinstance(default, float):
            double = QDoubleSpinBox(self)
            double.setDecimals(1)
            double.setSingleStep(0.5)
            double.setRange(float(low), float(high))
            double.setValue(float(value))
            return PreferenceField(preference, double, double.value, lambda v: double.setValue(float(v)), error)
        if isinstance(default, str):
            line = QLineEdit(self)
            line.setMaxLength(255)
            line.setText(str(value))
            return PreferenceField(preference, line, lambda: line.text().strip(), lambda v: line.setText(str(v)), error)
        if isinstance(default, list) and all(isinstance(v, int) for v in default):
            minutes = QLineEdit(self)
            minutes.setPlaceholderText("10, 2")
            minutes.setText(", ".join(str(v) for v in value))
            return PreferenceField(preference, minutes, lambda: parse_minutes(minutes.text()),
                                   lambda v: minutes.setText(", ".join(str(x) for x in v)), error)
        logger.warning("preference %s has a type the dialog can't edit (%s)", key, type(default).__name__)
        return None

    def _add_preference_row(self, form: QFormLayout, field: PreferenceField) -> None:
        box = QWidget(form.parentWidget())
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field.widget)
        if field.preference.key == "language":
            note = QLabel(self.tr("Takes effect the next time Pupitre starts."), box)
            note.setWordWrap(True)
            note.setEnabled(False)
            column.addWidget(note)
        column.addWidget(field.error)
        label = "" if isinstance(field.widget, QCheckBox) else _t(PREFERENCES_CONTEXT, field.preference.label)
        form.addRow(label, box)
        if label:
            row_label = form.labelForField(box)
            if isinstance(row_label, QLabel):
                row_label.setWordWrap(True)
                row_label.setBuddy(field.widget)  # a screen reader names the control by its label
            field.widget.setAccessibleName(label)

    def preference_values(self) -> dict[str, Any] | None:
        """The preferences as edited; None (errors shown) when one can't be read."""
        values: dict[str, Any] = {}
        ok = True
        for key, field in self.preference_fields.items():
            try:
                values[key] = field.read()
            except ValueError:
                field.error.setText(self.tr("Write whole minutes separated by commas, for example “10, 2”."))
                field.error.show()
                ok = False
            else:
                field.error.hide()
        return values if ok else None

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        """Validate, store the secrets in the keyring and write settings.json; False if not saved."""
        self.error.hide()
        if not self.servers.validate():
            return False
        preferences = self.preference_values()
        if preferences is None:
            return False
        try:
            self.servers.write(self.settings, preferences)
        except (PupitreError, OSError) as error:
            sentence = error.sentence if isinstance(error, PupitreError) else str(error)
            self.error.setText(self.tr("The settings could not be saved: %1").replace("%1", sentence))
            self.error.show()
            return False
        self.settings_saved.emit()
        return True

    def save_and_close(self) -> None:
        if self.save():
            self.accept()

    # -- check ----------------------------------------------------------------------------------
    def start_check(self) -> bool:
        """Start the preflight on the edited values (an asyncio task); False if it can't start."""
        return self.servers.start_check()

    def reject(self) -> None:
        self.servers.check.cancel()
        super().reject()
