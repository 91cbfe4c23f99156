from pathlib import Path

import pytest

from desktop.store import migrate, open_database
from desktop.store.sqlite import NewerDatabaseError
from desktop.webinar.journal import _MIGRATIONS, Journal
from desktop.webinar.state import (
    TRANSITIONS,
    ChatPanel,
    ChatPanelBasis,
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
                        gateway="gw1", room="0123456789", chat_panel=ChatPanel(False, ChatPanelBasis.REQUESTED),
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
    assert entry.chat_panel == ChatPanel(False, ChatPanelBasis.REQUESTED) and entry.room == "0123456789"
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
    with pytest.raises(NewerDatabaseError, match="newer"):
        migrate(conn, "b", ["CREATE TABLE b1 (x)"])


# -- the chat panel: what was requested, and whether it is confirmed (issue 11, point 9) -------------
def test_the_chat_panel_after_a_start_then_after_toggles_is_requested_never_a_fact() -> None:
    panel = ChatPanel.after_start()
    assert (panel.visible, panel.basis, panel.confirmed, panel.state) == (
        True, ChatPanelBasis.DEFAULT, False, "shown by default")
    hidden = panel.toggled()
    assert (hidden.visible, hidden.confirmed, hidden.state) == (False, False, "hide requested")
    shown = hidden.toggled()
    assert (shown.visible, shown.confirmed, shown.state) == (True, False, "show requested")
    # only a confirmation source may say what the panel is
    assert hidden.seen(False).state == "hidden" and hidden.seen(False).confirmed
    assert hidden.seen(True).state == "shown"


def test_the_snapshot_json_says_requested_and_unconfirmed() -> None:
    snap = LiveSnapshot(key="1:0", title="T", meeting_id="m", state=LiveState.LIVE,
                        chat_panel=ChatPanel.after_start().toggled())
    data = snap.to_json()
    assert (data["chat_panel"], data["chat_panel_confirmed"], data["chat_panel_visible"]) == (
        "hide requested", False, False)
    idle = LiveSnapshot(key="1:0", title="T", meeting_id="m").to_json()
    assert (idle["chat_panel"], idle["chat_panel_confirmed"], idle["chat_panel_visible"]) == (None, None, None)


@pytest.mark.parametrize("panel", [
    None, ChatPanel.after_start(), ChatPanel(False, ChatPanelBasis.REQUESTED),
    ChatPanel(True, ChatPanelBasis.REQUESTED), ChatPanel(False, ChatPanelBasis.CONFIRMED),
])
def test_the_journal_round_trips_the_chat_panel(tmp_path: Path, panel: ChatPanel | None) -> None:
    journal = Journal(tmp_path / "db.sqlite3")
    journal.record(LiveSnapshot(key="7:0", title="Amphi", meeting_id="m", state=LiveState.LIVE, gateway="gw1",
                                room="r", chat_panel=panel), webinar_id=7, occurrence=0, profile=None, gw_id=None)
    journal.close()
    reopened = Journal(tmp_path / "db.sqlite3")
    entry = reopened.get("7:0")
    assert entry is not None and entry.chat_panel == panel
    reopened.close()


def test_an_old_journal_is_migrated_and_its_chat_panel_read_as_unconfirmed(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    conn = open_database(db)
    assert migrate(conn, "journal", _MIGRATIONS[:1]) == 1  # the schema an older Pupitre wrote
    for key, visible in (("1:0", 1), ("2:0", 0), ("3:0", None)):
        conn.execute("INSERT INTO live_sessions (key, meeting_id, title, gateway, room, state, chat_panel_visible,"
                     " opened_at, updated_at) VALUES (?, 'm', 'T', 'gw1', 'r', 'live', ?, 1.0, 1.0)", (key, visible))
    conn.close()

    journal = Journal(db)
    # a start left BBB's default; a hide was only ever sent; neither was seen
    shown, hidden, none = (journal.get(k) for k in ("1:0", "2:0", "3:0"))
    assert shown is not None and shown.chat_panel == ChatPanel(True, ChatPanelBasis.DEFAULT)
    assert hidden is not None and hidden.chat_panel == ChatPanel(False, ChatPanelBasis.REQUESTED)
    assert hidden.chat_panel.state == "hide requested" and not hidden.chat_panel.confirmed
    assert none is not None and none.chat_panel is None
    # the migrated table takes the new column, and a second opening migrates nothing more
    journal.record(LiveSnapshot(key="2:0", title="T", meeting_id="m", state=LiveState.LIVE,
                                chat_panel=ChatPanel(True, ChatPanelBasis.REQUESTED)),
                   webinar_id=None, occurrence=None, profile=None, gw_id=None)
    journal.close()
    again = Journal(db)
    entry = again.get("2:0")
    assert entry is not None and entry.chat_panel == ChatPanel(True, ChatPanelBasis.REQUESTED)
    version = again._conn.execute("SELECT version FROM schema_versions WHERE component = 'journal'").fetchone()
    assert version[0] == len(_MIGRATIONS) == 3
    # the gateway of each live row became an open row of the history (it may still publish)
    assert [g.gateway for g in again.gateways("1:0")] == ["gw1"] and again.gateways("1:0")[0].stopped_at is None
    again.close()


def test_the_gateway_history_keeps_every_gateway_until_it_is_stopped(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "db.sqlite3")
    assert journal.gateway_started("2:0", "gw1", "r")
    journal.record(LiveSnapshot(key="2:0", title="T", meeting_id="m", state=LiveState.LIVE, gateway="gw1", room="r"),
                   webinar_id=2, occurrence=0, profile=None, gw_id="id-1")
    assert not journal.gateway_started("2:0", "gw1", "r")  # still open: not opened again
    # a second start on gw2 rewrites the entry's gateway; the history still names gw1
    assert journal.gateway_started("2:0", "gw2", "r")
    journal.record(LiveSnapshot(key="2:0", title="T", meeting_id="m", state=LiveState.ENDED),
                   webinar_id=2, occurrence=0, profile=None, gw_id=None)
    entry = journal.get("2:0")
    assert entry is not None and entry.state == LiveState.ENDED
    assert [(g.gateway, g.gw_id) for g in entry.open_gateways] == [("gw1", "id-1"), ("gw2", None)]
    assert entry.may_have_gateway and [e.key for e in journal.unfinished()] == ["2:0"]
    journal.gateway_stopped("2:0", "gw1", "r")
    journal.gateway_stopped("2:0", "gw2", "r")
    assert journal.unfinished() == [] and all(g.stopped_at for g in journal.gateways("2:0"))
    assert journal.gateway_started("2:0", "gw1", "r")  # a restart opens the row again
    journal.close()
