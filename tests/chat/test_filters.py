"""Views, search and exclusion over a ChatLog."""

from __future__ import annotations

import pytest

from desktop.chat.classify import Classifier
from desktop.chat.filters import ChatFilter, View, select
from desktop.chat.model import ChatLog
from desktop.chat.moderation import ModerationState
from tests.chat.helpers import T0, audience, raw


@pytest.fixture
def moderation() -> ModerationState:
    return ModerationState("w", None)


@pytest.fixture
def log(moderation: ModerationState) -> ChatLog:
    log = ChatLog(Classifier(presenter_names={"Pupitre"}), moderation)
    log.ingest_many(
        [
            audience(1, "Jane Doe", "Où est le replay ?"),  # 0 question
            audience(2, "Bob Martin", "Merci, très clair"),  # 1
            raw(3, "Pourquoi le son coupe", sender="Alice"),  # 2 panelist question
            audience(4, "Spam Bot", "Achetez des cryptos ?"),  # 3 question, muted below
            raw(5, "@Jane Doe: sur la page de l'événement", sender="Pupitre"),  # 4 answer to 0
            audience(6, "Zoé Durand", "Quel est le mot de passe ?"),  # 5 question
            audience(7, "Bob Martin", "Un lien d'arnaque ici"),  # 6 blocked below
            audience(8, "Bob Martin", "message effacé", deleted=T0),  # 7 deleted
            raw(9, "poll", sender="", message_type="poll"),  # 8 system
        ]
    )
    moderation.mute_author("Spam Bot")
    moderation.block_word("arnaque")
    return log


def test_all_view_keeps_deleted_but_not_excluded(log: ChatLog) -> None:
    assert select(log, ChatFilter()) == [0, 1, 2, 4, 5, 7, 8]
    assert select(log, ChatFilter(show_excluded=True)) == list(range(9))


def test_audience_view(log: ChatLog) -> None:
    assert select(log, ChatFilter(View.AUDIENCE)) == [0, 1, 5]


def test_questions_and_unanswered(log: ChatLog, moderation: ModerationState) -> None:
    assert select(log, ChatFilter(View.QUESTIONS)) == [0, 2, 5]
    assert select(log, ChatFilter(View.UNANSWERED)) == [2, 5]  # 0 answered by the @quote
    moderation.set_answered("msg-6")
    assert select(log, ChatFilter(View.UNANSWERED)) == [2]
    assert select(log, ChatFilter(View.QUESTIONS, show_excluded=True)) == [0, 2, 3, 5]


def test_starred(log: ChatLog, moderation: ModerationState) -> None:
    assert select(log, ChatFilter(View.STARRED)) == []
    moderation.set_starred("msg-2")
    moderation.set_starred("msg-4")  # muted author: still excluded
    assert select(log, ChatFilter(View.STARRED)) == [1]


def test_hidden_by_hand(log: ChatLog, moderation: ModerationState) -> None:
    moderation.set_hidden("msg-1")
    assert 0 not in select(log, ChatFilter())
    assert 0 in select(log, ChatFilter(show_excluded=True))


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("replay", [0]),
        ("REPLAY", [0]),
        ("ou est", [0]),  # accent-insensitive
        ("zoe", [5]),  # matches the author
        ("bob", [1, 7]),  # the blocked one stays out; the deleted one shows in the "all" view
        ("  mot   de  ", [5]),  # spaces collapsed
        ("événement", [4]),
        ("nothing like this", []),
        ("", [0, 1, 2, 4, 5, 7, 8]),
    ],
)
def test_search(log: ChatLog, needle: str, expected: list[int]) -> None:
    assert select(log, ChatFilter(search=needle)) == expected


def test_search_inside_a_view(log: ChatLog) -> None:
    assert select(log, ChatFilter(View.QUESTIONS, search="pourquoi")) == [2]


def test_filter_is_a_value() -> None:
    assert ChatFilter(View.QUESTIONS, "x") == ChatFilter(View.QUESTIONS, "x")
    assert hash(ChatFilter(View.QUESTIONS, "x")) == hash(ChatFilter(View.QUESTIONS, "x"))
