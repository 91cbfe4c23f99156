"""SessionKey: the one parser and formatter of "12:3" and "adopted:<meeting id>"."""

from __future__ import annotations

import pytest

from desktop.webinar.session_key import InvalidSessionKey, SessionKey, adopted_key, occurrence_key


@pytest.mark.parametrize(("text", "key"), [
    ("12:3", SessionKey.of_occurrence(12, 3)),
    ("0:0", SessionKey.of_occurrence(0, 0)),
    ("adopted:moodle-42", SessionKey.adopted("moodle-42")),
    ("adopted:a:b c", SessionKey.adopted("a:b c")),  # a meeting ID may hold anything
])
def test_keys_round_trip_in_their_journal_form(text: str, key: SessionKey) -> None:
    assert SessionKey.parse(text) == key
    assert str(key) == text


def test_the_manager_helpers_format_the_same_strings() -> None:
    assert occurrence_key(3, 0) == "3:0"
    assert adopted_key("m 1") == "adopted:m 1"


@pytest.mark.parametrize("text", ["", "12", "12:", ":3", "a:3", "12:x", "adopted:", "1:²", "-1:0", "1:0:2"])
def test_anything_else_is_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(InvalidSessionKey) as error:
        SessionKey.parse(text)
    assert "session key" in error.value.sentence
    assert SessionKey.parse_or_none(text) is None


def test_a_key_is_either_an_occurrence_or_a_meeting() -> None:
    assert SessionKey.adopted("m").is_adopted and not SessionKey.of_occurrence(1, 0).is_adopted
    with pytest.raises(ValueError):
        SessionKey(webinar_id=1, occurrence=0, meeting_id="m")
    with pytest.raises(ValueError):
        SessionKey()
