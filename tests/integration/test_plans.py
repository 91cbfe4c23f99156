"""Adopting a running meeting, cancelling, and the scheduled end."""

from __future__ import annotations

import asyncio
import dataclasses
import time

from desktop.bbb import CreateParams, JoinParams
from desktop.webinar.state import LiveState
from tests.integration.conftest import World, open_in_browser


async def test_a_meeting_created_elsewhere_is_adopted_and_taken_live(lab_world: World) -> None:
    bbb = lab_world.manager.bbb()
    await bbb.create(CreateParams(name="Moodle course", meeting_id="moodle-course-42"))
    await open_in_browser(bbb.join_url(JoinParams("Teacher", "moodle-course-42", role="MODERATOR")))
    running = [m.meeting_id for m in await bbb.get_meetings() if m.running]
    assert "moodle-course-42" in running

    plan = lab_world.manager.plan_for_meeting("moodle-course-42", title="Moodle course", chat_in_stream=False)
    session = lab_world.manager.session(plan)
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.LIVE, snap.failure
    assert snap.key == "adopted:moodle-course-42"
    assert session.presenter_join_url and "moodle-course-42" in session.presenter_join_url
    meeting = lab_world.lab.world.meeting("moodle-course-42")
    assert meeting is not None and "pupitre-webinar" not in meeting.metadata  # not re-created
    await session.stop_live()
    assert lab_world.lab.publishing() == []


async def test_adopting_a_meeting_that_does_not_run_fails_clearly(lab_world: World) -> None:
    session = lab_world.manager.session(lab_world.manager.plan_for_meeting("nobody-here"))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state == LiveState.FAILED, 30)
    assert snap.failure is not None and "nobody-here" in snap.failure.sentence


async def test_cancel_while_waiting_for_the_presenter(lab_world: World) -> None:
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    await session.go_live()
    await session.wait_for(lambda s: s.state == LiveState.WAITING_FOR_PRESENTER, 20)
    await session.cancel()
    assert session.snapshot.state == LiveState.IDLE
    assert lab_world.lab.publishing() == []
    # and it can go live again afterwards
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.LIVE, snap.failure
    await session.end_webinar()


async def test_scheduled_end_reminds_then_ends_after_the_grace_period(lab_world: World) -> None:
    lab_world.manager.with_timings(reminder_before_end=3600.0, auto_end_grace=0.5)
    webinar = lab_world.schedule()
    plan = dataclasses.replace(lab_world.manager.plan_for(webinar.id), scheduled_end=time.time() + 4.0)
    session = lab_world.manager.session(plan)
    notices: list[str] = []
    session.add_listener(lambda s: notices.append(s.notice) if s.notice and (not notices or notices[-1] != s.notice)
                         else None)
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.go_live()
    await session.wait_for(lambda s: s.state == LiveState.LIVE, 60)
    snap = await session.wait_for(lambda s: s.state == LiveState.ENDED, 30)
    assert snap.state == LiveState.ENDED
    assert any("scheduled to end in" in n for n in notices), notices
    assert any("scheduled end has come" in n for n in notices), notices
    assert any("automatically after its scheduled end" in n for n in notices), notices
    assert lab_world.lab.publishing() == []


async def test_a_webinar_without_audience_chat_hides_the_audience_form(lab_world: World) -> None:
    import httpx

    webinar = lab_world.schedule(chat_enabled=False)
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.LIVE, snap.failure
    page = lab_world.lab.gateway("gw1").audience_page_url
    assert page is not None
    async with httpx.AsyncClient(timeout=10) as client:
        state = (await client.get(f"{page}/state")).json()
    assert state["live"] is True and state["chat"] is False
    await session.end_webinar()
