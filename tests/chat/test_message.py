"""RawChatMessage.from_graphql: strict on types, lenient on presence, text kept verbatim."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.chat.message import MAX_TEXT_CHARS, ChatDataError, RawChatMessage
from desktop.errors import ProtocolError
from tests.chat.helpers import row

CREATED = datetime(2026, 3, 4, 14, 0, 1, tzinfo=UTC)


def test_full_row_from_the_lab_shape() -> None:
    message = RawChatMessage.from_graphql(row(1, "(Jane Doe) Bonjour", moderator=False))
    assert message.message_id == "msg-1"
    assert message.sequence == 1
    assert message.text == "(Jane Doe) Bonjour"
    assert message.message_type == "default"
    assert message.sender_name == "streaming"
    assert message.sender_user_id == "w_streaming"
    assert message.sender_role == "VIEWER"
    assert message.sender_is_moderator is False
    assert message.created_at == CREATED
    assert message.created_at.tzinfo is not None
    assert message.edited_at is None and message.deleted_at is None
    assert message.chat_id == "MAIN-PUBLIC-GROUP-CHAT"


def test_minimal_row_needs_only_an_id_and_a_time() -> None:
    message = RawChatMessage.from_graphql({"messageId": "m", "createdAt": "2026-03-04T14:00:01Z"})
    assert message.text == ""
    assert message.sequence is None
    assert message.sender_name == "" and message.sender_user_id == ""
    assert message.message_type == "default"
    assert message.created_at == CREATED


def test_sender_falls_back_to_the_user_relation() -> None:
    message = RawChatMessage.from_graphql(
        {"messageId": "m", "createdAt": 1_772_632_801_000, "user": {"name": "Ann", "userId": "w_1", "isModerator": True}}
    )
    assert (message.sender_name, message.sender_user_id, message.sender_is_moderator) == ("Ann", "w_1", True)


def test_moderator_from_role_when_no_user() -> None:
    message = RawChatMessage.from_graphql({"messageId": "m", "createdAt": 1_772_632_801_000, "senderRole": "MODERATOR"})
    assert message.sender_is_moderator is True


@pytest.mark.parametrize(
    "fields",
    [
        {"createdAt": 1_772_632_801_000},
        {"createdAt": 1_772_632_801_000.0},
        {"createdAt": "1772632801000"},
        {"createdAt": "2026-03-04T14:00:01Z"},
        {"createdAt": "2026-03-04T15:00:01+01:00"},
        {"createdAt": "2026-03-04T14:00:01"},  # Hasura timestamp without zone: UTC
        {"createdAt": "2026-03-04T14:00:01.000000+00:00"},
    ],
)
def test_creation_time_forms(fields: dict[str, Any]) -> None:
    message = RawChatMessage.from_graphql({"messageId": "m", **fields})
    assert message.created_at == CREATED
    assert message.created_at.utcoffset() is not None


@pytest.mark.parametrize("fields", [{"createdTime": 1_772_632_801_000}, {"createdTimeAsDate": "2026-03-04T14:00:01Z"}])
def test_beta_creation_time_names_are_not_read(fields: dict[str, Any]) -> None:
    """The subscription asks for createdAt only; the beta names never come (BBB >= 3.0 GA)."""
    with pytest.raises(ChatDataError):
        RawChatMessage.from_graphql({"messageId": "m", **fields})


def test_edit_and_delete_times() -> None:
    message = RawChatMessage.from_graphql(
        {"messageId": "m", "createdAt": 1_772_632_801_000, "editedAt": "2026-03-04T14:01:00Z", "deletedAt": 1_772_632_900_000}
    )
    assert message.edited_at == datetime(2026, 3, 4, 14, 1, tzinfo=UTC)
    assert message.deleted_at == datetime(2026, 3, 4, 14, 1, 40, tzinfo=UTC)


def test_native_reply_id() -> None:
    assert RawChatMessage.from_graphql({"messageId": "m", "createdAt": 1_772_632_801_000, "replyToMessage": {"messageId": "q"}}).reply_to_id == "q"
    assert RawChatMessage.from_graphql({"messageId": "m", "createdAt": 1_772_632_801_000, "replyToMessageId": "q2"}).reply_to_id == "q2"


def test_numeric_message_id_is_accepted_as_text() -> None:
    assert RawChatMessage.from_graphql({"messageId": 42, "createdAt": 1_772_632_801_000}).message_id == "42"


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        "row",
        {},  # no id
        {"messageId": "", "createdAt": 1_772_632_801_000},
        {"messageId": True, "createdAt": 1_772_632_801_000},
        {"messageId": "m"},  # no time
        {"messageId": "m", "createdAt": "yesterday"},
        {"messageId": "m", "createdAt": True},
        {"messageId": "m", "createdAt": [1]},
        {"messageId": "m", "createdAt": float("nan")},
        {"messageId": "m", "createdAt": 10**30},
        {"messageId": "m", "createdAt": -5},
        {"messageId": "m", "createdAt": "9999-12-31T23:59:59-23:59"},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "message": 5},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "message": ["x"]},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "messageSequence": "1"},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "messageSequence": True},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "messageSequence": -1},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "messageSequence": 1.5},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "senderName": {"a": 1}},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "user": "streaming"},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "user": {"isModerator": "yes"}},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "editedAt": {}},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "replyToMessage": "q"},
        {"messageId": "m", "createdAt": 1_772_632_801_000, "senderName": "x" * 5000},
    ],
)
def test_wrong_shapes_raise_chat_data_error(bad: object) -> None:
    with pytest.raises(ChatDataError) as caught:
        RawChatMessage.from_graphql(bad)
    assert isinstance(caught.value, ProtocolError)
    assert caught.value.sentence.endswith(".")


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "x" * 5_000,
    "bell\x07 nul\x00 esc\x1b[31m red",
    "\u202eevil\u202c reversed",
    "שלום עולם مرحبا",
    "emoji 👩🏽‍💻🎉 and zero\u200bwidth\u200d joiners\ufeff",
    "=cmd|' /C calc'!A0",
    "line one\nline two\r\nline three",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_kept_verbatim(text: str) -> None:
    message = RawChatMessage.from_graphql({"messageId": "m", "createdAt": 1_772_632_801_000, "message": text})
    assert message.text == text


def test_absurdly_long_text_is_cut() -> None:
    message = RawChatMessage.from_graphql({"messageId": "m", "createdAt": 1_772_632_801_000, "message": "y" * (MAX_TEXT_CHARS + 10)})
    assert len(message.text) == MAX_TEXT_CHARS


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
_keys = st.sampled_from(
    ["messageId", "messageSequence", "messageType", "chatId", "message", "senderId", "senderName", "senderRole",
     "createdAt", "editedAt", "deletedAt", "createdTime", "createdTimeAsDate", "user", "replyToMessage", "replyToMessageId"]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _json, max_size=10) | _json)
def test_fuzz_only_chat_data_error(candidate: object) -> None:
    try:
        message = RawChatMessage.from_graphql(candidate)
    except ChatDataError:
        return
    assert message.message_id
    assert message.created_at.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {"messageId": st.text(min_size=1, max_size=20).filter(str.strip), "createdAt": st.integers(946_684_800_000, 7_258_118_400_000)},
        optional={"message": st.text(max_size=200), "messageSequence": st.integers(0, 2**40), "senderName": st.text(max_size=50)},
    )
)
def test_fuzz_valid_rows_round_trip_their_text(candidate: dict[str, Any]) -> None:
    message = RawChatMessage.from_graphql(candidate)
    assert message.text == candidate.get("message", "")
    assert message.sequence == candidate.get("messageSequence")
