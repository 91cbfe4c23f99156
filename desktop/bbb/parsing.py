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
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import parse_qsl, urlsplit

from desktop.bbb.errors import BBBError
from desktop.bbb.models import ApiInfo, Attendee, CreateResult, JoinResult, Meeting
from desktop.errors import ProtocolError
from desktop.i18n import N_, _

if TYPE_CHECKING:  # lxml loads with the first answer parsed, not with the client (issue 13)
    from lxml import etree
    from lxml.etree import _Element as Element

MAX_RESPONSE_BYTES = 20 * 1024 * 1024

_T = TypeVar("_T")

_INTEGER = re.compile(r"-?[0-9]{1,30}", re.ASCII)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
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
    if not content.strip():
        raise ProtocolError(_answer(call, N_("The BBB server's “{call}” answer is empty."),
                                    N_("The BBB server's answer is empty.")))
    from lxml import etree

    if _DECLARATION.search(content):
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
    for _entity in root.iter(etree.Entity):  # filtered in C: no Python step per node
        raise ProtocolError(_answer(
            call, N_("The BBB server's “{call}” answer contains entity references; it was refused."),
            N_("The BBB server's answer contains entity references; it was refused.")))
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


class _Fields:
    """The direct child elements of one node by tag, gathered in one pass over its children.

    Why: a meeting has about thirty fields and an attendee nine; looking each one up with its own
    ``find()`` walked the children again every time (2,000 meetings: 180,000 walks, most of the
    parse).  The first child of each tag wins, exactly as ``find()`` does, and every value goes
    through the same checks as :func:`_text` and friends.
    """

    __slots__ = ("_call", "_children")

    def __init__(self, node: Element, call: str) -> None:
        children: dict[str, Element] = {}
        for child in node:
            tag = child.tag
            if isinstance(tag, str) and tag not in children:
                children[tag] = child
        self._children = children
        self._call = call

    def element(self, name: str) -> Element | None:
        return self._children.get(name)

    def text(self, name: str) -> str | None:
        child = self._children.get(name)
        if child is None:
            return None
        if len(child):
            return _own_text(child) or None
        text = child.text  # a leaf, the common case: _own_text inlined (called ~200,000 times)
        return (text.strip() or None) if text else None

    def required(self, name: str) -> str:
        return _required_value(self.text(name), name, self._call)

    def opt_integer(self, name: str) -> int | None:
        return _integer_value(self.text(name), name, self._call)

    def integer(self, name: str, default: int) -> int:
        value = _integer_value(self.text(name), name, self._call)
        return default if value is None else value

    def opt_flag(self, name: str) -> bool | None:
        return _flag_value(self.text(name), name, self._call)

    def flag(self, name: str, default: bool) -> bool:
        value = _flag_value(self.text(name), name, self._call)
        return default if value is None else value


def _meeting(node: Element, call: str) -> Meeting:
    fields = _Fields(node, call)
    attendees_node = fields.element("attendees")
    attendees = tuple(_attendee(a, call) for a in attendees_node.iterfind("attendee")) if attendees_node is not None else ()
    rooms_node = fields.element("breakoutRooms")
    rooms = tuple(t for b in rooms_node.iterfind("breakout") if (t := _own_text(b))) if rooms_node is not None else ()
    # BBB 2.x getMeetings nests breakout details in <breakout>; 3.x puts them on the meeting
    breakout = fields.element("breakout")
    info = _Fields(breakout, call) if breakout is not None and len(breakout) else fields
    return Meeting(
        meeting_name=fields.text("meetingName") or "",
        meeting_id=fields.required("meetingID"),
        internal_meeting_id=fields.text("internalMeetingID") or "",
        create_time=fields.integer("createTime", 0),
        create_date=fields.text("createDate"),
        voice_bridge=fields.opt_integer("voiceBridge"),
        dial_number=fields.text("dialNumber"),
        attendee_pw=fields.text("attendeePW"),
        moderator_pw=fields.text("moderatorPW"),
        running=fields.flag("running", False),
        duration=fields.integer("duration", 0),
        has_user_joined=fields.flag("hasUserJoined", False),
        recording=fields.flag("recording", False),
        has_been_forcibly_ended=fields.flag("hasBeenForciblyEnded", False),
        start_time=fields.integer("startTime", 0),
        end_time=fields.integer("endTime", 0),
        participant_count=fields.integer("participantCount", 0),
        listener_count=fields.integer("listenerCount", 0),
        voice_participant_count=fields.integer("voiceParticipantCount", 0),
        video_count=fields.integer("videoCount", 0),
        max_users=fields.integer("maxUsers", 0),
        moderator_count=fields.integer("moderatorCount", 0),
        attendees=attendees,
        metadata=_children_dict(fields.element("metadata")),
        is_breakout=fields.flag("isBreakout", False),
        parent_meeting_id=info.text("parentMeetingID") or info.text("parentMeetingId"),
        sequence=info.opt_integer("sequence"),
        free_join=info.opt_flag("freeJoin"),
        breakout_rooms=rooms,
    )


def _attendee(node: Element, call: str) -> Attendee:
    fields = _Fields(node, call)
    return Attendee(
        user_id=fields.text("userID") or "",
        full_name=fields.text("fullName") or "",
        role=(fields.text("role") or "").upper(),
        is_presenter=fields.flag("isPresenter", False),
        is_listening_only=fields.flag("isListeningOnly", False),
        has_joined_voice=fields.flag("hasJoinedVoice", False),
        has_video=fields.flag("hasVideo", False),
        client_type=fields.text("clientType"),
        customdata=_children_dict(fields.element("customdata")),
    )


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
    if node is None:
        return {}
    return {child.tag: _own_text(child) for child in node if isinstance(child.tag, str)}
