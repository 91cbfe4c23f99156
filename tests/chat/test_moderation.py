"""ModerationState: flags, blocked words, muted authors, persistence across a reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.chat.classify import Classifier
from desktop.chat.message import ChatMessage
from desktop.chat.moderation import SCHEMA_VERSION, ModerationState, ModerationStorageError
from desktop.config.paths import AppPaths
from tests.chat.helpers import audience, raw


def classify(sequence: int, name: str, text: str) -> ChatMessage:
    return Classifier(presenter_names={"Pupitre"}).classify(audience(sequence, name, text))


def test_survives_restart(pupitre_home: Path) -> None:
    with ModerationState.open("webinar-1") as state:
        state.set_starred("m1")
        state.set_answered("m2")
        state.set_hidden("m3")
        state.set_starred("m4")
        state.set_starred("m4", False)
        assert state.block_word("Arnaque")
        assert state.mute_author("Spam Bot")
    database = AppPaths.from_environment().database_file
    assert database.is_file()
    with ModerationState.open("webinar-1") as again:
        assert again.starred_ids == {"m1"}
        assert again.answered_ids == {"m2"}
        assert again.hidden_ids == {"m3"}
        assert again.blocked_words == ("Arnaque",)
        assert again.muted_authors == ("Spam Bot",)
        assert again.is_blocked_text("une ARNAQUÉ évidente")  # the rule itself is restored
        assert again.is_muted("spam  bot")
    with ModerationState.open("webinar-2") as other:
        assert other.starred_ids == frozenset()
        assert other.blocked_words == ()


def test_own_tables_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE someone_elses (x INTEGER)")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    ModerationState("w", path).close()
    conn = sqlite3.connect(path)
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"someone_elses", "chat_meta", "chat_moderation", "chat_blocked_words", "chat_muted_authors"} <= tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7  # untouched
    assert conn.execute("SELECT value FROM chat_meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    conn.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    ModerationState("w", path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE chat_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(ModerationStorageError, match="newer"):
        ModerationState("w", path)


def test_corrupt_database_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ModerationStorageError) as caught:
        ModerationState("w", path)
    assert caught.value.hint


def test_blocked_words_are_whole_words_any_case_or_accent() -> None:
    state = ModerationState("w", None)
    state.block_word("arnaque")
    state.block_word("Gros Mot")
    assert state.is_blocked_text("C'est une ARNAQUE !")
    assert state.is_blocked_text("c'est une arnaqué")  # accents folded
    assert state.is_blocked_text("un gros\u200b  mot caché")  # zero-width and double space
    assert not state.is_blocked_text("arnaques au pluriel")  # not the same word
    assert not state.is_blocked_text("desarnaque")
    assert not state.block_word("ARNAQUE")  # already there
    assert not state.block_word("   ")
    assert state.unblock_word("ArNaQuE")
    assert not state.is_blocked_text("arnaque")
    assert not state.unblock_word("arnaque")


def test_blocked_word_with_regex_characters() -> None:
    state = ModerationState("w", None)
    state.block_word("c++")
    state.block_word("a.b")
    assert state.is_blocked_text("I love c++ !")
    assert not state.is_blocked_text("axb")


def test_flags_for_messages() -> None:
    state = ModerationState("w", None)
    jane = classify(1, "Jane Doe", "Quel est le lien ?")
    spam = classify(2, "Spam Bot", "achetez")
    state.set_starred(jane.id)
    state.mute_author("spam bot")
    assert state.flags(jane).starred and not state.flags(jane).excluded
    assert state.flags(spam).muted_author and state.flags(spam).excluded
    state.block_word("lien")
    assert state.flags(jane).blocked
    answer = Classifier(presenter_names={"Pupitre"}).classify(raw(3, "le lien est là", sender="Pupitre"))
    assert not state.flags(answer).blocked  # our own answers are never filtered
    assert state.unmute_author("SPAM BOT")
    assert not state.flags(spam).muted_author


def test_listeners_get_ids_or_none() -> None:
    state = ModerationState("w", None)
    seen: list[frozenset[str] | None] = []
    remove = state.add_listener(seen.append)
    state.set_hidden("m1")
    state.set_hidden("m1")  # no change, no call
    state.block_word("x")
    state.mute_author("y")
    remove()
    state.set_starred("m2")
    assert seen == [frozenset({"m1"}), None, None]


def test_failed_write_leaves_memory_unchanged(tmp_path: Path) -> None:
    state = ModerationState("w", tmp_path / "db.sqlite3")
    state._conn.close()  # simulate the database going away
    with pytest.raises(ModerationStorageError):
        state.set_starred("m1")
    assert not state.is_starred("m1")
