"""The go-live panel: one snapshot in, one render out, intents as signals.

:meth:`LivePanel.update_from` renders everything from a :class:`LiveSnapshot` (OnionShare's
one-status-one-update idea): the big button's text, colour and intent, the four steps with
ticks and times, the ON AIR badge with the elapsed live time, the secondary buttons and the
failure box.  Clicking never changes what is shown; the controller answers with a new snapshot.

Colours come from :mod:`desktop.ui.theme` through the levels of :mod:`desktop.ui.live_style`
(re-applied when the system switches between light and dark); the ON AIR badge is meant to be
read from across the room: big bold text on the on-air fill, with the live icon and the word,
never the colour alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import theme
from desktop.ui.labels import step_label
from desktop.ui.live_style import (
    FAILURE_LEVEL,
    ON_AIR_LEVEL,
    STEP_PENDING_LEVEL,
    STEP_REACHED_LEVEL,
    TONE_INTENTS,
    TONE_LEVELS,
    Tone,
    big_button_tone,
    state_label,
)
from desktop.ui.reflow import ReflowRow, WrappingLabel
from desktop.webinar.state import ChatPanel, ChatPanelBasis, Intent, LiveSnapshot, LiveState, Step

__all__ = ["PENDING", "TICK", "TONE_LEVELS", "LivePanel", "Tone", "format_elapsed", "shows_elapsed"]

TICK = "✔"
PENDING = "…"


def format_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def shows_elapsed(snapshot: LiveSnapshot | None) -> bool:
    """The elapsed live time runs while on air, including the middle of a restart."""
    return snapshot is not None and snapshot.live_since is not None and snapshot.on_air


class LivePanel(QWidget):
    """Renders one webinar's :class:`LiveSnapshot`; every signal carries the snapshot's key.

    Attributes:
        snapshot: the snapshot last rendered (None: nothing selected, everything disabled).
        big_button, end_button, reopen_join_button, copy_link_button, restart_button,
        chat_button: the buttons; ``big_button.property("tone")`` is the :class:`Tone` value.
        step_ticks / step_times: Step -> tick label / time label.
        on_air: the ON AIR badge (icon, word, elapsed time), shown while the audience watches;
        elapsed: its elapsed live time label; failure_box: the failure frame.

    Signals:
        go_live_requested(str): go live (also "Start live again" after a stop).
        cancel_requested(str): cancel the step in progress.
        stop_live_requested(str): stop the audience stream, keep the meeting.
        restart_live_requested(str): stop and start the stream again.
        end_requested(str): end the webinar (the meeting).
        toggle_chat_requested(str, bool): ask to show (True) or hide BBB's chat panel in the stream.
        reopen_join_requested(str): open the presenter's join link again.
        copy_audience_link_requested(str): copy the audience link.
    """

    go_live_requested = Signal(str)
    cancel_requested = Signal(str)
    stop_live_requested = Signal(str)
    restart_live_requested = Signal(str)
    end_requested = Signal(str)
    toggle_chat_requested = Signal(str, bool)
    reopen_join_requested = Signal(str)
    copy_audience_link_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.snapshot: LiveSnapshot | None = None
        self._clock = clock

        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        theme.emphasise(self.title, scale=1.5)
        self.title.setWordWrap(True)  # a title may be 250 characters long
        self.state_text = QLabel(self)
        self._build_on_air()

        self.big_button = QPushButton(self)
        self.big_button.setObjectName("bigButton")
        self.big_button.setMinimumHeight(56)
        self.big_button.setAccessibleDescription(self.tr(
            "The main action for this webinar: go live, cancel, stop or start again, as the state allows"))
        self.big_button.clicked.connect(self._big_clicked)
        self.end_button = QPushButton(self.tr("End webinar"), self)
        self.end_button.clicked.connect(lambda: self._emit_key(self.end_requested))

        steps = QGridLayout()
        self.step_ticks: dict[Step, QLabel] = {}
        self.step_times: dict[Step, QLabel] = {}
        for row, step in enumerate(Step):
            tick, name, at = QLabel(self), QLabel(step_label(step), self), QLabel(self)
            tick.setFixedWidth(24)
            steps.addWidget(tick, row, 0)
            steps.addWidget(name, row, 1)
            steps.addWidget(at, row, 2)
            self.step_ticks[step], self.step_times[step] = tick, at
        steps.setColumnStretch(1, 1)

        self.reopen_join_button = QPushButton(self.tr("Reopen my join link"), self)
        self.reopen_join_button.clicked.connect(lambda: self._emit_key(self.reopen_join_requested))
        self.copy_link_button = QPushButton(self.tr("Copy audience link"), self)
        self.copy_link_button.clicked.connect(lambda: self._emit_key(self.copy_audience_link_requested))
        self.restart_button = QPushButton(self.tr("Restart live"), self)
        self.restart_button.clicked.connect(lambda: self._emit_key(self.restart_live_requested))
        self.chat_button = QPushButton(self.tr("Chat in the stream"), self)
        self.chat_button.setCheckable(True)
        self.chat_button.setAccessibleDescription(self.tr("Asks the gateway to show or hide BBB's chat panel in "
                                                          "what the audience sees"))
        self.restart_button.setAccessibleDescription(self.tr("Stops the audience stream and starts it again"))
        self.copy_link_button.setAccessibleDescription(self.tr("Copies the link the audience watches to the "
                                                               "clipboard"))
        self.chat_button.clicked.connect(self._chat_clicked)

        self.failure_box = QFrame(self)
        self.failure_box.setObjectName("failureBox")
        theme.style_with(self.failure_box, lambda: theme.banner_style(FAILURE_LEVEL, selector="#failureBox"))
        self.failure_text = WrappingLabel(parent=self.failure_box)
        self.failure_hint = WrappingLabel(parent=self.failure_box)
        for label in (self.failure_text, self.failure_hint):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.emphasise(self.failure_text)
        failure_layout = QVBoxLayout(self.failure_box)
        failure_layout.addWidget(self.failure_text)
        failure_layout.addWidget(self.failure_hint)

        self.notice = WrappingLabel(parent=self)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        # rows that become columns when narrow: fixed rows overflow once translated (French is
        # longer; the pseudo-localisation, twice as long, needed more than a 1280-pixel screen)
        buttons = ReflowRow()
        buttons.add_widget(self.big_button, 2)
        buttons.add_widget(self.end_button, 1)
        extras = ReflowRow(uniform=True, prefer_column=True)  # asks for 2×2, not 4 in a row
        for pair in ((self.reopen_join_button, self.copy_link_button), (self.restart_button, self.chat_button)):
            two = ReflowRow(uniform=True)
            for button in pair:
                two.add_widget(button)
            extras.add_layout(two)
        layout = QVBoxLayout(self)
        layout.addWidget(self.on_air)
        layout.addLayout(header)
        layout.addWidget(self.state_text)
        layout.addLayout(buttons)
        layout.addLayout(steps)
        layout.addLayout(extras)
        layout.addWidget(self.failure_box)
        layout.addWidget(self.notice)
        layout.addStretch(1)

        self._tick = QTimer(self)
        self._tick.setObjectName("elapsedTimer")
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._render_elapsed)
        self.update_from(None)

    def _build_on_air(self) -> None:
        """The badge the presenter reads from across the room: the live icon, ON AIR, the time."""
        self.on_air = QFrame(self)
        self.on_air.setObjectName("onAirBadge")
        self.on_air.setAccessibleName(self.tr("On air"))
        self.on_air_icon = QLabel(self.on_air)
        self.on_air_icon.setObjectName("onAirIcon")
        self.on_air_word = QLabel(self.tr("ON AIR"), self.on_air)
        self.on_air_word.setObjectName("onAirWord")
        self.elapsed = QLabel(self.on_air)
        self.elapsed.setObjectName("elapsed")
        self.elapsed.setToolTip(self.tr("Time on air"))
        theme.emphasise(self.on_air_word, scale=2.0)
        theme.emphasise(self.elapsed, scale=2.0, monospace=True)
        selector = "#onAirBadge, #onAirBadge QLabel"
        theme.style_with(self.on_air, lambda: theme.badge_style(ON_AIR_LEVEL, radius=8, selector=selector))
        theme.on_scheme_change(self.on_air_icon, self._render_on_air_icon)
        row = QHBoxLayout(self.on_air)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.on_air_icon)
        row.addWidget(self.on_air_word)
        row.addStretch(1)
        row.addWidget(self.elapsed)
        self.on_air.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.on_air.hide()

    def _render_on_air_icon(self) -> None:
        side = self.on_air_word.fontMetrics().height()
        icon = theme.state_icon(ON_AIR_LEVEL)
        self.on_air_icon.setPixmap(icon.pixmap(QSize(side, side), self.devicePixelRatioF()))  # crisp at 2×

    # -- the one render -------------------------------------------------------------------

    def update_from(self, snapshot: LiveSnapshot | None) -> None:
        self.snapshot = snapshot
        state = snapshot.state if snapshot is not None else LiveState.IDLE
        self.title.setText(snapshot.title if snapshot is not None else self.tr("No webinar selected"))
        self.state_text.setText(state_label(state))
        self._render_big_button(snapshot)
        allowed = snapshot.allowed if snapshot is not None else frozenset()
        self.end_button.setEnabled(Intent.END_WEBINAR in allowed)
        self.reopen_join_button.setEnabled(snapshot is not None and state.has_meeting)
        self.copy_link_button.setEnabled(snapshot is not None and bool(snapshot.audience_url))
        self.restart_button.setEnabled(Intent.RESTART_LIVE in allowed)
        self._render_chat_button(snapshot.chat_panel if snapshot is not None else None,
                                 Intent.TOGGLE_CHAT in allowed)
        self._render_steps(snapshot)
        failure = snapshot.failure if snapshot is not None else None
        self.failure_box.setVisible(failure is not None)
        if failure is not None:
            self.failure_text.setText(failure.sentence)
            self.failure_hint.setText(failure.hint)
            self.failure_hint.setVisible(bool(failure.hint))
        self.notice.setText(snapshot.notice if snapshot is not None else "")
        self.notice.setVisible(bool(self.notice.text()))
        if shows_elapsed(snapshot):
            if not self._tick.isActive():
                self._tick.start()
        else:
            self._tick.stop()
        self._render_elapsed()

    def _render_big_button(self, snapshot: LiveSnapshot | None) -> None:
        tone = big_button_tone(snapshot) if snapshot is not None else Tone.GO
        texts = {
            Tone.GO: self.tr("Go live"),
            Tone.CANCEL: self.tr("Cancel"),
            Tone.STOP: self.tr("Stop live"),
            Tone.RESUME: self.tr("Start live again"),
            Tone.BUSY: self.tr("Restarting…") if snapshot is not None and snapshot.restarting
            else self.tr("Stopping…"),
        }
        intent = TONE_INTENTS.get(tone)
        self.big_button.setText(texts[tone])
        self.big_button.setProperty("tone", tone.value)
        self.big_button.setEnabled(snapshot is not None and intent is not None and intent in snapshot.allowed)
        theme.style_with(self.big_button, lambda: theme.button_style(TONE_LEVELS[tone]))

    def _render_chat_button(self, panel: ChatPanel | None, allowed: bool) -> None:
        """Checked: the panel is wanted in the stream.  The text says "requested" until something
        confirms it — the gateways cannot, so in practice always after a toggle."""
        self.chat_button.setEnabled(panel is not None and allowed)
        self.chat_button.setChecked(panel is not None and panel.visible)
        self.chat_button.setProperty("chatPanel", "" if panel is None else panel.state)
        if panel is None:
            text, tip = self.tr("Chat in the stream"), ""
        elif panel.basis is ChatPanelBasis.DEFAULT:
            text = self.tr("Chat in the stream: shown by default")
            tip = self.tr("BBB shows its chat panel when the gateway joins. A click asks the gateway to hide "
                          "it; the gateway cannot confirm it: check the preview.")
        elif panel.basis is ChatPanelBasis.REQUESTED and panel.visible:
            text = self.tr("Chat in the stream: showing requested")
            tip = self.tr("Pupitre asked the gateway to show BBB's chat panel; the gateway cannot confirm it: "
                          "check the preview. A click asks it to hide the panel.")
        elif panel.basis is ChatPanelBasis.REQUESTED:
            text = self.tr("Chat in the stream: hiding requested")
            tip = self.tr("Pupitre asked the gateway to hide BBB's chat panel; the gateway cannot confirm it: "
                          "check the preview. A click asks it to show the panel again.")
        else:
            text = self.tr("Chat shown in the stream") if panel.visible else self.tr("Chat hidden in the stream")
            tip = ""
        self.chat_button.setText(text)
        self.chat_button.setToolTip(tip)

    def _render_steps(self, snapshot: LiveSnapshot | None) -> None:
        reached = snapshot.steps if snapshot is not None else {}
        working = snapshot is not None and snapshot.state.is_working
        next_marked = False
        for step in Step:
            at = reached.get(step)
            tick, when = self.step_ticks[step], self.step_times[step]
            if at is not None:
                tick.setText(TICK)
                theme.style_with(tick, lambda: theme.text_style(STEP_REACHED_LEVEL, bold=True))
                when.setText(time.strftime("%H:%M:%S", time.localtime(at)))
                tick.setProperty("reached", True)
            else:
                # the first step not reached while working is the one in progress
                tick.setText(PENDING if working and not next_marked else "")
                next_marked = next_marked or working
                theme.style_with(tick, lambda: theme.text_style(STEP_PENDING_LEVEL))
                when.setText("")
                tick.setProperty("reached", False)

    def _render_elapsed(self) -> None:
        snapshot = self.snapshot
        if snapshot is None or snapshot.live_since is None or not shows_elapsed(snapshot):
            self.elapsed.setText("")
            self.on_air.hide()
            return
        elapsed = format_elapsed(self._clock() - snapshot.live_since)
        self.elapsed.setText(elapsed)
        self.on_air.setAccessibleName(self.tr("On air for %1").replace("%1", elapsed))
        self.on_air.show()

    # -- intents --------------------------------------------------------------------------

    def _emit_key(self, signal: SignalInstance) -> None:
        if self.snapshot is not None:
            signal.emit(self.snapshot.key)

    def _big_clicked(self) -> None:
        if self.snapshot is None:
            return
        tone = Tone(self.big_button.property("tone"))
        target = {
            Tone.GO: self.go_live_requested,
            Tone.CANCEL: self.cancel_requested,
            Tone.STOP: self.stop_live_requested,
            Tone.RESUME: self.go_live_requested,
        }.get(tone)
        if target is not None:
            target.emit(self.snapshot.key)

    def offers(self, tone: Tone) -> bool:
        """The big button shows ``tone`` and may be pressed (what the shortcuts ask first)."""
        return self.snapshot is not None and self.big_button.isEnabled() and self.big_button.property("tone") == tone.value

    def request_go_live(self) -> bool:
        """The Go live shortcut: what the big button does when it offers to go (or start again)."""
        if self.offers(Tone.GO) or self.offers(Tone.RESUME):
            self._big_clicked()
            return True
        return False

    def request_stop_live(self) -> bool:
        """The Stop live shortcut: what the big button does when it offers to stop (the console
        asks for confirmation either way)."""
        if self.offers(Tone.STOP):
            self._big_clicked()
            return True
        return False

    def _chat_clicked(self, checked: bool) -> None:
        if self.snapshot is None:
            return
        # the button shows the tracked state until the controller answers with a new snapshot
        panel = self.snapshot.chat_panel
        self.chat_button.setChecked(panel is not None and panel.visible)
        self.toggle_chat_requested.emit(self.snapshot.key, checked)
