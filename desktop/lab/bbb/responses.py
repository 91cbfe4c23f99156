"""XML replies in the shapes of bbb-web's freemarker templates (bbb-api.md §2-§3).

The emulator's user data (meeting names, full names, metadata, custom data) is hostile by
assumption: text goes through ElementTree (which escapes ``<&>``), characters XML 1.0 cannot
carry are replaced, and element names made from parameter names (``meta_*``, ``userdata-*``) are
only emitted when they are valid XML names.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from aiohttp import web

from desktop.lab.world import LabMeeting, LabUser

XML_CONTENT_TYPE = "text/xml"

# XML 1.0 Char production, minus what ElementTree would emit raw
_INVALID_XML_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

DEFAULT_DIAL_NUMBER = "613-555-1234"

MESSAGES: dict[str, str] = {
    "checksumError": "Checksums do not match",
    "missingParamMeetingID": "You must provide a meeting ID",
    "missingParamFullName": "You must provide your name",
    "notFound": "A meeting with that ID does not exist",
    "invalidMeetingIdentifier": "The meeting ID that you supplied did not match any existing meetings",
    "meetingForciblyEnded": "You can not re-join a meeting that has already been forcibly ended.",
    "idNotUnique": "A meeting already exists with that meeting ID.  Please use a different meeting ID.",
    "duplicateWarning": "This conference was already in existence and may currently be in progress.",
    "sentEndMeetingRequest": (
        "A request to end the meeting was sent.  Please wait a few seconds, and then use the "
        "getMeetingInfo or isMeetingRunning API calls to verify that it was ended."
    ),
    "noMeetings": "no meetings were found on this server",
    "successfullyJoined": "You have joined successfully.",
    "guestWait": "Guest waiting for approval to join meeting.",
    "guestDeniedAccess": "Guest denied access to meeting.",
    "maxParticipantsReached": "The number of participants allowed for this meeting has been reached.",
    "mismatchCreateTimeParam": "The createTime parameter submitted mismatches with the current meeting.",
    "meetingNotFound": "Meeting not found",
    "Params required": "You must provide either role or password",
    "unsupportedRequest": "This request is not supported.",
    "unsupportedContentType": "POST request Content-Type is missing or unsupported",
    "parentMeetingIDMissing": "No parent meeting ID was provided for the breakout room",
    "parentMeetingDoesNotExist": "No parent meeting exists for the breakout room",
    "nonUniqueVoiceBridge": "The selected voice bridge is already in use.",
}

SCALELITE_MESSAGES: dict[str, str] = {
    "checksumError": "You did not pass the checksum security check",
    "missingParamMeetingID": "You must specify a meeting ID for the meeting.",
    "notFound": "We could not find a meeting with that meeting ID - perhaps the meeting is not yet running?",
}


def xml_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _INVALID_XML_CHARS.sub("\ufffd", str(value))


def is_xml_name(name: str) -> bool:
    return bool(_XML_NAME.match(name)) and not name.lower().startswith("xml")


def add(parent: ET.Element, tag: str, value: object = None) -> ET.Element:
    child = ET.SubElement(parent, tag)
    if value is not None:
        child.text = xml_text(value)
    return child


def add_mapping(parent: ET.Element, tag: str, mapping: dict[str, str]) -> ET.Element:
    """``<tag><key>value</key>…</tag>``; keys that are not XML names are left out."""
    node = ET.SubElement(parent, tag)
    for key, value in mapping.items():
        if is_xml_name(key):
            add(node, key, value)
    return node


def xml_response(root: ET.Element, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return web.Response(text=body, status=status, content_type=XML_CONTENT_TYPE, charset="utf-8", headers=headers)


def response_root(returncode: str = "SUCCESS") -> ET.Element:
    root = ET.Element("response")
    add(root, "returncode", returncode)
    return root


def failed(key: str, message: str | None = None) -> web.Response:
    root = response_root("FAILED")
    add(root, "messageKey", key)
    add(root, "message", message if message is not None else MESSAGES.get(key, key))
    return xml_response(root)


def safe_json_dumps(data: Any) -> str:
    """JSON whose strings cannot close a ``<script>`` or open markup if ever sniffed as HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- meeting views -----------------------------------------------------------------------------
def add_meeting_summary(root: ET.Element, meeting: LabMeeting) -> None:
    """The fields of create's reply (``create.ftlx``)."""
    add(root, "meetingID", meeting.meeting_id)
    add(root, "internalMeetingID", meeting.internal_id)
    add(root, "parentMeetingID", meeting.params.get("parentMeetingID") or "bbb-none")
    if meeting.attendee_pw:
        add(root, "attendeePW", meeting.attendee_pw)
    if meeting.moderator_pw:
        add(root, "moderatorPW", meeting.moderator_pw)
    add(root, "createTime", meeting.create_time)
    add(root, "voiceBridge", meeting.voice_bridge)
    add(root, "dialNumber", meeting.params.get("dialNumber") or DEFAULT_DIAL_NUMBER)
    add(root, "createDate", meeting.create_date)
    add(root, "hasUserJoined", meeting.has_user_joined)
    add(root, "duration", meeting.duration)
    add(root, "hasBeenForciblyEnded", meeting.forcibly_ended)


def _attendee(parent: ET.Element, user: LabUser) -> None:
    node = ET.SubElement(parent, "attendee")
    add(node, "userID", user.external_user_id)
    add(node, "fullName", user.full_name)
    add(node, "role", user.role)
    add(node, "isPresenter", False)
    add(node, "isListeningOnly", False)
    add(node, "hasJoinedVoice", False)
    add(node, "hasVideo", False)
    add(node, "clientType", user.client_type)
    add_mapping(node, "customdata", user.customdata)


def add_meeting_details(root: ET.Element, meeting: LabMeeting, breakout_ids: list[str]) -> None:
    """The fields of getMeetingInfo (``get-meeting-info.ftlx``), also used per getMeetings entry."""
    add(root, "meetingName", meeting.name)
    add(root, "meetingID", meeting.meeting_id)
    add(root, "internalMeetingID", meeting.internal_id)
    add(root, "createTime", meeting.create_time)
    add(root, "createDate", meeting.create_date)
    add(root, "voiceBridge", meeting.voice_bridge)
    add(root, "dialNumber", meeting.params.get("dialNumber") or DEFAULT_DIAL_NUMBER)
    add(root, "attendeePW", meeting.attendee_pw)
    add(root, "moderatorPW", meeting.moderator_pw)
    add(root, "running", meeting.running)
    add(root, "duration", meeting.duration)
    add(root, "hasUserJoined", meeting.has_user_joined)
    add(root, "recording", False)
    add(root, "hasBeenForciblyEnded", meeting.forcibly_ended)
    add(root, "startTime", meeting.start_time or meeting.create_time)
    add(root, "endTime", meeting.end_time)
    add(root, "participantCount", meeting.participant_count)
    add(root, "listenerCount", 0)
    add(root, "voiceParticipantCount", 0)
    add(root, "videoCount", 0)
    add(root, "maxUsers", meeting.max_participants)
    add(root, "moderatorCount", meeting.moderator_count)
    attendees = ET.SubElement(root, "attendees")
    for user in meeting.present_users:
        _attendee(attendees, user)
    add_mapping(root, "metadata", meeting.metadata)
    is_breakout = meeting.params.get("isBreakout", "false").lower() == "true"
    add(root, "isBreakout", is_breakout)
    if is_breakout:
        add(root, "parentMeetingID", meeting.params.get("parentMeetingID", ""))
        add(root, "sequence", meeting.params.get("sequence", "0"))
        add(root, "freeJoin", meeting.params.get("freeJoin", "false").lower() == "true")
    if breakout_ids:
        rooms = ET.SubElement(root, "breakoutRooms")
        for internal_id in breakout_ids:
            add(rooms, "breakout", internal_id)
