"""The state of one webinar's live, as every view renders it.

One :class:`LiveState` decides; the go-live button, the tray icon, the health banner and the CLI
all render a :class:`LiveSnapshot` (OnionShare's one-status-one-update idea).  The allowed
transitions are data (:data:`TRANSITIONS`), checked on every change, so an impossible jump is a
bug caught in tests rather than a confusing screen.  What the presenter may ask for now is
decided here too, once (:func:`allowed_intents`): every snapshot carries it as
:attr:`LiveSnapshot.allowed`, the buttons and the tray menu enable from it, and
:meth:`~desktop.webinar.session.LiveSession.perform` refuses the rest.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.errors import PupitreError
from desktop.health import Health
from desktop.i18n import _


class LiveState(enum.StrEnum):
    IDLE = "idle"
    CHECKING = "checking"
    CREATING = "creating"
    WAITING_FOR_PRESENTER = "waiting for presenter"
    STARTING_GATEWAY = "starting gateway"
    LIVE = "live"
    STOPPING = "stopping"
    LIVE_STOPPED = "live stopped"  # the meeting goes on, the stream is off
    ENDED = "ended"
    FAILED = "failed"

    @property
    def is_working(self) -> bool:
        """A step is in progress: the big button offers Cancel."""
        return self in WORKING_STATES

    @property
    def is_final(self) -> bool:
        return self in (LiveState.ENDED, LiveState.FAILED, LiveState.IDLE)

    @property
    def gateway_may_run(self) -> bool:
        """States in which a gateway may be publishing (what recovery must check)."""
        return self in (LiveState.STARTING_GATEWAY, LiveState.LIVE, LiveState.STOPPING)

    @property
    def has_meeting(self) -> bool:
        """States in which the BBB meeting runs (the presenter may end it, or join it again)."""
        return self in MEETING_STATES


WORKING_STATES = frozenset(
    {LiveState.CHECKING, LiveState.CREATING, LiveState.WAITING_FOR_PRESENTER, LiveState.STARTING_GATEWAY}
)

MEETING_STATES = frozenset({LiveState.WAITING_FOR_PRESENTER, LiveState.STARTING_GATEWAY, LiveState.LIVE,
                            LiveState.STOPPING, LiveState.LIVE_STOPPED})

TRANSITIONS: dict[LiveState, frozenset[LiveState]] = {
    LiveState.IDLE: frozenset({LiveState.CHECKING, LiveState.STARTING_GATEWAY, LiveState.LIVE,
                               LiveState.LIVE_STOPPED, LiveState.STOPPING}),
    LiveState.CHECKING: frozenset({LiveState.CREATING, LiveState.STARTING_GATEWAY, LiveState.FAILED,
                                   LiveState.IDLE}),
    LiveState.CREATING: frozenset({LiveState.WAITING_FOR_PRESENTER, LiveState.FAILED, LiveState.IDLE}),
    LiveState.WAITING_FOR_PRESENTER: frozenset({LiveState.STARTING_GATEWAY, LiveState.FAILED, LiveState.IDLE,
                                                LiveState.ENDED}),
    LiveState.STARTING_GATEWAY: frozenset({LiveState.LIVE, LiveState.FAILED, LiveState.STOPPING,
                                           LiveState.LIVE_STOPPED, LiveState.IDLE, LiveState.ENDED}),
    LiveState.LIVE: frozenset({LiveState.STOPPING, LiveState.FAILED, LiveState.ENDED}),
    LiveState.STOPPING: frozenset({LiveState.LIVE_STOPPED, LiveState.ENDED, LiveState.STARTING_GATEWAY,
                                   LiveState.FAILED}),
    LiveState.LIVE_STOPPED: frozenset({LiveState.STARTING_GATEWAY, LiveState.STOPPING, LiveState.ENDED,
                                       LiveState.FAILED}),
    LiveState.ENDED: frozenset({LiveState.CHECKING}),
    LiveState.FAILED: frozenset({LiveState.CHECKING, LiveState.STOPPING, LiveState.ENDED, LiveState.IDLE,
                                 LiveState.STARTING_GATEWAY}),
}


class Step(enum.StrEnum):
    """The milestones shown with ticks and times in the go-live panel."""

    MEETING_CREATED = "meeting created"
    PRESENTER_JOINED = "presenter joined"
    GATEWAY_STARTED = "gateway started"
    STREAM_LIVE = "audience stream live"


class Intent(enum.StrEnum):
    """What the presenter (or another process, or a script) may ask of a live.

    The values are the names the control channel and ``pupitre webinar`` use.
    """

    GO_LIVE = "go-live"
    CANCEL = "cancel"
    START_LIVE = "start-live"  # "Start live again": the meeting goes on, the stream restarts
    STOP_LIVE = "stop-live"
    RESTART_LIVE = "restart-live"
    END_WEBINAR = "end"
    TOGGLE_CHAT = "toggle-chat"


def allowed_intents(state: LiveState, *, restarting: bool = False, meeting_created: bool = False,
                    gateway_running: bool = False) -> frozenset[Intent]:
    """The intents that make sense now — the one place that decides it.

    * Go live: nothing in progress and no gateway left streaming (idle, ended, failed).
    * Cancel: a go-live step is in progress (not a restart: it is stop-then-start, never half).
    * Start live again: the stream is off while the meeting goes on (live stopped), or a start
      failed after the meeting was created.
    * Restart live: stop the stream and start it again — while live, stopped, or after a failure
      once the meeting exists (what a failure's hint advises).
    * Stop live: a gateway runs and the live is not already stopping (live, failed, or a gateway
      starting outside a restart).
    * End webinar: the meeting runs (or was created before a failure), or a gateway still runs.
    * Toggle chat: a gateway runs (its chat panel is in the stream) and is not being stopped.
    """
    allowed: set[Intent] = set()
    if state in (LiveState.IDLE, LiveState.ENDED, LiveState.FAILED) and not gateway_running:
        allowed.add(Intent.GO_LIVE)
    if state.is_working and not restarting:
        allowed.add(Intent.CANCEL)
    meeting_after_failure = state is LiveState.FAILED and meeting_created
    if state is LiveState.LIVE_STOPPED or meeting_after_failure:
        allowed.add(Intent.START_LIVE)
    if state in (LiveState.LIVE, LiveState.LIVE_STOPPED) or meeting_after_failure:
        allowed.add(Intent.RESTART_LIVE)
    if gateway_running and (state in (LiveState.LIVE, LiveState.FAILED)
                            or (state is LiveState.STARTING_GATEWAY and not restarting)):
        allowed.add(Intent.STOP_LIVE)
    if state.has_meeting or meeting_after_failure or gateway_running:
        allowed.add(Intent.END_WEBINAR)
    if gateway_running and state is not LiveState.STOPPING:
        allowed.add(Intent.TOGGLE_CHAT)
    return frozenset(allowed)


@dataclass(frozen=True)
class HealthRow:
    """One row of the health view: a colour and the reason in plain words."""

    level: Health
    text: str


@dataclass(frozen=True)
class HealthView:
    # factories: the texts are translated when a view is made, not when this module is imported
    meeting: HealthRow = field(default_factory=lambda: HealthRow(Health.UNKNOWN, _("Not checked yet.")))
    gateway: HealthRow = field(default_factory=lambda: HealthRow(Health.UNKNOWN, _("No gateway.")))
    stream: HealthRow = field(default_factory=lambda: HealthRow(Health.UNKNOWN, _("Not watched yet.")))
    chat: HealthRow = field(default_factory=lambda: HealthRow(Health.UNKNOWN, _("Not connected.")))
    participants: int | None = None

    def worst(self) -> Health:
        levels = [self.meeting.level, self.gateway.level, self.stream.level, self.chat.level]
        for level in (Health.BAD, Health.WARNING, Health.GOOD):
            if level in levels:
                return level
        return Health.UNKNOWN


@dataclass(frozen=True)
class Failure:
    """Why the live failed: the step and one sentence, plus what to try."""

    step: str
    sentence: str
    hint: str = ""


class ChatPanelBasis(enum.StrEnum):
    """What Pupitre's idea of the chat panel in the stream rests on.

    The gateways' toggle is stateless and unconfirmed: the legacy ``/chat?toggle`` answers once
    the command reached the container (the click inside may fail silently), the v1.8 proxy's
    ``sendKey`` once a key press is queued.  So a successful reply only proves the *request*.
    """

    DEFAULT = "default"  # a fresh gateway start: BBB shows its chat panel; nothing was sent
    REQUESTED = "requested"  # the gateway accepted a toggle; whether it took effect is not known
    CONFIRMED = "confirmed"  # a confirmation source saw the panel (none exists yet)


@dataclass(frozen=True)
class ChatPanel:
    """BBB's chat panel in the stream, as Pupitre knows it.

    Attributes:
        visible: the visibility asked for (or BBB's default, shown, after a start); a fact only
            when ``basis`` is CONFIRMED.
        basis: what ``visible`` rests on.
    """

    visible: bool
    basis: ChatPanelBasis

    @classmethod
    def after_start(cls) -> ChatPanel:
        """A gateway has just started: BBB's default, expected rather than requested."""
        return cls(True, ChatPanelBasis.DEFAULT)

    @property
    def confirmed(self) -> bool:
        return self.basis is ChatPanelBasis.CONFIRMED

    def toggled(self) -> ChatPanel:
        """After the gateway accepted one toggle: the opposite is requested, not known."""
        return ChatPanel(not self.visible, ChatPanelBasis.REQUESTED)

    def seen(self, visible: bool) -> ChatPanel:
        """What a confirmation source saw (the hook for one; nothing in Pupitre sees it yet)."""
        return ChatPanel(visible, ChatPanelBasis.CONFIRMED)

    @property
    def state(self) -> str:
        """A stable English name (JSON, CLI): "shown by default", "hide requested",
        "show requested", "hidden" or "shown"."""
        if self.basis is ChatPanelBasis.DEFAULT:
            return "shown by default" if self.visible else "hidden by default"
        if self.basis is ChatPanelBasis.REQUESTED:
            return "show requested" if self.visible else "hide requested"
        return "shown" if self.visible else "hidden"


@dataclass(frozen=True)
class LiveSnapshot:
    """Everything a view needs to render one webinar's live.

    Attributes:
        key: the session key "webinar_id:occurrence_index" (or "adopted:<meetingID>").
        state: the current state; ``since`` when it was entered (epoch seconds).
        steps: milestone -> epoch seconds when reached.
        restarting: the current STOPPING/STARTING_GATEWAY belongs to a restart.
        chat_panel: what Pupitre knows of BBB's chat panel in the stream (None: no gateway
            running): BBB's default after a start, then the visibility *requested* by each
            toggle, unconfirmed (the gateways cannot tell).
        live_since: when the audience stream became live (for the elapsed time).
        failure: set in FAILED.
        notice: a transient message for the user (reminders, "auto-stopped: the meeting ended").
        gateway_running: a gateway was acquired for this live and not released (set by the
            session; ``gateway`` keeps the name of the last one).
        allowed: the intents that make sense now (:func:`allowed_intents` of the fields above).
    """

    key: str
    title: str
    meeting_id: str
    state: LiveState = LiveState.IDLE
    since: float = field(default_factory=time.time)
    steps: dict[Step, float] = field(default_factory=dict)
    gateway: str | None = None
    room: str | None = None
    restarting: bool = False
    chat_panel: ChatPanel | None = None
    live_since: float | None = None
    failure: Failure | None = None
    notice: str = ""
    health: HealthView = field(default_factory=HealthView)  # its texts in the current language
    audience_url: str | None = None
    gateway_running: bool = False
    allowed: frozenset[Intent] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed", allowed_intents(
            self.state, restarting=self.restarting, meeting_created=Step.MEETING_CREATED in self.steps,
            gateway_running=self.gateway_running))

    @property
    def on_air(self) -> bool:
        """The audience sees a stream, or is about to see it again (the middle of a restart)."""
        if self.state is LiveState.LIVE:
            return True
        return self.restarting and self.state in (LiveState.STOPPING, LiveState.STARTING_GATEWAY)

    def evolve(self, **changes: Any) -> LiveSnapshot:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """Stable field names for ``pupitre webinar status --json`` (README documents them)."""
        return {
            "key": self.key,
            "title": self.title,
            "meeting_id": self.meeting_id,
            "state": self.state.value,
            "since": self.since,
            "steps": {step.value: at for step, at in self.steps.items()},
            "gateway": self.gateway,
            "room": self.room,
            "restarting": self.restarting,
            # the visibility requested (or BBB's default): a fact only if chat_panel_confirmed
            "chat_panel_visible": None if self.chat_panel is None else self.chat_panel.visible,
            "chat_panel": None if self.chat_panel is None else self.chat_panel.state,
            "chat_panel_confirmed": None if self.chat_panel is None else self.chat_panel.confirmed,
            "live_since": self.live_since,
            "failure": None if self.failure is None else {
                "step": self.failure.step, "sentence": self.failure.sentence, "hint": self.failure.hint},
            "notice": self.notice,
            "audience_url": self.audience_url,
            "health": {
                "overall": self.health.worst().value,
                "participants": self.health.participants,
                **{name: {"level": row.level.value, "text": row.text}
                   for name, row in (("meeting", self.health.meeting), ("gateway", self.health.gateway),
                                     ("stream", self.health.stream), ("chat", self.health.chat))},
            },
        }


class IntentRefused(PupitreError):
    """An intent that does not make sense in the live's current state."""

    def __init__(self, intent: Intent, state: LiveState) -> None:
        super().__init__(_("“{intent}” is not possible while the webinar is “{state}”.").format(
            intent=intent.value, state=state.value),
            hint=_("Wait for the step in progress to finish, or check the webinar's state."))
        self.intent = intent
        self.state = state


class TransitionError(RuntimeError):
    """An impossible state change (a bug, not a user-facing failure)."""


def check_transition(current: LiveState, target: LiveState) -> None:
    if target == current:
        return
    if target not in TRANSITIONS[current]:
        raise TransitionError(f"{current.value} -> {target.value} is not a valid transition")
