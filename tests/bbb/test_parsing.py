"""Parsing BBB answers: fixtures for each shape, both error templates, hostile and broken input."""

from __future__ import annotations

import copy
import dataclasses
import gc
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.bbb import parsing
from desktop.bbb.errors import BBBError
from desktop.bbb.models import NO_ATTENDEES, Attendee, Attendees, Meeting, Metadata, to_json
from desktop.errors import ProtocolError

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_api_info_3x_has_graphql() -> None:
    info = parsing.parse_api_info(load("api_version_3x.xml"))
    assert (info.version, info.api_version, info.bbb_version) == ("2.0", "2.0", "3.0.4")
    assert info.graphql_websocket_url == "wss://bbb.example.org/graphql"
    assert info.graphql_api_url == "https://bbb.example.org/api/rest"
    assert info.has_graphql


def test_api_info_scalelite_has_no_graphql() -> None:
    info = parsing.parse_api_info(load("api_version_scalelite.xml"))
    assert info.version == "2.0"
    assert info.bbb_version is None and info.graphql_websocket_url is None
    assert not info.has_graphql


def test_create_duplicate_warning_is_a_success() -> None:
    result = parsing.parse_create(load("create_duplicate.xml"))
    assert result.duplicate and result.message_key == "duplicateWarning"
    assert result.meeting_id == "webinar-2026-11"
    assert result.create_time == 1763712000123 and isinstance(result.create_time, int)
    assert result.voice_bridge == 71234
    assert result.has_user_joined is False and result.has_been_forcibly_ended is False
    assert result.parent_meeting_id == "bbb-none"


def test_join_with_malformed_duplicate_session_token_line() -> None:
    raw = load("join_malformed_token_line.xml")
    # the fixture really is ill-formed: a strict parse fails
    with pytest.raises(ProtocolError):
        parsing.parse_document(raw)
    result = parsing.parse_join(raw)
    assert result.session_token == "s3ss10nt0k3n0001"
    assert result.auth_token == "t0k3nauth9zz"
    assert result.user_id == "w_k2p9x0q1z7ab"
    assert result.guest_status == "ALLOW"
    assert result.message_key == "successfullyJoined"
    assert "t0k3nauth9zz" not in repr(result) and "s3ss10nt0k3n0001" not in repr(result)


def test_join_without_tokens_is_a_protocol_error() -> None:
    raw = b"<response><returncode>SUCCESS</returncode><meeting_id>m</meeting_id><user_id>u</user_id></response>"
    with pytest.raises(ProtocolError, match="auth_token"):
        parsing.parse_join(raw)


def test_get_meetings_with_attendees_metadata_and_breakouts() -> None:
    meetings = parsing.parse_meetings(load("get_meetings.xml"))
    assert [m.meeting_id for m in meetings] == ["webinar-2026-11", "breakout-room-id-1"]
    parent, room = meetings
    assert parent.meeting_name == "Séminaire : l'été & vous"
    assert parent.running is True and room.running is False
    assert (parent.participant_count, parent.listener_count, parent.voice_participant_count) == (3, 1, 2)
    assert (parent.video_count, parent.max_users, parent.moderator_count) == (1, 500, 1)
    assert parent.create_time == 1763712000123 and parent.start_time == 1763712000200
    assert parent.moderator_pw == 'n:"zWc##Bi.y,d^s,mMF' and parent.attendee_pw == "f~kxYJe<V~G?Jb+E:ggn"
    assert parent.metadata == {"bbb-origin": "Pupitre", "endcallbackurl": "https://pupitre.example.org/ended?id=1&x=2"}
    assert parent.breakout_rooms == ("breakout-room-id-1", "breakout-room-id-2")
    assert parent.is_breakout is False and parent.parent_meeting_id is None
    presenter, streaming, monitor = parent.attendees
    assert presenter.is_presenter and presenter.is_moderator and presenter.has_video
    assert presenter.customdata == {"bbb_auto_join_audio": "true", "bbb_custom_style": "a:focus{color:#0181eb}"}
    assert streaming.is_listening_only and not streaming.has_joined_voice and streaming.customdata == {}
    assert monitor.role == "VIEWER"  # normalised upper-case
    assert parent.attendee_named("streaming") is streaming
    assert parent.attendee_named("nobody") is None
    assert room.is_breakout and room.sequence == 1 and room.free_join is False
    assert room.parent_meeting_id == parent.internal_meeting_id
    assert room.attendees == () and room.metadata == {}


def test_meeting_json_uses_snake_case_xml_names_and_drops_passwords() -> None:
    data = to_json(parsing.parse_meetings(load("get_meetings.xml")))
    first = data[0]
    for key in ("meeting_name", "meeting_id", "internal_meeting_id", "create_time", "running", "participant_count",
                "attendees", "metadata", "is_breakout", "breakout_rooms"):
        assert key in first
    assert "moderator_pw" not in first and "attendee_pw" not in first
    assert first["attendees"][0]["full_name"] == "Jeanne Martin"
    assert first["attendees"][0]["is_presenter"] is True
    assert first["breakout_rooms"] == ["breakout-room-id-1", "breakout-room-id-2"]


def test_get_meeting_info_docs_example() -> None:
    meeting = parsing.parse_meeting_info(load("get_meeting_info.xml"))
    assert meeting.meeting_name == "Anton G's Room"
    assert meeting.voice_bridge == 542
    assert meeting.participant_count == 1 and meeting.listener_count == 0  # missing -> 0
    assert meeting.attendees[0].full_name == "Anton G"
    assert meeting.metadata["bbb-origin"] == "greenlight"


def test_no_meetings_is_an_empty_success() -> None:
    assert parsing.parse_meetings(load("no_meetings.xml")) == []


def test_is_meeting_running() -> None:
    assert parsing.parse_is_meeting_running(b"<response><returncode>SUCCESS</returncode><running>true</running></response>")
    assert not parsing.parse_is_meeting_running(b"<response><returncode>SUCCESS</returncode><running>false</running></response>")
    with pytest.raises(ProtocolError):
        parsing.parse_is_meeting_running(b"<response><returncode>SUCCESS</returncode></response>")


def test_end_success_key() -> None:
    assert parsing.parse_simple(load("end_meeting.xml"), "end")[0] == "sentEndMeetingRequest"


@pytest.mark.parametrize(
    ("fixture", "key", "sentence_part"),
    [
        ("error_not_found.xml", "notFound", "does not know this meeting"),
        ("error_checksum_legacy_children.xml", "checksumError", "shared secret or the checksum algorithm is wrong"),
        ("error_legacy_attributes.xml", "missingParamMeetingID", "did not name a meeting"),
        ("send_chat_message_failed.xml", "meetingNotFound", "not running"),
    ],
)
def test_error_templates(fixture: str, key: str, sentence_part: str) -> None:
    with pytest.raises(BBBError) as info:
        parsing.parse_simple(load(fixture), "x")
    assert info.value.message_key == key
    assert sentence_part in info.value.sentence
    assert info.value.message  # the server's text is kept


def test_checksum_error_sentence_is_exact() -> None:
    with pytest.raises(BBBError) as info:
        parsing.parse_meetings(load("error_checksum_legacy_children.xml"))
    assert str(info.value) == (
        "The BBB server refused the request signature: the shared secret or the checksum algorithm is wrong."
    )


def test_legacy_errors_keep_every_message() -> None:
    with pytest.raises(BBBError) as info:
        parsing.parse_meeting_info(load("error_legacy_attributes.xml"))
    assert "meeting ID" in info.value.message and "your name" in info.value.message


def test_unknown_key_falls_back_to_server_message() -> None:
    raw = b"<response><returncode>FAILED</returncode><messageKey>brandNewKey</messageKey><message>Something odd</message></response>"
    with pytest.raises(BBBError) as info:
        parsing.parse_simple(raw, "create")
    assert info.value.message_key == "brandNewKey"
    assert str(info.value) == "The BBB server refused the request: Something odd."


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   ",
        b"<html><body>502 Bad Gateway</body></html>",
        b"{\"response\": {}}",
        load("get_meetings.xml")[:-40],  # truncated
        b"<response><returncode>SUCCESS</returncode>",
        b"<response><returncode>MAYBE</returncode></response>",
        b"<response><returncode>SUCCESS</returncode><running>perhaps</running></response>",
    ],
)
def test_malformed_answers_are_protocol_errors(raw: bytes) -> None:
    with pytest.raises(ProtocolError):
        if b"running" in raw:
            parsing.parse_is_meeting_running(raw)
        else:
            parsing.parse_meetings(raw)


def test_non_numeric_counter_is_a_protocol_error() -> None:
    raw = load("get_meeting_info.xml").replace(b"<participantCount>1<", b"<participantCount>\xd9\xa1<")
    with pytest.raises(ProtocolError, match="participantCount"):
        parsing.parse_meeting_info(raw)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>&lol4;</meetingID></meeting></meetings></response>"""


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="DOCTYPE"):
        parsing.parse_meetings(BILLION_LAUGHS)


def test_external_entity_is_refused_without_being_read(tmp_path: Path) -> None:
    secret_file = tmp_path / "passwd"
    secret_file.write_text("root:x:0:0")
    raw = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        "<response><returncode>FAILED</returncode><messageKey>&xxe;</messageKey></response>"
    ).encode()
    with pytest.raises(ProtocolError) as info:
        parsing.parse_simple(raw, "end")
    assert "root:x" not in str(info.value)


def test_doctype_in_utf16_is_refused_after_parsing() -> None:
    raw = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE response><response><returncode>SUCCESS</returncode></response>'.encode("utf-16")
    with pytest.raises(ProtocolError, match="DOCTYPE"):
        parsing.parse_simple(raw, "end")


@pytest.mark.parametrize("prolog", [
    b"", b"\xef\xbb\xbf", b'<?xml version="1.0"?>\n', b"  \r\n\t", b"<!-- a comment -->",
    b"<!-- <response> looks like the root, in a comment -->", b"<?pi <response>?>",
    b'\xef\xbb\xbf<?xml version="1.0"?><!--x--><?a b?>\n<!--y-->',
])
@pytest.mark.parametrize("declaration", [b"<!DOCTYPE response>", b"<!doctype response [ ]>",
                                         b'<!ENTITY x "y">', b"<! DOCTYPE response>"])
def test_declarations_in_the_prolog_are_refused_before_parsing(
        prolog: bytes, declaration: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The declaration check reads the prolog only (where the XML grammar allows a DOCTYPE), past
    any comments and processing instructions; the parser is never reached."""
    def no_parser() -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(parsing, "_parser", no_parser)
    raw = prolog + declaration + b"<response><returncode>SUCCESS</returncode></response>"
    with pytest.raises(ProtocolError, match="DOCTYPE or entity declaration"):
        parsing.parse_simple(raw, "end")


@pytest.mark.parametrize("raw", [
    b"<response><returncode>SUCCESS</returncode><!DOCTYPE response></response>",
    b'<response><returncode>SUCCESS</returncode></response><!ENTITY x "y">',
    b"<response><returncode>SUCCESS</returncode><message>&x;</message></response>",
    b"<!-- unterminated <!DOCTYPE response><response/>",
])
def test_declarations_and_references_past_the_prolog_are_not_well_formed(raw: bytes) -> None:
    with pytest.raises(ProtocolError, match="not valid XML"):
        parsing.parse_simple(raw, "end")


def test_huge_answer_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "MAX_RESPONSE_BYTES", 1000)
    raw = b"<response><returncode>SUCCESS</returncode><meetings>" + b" " * 2000 + b"</meetings></response>"
    with pytest.raises(ProtocolError, match="too large"):
        parsing.parse_meetings(raw)


def test_join_redirect_errors() -> None:
    location = (
        "https://bbb.example.org/logout?errors=%5B%7B%22key%22%3A%22invalidMeetingIdentifier%22%2C"
        "%22message%22%3A%22The+meeting+ID+that+you+supplied+did+not+match+any+existing+meetings%22%7D%5D"
    )
    error = parsing.join_redirect_error(location)
    assert error is not None and error.message_key == "invalidMeetingIdentifier"
    assert "did not match" in error.message
    assert parsing.join_redirect_error("https://bbb.example.org/html5client/join?sessionToken=abc") is None
    broken = parsing.join_redirect_error("https://x/?errors=not-json")
    assert broken is not None and broken.message_key == "" and "not-json" in broken.message


# -- fuzz ---------------------------------------------------------------------------------------

PARSERS = [
    parsing.parse_api_info,
    parsing.parse_create,
    parsing.parse_join,
    parsing.parse_is_meeting_running,
    parsing.parse_meetings,
    parsing.parse_meeting_info,
    lambda raw: parsing.parse_simple(raw, "end"),
]

xml_fragments = st.lists(
    st.sampled_from([
        b"<response>", b"</response>", b"<returncode>SUCCESS</returncode>", b"<returncode>FAILED</returncode>",
        b"<meetings>", b"</meetings>", b"<meeting>", b"</meeting>", b"<meetingID>x</meetingID>",
        b"<attendees><attendee><userID>u</userID><isPresenter>maybe</isPresenter></attendee></attendees>",
        b"<createTime>12a</createTime>", b"<createTime>1</createTime>", b"<running>true</running>",
        b"<errors><error key='k'/></errors>", b"<messageKey>notFound</messageKey>", b"<!DOCTYPE x>",
        b"&amp;", b"&bogus;", b"<![CDATA[<]]>", b"\xff\xfe", b"<?xml version='1.0'?>", b"<session_token>a</auth_token>",
        b"<auth_token>a</auth_token><session_token>b</session_token><user_id>u</user_id><meeting_id>m</meeting_id>",
        b"<breakoutRooms><breakout/></breakoutRooms>", b"<metadata><a>1</a><!-- c --></metadata>",
    ]),
    max_size=14,
).map(b"".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(st.binary(max_size=400), xml_fragments), which=st.integers(0, len(PARSERS) - 1))
def test_fuzzed_answers_never_escape_as_unhandled_exceptions(raw: bytes, which: int) -> None:
    try:
        PARSERS[which](raw)
    except (ProtocolError, BBBError) as error:
        assert str(error)


def test_validation_error_names_the_parameter() -> None:
    raw = b"<response><returncode>FAILED</returncode><messageKey>validationError</messageKey><message>Param message must be between 1 and 500 characters</message></response>"
    with pytest.raises(BBBError) as info:
        parsing.parse_simple(raw, "sendChatMessage")
    assert str(info.value) == (
        "The BBB server refused a parameter of the request: Param message must be between 1 and 500 characters."
    )


# A field as BBB could send it: plain, padded, nested markup, CDATA, or empty.
field_texts = st.text(alphabet="ab 1\t<&é", max_size=6)


def _field_xml(tag: str, text: str, shape: int) -> str:
    from xml.sax.saxutils import escape

    body = escape(text)
    if shape == 1:
        body = f"  {body}\n "
    elif shape == 2:
        body = f"{body}<b>{body}</b>tail"
    elif shape == 3 and "]]>" not in text:
        body = f"<![CDATA[{text}]]>"
    return f"<{tag}>{body}</{tag}>"


@settings(max_examples=200, deadline=None)
@given(fields=st.lists(st.tuples(st.sampled_from(["meetingName", "createDate", "dialNumber", "clientType",
                                                   "fullName", "userID"]),
                                 field_texts, st.integers(0, 3), st.booleans()), max_size=10),
       counts=st.lists(st.tuples(st.sampled_from(["participantCount", "moderatorCount"]),
                                 st.integers(0, 10**6)), max_size=4))
def test_fields_read_once_match_a_find_per_field(fields: list[tuple[str, str, int, bool]],
                                                  counts: list[tuple[str, int]]) -> None:
    """The one-pass child lookup gives what one ``find()`` per field gives: the first of duplicate
    tags wins, a namespaced twin is ignored, nested markup and CDATA read as their whole text."""
    from lxml import etree

    children = [_field_xml(tag, text, shape) if not namespaced else
                _field_xml(f"x:{tag}", text, shape) for tag, text, shape, namespaced in fields]
    children += [f"<{tag}>{value}</{tag}>" for tag, value in counts]
    meeting = "<meetingID>m-1</meetingID>" + "".join(children)
    attendee = "".join(children)
    raw = (f"<response xmlns:x='urn:x'><returncode>SUCCESS</returncode><meetings><meeting>{meeting}"
           f"<attendees><attendee>{attendee}</attendee></attendees></meeting></meetings></response>").encode()
    parsed = parsing.parse_meetings(raw)[0]
    node = etree.fromstring(raw).find("meetings/meeting")
    assert node is not None

    def expected(element: etree._Element, name: str) -> str | None:
        child = element.find(name)
        return None if child is None else ("".join(str(t) for t in child.itertext()).strip() or None)

    assert parsed.meeting_name == (expected(node, "meetingName") or "")
    assert parsed.create_date == expected(node, "createDate")
    assert parsed.dial_number == expected(node, "dialNumber")
    for attribute, tag in (("participant_count", "participantCount"), ("moderator_count", "moderatorCount")):
        text = expected(node, tag)
        assert getattr(parsed, attribute) == (int(text) if text is not None else 0)
    person = node.find("attendees/attendee")
    assert person is not None and len(parsed.attendees) == 1
    assert parsed.attendees[0].full_name == (expected(person, "fullName") or "")
    assert parsed.attendees[0].user_id == (expected(person, "userID") or "")
    assert parsed.attendees[0].client_type == expected(person, "clientType")


# -- getMeetings reads each meeting's attendees on first use (issue 14) -----------------------


def test_get_meetings_reads_attendees_on_first_use() -> None:
    parent, room = parsing.parse_meetings(load("get_meetings.xml"))
    assert isinstance(parent.attendees, Attendees) and not parent.attendees.is_read
    assert room.attendees == () and room.attendees is NO_ATTENDEES  # no <attendee>: nothing to defer
    assert [a.user_id for a in parent.attendees] == ["w_presenter01", "w_streaming1", "w_monitor001"]
    assert parent.attendees.is_read
    first = parent.attendees[0]
    assert parent.attendees[0] is first  # built once, then kept
    assert len(parent.attendees) == 3 and parent.attendees[1:] == parent.attendees._all()[1:]


def test_get_meetings_reads_metadata_on_first_use() -> None:
    parent, room = parsing.parse_meetings(load("get_meetings.xml"))
    assert isinstance(parent.metadata, Metadata) and not parent.metadata.is_read
    assert parent.metadata.get("bbb-origin") == "Pupitre" and parent.metadata.is_read
    assert dict(parent.metadata) == {"bbb-origin": "Pupitre", "endcallbackurl": "https://pupitre.example.org/ended?id=1&x=2"}
    assert room.metadata == {} and len(room.metadata) == 0
    assert to_json(parent)["metadata"]["bbb-origin"] == "Pupitre"
    assert pickle.loads(pickle.dumps(parent)).metadata == parent.metadata
    assert repr(parent.metadata) == repr(dict(parent.metadata)) and Metadata({"a": "b"}) == {"a": "b"}
    info = parsing.parse_meeting_info(load("get_meeting_info.xml"))
    assert type(info.metadata) is dict  # getMeetingInfo reads everything at the call


def test_get_meeting_info_reads_attendees_at_the_call() -> None:
    meeting = parsing.parse_meeting_info(load("get_meeting_info.xml"))
    assert isinstance(meeting.attendees, Attendees) and meeting.attendees.is_read
    bad = load("get_meeting_info.xml").replace(b"<isPresenter>true<", b"<isPresenter>perhaps<")
    assert bad != load("get_meeting_info.xml")
    with pytest.raises(ProtocolError, match="isPresenter"):
        parsing.parse_meeting_info(bad)


def test_attendee_field_of_the_wrong_type_is_a_protocol_error_at_first_use_and_every_use() -> None:
    """What was chosen: getMeetings refuses at the call what is not a well-formed BBB answer;
    an attendee field of the wrong type, read later, raises the same typed error there, and
    again at each use — nothing half-built is kept — while the other meetings stay readable."""
    raw = load("get_meetings.xml").replace(b"<hasVideo>true</hasVideo>", b"<hasVideo>perhaps</hasVideo>", 1)
    parent, room = parsing.parse_meetings(raw)  # the meetings themselves are fine
    assert parent.meeting_id == "webinar-2026-11" and room.attendees == ()
    for _attempt in range(2):
        with pytest.raises(ProtocolError) as info:
            list(parent.attendees)
        assert str(info.value) == "The BBB server's “getMeetings” answer has an invalid <hasVideo> ('perhaps')."
        assert not parent.attendees.is_read
    with pytest.raises(ProtocolError):
        to_json(parent)


@pytest.mark.parametrize("cut", [b"<isPresenter>true</isPresenter>", b"</attendee>", b"</customdata>"])
def test_broken_xml_inside_attendees_is_refused_at_the_call(cut: bytes) -> None:
    raw = load("get_meetings.xml").replace(cut, cut[:-3], 1)
    with pytest.raises(ProtocolError, match="not valid XML"):
        parsing.parse_meetings(raw)


def test_entity_inside_attendees_is_refused_at_the_call() -> None:
    raw = load("get_meetings.xml").replace(b"<fullName>streaming<", b"<fullName>&ext;<", 1)
    with pytest.raises(ProtocolError):
        parsing.parse_meetings(raw)
    declared = b'<!DOCTYPE response [<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n' + raw.split(b"?>", 1)[1]
    with pytest.raises(ProtocolError, match="DOCTYPE"):
        parsing.parse_meetings(declared)


def test_deferred_attendees_compare_copy_and_pickle_as_a_tuple() -> None:
    first = parsing.parse_meetings(load("get_meetings.xml"))[0]
    second = parsing.parse_meetings(load("get_meetings.xml"))[0]
    assert first == second and first.attendees == tuple(second.attendees)
    assert hash(Attendees()) == hash(())  # hashable as the tuple is (not with custom data: a dict)
    assert repr(first.attendees) == repr(tuple(first.attendees))
    fresh = parsing.parse_meetings(load("get_meetings.xml"))[0]
    copied = pickle.loads(pickle.dumps(fresh))
    assert copied == first and copied.attendees.is_read  # the copy holds attendees, not the XML
    assert copy.deepcopy(fresh).attendees == first.attendees
    assert Attendees(first.attendees) == first.attendees and Attendees() == ()


def test_assembled_meetings_equal_meetings_built_by_their_constructor() -> None:
    for meeting in [*parsing.parse_meetings(load("get_meetings.xml")), parsing.parse_meeting_info(load("get_meeting_info.xml"))]:
        names = [f.name for f in dataclasses.fields(Meeting)]
        assert list(vars(meeting)) == names  # every field set, none more
        rebuilt = Meeting(**{name: getattr(meeting, name) for name in names})
        assert rebuilt == meeting and repr(rebuilt) == repr(meeting)
        for attendee in meeting.attendees:
            assert Attendee(**{f.name: getattr(attendee, f.name) for f in dataclasses.fields(Attendee)}) == attendee
        with pytest.raises(dataclasses.FrozenInstanceError):
            meeting.meeting_id = "other"  # type: ignore[misc]


def _meeting_with(tag: str, text: str) -> bytes:
    return (f"<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>m</meetingID>"
            f"<{tag}>{text}</{tag}><attendees><attendee><userID>u</userID><{tag}>{text}</{tag}></attendee>"
            f"</attendees></meeting></meetings></response>").encode()


@pytest.mark.parametrize(("text", "value"), [
    ("12", 12), (" 12\n", 12), ("-3", -3), ("", 0), ("0" * 30, 0), ("007", 7),
    ("1" * 31, None), ("1_000", None), ("+5", None), ("\u0661", None), ("1 2", None), ("²", None),
])
def test_counters_read_as_the_full_check_reads_them(text: str, value: int | None) -> None:
    """The all-at-once check of plain counters gives what the per-field check gives."""
    raw = _meeting_with("participantCount", text)
    if value is None:
        with pytest.raises(ProtocolError, match="participantCount"):
            parsing.parse_meetings(raw)
    else:
        assert parsing.parse_meetings(raw)[0].participant_count == value


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("false", False), ("TRUE", True), (" yes ", True), ("0", False), ("", False),
    ("perhaps", None), ("truee", None),
])
def test_flags_read_as_the_full_check_reads_them(text: str, value: bool | None) -> None:
    for tag, read in (("running", lambda m: m.running), ("isPresenter", lambda m: m.attendees[0].is_presenter)):
        raw = _meeting_with(tag, text)
        if value is None:
            with pytest.raises(ProtocolError, match=tag):
                read(parsing.parse_meetings(raw)[0])
        else:
            assert read(parsing.parse_meetings(raw)[0]) is value


def test_collector_is_paused_only_while_meetings_are_built(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = parsing._meeting

    def spy(*args: object, **kwargs: object) -> Meeting:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parsing, "_meeting", spy)
    assert gc.isenabled()
    parsing.parse_meetings(load("get_meetings.xml"))
    assert seen == [False, False] and gc.isenabled()
    with pytest.raises(ProtocolError):
        parsing.parse_meetings(_meeting_with("participantCount", "many"))
    assert gc.isenabled()  # back on after a refusal too
    gc.disable()
    try:
        parsing.parse_meetings(load("get_meetings.xml"))
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
