"""The settings dialog: profiles and gateways with secrets in the keyring (never in settings.json),
validation next to fields, preferences built from PREFERENCES, the Check button against the lab,
and layouts that fit with pseudo-localised strings."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from desktop.chat.model import ChatLog
from desktop.config.settings import (
    PREFERENCES,
    BBBProfile,
    GatewayConfig,
    Settings,
    bbb_secret_name,
    gateway_secret_name,
)
from desktop.errors import ConfigError
from desktop.lab.runner import Lab, LabOptions
from desktop.preflight import Level
from desktop.secrets.store import SecretStore, secret_store
from desktop.ui.chat_window import ChatWindow
from desktop.ui.i18n import install_translators
from desktop.ui.settings_dialog import PREFERENCE_LABELS, SettingsDialog
from desktop.ui.settings_forms import EntriesPage
from tests.support.memory_keyring import MemoryKeyring
from tests.ui.qasync_support import qloop, run, signal  # noqa: F401 (qloop is a fixture)

SECRET = "s3cr3t-shared-0123456789abcdef"
TOKEN = "gw-token-abcdef123456"


@pytest.fixture
def settings(pupitre_home: Path) -> Settings:
    return Settings.load(pupitre_home / "settings.json")


def make_dialog(qtbot: QtBot, settings: Settings, **kwargs: Any) -> SettingsDialog:
    dialog = SettingsDialog(settings, store=secret_store(), **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def fill(page: EntriesPage, **values: Any) -> None:
    """Type into the current entry's form the way a user would (edits emit textEdited)."""
    for name, value in values.items():
        row = page.rows[name]
        if row.line is not None:
            row.line.setText(value)
            row.line.textEdited.emit(value)
        elif row.combo is not None:
            row.combo.setCurrentIndex(row.combo.findText(value))
        else:
            assert row.check is not None
            row.check.setChecked(bool(value))


def type_secret(page: EntriesPage, secret: str) -> None:
    page.secret.setText(secret)
    page.secret.textEdited.emit(secret)


def add_gateway(dialog: SettingsDialog, name: str = "gw1", **values: Any) -> None:
    dialog.gateways.add_entry()
    fields = {"name": name, "url": "https://gw.example.org", "rtmp_url": "rtmp://stream.example.org/live/w",
              "hls_url": "https://stream.example.org/hls/w.m3u8"}
    fill(dialog.gateways, **(fields | values))


def test_profiles_and_gateways_are_saved_with_secrets_in_the_keyring_only(
        qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring) -> None:
    dialog = make_dialog(qtbot, settings)
    assert "not a system keyring" in dialog.profiles.secret_where.text()  # where secrets go, said
    dialog.profiles.add_entry()
    fill(dialog.profiles, name="campus", url="https://bbb.example.org/bigbluebutton/", algorithm="sha512")
    type_secret(dialog.profiles, SECRET)
    add_gateway(dialog, join_mode="join-page", join_page_url="https://pod.example.org/join/{meeting_id}/")
    type_secret(dialog.gateways, TOKEN)

    saved: list[bool] = []
    dialog.settings_saved.connect(lambda: saved.append(True))
    assert dialog.save(), [r.error.text() for p in (dialog.profiles, dialog.gateways) for r in p.rows.values()]
    assert saved == [True]

    text = settings.path.read_text(encoding="utf-8") if settings.path else ""
    assert SECRET not in text and TOKEN not in text
    reloaded = Settings.load(settings.path) if settings.path else None
    assert reloaded is not None
    assert reloaded.profile("campus") == BBBProfile("campus", "https://bbb.example.org/bigbluebutton/", "sha512")
    assert reloaded.default_profile == "campus"
    gateway = reloaded.gateway("gw1")
    assert gateway.join_mode == "join-page" and gateway.join_page_url == "https://pod.example.org/join/{meeting_id}/"
    assert secret_store().get(bbb_secret_name("campus")) == SECRET
    assert secret_store().get(gateway_secret_name("gw1")) == TOKEN
    assert set(memory_keyring.data.values()) == {SECRET, TOKEN}
    # the typed secret leaves the dialog once stored; the field says one is stored
    assert dialog.profiles.secret.text() == ""
    dialog.profiles.select("campus")
    assert "Stored" in dialog.profiles.secret.placeholderText()


def test_renaming_moves_the_secret_and_removing_deletes_it(qtbot: QtBot, settings: Settings) -> None:
    store: SecretStore = secret_store()
    settings.put_profile(BBBProfile("old", "https://bbb.example.org"))
    settings.put_gateway(GatewayConfig("gw1", "sipmediagw", "https://gw", "rtmp://s/l/w", "https://s/w.m3u8"))
    store.set(bbb_secret_name("old"), SECRET)
    store.set(gateway_secret_name("gw1"), TOKEN)
    dialog = make_dialog(qtbot, settings)
    dialog.profiles.select("old")
    fill(dialog.profiles, name="new")
    assert dialog.profiles.list.currentItem().text() == "new"
    dialog.gateways.select("gw1")
    dialog.gateways.remove_current()
    assert dialog.save(), dialog.error.text()
    assert store.get(bbb_secret_name("new")) == SECRET
    assert store.get(bbb_secret_name("old")) is None
    assert store.get(gateway_secret_name("gw1")) is None
    assert settings.default_profile == "new" and not settings.gateways


def test_an_invalid_address_is_explained_next_to_its_field(qtbot: QtBot, settings: Settings) -> None:
    dialog = make_dialog(qtbot, settings)
    dialog.show()
    dialog.profiles.add_entry()
    fill(dialog.profiles, name="campus", url="ftp://bbb.example.org")
    row = dialog.profiles.rows["url"]
    with pytest.raises(ConfigError) as refused:
        BBBProfile("campus", "ftp://bbb.example.org").validate()
    assert row.error.isVisible() and row.error.text() == refused.value.sentence
    assert not dialog.profiles.rows["name"].error.isVisible()
    assert not dialog.save()
    assert settings.path is not None and not settings.path.exists()  # nothing written

    fill(dialog.profiles, url="https://bbb.example.org")
    assert not row.error.isVisible()
    add_gateway(dialog, rtmp_url="http://not-rtmp")
    assert not dialog.save()
    assert dialog.tabs.currentWidget() is dialog.gateways
    assert "rtmp://" in dialog.gateways.rows["rtmp_url"].error.text()
    fill(dialog.gateways, rtmp_url="rtmp://ok/live/w", join_mode="join-page")
    assert "join page" in dialog.gateways.rows["join_page_url"].error.text()
    fill(dialog.gateways, join_page_url="https://pod.example.org/join/{meeting_id}/")
    assert not dialog.gateways.rows["join_page_url"].error.isVisible()
    fill(dialog.gateways, ca_bundle="/nonexistent/ca.pem")
    assert "/nonexistent/ca.pem" in dialog.gateways.rows["ca_bundle"].error.text()
    fill(dialog.gateways, ca_bundle="")
    dialog.gateways.add_entry()
    fill(dialog.gateways, name="gw1")
    assert "already has the name" in dialog.gateways.rows["name"].error.text()


def test_insecure_shows_a_warning(qtbot: QtBot, settings: Settings) -> None:
    dialog = make_dialog(qtbot, settings)
    dialog.show()
    dialog.profiles.add_entry()
    row = dialog.profiles.rows["insecure"]
    assert not row.warning.isVisible()
    fill(dialog.profiles, insecure=True)
    assert row.warning.isVisible() and "Certificate checks are off" in row.warning.text()


def test_preferences_come_from_the_table(qtbot: QtBot, settings: Settings) -> None:
    assert {p.label for p in PREFERENCES} <= set(PREFERENCE_LABELS)  # all marked for translation
    dialog = make_dialog(qtbot, settings)
    fields = dialog.preference_fields
    assert set(fields) == {p.key for p in PREFERENCES}
    expected = {bool: QCheckBox, int: QSpinBox, float: QDoubleSpinBox, str: QLineEdit, list: QLineEdit}
    for preference in PREFERENCES:
        widget = fields[preference.key].widget
        wanted = QComboBox if preference.key == "language" else expected[type(preference.default)]
        assert isinstance(widget, wanted), preference.key
        assert fields[preference.key].read() == preference.default  # defaults shown
    tab_names = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tab_names == ["BBB servers", "Gateways", "General", "Preview", "Notifications", "Polling and timeouts"]

    volume = fields["preview_volume"].widget
    assert isinstance(volume, QSpinBox) and volume.maximum() == 100
    volume.setValue(35)
    language = fields["language"].widget
    assert isinstance(language, QComboBox)
    assert [language.itemText(i) for i in range(language.count())] == ["System language", "English", "Français"]
    language.setCurrentIndex(2)
    minutes = fields["notify_before_start_minutes"].widget
    assert isinstance(minutes, QLineEdit)
    minutes.setText("15; 5, 1")
    monitor = fields["monitor_name"].widget
    assert isinstance(monitor, QLineEdit)
    monitor.setText("Régie")
    assert dialog.save(), dialog.error.text()
    reloaded = Settings.load(settings.path) if settings.path else settings
    assert reloaded.preference("preview_volume") == 35
    assert reloaded.preference("language") == "fr"
    assert reloaded.preference("notify_before_start_minutes") == [15, 5, 1]
    assert reloaded.preference("monitor_name") == "Régie"

    minutes.setText("ten")
    assert not dialog.save()
    assert fields["notify_before_start_minutes"].error.text().startswith("Write whole minutes")


def test_a_refused_save_keeps_the_settings_as_they_were(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(path=None)  # nowhere to save: Settings.save refuses with a sentence
    dialog = make_dialog(qtbot, settings)
    dialog.profiles.add_entry()
    fill(dialog.profiles, name="campus", url="https://bbb.example.org")
    type_secret(dialog.profiles, SECRET)
    assert not dialog.save()
    assert "could not be saved" in dialog.error.text()
    assert settings.profiles == []
    assert secret_store().get(bbb_secret_name("campus")) is None  # no secret stored either


def test_check_runs_the_preflight_against_the_lab(qtbot: QtBot, settings: Settings,
                                                  qloop: qasync.QEventLoop) -> None:  # noqa: F811
    async def body() -> None:
        lab = Lab(LabOptions(fast=True, video_size=(640, 360), legacy_gateways=1, proxy_gateways=1, control=False))
        await lab.start()
        try:
            lab.write_profile(settings, secret_store())
            dialog = make_dialog(qtbot, settings)
            dialog.show()
            assert not dialog.profiles.secret.text()  # the stored secret is used, not shown
            results = (await signal(dialog.check_finished, dialog.start_check, timeout=30))[0]
            assert results, dialog.check_status.text()
            # lab-gw1 behaves as SIPMediaGW v1.7: it works, with a warning on what it does to chat text
            warned = [r for r in results if r.level is not Level.OK]
            assert [(r.name, r.subject, r.level) for r in warned] == [
                ("gateway.version", "lab-gw1", Level.WARNING)], [r.to_json() for r in results]
            lines = [dialog.check_results.item(i).text() for i in range(dialog.check_results.count())]
            assert len(lines) == len(results) >= 1 + 2 + 2 * 4 + 1
            assert [line for line in lines if not line.startswith("✓  ")] == [
                line for line in lines if "SIPMediaGW v1.7" in line], lines
            assert dialog.check_status.text() == "Everything answers, with 1 warning(s)."
            assert dialog.check_button.isEnabled()

            # an edited (unsaved) wrong secret is what gets checked
            type_secret(dialog.profiles, "wrong-secret-0123456789")
            results = (await signal(dialog.check_finished, dialog.start_check, timeout=30))[0]
            bad = [r for r in results if r.level is Level.ERROR]
            assert [r.name for r in bad] == ["bbb.secret"]
            assert any(dialog.check_results.item(i).text().startswith("✗  ")
                       for i in range(dialog.check_results.count()))
            assert "problem" in dialog.check_status.text()
        finally:
            await lab.stop()

    run(qloop, body(), timeout=60)


def test_check_refuses_invalid_fields_first(qtbot: QtBot, settings: Settings,
                                            qloop: qasync.QEventLoop) -> None:  # noqa: F811
    dialog = make_dialog(qtbot, settings)
    dialog.show()

    async def body() -> None:
        assert not dialog.start_check()
        assert dialog.check_status.text() == "Add a BBB server first."
        dialog.profiles.add_entry()
        fill(dialog.profiles, url="bbb.example.org")
        assert not dialog.start_check()
        assert dialog.profiles.rows["url"].error.isVisible()

    run(qloop, body(), timeout=10)


# -- pseudo-localisation -------------------------------------------------------------------------------------


@pytest.fixture
def pseudo(qapp: QApplication) -> Iterator[list[QTranslator]]:
    installed = install_translators(qapp, "", environ={"PUPITRE_PSEUDO_L10N": "1"})
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)


def test_pseudo_localised_layouts_fit_a_small_screen(qtbot: QtBot, settings: Settings,
                                                     pseudo: list[QTranslator]) -> None:
    settings.put_profile(BBBProfile("campus", "https://bbb.example.org"))
    dialog = make_dialog(qtbot, settings)
    assert dialog.tabs.tabText(0).startswith("⟦")  # pseudo strings really in use
    window = ChatWindow(ChatLog(), title="Town hall")
    qtbot.addWidget(window)
    assert window.view_buttons[next(iter(window.view_buttons))].text().startswith("⟦")
    for widget in (dialog, window):
        hint = widget.minimumSizeHint()
        assert hint.width() <= 1280 and hint.height() <= 800, (type(widget).__name__, hint)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 1280 and dialog.height() <= 800
    for name, row in dialog.profiles.rows.items():
        # every field is as wide as its text needs or more: nothing cut inside the form
        widget = row.line or row.combo or row.check
        assert widget is not None
        assert widget.width() >= min(widget.minimumSizeHint().width(), dialog.profiles.form_widget.width()), name


def test_secrets_never_reach_settings_json_even_in_odd_fields(qtbot: QtBot, settings: Settings) -> None:
    dialog = make_dialog(qtbot, settings)
    dialog.profiles.add_entry()
    fill(dialog.profiles, name="campus", url="https://bbb.example.org")
    type_secret(dialog.profiles, SECRET)
    assert dialog.save()
    data = json.loads(settings.path.read_text(encoding="utf-8")) if settings.path else {}
    assert SECRET not in json.dumps(data)
    assert all("secret" not in key for profile in data["profiles"] for key in profile)


def test_french_translations_of_the_chat_window_and_settings(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                                                             settings: Settings) -> None:
    lrelease = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "pyside6-lrelease"
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease not available")
    ts_file = Path(__file__).resolve().parents[2] / "resources" / "translations" / "pupitre_fr.ts"
    subprocess.run([str(lrelease), str(ts_file), "-qm", str(tmp_path / "pupitre_fr.qm")],
                   capture_output=True, text=True, timeout=60, check=True)
    installed = install_translators(qapp, "fr", directory=tmp_path, environ={})
    try:
        window = ChatWindow(ChatLog(), title="Town hall")
        qtbot.addWidget(window)
        assert [b.text() for b in window.view_buttons.values()] == [
            "Tout", "Public", "Questions", "Favoris", "Sans réponse"]
        assert window.windowTitle() == "Discussion — Town hall"
        assert window.tr("%n new message(s) ↓", "", 3) == "3 nouveaux messages ↓"
        dialog = make_dialog(qtbot, settings)
        assert dialog.tabs.tabText(0) == "Serveurs BBB"
        labels = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        assert "Interrogations et délais" in labels
        check = dialog.preference_fields["preview_muted"].widget
        assert isinstance(check, QCheckBox) and check.text() == "Démarrer l’aperçu sans le son"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
