"""The BBB HTTP API at ``/bigbluebutton/api/<call>``, answered like bbb-web 3.0 (or Scalelite).

Rules the emulator keeps because clients get them wrong (bbb-api.md §1-§3, §7): the checksum is
verified over the raw query string as received; API errors are HTTP 200 with ``FAILED``;
``create`` is idempotent; a meeting runs only once a user entered; ``end`` is asynchronous;
``join`` answers validation failures with a 302 to the error URL, sets ``JSESSIONID`` and, by
default, redirects the browser to the lab client page.
"""

from __future__ import annotations

import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from aiohttp import web
from multidict import MultiMapping

from desktop.lab.bbb import responses as R
from desktop.lab.bbb.checksum import (
    ALL_ALGORITHMS,
    SCALELITE_ALGORITHMS,
    raw_query_of,
    verify_checksum,
)
from desktop.lab.bbb.state import JSESSIONID, BBBState, base_url
from desktop.lab.world import LabMeeting

logger = logging.getLogger(__name__)

API_PREFIX = "/bigbluebutton/api"
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
XML_TYPES = ("text/xml", "application/xml")
# Scalelite's routes (config/routes.rb); everything else is errors#unsupported_request
SCALELITE_CALLS = frozenset({
    "create", "join", "isMeetingRunning", "getMeetingInfo", "getMeetings", "end", "insertDocument",
    "getRecordings",
})
GET_ONLY = frozenset({"join", "sendChatMessage"})


@dataclass
class Call:
    """One API request, with its parameters (first value of each name) and checksum verdict."""

    request: web.Request
    name: str
    params: dict[str, str]
    checksum_ok: bool


def _first_values(query: MultiMapping[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, value in query.items():
        params.setdefault(key, value)
    return params


def _java_url_encode(value: str) -> str:
    return quote_plus(value, safe="*").replace("~", "%7E")


class BBBApi:
    """Handlers of the API routes; one instance per emulated server."""

    def __init__(self, state: BBBState) -> None:
        self.state = state
        self.world = state.world
        self.options = state.options
        self._handlers: dict[str, Callable[[Call], Awaitable[web.StreamResponse]]] = {
            "create": self.create,
            "join": self.join,
            "isMeetingRunning": self.is_meeting_running,
            "getMeetings": self.get_meetings,
            "getMeetingInfo": self.get_meeting_info,
            "end": self.end,
            "insertDocument": self.insert_document,
            "getRecordings": self.get_recordings,
        }
        if not (self.options.bbb2_mode or self.options.scalelite_mode):
            self._handlers["sendChatMessage"] = self.send_chat_message

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", API_PREFIX, self.root)
        app.router.add_route("*", API_PREFIX + "/", self.root)
        app.router.add_route("*", API_PREFIX + "/{call:.+}", self.dispatch)

    # -- helpers -------------------------------------------------------------------------------
    def failed(self, key: str, message: str | None = None) -> web.Response:
        if message is None and self.options.scalelite_mode:
            message = R.SCALELITE_MESSAGES.get(key)
        return R.failed(key, message)

    @property
    def accepted_algorithms(self) -> frozenset[str]:
        accepted = frozenset(self.world.bbb_faults.accepted_algorithms) & frozenset(ALL_ALGORITHMS)
        return accepted & SCALELITE_ALGORITHMS if self.options.scalelite_mode else accepted

    def meeting_id_problem(self, params: dict[str, str]) -> tuple[str, str] | None:
        """``MeetingIDConstraint``: present, 2-256 characters, no comma."""
        meeting_id = params.get("meetingID", "")
        if not meeting_id:
            return ("missingParamMeetingID", R.SCALELITE_MESSAGES["missingParamMeetingID"]
                    if self.options.scalelite_mode else R.MESSAGES["missingParamMeetingID"])
        if not 2 <= len(meeting_id) <= 256:
            return "validationError", "Meeting ID must be between 2 and 256 characters"
        if "," in meeting_id:
            return "validationError", "Meeting ID cannot contain ','"
        return None

    def breakout_ids(self, meeting: LabMeeting) -> list[str]:
        return [m.internal_id for m in self.world.meetings.values()
                if not m.ended and m.params.get("parentMeetingID") == meeting.internal_id
                and m.params.get("isBreakout", "").lower() == "true"]

    # -- root ---------------------------------------------------------------------------------
    async def root(self, request: web.Request) -> web.Response:
        """The API root: version probe and GraphQL discovery (no checksum)."""
        fields: list[tuple[str, str]] = [("returncode", "SUCCESS"), ("version", "2.0")]
        if not self.options.scalelite_mode:
            fields.append(("apiVersion", "2.0"))
            if self.options.bbb2_mode:
                fields.append(("bbbVersion", "2.7.12"))
            else:
                base = base_url(request, self.options)
                ws_base = "wss://" + base[len("https://"):] if base.startswith("https://") else "ws://" + base[len("http://"):]
                fields += [("bbbVersion", self.options.bbb_version), ("html5PluginSdkVersion", "0.0.95"),
                           ("graphqlWebsocketUrl", ws_base + "graphql"), ("graphqlApiUrl", base + "api/rest")]
        if request.content_type == "application/json":
            return web.json_response({"response": dict(fields)})
        root = ET.Element("response")
        for tag, value in fields:
            R.add(root, tag, value)
        return R.xml_response(root)

    # -- dispatch -------------------------------------------------------------------------------
    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["call"]
        if self.options.scalelite_mode and name not in SCALELITE_CALLS:
            return self.failed("unsupportedRequest")
        handler = self._handlers.get(name)
        if handler is None:
            raise web.HTTPNotFound(text=f"No such API call: {name[:64]}\n")
        raw_query = raw_query_of(request.raw_path)
        params = _first_values(request.query)
        if request.method == "POST":
            if name in GET_ONLY:
                raise web.HTTPMethodNotAllowed(request.method, ["GET"])
            allowed = XML_TYPES if name == "insertDocument" else FORM_TYPES + (XML_TYPES if name == "create" else ())
            if request.content_type not in allowed:
                return self.failed("unsupportedContentType")
            if request.content_type in FORM_TYPES:
                posted = await request.post()
                form: dict[str, str] = {}
                for key, value in posted.items():
                    if isinstance(value, str):
                        form.setdefault(key, value)
                for key, value in form.items():
                    params.setdefault(key, value)
                if not raw_query and not self.options.scalelite_mode:
                    # ValidationService.buildQueryStringFromParamsMap: sorted keys, URLEncoder values
                    raw_query = "&".join(f"{k}={_java_url_encode(v)}" for k, v in sorted(form.items())
                                         if k != "checksum")
        elif request.method != "GET":
            raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
        elif name == "insertDocument":
            raise web.HTTPMethodNotAllowed(request.method, ["POST"])
        checksum_ok = verify_checksum(
            name, raw_query, params.get("checksum"), self.world.secret,
            accepted=self.accepted_algorithms, exact_case=self.options.scalelite_mode,
        )
        params.pop("checksum", None)
        return await handler(Call(request, name, params, checksum_ok))

    # -- create ---------------------------------------------------------------------------------
    async def create(self, call: Call) -> web.Response:
        if not call.checksum_ok:
            return self.failed("checksumError")
        params = call.params
        problem = self.meeting_id_problem(params)
        if problem:
            return self.failed(*problem)
        name = params.get("name", "")
        if not name:
            return self.failed("validationError", "You must provide a meeting name")
        if not 2 <= len(name) <= 256:
            return self.failed("validationError", "Meeting name must be between 2 and 256 characters")
        if params.get("isBreakout", "").lower() == "true":
            parent_id = params.get("parentMeetingID", "")
            if not parent_id:
                return self.failed("parentMeetingIDMissing")
            parent = self.world.meeting_by_internal_id(parent_id)
            if parent is None or parent.ended:
                return self.failed("parentMeetingDoesNotExist")
        voice_bridge = params.get("voiceBridge", "")
        if voice_bridge.isdigit() and any(
            m.voice_bridge == int(voice_bridge) and m.meeting_id != params["meetingID"]
            for m in self.world.meetings.values() if not m.ended
        ):
            return self.failed("nonUniqueVoiceBridge")
        try:
            meeting, duplicate = self.world.create_meeting(params)
        except ValueError:
            return self.failed("idNotUnique")
        if not duplicate and voice_bridge.isdigit():
            meeting.voice_bridge = int(voice_bridge)
        root = R.response_root()
        R.add_meeting_summary(root, meeting)
        R.add(root, "messageKey", "duplicateWarning" if duplicate else "")
        R.add(root, "message", R.MESSAGES["duplicateWarning"] if duplicate else "")
        return R.xml_response(root)

    # -- join ----------------------------------------------------------------------------------
    def _error_redirect(self, call: Call, key: str, message: str, meeting: LabMeeting | None) -> web.Response:
        """bbb-web answers join validation failures with a 302 to errorRedirectUrl, else the
        meeting's logoutURL, else the default logout URL, with ``errors=[…]`` appended (§2.3)."""
        target = (call.params.get("errorRedirectUrl")
                  or (meeting.params.get("logoutURL") if meeting is not None else None)
                  or base_url(call.request, self.options))
        errors = json.dumps([{"key": key, "message": message}], separators=(",", ":"))
        location = target + ("&" if "?" in target else "?") + "errors=" + quote(errors, safe="")
        return web.Response(status=302, headers={"Location": location})

    async def join(self, call: Call) -> web.Response:
        params = call.params
        redirect = params.get("redirect", "true").lower() != "false"
        meeting = self.world.meeting(params.get("meetingID", ""))
        scalelite = self.options.scalelite_mode
        # bbb-web validates first and redirects on failure, whatever `redirect` says
        problem: tuple[str, str] | None = None
        if not call.checksum_ok:
            problem = ("checksumError", R.MESSAGES["checksumError"])
        elif not params.get("fullName"):
            problem = ("missingParamFullName", R.MESSAGES["missingParamFullName"])
        elif (id_problem := self.meeting_id_problem(params)) is not None:
            problem = id_problem
        elif meeting is None or (meeting.ended and not meeting.forcibly_ended):
            problem = ("invalidMeetingIdentifier", R.MESSAGES["invalidMeetingIdentifier"])
        elif meeting.ended or meeting.end_requested:
            problem = ("meetingForciblyEnded", R.MESSAGES["meetingForciblyEnded"])
        elif params.get("createTime") and params["createTime"] != str(meeting.create_time):
            problem = ("mismatchCreateTimeParam", R.MESSAGES["mismatchCreateTimeParam"])
        if problem is not None:
            if scalelite:  # Scalelite answers its own checks in XML
                key = "notFound" if problem[0] in ("invalidMeetingIdentifier", "meetingForciblyEnded") else problem[0]
                return self.failed(key)
            return self._error_redirect(call, *problem, meeting)
        assert meeting is not None

        role = params.get("role", "").upper()
        password = params.get("password", "")
        if role not in ("MODERATOR", "VIEWER"):
            if role or not password:
                return self.failed("Params required")
            if password == meeting.moderator_pw:
                role = "MODERATOR"
            elif password == meeting.attendee_pw:
                role = "VIEWER"
            else:
                return self.failed("Params required", "The password you supplied does not match")

        guest_status = "ALLOW"
        if params.get("guest", "").lower() == "true":
            policy = meeting.params.get("guestPolicy", "ALWAYS_ACCEPT").upper()
            if policy == "ALWAYS_DENY":
                return self._join_refused(call, "guestDeniedAccess", meeting, redirect)
            if policy == "ASK_MODERATOR":
                guest_status = "WAIT"
        if meeting.max_participants > 0 and meeting.participant_count >= meeting.max_participants:
            return self._join_refused(call, "maxParticipantsReached", meeting, redirect)

        full_name = _CONTROL_CHARS.sub("", params["fullName"])
        customdata = {k[len("userdata-"):]: v for k, v in params.items() if k.startswith("userdata-")}
        user = self.world.register_user(meeting, full_name=full_name, role=role,
                                        external_user_id=params.get("userID", ""), customdata=customdata)
        if guest_status == "WAIT":
            self.state.waiting_guests.add(user.session_token)
        session_id = self.state.open_http_session(call.request.cookies.get(JSESSIONID), user)
        client_url = f"{base_url(call.request, self.options)}html5client/join?sessionToken={user.session_token}"
        if redirect:
            response = web.Response(status=302, headers={"Location": client_url})
        else:
            root = R.response_root()
            key = "guestWait" if guest_status == "WAIT" else "successfullyJoined"
            R.add(root, "messageKey", key)
            R.add(root, "message", R.MESSAGES[key])
            R.add(root, "meeting_id", meeting.internal_id)
            R.add(root, "user_id", user.user_id)
            R.add(root, "auth_token", user.auth_token)
            R.add(root, "session_token", user.session_token)
            R.add(root, "guestStatus", guest_status)
            R.add(root, "url", client_url)
            response = R.xml_response(root)
        response.set_cookie(JSESSIONID, session_id, path="/", httponly=True)
        return response

    def _join_refused(self, call: Call, key: str, meeting: LabMeeting, redirect: bool) -> web.Response:
        if redirect and not self.options.scalelite_mode:
            return self._error_redirect(call, key, R.MESSAGES[key], meeting)
        return self.failed(key)

    # -- read calls -------------------------------------------------------------------------------
    async def is_meeting_running(self, call: Call) -> web.Response:
        if not call.checksum_ok:
            return self.failed("checksumError")
        problem = self.meeting_id_problem(call.params)
        if problem:
            return self.failed(*problem)
        meeting = self.world.live_meeting(call.params["meetingID"])
        root = R.response_root()
        R.add(root, "running", meeting is not None and meeting.running)
        return R.xml_response(root)

    async def get_meetings(self, call: Call) -> web.Response:
        if not call.checksum_ok:
            return self.failed("checksumError")
        live = [m for m in self.world.meetings.values() if not m.ended]
        root = R.response_root()
        meetings = ET.SubElement(root, "meetings")
        if not live:
            R.add(root, "messageKey", "noMeetings")
            R.add(root, "message", R.MESSAGES["noMeetings"])
        for meeting in live:
            R.add_meeting_details(ET.SubElement(meetings, "meeting"), meeting, self.breakout_ids(meeting))
        return R.xml_response(root)

    def existing_meeting(self, call: Call) -> LabMeeting | web.Response:
        """The live meeting a signed call names, or the FAILED answer bbb-web gives instead
        (checksumError, a meetingID validation key, notFound)."""
        if not call.checksum_ok:
            return self.failed("checksumError")
        problem = self.meeting_id_problem(call.params)
        if problem:
            return self.failed(*problem)
        meeting = self.world.live_meeting(call.params["meetingID"])
        if meeting is None:
            return self.failed("notFound")
        return meeting

    async def get_meeting_info(self, call: Call) -> web.Response:
        meeting = self.existing_meeting(call)
        if isinstance(meeting, web.Response):
            return meeting
        root = R.response_root()
        R.add_meeting_details(root, meeting, self.breakout_ids(meeting))
        return R.xml_response(root)

    async def get_recordings(self, call: Call) -> web.Response:
        if not call.checksum_ok:
            return self.failed("checksumError")
        root = R.response_root()
        ET.SubElement(root, "recordings")
        R.add(root, "messageKey", "noRecordings")
        R.add(root, "message", "There are no recordings for the meeting(s).")
        return R.xml_response(root)

    # -- write calls ------------------------------------------------------------------------------
    async def end(self, call: Call) -> web.Response:
        meeting = self.existing_meeting(call)
        if isinstance(meeting, web.Response):
            return meeting
        if not meeting.end_requested:
            self.world.request_end(meeting, reason="end API call")
        root = R.response_root()
        R.add(root, "messageKey", "sentEndMeetingRequest")
        R.add(root, "message", R.MESSAGES["sentEndMeetingRequest"])
        return R.xml_response(root)

    async def send_chat_message(self, call: Call) -> web.Response:
        """BBB 3.0's ``sendChatMessage``: GET only, 1-500 characters, free sender name.

        The message is stored as sent (type ``default``, sender id ``w_system``); the lab does not
        HTML-escape it on the way in, every face that shows it escapes it on the way out.
        """
        if not call.checksum_ok:
            return self.failed("checksumError")
        problem = self.meeting_id_problem(call.params)
        if problem:
            return self.failed(*problem)
        message = call.params.get("message", "")
        if not 1 <= len(message) <= 500:
            return self.failed("validationError", "Param message must be between 1 and 500 characters")
        user_name = call.params.get("userName") or "System"
        if len(user_name) > 255:
            return self.failed("validationError", "Param userName must be at most 255 characters")
        meeting = self.world.live_meeting(call.params["meetingID"])
        if meeting is None or not meeting.running:
            return self.failed("meetingNotFound")
        self.world.post_chat(meeting, text=message, sender_name=user_name)
        root = R.response_root()
        R.add(root, "messageKey", "")
        R.add(root, "message", "Message successfully sent")
        return R.xml_response(root)

    async def insert_document(self, call: Call) -> web.Response:
        if not call.checksum_ok:
            return self.failed("checksumError")
        problem = self.meeting_id_problem(call.params)
        if problem:
            return self.failed(*problem)
        if self.world.live_meeting(call.params["meetingID"]) is None:
            return self.failed("notFound", f"Meeting with id [{call.params['meetingID']}] not found.")
        root = R.response_root()
        R.add(root, "message", "Presentation is being uploaded")
        return R.xml_response(root)
