"""What happened to a live, as the session says it: typed events published with each snapshot.

A :class:`~desktop.webinar.session.LiveSession` publishes a :class:`LiveUpdate` — the new
:class:`~desktop.webinar.state.LiveSnapshot` and the events that produced it — to its update
listeners.  The views render the snapshot and the events; none of them compares snapshots to
rebuild what happened, nor guesses who stopped a live: the session knows it and says it
(:class:`Origin` in :class:`LiveStopped`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from desktop.webinar.state import ChatPanel, Failure, HealthRow, LiveSnapshot, LiveState, Step


class Origin(enum.StrEnum):
    """Who or what asked for a change (stopping a live, above all)."""

    PRESENTER = "presenter"  # the user of this process: a button, the tray, the owning CLI command
    OTHER_PROCESS = "another process"  # an intent sent by another Pupitre process (pupitre webinar …)
    AUTO_STOP = "auto-stop"  # the meeting ended on the server, so the watcher stopped the live
    SCHEDULED_END = "scheduled end"  # the automatic end after the scheduled end
    CRASH_RECOVERY = "crash recovery"  # recovery, after a crash of Pupitre, stopped what still ran


@dataclass(frozen=True)
class StateChanged:
    """The live entered ``state`` (from ``previous``)."""

    previous: LiveState
    state: LiveState


@dataclass(frozen=True)
class StepReached:
    """A milestone of the go-live panel was reached at ``at`` (epoch seconds)."""

    step: Step
    at: float


@dataclass(frozen=True)
class LiveFailed:
    """The live failed: the step, one sentence and what to try."""

    failure: Failure


@dataclass(frozen=True)
class Notice:
    """A message for the presenter; ``incident``: something went wrong on the way (journaled so)."""

    text: str
    incident: bool = False


@dataclass(frozen=True)
class WentLive:
    """The audience stream is live; ``restarted``: at the end of a restart."""

    restarted: bool


@dataclass(frozen=True)
class LiveStopped:
    """The stream stopped: ``state`` is LIVE_STOPPED (the meeting goes on) or ENDED; ``origin``
    says who or what stopped it and ``reason`` why, in one sentence."""

    state: LiveState
    origin: Origin
    reason: str


@dataclass(frozen=True)
class Resumed:
    """A live found by crash recovery (or taken over from a process that died) is watched again
    by this process.  (A live that recovery *stops* has no session: the manager publishes its
    closing update, with a :class:`LiveStopped` whose origin is :attr:`Origin.CRASH_RECOVERY`.)"""

    state: LiveState


@dataclass(frozen=True)
class ChatPanelChanged:
    """What Pupitre knows of BBB's chat panel in the stream changed (None: no gateway)."""

    panel: ChatPanel | None


@dataclass(frozen=True)
class HealthChanged:
    """One row of the health view changed: ``row_name`` is meeting, gateway, stream or chat;
    ``previous`` is the row before; ``incident``: a problem while live (journaled as an incident,
    worth telling the presenter)."""

    row_name: str
    row: HealthRow
    previous: HealthRow
    incident: bool = False

    @property
    def level_changed(self) -> bool:
        return self.row.level != self.previous.level


LiveEvent = (StateChanged | StepReached | LiveFailed | Notice | WentLive | LiveStopped | Resumed
             | ChatPanelChanged | HealthChanged)


@dataclass(frozen=True)
class LiveUpdate:
    """One publication of a session: the new snapshot and what happened to produce it (often
    nothing but a refreshed field: then ``events`` is empty)."""

    snapshot: LiveSnapshot
    events: tuple[LiveEvent, ...] = ()


UpdateListener = Callable[[LiveUpdate], None]
