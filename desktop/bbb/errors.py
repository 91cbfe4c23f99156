"""Errors of the BBB client.

A BBB server answers HTTP 200 with ``<returncode>FAILED</returncode>`` and a ``messageKey`` for
API failures (reference §2).  All of them become one :class:`BBBError` carrying the key (the stable
part, to branch on) and the server's message (English text that changes between versions).  Its
``sentence`` is ours, written for the presenter, for the keys that matter; other keys fall back to
the server's own message.

Malformed answers (not XML, truncated, hostile, huge) are :class:`desktop.errors.ProtocolError`,
transport failures the :class:`desktop.errors.NetworkError` family.  Input refused before anything
is sent (a chat message that BBB would reject) is :class:`ChatMessageError`.
"""

from __future__ import annotations

from desktop.errors import PupitreError
from desktop.i18n import N_, _

# one sentence per important messageKey (reference §2.2), English, translated where read
_SENTENCES: dict[str, str] = {
    "checksumError": N_("The BBB server refused the request signature: the shared "
                        "secret or the checksum algorithm is wrong."),
    "notFound": N_("The BBB server does not know this meeting (it was never created, or it has ended)."),
    "meetingNotFound": N_("The meeting is not running on the BBB server, so nothing can be posted to its chat."),
    "invalidMeetingIdentifier": N_("The BBB server does not know this meeting, so nobody can join it yet."),
    "meetingForciblyEnded": N_("This meeting has been ended; it must be created again before anyone can join."),
    "missingParamMeetingID": N_("The request did not name a meeting."),
    "missingParamFullName": N_("The join request did not give a name for the user."),
    "validationError": N_("The BBB server refused a parameter of the request as invalid."),
    "idNotUnique": N_("A meeting with this ID already exists on the BBB server with different settings."),
    "maxParticipantsReached": N_("The meeting is full: the maximum number of participants is reached."),
    "guestDeniedAccess": N_("The moderators refused this guest."),
    "mismatchCreateTimeParam": N_("The meeting was re-created since this join link was made; make a new link."),
    "unsupportedContentType": N_("The BBB server refused the request's content type."),
    "apiNotEnabled": N_("The API of this BBB server is disabled."),
    "unsupportedRequest": N_("This server (probably a Scalelite load balancer) does not support this request."),
    "internalError": N_("The BBB server (or its load balancer) reported an internal error."),
    "serverTagUnavailable": N_("No BBB server with the requested tag is available behind the load balancer."),
    "Params required": N_("The join request lacks a valid role or password."),
    "parentMeetingIDMissing": N_("The breakout room request did not name its parent meeting."),
    "parentMeetingDoesNotExist": N_("The parent meeting of this breakout room does not exist."),
    "nonUniqueVoiceBridge": N_("The requested voice bridge number is already in use."),
}

_HINTS: dict[str, str] = {
    "checksumError": N_("Check the secret (bbb-conf --secret on the server) and try "
                        "another algorithm (sha256, sha1, sha512)."),
    "notFound": N_("Create the meeting first, or check its ID."),
    "meetingNotFound": N_("Wait until someone has joined the meeting."),
    "invalidMeetingIdentifier": N_("Create the meeting first, or check its ID."),
    "unsupportedRequest": N_("Behind Scalelite, use the streaming gateway for the chat."),
}


class BBBError(PupitreError):
    """The BBB server answered FAILED (or refused a join with a redirect).

    Attributes:
        message_key: BBB's ``messageKey`` (e.g. ``checksumError``), the stable part to branch on.
        message: the server's own text, which varies between versions.
        call: the API call that failed ("create", "join"...).
    """

    def __init__(self, message_key: str, message: str = "", *, call: str = "") -> None:
        self.message_key = message_key
        self.message = message
        self.call = call
        hint = _HINTS.get(message_key)
        super().__init__(describe(message_key, message), hint=_(hint) if hint else "")


def describe(message_key: str, message: str) -> str:
    """Our sentence for ``message_key``, else the server's message made into a sentence."""
    text = " ".join(message.split())[:300]
    if message_key == "validationError" and text:
        # the server's text names the parameter ("Invalid meeting ID"), which our sentence cannot
        return _("The BBB server refused a parameter of the request: {reason}.").format(
            reason=text.rstrip("."))
    sentence = _SENTENCES.get(message_key)
    if sentence:
        return _(sentence)
    if text:
        if not text.endswith((".", "!", "?")):
            text += "."
        return _("The BBB server refused the request: {reason}").format(reason=text)
    if message_key:
        return _("The BBB server refused the request ({key}).").format(key=message_key[:100])
    return _("The BBB server refused the request without saying why.")


class InvalidParameter(PupitreError, ValueError):
    """A call parameter that cannot be sent (not encodable as UTF-8, unknown role...)."""


class ChatMessageError(PupitreError, ValueError):
    """A chat message (or sender name) BBB would refuse; raised before anything is sent."""


class ChatMessageEmpty(ChatMessageError):
    """The message is empty or only white space."""


class ChatMessageTooLong(ChatMessageError):
    """The message is longer than BBB's 500 characters.

    Attributes:
        length: its length as BBB counts it (UTF-16 code units).
    """

    def __init__(self, sentence: str, *, length: int, hint: str = "") -> None:
        super().__init__(sentence, hint=hint)
        self.length = length


class ChatSenderNameTooLong(ChatMessageError):
    """The sender name is longer than BBB's 255 characters."""
