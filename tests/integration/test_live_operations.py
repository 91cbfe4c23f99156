"""Stop-live, restart, chat-panel toggle and faults during a live, against the lab."""

from __future__ import annotations

import asyncio

import pytest

from desktop.webinar.session import LiveSession
from desktop.webinar.state import ChatPanel, ChatPanelBasis, Health, LiveState, Step
from tests.integration.conftest import World, open_in_browser


async def go_live(world: World, **options: object) -> LiveSession:
    webinar = world.schedule(**options)
    session = world.manager.session(world.manager.plan_for(webinar.id))
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 90)
    assert snap.state == LiveState.LIVE, snap.failure
    return session


async def wait_lab(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)  # observing the lab from outside


@pytest.mark.slow
@pytest.mark.lab_options(fast=False, realistic=True)
async def test_stop_live_and_restart_with_realistic_gateway_timings(lab_world: World) -> None:
    lab_world.manager.with_timings(gateway_down_timeout=60.0, stream_live_timeout=60.0)
    session = await go_live(lab_world)
    gateway = lab_world.lab.gateway("gw1")
    runs_before = gateway.server.gateway

    # restart: stop, wait until the gateway is really down (10–20 s here), start again
    restart = asyncio.create_task(session.restart_live())
    await session.wait_for(lambda s: s.state == LiveState.STOPPING and s.restarting, 10)
    await session.wait_for(lambda s: s.state == LiveState.STARTING_GATEWAY, 60)
    # the new start came only once the old stream was gone
    assert lab_world.lab.publishing() == []
    await restart
    snap = session.snapshot
    assert snap.state == LiveState.LIVE, snap.failure
    assert snap.chat_panel == ChatPanel.after_start() and not snap.restarting  # a new start: BBB's default
    assert Step.STREAM_LIVE in snap.steps
    assert lab_world.lab.publishing() == ["gw1"]
    assert runs_before is gateway.server.gateway

    # stop only the live: the meeting goes on
    await session.stop_live()
    snap = session.snapshot
    assert snap.state == LiveState.LIVE_STOPPED, snap.failure
    assert lab_world.lab.publishing() == []
    meeting = lab_world.lab.world.meeting(session.plan.meeting_id)
    assert meeting is not None and meeting.running
    await session.end_webinar()
    assert session.snapshot.state == LiveState.ENDED


async def test_toggle_chat_panel_records_requests_and_flips_the_video(lab_world: World) -> None:
    session = await go_live(lab_world)
    assert session.snapshot.chat_panel == ChatPanel.after_start()
    await session.toggle_chat_panel()
    snap = session.snapshot
    # the gateway accepted the toggle: a request, not a fact
    assert snap.chat_panel == ChatPanel(False, ChatPanelBasis.REQUESTED) and not snap.chat_panel.confirmed
    assert snap.notice == ("Hiding the chat in the stream was requested; the gateway cannot confirm it: "
                           "check the preview.")
    assert "hidden in the stream" not in snap.notice
    entry = lab_world.manager.journal.get(session.plan.key)
    assert entry is not None and entry.chat_panel == ChatPanel(False, ChatPanelBasis.REQUESTED)
    emulator = lab_world.lab.gateway("gw1").server.gateway
    await wait_lab(lambda: emulator.scene().chat_visible is False)
    await session.toggle_chat_panel()
    assert session.snapshot.chat_panel == ChatPanel(True, ChatPanelBasis.REQUESTED)
    assert session.snapshot.notice.startswith("Showing the chat in the stream was requested")
    await wait_lab(lambda: emulator.scene().chat_visible is True)
    # where a future confirmation source would report (nothing in Pupitre sees the panel yet)
    session.chat_panel_seen(True)
    assert session.snapshot.chat_panel == ChatPanel(True, ChatPanelBasis.CONFIRMED)
    entry = lab_world.manager.journal.get(session.plan.key)
    assert entry is not None and entry.chat_panel is not None and entry.chat_panel.confirmed
    await session.end_webinar()
    assert session.snapshot.chat_panel is None


async def test_a_toggle_the_gateway_acknowledges_but_loses_stays_a_request(lab_world: World) -> None:
    """The real container's chatHandler swallows a failed click and the reply is "ok" all the
    same: Pupitre must not say the chat is hidden."""
    session = await go_live(lab_world)
    await lab_world.lab.set_fault("gw1", "toggle_lost")
    emulator = lab_world.lab.gateway("gw1").server.gateway
    toggles: list[object] = []
    lab_world.lab.world.subscribe(lambda e: toggles.append(e) if e.kind == "gateway_chat_toggled" else None)

    await session.toggle_chat_panel()
    snap = session.snapshot
    assert snap.chat_panel == ChatPanel(False, ChatPanelBasis.REQUESTED)
    assert snap.to_json()["chat_panel"] == "hide requested" and snap.to_json()["chat_panel_confirmed"] is False
    assert "requested" in snap.notice and "cannot confirm" in snap.notice
    # the panel never moved: the one gateway reply was all Pupitre had
    assert emulator.scene().chat_visible is True and toggles == []
    await session.end_webinar()


async def test_bbb_down_before_the_live_fails_in_checking(lab_world: World) -> None:
    await lab_world.lab.set_fault("bbb", "down")
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state == LiveState.FAILED, 60)
    assert snap.failure is not None and snap.failure.step == "checking"
    assert "reach" in snap.failure.sentence or "answer" in snap.failure.sentence, snap.failure.sentence


async def test_checksum_algorithm_refused_is_explained(lab_world: World) -> None:
    await lab_world.lab.set_fault("bbb", "checksum_sha1_only")
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state == LiveState.FAILED, 60)
    assert snap.failure is not None and snap.failure.step == "checking"
    assert "sha1" in snap.failure.sentence, snap.failure.sentence


async def test_bbb_down_during_a_live_turns_health_red_and_recovers(lab_world: World) -> None:
    session = await go_live(lab_world)
    await session.wait_for(lambda s: s.health.meeting.level == Health.GOOD, 20)
    await lab_world.lab.set_fault("bbb", "down")
    snap = await session.wait_for(lambda s: s.health.meeting.level == Health.BAD, 20)
    assert snap.state == LiveState.LIVE  # an unreachable BBB is not an ended meeting (Pod #9)
    assert lab_world.lab.publishing() == ["gw1"]
    await lab_world.lab.set_fault("bbb", "down", on=False)
    snap = await session.wait_for(lambda s: s.health.meeting.level == Health.GOOD, 20)
    assert snap.state == LiveState.LIVE
    await session.end_webinar()


@pytest.mark.parametrize("fault, words", [("stalled", "advancing"), ("not_found", "404")])
async def test_stream_faults_turn_the_stream_row_red_then_recover(lab_world: World, fault: str,
                                                                   words: str) -> None:
    session = await go_live(lab_world)
    await lab_world.lab.set_fault("stream:gw1", fault)
    snap = await session.wait_for(lambda s: s.health.stream.level == Health.BAD, 30)
    assert words in snap.health.stream.text, snap.health.stream.text
    assert snap.state == LiveState.LIVE
    await lab_world.lab.set_fault("stream:gw1", fault, on=False)
    snap = await session.wait_for(lambda s: s.health.stream.level == Health.GOOD, 30)
    await session.end_webinar()
