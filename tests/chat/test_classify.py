"""Classification: audience prefix, gateway b'...' wrapping, panelists, our answers, system."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.chat.classify import (
    MAX_PREFIX_NAME_CHARS,
    UNKNOWN_AUDIENCE_AUTHOR,
    AudiencePrefix,
    Classifier,
    parse_audience_prefix,
    parse_reply,
    quote_reply,
    unwrap_gateway_bytes,
)
from desktop.chat.message import MessageKind, RawChatMessage
from tests.chat.helpers import raw, row
from tests.chat.test_message import HOSTILE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Jane Doe) Bonjour", ("Jane Doe", "Bonjour")),
        ("(Jane Doe)Bonjour", ("Jane Doe", "Bonjour")),  # no space
        ("(Jane Doe)   spaced", ("Jane Doe", "spaced")),
        ("  (Jane Doe) leading spaces", ("Jane Doe", "leading spaces")),
        ("(Jane (TA) Doe) nested", ("Jane (TA) Doe", "nested")),
        ("(Jane Doe) (aside) in text", ("Jane Doe", "(aside) in text")),
        ("( ) Pod without a name", ("", "Pod without a name")),
        ("() empty", ("", "empty")),
        ("(Jane Doe) ", ("Jane Doe", "")),
        ("(José Ñúñez) ¿qué?", ("José Ñúñez", "¿qué?")),
        ("(محمد علي) مرحبا", ("محمد علي", "مرحبا")),
        ("(דוד כהן) שלום", ("דוד כהן", "שלום")),
        ("(李 小龍) 你好", ("李 小龍", "你好")),
        ("(Zoë 🎉) party", ("Zoë 🎉", "party")),
        ("(" + "n" * MAX_PREFIX_NAME_CHARS + ") max", ("n" * MAX_PREFIX_NAME_CHARS, "max")),
        ("(Jane) line\nbreak in body", ("Jane", "line\nbreak in body")),
    ],
)
def test_prefix_parses(text: str, expected: tuple[str, str]) -> None:
    assert parse_audience_prefix(text) == AudiencePrefix(*expected)


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour (Jane)",
        "(Jane Doe no close",
        "((Jane) Doe no close",
        "(" + "n" * (MAX_PREFIX_NAME_CHARS + 1) + ") too long",
        "(Jane\nDoe) newline in name",
        "(Jane\x00Doe) control char in name",
        "",
        "(",
        ")",
        "[Jane] brackets",
    ],
)
def test_not_a_prefix(text: str) -> None:
    assert parse_audience_prefix(text) is None


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_prefix_parser_never_raises(text: str) -> None:
    result = parse_audience_prefix(text)
    if result is not None:
        assert len(result.name) <= MAX_PREFIX_NAME_CHARS
        assert text.lstrip(" \t").startswith("(")
        assert result.body in text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cc"], exclude_characters="()"), max_size=40).map(str.strip), st.text(max_size=100))
def test_prefix_round_trip(name: str, body: str) -> None:
    result = parse_audience_prefix(f"({name}) {body}")
    assert result is not None
    assert result.name == name
    assert result.body == body.lstrip(" \t")


# What a v1.7 gateway types (Renater/SIPMediaGW v1.7.0 Chat.POST + src/netstring.py): the bytes
# repr of the UTF-8 text, every backslash deleted.  tests/conformance/test_gateway_chat_shell.py
# produces these through the real shell and decoder; here the decoding alone.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("b'(Jane Doe) hi'", "(Jane Doe) hi"),
        ("b'(Josxc3xa9) cafxc3xa9 crxc3xa8me'", "(José) café crème"),
        ("b'(A) xf0x9fx8ex89 xe2x80x99'", "(A) 🎉 ’"),
        ("  b'(Jane) padded'  ", "(Jane) padded"),
        ("b'tab\there'", "tab\there"),  # dash's echo already turned repr's \t into a tab
        ("b'box42 xff xc3'", "box42 xff xc3"),  # not UTF-8: left as typed
        ("b''", ""),
    ],
)
def test_gateway_bytes_unwrapped(text: str, expected: str) -> None:
    assert unwrap_gateway_bytes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "b'unterminated",
        "b'(Jane) hi' and more",
        "prefix b'(Jane) hi'",
        "b'back\\slash'",  # the container deleted every backslash: this is not its output
        "B'(Jane) hi'",
        "b'it's'",
        "(Jane) b'hi'",
        'b"(Jane) hi"',  # a b"..." repr breaks the gateway's JSON: never typed
    ],
)
def test_gateway_bytes_left_alone(text: str) -> None:
    assert unwrap_gateway_bytes(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=100).map(lambda b: repr(b).replace("\\", "")))
def test_gateway_bytes_unwrap_never_raises(text: str) -> None:
    unwrap_gateway_bytes(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"], exclude_characters="'\"\\"), max_size=100))
def test_gateway_bytes_unwrap_inverts_the_gateway(text: str) -> None:
    typed = repr(text.encode("utf-8")).replace("\\", "")  # what v1.7 types, quotes aside
    assert unwrap_gateway_bytes(typed) == text


# -- the classifier -------------------------------------------------------------------------------


@pytest.fixture
def classifier() -> Classifier:
    return Classifier(presenter_user_ids={"w_monitor"}, presenter_names={"Pupitre"})


def test_audience_message(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "(Jane Doe) Quand commence la pause ?"))
    assert message.kind is MessageKind.AUDIENCE
    assert message.author == "Jane Doe"
    assert message.text == "Quand commence la pause ?"
    assert message.raw_text == "(Jane Doe) Quand commence la pause ?"
    assert message.via_gateway is True
    assert message.is_question is True
    assert message.sender_name == "streaming"


def test_gateway_bytes_wrapping_is_removed(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "b'(Josxc3xa9 Garcxc3xada) Merci'"))
    assert (message.kind, message.author, message.text) == (MessageKind.AUDIENCE, "José García", "Merci")
    assert message.raw_text == "b'(Josxc3xa9 Garcxc3xada) Merci'"


def test_bytes_form_from_a_panelist_is_not_touched(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "b'(x) y'", sender="Alice"))
    assert (message.kind, message.text) == (MessageKind.PANELIST, "b'(x) y'")


def test_gateway_message_without_prefix(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "posted to the gateway directly"))
    assert message.kind is MessageKind.AUDIENCE
    assert message.author == UNKNOWN_AUDIENCE_AUTHOR
    assert message.text == "posted to the gateway directly"


def test_gateway_message_with_empty_name(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "( ) hello"))
    assert (message.author, message.text) == (UNKNOWN_AUDIENCE_AUTHOR, "hello")


def test_gateway_names_are_configurable_and_case_insensitive() -> None:
    classifier = Classifier(gateway_user_names={"Streaming Gateway 2"})
    assert classifier.classify(raw(1, "(Ann) hi", sender="streaming gateway 2")).kind is MessageKind.AUDIENCE
    assert classifier.classify(raw(2, "(Ann) hi", sender="streaming")).kind is MessageKind.PANELIST


def test_panelist(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "(aside) I can take this one", sender="Dr Alice Martin", moderator=True))
    assert message.kind is MessageKind.PANELIST
    assert message.author == "Dr Alice Martin"
    assert message.text == "(aside) I can take this one"
    assert message.via_gateway is False


def test_panelist_without_name(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "hi", sender=""))
    assert message.author == "Unknown"


def test_answer_by_user_id(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "@Jane Doe: à 15 h", sender="Monitor", user_id="w_monitor"))
    assert message.kind is MessageKind.PRESENTER_ANSWER
    assert message.is_question is False


def test_answer_by_sender_name(classifier: Classifier) -> None:
    assert classifier.classify(raw(1, "Oui", sender="pupitre")).kind is MessageKind.PRESENTER_ANSWER


def test_user_id_added_later() -> None:
    classifier = Classifier()
    assert classifier.classify(raw(1, "x", sender="M", user_id="w_9")).kind is MessageKind.PANELIST
    classifier.add_presenter_user_id("w_9")
    assert classifier.classify(raw(1, "x", sender="M", user_id="w_9")).kind is MessageKind.PRESENTER_ANSWER


def test_answer_marker_through_the_gateway() -> None:
    classifier = Classifier(answer_marker="↪ ")
    message = classifier.classify(raw(1, "↪ @Jane Doe: yes"))
    assert message.kind is MessageKind.PRESENTER_ANSWER
    assert message.text == "@Jane Doe: yes"
    assert message.via_gateway is True


def test_own_answer_through_the_gateway_with_a_prefix(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "(Pupitre) @Jane: yes"), own=True, reply_to="q1")
    assert (message.kind, message.author, message.text, message.reply_to) == (MessageKind.PRESENTER_ANSWER, "Pupitre", "@Jane: yes", "q1")


def test_system_message(classifier: Classifier) -> None:
    message = classifier.classify(raw(1, "poll started", sender="", message_type="poll"))
    assert message.kind is MessageKind.SYSTEM
    assert message.author == "System"
    assert message.is_question is False


def test_system_from_the_gateway_user_stays_system(classifier: Classifier) -> None:
    assert classifier.classify(raw(1, "(A) x?", message_type="userAway")).kind is MessageKind.SYSTEM


def test_native_reply_wins(classifier: Classifier) -> None:
    native = RawChatMessage.from_graphql({**row(1, "Oui", sender="Pupitre"), "replyToMessage": {"messageId": "native"}})
    assert classifier.classify(native, reply_to="guess").reply_to == "native"
    assert classifier.classify(raw(2, "Oui", sender="Pupitre"), reply_to="guess").reply_to == "guess"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_corpus_is_plain_data(classifier: Classifier, text: str) -> None:
    message = classifier.classify(raw(1, f"(Eve) {text}"))
    assert message.kind is MessageKind.AUDIENCE
    assert message.author == "Eve"
    assert message.text == text
    panelist = classifier.classify(raw(2, text, sender="Eve"))
    assert panelist.text == text


@pytest.mark.parametrize("name", ["<b>Eve</b>", "\u202eevE", "Eve\u200b", "🎭 Eve", "Ева"])
def test_hostile_names_are_kept(classifier: Classifier, name: str) -> None:
    assert classifier.classify(raw(1, f"({name}) hi")).author == name


# -- replies --------------------------------------------------------------------------------------


def test_quote_reply_round_trip() -> None:
    quoted = quote_reply("Jane Doe", "À 15 h.")
    assert quoted == "@Jane Doe: À 15 h."
    assert parse_reply(quoted) == ("Jane Doe", "À 15 h.")


def test_quote_reply_cleans_the_name() -> None:
    quoted = quote_reply("Jane:\nDoe", "ok")
    assert quoted == "@Jane Doe: ok"
    assert parse_reply(quoted) == ("Jane Doe", "ok")


def test_quote_reply_without_name() -> None:
    assert quote_reply(" ", "ok") == "ok"


@pytest.mark.parametrize("text", ["no quote", "@: empty", "email me@example.org: x", "@" + "n" * 200 + ": long", "@Jane\nDoe: x"])
def test_not_a_reply(text: str) -> None:
    assert parse_reply(text) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_reply_parser_never_raises_and_round_trips(author: str, text: str) -> None:
    parsed = parse_reply(quote_reply(author, text))
    cleaned = " ".join("".join(" " if ch in ":\x7f" or ord(ch) < 32 else ch for ch in author).split())
    if cleaned and len(cleaned) <= 100:
        assert parsed == (cleaned, text)


@settings(max_examples=300)
@given(st.sampled_from(["streaming", "Jane Doe", "System"]), st.text(max_size=80),
       st.sampled_from(["default", "poll"]), st.booleans())
def test_the_server_text_is_rebuilt_exactly(sender: str, text: str, message_type: str, marked: bool) -> None:
    """Only the prefix is kept beside the shown text, yet the server's text comes back verbatim."""
    classifier = Classifier(presenter_names=["Jane Doe"], answer_marker="↪ ")
    for body in (text, f"(Jane Doe) {text}", f"↪ {text}" if marked else repr(f"(Jane Doe) {text}".encode())):
        message = classifier.classify(raw(1, body, sender=sender, message_type=message_type))
        assert message.raw_text == body
        assert message.has_raw_text(body)
        assert not message.has_raw_text(body + "x")
        assert not message.has_raw_text("x" + body)


def test_audience_messages_share_their_prefix_and_names() -> None:
    """Two messages of one viewer keep one copy of "(Jane Doe) ", of "Jane Doe" and of "streaming"."""
    classifier = Classifier()

    def decoded(sequence: int, text: str) -> RawChatMessage:  # fresh strings, as off the wire
        return RawChatMessage.from_graphql(json.loads(json.dumps(row(sequence, text, sender="streaming"))))

    first = classifier.classify(decoded(1, "(Jane Doe) Bonjour"))
    second = classifier.classify(decoded(2, "(Jane Doe) Merci"))
    assert first.raw_prefix is second.raw_prefix and first.raw_prefix == "(Jane Doe) "
    assert first.author is second.author
    assert first.sender_name is second.sender_name
    assert first.raw_other is None and first.text == "Bonjour"


def test_an_unwrapped_gateway_text_keeps_the_server_text_whole() -> None:
    message = Classifier().classify(raw(1, "b'(Josxc3xa9) cafxc3xa9'", sender="streaming"))
    assert message.text == "café" and message.raw_other == "b'(Josxc3xa9) cafxc3xa9'"
