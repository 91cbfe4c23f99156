"""ChatLog: de-duplication, edits and deletes, drops, gaps, pending answers, listeners, unread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from desktop.chat.classify import Classifier, quote_reply
from desktop.chat.memory import measure_memory
from desktop.chat.message import DeliveryStatus, MessageKind
from desktop.chat.model import ChatLog, IngestOutcome
from desktop.chat.moderation import ModerationState
from desktop.gateways.chat_text import ChatRelay, prepare_chat_text
from tests.chat.helpers import T0, audience, raw, row


@dataclass
class Recorder:
    """Checks every notification against the log, the way a Qt model would rely on it."""

    log: ChatLog
    events: list[tuple[str, int, int]] = field(default_factory=list)
    rows: int = 0

    def __post_init__(self) -> None:
        self.rows = len(self.log)
        self.log.add_listener(self.appended, self.changed, self.dropped, self.changed_all)

    def appended(self, first: int, count: int) -> None:
        assert first == self.rows, "appends must follow the rows the view knows"
        assert count > 0
        self.rows += count
        assert self.rows == len(self.log)
        self.events.append(("appended", first, count))

    def changed(self, index: int) -> None:
        assert 0 <= index < self.rows
        self.events.append(("changed", index, 1))

    def dropped(self, count: int) -> None:
        self.rows -= count
        assert self.rows == len(self.log)
        self.events.append(("dropped", 0, count))

    def changed_all(self) -> None:
        self.events.append(("changed_all", 0, self.rows))


@pytest.fixture
def log() -> ChatLog:
    return ChatLog(Classifier(presenter_names={"Pupitre"}))


def result_set(n: int) -> list:
    return [audience(i, f"Person {i}", f"message {i}") for i in range(1, n + 1)]


def test_append_and_index_access(log: ChatLog) -> None:
    recorder = Recorder(log)
    summary = log.ingest_many(result_set(3))
    assert summary.appended == 3
    assert len(log) == 3
    assert [m.author for m in log] == ["Person 1", "Person 2", "Person 3"]
    assert log[0].id == "msg-1" and log[-1].id == "msg-3"
    assert log.index_of("msg-2") == 1
    assert log.get("msg-9") is None
    assert recorder.events == [("appended", 0, 3)]
    with pytest.raises(IndexError):
        log[3]


def test_redelivered_result_sets_do_not_duplicate(log: ChatLog) -> None:
    recorder = Recorder(log)
    log.ingest_many(result_set(3))
    summary = log.ingest_many(result_set(5))  # Hasura re-sends the whole result
    assert (summary.appended, summary.unchanged) == (2, 3)
    assert len(log) == 5
    assert len({m.id for m in log}) == 5
    assert recorder.events == [("appended", 0, 3), ("appended", 3, 2)]
    assert log.ingest(audience(1, "Person 1", "message 1")) is IngestOutcome.UNCHANGED


def test_result_set_is_sorted_by_sequence(log: ChatLog) -> None:
    log.ingest_many(list(reversed(result_set(4))))
    assert [m.sequence for m in log] == [1, 2, 3, 4]


def test_edit_updates_in_place(log: ChatLog) -> None:
    log.ingest_many(result_set(3))
    recorder = Recorder(log)
    edited = audience(2, "Person 2", "message 2, edited: pourquoi ?", edited=T0 + timedelta(minutes=1))
    assert log.ingest(edited) is IngestOutcome.UPDATED
    assert len(log) == 3
    assert log[1].text == "message 2, edited: pourquoi ?"
    assert log[1].is_question
    assert recorder.events == [("changed", 1, 1)]
    # the same edit again, and an older version, change nothing
    assert log.ingest(edited) is IngestOutcome.UNCHANGED
    assert log.ingest(audience(2, "Person 2", "message 2")) is IngestOutcome.UNCHANGED
    assert log[1].text == "message 2, edited: pourquoi ?"


def test_delete_marks_the_row(log: ChatLog) -> None:
    log.ingest_many(result_set(3))
    recorder = Recorder(log)
    assert log.ingest(audience(2, "Person 2", "message 2", deleted=T0 + timedelta(minutes=2))) is IngestOutcome.UPDATED
    assert len(log) == 3
    assert log[1].is_deleted
    assert recorder.events == [("changed", 1, 1)]
    # an older result set without deletedAt does not resurrect it
    assert log.ingest(audience(2, "Person 2", "message 2")) is IngestOutcome.UNCHANGED
    assert log[1].is_deleted


def test_edit_inside_the_same_result_set_is_announced_once(log: ChatLog) -> None:
    recorder = Recorder(log)
    log.ingest_many([audience(1, "A", "v1"), audience(1, "A", "v2", edited=T0 + timedelta(seconds=5))])
    assert recorder.events == [("appended", 0, 1)]
    assert log[0].text == "v2"


def test_capacity_drops_oldest_and_counts(log: ChatLog) -> None:
    small = ChatLog(capacity=3)
    recorder = Recorder(small)
    small.ingest_many(result_set(5))
    assert len(small) == 3
    assert small.dropped_count == 2
    assert [m.sequence for m in small] == [3, 4, 5]
    assert small.index_of("msg-1") is None
    assert small.index_of("msg-3") == 0
    assert recorder.events == [("appended", 0, 5), ("dropped", 0, 2)]
    # re-delivery of the whole history: dropped messages do not come back, nothing duplicates
    summary = small.ingest_many(result_set(6))
    assert (summary.stale, summary.unchanged, summary.appended) == (2, 3, 1)
    assert [m.sequence for m in small] == [4, 5, 6]
    assert small.dropped_count == 3


def test_capacity_with_many_single_appends_keeps_indices_right() -> None:
    small = ChatLog(capacity=10)
    recorder = Recorder(small)
    for i in range(1, 3001):
        small.ingest(audience(i, "A", f"m{i}"))
    assert len(small) == 10
    assert small.dropped_count == 2990
    assert [m.sequence for m in small] == list(range(2991, 3001))
    assert small.index_of("msg-2995") == 4
    assert small[4].id == "msg-2995"
    assert recorder.rows == 10


def test_drop_without_sequences_uses_time() -> None:
    small = ChatLog(capacity=1)
    first = row(1, "(A) one")
    second = row(2, "(A) two")
    for r in (first, second):
        del r["messageSequence"]
    small.ingest_rows([first, second])
    assert small.dropped_count == 1
    assert small.ingest_rows([first, second]).stale == 1
    assert len(small) == 1


def test_gap_detection_and_fill(log: ChatLog) -> None:
    log.ingest_many([audience(i, "A", "x") for i in (3, 4, 8, 9, 12)])
    assert log.missing_sequences() == [(5, 7), (10, 11)]
    log.ingest(audience(6, "A", "late"))
    assert log.missing_sequences() == [(5, 5), (7, 7), (10, 11)]
    log.ingest_many([audience(i, "A", "late") for i in (5, 7, 10, 11)])
    assert log.missing_sequences() == []


def test_no_gap_before_the_first_message(log: ChatLog) -> None:
    log.ingest_many([audience(i, "A", "x") for i in (100, 101)])
    assert log.missing_sequences() == []


def test_resume_point(log: ChatLog) -> None:
    assert log.resume_point().last_sequence is None
    log.ingest_many(result_set(4))
    log.add_pending("pending answer", "Pupitre")
    point = log.resume_point()
    assert point.last_sequence == 4
    assert point.last_message_id == "msg-4"
    assert point.last_created_at == T0 + timedelta(seconds=4)
    assert point.received == 4


def test_rejected_rows_are_counted_not_raised(log: ChatLog) -> None:
    summary = log.ingest_rows([row(1, "(A) ok"), {"messageId": 5.5}, "junk", row(2, "(B) ok")])
    assert (summary.appended, summary.rejected) == (2, 2)


# -- pending answers ------------------------------------------------------------------------------


def test_pending_answer_turns_into_the_real_message(log: ChatLog) -> None:
    log.ingest(audience(1, "Jane Doe", "Où est le replay ?"))
    recorder = Recorder(log)
    text = quote_reply("Jane Doe", "Sur la page de l'événement")
    pending = log.add_pending(text, "Pupitre", reply_to="msg-1")
    assert pending.status is DeliveryStatus.PENDING
    assert pending.kind is MessageKind.PRESENTER_ANSWER
    assert log.index_of(pending.id) == 1
    assert log.pending_count() == 1
    assert not log.is_answered("msg-1")
    # another message arrives meanwhile, then our answer (HTML-escaped by the server, quote changed)
    log.ingest(audience(2, "Bob", "merci"))
    echoed = "@Jane Doe: Sur la page de l’&eacute;v&eacute;nement".replace("&eacute;", "é")
    assert log.ingest(raw(3, echoed, sender="Pupitre")) is IngestOutcome.RECONCILED
    assert len(log) == 3
    assert log.index_of(pending.id) is None
    assert log.index_of("msg-3") == 1
    answer = log[1]
    assert answer.status is DeliveryStatus.DELIVERED
    assert answer.kind is MessageKind.PRESENTER_ANSWER
    assert answer.reply_to == "msg-1"
    assert log.pending_count() == 0
    assert log.is_answered("msg-1")
    assert log.flags(log[0]).answered
    assert ("changed", 1, 1) in recorder.events and ("changed", 0, 1) in recorder.events
    # a re-delivery of the answer is just unchanged
    assert log.ingest(raw(3, echoed, sender="Pupitre")) is IngestOutcome.UNCHANGED
    assert len(log) == 3


def test_pending_through_the_gateway_matches_bytes_and_quotes(log: ChatLog) -> None:
    pending = log.add_pending("It's \"fine\" — café", "streaming")
    # what a v1.7 gateway types for it: Pupitre sends it in ASCII (desktop.gateways.chat_text),
    # the gateway wraps it in b'...' (Renater/SIPMediaGW v1.7.0 Chat.POST + src/netstring.py)
    sent = prepare_chat_text("It's \"fine\" — café", ChatRelay.LEGACY_BYTES)
    assert sent == "It`s `fine` - cafe"
    assert log.ingest(raw(1, f"b'{sent}'")) is IngestOutcome.RECONCILED
    assert log.index_of(pending.id) is None
    assert log[0].kind is MessageKind.PRESENTER_ANSWER
    assert log[0].via_gateway


def test_pending_needs_the_same_sender(log: ChatLog) -> None:
    log.add_pending("Oui", "Pupitre")
    assert log.ingest(raw(1, "(Eve) Oui")) is IngestOutcome.APPENDED  # the audience saying "Oui"
    assert log.ingest(raw(2, "Oui", sender="Alice")) is IngestOutcome.APPENDED
    assert log.pending_count() == 1
    assert log.ingest(raw(3, "oui", sender="Pupitre")) is IngestOutcome.RECONCILED
    assert len(log) == 3


def test_two_identical_pending_answers_reconcile_in_order(log: ChatLog) -> None:
    first = log.add_pending("Merci !", "Pupitre")
    second = log.add_pending("Merci !", "Pupitre")
    log.ingest(raw(1, "Merci !", sender="Pupitre"))
    assert log.index_of(first.id) is None and log.index_of(second.id) == 1
    log.ingest(raw(2, "Merci !", sender="Pupitre"))
    assert [m.id for m in log] == ["msg-1", "msg-2"]


def test_failed_pending_stays_and_can_still_arrive(log: ChatLog) -> None:
    pending = log.add_pending("Réponse", "Pupitre")
    recorder = Recorder(log)
    assert log.mark_failed(pending.id)
    assert log[0].status is DeliveryStatus.FAILED
    assert recorder.events == [("changed", 0, 1)]
    assert not log.mark_failed(pending.id)
    assert not log.mark_failed("pending:999")
    assert log.ingest(raw(1, "Réponse", sender="Pupitre")) is IngestOutcome.RECONCILED
    assert log[0].status is DeliveryStatus.DELIVERED


def test_reply_quote_links_to_the_authors_last_message(log: ChatLog) -> None:
    log.ingest_many([audience(1, "Jane Doe", "Première question ?"), audience(2, "Jane Doe", "Seconde question ?"), audience(3, "Bob", "Et moi ?")])
    log.ingest(raw(4, "@jane doe: réponse", sender="Pupitre"))
    assert log[3].reply_to == "msg-2"
    assert log.is_answered("msg-2") and not log.is_answered("msg-1")
    log.ingest(raw(5, "@Nobody: hein", sender="Pupitre"))
    assert log[4].reply_to is None


def test_panelist_reply_links_but_does_not_answer(log: ChatLog) -> None:
    log.ingest_many([audience(1, "Jane", "Pourquoi ?"), raw(2, "@Jane: I'll let the speaker answer", sender="Alice")])
    assert log[1].reply_to == "msg-1"
    assert not log.is_answered("msg-1")


# -- moderation hooks and unread ------------------------------------------------------------------


def test_moderation_changes_are_forwarded() -> None:
    moderation = ModerationState("w1", None)
    log = ChatLog(moderation=moderation)
    log.ingest_many(result_set(3))
    recorder = Recorder(log)
    moderation.set_starred("msg-2")
    moderation.set_starred("msg-404")
    assert recorder.events == [("changed", 1, 1)]
    assert log.flags(log[1]).starred
    moderation.block_word("message")
    assert recorder.events[-1] == ("changed_all", 0, 3)
    assert all(log.flags(m).blocked for m in log)
    log.close()
    moderation.set_hidden("msg-1")
    assert recorder.events[-1] == ("changed_all", 0, 3)


def test_moderation_rule_change_without_bulk_listener_falls_back_to_each_row() -> None:
    moderation = ModerationState("w1", None)
    log = ChatLog(moderation=moderation)
    log.ingest_many(result_set(3))
    changed: list[int] = []
    log.add_listener(lambda first, count: None, changed.append)
    moderation.mute_author("Person 2")
    assert changed == [0, 1, 2]


def test_unread_count(log: ChatLog) -> None:
    moderation = ModerationState("w1", None)
    log = ChatLog(Classifier(presenter_names={"Pupitre"}), moderation)
    log.ingest_many(result_set(3))
    assert log.unread_count() == 3
    log.mark_read()
    assert log.unread_count() == 0
    log.ingest_many([audience(4, "Jane", "a"), raw(5, "our answer", sender="Pupitre"), audience(6, "Spam", "b")])
    moderation.mute_author("Spam")
    assert log.unread_count() == 1
    assert log.unread_count(lambda message, flags: True) == 3
    log.mark_read(3)
    assert log.unread_count(lambda message, flags: True) == 2
    log.mark_read(0)  # the marker never goes back
    assert log.unread_count(lambda message, flags: True) == 2


def test_unread_survives_drops() -> None:
    small = ChatLog(capacity=2)
    small.ingest_many(result_set(2))
    small.mark_read()
    small.ingest_many(result_set(5))
    assert small.unread_count() == 2


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ChatLog(capacity=0)


def test_measure_memory_helper() -> None:
    # For 100,000 messages: about 70 MB (~700 B each) on CPython 3.11; see desktop/chat/memory.py.
    report = measure_memory(1_000)
    assert report.messages == 1_000
    assert 0 < report.bytes_per_message < 10_000
    assert report.bytes_peak >= report.bytes_total
    assert measure_memory(50, capacity=10).messages == 10


def test_a_bad_row_in_repeated_result_sets_is_logged_once(log: ChatLog, caplog: pytest.LogCaptureFixture) -> None:
    bad = {"messageId": "m", "createdAt": "not a time"}
    for _ in range(3):
        log.ingest_rows([bad, row(1, "(A) ok")])
    warnings = [r for r in caplog.records if r.levelname == "WARNING" and "Ignored a chat row" in r.getMessage()]
    assert len(warnings) == 1
    assert len(log) == 1
