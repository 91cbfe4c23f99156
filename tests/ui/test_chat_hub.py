"""The GUI's chat hub is a Qt adapter of the core's chat follower: the follower the webinar
manager owns reads the chat (under the profile's monitoring-user name), the hub relays it as
signals and hands the window the follower's log and answer pipeline."""

from __future__ import annotations

import qasync

from desktop.health import Health
from desktop.ui.chat_hub import ChatHub
from desktop.webinar.state import LiveState
from tests.chat_pipeline.conftest import (
    KEY,
    MEETING,
    WAIT,
    close_lab,
    lab_manager,
    make_lab,
    monitor_present,
)
from tests.ui.qasync_support import run, signal


def test_the_hub_relays_the_manager_s_follower(qloop: qasync.QEventLoop) -> None:
    async def body() -> None:
        lab = await make_lab()
        manager = None
        hub = ChatHub()
        try:
            await lab.start_meeting()
            await lab.start_gateway()
            manager = lab_manager(lab)
            session = manager.session(manager.plan_for_meeting(MEETING, profile="lab"))
            await hub.follow(manager, session)
            assert hub.log_for(KEY) is None  # no live yet: no chat window to open

            def go_live() -> None:
                session.resume(state=LiveState.LIVE_STOPPED, acquired=None, steps={}, chat_panel=None,
                               live_since=None)

            assert await signal(hub.chat_started, go_live, WAIT) == (KEY,)
            follower = manager.chats.get(KEY)
            assert follower is not None
            assert hub.log_for(KEY) is follower.log and hub.pipeline_for(KEY) is follower.pipeline
            await session.wait_for(lambda s: s.health.chat.level is Health.GOOD, WAIT)
            assert monitor_present(lab)  # the profile's monitoring-user name, as in the CLI
            await hub.follow(manager, session)  # the controller calls it on every state change: idempotent

            question = await signal(hub.question_arrived, lambda: lab.post_audience("Jane Doe", "Est-ce enregistré ?"),
                                    WAIT)
            assert question == (KEY, "Jane Doe", "Est-ce enregistré ?")
        finally:
            await hub.aclose()
            if manager is not None:
                await manager.aclose()
            await close_lab(lab)

    run(qloop, body())
