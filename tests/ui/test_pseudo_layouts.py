"""Pseudo-localisation (PUPITRE_PSEUDO_L10N=1: every string accented and twice as long), and French,
over every view: each window's minimum size fits a 1280x800 screen, and once laid out at the
size the app gives it (and at its minimum size), no label, button, tab or group title is cut off
(tests/ui/layout_probe.py).  The console side's windows also open inside a 1280x720 screen."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSize
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.bbb.models import Meeting
from desktop.chat.model import ChatLog
from desktop.cli.version import VersionInfo
from desktop.config.settings import BBBProfile, GatewayConfig, Settings
from desktop.preflight import CheckResult, Level
from desktop.schedule.models import Frequency, Recurrence, Webinar
from desktop.schedule.occurrences import Occurrence
from desktop.secrets import secret_store
from desktop.ui.about_dialog import AboutDialog
from desktop.ui.chat_window import ChatWindow
from desktop.ui.crash import CrashReport
from desktop.ui.geometry import WINDOW_FRAME, first_size
from desktop.ui.i18n import install_translators, pseudo_localise
from desktop.ui.main_window import MainWindow, Page
from desktop.ui.recovery_dialog import RecoveryDialog
from desktop.ui.servers_dialog import ServersDialog
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.webinar_editor import WebinarEditor
from desktop.webinar.journal import JournalEntry
from desktop.webinar.recovery import Recommendation, Reconciliation
from desktop.webinar.state import (
    ChatPanel,
    ChatPanelBasis,
    Health,
    HealthRow,
    HealthView,
    LiveState,
    Step,
)
from tests.ui.builders import NOW, failed_snapshot, snapshot
from tests.ui.fakes import FakeVlc
from tests.ui.layout_probe import SCREEN, clipped_texts
from tests.ui.test_chat_window import audience, raw

PARIS = "Europe/Paris"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def french_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lrelease = shutil.which("pyside6-lrelease") or str(ROOT / ".venv" / "bin" / "pyside6-lrelease")
    if not Path(lrelease).exists():
        pytest.skip("pyside6-lrelease not available")
    folder = tmp_path_factory.mktemp("qm")
    subprocess.run([lrelease, "-silent", str(ROOT / "resources" / "translations" / "pupitre_fr.ts"),
                    "-qm", str(folder / "pupitre_fr.qm")], check=True, timeout=60)
    return folder


@pytest.fixture(autouse=True, params=["pseudo", "fr"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """Every test runs pseudo-localised, then in French (the real longer language)."""
    locale = QLocale()
    if request.param == "pseudo":
        installed = install_translators(qapp, "", environ={"PUPITRE_PSEUDO_L10N": "1"})
    else:
        installed = install_translators(qapp, "fr", directory=request.getfixturevalue("french_catalogue"),
                                        environ={})
        assert len(installed) >= 1
    yield request.param
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(locale)


@pytest.fixture
def settings(pupitre_home: Path) -> Settings:
    settings = Settings.load(pupitre_home / "settings.json")
    settings.put_profile(BBBProfile("campus", "https://bbb.example.org/bigbluebutton/"))
    settings.put_gateway(GatewayConfig(name="gw1", kind="sipmediagw-legacy", url="https://gw.example.org",
                                       rtmp_url="rtmp://stream.example.org/live/w",
                                       hls_url="https://stream.example.org/hls/w.m3u8"))
    return settings


def laid_out(qtbot: QtBot, widget: QWidget, size: QSize | None = None) -> QWidget:
    """Show ``widget`` at ``size`` (default: the size it opens at), never larger than the screen."""
    qtbot.addWidget(widget)
    hint = widget.minimumSizeHint()
    assert hint.width() <= SCREEN.width() and hint.height() <= SCREEN.height(), (type(widget).__name__, hint)
    if size == MINIMUM:
        size = hint
    if size is not None:
        widget.resize(size)
    widget.show()
    qtbot.waitExposed(widget)
    if widget.width() > SCREEN.width() or widget.height() > SCREEN.height():
        widget.resize(widget.size().boundedTo(SCREEN))
    for _ in range(3):  # labels that fit their height to their width post one more layout pass
        QApplication.processEvents()
    return widget


def assert_nothing_clipped(widget: QWidget) -> None:
    problems = clipped_texts(widget)
    assert problems == [], "\n".join(problems)


def occurrence(webinar_id: int, index: int, title: str, hours: float) -> Occurrence:
    start = datetime.fromtimestamp(NOW, UTC) + timedelta(hours=hours)
    return Occurrence(webinar_id, index, start, start + timedelta(hours=1), title=title)


def test_the_language_is_in_use(qtbot: QtBot, language: str) -> None:
    window = MainWindow(vlc_loader=FakeVlc)
    qtbot.addWidget(window)
    expected = pseudo_localise("Try it with the lab") if language == "pseudo" else "Essayer avec le labo"
    assert window.welcome_page.try_lab_button.text() == expected


MINIMUM = QSize(0, 0)  # laid_out() then shrinks the window to its minimum size


@pytest.mark.parametrize("size", [QSize(1200, 760), MINIMUM], ids=["default", "minimum"])
def test_welcome_page(qtbot: QtBot, size: QSize) -> None:
    window = MainWindow(vlc_loader=FakeVlc)
    window.show_page(Page.WELCOME)
    window.welcome_page.set_busy(True, pseudo_localise("Starting the lab…"))
    assert_nothing_clipped(laid_out(qtbot, window, size))


@pytest.mark.parametrize("size", [QSize(1200, 760), MINIMUM], ids=["default", "minimum"])
@pytest.mark.parametrize("state", [LiveState.IDLE, LiveState.WAITING_FOR_PRESENTER, LiveState.LIVE,
                                   LiveState.LIVE_STOPPED, LiveState.FAILED])
def test_console_live_panel_health_and_webinar_list(qtbot: QtBot, state: LiveState, size: QSize) -> None:
    window = MainWindow(lab=True, vlc_loader=FakeVlc)
    console = window.console_page
    window.show_page(Page.CONSOLE)
    console.lab_note.show()
    console.webinars.set_occurrences([occurrence(1, 0, "Quarterly town hall", 1),
                                      occurrence(2, 3, "Research seminar: open science", 26)])
    console.webinars.set_meetings([Meeting(meeting_name="Course from Moodle", meeting_id="moodle-42",
                                           internal_meeting_id="int-42", create_time=0,
                                           participant_count=12, running=True)])
    console.webinars.set_meetings_problem(pseudo_localise("The server did not answer."))
    steps = {step: NOW - 60 for step in Step}
    live = snapshot(state, steps=steps, live_since=NOW - 30 if state is LiveState.LIVE else None,
                    chat_panel=ChatPanel(False, ChatPanelBasis.REQUESTED))  # the longest chat label
    if state is LiveState.FAILED:
        live = failed_snapshot()
    console.panel.update_from(live)
    console.health.update_from(HealthView(
        meeting=HealthRow(Health.GOOD, "Running, 12 participants."),
        gateway=HealthRow(Health.WARNING, "The gateway is starting."),
        stream=HealthRow(Health.BAD, "The audience stream stopped advancing 20 s ago."),
        chat=HealthRow(Health.GOOD, "Connected."), participants=12))
    console.health.add_event(pseudo_localise("Live"), time.time())
    console.chat_button.setEnabled(True)
    console.preview.set_url("https://stream.example.org/hls/w.m3u8")
    console.preview.set_delay_text(pseudo_localise("delay %1").replace("%1", "≈ 4 s"))
    assert_nothing_clipped(laid_out(qtbot, window, size))


def test_webinar_editor_for_one_occurrence_of_a_weekly_series(qtbot: QtBot, settings: Settings) -> None:
    start = datetime(2027, 1, 18, 14, 0, tzinfo=UTC)
    webinar = Webinar(id=7, title="Weekly lab meeting", start=start, duration=timedelta(minutes=90),
                      timezone=PARIS, recurrence=Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({0, 3}),
                                                            count=10))
    editor = WebinarEditor(settings, PARIS, webinar=webinar,
                           occurrence=Occurrence(7, 2, start + timedelta(days=7),
                                                 start + timedelta(days=7, minutes=90), title="Weekly lab meeting"))
    assert editor.scope_box.isVisibleTo(editor)
    editor.show_problems(editor.problems())
    editor.errors["title"].setText(pseudo_localise("The title is empty."))
    editor.errors["title"].show()
    laid_out(qtbot, editor)
    for freq in range(editor.freq_combo.count()):  # every row the repeat rule can show
        editor.freq_combo.setCurrentIndex(freq)
        for end in range(editor.end_combo.count()):
            editor.end_combo.setCurrentIndex(end)
            QApplication.processEvents()
            assert_nothing_clipped(editor)


def test_servers_dialog(qtbot: QtBot, settings: Settings) -> None:
    dialog = ServersDialog(settings, secret_store())
    dialog.editor.check.show_results([
        CheckResult("bbb.reachable", "campus", Level.OK, pseudo_localise("BigBlueButton answers (version 3.0).")),
        CheckResult("gateway.reachable", "gw1", Level.WARNING, pseudo_localise("The gateway answers slowly.")),
        CheckResult("gateway.token", "gw1", Level.ERROR, pseudo_localise("The token was refused."),
                    hint=pseudo_localise("Type the token again."))])
    assert_nothing_clipped(laid_out(qtbot, dialog))


def test_recovery_dialog(qtbot: QtBot) -> None:
    entry = JournalEntry(key="7:2", webinar_id=7, occurrence=2, meeting_id="m-7", title="Weekly lab meeting",
                         profile=None, gateway="gw1", room="r1", gw_id="g1", state=LiveState.LIVE,
                         chat_panel=ChatPanel.after_start(), live_since=NOW - 600, steps={}, failure=None,
                         updated_at=NOW - 60, pid=4242)
    recs = [Reconciliation(entry, None, True, None, Recommendation.RESUME,
                           "The meeting is still running and the gateway still streams it.")]
    dialog = RecoveryDialog(recs, CrashReport(started_at=NOW - 3600, pid=4242))
    laid_out(qtbot, dialog)
    assert_nothing_clipped(dialog)
    dialog.show_result("7:2", Recommendation.STOP.value, "")
    assert_nothing_clipped(dialog)


@pytest.mark.parametrize("minimum", [False, True], ids=["default", "minimum"])
def test_chat_window(qtbot: QtBot, minimum: bool) -> None:
    log = ChatLog()
    log.ingest_many([audience(1, "Jane Doe", "Hello everyone"), raw(2, "Welcome", sender="Bob Panel"),
                     audience(3, "Ali Ben", "Can you share the slides?")])
    window = ChatWindow(log, title="Quarterly town hall")
    window.resize(460, 720)  # its first size (chat_window.py), before any geometry is remembered
    laid_out(qtbot, window, MINIMUM if minimum else None)
    assert_nothing_clipped(window)
    window.start_reply(log[1])
    window.show_error(pseudo_localise("The answer could not be sent because of an unexpected error."))
    QApplication.processEvents()
    assert_nothing_clipped(window)
    log.close()


def test_settings_dialog_every_tab(qtbot: QtBot, settings: Settings) -> None:
    dialog = SettingsDialog(settings, store=secret_store())
    laid_out(qtbot, dialog)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert_nothing_clipped(dialog)


def test_about_dialog(qtbot: QtBot) -> None:
    info = VersionInfo(app="0.1.0", python="3.11.9 (Linux)", qt="Qt 6.11.3, PySide6 6.11.3", libvlc=None,
                       keyring="Secret Service", keyring_persistent=False,
                       homepage="https://github.com/pupitre-app/pupitre")
    assert_nothing_clipped(laid_out(qtbot, AboutDialog(info=info)))


# --- a 1280×720 screen (issue 15): the console side's windows open inside it and cut nothing -----

SMALL_SCREEN = QSize(1280, 720 - 32)  # a 1280×720 screen less a panel
"""The available area of a 1280×720 screen; a window also needs its frame (WINDOW_FRAME)."""


def fits_small_screen(qtbot: QtBot, widget: QWidget, wanted: QSize) -> QWidget:
    """Open ``widget`` as the app does on a 1280×720 screen (:func:`first_size`) and check that
    its minimum size and its size, frame included, are inside the screen."""
    room = SMALL_SCREEN - WINDOW_FRAME
    hint = widget.minimumSizeHint()
    assert hint.width() <= room.width() and hint.height() <= room.height(), (type(widget).__name__, hint)
    size = first_size(wanted, SMALL_SCREEN)
    assert size.width() <= room.width() and size.height() <= room.height()
    laid_out(qtbot, widget, size)
    assert widget.height() <= room.height(), (type(widget).__name__, widget.size())
    return widget


def inside(widget: QWidget, window: QWidget) -> bool:
    """``widget`` is shown whole inside ``window`` (not pushed off its bottom or right edge)."""
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return widget.isVisible() and window.rect().contains(bottom_right)


@pytest.mark.parametrize("state", [LiveState.IDLE, LiveState.LIVE, LiveState.FAILED])
def test_console_fits_1280_by_720(qtbot: QtBot, state: LiveState) -> None:
    from desktop.ui.tray import NextWebinar

    window = MainWindow(lab=True, vlc_loader=FakeVlc)
    console = window.console_page
    window.show_page(Page.CONSOLE)
    console.lab_note.show()
    console.set_next_webinar(NextWebinar("Research seminar: open science", NOW + 3600))
    console.webinars.set_occurrences([occurrence(1, 0, "Quarterly town hall", 1)])
    console.webinars.set_meetings_problem(pseudo_localise("The server did not answer."))
    live = failed_snapshot() if state is LiveState.FAILED else snapshot(
        state, steps={step: NOW - 60 for step in Step}, live_since=NOW - 30 if state is LiveState.LIVE else None)
    console.panel.update_from(live)
    console.health.add_event(pseudo_localise("Live"), time.time())
    console.preview.use_relay = False
    console.preview.set_url("https://stream.example.org/hls/w.m3u8")
    fits_small_screen(qtbot, window, QSize(1200, 760))
    assert_nothing_clipped(window)
    # what the issue saw cut off: Refresh and the event log
    assert inside(console.webinars.refresh_button, window)
    assert inside(console.health.events, window)
    assert inside(console.chat_button, window)
    # the go-live panel scrolls up and down only: nothing of it is hidden at its right edge
    viewport = console.panel_scroll.viewport()
    for button in (console.panel.big_button, console.panel.end_button, console.panel.copy_link_button,
                   console.panel.chat_button, console.panel.step_times[Step.MEETING_CREATED]):
        assert button.mapTo(viewport, button.rect().topRight()).x() < viewport.width(), button.text()


def test_empty_console_fits_1280_by_720(qtbot: QtBot) -> None:
    window = MainWindow(vlc_loader=FakeVlc)
    window.show_page(Page.CONSOLE)
    window.console_page.webinars.set_occurrences([])
    fits_small_screen(qtbot, window, QSize(1200, 760))
    assert_nothing_clipped(window)
    assert inside(window.console_page.webinars.schedule_button, window)


def test_webinar_editor_fits_1280_by_720(qtbot: QtBot, settings: Settings) -> None:
    editor = WebinarEditor(settings, PARIS)
    fits_small_screen(qtbot, editor, QSize(560, 720))
    assert_nothing_clipped(editor)
    assert inside(editor.save_button, editor)


def test_recovery_dialog_with_many_lives_fits_1280_by_720(qtbot: QtBot) -> None:
    recs = []
    for number in range(6):
        entry = JournalEntry(key=f"7:{number}", webinar_id=7, occurrence=number, meeting_id=f"m-{number}",
                             title="Weekly lab meeting", profile=None, gateway="gw1", room="r1", gw_id="g1",
                             state=LiveState.LIVE, chat_panel=ChatPanel.after_start(), live_since=NOW - 600,
                             steps={}, failure=None, updated_at=NOW - 60, pid=4242)
        recs.append(Reconciliation(entry, None, True, None, Recommendation.RESUME,
                                   "The meeting is still running and the gateway still streams it."))
    dialog = RecoveryDialog(recs, CrashReport(started_at=NOW - 3600, pid=4242))
    fits_small_screen(qtbot, dialog, dialog.sizeHint())
    assert_nothing_clipped(dialog)
