from pathlib import Path

import pytest

from desktop.store import migrate, open_database
from desktop.webinar.journal import Journal
from desktop.webinar.state import (
    TRANSITIONS,
    Failure,
    Health,
    HealthRow,
    HealthView,
    LiveSnapshot,
    LiveState,
    Step,
    TransitionError,
    check_transition,
)


def test_every_state_has_transitions_and_failed_is_reachable_from_working_states() -> None:
    assert set(TRANSITIONS) == set(LiveState)
    for state in (LiveState.CHECKING, LiveState.CREATING, LiveState.WAITING_FOR_PRESENTER,
                  LiveState.STARTING_GATEWAY, LiveState.LIVE):
        check_transition(state, LiveState.FAILED)
        assert state.is_working or state == LiveState.LIVE


def test_gateway_never_starts_before_the_presenter_step() -> None:
    # Pod's race: the gateway must not be started straight after create
    with pytest.raises(TransitionError):
        check_transition(LiveState.CREATING, LiveState.STARTING_GATEWAY)
    check_transition(LiveState.WAITING_FOR_PRESENTER, LiveState.STARTING_GATEWAY)


def test_cancel_returns_to_idle_from_waiting_steps() -> None:
    for state in (LiveState.CHECKING, LiveState.CREATING, LiveState.WAITING_FOR_PRESENTER,
                  LiveState.STARTING_GATEWAY):
        check_transition(state, LiveState.IDLE)
    with pytest.raises(TransitionError):
        check_transition(LiveState.LIVE, LiveState.IDLE)


def test_health_worst_and_json_field_names() -> None:
    health = HealthView(meeting=HealthRow(Health.GOOD, "Running, 3 participants."),
                        stream=HealthRow(Health.BAD, "Not advancing for 8 s."), participants=3)
    assert health.worst() == Health.BAD
    snap = LiveSnapshot(key="1:0", title="T", meeting_id="0001-t", state=LiveState.LIVE,
                        steps={Step.MEETING_CREATED: 1.0}, health=health)
    data = snap.to_json()
    assert data["state"] == "live"
    assert data["steps"] == {"meeting created": 1.0}
    assert data["health"]["overall"] == "bad"
    assert data["health"]["stream"]["text"].startswith("Not advancing")


def test_journal_survives_reopen_and_lists_unfinished(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    journal = Journal(db)
    live = LiveSnapshot(key="7:0", title="Amphi", meeting_id="0007-amphi", state=LiveState.LIVE,
                        gateway="gw1", room="0123456789", chat_panel_visible=False,
                        steps={Step.GATEWAY_STARTED: 5.0})
    journal.record(live, webinar_id=7, occurrence=0, profile="lab", gw_id=None, pid=123)
    done = LiveSnapshot(key="8:0", title="Done", meeting_id="0008-done", state=LiveState.ENDED)
    journal.record(done, webinar_id=8, occurrence=0, profile="lab", gw_id=None)
    failed = LiveSnapshot(key="9:0", title="F", meeting_id="0009-f", state=LiveState.FAILED,
                          failure=Failure("starting gateway", "The gateway refused the token."))
    journal.record(failed, webinar_id=9, occurrence=0, profile=None, gw_id=None)
    journal.event("7:0", "live", "audience stream live")
    journal.close()

    reopened = Journal(db)
    keys = {e.key for e in reopened.unfinished()}
    assert keys == {"7:0", "9:0"}
    entry = reopened.get("7:0")
    assert entry is not None
    assert entry.state == LiveState.LIVE and entry.may_have_gateway
    assert entry.chat_panel_visible is False and entry.room == "0123456789"
    assert entry.steps == {Step.GATEWAY_STARTED: 5.0}
    failed_entry = reopened.get("9:0")
    assert failed_entry is not None and failed_entry.failure is not None
    assert failed_entry.failure.sentence == "The gateway refused the token."
    assert [e.kind for e in reopened.timeline("7:0")] == ["live"]
    reopened.forget("7:0")
    assert reopened.get("7:0") is None


def test_component_migrations_are_independent(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "x.sqlite3")
    assert migrate(conn, "a", ["CREATE TABLE a1 (x)"]) == 1
    assert migrate(conn, "b", ["CREATE TABLE b1 (x)", "CREATE TABLE b2 (x)"]) == 2
    assert migrate(conn, "a", ["CREATE TABLE a1 (x)", "ALTER TABLE a1 ADD COLUMN y"]) == 2
    cols = [r[1] for r in conn.execute("PRAGMA table_info(a1)")]
    assert cols == ["x", "y"]
    with pytest.raises(RuntimeError, match="newer"):
        migrate(conn, "b", ["CREATE TABLE b1 (x)"])
