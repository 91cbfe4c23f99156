"""Fuzzing for what the per-package fuzz tests leave out: well-formed shapes with random content,
truncation at every point, entity tricks, and *bounds* — time per example (hypothesis deadline)
and memory (tracemalloc peak) on inputs as large as each parser lets through.

Already fuzzed, not repeated (see those files): arbitrary bytes and BBB-shaped fragments for
every BBB parser, billion laughs and an external file entity (``tests/bbb/test_parsing.py``);
every gateway call of both drivers against arbitrary statuses and bodies
(``tests/gateways/test_gateway_fuzz.py``); arbitrary bytes and tag soup for playlists
(``tests/stream/test_playlist.py``); arbitrary ``RawChatMessage.from_graphql`` rows
(``tests/chat/test_message.py``); the lab's GraphQL reader on garbage and deep nesting
(``tests/lab/test_bbb_graphql.py``); the ``(First Last) text`` prefix on arbitrary text
(``tests/chat/test_classify.py``).

The only exceptions allowed out of an app parser are :class:`~desktop.errors.PupitreError`
subclasses (the lab's own GraphQL reader: its ``GraphQLSyntaxError``).
"""

from __future__ import annotations

import asyncio
import json
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.bbb import parsing
from desktop.bbb.errors import BBBError
from desktop.chat.classify import MAX_PREFIX_NAME_CHARS, parse_audience_prefix
from desktop.chat.graphql_source import GraphQLChatSource, _decode
from desktop.chat.message import RawChatMessage
from desktop.errors import ProtocolError, PupitreError
from desktop.gateways.base import Gateway, GatewaySession
from desktop.gateways.join_target import JoinTarget
from desktop.gateways.legacy import LegacySipMediaGw
from desktop.gateways.sipmediagw import SipMediaGw
from desktop.lab.bbb.graphql_parse import GraphQLSyntaxError, parse_operation
from desktop.stream.playlist import MAX_PLAYLIST_BYTES, PlaylistError, parse_playlist

FIXTURES = Path(__file__).resolve().parent.parent / "bbb" / "fixtures"
PER_EXAMPLE = timedelta(seconds=2)  # generous for a shared 2-core CI runner; a hang still fails
MB = 1024 * 1024


@contextmanager
def bounded(*, seconds: float, megabytes: float) -> Iterator[None]:
    """Fail when the block takes longer or allocates a higher peak than allowed."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert peak < megabytes * MB, f"peak {peak / MB:.1f} MB"


# -- BBB XML ------------------------------------------------------------------------------------
xml_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)


def _xml_value(text: str) -> str:
    """What a server would put in an element: XML-escaped, minus characters XML 1.0 forbids."""
    allowed = "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and c not in "\ufffe\uffff"))
    return escape(allowed)


@settings(max_examples=150, deadline=PER_EXAMPLE)
@given(meeting_id=xml_text, name=xml_text, user=xml_text, meta=xml_text,
       count=st.integers(-2**70, 2**70) | st.just(0), running=st.sampled_from(["true", "false", "maybe", ""]))
def test_well_formed_get_meetings_with_random_content(meeting_id: str, name: str, user: str, meta: str,
                                                     count: int, running: str) -> None:
    raw = (
        "<response><returncode>SUCCESS</returncode><meetings><meeting>"
        f"<meetingName>{_xml_value(name)}</meetingName><meetingID>{_xml_value(meeting_id)}</meetingID>"
        f"<internalMeetingID>i</internalMeetingID><createTime>1772632801000</createTime>"
        f"<running>{running}</running><participantCount>{count}</participantCount>"
        f"<attendees><attendee><userID>u1</userID><fullName>{_xml_value(user)}</fullName>"
        "<role>VIEWER</role><isPresenter>false</isPresenter></attendee></attendees>"
        f"<metadata><bbb-origin>{_xml_value(meta)}</bbb-origin></metadata>"
        "</meeting></meetings></response>"
    ).encode()
    try:
        [meeting] = parsing.parse_meetings(raw)
    except (ProtocolError, BBBError) as error:
        assert error.sentence and "\n" not in error.sentence
        return
    # what parsed is what was sent (modulo the whitespace XML itself does not keep)
    assert meeting.meeting_id.strip() == _strip_xml(meeting_id).strip()
    assert meeting.attendees and meeting.attendees[0].user_id == "u1"


def _strip_xml(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and c not in "\ufffe\uffff")) \
        .replace("\r\n", "\n").replace("\r", "\n")


def _fixtures() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(FIXTURES.glob("*.xml"))]


PARSER_FOR: dict[str, Callable[[bytes], object]] = {
    "api_version": parsing.parse_api_info, "create": parsing.parse_create, "join": parsing.parse_join,
    "get_meetings": parsing.parse_meetings, "no_meetings": parsing.parse_meetings,
    "get_meeting_info": parsing.parse_meeting_info,
}


def _parser_of(name: str) -> Callable[[bytes], object]:
    for prefix, parser in PARSER_FOR.items():
        if name.startswith(prefix):
            return parser
    return lambda raw: parsing.parse_simple(raw, "end")


@settings(max_examples=200, deadline=PER_EXAMPLE, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.integers(0, len(_fixtures()) - 1), cut=st.floats(0, 1, exclude_max=True))
def test_real_answers_truncated_anywhere(which: int, cut: float) -> None:
    name, raw = _fixtures()[which]
    truncated = raw[: int(len(raw) * cut)]
    try:
        _parser_of(name)(truncated)
    except (ProtocolError, BBBError) as error:
        assert error.sentence
    # a prefix can still parse (a document cut after its root closed); nothing else may escape


ENTITY_TRICKS = {
    "parameter entity from a file": '<!DOCTYPE r [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>'
                                    "<response><returncode>SUCCESS</returncode></response>",
    "external DTD": '<!DOCTYPE response SYSTEM "file://{secret}">'
                    "<response><returncode>SUCCESS</returncode><messageKey>&x;</messageKey></response>",
    "quadratic blow-up": '<!DOCTYPE r [<!ENTITY a "{big}">]><response><returncode>SUCCESS</returncode>'
                         "<message>{refs}</message></response>",
    "XInclude": '<response xmlns:xi="http://www.w3.org/2001/XInclude"><returncode>FAILED</returncode>'
                '<messageKey><xi:include href="file://{secret}" parse="text"/></messageKey></response>',
}


@pytest.mark.parametrize("trick", list(ENTITY_TRICKS))
def test_entity_tricks_are_refused_quickly_without_reading_files(trick: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.dtd"
    secret.write_text('<!ENTITY x "LEAKED-CONTENT">')
    raw = ENTITY_TRICKS[trick].format(secret=secret, big="x" * 50_000, refs="&a;" * 50_000).encode()
    with bounded(seconds=5, megabytes=64):
        try:
            result = parsing.parse_simple(raw, "end")
        except (ProtocolError, BBBError) as error:
            assert "LEAKED" not in error.explain()
            return
    assert "LEAKED" not in repr(result)


def test_deep_nesting_is_bounded() -> None:
    raw = b"<response><returncode>SUCCESS</returncode>" + b"<a>" * 300_000 + b"</a>" * 300_000 + b"</response>"
    with bounded(seconds=10, megabytes=200), suppress(ProtocolError, BBBError):
        parsing.parse_simple(raw, "end")


def test_large_get_meetings_is_bounded() -> None:
    """2 MB of meetings (2,000 attendees-heavy rows' worth): time and memory stay linear-sized.
    (The parser accepts up to ``MAX_RESPONSE_BYTES``, 20 MB: about 9 s and 270 MB there.)"""
    meeting = (b"<meeting><meetingName>Amphi</meetingName><meetingID>m</meetingID><internalMeetingID>i"
               b"</internalMeetingID><createTime>1</createTime><running>true</running><attendees>"
               + b"<attendee><userID>u</userID><fullName>Jane Doe</fullName><role>VIEWER</role></attendee>" * 40
               + b"</attendees></meeting>")
    count = (2 * MB) // len(meeting)
    raw = b"<response><returncode>SUCCESS</returncode><meetings>" + meeting * count + b"</meetings></response>"
    with bounded(seconds=30, megabytes=80):
        meetings = parsing.parse_meetings(raw)
    assert len(meetings) == count


# -- gateway JSON --------------------------------------------------------------------------------
TOKEN = "fuzz-Token-4242"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def _every_call(body: bytes, status: int = 200) -> None:
    transport = httpx.MockTransport(lambda _request: httpx.Response(status, content=body))
    drivers: list[tuple[Gateway, GatewaySession]] = [
        (LegacySipMediaGw("legacy", "https://gw.example.org", TOKEN, transport=transport),
         GatewaySession("legacy", "sipmediagw-legacy", "967ae002d1", NOW)),
        (SipMediaGw("v18", "https://proxy.example.org", TOKEN, transport=transport),
         GatewaySession("v18", "sipmediagw", "967ae002d1", NOW, gw_id="gw-1")),
    ]
    target = JoinTarget("pod.univ.fr/meeting/0042-x/abc", "967ae002d1")
    for gateway, session in drivers:
        calls: list[Callable[[], Any]] = [
            lambda g=gateway: g.start(target, "rtmp://live.example.org/live/x"),  # type: ignore[misc]
            lambda g=gateway, s=session: g.stop(s),  # type: ignore[misc]
            lambda g=gateway, s=session: g.status(s),  # type: ignore[misc]
            lambda g=gateway, s=session: g.send_chat(s, "hello"),  # type: ignore[misc]
            lambda g=gateway: g.probe(),  # type: ignore[misc]
        ]
        for call in calls:
            try:
                await call()
            except PupitreError as error:
                assert TOKEN not in error.explain()


@pytest.mark.parametrize("body", [
    b"[" * 200_000 + b"]" * 200_000,
    b'{"status":' * 200_000 + b"1" + b"}" * 200_000,
    json.dumps({"status": "success", "data": {"gw_id": "x" * (4 * MB)}, "details": {"res": "ok"}}).encode(),
    json.dumps({"status": "error", "Error": ["e"] * 300_000}).encode(),
], ids=["deep-array", "deep-object", "4MB-string", "300k-list"])
def test_hostile_gateway_bodies_are_bounded(body: bytes) -> None:
    with bounded(seconds=30, megabytes=400):
        asyncio.run(_every_call(body))


# -- m3u8 ----------------------------------------------------------------------------------------
def test_largest_accepted_playlist_is_bounded() -> None:
    head = b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n"
    line = b"#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:00Z\n#EXTINF:2.000,\nseg-000000.ts\n"
    raw = head + line * ((MAX_PLAYLIST_BYTES - len(head)) // len(line))
    with bounded(seconds=30, megabytes=400):
        try:
            playlist = parse_playlist(raw, "https://live.example.org/hls/x.m3u8")
        except PlaylistError as error:
            assert error.sentence
            return
    assert playlist is not None


@settings(max_examples=40, deadline=PER_EXAMPLE)
@given(st.integers(1, 20_000), st.sampled_from(["#EXTINF:", "#EXT-X-STREAM-INF:", "#EXT-X-KEY:", "#"]))
def test_repeated_tags_stay_within_the_deadline(times: int, tag: str) -> None:
    raw = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n" + (tag + "1,\nx.ts\n") * times
    with suppress(PlaylistError):
        parse_playlist(raw, "https://live.example.org/hls/x.m3u8")


# -- GraphQL frames ------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
frames = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300),
    json_values.map(json.dumps),
    st.integers(1, 100_000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 100_000).map(lambda n: '{"a":' * n + "0" + "}" * n),
)


@settings(max_examples=300, deadline=PER_EXAMPLE)
@given(frames)
def test_graphql_frames_decode_or_raise_a_protocol_error(raw: str | bytes) -> None:
    try:
        frame = _decode(raw)
    except ProtocolError as error:
        assert error.sentence
        return
    assert isinstance(frame, dict)


class _Socket:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, data: str) -> None:
        self.sent.append(data)


row = st.fixed_dictionaries({}, optional={
    "messageId": json_values | st.text(min_size=1, max_size=8),
    "messageSequence": json_values | st.integers(0, 2**40),
    "message": json_values,
    "createdAt": json_values | st.integers(0, 2**45),
    "editedAt": json_values, "deletedAt": json_values,
    "senderName": json_values, "user": json_values, "replyToMessageId": json_values,
})
payloads = st.one_of(
    json_values,
    st.fixed_dictionaries({"data": st.fixed_dictionaries({"chat_message_public": st.lists(row | json_values, max_size=8)})}),
)


@settings(max_examples=150, deadline=PER_EXAMPLE, suppress_health_check=[HealthCheck.too_slow])
@given(op_id=st.sampled_from(["chat-1", "chat-9", "req-1", "", "x"]) | st.text(max_size=10),
       batches=st.lists(payloads, min_size=1, max_size=4))
def test_graphql_next_frames_never_escape(op_id: str, batches: list[Any]) -> None:
    delivered: list[RawChatMessage] = []

    async def feed() -> None:
        source = GraphQLChatSource(None, "m", on_messages=delivered.extend, window=3)  # type: ignore[arg-type]
        source._ws = _Socket()  # type: ignore[assignment]
        for payload in batches:
            source._on_next(op_id, payload)
        await asyncio.sleep(0)  # let the window's complete/subscribe sends run

    asyncio.run(feed())
    ids = [m.message_id for m in delivered]
    assert len(ids) == len(set(ids)) or len(batches) > 1  # one batch never repeats itself
    for message in delivered:
        assert message.message_id and message.created_at.tzinfo is not None


def test_huge_graphql_batch_is_bounded() -> None:
    rows = [{"messageId": f"m{i}", "messageSequence": i, "createdAt": 1_772_632_801_000 + i,
             "message": "(Jane Doe) " + "x" * 400, "senderName": "streaming"} for i in range(20_000)]
    frame = json.dumps({"type": "next", "id": "chat-1", "payload": {"data": {"chat_message_public": rows}}})
    delivered: list[RawChatMessage] = []

    async def feed() -> None:
        source = GraphQLChatSource(None, "m", on_messages=delivered.extend, window=200)  # type: ignore[arg-type]
        source._ws = _Socket()  # type: ignore[assignment]
        decoded = _decode(frame)
        source._on_next(str(decoded["id"]), decoded["payload"])
        await asyncio.sleep(0)

    with bounded(seconds=30, megabytes=300):
        asyncio.run(feed())
    assert len(delivered) == 20_000


@settings(max_examples=200, deadline=PER_EXAMPLE)
@given(st.text(alphabet=' {}()[]:$!@",.#\nabquerymutationsubcr0123456789-_\\', min_size=1, max_size=40),
       st.integers(1, 20_000))
def test_lab_graphql_reader_on_long_repeated_input(chunk: str, times: int) -> None:
    with suppress(GraphQLSyntaxError):
        parse_operation(chunk * times, {"a": 1})


# -- the "(First Last) text" prefix --------------------------------------------------------------
@settings(max_examples=200, deadline=PER_EXAMPLE)
@given(st.sampled_from(["(", ")", "((", "( ", "\t", "é", "\u202e", "\u200b", "👩‍🎓", "\x00"]),
       st.integers(1, 200_000), st.text(max_size=20))
def test_prefix_parser_is_linear_on_long_hostile_text(unit: str, times: int, tail: str) -> None:
    text = unit * times + tail
    result = parse_audience_prefix(text)
    if result is not None:
        assert len(result.name) <= MAX_PREFIX_NAME_CHARS


def test_prefix_parser_on_a_megabyte_is_bounded() -> None:
    texts = ["(" * MB, "(" + "a" * MB + ")", "(Jane Doe) " + "x" * MB, " " * MB + "(a) b", "(" + ")(" * MB]
    with bounded(seconds=5, megabytes=40):
        results = [parse_audience_prefix(text) for text in texts]
    assert results[0] is None and results[1] is None
    assert results[2] is not None and results[2].name == "Jane Doe"
