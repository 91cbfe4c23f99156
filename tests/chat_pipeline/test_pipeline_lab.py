"""ChatPipeline against the lab: audience messages through the gateway, answers through every sink,
health, refusals, servers without GraphQL, and the archive after the meeting."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from desktop.bbb import CreateParams
from desktop.bbb.errors import ChatMessageTooLong
from desktop.bbb.models import ApiInfo
from desktop.chat.archive import ChatArchive
from desktop.chat.classify import Classifier, quote_reply
from desktop.chat.export import records, to_csv, to_json, transcript_markdown
from desktop.chat.graphql_source import ChatConnection
from desktop.chat.message import DeliveryStatus, MessageKind
from desktop.chat.model import ChatLog
from desktop.chat.pipeline import (
    ChatPipeline,
    NoAnswerSink,
    gateway_sender,
    supports_send_chat_message,
)
from desktop.chat.sinks import SinkKind
from desktop.chat.text import match_key
from desktop.gateways.pool import GatewayPool
from desktop.webinar.session import LivePlan, LiveSession
from desktop.webinar.state import Health, HealthRow
from tests.chat_pipeline.conftest import KEY, MEETING, WAIT, Lab, close_lab, make_lab

ANSWER_NAME = "Ada (answers)"


class Recorder:
    def __init__(self) -> None:
        self.health: list[tuple[Health, str]] = []

    def __call__(self, level: Health, text: str) -> None:
        self.health.append((level, text))


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[ChatArchive]:
    with ChatArchive(tmp_path / "pupitre.sqlite3") as opened:
        yield opened


@pytest.fixture
async def pipeline(lab: Lab, archive: ChatArchive) -> AsyncIterator[tuple[ChatPipeline, Recorder]]:
    recorder = Recorder()
    assert lab.session is not None
    session = lab.session

    async def through_gateway(text: str) -> None:
        await lab.gateway.send_chat(session, text)

    built = ChatPipeline(KEY, MEETING, lab.bbb, log=ChatLog(Classifier()), archive=archive,
                         monitor_name="Pupitre", answer_sender_name=ANSWER_NAME,
                         gateway_sender=through_gateway, gateway_name="gw1", on_health=recorder,
                         source_options={"max_backoff": 0.3})
    await built.start()
    await built.wait_connected(WAIT)
    try:
        yield built, recorder
    finally:
        await built.stop()
        built.log.close()


async def test_audience_messages_and_an_answer_through_each_sink(
        lab: Lab, pipeline: tuple[ChatPipeline, Recorder], archive: ChatArchive) -> None:
    chat, recorder = pipeline
    log = chat.log
    assert recorder.health[-1] == (Health.GOOD, "The chat is connected.")
    assert [s.kind for s in chat.available_sinks()] == [SinkKind.BBB_API, SinkKind.GRAPHQL, SinkKind.GATEWAY]
    assert chat.default_sink().kind is SinkKind.BBB_API

    await lab.post_audience("Jane Doe", "Est-ce que les diapos seront partagées ?")
    await lab.post_audience("Omar Ba", "Merci pour la présentation")
    await chat.wait_until(lambda: sum(m.kind is MessageKind.AUDIENCE for m in log) == 2, WAIT)
    question, thanks = [m for m in log if m.kind is MessageKind.AUDIENCE]
    assert (question.author, question.text, question.is_question, question.via_gateway) == (
        "Jane Doe", "Est-ce que les diapos seront partagées ?", True, True)
    assert (thanks.author, thanks.is_question) == ("Omar Ba", False)
    assert question.sender_name == "streaming"

    senders = {SinkKind.BBB_API: ANSWER_NAME, SinkKind.GRAPHQL: "Pupitre", SinkKind.GATEWAY: "streaming"}
    for kind, sender in senders.items():
        text = f"Réponse par {kind.value} : oui, c'est prévu."
        sent = await chat.answer(text, sink=kind, reply_to=question.id)
        row = await chat.wait_delivered(sent, WAIT)
        assert row.kind is MessageKind.PRESENTER_ANSWER, kind
        assert row.status is DeliveryStatus.DELIVERED and not row.id.startswith("pending:")
        assert row.reply_to == question.id
        assert row.text == quote_reply("Jane Doe", text) or match_key(row.text) == match_key(quote_reply("Jane Doe", text))
        landed = lab.chat[-1]  # it really is in the BBB meeting's chat
        assert (landed.message_id, landed.sender_name) == (row.id, sender)
        assert match_key(landed.text) == match_key(f"@Jane Doe: {text}")

    ids = [m.id for m in log]
    assert len(ids) == len(set(ids)) == 5, "an answer was duplicated"
    assert log.pending_count() == 0
    assert log.is_answered(question.id) and not log.is_answered(thanks.id)
    assert [m.id for m in log] == [m.message_id for m in lab.chat]

    # the archive has every row, and knows which ones were our answers
    archived = archive.messages(KEY)
    assert [a.raw.message_id for a in archived] == ids
    assert [a.own for a in archived] == [False, False, True, True, True]
    assert {a.reply_to for a in archived if a.own} == {question.id}


async def test_too_long_answers_are_refused_before_anything_is_sent(
        lab: Lab, pipeline: tuple[ChatPipeline, Recorder]) -> None:
    chat, _ = pipeline
    await lab.post_audience("Jane Doe", "Une question ?")
    await chat.wait_until(lambda: len(chat.log) == 1, WAIT)
    before = len(lab.chat)
    for kind in SinkKind:
        with pytest.raises(ChatMessageTooLong, match="501 characters"):
            await chat.answer("x" * 501, sink=kind)
    # exactly 500 characters of text, but the quote makes it longer
    with pytest.raises(ChatMessageTooLong, match="at most 500"):
        await chat.answer("y" * 495, sink=SinkKind.BBB_API, reply_to=chat.log[0].id)
    assert len(chat.log) == 1 and chat.log.pending_count() == 0
    assert len(lab.chat) == before
    # 500 is fine
    sent = await chat.answer("z" * 500, sink=SinkKind.BBB_API)
    assert (await chat.wait_delivered(sent, WAIT)).kind is MessageKind.PRESENTER_ANSWER


async def test_a_refused_send_marks_the_row_failed(lab: Lab, pipeline: tuple[ChatPipeline, Recorder]) -> None:
    chat, _ = pipeline
    await lab.gateway_server.stop()  # the gateway is gone
    with pytest.raises(Exception) as caught:
        await chat.answer("Vous m'entendez ?", sink=SinkKind.GATEWAY)
    assert caught.type.__module__.startswith("desktop.")
    assert [m.status for m in chat.log] == [DeliveryStatus.FAILED]
    with pytest.raises(Exception, match="no message"):
        await chat.answer("hello", sink=SinkKind.BBB_API, reply_to="no-such-id")


async def test_health_follows_drops_and_the_end_of_the_meeting(
        lab: Lab, pipeline: tuple[ChatPipeline, Recorder]) -> None:
    chat, recorder = pipeline
    lab.world.bbb_faults.graphql_drop += 1
    lab.world.fault_changed("graphql_drop")
    await chat.wait_until(lambda: chat.status.state is ChatConnection.RECONNECTING, WAIT)
    level, text = recorder.health[-1]
    assert level is Health.WARNING and text.startswith("The chat connection dropped; reconnecting in ")
    await chat.wait_until(lambda: chat.status.state is ChatConnection.CONNECTED, WAIT)
    assert recorder.health[-1] == (Health.GOOD, "The chat is connected.")
    # while it reconnects the row stays a warning: it never falls back to "unknown"
    after_drop = recorder.health[recorder.health.index((Health.GOOD, "The chat is connected.")) + 1:]
    assert [level for level, _ in after_drop] == [Health.WARNING, Health.WARNING, Health.GOOD]
    assert after_drop[1][1] == "The chat connection dropped; reconnecting now."
    # answers sent after the reconnection still come back once
    sent = await chat.answer("Toujours là.", sink=SinkKind.GRAPHQL)
    await chat.wait_delivered(sent, WAIT)

    await lab.bbb.end(MEETING)
    status = await chat.wait_finished()
    assert status.state is ChatConnection.ENDED
    assert recorder.health[-1] == (Health.GOOD, "The meeting has ended; the chat is closed.")
    assert [s.kind for s in chat.available_sinks()] == [SinkKind.BBB_API, SinkKind.GATEWAY]


@pytest.mark.parametrize("mode", ["bbb2_mode", "scalelite_mode"])
async def test_without_graphql_only_the_gateway_is_offered(mode: str, tmp_path: Path) -> None:
    built = await make_lab(bbb2_mode=mode == "bbb2_mode", scalelite_mode=mode == "scalelite_mode")
    try:
        await built.bbb.create(CreateParams(name="Old server", meeting_id=MEETING))
        sent: list[str] = []

        async def through_gateway(text: str) -> None:
            sent.append(text)

        recorder = Recorder()
        chat = ChatPipeline(KEY, MEETING, built.bbb, log=ChatLog(), archive=None, gateway_sender=through_gateway,
                            gateway_name="gw1", on_health=recorder)
        await chat.start()
        assert chat.finished and chat.status.state is ChatConnection.UNAVAILABLE
        level, text = recorder.health[-1]
        assert level is Health.WARNING
        assert "no GraphQL chat" in text and "through the gateway" in text
        assert [s.kind for s in chat.available_sinks()] == [SinkKind.GATEWAY]
        for kind in (SinkKind.BBB_API, SinkKind.GRAPHQL):
            with pytest.raises(NoAnswerSink):
                chat.sink(kind)
        row = await chat.answer("Bonjour à tous")
        assert sent == ["Bonjour à tous"]
        assert row.status is DeliveryStatus.PENDING  # nothing can read it back on this server
        chat.set_gateway_sender(None)
        assert "through the gateway" not in recorder.health[-1][1]
        with pytest.raises(NoAnswerSink):
            chat.default_sink()
        await chat.stop()
    finally:
        await close_lab(built)


@pytest.mark.parametrize(("info", "expected"), [
    (ApiInfo(version="2.0", bbb_version="3.0.19", graphql_websocket_url="wss://b/graphql"), True),
    (ApiInfo(version="2.0", bbb_version=None, graphql_websocket_url="wss://b/graphql"), True),
    (ApiInfo(version="2.0", bbb_version="2.7.12"), False),
    (ApiInfo(version="2.0", bbb_version="2.9-beta", graphql_websocket_url="wss://b/graphql"), False),
    (ApiInfo(version="2.0"), False),  # Scalelite's root
    (None, False),
])
def test_send_chat_message_needs_bbb3_without_scalelite(info: ApiInfo | None, expected: bool) -> None:
    assert supports_send_chat_message(info) is expected


async def test_the_archive_outlives_the_meeting_and_exports(
        lab: Lab, pipeline: tuple[ChatPipeline, Recorder], tmp_path: Path) -> None:
    chat, _ = pipeline
    await lab.post_audience("Jane Doe", "Pourquoi =SUM(A1) ?")
    await chat.wait_until(lambda: len(chat.log) == 1, WAIT)
    question = chat.log[0]
    for kind in (SinkKind.GATEWAY, SinkKind.GRAPHQL):
        await chat.wait_delivered(await chat.answer(f"Parce que ({kind.value}).", sink=kind, reply_to=question.id),
                                  WAIT)
    await lab.bbb.end(MEETING)
    await chat.wait_finished()
    await chat.stop()

    # a new process: new classifier (the monitoring user's id is unknown), archive reopened
    with ChatArchive(tmp_path / "pupitre.sqlite3") as reopened:
        assert reopened.count(KEY) == 3
        log = ChatLog(Classifier())
        assert reopened.load_into(KEY, log) == 3
    assert [m.kind for m in log] == [MessageKind.AUDIENCE, MessageKind.PRESENTER_ANSWER, MessageKind.PRESENTER_ANSWER]
    assert all(m.status is DeliveryStatus.DELIVERED for m in log)
    assert log.is_answered(question.id)

    rows = list(csv.DictReader(io.StringIO(to_csv(records(log)))))
    assert [r["author"] for r in rows] == ["Jane Doe", "streaming", "Pupitre"]
    assert rows[0]["text"] == "Pourquoi =SUM(A1) ?" and rows[0]["answered"] == "true"
    data = json.loads(to_json(records(log)))
    assert [m["kind"] for m in data["messages"]] == ["audience", "presenter_answer", "presenter_answer"]
    assert data["messages"][1]["reply_to"] == question.id
    markdown = transcript_markdown(log, "Pipeline webinar")
    assert "**Jane Doe**" in markdown and "1 questions, 1 answered" in markdown


async def test_the_health_row_of_a_live_session_follows_the_chat(lab: Lab) -> None:
    plan = LivePlan(key=KEY, title="Pipeline webinar", meeting_id=MEETING, room="0a1b2c3d4e", create=None,
                    presenter_name="Ada Presenter")
    session = LiveSession(plan, bbb=lab.bbb, pool=GatewayPool([]))
    assert lab.session is not None
    chat = ChatPipeline(KEY, MEETING, lab.bbb, log=ChatLog(), on_health=session.set_chat_health,
                        gateway_sender=gateway_sender(lab.gateway, lab.session), gateway_name="gw1")
    try:
        await chat.start()
        await chat.wait_connected(WAIT)
        assert session.snapshot.health.chat == HealthRow(Health.GOOD, "The chat is connected.")
        assert session.snapshot.to_json()["health"]["chat"] == {"level": "good", "text": "The chat is connected."}
        sent = await chat.answer("Bienvenue !", sink=SinkKind.GATEWAY)
        assert (await chat.wait_delivered(sent, WAIT)).sender_name == "streaming"
    finally:
        await chat.stop()
        await session.close()
    assert session.snapshot.health.chat.level is Health.UNKNOWN  # stopped by us: no longer followed
