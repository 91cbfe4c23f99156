"""The console page: the webinar list on the left; the go-live panel, the preview and the
health view of the selected webinar on the right.

:meth:`ConsolePage.bind` connects it to the :class:`~desktop.ui.controller.WebinarController`:
list selections and panel intents go to the controller, the controller's snapshots come back
and are rendered.  The preview follows the state: it opens the gateway's audience stream once a
gateway is starting, is told to try at once when the health says the stream is live, shows the
measured delay, and stops when the stream stops.

Above them, one line: the lab note (only in the lab), the next scheduled webinar with its
countdown, Settings and About.  The go-live panel scrolls when the window is short (a 1280×720
screen in French), so the buttons below it, the preview and the event log stay on screen.
Screen readers hear the live start and stop (:mod:`desktop.ui.announce`), from the controller's
typed events.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from itertools import pairwise
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.bbb.models import Meeting
from desktop.errors import PupitreError
from desktop.schedule.localtime import system_timezone
from desktop.ui import announce, shortcuts, theme
from desktop.ui.controller import WebinarController
from desktop.ui.health_view import HealthView
from desktop.ui.live_panel import LivePanel, Tone, format_elapsed
from desktop.ui.live_style import shows_preview, state_label, stream_plays
from desktop.ui.notifications import NotificationKind
from desktop.ui.preview import PreviewWidget, load_vlc
from desktop.ui.recording_switch import RecordingSwitch
from desktop.ui.tray import NextWebinar
from desktop.ui.webinar_list import WebinarList
from desktop.webinar.events import (
    HealthChanged,
    LiveEvent,
    LiveFailed,
    LiveStopped,
    Notice,
    StateChanged,
    WentLive,
)
from desktop.webinar.session_key import SessionKey, occurrence_key
from desktop.webinar.state import Health, Intent, LiveSnapshot, LiveState

if TYPE_CHECKING:  # the dialogs are loaded when first opened, not on the start path (issue 13)
    from desktop.ui.about_dialog import AboutDialog
    from desktop.ui.settings_dialog import SettingsDialog
    from desktop.ui.webinar_editor import WebinarEditor

logger = logging.getLogger(__name__)

MAX_EVENTS_PER_WEBINAR = 200


def ask_remove_webinar(parent: QWidget, title: str, repeats: bool) -> bool:
    """The default confirmation before removing a webinar (tests inject their own answer)."""
    if repeats:
        text = QCoreApplication.translate(
            "ConsolePage", "“%1” repeats: every occurrence of the series will be removed from the schedule.")
    else:
        text = QCoreApplication.translate("ConsolePage", "“%1” will be removed from the schedule.")
    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("ConsolePage", "Remove the webinar?"),
                      text.replace("%1", title), QMessageBox.StandardButton.Cancel, parent)
    remove = box.addButton(QCoreApplication.translate("ConsolePage", "Remove"),
                           QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is remove


def ask_stop_live(parent: QWidget, title: str) -> bool:
    """The default confirmation before the audience stream stops (tests inject their own answer)."""
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("ConsolePage", "Stop the live?"),
                      QCoreApplication.translate(
                          "ConsolePage", "The audience of “%1” stops seeing you. The meeting goes on: you can "
                          "start the live again.").replace("%1", title),
                      QMessageBox.StandardButton.Cancel, parent)
    stop = box.addButton(QCoreApplication.translate("ConsolePage", "Stop live"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is stop


def countdown_text(next_webinar: NextWebinar, now: float) -> str:
    """"Next: Title — in 0:12:34", or "started 0:02:00 ago" once its start has passed."""
    seconds = next_webinar.start - now
    if seconds >= 0:
        when = QCoreApplication.translate("ConsolePage", "in %1").replace("%1", format_elapsed(seconds))
    else:
        when = QCoreApplication.translate("ConsolePage", "started %1 ago").replace("%1", format_elapsed(-seconds))
    return QCoreApplication.translate("ConsolePage", "Next: %1 — %2").replace("%1", next_webinar.title).replace(
        "%2", when)


def delay_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"≈ {max(0.0, seconds):.0f} s"


class PanelScroll(QScrollArea):
    """Scrolls the go-live panel up and down only: as wide as the panel needs (its buttons
    reflow into columns before that), as short as a 720-pixel screen needs."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        width = inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the panel's minimum width changes with its texts: the layouts above must ask again
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


class ConsolePage(QWidget):
    """The main working page.

    Attributes:
        webinars: the WebinarList; panel: the LivePanel; preview: the PreviewWidget;
        health: the HealthView; selected_key: the session key shown on the right.
        lab_note: the one lab banner; next_label: the next webinar and its countdown.
        editor: the webinar editor dialog while open.
        confirm_remove: asked before a webinar is removed, with its title and whether it repeats.
        confirm_stop: asked before the live stops (button and shortcut alike), with its title.
        shortcut_actions: the console's keyboard shortcuts by id (desktop/ui/shortcuts.py), enabled
            from the selected webinar's snapshot.

    Signals:
        editor_opened(object): a WebinarEditor was opened (tests and screenshots fill it).
        settings_dialog_opened(object): the SettingsDialog was opened.
        about_dialog_opened(object): the AboutDialog was opened.
    """

    editor_opened = Signal(object)
    settings_dialog_opened = Signal(object)
    about_dialog_opened = Signal(object)

    def __init__(self, parent: QWidget | None = None, *,
                 vlc_loader: Callable[[], ModuleType] = load_vlc,
                 confirm_remove: Callable[[QWidget, str, bool], bool] = ask_remove_webinar,
                 confirm_stop: Callable[[QWidget, str], bool] = ask_stop_live,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._clock = clock
        self.confirm_stop = confirm_stop
        self._next: NextWebinar | None = None
        self.confirm_remove = confirm_remove
        self.controller: WebinarController | None = None
        self.selected_key: str | None = None
        self.editor: WebinarEditor | None = None
        self._events: dict[str, list[tuple[float, str]]] = {}
        self._states: dict[str, LiveState] = {}  # the state of each session seen, for the list

        self.webinars = WebinarList(self)
        self.panel = LivePanel(self)
        self.preview = PreviewWidget(self, vlc_loader=vlc_loader)
        self.health = HealthView(self)
        self.lab_note = QLabel(self)
        self.lab_note.setObjectName("labNote")
        self.lab_note.setWordWrap(True)
        theme.style_with(self.lab_note, lambda: theme.banner_style(theme.Level.WARNING))
        # the one lab banner (the controller no longer sends a notification saying the same)
        self.lab_note.setText(self.tr("Lab: a BigBlueButton server and streaming gateways run on this computer; "
                                      "nothing is saved to your settings or keyring, and everything goes away "
                                      "when you quit."))
        self.lab_note.hide()
        self.next_label = QLabel(self)
        self.next_label.setObjectName("nextWebinar")
        self.next_label.setTextFormat(Qt.TextFormat.PlainText)
        self.next_label.setWordWrap(True)
        theme.emphasise(self.next_label)
        self.next_label.hide()
        self._countdown = QTimer(self)
        self._countdown.setObjectName("countdownTimer")
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._render_next)
        self.settings_button = QPushButton(self.tr("Settings…"), self)
        self.settings_button.setObjectName("settingsButton")
        self.about_button = QPushButton(self.tr("About"), self)
        self.about_button.setObjectName("aboutButton")
        self.about_button.setToolTip(self.tr("Versions, home page, and the lines to copy into a problem report"))
        self.about_button.clicked.connect(lambda: self.open_about())
        self.chat_button = QPushButton(self.tr("Open the audience chat"), self)
        self.chat_button.setObjectName("openChatButton")
        self.chat_button.setEnabled(False)
        self.recording = RecordingSwitch(self)
        self.chat_button.setAccessibleDescription(self.tr("Opens the chat window of the selected webinar"))

        # the panel scrolls on a short screen rather than pushing the rest off it
        self.panel_scroll = PanelScroll(self)
        self.panel_scroll.setObjectName("livePanelScroll")
        self.panel_scroll.setWidget(self.panel)
        self.panel_scroll.setWidgetResizable(True)
        self.panel_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.panel_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.panel_scroll.setMinimumHeight(160)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.panel_scroll, 1)
        left_layout.addWidget(self.chat_button)
        left_layout.addWidget(self.recording)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(left)
        top.addWidget(self.preview)
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 3)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(top)
        right.addWidget(self.health)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([460, 300])
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.webinars)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([340, 1060])  # until the user's own sizes are restored
        header = QHBoxLayout()
        header.addWidget(self.lab_note, 2)
        header.addWidget(self.next_label, 1)
        header.addWidget(self.settings_button)
        header.addWidget(self.about_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)

        self._delay_timer = QTimer(self)
        self._delay_timer.setObjectName("delayTimer")
        self._delay_timer.setInterval(1000)
        self._delay_timer.timeout.connect(self._render_delay)
        self.panel.stop_live_requested.connect(self.ask_then_stop)  # button and shortcut ask first
        self._set_tab_order()
        self._install_shortcuts()

    # -- keyboard -------------------------------------------------------------------------------
    def focus_order(self) -> list[QWidget]:
        """The console's controls in the order Tab visits them: the header, the schedule, the
        live's buttons, the chat, the preview, the event log (reading order, top-left first)."""
        panel, preview, webinars = self.panel, self.preview, self.webinars
        return [self.settings_button, self.about_button, *webinars.focus_order(), panel.big_button,
                panel.end_button, panel.reopen_join_button, panel.copy_link_button, panel.restart_button,
                panel.chat_button, self.chat_button, preview.mute_button, preview.volume_slider,
                preview.back_to_live_button, self.health.events]

    def _set_tab_order(self) -> None:
        self.panel_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus scrolls it to the control
        order = self.focus_order()
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _install_shortcuts(self) -> None:
        """The console's shortcuts go through the same slots as its buttons (Stop asks first)."""
        def click(button: QAbstractButton) -> Callable[[], None]:
            return lambda: button.click() if button.isEnabled() and button.isVisibleTo(self) else None

        preview = self.preview
        self.shortcut_actions = shortcuts.install(self, shortcuts.Scope.CONSOLE, {
            "go_live": self.panel.request_go_live,
            "stop_live": self.panel.request_stop_live,
            "open_chat": click(self.chat_button),
            "mute_preview": click(preview.mute_button),
            "back_to_live": click(preview.back_to_live_button),
            "refresh": click(self.webinars.refresh_button),
            "new_webinar": click(self.webinars.new_button),
            "settings": click(self.settings_button),
        })
        # the buttons tell their keys (tooltips; screen readers read the shortcut from the action)
        for shortcut_id, button in (("open_chat", self.chat_button), ("back_to_live", preview.back_to_live_button),
                                    ("mute_preview", preview.mute_button)):
            keys = shortcuts.shortcut(shortcut_id).native_keys()
            tip = button.toolTip()
            button.setToolTip(f"{tip} ({keys})" if tip else keys)
        self._render_shortcuts()

    def _render_shortcuts(self) -> None:
        snapshot = self.panel.snapshot
        allowed = snapshot.allowed if snapshot is not None else frozenset()
        self.shortcut_actions["go_live"].setEnabled(self.panel.offers(Tone.GO) or self.panel.offers(Tone.RESUME))
        self.shortcut_actions["stop_live"].setEnabled(Intent.STOP_LIVE in allowed)
        self.shortcut_actions["open_chat"].setEnabled(self.chat_button.isEnabled())
        stream = self.preview.has_stream()
        self.shortcut_actions["mute_preview"].setEnabled(stream)
        self.shortcut_actions["back_to_live"].setEnabled(stream)

    def ask_then_stop(self, key: str) -> None:
        """Stop live, from the big button, its shortcut or the tray: only once the presenter confirms."""
        controller = self.controller
        snapshot = controller.snapshot_for(key) if controller is not None else None
        if controller is None or snapshot is None:
            return
        if self.confirm_stop(self, snapshot.title):
            controller.stop_live(key)

    # -- wiring ---------------------------------------------------------------------------------
    def bind(self, controller: WebinarController) -> None:
        self.controller = controller
        controller.schedule_changed.connect(self.refresh_schedule)
        controller.snapshot_changed.connect(self._snapshot_changed)
        controller.live_events.connect(self._live_events)
        controller.running_meetings_changed.connect(self.webinars.set_meetings)
        controller.running_meetings_failed.connect(self.webinars.set_meetings_problem)
        controller.workspace_opened.connect(self._workspace_opened)
        controller.next_webinar_changed.connect(self.set_next_webinar)
        self.webinars.occurrence_selected.connect(self.select)
        self.webinars.meeting_selected.connect(self._meeting_selected)
        self.webinars.new_requested.connect(lambda: self.open_editor())
        self.webinars.edit_requested.connect(lambda key: self.open_editor(key))
        self.webinars.remove_requested.connect(self.remove_webinar)
        self.webinars.refresh_requested.connect(controller.refresh_meetings)
        panel = self.panel
        panel.go_live_requested.connect(controller.go_live)
        panel.cancel_requested.connect(controller.cancel)
        panel.restart_live_requested.connect(controller.restart_live)
        panel.end_requested.connect(controller.end_webinar)
        panel.toggle_chat_requested.connect(controller.toggle_chat)
        panel.reopen_join_requested.connect(controller.reopen_join)
        panel.copy_audience_link_requested.connect(controller.copy_audience_link)
        self.chat_button.clicked.connect(
            lambda: controller.request_chat(self.selected_key) if self.selected_key else None)
        controller.chats.chat_started.connect(lambda _key: self._render_chat_button())
        self.settings_button.clicked.connect(lambda: self.open_settings())

    def _workspace_opened(self, lab: bool) -> None:
        self.lab_note.setVisible(lab)
        self.refresh_schedule()
        assert self.controller is not None
        self.recording.bind(self.controller.manager.recordings if self.controller.manager is not None else None)
        self.apply_preview_preferences()
        self.controller.refresh_meetings()

    def apply_preview_preferences(self) -> None:
        """The preview starts muted or not, at the volume the settings say."""
        settings = self.controller.settings if self.controller is not None else None
        if settings is None:
            return
        self.preview.set_muted(bool(settings.preference("preview_muted")))
        try:
            volume = int(settings.preference("preview_volume"))
        except (TypeError, ValueError):
            return
        self.preview.set_volume(max(0, min(100, volume)))

    # -- the next webinar -----------------------------------------------------------------------
    def set_next_webinar(self, next_webinar: object) -> None:
        """Show the next scheduled webinar and count down to it (hidden when there is none)."""
        self._next = next_webinar if isinstance(next_webinar, NextWebinar) else None
        if self._next is None:
            self._countdown.stop()
        elif not self._countdown.isActive():
            self._countdown.start()
        self._render_next()

    def _render_next(self) -> None:
        self.next_label.setVisible(self._next is not None)
        self.next_label.setText(countdown_text(self._next, self._clock()) if self._next is not None else "")

    # -- schedule -------------------------------------------------------------------------------
    def refresh_schedule(self) -> None:
        if self.controller is None:
            return
        self.webinars.set_occurrences(self.controller.upcoming())
        for key, state in self._states.items():
            self.webinars.set_state(key, state_label(state))
        if self.selected_key is None:
            keys = self.webinars.entry_keys()
            if keys:
                self.webinars.select(keys[0])
        elif self.selected_key not in self._states:
            self._render_selected()  # the title may have changed

    def select(self, key: str) -> None:
        if key == self.selected_key:
            return
        self.selected_key = key
        if self.webinars.selected_key() != key:
            self.webinars.select(key)
        self.preview.stop()
        self.health.events.clear()
        for at, text in reversed(self._events.get(key, [])):
            self.health.add_event(text, at)
        self._render_selected()

    def _meeting_selected(self, meeting: Meeting) -> None:
        if self.controller is None:
            return
        try:
            key = self.controller.adopt(meeting)
        except PupitreError as error:
            self.webinars.set_meetings_problem(error.sentence)
            return
        self.select(key)

    # -- rendering ------------------------------------------------------------------------------
    def _snapshot_changed(self, key: str, snapshot: LiveSnapshot) -> None:
        self._states[key] = snapshot.state
        self.webinars.set_state(key, state_label(snapshot.state))
        if key == self.selected_key:
            self._render(snapshot)

    def _live_events(self, key: str, events: tuple[LiveEvent, ...]) -> None:
        """Log what happened, and tell the preview when the stream is (again) live."""
        lines: list[str] = []
        for event in events:
            if isinstance(event, StateChanged):
                lines.append(state_label(event.state))
            elif isinstance(event, LiveFailed):
                lines.append(event.failure.sentence)
            elif isinstance(event, Notice):
                lines.append(event.text)
            elif isinstance(event, HealthChanged) and event.row_name == "stream" and event.level_changed \
                    and event.row.level in (Health.BAD, Health.GOOD):
                lines.append(event.row.text)
        self._log(key, lines)
        self._announce(key, events)
        if key == self.selected_key and any(self._stream_back(event) for event in events):
            self.preview.stream_is_live()

    def _announce(self, key: str, events: tuple[LiveEvent, ...]) -> None:
        """Screen readers hear that a live started or stopped (whichever webinar it is)."""
        snapshot = self.controller.snapshot_for(key) if self.controller is not None else None
        title = snapshot.title if snapshot is not None else ""
        for event in events:
            if isinstance(event, WentLive):
                announce.announce_live_started(self.panel, title)
            elif isinstance(event, LiveStopped):
                announce.announce_live_stopped(self.panel, title)

    def _stream_back(self, event: LiveEvent) -> bool:
        """The audience stream went live, or came back to good health while live."""
        if isinstance(event, WentLive):
            return True
        snapshot = self.panel.snapshot
        return (isinstance(event, HealthChanged) and event.row_name == "stream" and event.level_changed
                and snapshot is not None and stream_plays(snapshot))

    def _log(self, key: str, lines: list[str]) -> None:
        events = self._events.setdefault(key, [])
        now = time.time()
        for line in lines:
            events.append((now, line))
            if key == self.selected_key:
                self.health.add_event(line, now)
        del events[:-MAX_EVENTS_PER_WEBINAR]

    def _render_selected(self) -> None:
        if self.controller is None or self.selected_key is None:
            self.panel.update_from(None)
            return
        snapshot = self.controller.snapshot_for(self.selected_key)
        self._render(snapshot)
        if snapshot is not None and stream_plays(snapshot):
            self.preview.stream_is_live()  # a live webinar just selected: its stream plays at once

    def _render_chat_button(self) -> None:
        key = self.selected_key
        self.chat_button.setEnabled(
            self.controller is not None and key is not None and self.controller.chats.log_for(key) is not None)
        if hasattr(self, "shortcut_actions"):
            self.shortcut_actions["open_chat"].setEnabled(self.chat_button.isEnabled())

    def _render(self, snapshot: LiveSnapshot | None) -> None:
        self.panel.update_from(snapshot)
        self.recording.show_key(None if snapshot is None else snapshot.key)
        self._render_chat_button()
        if snapshot is None:
            self.preview.stop()
        else:
            self.health.update_from(snapshot.health)
            self._drive_preview(snapshot)
        self._render_shortcuts()

    def _drive_preview(self, snapshot: LiveSnapshot) -> None:
        assert self.controller is not None
        url = self.controller.hls_url_for(snapshot) if shows_preview(snapshot) else None
        if url is None:
            if self.preview.url is not None:
                self.preview.stop()
            self._delay_timer.stop()
            self.preview.set_delay_text("")
            return
        if self.preview.url != url:
            self.preview.set_url(url, self.controller.hls_options_for(snapshot))
        if not self._delay_timer.isActive():
            self._delay_timer.start()

    def _render_delay(self) -> None:
        if self.controller is None or self.selected_key is None:
            return
        seconds = self.controller.delay_seconds(self.selected_key)
        text = delay_text(seconds)
        self.preview.set_delay_text(self.tr("delay %1").replace("%1", text) if text else "")

    # -- about ----------------------------------------------------------------------------------
    def open_about(self) -> AboutDialog:
        """The About dialog (also reachable from the tray menu), not blocking the loop."""
        from desktop.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.about_dialog_opened.emit(dialog)
        return dialog

    # -- settings -------------------------------------------------------------------------------
    def open_settings(self) -> SettingsDialog | None:
        """The settings dialog on the current workspace (the lab's stays in its temporary folder)."""
        controller = self.controller
        if controller is None or controller.settings is None:
            return None
        from desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(controller.settings, store=controller.secrets, parent=self)
        dialog.settings_saved.connect(controller.apply_saved_settings)
        dialog.settings_saved.connect(self.apply_preview_preferences)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.settings_dialog_opened.emit(dialog)
        return dialog

    # -- removing -------------------------------------------------------------------------------
    def remove_webinar(self, key: str) -> bool:
        """Remove the webinar of occurrence ``key`` after confirmation; True when removed.

        A webinar with an occurrence on its way to live, live, or with its meeting still open is
        not removed: the presenter is told to end it first.
        """
        controller = self.controller
        parsed = SessionKey.parse_or_none(key)
        if controller is None or controller.manager is None or parsed is None or parsed.webinar_id is None:
            return False  # an adopted meeting is not in the schedule
        try:
            webinar = controller.schedule.get(parsed.webinar_id)
        except PupitreError as error:
            logger.info("cannot remove %s: %s", key, error)
            return False
        if controller.webinar_is_engaged(webinar.id):
            controller.notification_requested.emit(
                NotificationKind.WARNING, self.tr("The webinar is in progress"),
                self.tr("End the webinar before removing it."))
            return False
        if not self.confirm_remove(self, webinar.title, webinar.recurrence is not None):
            return False
        try:
            controller.remove_webinar(webinar.id)
        except PupitreError as error:
            controller.notification_requested.emit(
                NotificationKind.ERROR, self.tr("The webinar was not removed"), error.sentence)
            return False
        selected = SessionKey.parse_or_none(self.selected_key) if self.selected_key is not None else None
        if selected is not None and selected.webinar_id == webinar.id:
            self.selected_key = None
            self.preview.stop()
            self.refresh_schedule()  # selects the first entry left, or shows nothing selected
            if self.selected_key is None:
                self._render_selected()
        return True

    # -- editor ---------------------------------------------------------------------------------
    def open_editor(self, key: str | None = None) -> WebinarEditor | None:
        """Open the editor (new webinar, or the occurrence ``key``); returns the open dialog."""
        controller = self.controller
        if controller is None or controller.settings is None:
            return None
        webinar = occurrence = None
        parsed = SessionKey.parse_or_none(key) if key is not None else None
        if key is not None and parsed is None:
            logger.info("cannot edit %s: not a session key", key)
            return None
        if parsed is not None and parsed.webinar_id is not None and parsed.occurrence is not None:
            try:
                webinar = controller.schedule.get(parsed.webinar_id)
                occurrence = controller.schedule.occurrence(parsed.webinar_id, parsed.occurrence)
            except PupitreError as error:
                logger.info("cannot edit %s: %s", key, error)
                return None
        from desktop.ui.webinar_editor import WebinarEditor

        changes = controller.schedule.overrides(webinar.id) if webinar is not None else []
        editor = WebinarEditor(controller.settings, system_timezone(), self, webinar=webinar, occurrence=occurrence,
                               overrides=changes)
        editor.accepted.connect(lambda: self._editor_saved(editor))
        editor.finished.connect(editor.deleteLater)
        self.editor = editor
        editor.open()
        self.editor_opened.emit(editor)
        return editor

    def _editor_saved(self, editor: WebinarEditor) -> None:
        from desktop.ui.webinar_editor import Scope

        controller = self.controller
        webinar = editor.result_webinar
        if controller is None or webinar is None:
            return
        try:
            if editor.scope is Scope.NEW:
                saved = controller.add_webinar(webinar)
                if editor.imported_overrides:  # an imported invitation's cancelled and changed occurrences
                    from desktop.schedule.ical_import import apply_overrides

                    apply_overrides(controller.schedule, saved.id, editor.imported_overrides)
                    controller.schedule_changed.emit()
                following = controller.upcoming()
                key = next((occurrence_key(o.webinar_id, o.index) for o in following if o.webinar_id == saved.id),
                           None)
                if key is not None:
                    self.select(key)
            elif editor.scope is Scope.SERIES:
                controller.update_webinar(webinar)
            elif editor.occurrence is not None:
                controller.edit_occurrence(webinar.id, editor.occurrence.index, start=webinar.start,
                                           duration=webinar.duration, title=webinar.title)
        except PupitreError as error:
            controller.notification_requested.emit("error", self.tr("The webinar was not saved"), error.sentence)
        self.editor = None
        self._render_selected()
