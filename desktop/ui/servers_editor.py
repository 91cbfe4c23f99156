"""The one editor of BBB servers and gateways, with its Check: used by the settings dialog and by
"Connect to my servers".

Two :class:`~desktop.ui.settings_forms.EntriesPage` lists (servers, gateways) in a tab widget, a
"Use this server by default" box, and a :class:`~desktop.ui.check_view.CheckPanel` that checks the
selected server and every gateway with the values being edited (secrets typed or stored).
:meth:`ServersEditor.validate` and :meth:`ServersEditor.write` save them: the file first, the
keyring after (a refused file must not leave secrets under new names).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QTabWidget, QVBoxLayout, QWidget

from desktop.config.settings import BBBProfile, GatewayConfig, Settings
from desktop.errors import ConfigError
from desktop.secrets.store import SecretStore
from desktop.ui.check_view import CheckPanel, Preflight
from desktop.ui.settings_forms import EntriesPage, gateways_page, profiles_page


class ServersEditor(QWidget):
    """Servers and gateways being edited, and their check.

    Attributes:
        tabs: "BBB servers" and "Gateways" (the settings dialog adds its preference tabs here).
        profiles, gateways: the two list editors; default_box: "Use this server by default".
        check: the Check button and its answers.

    Signals:
        check_finished(list): the CheckResults of a finished check.
    """

    check_finished = Signal(list)

    def __init__(self, settings: Settings, store: SecretStore, *, check: Preflight | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.default_profile = settings.default_profile
        self.tabs = QTabWidget(self)
        self.profiles: EntriesPage = profiles_page(settings.profiles, store, self)
        self.gateways: EntriesPage = gateways_page(settings.gateways, store, self)
        self.default_box = QCheckBox(self.tr("Use this server by default"), self.profiles.form_widget)
        form = self.profiles.form_widget.layout()
        assert isinstance(form, QFormLayout)
        form.addRow("", self.default_box)
        self.default_box.toggled.connect(self._default_toggled)
        self.profiles.list.currentRowChanged.connect(self._update_default_box)
        self._update_default_box()
        self.tabs.addTab(self.profiles, self.tr("BBB servers"))
        self.tabs.addTab(self.gateways, self.tr("Gateways"))

        extra: dict[str, Any] = {} if check is None else {"check": check}
        self.check = CheckPanel(store.backend, parent=self, **extra)
        self.check.button.setToolTip(self.tr("Check the selected server and every gateway, with the values above"))
        self.check.requested.connect(self.start_check)
        self.check.finished.connect(self.check_finished)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.check)

    # -- default profile ------------------------------------------------------------------------
    def _update_default_box(self, *_args: object) -> None:
        entry = self.profiles.current()
        self.default_box.blockSignals(True)
        self.default_box.setChecked(entry is not None and self.default_profile is not None
                                    and self.default_profile in (entry.config.name, entry.original))
        self.default_box.blockSignals(False)

    def _default_toggled(self, on: bool) -> None:
        entry = self.profiles.current()
        if entry is None:
            return
        if on:
            self.default_profile = entry.config.name
        elif self.default_profile == entry.config.name:
            self.default_profile = None

    # -- check ----------------------------------------------------------------------------------
    def start_check(self) -> bool:
        """Check the selected (else the default) server and every gateway; False if it can't start."""
        if self.check.checking:
            return False
        entry = self.profiles.current() or next(
            (e for e in self.profiles.entries if e.config.name == self.default_profile), None)
        if entry is None:
            self.check.show_message(self.tr("Add a BBB server first."))
            return False
        errors = self.profiles.errors_of(entry)
        if errors or not self.gateways.validate_all():
            if errors:
                self.tabs.setCurrentWidget(self.profiles)
                self.profiles.show_errors(errors)
            else:
                self.tabs.setCurrentWidget(self.gateways)
            self.check.show_message(self.tr("Correct the fields marked in red, then check again."))
            return False
        profile = entry.config
        assert isinstance(profile, BBBProfile)
        gateways: list[tuple[GatewayConfig, str | None]] = []
        for gateway in self.gateways.entries:
            assert isinstance(gateway.config, GatewayConfig)
            gateways.append((gateway.config, self.gateways.secret_of(gateway)))
        return self.check.start(profile, self.profiles.secret_of(entry), gateways)

    # -- saving ---------------------------------------------------------------------------------
    def validate(self) -> bool:
        """Every entry valid, alone and together (no two with one name); the first problem is shown."""
        for page in (self.profiles, self.gateways):
            if not page.validate_all():
                self.tabs.setCurrentWidget(page)
                return False
        scratch = Settings()
        for page, put in ((self.profiles, scratch.put_profile), (self.gateways, scratch.put_gateway)):
            for config in page.configs():
                try:
                    put(config)
                except ConfigError as error:
                    self.tabs.setCurrentWidget(page)
                    page.show_config_error(config.name, error)
                    return False
        return True

    def write(self, settings: Settings, preferences: dict[str, Any] | None = None) -> None:
        """Write the (validated) entries, and ``preferences``, to ``settings`` and its file, then the
        secrets to the keyring.  Raises what :meth:`Settings.save` raises, with ``settings`` as it was."""
        names = [p.name for p in self.profiles.configs()]
        renamed = {e.original: e.config.name for e in self.profiles.entries if e.original}
        default = renamed.get(self.default_profile or "", self.default_profile)
        if default not in names:
            default = names[0] if names else None
        previous = (list(settings.profiles), list(settings.gateways), settings.default_profile,
                    dict(settings.preferences))
        settings.profiles = self.profiles.configs()
        settings.gateways = self.gateways.configs()
        settings.default_profile = default
        settings.preferences.update(preferences or {})
        try:
            settings.save()
        except BaseException:
            settings.profiles, settings.gateways, settings.default_profile, settings.preferences = previous
            raise
        # the keyring after the file: a refused file must not leave secrets under new names
        self.profiles.save_secrets()
        self.gateways.save_secrets()
        self.default_profile = default
