"""The session says what happened: typed events with each snapshot, against the lab."""

from __future__ import annotations

import asyncio

from desktop.webinar.events import (
    ChatPanelChanged,
    LiveEvent,
    LiveStopped,
    LiveUpdate,
    Origin,
    StateChanged,
    StepReached,
    WentLive,
)
from desktop.webinar.state import Intent, LiveState, Step
from tests.integration.conftest import World, open_in_browser


async def test_events_tell_the_steps_and_who_stopped_the_live(lab_world: World) -> None:
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    updates: list[LiveUpdate] = []
    session.add_update_listener(updates.append)
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))

    def events() -> list[LiveEvent]:
        return [event for update in updates for event in update.events]

    await session.perform(Intent.GO_LIVE)
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state is LiveState.LIVE, snap.failure
    assert [e.state for e in events() if isinstance(e, StateChanged)] == [
        LiveState.CHECKING, LiveState.CREATING, LiveState.WAITING_FOR_PRESENTER, LiveState.STARTING_GATEWAY,
        LiveState.LIVE]
    assert [e.step for e in events() if isinstance(e, StepReached)] == list(Step)
    assert [e for e in events() if isinstance(e, WentLive)] == [WentLive(restarted=False)]
    assert any(isinstance(e, ChatPanelChanged) and e.panel is not None for e in events())
    # each event travels with the snapshot it produced
    went_live = next(u for u in updates if any(isinstance(e, WentLive) for e in u.events))
    assert went_live.snapshot.state is LiveState.LIVE and Intent.STOP_LIVE in went_live.snapshot.allowed

    # another process stops the stream: the meeting goes on, and the event says who
    await session.perform(Intent.STOP_LIVE, origin=Origin.OTHER_PROCESS)
    assert session.snapshot.state is LiveState.LIVE_STOPPED
    stopped = [e for e in events() if isinstance(e, LiveStopped)]
    assert [(e.state, e.origin) for e in stopped] == [(LiveState.LIVE_STOPPED, Origin.OTHER_PROCESS)]
    assert stopped[0].reason == session.snapshot.notice

    # the meeting ends on the server: the watcher stops the live, and says it did
    assert lab_world.lab.end_meeting(webinar.meeting_id)
    await session.wait_for(lambda s: s.state is LiveState.ENDED, 20)
    stopped = [e for e in events() if isinstance(e, LiveStopped)]
    assert (stopped[-1].state, stopped[-1].origin) == (LiveState.ENDED, Origin.AUTO_STOP)
    assert "automatically" in stopped[-1].reason


async def test_a_start_again_can_be_cancelled_and_the_meeting_goes_on(lab_world: World) -> None:
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.perform(Intent.GO_LIVE)
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state is LiveState.LIVE, snap.failure
    await session.perform(Intent.STOP_LIVE)
    assert session.snapshot.state is LiveState.LIVE_STOPPED
    for gateway in lab_world.lab.gateways:  # the stream will not come: the start waits for it
        await lab_world.lab.set_fault(f"stream:{gateway.name}", "not_found")

    start = asyncio.create_task(session.perform(Intent.START_LIVE))
    snap = await session.wait_for(lambda s: s.state is LiveState.STARTING_GATEWAY and s.gateway_running, 30)
    assert Intent.CANCEL in snap.allowed
    await session.perform(Intent.CANCEL)
    await asyncio.wait_for(start, 10)  # the start again returns once cancelled
    assert session.snapshot.state is LiveState.LIVE_STOPPED  # the meeting goes on
    assert session.snapshot.notice == "Cancelled." and not session.snapshot.gateway_running
    meeting = lab_world.lab.world.meeting(webinar.meeting_id)
    assert meeting is not None and meeting.running
    async with asyncio.timeout(20):
        while lab_world.lab.publishing() != []:
            await asyncio.sleep(0.05)  # observing the lab's state from outside
    await session.perform(Intent.END_WEBINAR)
    assert session.snapshot.state is LiveState.ENDED
