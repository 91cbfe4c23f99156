"""Fault scenarios from the lab's injector, each checking the final state, the one sentence the
presenter reads, and that nothing is left publishing.

Already covered elsewhere (referenced, not repeated here):

* preflight-time gateway faults (launch fail, 401, 500 caught in *checking*) and the busy first
  gateway making the second one stream — ``tests/integration/test_go_live.py``;
* BBB down before / during a live, checksum algorithm refused — ``tests/integration/
  test_live_operations.py``;
* the meeting ended by someone else (auto-stop within two polls) — ``test_go_live.py``;
* the GraphQL drop on the bare chat source — ``tests/integration/test_graphql_chat_source.py``.

Here: the same gateway faults when they hit the ``/start`` itself (the preflight passed),
hung gateways timing out, the stream rows' reasons in plain words, the GraphQL drop through the
whole chat pipeline, and a network loss and return with back-off and recovery without any user
action.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from desktop.bbb import CreateParams
from desktop.chat.classify import Classifier
from desktop.chat.graphql_source import ChatConnection, ChatStatus
from desktop.chat.message import RawChatMessage
from desktop.chat.model import ChatLog
from desktop.chat.pipeline import ChatPipeline
from desktop.webinar.session import LiveSession
from desktop.webinar.state import Health, LiveState
from tests.integration.conftest import World, open_in_browser
from tests.reliability.support import assert_plain_sentence, wait_publishing, wait_until

pytestmark = pytest.mark.lab

ALL_GATEWAYS = ("lab-gw1", "lab-gw2", "lab-gw3")


async def start_until_presenter(world: World) -> tuple[LiveSession, list[str]]:
    """Go live up to *waiting for presenter* (the preflight has passed)."""
    webinar = world.schedule()
    session = world.manager.session(world.manager.plan_for(webinar.id))
    urls: list[str] = []
    session.on_presenter_join_url(urls.append)
    await session.go_live()
    await session.wait_for(lambda s: s.state == LiveState.WAITING_FOR_PRESENTER, 30)
    return session, urls


async def go_live(world: World) -> LiveSession:
    session, urls = await start_until_presenter(world)
    await open_in_browser(urls[0])
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.LIVE, snap.failure
    return session


@pytest.mark.parametrize("fault, words", [
    ("launch_fail", "failed to launch"),
    ("wrong_token", "refused the token"),
    ("http500", "Internal Server Error"),  # v1.8 reports a failed launch as a 500 (reference §5.1)
    ("busy", "is busy"),
])
async def test_gateway_fault_at_start_time_fails_with_every_cause(lab_world: World, fault: str, words: str) -> None:
    session, urls = await start_until_presenter(lab_world)
    for gateway in lab_world.lab.gateways:
        await lab_world.lab.set_fault(gateway.name, fault)
    await open_in_browser(urls[0])
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)

    assert snap.state == LiveState.FAILED
    assert snap.failure is not None and snap.failure.step == "starting gateway", snap.failure
    sentence = snap.failure.sentence
    assert_plain_sentence(sentence)
    causes = sentence.split(": ", 1)[1].split("; ")
    assert [cause.split(" ", 1)[0] for cause in causes] == list(ALL_GATEWAYS), sentence  # each tried
    for cause in causes:
        assert words in cause, sentence
    assert snap.failure.hint
    assert lab_world.lab.publishing() == []
    assert lab_world.manager.pool.in_use == frozenset(), "a failed start left a gateway reserved"
    entry = lab_world.manager.journal.get(session.plan.key)
    assert entry is not None and entry.state == LiveState.FAILED
    assert entry.gateway is None  # no start can still be on its way: recovery has nothing to stop
    meeting = lab_world.lab.world.meeting(session.plan.meeting_id)
    assert meeting is not None and meeting.running  # a gateway failure never ends the meeting


async def test_hung_gateways_time_out_and_nothing_streams_once_they_wake(short_timeout_world: World) -> None:
    world = short_timeout_world
    session, urls = await start_until_presenter(world)
    for gateway in world.lab.gateways:
        await world.lab.set_fault(gateway.name, "hang")
    await open_in_browser(urls[0])
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)

    assert snap.state == LiveState.FAILED
    assert snap.failure is not None and snap.failure.step == "starting gateway", snap.failure
    assert_plain_sentence(snap.failure.sentence)
    assert snap.failure.sentence.count("did not answer in time") == len(ALL_GATEWAYS), snap.failure.sentence
    # a timed-out start may still come up: the journal keeps the last candidate for recovery
    entry = world.manager.journal.get(session.plan.key)
    assert entry is not None and entry.gateway in ALL_GATEWAYS
    assert world.lab.publishing() == []

    # the gateways wake up and serve the held /start requests: the app must not leave them
    # streaming to nobody
    for gateway in world.lab.gateways:
        await world.lab.set_fault(gateway.name, "hang", on=False)
    emulators = [g.server.gateway for g in world.lab.gateways]
    await wait_until(lambda: all(e.held_requests == 0 for e in emulators), 10, "held requests served")
    await wait_until(lambda: all(e.run is None for e in emulators) and world.lab.publishing() == [], 30,
                     "every late container stopped")


@pytest.mark.parametrize("fault, words", [("stalled", "advancing"), ("not_found", "404")])
async def test_stream_fault_reason_is_plain_words_and_recovers_by_itself(lab_world: World, fault: str,
                                                                        words: str) -> None:
    session = await go_live(lab_world)
    await session.wait_for(lambda s: s.health.stream.level == Health.GOOD, 30)
    await lab_world.lab.set_fault("stream:gw1", fault)
    snap = await session.wait_for(lambda s: s.health.stream.level == Health.BAD, 30)
    assert words in snap.health.stream.text, snap.health.stream.text
    assert_plain_sentence(snap.health.stream.text)
    assert snap.health.worst() == Health.BAD
    assert snap.state == LiveState.LIVE  # a stream problem is shown, not acted upon
    assert lab_world.lab.publishing() == ["gw1"]
    incidents = [e.detail for e in lab_world.manager.journal.timeline(session.plan.key) if e.kind == "incident"]
    assert snap.health.stream.text in incidents  # the report will show it

    await lab_world.lab.set_fault("stream:gw1", fault, on=False)
    snap = await session.wait_for(lambda s: s.health.stream.level == Health.GOOD, 30)
    assert_plain_sentence(snap.health.stream.text)
    assert snap.state == LiveState.LIVE
    await session.end_webinar()
    await wait_publishing(lab_world.lab, [])


class RecordingPipeline(ChatPipeline):
    """The real pipeline, remembering every status and every batch the reader delivered."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.statuses: list[ChatStatus] = []
        self.delivered: list[RawChatMessage] = []

    def _on_status(self, status: ChatStatus) -> None:
        self.statuses.append(status)
        super()._on_status(status)

    def _on_messages(self, batch: Sequence[RawChatMessage]) -> None:
        self.delivered.extend(batch)
        super()._on_messages(batch)


def assert_no_gap_no_duplicate(pipeline: RecordingPipeline, expected: list[str]) -> None:
    ids = [m.message_id for m in pipeline.delivered]
    assert len(ids) == len(set(ids)), "the reader delivered a message twice"
    texts = [m.raw_text for m in pipeline.log]
    for text in expected:
        assert texts.count(text) == 1, (text, texts)
    sequences = sorted(m.sequence for m in pipeline.log if m.sequence is not None)
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences))), sequences
    assert pipeline.log.missing_sequences() == []


async def test_graphql_drop_through_the_chat_pipeline_resumes_without_gaps_or_duplicates(lab_world: World) -> None:
    lab, bbb = lab_world.lab, lab_world.manager.bbb()
    await bbb.create(CreateParams(name="Drop test", meeting_id="drop-test-01"))
    meeting = lab.world.meeting("drop-test-01")
    assert meeting is not None
    lab.world.enter(meeting, lab.world.register_user(meeting, full_name="Ada Presenter", role="MODERATOR"))
    health: list[tuple[Health, str]] = []
    pipeline = RecordingPipeline("adopted:drop-test-01", "drop-test-01", bbb, log=ChatLog(Classifier()),
                                 on_health=lambda level, text: health.append((level, text)),
                                 source_options={"max_backoff": 0.5, "window": 5})
    await pipeline.start()
    try:
        await pipeline.wait_connected(10)
        expected = [f"(Jane Doe) before {i}" for i in range(7)]
        for text in expected:
            lab.world.post_chat(meeting, text=text, sender_name="streaming")
        await pipeline.wait_until(lambda: len(pipeline.log) >= 7, 10)

        await lab.set_fault("bbb", "graphql_drop")
        await pipeline.wait_until(lambda: pipeline.status.state is ChatConnection.RECONNECTING, 10)
        during = [f"(Jane Doe) during {i}" for i in range(6)]  # more than the window
        for text in during:
            lab.world.post_chat(meeting, text=text, sender_name="streaming")
        await pipeline.wait_connected(10)
        await pipeline.wait_until(lambda: len(pipeline.log) >= 13, 10)
        lab.world.post_chat(meeting, text="(Jane Doe) after", sender_name="streaming")
        await pipeline.wait_until(lambda: len(pipeline.log) >= 14, 10)

        assert_no_gap_no_duplicate(pipeline, [*expected, *during, "(Jane Doe) after"])
        assert any(level == Health.WARNING for level, _ in health)
        assert health[-1] == (Health.GOOD, "The chat is connected.")
        for _, text in health:
            assert_plain_sentence(text)
    finally:
        await pipeline.stop()
        pipeline.log.close()


@pytest.mark.slow
async def test_network_loss_and_return_reconnects_with_back_off_without_user_action(
        short_timeout_world: World) -> None:
    world = short_timeout_world
    lab = world.lab
    session = await go_live(world)
    pipeline = RecordingPipeline(session.plan.key, session.plan.meeting_id, world.manager.bbb(),
                                 log=ChatLog(Classifier()), on_health=session.set_chat_health,
                                 source_options={"max_backoff": 4.0})
    await pipeline.start()
    try:
        await pipeline.wait_connected(10)
        await session.wait_for(lambda s: all(row.level == Health.GOOD for row in (
            s.health.meeting, s.health.gateway, s.health.stream, s.health.chat)), 30)
        meeting = lab.world.meeting(session.plan.meeting_id)
        assert meeting is not None
        lab.world.post_chat(meeting, text="(Jane Doe) before the cut", sender_name="streaming")
        await pipeline.wait_until(lambda: len(pipeline.log) >= 1, 10)

        # the network goes: BBB unreachable, every gateway silent
        await lab.set_fault("bbb", "down")
        for gateway in lab.gateways:
            await lab.set_fault(gateway.name, "hang")
        snap = await session.wait_for(lambda s: s.health.meeting.level == Health.BAD
                                      and s.health.gateway.level == Health.BAD
                                      and s.health.chat.level == Health.WARNING, 30)
        for row in (snap.health.meeting, snap.health.gateway, snap.health.chat):
            assert_plain_sentence(row.text)
        assert "could not be asked" in snap.health.meeting.text, snap.health.meeting.text
        await pipeline.wait_until(lambda: sum(s.state is ChatConnection.RECONNECTING
                                              for s in pipeline.statuses) >= 4, 30)
        lab.world.post_chat(meeting, text="(Jane Doe) during the cut", sender_name="streaming")
        assert session.snapshot.state == LiveState.LIVE  # an unreachable server is not an ended meeting
        assert lab.publishing() == ["gw1"]

        # the network comes back: everything turns good again by itself
        await lab.set_fault("bbb", "down", on=False)
        for gateway in lab.gateways:
            await lab.set_fault(gateway.name, "hang", on=False)
        snap = await session.wait_for(lambda s: all(row.level == Health.GOOD for row in (
            s.health.meeting, s.health.gateway, s.health.stream, s.health.chat)), 60)
        assert snap.state == LiveState.LIVE
        await pipeline.wait_until(lambda: len(pipeline.log) >= 2, 20)

        retries = [s for s in pipeline.statuses if s.state is ChatConnection.RECONNECTING]
        attempts = [s.attempt for s in retries]
        delays = [s.retry_in or 0.0 for s in retries]
        assert attempts[:4] == [1, 2, 3, 4], attempts
        # OBS-style back-off: each delay at least ~1.3x the previous one until the 4 s cap
        for before, after in itertools.pairwise(delays[:4]):
            assert after >= min(4.0 * 0.8, before * 1.3), delays
        assert max(delays) <= 4.0 * 1.2 + 1e-9, delays
        assert_no_gap_no_duplicate(pipeline, ["(Jane Doe) before the cut", "(Jane Doe) during the cut"])

        # once connected again, the next blip starts the back-off afresh (not at the 4 s cap)
        seen = len(pipeline.statuses)
        await lab.set_fault("bbb", "graphql_drop")
        await pipeline.wait_until(lambda: any(s.state is ChatConnection.RECONNECTING
                                              for s in pipeline.statuses[seen:]), 10)
        blip = next(s for s in pipeline.statuses[seen:] if s.state is ChatConnection.RECONNECTING)
        assert blip.attempt == 1 and (blip.retry_in or 0) <= 0.6, blip
        await pipeline.wait_connected(10)
    finally:
        await pipeline.stop()
        pipeline.log.close()
    await session.end_webinar()
    await wait_publishing(lab, [])
