"""Who wrote a chat message, and what it says once the transport's wrapping is removed.

In a Pupitre webinar the BBB public chat mixes four kinds of messages (:class:`MessageKind`):

* audience messages, relayed by the streaming gateway's browser user (``streaming``), each one
  prefixed by Pod with ``(First Last) `` — the prefix is the only record of the author
  (gateway-and-pod.md §6.2, §9);
* panelists typing in the BBB meeting itself;
* Pupitre's own answers, which come back through the chat like any other message;
* system messages (``messageType`` other than "default").

:func:`parse_audience_prefix` and :func:`unwrap_gateway_bytes` are pure functions, fuzzed by the
tests: on any input they return a value or None, never raise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.chat.message import (
    DEFAULT_MESSAGE_TYPE,
    ChatMessage,
    MessageKind,
    RawChatMessage,
    raw_parts,
    shared,
)
from desktop.chat.questions import is_question
from desktop.chat.text import fold

GATEWAY_USER_NAME = "streaming"
# Author shown for a gateway message without a "(First Last)" prefix: someone posted to the
# gateway's unauthenticated /chat directly, or Pod sent an empty name.  The GUI translates it.
UNKNOWN_AUDIENCE_AUTHOR = "Audience"
UNKNOWN_SENDER = "Unknown"
SYSTEM_AUTHOR = "System"
# A "(...)" longer than this is a parenthesis in the text, not a name (Pod names are first_name +
# last_name, 150 characters each at most, but nobody's display name is a paragraph).
MAX_PREFIX_NAME_CHARS = 100
MAX_REPLY_NAME_CHARS = 100


@dataclass(frozen=True, slots=True)
class AudiencePrefix:
    """A parsed ``(First Last) text``: ``name`` may be "" when Pod had no name to put."""

    name: str
    body: str


def parse_audience_prefix(text: str) -> AudiencePrefix | None:
    """Split Pod's ``(First Last) message`` into name and message, or None if there is no prefix.

    Tolerates leading spaces, nested parentheses in the name ("(Jane (TA) Doe) hi"), a missing
    space after ")" and an empty name.  It is *not* a prefix when the parentheses do not close,
    the name runs over :data:`MAX_PREFIX_NAME_CHARS` or holds a line break or control character.
    """
    start = len(text) - len(text.lstrip(" \t"))
    if not text.startswith("(", start):
        return None
    depth = 0
    limit = min(len(text), start + MAX_PREFIX_NAME_CHARS + 2)
    for position in range(start, limit):
        char = text[position]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                name = text[start + 1 : position].strip()
                if len(name) > MAX_PREFIX_NAME_CHARS:
                    return None
                return AudiencePrefix(name=name, body=text[position + 1 :].lstrip(" \t"))
        elif unicodedata.category(char) == "Cc":
            return None
    return None


# What a SIPMediaGW v1.7 gateway types into the chat (Renater/SIPMediaGW v1.7.0): ``Chat.POST``
# formats msg.encode('utf-8') -- Python's bytes repr b'...' --, and the container's
# src/netstring.py decodeNetString deletes every backslash, so "José" arrives as b'Josxc3xa9'.
# A text holding a quote never arrives (it breaks the hand-made JSON), hence no ' inside.
_GATEWAY_BYTES = re.compile(r"b'(?P<inner>[^'\\]*)'", re.DOTALL)
# One UTF-8 encoded character of two to four bytes, each byte written "xNN" (repr's lowercase hex).
_X_ESCAPED_UTF8 = re.compile(
    r"x[cd][0-9a-f]x[89ab][0-9a-f]|xe[0-9a-f](?:x[89ab][0-9a-f]){2}|xf[0-4](?:x[89ab][0-9a-f]){3}")


def _decode_x_escaped(match: re.Match[str]) -> str:
    try:
        return bytes.fromhex(match.group().replace("x", "")).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return match.group()


def unwrap_gateway_bytes(text: str) -> str | None:
    """The text a v1.7 gateway meant, when ``text`` is its ``b'…'`` rendering; else None.

    ``b'(Josxc3xa9 Dupont) Trxc3xa8s clair'`` -> ``(José Dupont) Très clair``: the wrapper goes and
    every run of ``xNN`` that spells a valid multi-byte UTF-8 character is decoded.  Plain ASCII is
    left as it is (repr never escapes printable ASCII), and so is a run that is not valid UTF-8.
    """
    match = _GATEWAY_BYTES.fullmatch(text.strip())
    if match is None:
        return None
    return _X_ESCAPED_UTF8.sub(_decode_x_escaped, match.group("inner"))


def quote_reply(author: str, text: str) -> str:
    """The chat text of an answer to ``author``: ``@First Last: text``.

    Line breaks and colons in the name would make the quote unparseable, so they become spaces.
    """
    name = " ".join(re.sub(r"[\x00-\x1f\x7f:]", " ", author).split())
    return f"@{name}: {text}" if name else text


_REPLY = re.compile(rf"@([^\n\r:]{{1,{MAX_REPLY_NAME_CHARS}}}):[ \t]?(.*)", re.DOTALL)


def parse_reply(text: str) -> tuple[str, str] | None:
    """``("First Last", "text")`` for a text starting with ``@First Last:``, else None."""
    match = _REPLY.match(text.lstrip(" \t"))
    if match is None:
        return None
    name = match.group(1).strip()
    if not name:
        return None
    return name, match.group(2)


class Classifier:
    """Turns :class:`RawChatMessage` into :class:`ChatMessage`.

    Args:
        gateway_user_names: display names of streaming gateway users (Pod's is "streaming").
        presenter_user_ids: BBB user ids whose messages are ours (the monitoring user once joined).
        presenter_names: sender names that are ours (the sendChatMessage ``userName``).
        answer_marker: optional text that starts every answer Pupitre sends through the gateway
            (e.g. "↪ "), so those answers are recognised even after a restart, when the pending
            registry is gone.  "" disables it.  Audience text always starts with Pod's prefix,
            so the audience cannot forge it through Pod; a direct post to the gateway could.

    Name comparisons are case- and accent-insensitive.  User ids can be added once known
    (:meth:`add_presenter_user_id`).
    """

    def __init__(
        self,
        gateway_user_names: Iterable[str] = (GATEWAY_USER_NAME,),
        presenter_user_ids: Iterable[str] = (),
        presenter_names: Iterable[str] = (),
        answer_marker: str = "",
    ) -> None:
        self._gateway_names = {fold(name).strip() for name in gateway_user_names}
        self._presenter_ids = set(presenter_user_ids)
        self._presenter_names = {fold(name).strip() for name in presenter_names}
        self.answer_marker = answer_marker

    def add_presenter_user_id(self, user_id: str) -> None:
        self._presenter_ids.add(user_id)

    def add_presenter_name(self, name: str) -> None:
        self._presenter_names.add(fold(name).strip())

    def is_gateway_sender(self, raw: RawChatMessage) -> bool:
        return fold(raw.sender_name).strip() in self._gateway_names

    def is_presenter_sender(self, raw: RawChatMessage) -> bool:
        if raw.sender_user_id and raw.sender_user_id in self._presenter_ids:
            return True
        return bool(raw.sender_name) and fold(raw.sender_name).strip() in self._presenter_names

    def display_text(self, raw: RawChatMessage) -> str:
        """The raw text with the gateway's ``b'...'`` wrapping removed (only for gateway users)."""
        if self.is_gateway_sender(raw):
            unwrapped = unwrap_gateway_bytes(raw.text)
            if unwrapped is not None:
                return unwrapped
        return raw.text

    def classify(self, raw: RawChatMessage, *, own: bool = False, reply_to: str | None = None) -> ChatMessage:
        """Classify one message.

        Args:
            own: the caller already knows it is ours (a pending answer came back).
            reply_to: the message it answers, when the caller knows (a pending answer's target);
                BBB's native ``replyToMessage`` wins over it.
        """
        via_gateway = self.is_gateway_sender(raw)
        reply = raw.reply_to_id or reply_to
        if raw.message_type != DEFAULT_MESSAGE_TYPE:
            return _message(raw, MessageKind.SYSTEM, raw.sender_name or SYSTEM_AUTHOR, raw.text, via_gateway, reply)
        text = self.display_text(raw)
        if self.answer_marker and text.startswith(self.answer_marker):
            own = True
            text = text[len(self.answer_marker) :]
        if own or self.is_presenter_sender(raw):
            author = raw.sender_name or UNKNOWN_SENDER
            if via_gateway:
                prefix = parse_audience_prefix(text)
                if prefix is not None:
                    author, text = prefix.name or author, prefix.body
            return _message(raw, MessageKind.PRESENTER_ANSWER, author, text, via_gateway, reply)
        if via_gateway:
            prefix = parse_audience_prefix(text)
            if prefix is None:
                author = UNKNOWN_AUDIENCE_AUTHOR
            else:
                author, text = prefix.name or UNKNOWN_AUDIENCE_AUTHOR, prefix.body
            kind = MessageKind.AUDIENCE
        else:
            author = raw.sender_name or UNKNOWN_SENDER
            kind = MessageKind.PANELIST
        return _message(raw, kind, author, text, via_gateway, reply, question=question_in(text))


def _message(
    raw: RawChatMessage,
    kind: MessageKind,
    author: str,
    text: str,
    via_gateway: bool,
    reply_to: str | None,
    *,
    question: bool = False,
) -> ChatMessage:
    raw_prefix, raw_other = raw_parts(raw.text, text)
    return ChatMessage(
        id=raw.message_id,
        sequence=raw.sequence,
        kind=kind,
        author=shared(author),
        text=text,
        raw_prefix=raw_prefix,
        raw_other=raw_other,
        created_at=raw.created_at,
        is_question=question,
        via_gateway=via_gateway,
        reply_to=reply_to,
        edited_at=raw.edited_at,
        deleted_at=raw.deleted_at,
        sender_name=raw.sender_name,
    )


def question_in(text: str) -> bool:
    """:func:`is_question` on a chat text, ignoring a leading ``@Name:`` quote."""
    reply = parse_reply(text)
    return is_question(reply[1] if reply else text)
