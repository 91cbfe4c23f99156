"""Snapshots for the GUI tests."""

from __future__ import annotations

from desktop.webinar.state import (
    Failure,
    Health,
    HealthRow,
    HealthView,
    LiveSnapshot,
    LiveState,
    Step,
)

NOW = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC


def snapshot(state: LiveState = LiveState.IDLE, **changes: object) -> LiveSnapshot:
    """A snapshot in ``state``; a gateway runs in the states where one may (as a session says)."""
    base = LiveSnapshot(key="w1:0", title="Quarterly town hall", meeting_id="m-1", state=state, since=NOW,
                        gateway_running=state.gateway_may_run)
    return base.evolve(**changes) if changes else base


def bad_health() -> HealthView:
    return HealthView(stream=HealthRow(Health.BAD, "The audience stream stopped advancing 20 s ago."))


def failed_snapshot() -> LiveSnapshot:
    return snapshot(
        LiveState.FAILED,
        steps={Step.MEETING_CREATED: NOW - 60},
        failure=Failure("starting gateway", "The gateway did not answer in 30 seconds.", "Check its address."),
    )
