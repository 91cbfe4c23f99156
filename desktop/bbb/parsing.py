"""Reading BBB's XML answers safely into :mod:`desktop.bbb.models`.

The server is on the network, so its answers are untrusted input.  The parser is hardened: no
network, no DTD loading, no entity resolution, no huge trees, and a document carrying a DOCTYPE or
an entity declaration is refused outright (billion laughs, external entities).  Answers larger
than :data:`MAX_RESPONSE_BYTES` are refused before parsing.

Every failure ends as one of two typed errors: :class:`~desktop.bbb.errors.BBBError` when the
server said FAILED (either error template, reference §2.1), :class:`~desktop.errors.ProtocolError`
when the answer is not what the protocol says (not XML, truncated, a field of the wrong type).
Success with a ``messageKey`` (``duplicateWarning``, ``noMeetings``...) is a success.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import parse_qsl, urlsplit

from desktop.bbb.errors import BBBError
from desktop.bbb.models import (
    NO_ATTENDEES,
    ApiInfo,
    Attendee,
    Attendees,
    CreateResult,
    JoinResult,
    Meeting,
    Metadata,
    assemble,
)
from desktop.errors import ProtocolError
from desktop.i18n import N_, _

if TYPE_CHECKING:  # lxml loads with the first answer parsed, not with the client (issue 13)
    from lxml import etree
    from lxml.etree import _Element as Element

MAX_RESPONSE_BYTES = 20 * 1024 * 1024

_T = TypeVar("_T")

_INTEGER = re.compile(r"-?[0-9]{1,30}", re.ASCII)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# What may come before the root element (XML 1.0 §2.8 "prolog"): a byte order mark, the XML
# declaration, processing instructions, comments and white space — and the DOCTYPE, the only
# place where entities can be declared.  A DOCTYPE or ENTITY anywhere after the root's start tag
# is not well-formed: the parser stops there with an error, having declared nothing.  So the
# declaration check looks at what follows this prefix only, instead of scanning the whole answer
# (7 MB for 2,000 meetings: 3 ms).  Answers in an encoding that is not ASCII-compatible (UTF-16)
# slip past it and are refused after parsing, by their docinfo.
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
# join-meeting.ftlx once shipped "<session_token>${sessionToken}</auth_token>" after the good line
# (reference §3.3, §8): a mismatched tag that makes the whole answer ill-formed.
_BAD_SESSION_TOKEN_LINE = re.compile(rb"<session_token>[^<]*</auth_token>")


def _parser() -> etree.XMLParser:
    # a fresh parser per document: lxml parsers are not safe to share between threads
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
        collect_ids=False,
        recover=False,
    )


def parse_document(content: bytes, *, call: str = "") -> Element:
    """The ``<response>`` root of an answer, or ProtocolError.  Does not look at returncode."""
    if len(content) > MAX_RESPONSE_BYTES:
        raise ProtocolError(_answer(
            call, N_("The BBB server's “{call}” answer is too large ({size} MB); it was refused."),
            N_("The BBB server's answer is too large ({size} MB); it was refused."),
            size=len(content) // (1024 * 1024)))
    if not content or content.isspace():
        raise ProtocolError(_answer(call, N_("The BBB server's “{call}” answer is empty."),
                                    N_("The BBB server's answer is empty.")))
    from lxml import etree

    prolog = _PROLOG.match(content)
    if _DECLARATION.match(content, prolog.end() if prolog is not None else 0):
        raise ProtocolError(_answer(
            call, N_("The BBB server's “{call}” answer contains a DOCTYPE or entity declaration, which "
                     "BBB never sends; it was refused."),
            N_("The BBB server's answer contains a DOCTYPE or entity declaration, which BBB never "
               "sends; it was refused.")))
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError:
        raise ProtocolError(
            _answer(call, N_("The BBB server's “{call}” answer is not valid XML (truncated or not from BBB)."),
                    N_("The BBB server's answer is not valid XML (truncated or not from BBB).")),
            hint=_("Check that the address points to a BigBlueButton server."),
        ) from None
    except (etree.ParserError, ValueError, TypeError, LookupError):
        # encoding declarations lxml cannot honour, and similar oddities
        raise ProtocolError(_answer(call, N_("The BBB server's “{call}” answer could not be read as XML."),
                                    N_("The BBB server's answer could not be read as XML."))) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise ProtocolError(_answer(
            call, N_("The BBB server's “{call}” answer contains a DOCTYPE, which BBB never sends; it was refused."),
            N_("The BBB server's answer contains a DOCTYPE, which BBB never sends; it was refused.")))
    if not isinstance(root.tag, str) or root.tag != "response":
        raise ProtocolError(
            _answer(call, N_("The BBB server's “{call}” answer is XML but not a BBB <response>."),
                    N_("The BBB server's answer is XML but not a BBB <response>.")),
            hint=_("Check that the address points to a BigBlueButton server."),
        )
    # No entity reference can be left in the tree: without a DOCTYPE no entity is declared, and a
    # reference to an undeclared one is a fatal error of the parser (tests hold both).
    return root


def _answer(call: str, named: str, unnamed: str, **values: object) -> str:
    """The sentence about the answer to ``call`` (``named``), or to an unnamed call — whole
    sentences both, so that each translates as a whole."""
    return _(named).format(call=call, **values) if call else _(unnamed).format(**values)


def check_returncode(root: Element, *, call: str = "") -> tuple[str, str]:
    """``(messageKey, message)`` of a SUCCESS answer; BBBError for FAILED; else ProtocolError."""
    code = _text(root, "returncode")
    key = _text(root, "messageKey") or ""
    message = _text(root, "message") or ""
    if code == "SUCCESS":
        return key, message
    if code == "FAILED" or root.find("errors") is not None:
        if not key:
            key, message = _legacy_error(root)
        raise BBBError(key, message, call=call)
    raise ProtocolError(
        _("The BBB server's “{call}” answer has no valid return code.").format(call=call or "API"),
        hint=_("Check that the address points to a BigBlueButton server."),
    )


def _legacy_error(root: Element) -> tuple[str, str]:
    """The first key and all messages of ``<errors>``: attribute and child-element variants."""
    errors = root.find("errors")
    if errors is None:
        return "", ""
    keys: list[str] = []
    messages: list[str] = []
    for error in errors.iterfind("error"):
        key = error.get("key") or _text(error, "key") or ""
        message = error.get("message") or _text(error, "message") or ""
        if key:
            keys.append(key)
        if message:
            messages.append(message)
    return (keys[0] if keys else ""), " ".join(messages)


def parse_response(content: bytes, call: str, build: Callable[[Element], _T]) -> _T:
    """Parse, check the return code, then build the model (type errors -> ProtocolError)."""
    root = parse_document(content, call=call)
    check_returncode(root, call=call)
    return build(root)


# -- call-specific answers -------------------------------------------------------------------


def parse_api_info(content: bytes) -> ApiInfo:
    def build(root: Element) -> ApiInfo:
        return ApiInfo(
            version=_text(root, "version") or "",
            api_version=_text(root, "apiVersion"),
            bbb_version=_text(root, "bbbVersion"),
            graphql_websocket_url=_text(root, "graphqlWebsocketUrl"),
            graphql_api_url=_text(root, "graphqlApiUrl"),
            html5_plugin_sdk_version=_text(root, "html5PluginSdkVersion"),
        )

    return parse_response(content, "api", build)


def parse_create(content: bytes) -> CreateResult:
    def build(root: Element) -> CreateResult:
        key, message = _text(root, "messageKey") or "", _text(root, "message") or ""
        return CreateResult(
            meeting_id=_required(root, "meetingID", "create"),
            internal_meeting_id=_text(root, "internalMeetingID") or "",
            create_time=_int(root, "createTime", 0, "create"),
            parent_meeting_id=_text(root, "parentMeetingID"),
            attendee_pw=_text(root, "attendeePW"),
            moderator_pw=_text(root, "moderatorPW"),
            voice_bridge=_opt_int(root, "voiceBridge", "create"),
            dial_number=_text(root, "dialNumber"),
            create_date=_text(root, "createDate"),
            has_user_joined=_bool(root, "hasUserJoined", False, "create"),
            duration=_int(root, "duration", 0, "create"),
            has_been_forcibly_ended=_bool(root, "hasBeenForciblyEnded", False, "create"),
            duplicate=key == "duplicateWarning",
            message_key=key,
            message=message,
        )

    return parse_response(content, "create", build)


def parse_join(content: bytes) -> JoinResult:
    """The ``redirect=false`` join answer, tolerating the malformed duplicate token line."""
    if len(content) <= MAX_RESPONSE_BYTES and _BAD_SESSION_TOKEN_LINE.search(content):
        content = _BAD_SESSION_TOKEN_LINE.sub(b"", content)

    def build(root: Element) -> JoinResult:
        return JoinResult(
            meeting_id=_required(root, "meeting_id", "join"),
            user_id=_required(root, "user_id", "join"),
            auth_token=_required(root, "auth_token", "join"),
            session_token=_required(root, "session_token", "join"),
            guest_status=_text(root, "guestStatus"),
            url=_text(root, "url"),
            message_key=_text(root, "messageKey") or "",
            message=_text(root, "message") or "",
        )

    return parse_response(content, "join", build)


def parse_is_meeting_running(content: bytes) -> bool:
    def build(root: Element) -> bool:
        if root.find("running") is None:
            raise ProtocolError(_("The BBB server's “{call}” answer lacks <{name}>.").format(
                call="isMeetingRunning", name="running"))
        return _bool(root, "running", False, "isMeetingRunning")

    return parse_response(content, "isMeetingRunning", build)


def parse_meetings(content: bytes) -> list[Meeting]:
    """``getMeetings``: an empty list for ``noMeetings`` (a success, not an error)."""

    def build(root: Element) -> list[Meeting]:
        meetings = root.find("meetings")
        if meetings is None:
            return []
        with _collector_paused():
            return [_meeting(m, "getMeetings", defer=True) for m in meetings.iterfind("meeting")]

    return parse_response(content, "getMeetings", build)


def parse_meeting_info(content: bytes) -> Meeting:
    return parse_response(content, "getMeetingInfo", lambda root: _meeting(root, "getMeetingInfo"))


def parse_simple(content: bytes, call: str) -> tuple[str, str]:
    """Answers with nothing but returncode/messageKey/message (``end``, ``sendChatMessage``)."""
    root = parse_document(content, call=call)
    return check_returncode(root, call=call)


def join_redirect_error(location: str, *, call: str = "join") -> BBBError | None:
    """The error carried by a 302 ``…?errors=[{"key":…,"message":…}]`` (reference §2.3), or None.

    BBB 3.x answers join validation failures with a redirect to the error/logout URL *before*
    looking at ``redirect=false``.  A Location without ``errors=`` is not an error redirect.
    """
    try:
        query = urlsplit(location).query
    except ValueError:
        return None
    raw = next((value for name, value in parse_qsl(query, keep_blank_values=True) if name == "errors"), None)
    if raw is None:
        return None
    key, message = "", ""
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if isinstance(data, dict):
        data = [data]
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                key = key or str(item.get("key") or "")
                text = str(item.get("message") or "")
                message = f"{message} {text}".strip() if text else message
    if not key and not message:
        message = raw[:300]
    return BBBError(key, message, call=call)


# -- building blocks -------------------------------------------------------------------------


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector paused (as it was, after).

    Why: reading 2,000 meetings creates tens of thousands of objects (the meetings, their
    dictionaries, lxml's element proxies), and each few hundred of them start a collection that
    walks the young objects for cycles — about a tenth of getMeetings' time (issue 14).  The
    objects built here hold no cycles, so nothing is left for the collector to find; it runs
    again after the block.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_CONTAINERS = frozenset({"attendees", "metadata", "breakoutRooms", "breakout", "customdata"})


def _children(node: Element) -> tuple[dict[str, str], dict[str, Element]]:
    """The direct children of ``node`` by tag, in one pass: ``(texts, containers)``.

    ``texts`` holds each field's stripped text ("" when empty), ``containers`` the elements of
    the tags in :data:`_CONTAINERS` (attendees, metadata...).  The first child of each tag wins,
    exactly as ``find()`` does (the pass runs backwards, so the first one is written last), and a
    field with nested markup reads as its whole text, as :func:`_own_text` does.

    Why one pass: a meeting has about thirty fields and an attendee nine; one ``find()`` per
    field walked the children again every time (2,000 meetings: 180,000 walks).
    """
    texts: dict[str, str] = {}
    containers: dict[str, Element] = {}
    for child in reversed(node):
        tag = child.tag
        if tag in _CONTAINERS:
            containers[tag] = child
        elif len(child):
            texts[tag] = _own_text(child)
        else:
            text = child.text  # a leaf, the common case: _own_text inlined (~250,000 calls)
            texts[tag] = text.strip() if text else ""
    return texts, containers


# the common spellings, looked up before the full checks of _integer_value and _flag_value
_FLAG_WORDS: dict[str | None, bool] = {"true": True, "false": False}


def _integer(texts: dict[str, str], name: str, call: str) -> int | None:
    text = texts.get(name)
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 30:  # what _INTEGER accepts, unsigned
        return int(text)
    return _integer_value(text, name, call)


def _flag(texts: dict[str, str], name: str, call: str) -> bool | None:
    text = texts.get(name)
    if not text:
        return None
    flag = _FLAG_WORDS.get(text)
    return _flag_value(text, name, call) if flag is None else flag


def _counters(texts: dict[str, str], names: tuple[str, ...], call: str) -> list[int]:
    """The integers ``names`` of one node, 0 when absent or empty.

    Checked all at once when every one is a plain unsigned number (what BBB sends): their
    concatenation is then ASCII digits only, one test instead of one per field; anything else
    (absent, empty, signed, not a number) goes through :func:`_integer` field by field.
    """
    values = list(map(texts.get, names))
    if all(values):
        digits = "".join(values)  # type: ignore[arg-type]  # all() proved them str
        if digits.isascii() and digits.isdigit() and max(map(len, values)) <= 30:  # type: ignore[arg-type]
            return list(map(int, values))  # type: ignore[arg-type]
    return [_integer(texts, name, call) or 0 for name in names]


def _switches(texts: dict[str, str], names: tuple[str, ...], call: str) -> list[bool]:
    """The flags ``names`` of one node, False when absent or empty: a dictionary look-up each
    when BBB's spelling is used, else :func:`_flag` field by field."""
    values = list(map(_FLAG_WORDS.get, map(texts.get, names)))
    if None in values:
        return [_flag(texts, name, call) or False for name in names]
    return values  # type: ignore[return-value]  # no None left


_MEETING_COUNTERS = ("createTime", "duration", "startTime", "endTime", "participantCount", "listenerCount",
                     "voiceParticipantCount", "videoCount", "maxUsers", "moderatorCount")
_MEETING_SWITCHES = ("running", "hasUserJoined", "recording", "hasBeenForciblyEnded", "isBreakout")
_ATTENDEE_SWITCHES = ("isPresenter", "isListeningOnly", "hasJoinedVoice", "hasVideo")


def _meeting(node: Element, call: str, *, defer: bool = False) -> Meeting:
    """One ``<meeting>`` (or getMeetingInfo's ``<response>``) as a checked :class:`Meeting`.

    With ``defer`` its attendees and metadata are read on first use (:class:`Attendees`,
    :class:`Metadata`).
    """
    texts, containers = _children(node)
    attendees_node = containers.get("attendees")
    attendees: Attendees = NO_ATTENDEES
    if attendees_node is not None and len(attendees_node):
        if defer:
            attendees = Attendees(reader=partial(_attendees, attendees_node, call))
        else:
            attendees = Attendees(_attendees(attendees_node, call))
    metadata_node = containers.get("metadata")
    metadata: Mapping[str, str] = (Metadata(reader=partial(_children_dict, metadata_node))
                                   if defer and metadata_node is not None else _children_dict(metadata_node))
    rooms_node = containers.get("breakoutRooms")
    rooms = tuple(t for b in rooms_node.iterfind("breakout") if (t := _own_text(b))) if rooms_node is not None else ()
    # BBB 2.x getMeetings nests breakout details in <breakout>; 3.x puts them on the meeting
    breakout = containers.get("breakout")
    info = _children(breakout)[0] if breakout is not None and len(breakout) else texts
    get = texts.get
    create_time, duration, start_time, end_time, participants, listeners, voices, videos, max_users, moderators = (
        _counters(texts, _MEETING_COUNTERS, call))
    running, has_user_joined, recording, forcibly_ended, is_breakout = _switches(texts, _MEETING_SWITCHES, call)
    return assemble(Meeting, {
        "meeting_name": get("meetingName") or "",
        "meeting_id": _required_value(get("meetingID") or None, "meetingID", call),
        "internal_meeting_id": get("internalMeetingID") or "",
        "create_time": create_time,
        "create_date": get("createDate") or None,
        "voice_bridge": _integer(texts, "voiceBridge", call),
        "dial_number": get("dialNumber") or None,
        "attendee_pw": get("attendeePW") or None,
        "moderator_pw": get("moderatorPW") or None,
        "running": running,
        "duration": duration,
        "has_user_joined": has_user_joined,
        "recording": recording,
        "has_been_forcibly_ended": forcibly_ended,
        "start_time": start_time,
        "end_time": end_time,
        "participant_count": participants,
        "listener_count": listeners,
        "voice_participant_count": voices,
        "video_count": videos,
        "max_users": max_users,
        "moderator_count": moderators,
        "attendees": attendees,
        "metadata": metadata,
        "is_breakout": is_breakout,
        "parent_meeting_id": info.get("parentMeetingID") or info.get("parentMeetingId") or None,
        "sequence": _integer(info, "sequence", call),
        "free_join": _flag(info, "freeJoin", call),
        "breakout_rooms": rooms,
    })


def _attendees(node: Element, call: str) -> tuple[Attendee, ...]:
    return tuple(_attendee(a, call) for a in node.iterfind("attendee"))


def _attendee(node: Element, call: str) -> Attendee:
    texts, containers = _children(node)
    get = texts.get
    is_presenter, is_listening_only, has_joined_voice, has_video = _switches(texts, _ATTENDEE_SWITCHES, call)
    return assemble(Attendee, {
        "user_id": get("userID") or "",
        "full_name": get("fullName") or "",
        "role": (get("role") or "").upper(),
        "is_presenter": is_presenter,
        "is_listening_only": is_listening_only,
        "has_joined_voice": has_joined_voice,
        "has_video": has_video,
        "client_type": get("clientType") or None,
        "customdata": _children_dict(containers.get("customdata")),
    })


def _own_text(node: Element) -> str:
    """All the text inside ``node`` (its descendants' too), stripped."""
    if len(node):
        return "".join(str(text) for text in node.itertext()).strip()
    text = node.text  # a leaf (the common case): its text is all of itertext()
    return text.strip() if text else ""


def _text(node: Element, name: str) -> str | None:
    """Stripped text of the first direct child ``name``; None when absent or empty."""
    child = node.find(name)
    if child is None:
        return None
    text = _own_text(child)
    return text or None


def _required_value(value: str | None, name: str, call: str) -> str:
    if value is None:
        raise ProtocolError(_("The BBB server's “{call}” answer lacks <{name}>.").format(call=call, name=name))
    return value


def _required(node: Element, name: str, call: str) -> str:
    return _required_value(_text(node, name), name, call)


def _integer_value(text: str | None, name: str, call: str) -> int | None:
    if text is None:
        return None
    if not _INTEGER.fullmatch(text):
        raise ProtocolError(_("The BBB server's “{call}” answer has a non-numeric <{name}> ({value}).").format(
            call=call, name=name, value=repr(text[:40])))
    return int(text)


def _opt_int(node: Element, name: str, call: str) -> int | None:
    return _integer_value(_text(node, name), name, call)


def _int(node: Element, name: str, default: int, call: str) -> int:
    value = _opt_int(node, name, call)
    return default if value is None else value


_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def _flag_value(text: str | None, name: str, call: str) -> bool | None:
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ProtocolError(_("The BBB server's “{call}” answer has an invalid <{name}> ({value}).").format(
        call=call, name=name, value=repr(text[:40])))


def _opt_bool(node: Element, name: str, call: str) -> bool | None:
    return _flag_value(_text(node, name), name, call)


def _bool(node: Element, name: str, default: bool, call: str) -> bool:
    value = _opt_bool(node, name, call)
    return default if value is None else value


def _children_dict(node: Element | None) -> dict[str, str]:
    """``{tag: text}`` of the children (metadata, custom data); the last of a duplicate tag wins."""
    if node is None:
        return {}
    found: dict[str, str] = {}
    for child in node:
        tag = child.tag
        if len(child):
            found[tag] = _own_text(child)
        else:
            text = child.text  # a leaf: _own_text inlined
            found[tag] = text.strip() if text else ""
    return found
