"""The one chat follower (``desktop.webinar.live_chat``), owned by the webinar manager, against the
lab: with a live (read while the meeting runs, the live's gateway, its health row, stopped at the
end, restored after a restart) and on demand (the journal's gateway), under the profile's
monitoring-user name."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.chat.message import ChatMessage, DeliveryStatus, MessageKind
from desktop.chat.sinks import SinkKind
from desktop.errors import ConfigError
from desktop.gateways.pool import Acquired
from desktop.health import Health
from desktop.webinar.journal import Journal, JournalEntry
from desktop.webinar.state import LiveSnapshot, LiveState
from tests.chat_pipeline.conftest import (
    ANSWER_SENDER,
    KEY,
    MEETING,
    MONITOR_NAME,
    ROOM,
    WAIT,
    Lab,
    lab_manager,
    monitor_present,
    wait_for_world,
)


async def test_a_live_s_follower_reads_while_the_meeting_runs_and_stops_at_its_end(lab: Lab) -> None:
    manager = lab_manager(lab, live_poll=0.2, misses_before_autostop=1)
    try:
        session = manager.session(manager.plan_for_meeting(MEETING, profile="lab", gateway="gw1"))
        follower = manager.chats.follow(session)
        assert manager.chats.follow(session) is follower and manager.chats.get(KEY) is follower  # one per key
        questions: list[ChatMessage] = []
        follower.on_question(questions.append)
        await follower.wait_idle()
        assert not follower.started and not monitor_present(lab)  # no live yet: nobody joins to read

        named = manager.pool.get("gw1")
        assert lab.session is not None
        session.resume(state=LiveState.LIVE, acquired=Acquired(named.config, named.gateway, lab.session),
                       steps={}, chat_panel=None, live_since=None)
        await session.wait_for(lambda s: s.health.chat.level is Health.GOOD, WAIT)
        assert follower.started and monitor_present(lab)  # the profile's name, not "Pupitre"
        assert [s.kind for s in follower.pipeline.available_sinks()] == [
            SinkKind.BBB_API, SinkKind.GRAPHQL, SinkKind.GATEWAY]  # the live's gateway carries answers

        await lab.post_audience("Jane Doe", "Est-ce enregistré ?")
        await lab.post_audience("Omar Ba", "Bravo")
        await follower.pipeline.wait_until(lambda: len(follower.log) == 2, WAIT)
        assert [(q.author, q.text) for q in questions] == [("Jane Doe", "Est-ce enregistré ?")]
        sent = await follower.pipeline.answer("Oui.", sink=SinkKind.BBB_API, reply_to=questions[0].id)
        answer = await follower.pipeline.wait_delivered(sent, WAIT)
        assert (answer.kind, answer.sender_name, answer.status) == (
            MessageKind.PRESENTER_ANSWER, ANSWER_SENDER, DeliveryStatus.DELIVERED)

        await lab.bbb.end(MEETING)  # the meeting ends on the server: the live stops by itself
        await session.wait_for(lambda s: s.state is LiveState.ENDED, WAIT)
        await follower.wait_idle()
        assert follower.pipeline.finished
        await wait_for_world(lab.world, lambda: not monitor_present(lab))
        assert len(follower.log) == 3  # the conversation stays for the window and the exports
    finally:
        await manager.aclose()

    # the app restarts: the conversation is back in the log before anything is read
    again = lab_manager(lab)
    try:
        restored = again.chats.follow(again.session(again.plan_for_meeting(MEETING, profile="lab")))
        assert [(m.kind, m.author) for m in restored.log] == [
            (MessageKind.AUDIENCE, "Jane Doe"), (MessageKind.AUDIENCE, "Omar Ba"),
            (MessageKind.PRESENTER_ANSWER, ANSWER_SENDER)]
        assert restored.log[2].reply_to == restored.log[0].id and restored.log.is_answered(restored.log[0].id)
    finally:
        await again.aclose()


async def test_a_follower_reads_again_when_the_same_webinar_goes_live_again(lab: Lab) -> None:
    manager = lab_manager(lab, live_poll=0.2, misses_before_autostop=1)
    try:
        session = manager.session(manager.plan_for_meeting(MEETING, profile="lab"))
        follower = manager.chats.follow(session)
        session.resume(state=LiveState.LIVE_STOPPED, acquired=None, steps={}, chat_panel=None, live_since=None)
        await session.wait_for(lambda s: s.health.chat.level is Health.GOOD, WAIT)
        await lab.bbb.end(MEETING)
        await session.wait_for(lambda s: s.state is LiveState.ENDED, WAIT)
        await follower.wait_idle()
        await wait_for_world(lab.world, lambda: lab.meeting.ended)  # BBB ends a meeting shortly after "end"
        assert not monitor_present(lab)

        await lab.start_meeting()  # the meeting runs again (a new occurrence, a re-go-live)
        session.resume(state=LiveState.LIVE_STOPPED, acquired=None, steps={}, chat_panel=None, live_since=None)
        await wait_for_world(lab.world, lambda: monitor_present(lab))
        sent = await follower.pipeline.answer("Encore là ?", sink=SinkKind.BBB_API)
        assert (await follower.pipeline.wait_delivered(sent, WAIT)).status is DeliveryStatus.DELIVERED  # read back
    finally:
        await manager.aclose()
    await wait_for_world(lab.world, lambda: not monitor_present(lab))  # closing the manager: the monitor leaves


async def test_on_demand_the_journaled_gateway_answers_and_a_vanished_one_is_explained(lab: Lab) -> None:
    manager = lab_manager(lab)
    journal = Journal(manager.paths.database_file)
    journal.record(LiveSnapshot(key=KEY, title="Lab webinar", meeting_id=MEETING, state=LiveState.LIVE,
                                gateway="gw1", room=ROOM), webinar_id=None, occurrence=None, profile="lab", gw_id=None)
    entry = journal.get(KEY)
    journal.close()
    assert entry is not None
    try:
        follower = manager.chats.open(KEY, MEETING, profile="lab", entry=entry)
        assert manager.chats.open(KEY, MEETING, profile="lab", entry=entry) is follower
        assert follower.pipeline.monitor_name == MONITOR_NAME
        await follower.start(read=False)
        assert not monitor_present(lab)  # answering does not need the reader
        await follower.pipeline.answer("Bonjour à tous", sink=SinkKind.GATEWAY)
        await wait_for_world(lab.world, lambda: any(m.text == "Bonjour à tous" for m in lab.chat))
        assert [m.sender_name for m in lab.chat] == ["streaming"]

        with pytest.raises(ConfigError, match="“gw-gone” of this webinar is no longer configured"):
            manager.chats.open("adopted:other", MEETING, profile="lab", entry=entry_on(entry, "gw-gone"),
                               strict_gateway=True)
        lenient = manager.chats.open("adopted:other", MEETING, profile="lab", entry=entry_on(entry, "gw-gone"))
        await lenient.start(read=False)
        assert SinkKind.GATEWAY not in [s.kind for s in lenient.pipeline.available_sinks()]
    finally:
        await manager.aclose()


def entry_on(entry: JournalEntry, gateway: str) -> JournalEntry:
    return replace(entry, gateway=gateway)


async def test_the_follower_uses_the_profile_s_monitoring_name_unless_a_preference_says_otherwise(
        lab: Lab) -> None:
    manager = lab_manager(lab)
    try:
        assert manager.chats.open("adopted:x", MEETING, profile="lab").pipeline.monitor_name == MONITOR_NAME
        manager.settings.preferences["monitor_name"] = "Pupitre"  # the settings dialog stores the default too
        assert manager.chats.open("adopted:z", MEETING, profile="lab").pipeline.monitor_name == MONITOR_NAME
        manager.settings.preferences["monitor_name"] = "Régie centrale"
        assert manager.chats.open("adopted:y", MEETING, profile="lab").pipeline.monitor_name == "Régie centrale"
    finally:
        await manager.aclose()
