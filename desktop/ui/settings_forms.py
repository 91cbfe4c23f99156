"""Editors for the settings dialog's two lists: BBB servers and streaming gateways.

One generic :class:`EntriesPage` (a list on the left, a form on the right) is configured with a
table of :class:`FieldSpec` per kind of entry, so the profile and gateway editors differ only in
their tables.  Validation is the core's own: a field is checked by putting the user's value into
a known-valid reference object and calling its ``validate()``; the :class:`ConfigError` sentence
is shown under that field.  This keeps the rules (and their wording) in
:mod:`desktop.config.settings` and still tells the presenter *which* field is wrong.

Secrets are typed into a password field and kept in memory until the dialog saves them to the
keyring; they never go into the entries themselves (nor into settings.json).  The field says
where secrets go (``SecretStore.backend().describe()``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.config.settings import (
    ALGORITHMS,
    GATEWAY_KINDS,
    JOIN_MODES,
    BBBProfile,
    GatewayConfig,
    bbb_secret_name,
    gateway_secret_name,
)
from desktop.errors import ConfigError
from desktop.secrets.store import SecretStore
from desktop.ui import theme
from desktop.ui.labels import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

CONTEXT = "SettingsDialog"

Config = BBBProfile | GatewayConfig


def _t(text: str) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP("SettingsDialog", ...)."""
    return QCoreApplication.translate(CONTEXT, text) if text else text


@dataclass(frozen=True)
class FieldSpec:
    """One field of an entry form.

    Attributes:
        name: the dataclass field.
        label: the form label (marked for translation).
        widget: "line", "combo", "check" or "file".
        choices: the values of a combo.
        placeholder / note: hint inside the field / sentence under it (both translated).
        optional: an empty value means None.
        warning_when_checked: for a check box, a warning shown while it is checked.
    """

    name: str
    label: str
    widget: str = "line"
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    note: str = ""
    optional: bool = False
    warning_when_checked: str = ""


INSECURE_WARNING = QT_TRANSLATE_NOOP(
    "SettingsDialog",
    "Certificate checks are off: anyone on the network path could pose as this server and read "
    "the secret. Prefer a CA bundle.")

PROFILE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", QT_TRANSLATE_NOOP("SettingsDialog", "Name"),
              placeholder=QT_TRANSLATE_NOOP("SettingsDialog", "campus")),
    FieldSpec("url", QT_TRANSLATE_NOOP("SettingsDialog", "Server address"),
              placeholder="https://bbb.example.org/bigbluebutton/"),
    FieldSpec("algorithm", QT_TRANSLATE_NOOP("SettingsDialog", "Checksum algorithm"), "combo", ALGORITHMS),
    FieldSpec("monitor_name", QT_TRANSLATE_NOOP("SettingsDialog", "Monitoring user's name"),
              note=QT_TRANSLATE_NOOP("SettingsDialog", "The name under which Pupitre joins to read the chat.")),
    FieldSpec("ca_bundle", QT_TRANSLATE_NOOP("SettingsDialog", "CA bundle (PEM)"), "file", optional=True,
              placeholder=QT_TRANSLATE_NOOP("SettingsDialog", "Only for a private certificate authority")),
    FieldSpec("insecure", QT_TRANSLATE_NOOP("SettingsDialog", "Do not verify the certificate"), "check",
              warning_when_checked=INSECURE_WARNING),
)

GATEWAY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", QT_TRANSLATE_NOOP("SettingsDialog", "Name"),
              placeholder=QT_TRANSLATE_NOOP("SettingsDialog", "gw1")),
    FieldSpec("kind", QT_TRANSLATE_NOOP("SettingsDialog", "Kind"), "combo", GATEWAY_KINDS,
              note=QT_TRANSLATE_NOOP("SettingsDialog",
                                     "sipmediagw-legacy: the API Esup-Pod uses; sipmediagw: the v1.8 proxy.")),
    FieldSpec("url", QT_TRANSLATE_NOOP("SettingsDialog", "Gateway address"), placeholder="https://gw.example.org"),
    FieldSpec("rtmp_url", QT_TRANSLATE_NOOP("SettingsDialog", "RTMP publish address"),
              placeholder="rtmp://stream.example.org/live/webinar"),
    FieldSpec("hls_url", QT_TRANSLATE_NOOP("SettingsDialog", "Audience stream (HLS)"),
              placeholder="https://stream.example.org/hls/webinar.m3u8"),
    FieldSpec("audience_page_url", QT_TRANSLATE_NOOP("SettingsDialog", "Audience page"), optional=True,
              placeholder="https://pod.example.org/live/webinar/"),
    FieldSpec("join_mode", QT_TRANSLATE_NOOP("SettingsDialog", "Join mode"), "combo", JOIN_MODES,
              note=QT_TRANSLATE_NOOP("SettingsDialog",
                                     "bbb-join: Pupitre signs a viewer join link; join-page: the gateway "
                                     "opens the page below and types its name.")),
    FieldSpec("join_page_url", QT_TRANSLATE_NOOP("SettingsDialog", "Join page"), optional=True,
              placeholder="https://pod.example.org/video_meeting/join/{meeting_id}/",
              note=QT_TRANSLATE_NOOP("SettingsDialog",
                                     "For the join-page mode. {meeting_id} is replaced by the meeting's ID.")),
    FieldSpec("browsing", QT_TRANSLATE_NOOP("SettingsDialog", "Browsing profile (v1.8)")),
    FieldSpec("ca_bundle", QT_TRANSLATE_NOOP("SettingsDialog", "CA bundle (PEM)"), "file", optional=True,
              placeholder=QT_TRANSLATE_NOOP("SettingsDialog", "Only for a private certificate authority")),
    FieldSpec("insecure", QT_TRANSLATE_NOOP("SettingsDialog", "Do not verify the certificate"), "check",
              warning_when_checked=INSECURE_WARNING),
)

PROFILE_REFERENCE = BBBProfile(name="reference", url="https://bbb.example.org/bigbluebutton/")
GATEWAY_REFERENCE = GatewayConfig(
    name="reference", kind=GATEWAY_KINDS[0], url="https://gw.example.org", rtmp_url="rtmp://stream.example.org/live/s",
    hls_url="https://stream.example.org/hls/s.m3u8")


@dataclass
class Entry:
    """One row of a list being edited.

    Attributes:
        config: the values as edited (not validated).
        original: the name it had in the saved settings (None for a new entry): a renamed
            entry's secret moves to the new name.
        secret: a secret typed in this dialog, not yet stored ("" = keep the stored one).
    """

    config: Config
    original: str | None = None
    secret: str = field(default="", repr=False)


def field_errors(config: Any, reference: Any, names: Sequence[str]) -> dict[str, str]:
    """The ConfigError sentence of each field that the core's validation refuses.

    Each field is checked alone, inside ``reference`` (a valid object), so a sentence always
    belongs to the field it is shown under.  The join page is checked with the entry's own join
    mode (the one rule that links two fields).
    """
    errors: dict[str, str] = {}
    for name in names:
        changes: dict[str, Any] = {name: getattr(config, name)}
        if name == "join_page_url":
            changes["join_mode"] = getattr(config, "join_mode", "bbb-join")
        elif name == "join_mode":
            changes["join_page_url"] = "https://join.example.org/"  # that rule is the join page's
        try:
            dataclasses.replace(reference, **changes).validate()
        except ConfigError as error:
            errors[name] = error.sentence
    ca_bundle = getattr(config, "ca_bundle", None)
    if ca_bundle and not Path(ca_bundle).is_file():
        errors["ca_bundle"] = QCoreApplication.translate("SettingsDialog", "There is no file at %1.").replace("%1", ca_bundle)
    audience = getattr(config, "audience_page_url", None)
    if audience and not audience.startswith(("http://", "https://")):
        errors["audience_page_url"] = QCoreApplication.translate("SettingsDialog", "The audience page address must start with https://.")
    return errors


class FieldRow(QWidget):
    """A field's widget with its note and its error sentence underneath."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.line: QLineEdit | None = None
        self.combo: QComboBox | None = None
        self.check: QCheckBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if spec.widget == "combo":
            self.combo = QComboBox(self)
            self.combo.addItems(list(spec.choices))
            self.combo.setAccessibleName(_t(spec.label))
            layout.addWidget(self.combo)
        elif spec.widget == "check":
            self.check = QCheckBox(_t(spec.label), self)
            layout.addWidget(self.check)
        else:
            self.line = QLineEdit(self)
            self.line.setAccessibleName(_t(spec.label))
            if spec.placeholder:
                # example addresses are not words: only marked placeholders are translated
                literal = "://" in spec.placeholder
                self.line.setPlaceholderText(spec.placeholder if literal else _t(spec.placeholder))
            if spec.widget == "file":
                browse = QPushButton(self.tr("Browse…"), self)
                browse.clicked.connect(self._browse)
                row = QHBoxLayout()
                row.addWidget(self.line, 1)
                row.addWidget(browse)
                layout.addLayout(row)
            else:
                layout.addWidget(self.line)
        self.note = QLabel(_t(spec.note) if spec.note else "", self)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(spec.note))
        self.note.setEnabled(False)
        layout.addWidget(self.note)
        self.warning = QLabel(_t(spec.warning_when_checked) if spec.warning_when_checked else "", self)
        self.warning.setWordWrap(True)
        theme.style_with(self.warning, lambda: theme.text_style(theme.Level.WARNING))
        self.warning.hide()
        layout.addWidget(self.warning)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        theme.style_with(self.error, lambda: theme.text_style(theme.Level.ERROR))
        self.error.hide()
        layout.addWidget(self.error)
        if self.check is not None and spec.warning_when_checked:
            self.check.toggled.connect(self.warning.setVisible)

    def value(self) -> Any:
        if self.combo is not None:
            return self.combo.currentText()
        if self.check is not None:
            return self.check.isChecked()
        assert self.line is not None
        text = self.line.text().strip()
        return (text or None) if self.spec.optional else text

    def set_value(self, value: Any) -> None:
        if self.combo is not None:
            index = self.combo.findText(str(value))
            if index < 0:
                self.combo.addItem(str(value))
                index = self.combo.count() - 1
            self.combo.setCurrentIndex(index)
        elif self.check is not None:
            self.check.setChecked(bool(value))
            self.warning.setVisible(bool(value) and bool(self.spec.warning_when_checked))
        else:
            assert self.line is not None
            self.line.setText("" if value is None else str(value))

    def set_error(self, sentence: str | None) -> None:
        self.error.setText(sentence or "")
        self.error.setVisible(bool(sentence))

    def connect_changed(self, slot: Callable[[], None]) -> None:
        if self.combo is not None:
            self.combo.currentIndexChanged.connect(slot)
        elif self.check is not None:
            self.check.toggled.connect(slot)
        else:
            assert self.line is not None
            self.line.textEdited.connect(slot)

    def _browse(self) -> None:
        assert self.line is not None
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a CA bundle"), self.line.text(),
                                              self.tr("Certificates (*.pem *.crt);;All files (*)"))
        if path:
            self.line.setText(path)
            self.line.textEdited.emit(path)


class EntriesPage(QWidget):
    """A list of entries (BBB servers or gateways) and the form of the selected one.

    Attributes:
        entries: what is being edited, in list order; removed: the saved names removed.
        rows: field name -> its :class:`FieldRow`; secret: the password field.
        list, add_button, remove_button: the list side.

    Signals:
        changed: an entry was added, removed or edited.
    """

    changed = Signal()

    def __init__(
        self,
        configs: Sequence[Any],
        *,
        specs: Sequence[FieldSpec],
        reference: Any,
        new_entry: Callable[[int], Any],
        secret_name: Callable[[str], str],
        secret_label: str,
        store: SecretStore,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.specs = tuple(specs)
        self.reference = reference
        self._new_entry = new_entry
        self._secret_name = secret_name
        self.store = store
        self.entries: list[Entry] = [Entry(dataclasses.replace(c), original=c.name) for c in configs]
        self.removed: list[str] = []
        self._loading = False

        self.list = QListWidget(self)
        self.list.setMinimumWidth(120)
        self.list.setAccessibleName(self.tr("Entries: choose one to edit it"))
        self.add_button = QPushButton(self.tr("Add"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(list_buttons)

        self.form_widget = QWidget(self)
        form = QFormLayout(self.form_widget)
        # labels above their fields: long (French) labels never push the fields out of sight
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rows: dict[str, FieldRow] = {}
        for spec in self.specs:
            row = FieldRow(spec, self.form_widget)
            row.connect_changed(self._edited_slot(spec.name))
            self.rows[spec.name] = row
            form.addRow("" if spec.widget == "check" else _t(spec.label), row)
        self.secret = QLineEdit(self.form_widget)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(secret_label)
        self.secret.textEdited.connect(self._secret_edited)
        self.secret_where = QLabel(store.backend().describe(), self.form_widget)
        self.secret_where.setWordWrap(True)
        self.secret_where.setEnabled(False)
        secret_box = QWidget(self.form_widget)
        secret_layout = QVBoxLayout(secret_box)
        secret_layout.setContentsMargins(0, 0, 0, 0)
        secret_layout.addWidget(self.secret)
        secret_layout.addWidget(self.secret_where)
        form.addRow(secret_label, secret_box)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(scroll, 3)

        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_current)
        self.list.currentRowChanged.connect(self._selected)
        self._refresh_list()
        if self.entries:
            self.list.setCurrentRow(0)
        self._update_enabled()

    def _edited_slot(self, name: str) -> Callable[[], None]:
        return lambda: self._field_edited(name)

    # -- list -----------------------------------------------------------------------------------
    def _refresh_list(self) -> None:
        current = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self.entries:
            self.list.addItem(entry.config.name or self.tr("(unnamed)"))
        self.list.blockSignals(False)
        if 0 <= current < len(self.entries):
            self.list.setCurrentRow(current)

    def _update_enabled(self) -> None:
        has = self.current() is not None
        self.form_widget.setEnabled(has)
        self.remove_button.setEnabled(has)

    def current(self) -> Entry | None:
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def select(self, name: str) -> bool:
        for row, entry in enumerate(self.entries):
            if entry.config.name == name:
                self.list.setCurrentRow(row)
                return True
        return False

    def add_entry(self) -> Entry:
        names = {e.config.name for e in self.entries}
        number = len(self.entries) + 1
        config = self._new_entry(number)
        while config.name in names:
            number += 1
            config = self._new_entry(number)
        entry = Entry(config)
        self.entries.append(entry)
        self._refresh_list()
        self.list.setCurrentRow(len(self.entries) - 1)
        name_line = self.rows["name"].line
        if name_line is not None:
            name_line.setFocus()
        self.changed.emit()
        return entry

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.entries):
            return
        entry = self.entries.pop(row)
        if entry.original is not None:
            self.removed.append(entry.original)
        self._refresh_list()
        self.list.setCurrentRow(min(row, len(self.entries) - 1))
        if not self.entries:
            self._selected(-1)
        self.changed.emit()

    # -- form -----------------------------------------------------------------------------------
    def _selected(self, row: int) -> None:
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self._loading = True
        try:
            for spec in self.specs:
                self.rows[spec.name].set_value(getattr(entry.config, spec.name) if entry else None)
            self.secret.setText(entry.secret if entry else "")
            self.secret.setPlaceholderText(self._secret_placeholder(entry))
        finally:
            self._loading = False
        self.show_errors(self.errors_of(entry) if entry else {})
        self._update_enabled()

    def _secret_placeholder(self, entry: Entry | None) -> str:
        if entry is not None and entry.original is not None and self.store.get(self._secret_name(entry.original)):
            return self.tr("Stored — type a new one to replace it")
        return self.tr("Not stored yet")

    def _field_edited(self, name: str) -> None:
        if self._loading:
            return
        entry = self.current()
        if entry is None:
            return
        entry.config = dataclasses.replace(entry.config, **{name: self.rows[name].value()})
        if name == "name":
            item = self.list.currentItem()
            if item is not None:
                item.setText(entry.config.name or self.tr("(unnamed)"))
        errors = self.errors_of(entry)
        self.rows[name].set_error(errors.get(name))
        if name == "join_mode" and "join_page_url" in self.rows:
            self.rows["join_page_url"].set_error(errors.get("join_page_url"))
        self.changed.emit()

    def _secret_edited(self, text: str) -> None:
        entry = self.current()
        if entry is not None and not self._loading:
            entry.secret = text

    # -- validation -----------------------------------------------------------------------------
    def errors_of(self, entry: Entry) -> dict[str, str]:
        errors = field_errors(entry.config, self.reference, [s.name for s in self.specs])
        same_name = [e for e in self.entries if e.config.name == entry.config.name]
        if len(same_name) > 1 and "name" not in errors:
            errors["name"] = self.tr("Another entry already has the name “%1”.").replace("%1", entry.config.name)
        return errors

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, row in self.rows.items():
            row.set_error(errors.get(name))

    def validate_all(self) -> bool:
        """Check every entry; select the first invalid one and show its errors."""
        for row, entry in enumerate(self.entries):
            errors = self.errors_of(entry)
            if errors:
                self.list.setCurrentRow(row)
                self.show_errors(errors)
                return False
        return True

    def show_config_error(self, name: str, error: ConfigError) -> None:
        """Show a sentence of the core next to the field it concerns (or the name's)."""
        self.select(name)
        entry = self.current()
        errors = self.errors_of(entry) if entry is not None else {}
        self.show_errors(errors or {"name": error.sentence})

    # -- secrets --------------------------------------------------------------------------------
    def secret_of(self, entry: Entry) -> str | None:
        """The secret to use now: typed in the dialog, else stored under the saved name."""
        if entry.secret:
            return entry.secret
        if entry.original is not None:
            return self.store.get(self._secret_name(entry.original))
        return None

    def save_secrets(self) -> None:
        """Store typed secrets, move renamed ones, delete removed ones (keyring only)."""
        for name in self.removed:
            if not any(e.config.name == name for e in self.entries):
                self.store.delete(self._secret_name(name))
        for entry in self.entries:
            name = entry.config.name
            if entry.secret:
                self.store.set(self._secret_name(name), entry.secret)
            elif entry.original is not None and entry.original != name:
                old = self.store.get(self._secret_name(entry.original))
                if old:
                    self.store.set(self._secret_name(name), old)
                self.store.delete(self._secret_name(entry.original))
        for entry in self.entries:
            entry.original = entry.config.name
            entry.secret = ""
        self.removed.clear()
        self._selected(self.list.currentRow())  # the secret field now says "stored"

    def configs(self) -> list[Any]:
        return [dataclasses.replace(e.config) for e in self.entries]


def profiles_page(profiles: Sequence[BBBProfile], store: SecretStore, parent: QWidget | None = None
                  ) -> EntriesPage:
    return EntriesPage(
        profiles, specs=PROFILE_FIELDS, reference=PROFILE_REFERENCE,
        new_entry=lambda n: BBBProfile(name=f"server{n}", url="https://"),
        secret_name=bbb_secret_name, secret_label=QCoreApplication.translate("SettingsDialog", "Shared secret"), store=store, parent=parent)


def gateways_page(gateways: Sequence[GatewayConfig], store: SecretStore, parent: QWidget | None = None
                  ) -> EntriesPage:
    return EntriesPage(
        gateways, specs=GATEWAY_FIELDS, reference=GATEWAY_REFERENCE,
        new_entry=lambda n: GatewayConfig(name=f"gw{n}", kind=GATEWAY_KINDS[0], url="https://",
                                          rtmp_url="rtmp://", hls_url="https://"),
        secret_name=gateway_secret_name, secret_label=QCoreApplication.translate("SettingsDialog", "Token"), store=store, parent=parent)
