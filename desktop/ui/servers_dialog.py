""""Connect to my servers": the BBB server and its secret, the gateways and their tokens.

The Check button runs the same preflight as ``pupitre check`` and lists each answer with ✓, !
or ✗ and its sentence.  Saving writes the addresses to the settings file and the secrets to the
keyring; the dialog says which keyring (or that there is none and the secrets only last for this
session), from :meth:`desktop.secrets.SecretStore.backend`.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.config.settings import (
    GATEWAY_KINDS,
    JOIN_MODES,
    BBBProfile,
    GatewayConfig,
    Settings,
    bbb_secret_name,
    gateway_secret_name,
)
from desktop.errors import ConfigError
from desktop.preflight import CheckResult, Level, run_preflight
from desktop.secrets import SecretStore

logger = logging.getLogger(__name__)

PROFILE_NAME = "default"
MARKS = {Level.OK: "✓", Level.WARNING: "!", Level.ERROR: "✗"}
MARK_COLOURS = {Level.OK: "#2e7d32", Level.WARNING: "#b26a00", Level.ERROR: "#c62828"}


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #c62828;")
    label.hide()
    return label


class GatewayForm(QWidget):
    """One gateway's fields."""

    def __init__(self, name: str, parent: QWidget | None = None, config: GatewayConfig | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(name, self)
        self.kind = QComboBox(self)
        self.kind.addItems(list(GATEWAY_KINDS))
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://gateway.example.org")
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.rtmp_url = QLineEdit(self)
        self.rtmp_url.setPlaceholderText("rtmp://stream.example.org/live/webinar")
        self.hls_url = QLineEdit(self)
        self.hls_url.setPlaceholderText("https://stream.example.org/hls/webinar.m3u8")
        self.audience_page_url = QLineEdit(self)
        self.join_mode = QComboBox(self)
        self.join_mode.addItems(list(JOIN_MODES))
        self.join_page_url = QLineEdit(self)
        self.error = _error_label(self)
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("API generation"), self.kind)
        form.addRow(self.tr("Gateway address"), self.url)
        form.addRow(self.tr("Token"), self.token)
        form.addRow(self.tr("RTMP address"), self.rtmp_url)
        form.addRow(self.tr("Audience stream (HLS)"), self.hls_url)
        form.addRow(self.tr("Audience page"), self.audience_page_url)
        form.addRow(self.tr("How the gateway joins"), self.join_mode)
        form.addRow(self.tr("Join page"), self.join_page_url)
        form.addRow(self.error)
        if config is not None:
            self.name.setText(config.name)
            self.kind.setCurrentText(config.kind)
            self.url.setText(config.url)
            self.rtmp_url.setText(config.rtmp_url)
            self.hls_url.setText(config.hls_url)
            self.audience_page_url.setText(config.audience_page_url or "")
            self.join_mode.setCurrentText(config.join_mode)
            self.join_page_url.setText(config.join_page_url or "")
            self.token.setPlaceholderText(self.tr("(stored — type to replace)"))

    def config(self) -> GatewayConfig:
        config = GatewayConfig(
            name=self.name.text().strip(), kind=self.kind.currentText(), url=self.url.text().strip(),
            rtmp_url=self.rtmp_url.text().strip(), hls_url=self.hls_url.text().strip(),
            audience_page_url=self.audience_page_url.text().strip() or None,
            join_mode=self.join_mode.currentText(), join_page_url=self.join_page_url.text().strip() or None)
        config.validate()
        return config


class ServersDialog(QDialog):
    """Edit the BBB server and the gateways, check them, save them.

    Attributes:
        bbb_url, bbb_secret, algorithm: the BBB fields; gateway_tabs: one GatewayForm per gateway.
        results: the check's answers (one line each); keyring_label: where secrets go.

    Signals:
        checked(list): the CheckResult list of a finished check.
        saved: the settings were written (the console can open on them).
    """

    checked = Signal(list)
    saved = Signal()

    def __init__(self, settings: Settings, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to my servers"))
        self.settings = settings
        self.secrets = secrets
        self._check_task: asyncio.Task[list[CheckResult]] | None = None

        bbb_box = QGroupBox(self.tr("BigBlueButton server"), self)
        self.bbb_url = QLineEdit(bbb_box)
        self.bbb_url.setPlaceholderText("https://bbb.example.org/bigbluebutton/")
        self.bbb_secret = QLineEdit(bbb_box)
        self.bbb_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.algorithm = QComboBox(bbb_box)
        self.algorithm.addItems(["sha256", "sha1", "sha384", "sha512"])
        self.bbb_error = _error_label(bbb_box)
        form = QFormLayout(bbb_box)
        form.addRow(self.tr("Server address"), self.bbb_url)
        form.addRow(self.tr("Shared secret"), self.bbb_secret)
        form.addRow(self.tr("Checksum algorithm"), self.algorithm)
        form.addRow(self.bbb_error)

        gateways_box = QGroupBox(self.tr("Streaming gateways"), self)
        self.gateway_tabs = QTabWidget(gateways_box)
        add = QPushButton(self.tr("Add a gateway"), gateways_box)
        add.clicked.connect(lambda: self.add_gateway())
        remove = QPushButton(self.tr("Remove this gateway"), gateways_box)
        remove.clicked.connect(self._remove_gateway)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        gateways_layout = QVBoxLayout(gateways_box)
        gateways_layout.addWidget(self.gateway_tabs)
        gateways_layout.addLayout(row)

        self.keyring_label = QLabel(secrets.backend().describe(), self)
        self.keyring_label.setWordWrap(True)
        self.check_button = QPushButton(self.tr("Check"), self)
        self.check_button.clicked.connect(self.start_check)
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("Check results"))
        self.results.setMinimumHeight(120)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   parent=self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(bbb_box)
        layout.addWidget(gateways_box, 1)
        layout.addWidget(self.keyring_label)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.results)
        layout.addWidget(buttons)
        self._load()

    def _load(self) -> None:
        try:
            profile = self.settings.profile()
        except ConfigError:
            profile = None
        if profile is not None:
            self.bbb_url.setText(profile.url)
            self.algorithm.setCurrentText(profile.algorithm)
            self.bbb_secret.setPlaceholderText(self.tr("(stored — type to replace)"))
        for config in self.settings.gateways:
            self.add_gateway(config)
        if not self.settings.gateways:
            self.add_gateway()

    def add_gateway(self, config: GatewayConfig | None = None) -> GatewayForm:
        name = config.name if config is not None else f"gateway{self.gateway_tabs.count() + 1}"
        form = GatewayForm(name, self.gateway_tabs, config)
        self.gateway_tabs.addTab(form, name)
        form.name.textChanged.connect(
            lambda text: self.gateway_tabs.setTabText(self.gateway_tabs.indexOf(form), text or "?"))
        self.gateway_tabs.setCurrentWidget(form)
        return form

    def gateway_forms(self) -> list[GatewayForm]:
        forms = []
        for index in range(self.gateway_tabs.count()):
            widget = self.gateway_tabs.widget(index)
            if isinstance(widget, GatewayForm):
                forms.append(widget)
        return forms

    def _remove_gateway(self) -> None:
        index = self.gateway_tabs.currentIndex()
        if index >= 0:
            widget = self.gateway_tabs.widget(index)
            self.gateway_tabs.removeTab(index)
            if widget is not None:
                widget.deleteLater()

    # -- reading the form ----------------------------------------------------------------------
    def _profile(self) -> BBBProfile | None:
        self.bbb_error.hide()
        profile = BBBProfile(name=self._profile_name(), url=self.bbb_url.text().strip(),
                             algorithm=self.algorithm.currentText())
        try:
            profile.validate()
        except ConfigError as error:
            self.bbb_error.setText(error.sentence)
            self.bbb_error.show()
            return None
        return profile

    def _profile_name(self) -> str:
        try:
            return self.settings.profile().name
        except ConfigError:
            return PROFILE_NAME

    def _gateways(self) -> list[tuple[GatewayForm, GatewayConfig]] | None:
        found: list[tuple[GatewayForm, GatewayConfig]] = []
        ok = True
        for form in self.gateway_forms():
            form.error.hide()
            try:
                found.append((form, form.config()))
            except ConfigError as error:
                form.error.setText(error.sentence)
                form.error.show()
                self.gateway_tabs.setCurrentWidget(form)
                ok = False
        return found if ok else None

    def _secret(self, field: QLineEdit, name: str) -> str | None:
        typed = field.text()
        return typed if typed else self.secrets.get(name)

    # -- check ---------------------------------------------------------------------------------
    def start_check(self) -> None:
        if self._check_task is not None and not self._check_task.done():
            return
        self._check_task = asyncio.ensure_future(self.check())

    async def check(self) -> list[CheckResult]:
        profile = self._profile()
        gateways = self._gateways()
        if profile is None or gateways is None:
            return []
        self.check_button.setEnabled(False)
        self.results.clear()
        self.results.addItem(self.tr("Checking…"))
        try:
            results = await run_preflight(
                profile, self._secret(self.bbb_secret, bbb_secret_name(profile.name)),
                [(config, self._secret(form.token, gateway_secret_name(config.name))) for form, config in gateways],
                keyring=self.secrets.backend())
        finally:
            self.check_button.setEnabled(True)
        self.show_results(results)
        self.checked.emit(results)
        return results

    def show_results(self, results: list[CheckResult]) -> None:
        self.results.clear()
        for result in results:
            text = f"{MARKS[result.level]}  {result.sentence}"
            if result.hint and result.level is not Level.OK:
                text += f" — {result.hint}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, result.level.value)
            item.setForeground(QColor(MARK_COLOURS[result.level]))
            self.results.addItem(item)

    def result_lines(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]

    # -- save ------------------------------------------------------------------------------------
    def save(self) -> None:
        profile = self._profile()
        gateways = self._gateways()
        if profile is None or gateways is None:
            return
        self.settings.put_profile(profile)
        self.settings.default_profile = self.settings.default_profile or profile.name
        keep = {config.name for _form, config in gateways}
        for old in list(self.settings.gateways):
            if old.name not in keep:
                self.settings.remove_gateway(old.name)
        for _form, config in gateways:
            self.settings.put_gateway(config)
        try:
            self.settings.save()
        except ConfigError as error:
            self.bbb_error.setText(error.sentence)
            self.bbb_error.show()
            return
        places = []
        if self.bbb_secret.text():
            places.append(self.secrets.set(bbb_secret_name(profile.name), self.bbb_secret.text()))
        for form, config in gateways:
            if form.token.text():
                places.append(self.secrets.set(gateway_secret_name(config.name), form.token.text()))
        if any(not place.persistent for place in places):
            self.keyring_label.setText(self.secrets.backend().describe())
        self.saved.emit()
        self.accept()
