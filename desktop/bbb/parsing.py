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

import json
import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from desktop.bbb.errors import BBBError
from desktop.bbb.models import ApiInfo, Attendee, CreateResult, JoinResult, Meeting
from desktop.errors import ProtocolError

MAX_RESPONSE_BYTES = 20 * 1024 * 1024

_T = TypeVar("_T")
Element = etree._Element

_INTEGER = re.compile(r"-?[0-9]{1,30}", re.ASCII)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# join-meeting.ftlx once shipped "<session_token>${sessionToken}</auth_token>" after the good line
# (reference §3.3, §8): a mismatched tag that makes the whole answer ill-formed.
_BAD_SESSION_TOKEN_LINE = re.compile(rb"<session_token>[^<]*</auth_token>")


def _parser() -> etree.XMLParser:
    # a fresh parser per document: lxml parsers are not safe to share between threads
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
    what = f"“{call}” answer" if call else "answer"
    if len(content) > MAX_RESPONSE_BYTES:
        raise ProtocolError(
            f"The BBB server's {what} is too large ({len(content) // (1024 * 1024)} MB); it was refused."
        )
    if not content.strip():
        raise ProtocolError(f"The BBB server's {what} is empty.")
    if _DECLARATION.search(content):
        raise ProtocolError(
            f"The BBB server's {what} contains a DOCTYPE or entity declaration, which BBB never "
            "sends; it was refused."
        )
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError:
        raise ProtocolError(
            f"The BBB server's {what} is not valid XML (truncated or not from BBB).",
            hint="Check that the address points to a BigBlueButton server.",
        ) from None
    except (etree.ParserError, ValueError, TypeError, LookupError):
        # encoding declarations lxml cannot honour, and similar oddities
        raise ProtocolError(f"The BBB server's {what} could not be read as XML.") from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise ProtocolError(f"The BBB server's {what} contains a DOCTYPE, which BBB never sends; it was refused.")
    if not isinstance(root.tag, str) or root.tag != "response":
        raise ProtocolError(
            f"The BBB server's {what} is XML but not a BBB <response>.",
            hint="Check that the address points to a BigBlueButton server.",
        )
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise ProtocolError(f"The BBB server's {what} contains entity references; it was refused.")
    return root


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
        f"The BBB server's “{call or 'API'}” answer has no valid return code.",
        hint="Check that the address points to a BigBlueButton server.",
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
            raise ProtocolError("The BBB server's “isMeetingRunning” answer lacks <running>.")
        return _bool(root, "running", False, "isMeetingRunning")

    return parse_response(content, "isMeetingRunning", build)


def parse_meetings(content: bytes) -> list[Meeting]:
    """``getMeetings``: an empty list for ``noMeetings`` (a success, not an error)."""

    def build(root: Element) -> list[Meeting]:
        meetings = root.find("meetings")
        if meetings is None:
            return []
        return [_meeting(m, "getMeetings") for m in meetings.iterfind("meeting")]

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


def _meeting(node: Element, call: str) -> Meeting:
    attendees_node = node.find("attendees")
    attendees = tuple(_attendee(a, call) for a in attendees_node.iterfind("attendee")) if attendees_node is not None else ()
    rooms_node = node.find("breakoutRooms")
    rooms = tuple(t for b in rooms_node.iterfind("breakout") if (t := _own_text(b))) if rooms_node is not None else ()
    # BBB 2.x getMeetings nests breakout details in <breakout>; 3.x puts them on the meeting
    info = node.find("breakout")
    info = info if info is not None and len(info) else node
    return Meeting(
        meeting_name=_text(node, "meetingName") or "",
        meeting_id=_required(node, "meetingID", call),
        internal_meeting_id=_text(node, "internalMeetingID") or "",
        create_time=_int(node, "createTime", 0, call),
        create_date=_text(node, "createDate"),
        voice_bridge=_opt_int(node, "voiceBridge", call),
        dial_number=_text(node, "dialNumber"),
        attendee_pw=_text(node, "attendeePW"),
        moderator_pw=_text(node, "moderatorPW"),
        running=_bool(node, "running", False, call),
        duration=_int(node, "duration", 0, call),
        has_user_joined=_bool(node, "hasUserJoined", False, call),
        recording=_bool(node, "recording", False, call),
        has_been_forcibly_ended=_bool(node, "hasBeenForciblyEnded", False, call),
        start_time=_int(node, "startTime", 0, call),
        end_time=_int(node, "endTime", 0, call),
        participant_count=_int(node, "participantCount", 0, call),
        listener_count=_int(node, "listenerCount", 0, call),
        voice_participant_count=_int(node, "voiceParticipantCount", 0, call),
        video_count=_int(node, "videoCount", 0, call),
        max_users=_int(node, "maxUsers", 0, call),
        moderator_count=_int(node, "moderatorCount", 0, call),
        attendees=attendees,
        metadata=_children_dict(node.find("metadata")),
        is_breakout=_bool(node, "isBreakout", False, call),
        parent_meeting_id=_text(info, "parentMeetingID") or _text(info, "parentMeetingId"),
        sequence=_opt_int(info, "sequence", call),
        free_join=_opt_bool(info, "freeJoin", call),
        breakout_rooms=rooms,
    )


def _attendee(node: Element, call: str) -> Attendee:
    return Attendee(
        user_id=_text(node, "userID") or "",
        full_name=_text(node, "fullName") or "",
        role=(_text(node, "role") or "").upper(),
        is_presenter=_bool(node, "isPresenter", False, call),
        is_listening_only=_bool(node, "isListeningOnly", False, call),
        has_joined_voice=_bool(node, "hasJoinedVoice", False, call),
        has_video=_bool(node, "hasVideo", False, call),
        client_type=_text(node, "clientType"),
        customdata=_children_dict(node.find("customdata")),
    )


def _own_text(node: Element) -> str:
    return "".join(str(text) for text in node.itertext()).strip()


def _text(node: Element, name: str) -> str | None:
    """Stripped text of the first direct child ``name``; None when absent or empty."""
    child = node.find(name)
    if child is None:
        return None
    text = _own_text(child)
    return text or None


def _required(node: Element, name: str, call: str) -> str:
    value = _text(node, name)
    if value is None:
        raise ProtocolError(f"The BBB server's “{call}” answer lacks <{name}>.")
    return value


def _opt_int(node: Element, name: str, call: str) -> int | None:
    text = _text(node, name)
    if text is None:
        return None
    if not _INTEGER.fullmatch(text):
        raise ProtocolError(f"The BBB server's “{call}” answer has a non-numeric <{name}> ({text[:40]!r}).")
    return int(text)


def _int(node: Element, name: str, default: int, call: str) -> int:
    value = _opt_int(node, name, call)
    return default if value is None else value


_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def _opt_bool(node: Element, name: str, call: str) -> bool | None:
    text = _text(node, name)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ProtocolError(f"The BBB server's “{call}” answer has an invalid <{name}> ({text[:40]!r}).")


def _bool(node: Element, name: str, default: bool, call: str) -> bool:
    value = _opt_bool(node, name, call)
    return default if value is None else value


def _children_dict(node: Element | None) -> dict[str, str]:
    if node is None:
        return {}
    return {child.tag: _own_text(child) for child in node if isinstance(child.tag, str)}
