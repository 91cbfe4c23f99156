"""ChatArchive: latest version per message, deletions final, order, reopen, damaged rows, own answers."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.chat.archive import ChatArchive, ChatArchiveError
from desktop.chat.classify import Classifier
from desktop.chat.message import MessageKind, RawChatMessage
from desktop.chat.model import ChatLog

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def raw(message_id: str, sequence: int | None, text: str, *, sender: str = "streaming", seconds: int = 0,
        **changes: object) -> RawChatMessage:
    base = RawChatMessage(message_id=message_id, sequence=sequence, text=text, message_type="default",
                          sender_name=sender, sender_role="VIEWER", sender_user_id="w_1", sender_is_moderator=False,
                          created_at=T0 + timedelta(seconds=seconds))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_keeps_the_latest_version_and_deletions_are_final(tmp_path: Path) -> None:
    with ChatArchive(tmp_path / "db.sqlite3") as archive:
        archive.append("1:0", [raw("a", 1, "(Jane Doe) first"), raw("b", 2, "(Omar) second", seconds=1)])
        edited = raw("a", 1, "(Jane Doe) first, edited", edited_at=T0 + timedelta(minutes=1))
        archive.append("1:0", [edited])
        archive.append("1:0", [raw("a", 1, "(Jane Doe) first")])  # an older result set after a reconnect
        deleted = raw("b", 2, "(Omar) second", seconds=1, deleted_at=T0 + timedelta(minutes=2))
        archive.append("1:0", [deleted])
        archive.append("1:0", [raw("b", 2, "(Omar) second", seconds=1)])  # cannot undelete
        archive.append("2:0", [raw("a", 1, "another webinar")])
        rows = archive.rows("1:0")
    assert [(r.message_id, r.text) for r in rows] == [("a", "(Jane Doe) first, edited"), ("b", "(Omar) second")]
    assert rows[0].edited_at == T0 + timedelta(minutes=1)
    assert rows[1].deleted_at == T0 + timedelta(minutes=2)


def test_order_is_the_chat_order_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with ChatArchive(path) as archive:
        archive.append("k", [raw("c", 3, "three", seconds=3), raw("a", 1, "one", seconds=1)])
        archive.append("k", [raw("b", 2, "two", seconds=2), raw("n", None, "no sequence", seconds=9)])
    with ChatArchive(path) as reopened:
        assert [r.text for r in reopened.rows("k")] == ["one", "two", "three", "no sequence"]
        assert reopened.keys() == ["k"]
        assert reopened.forget("k") == 4
        assert reopened.rows("k") == []


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300), st.text(max_size=80), st.one_of(st.none(), st.integers(0, 2**53)))
def test_any_text_round_trips(text: str, sender: str, sequence: int | None) -> None:
    with ChatArchive(":memory:") as archive:
        original = raw("m-1", sequence, text, sender=sender, reply_to_id="q-1")
        archive.append("k", [original])
        assert archive.rows("k") == [original]


def test_a_damaged_row_is_skipped_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with ChatArchive(path) as archive:
        archive.append("k", [raw("a", 1, "ok"), raw("b", 2, "will be damaged", seconds=1)])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE chat_archive SET row = '{\"messageId\": 42.5}' WHERE message_id = 'b'")
    conn.commit()
    conn.close()
    with ChatArchive(path) as archive:
        assert [r.message_id for r in archive.rows("k")] == ["a"]


def test_own_answers_are_answers_again_after_a_restart(tmp_path: Path) -> None:
    """A gateway answer comes back as "streaming" without a prefix: only the archive's mark tells."""
    question = raw("q", 1, "(Jane Doe) Où sont les slides ?")
    answer = raw("r", 2, "@Jane Doe: sur Moodle.", seconds=5)
    with ChatArchive(tmp_path / "db.sqlite3") as archive:
        archive.append("k", [question, answer], answers={"r": "q"})
        archive.append("k", [answer])  # a re-delivery does not lose the mark
        log = ChatLog(Classifier())
        assert archive.load_into("k", log) == 2
        assert archive.load_into("k", log) == 2  # loading twice adds nothing
    assert [(m.kind, m.author) for m in log] == [(MessageKind.AUDIENCE, "Jane Doe"),
                                                  (MessageKind.PRESENTER_ANSWER, "streaming")]
    assert len(log) == 2 and log.pending_count() == 0
    assert log[1].reply_to == "q" and log.is_answered("q")


def test_no_secret_columns(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    ChatArchive(path).close()
    conn = sqlite3.connect(path)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(chat_archive)")}
    conn.close()
    assert not {c for c in columns if any(w in c for w in ("token", "secret", "url", "cookie"))}


def test_background_writes_are_seen_by_reads_and_a_failure_is_raised_later(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    archive = ChatArchive(path)  # background writer (the default)
    for number in range(200):  # result sets arriving faster than the disk: queued, then grouped
        archive.append("k", [raw(f"m{number}", number + 1, f"message {number}", seconds=number)])
    assert archive.count("k") == 200  # a read waits for what was queued
    assert archive.get("k", "m199") is not None
    blocker = sqlite3.connect(path)
    blocker.execute("CREATE TRIGGER refuse BEFORE INSERT ON chat_archive BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    blocker.commit()
    blocker.close()
    archive.append("k", [raw("late", 500, "refused")])  # queued: the failure comes afterwards
    with pytest.raises(ChatArchiveError, match="disk full"):
        archive.flush()
    archive.flush()  # reported once
    archive.close()
    archive.close()  # a second close does nothing
    with ChatArchive(path, background=False) as again:
        assert again.count("k") == 200


def test_close_writes_what_is_queued(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    archive = ChatArchive(path)
    archive.append("k", [raw(f"m{n}", n, f"message {n}") for n in range(1, 51)])
    archive.close()
    with ChatArchive(path) as reopened:
        assert reopened.count("k") == 50
