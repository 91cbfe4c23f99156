"""The go-live state machine end to end against the lab (core API)."""

from __future__ import annotations

import asyncio

import pytest

from desktop.webinar.state import ChatPanel, ChatPanelBasis, LiveState, Step
from tests.integration.conftest import World, open_in_browser


async def _wait_publishing(world: World, expected: list[str], timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while world.lab.publishing() != expected:
            await asyncio.sleep(0.05)  # observing the lab's state from outside


async def test_scheduled_webinar_goes_live_and_ends(lab_world: World) -> None:
    webinar = lab_world.schedule(chat_in_stream=False)
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    join_urls: list[str] = []
    session.on_presenter_join_url(join_urls.append)
    states: list[LiveState] = []
    session.add_listener(lambda s: states.append(s.state) if not states or states[-1] != s.state else None)

    await session.go_live()
    await session.wait_for(lambda s: s.state == LiveState.WAITING_FOR_PRESENTER, 20)
    meeting = lab_world.lab.world.meeting(webinar.meeting_id)
    assert meeting is not None and not meeting.running
    # Pod's race is gone: no gateway before the presenter is in the meeting
    await asyncio.sleep(1.0)  # give a wrong implementation the time to start it
    assert lab_world.lab.publishing() == []
    assert session.snapshot.state == LiveState.WAITING_FOR_PRESENTER

    assert join_urls and "role=MODERATOR" in join_urls[0]
    await open_in_browser(join_urls[0])
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.LIVE, snap.failure
    assert states[:6] == [LiveState.IDLE, LiveState.CHECKING, LiveState.CREATING, LiveState.WAITING_FOR_PRESENTER,
                          LiveState.STARTING_GATEWAY, LiveState.LIVE]
    steps = snap.steps
    assert steps[Step.MEETING_CREATED] <= steps[Step.PRESENTER_JOINED] <= steps[Step.GATEWAY_STARTED] \
        <= steps[Step.STREAM_LIVE]
    assert snap.gateway == "lab-gw1"
    assert lab_world.lab.publishing() == ["gw1"]
    # the webinar hides the chat: exactly one toggle, recorded as a request (nothing confirms it)
    assert snap.chat_panel == ChatPanel(False, ChatPanelBasis.REQUESTED) and not snap.chat_panel.confirmed
    assert snap.notice == ("The webinar is live. Hiding the chat in the stream was requested; the gateway "
                           "cannot confirm it: check the preview.")
    hide_notices = [e for e in lab_world.manager.journal.timeline(session.plan.key) if e.kind == "notice"
                    and e.detail.startswith("Hiding the chat in the stream was requested")]
    assert len(hide_notices) == 1
    gateway_user = [u for u in meeting.present_users if u.full_name == "streaming"]
    assert len(gateway_user) == 1 and gateway_user[0].role == "VIEWER"
    # the create carried the webinar options
    assert meeting.params["guestPolicy"] == "ALWAYS_ACCEPT"
    assert meeting.metadata["bbb-origin"] == "Pupitre"

    await session.end_webinar()
    assert session.snapshot.state == LiveState.ENDED
    await _wait_publishing(lab_world, [])
    assert meeting.ended or meeting.end_requested
    entry = lab_world.manager.journal.get(session.plan.key)
    assert entry is not None and entry.state == LiveState.ENDED


async def test_meeting_ended_elsewhere_stops_the_gateway_within_two_polls(lab_world: World) -> None:
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.LIVE, snap.failure

    loop = asyncio.get_running_loop()
    ended_at = loop.time()
    assert lab_world.lab.end_meeting(webinar.meeting_id)
    snap = await session.wait_for(lambda s: s.state == LiveState.ENDED, 20)
    elapsed = loop.time() - ended_at
    assert "automatically" in snap.notice
    await _wait_publishing(lab_world, [])
    # two misses at live_poll (0.5 s) plus the stop: far below Pod's 60–120 s
    assert elapsed < 10 * lab_world.manager.timings.live_poll + 5


async def test_busy_first_gateway_makes_the_second_one_stream(lab_world: World) -> None:
    await lab_world.lab.set_fault("gw1", "busy")
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.LIVE, snap.failure
    assert snap.gateway == "lab-gw2"
    assert lab_world.lab.publishing() == ["gw2"]
    incidents = [e.detail for e in lab_world.manager.journal.timeline(session.plan.key) if e.kind == "incident"]
    assert any("lab-gw1" in text and "no free streaming slot" in text for text in incidents), incidents
    await session.end_webinar()


@pytest.mark.parametrize("fault, step, words", [
    ("launch_fail", "starting gateway", "failed to launch"),  # only a real start shows it
    ("wrong_token", "checking", "token"),  # the preflight catches these before anything starts
    ("http500", "checking", "lab-gw1"),
])
async def test_gateway_faults_fail_with_the_cause(lab_world: World, fault: str, step: str, words: str) -> None:
    for gateway in lab_world.lab.gateways:
        await lab_world.lab.set_fault(gateway.name, fault)
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.FAILED
    assert snap.failure is not None and snap.failure.step == step, snap.failure
    assert words in snap.failure.sentence, snap.failure.sentence
    assert lab_world.lab.publishing() == []
