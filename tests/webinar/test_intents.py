"""Which intents each state allows — decided once, in the core (state.allowed_intents) — and
that LiveSession.perform refuses the others with a typed error."""

from __future__ import annotations

import asyncio

import pytest

from desktop.webinar.session import LivePlan, LiveSession
from desktop.webinar.state import (
    Intent,
    IntentRefused,
    LiveSnapshot,
    LiveState,
    Step,
    allowed_intents,
)

GO, CANCEL, START, STOP, RESTART, END, CHAT = (
    Intent.GO_LIVE, Intent.CANCEL, Intent.START_LIVE, Intent.STOP_LIVE, Intent.RESTART_LIVE,
    Intent.END_WEBINAR, Intent.TOGGLE_CHAT)

# state -> allowed intents, for the facts a session has in that state when things go normally:
# a gateway runs from the start of the gateway step until the stream is stopped; a meeting exists
# from "waiting for presenter" on.
TABLE: dict[LiveState, set[Intent]] = {
    LiveState.IDLE: {GO},
    LiveState.CHECKING: {CANCEL},
    LiveState.CREATING: {CANCEL},
    LiveState.WAITING_FOR_PRESENTER: {CANCEL, END},
    LiveState.STARTING_GATEWAY: {CANCEL, STOP, END, CHAT},
    LiveState.LIVE: {STOP, RESTART, END, CHAT},
    LiveState.STOPPING: {END},
    LiveState.LIVE_STOPPED: {START, RESTART, END},
    LiveState.ENDED: {GO},
    LiveState.FAILED: {GO, START, RESTART, END},  # failed after the meeting was created
}
GATEWAY_RUNS = {LiveState.STARTING_GATEWAY, LiveState.LIVE, LiveState.STOPPING}
MEETING_EXISTS = set(LiveState) - {LiveState.IDLE, LiveState.CHECKING, LiveState.CREATING}


def test_the_table_covers_every_state() -> None:
    assert set(TABLE) == set(LiveState)


@pytest.mark.parametrize("state", list(LiveState))
def test_every_intent_is_allowed_exactly_where_the_table_says(state: LiveState) -> None:
    allowed = allowed_intents(state, meeting_created=state in MEETING_EXISTS, gateway_running=state in GATEWAY_RUNS)
    assert allowed == TABLE[state]


@pytest.mark.parametrize(("state", "restarting", "meeting", "gateway", "expected"), [
    # a restart is stop-then-start: nothing to cancel, no second stop, the end stays possible
    (LiveState.STOPPING, True, True, True, {END}),
    (LiveState.STARTING_GATEWAY, True, True, True, {END, CHAT}),
    # a gateway step after a stop that has no gateway yet (still acquiring): cancel or end
    (LiveState.STARTING_GATEWAY, False, True, False, {CANCEL, END}),
    # failed before any meeting existed: only go live again
    (LiveState.FAILED, False, False, False, {GO}),
    # failed with a gateway still up (its stop failed): stop or end it, not a second go-live
    (LiveState.FAILED, False, True, True, {START, RESTART, STOP, END, CHAT}),
    # a cancel whose gateway stop failed: the gateway left running can still be ended
    (LiveState.IDLE, False, False, True, {END, CHAT}),
    (LiveState.ENDED, False, True, True, {END, CHAT}),
])
def test_intents_follow_the_facts_not_only_the_state(state: LiveState, restarting: bool, meeting: bool,
                                                     gateway: bool, expected: set[Intent]) -> None:
    assert allowed_intents(state, restarting=restarting, meeting_created=meeting,
                           gateway_running=gateway) == expected


def test_every_snapshot_carries_its_allowed_intents() -> None:
    snap = LiveSnapshot(key="1:0", title="T", meeting_id="m")
    assert snap.allowed == {GO}
    failed = snap.evolve(state=LiveState.FAILED, steps={Step.MEETING_CREATED: 1.0})
    assert failed.allowed == {GO, START, RESTART, END}
    assert failed.evolve(gateway_running=True).allowed == {START, RESTART, STOP, END, CHAT}
    assert "allowed" not in snap.to_json()  # --json keeps its documented fields


class _Untouchable:
    """A BBB client or pool that fails the test if a refused intent reached it."""

    def __getattr__(self, name: str) -> object:
        pytest.fail(f"a refused intent used {name}")


@pytest.mark.parametrize("intent", [STOP, RESTART, END, CHAT, CANCEL, START])
def test_perform_refuses_what_the_snapshot_does_not_allow(intent: Intent) -> None:
    plan = LivePlan(key="1:0", title="T", meeting_id="m", room="r", create=None, presenter_name="P")

    async def run() -> None:
        session = LiveSession(plan, bbb=_Untouchable(), pool=_Untouchable())  # type: ignore[arg-type]
        assert session.snapshot.state is LiveState.IDLE
        with pytest.raises(IntentRefused) as refused:
            await session.perform(intent)
        assert refused.value.intent is intent and refused.value.state is LiveState.IDLE
        assert intent.value in refused.value.sentence and refused.value.hint
        assert session.snapshot.state is LiveState.IDLE

    asyncio.run(run())
