"""How a live looks: the one table from the core's state to words, colours and icons.

The core decides what may be done (:attr:`LiveSnapshot.allowed`) and what happened (events);
this module only says how a state is *shown*: the state's name (:func:`state_label`), what the
big go-live button offers and its colour level (:class:`Tone`), the tray's state and level
(:func:`tray_state`), and the levels of the go-live panel.  Levels are
:class:`desktop.ui.theme.Level`: the theme turns them into colours for the scheme in use, so
the live's views change colour when the system switches between light and dark.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from desktop.ui.labels import CONTEXT, QT_TRANSLATE_NOOP
from desktop.ui.theme import Level
from desktop.webinar.state import Health, Intent, LiveSnapshot, LiveState

# -- the state's name -------------------------------------------------------------------------
_STATE_LABELS: dict[LiveState, str] = {
    LiveState.IDLE: QT_TRANSLATE_NOOP("Labels", "Not live"),
    LiveState.CHECKING: QT_TRANSLATE_NOOP("Labels", "Checking"),
    LiveState.CREATING: QT_TRANSLATE_NOOP("Labels", "Creating the meeting"),
    LiveState.WAITING_FOR_PRESENTER: QT_TRANSLATE_NOOP("Labels", "Waiting for the presenter"),
    LiveState.STARTING_GATEWAY: QT_TRANSLATE_NOOP("Labels", "Starting the stream"),
    LiveState.LIVE: QT_TRANSLATE_NOOP("Labels", "Live"),
    LiveState.STOPPING: QT_TRANSLATE_NOOP("Labels", "Stopping"),
    LiveState.LIVE_STOPPED: QT_TRANSLATE_NOOP("Labels", "Stream stopped"),
    LiveState.ENDED: QT_TRANSLATE_NOOP("Labels", "Ended"),
    LiveState.FAILED: QT_TRANSLATE_NOOP("Labels", "Failed"),
}


def state_label(state: LiveState) -> str:
    return QCoreApplication.translate(CONTEXT, _STATE_LABELS[state])


# -- the big button -----------------------------------------------------------------------------
class Tone(enum.Enum):
    """What the big button offers, which decides its colour."""

    GO = "go"
    CANCEL = "cancel"
    STOP = "stop"
    RESUME = "resume"
    BUSY = "busy"


TONE_LEVELS: dict[Tone, Level] = {
    Tone.GO: Level.OK,
    Tone.CANCEL: Level.UNKNOWN,
    Tone.STOP: Level.LIVE,  # the stop button is on-air red: it is what ends the broadcast
    Tone.RESUME: Level.WORKING,
    Tone.BUSY: Level.UNKNOWN,
}

_STATE_TONES: dict[LiveState, Tone] = {
    LiveState.IDLE: Tone.GO,
    LiveState.ENDED: Tone.GO,
    LiveState.FAILED: Tone.GO,
    LiveState.CHECKING: Tone.CANCEL,
    LiveState.CREATING: Tone.CANCEL,
    LiveState.WAITING_FOR_PRESENTER: Tone.CANCEL,
    LiveState.STARTING_GATEWAY: Tone.CANCEL,
    LiveState.LIVE: Tone.STOP,
    LiveState.LIVE_STOPPED: Tone.RESUME,
    LiveState.STOPPING: Tone.BUSY,  # nothing to press until it settles
}

TONE_INTENTS: dict[Tone, Intent] = {
    Tone.GO: Intent.GO_LIVE,
    Tone.CANCEL: Intent.CANCEL,
    Tone.STOP: Intent.STOP_LIVE,
    Tone.RESUME: Intent.START_LIVE,
}
"""The intent each tone sends; the button is enabled when the snapshot allows it."""


def big_button_tone(snapshot: LiveSnapshot) -> Tone:
    """A restart shows busy throughout (it is stop-then-start, never left half-way)."""
    if snapshot.restarting and snapshot.on_air and snapshot.state is not LiveState.LIVE:
        return Tone.BUSY
    return _STATE_TONES[snapshot.state]


def shows_preview(snapshot: LiveSnapshot) -> bool:
    """The preview plays the audience stream once a gateway is starting, and while live."""
    return snapshot.state in (LiveState.STARTING_GATEWAY, LiveState.LIVE)


def stream_plays(snapshot: LiveSnapshot) -> bool:
    """Live, and the audience stream is healthy: the preview may play it at once."""
    return snapshot.state is LiveState.LIVE and snapshot.health.stream.level is Health.GOOD


# -- the go-live panel's other levels -----------------------------------------------------------
STEP_REACHED_LEVEL = Level.OK
STEP_PENDING_LEVEL = Level.UNKNOWN
FAILURE_LEVEL = Level.FAILED
ON_AIR_LEVEL = Level.LIVE


# -- the tray -------------------------------------------------------------------------------------
class TrayState(enum.Enum):
    IDLE = "idle"
    SOON = "soon"
    LIVE = "live"
    PROBLEM = "problem"


TRAY_LEVELS: dict[TrayState, Level] = {
    TrayState.IDLE: Level.UNKNOWN,
    TrayState.SOON: Level.WARNING,
    TrayState.LIVE: Level.LIVE,
    TrayState.PROBLEM: Level.ERROR,
}

SOON_WINDOW = 15 * 60.0
"""A scheduled start this close (before or after now) makes the tray amber."""


def tray_state(snapshots: Sequence[LiveSnapshot], next_start: float | None, now: float) -> TrayState:
    """The tray's state from every webinar's snapshot and the next scheduled start.

    Priority, highest first:

    * PROBLEM: a live failed, or a webinar that is on air or has a meeting reports a red
      (BAD) health row;
    * LIVE: a webinar is on air (including the middle of a restart);
    * SOON: a webinar is being prepared (a working state) or paused (LIVE_STOPPED), or the
      next scheduled start is within :data:`SOON_WINDOW` of ``now`` (late starts included);
    * IDLE otherwise.
    """
    state = TrayState.IDLE
    for snapshot in snapshots:
        if snapshot.state is LiveState.FAILED:
            return TrayState.PROBLEM
        engaged = snapshot.on_air or snapshot.state.has_meeting
        if engaged and snapshot.health.worst() is Health.BAD:
            return TrayState.PROBLEM
        if snapshot.on_air:
            state = TrayState.LIVE
        elif state is TrayState.IDLE and (snapshot.state.is_working or snapshot.state is LiveState.LIVE_STOPPED):
            state = TrayState.SOON
    if state is TrayState.IDLE and next_start is not None and abs(next_start - now) <= SOON_WINDOW:
        state = TrayState.SOON
    return state
