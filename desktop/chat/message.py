"""Chat message data types: what a source delivers, and what the console shows.

A *source* (the GraphQL reader, the lab, a test) turns each ``chat_message_public`` row into a
:class:`RawChatMessage` with :meth:`RawChatMessage.from_graphql`; the
:class:`~desktop.chat.classify.Classifier` turns that into a :class:`ChatMessage`, which is what
the :class:`~desktop.chat.model.ChatLog` stores and the GUI shows.

Moderation flags (starred, answered, hidden, muted author) are deliberately *not* fields of
:class:`ChatMessage`: they belong to the presenter, not to the server's message, they survive
restarts in SQLite (:mod:`desktop.chat.moderation`), and muting one author or blocking one word
changes thousands of rows at once.  The log asks :class:`~desktop.chat.moderation.ModerationState`
for a message's :class:`ModerationFlags` when a view needs them.

Chat text is hostile data: it is kept verbatim (HTML, control characters, bidi overrides and all)
and only ever escaped at the point where it is rendered (:mod:`desktop.chat.export`, the GUI).
"""

from __future__ import annotations

import enum
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop.errors import ProtocolError

PUBLIC_CHAT_ID = "MAIN-PUBLIC-GROUP-CHAT"
DEFAULT_MESSAGE_TYPE = "default"
# BBB's own limit is 5,000 characters (maxMessageLength); anything far beyond that is not a chat
# message but a server gone wrong, and must not be able to fill memory.  Longer texts are cut.
MAX_TEXT_CHARS = 65_536
_MAX_ID_CHARS = 512
_MAX_NAME_CHARS = 1_024
# epoch milliseconds accepted for timestamps: 2000-01-01 .. 2200-01-01
_MIN_EPOCH_MS = 946_684_800_000
_MAX_EPOCH_MS = 7_258_118_400_000


class ChatDataError(ProtocolError):
    """A chat row from the server does not have the shape of ``chat_message_public``."""


class MessageKind(enum.StrEnum):
    """Who a message comes from, as far as the presenter is concerned."""

    AUDIENCE = "audience"  # typed on the live page, relayed by the streaming gateway
    PANELIST = "panelist"  # anyone in the BBB meeting itself
    PRESENTER_ANSWER = "presenter_answer"  # sent by Pupitre (sendChatMessage, gateway, GraphQL)
    SYSTEM = "system"  # messageType other than "default" (polls, breakout notices...)


class DeliveryStatus(enum.StrEnum):
    """Whether a row is a server message or one of our answers still on its way."""

    DELIVERED = "delivered"  # came from the source
    PENDING = "pending"  # sent by us, not seen back yet
    FAILED = "failed"  # the sink reported a failure


@dataclass(frozen=True, slots=True)
class RawChatMessage:
    """One public-chat message as a source delivers it, validated but not interpreted.

    Attributes:
        message_id: ``messageId``, the de-duplication key.
        sequence: ``messageSequence`` (gap detection), or None when the server has none.
        text: ``message``, verbatim (cut at :data:`MAX_TEXT_CHARS`).
        message_type: ``messageType``; "default" for user text.
        sender_name: ``senderName`` (or ``user.name``), "" if unknown.
        sender_role: ``senderRole`` ("VIEWER", "MODERATOR"), "" if unknown.
        sender_user_id: ``senderId`` (or ``user.userId``), "" if unknown.
        sender_is_moderator: ``user.isModerator`` (or role MODERATOR).
        created_at: aware UTC datetime.
        edited_at: aware UTC datetime or None.
        deleted_at: aware UTC datetime or None.
        chat_id: ``chatId``.
        reply_to_id: ``replyToMessage.messageId`` (BBB 3 native replies), or None.
    """

    message_id: str
    sequence: int | None
    text: str
    message_type: str
    sender_name: str
    sender_role: str
    sender_user_id: str
    sender_is_moderator: bool
    created_at: datetime
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    chat_id: str = PUBLIC_CHAT_ID
    reply_to_id: str | None = None

    @classmethod
    def from_graphql(cls, row: object) -> RawChatMessage:
        """Validate one ``chat_message_public`` row (bbb-api.md §4.3).

        Strict about types, lenient about presence: optional fields may be missing or null, but
        a field that is present with the wrong type raises :class:`ChatDataError`, as does a row
        without ``messageId`` or without ``createdAt``.  ``createdAt`` may be an ISO 8601 string
        or epoch milliseconds.  (Early 3.0 betas named it ``createdTime``; the subscription asks
        for ``createdAt``, which such a server would refuse outright, so no fallback is kept:
        BBB >= 3.0 GA only.)  Nothing else can escape: any other exception here is a bug.
        """
        if not isinstance(row, Mapping):
            raise ChatDataError(f"A chat row is a {type(row).__name__}, not an object.")
        message_id = _identifier(row, "messageId", required=True)
        assert message_id is not None
        user = row.get("user")
        if user is not None and not isinstance(user, Mapping):
            raise ChatDataError("The chat row's “user” is not an object.")
        user = user or {}
        sender_name = _text(row, "senderName", _MAX_NAME_CHARS)
        if sender_name is None:
            sender_name = _text(user, "name", _MAX_NAME_CHARS)
        sender_id = _identifier(row, "senderId")
        if sender_id is None:
            sender_id = _identifier(user, "userId")
        role = _text(row, "senderRole", _MAX_NAME_CHARS) or ""
        is_moderator = user.get("isModerator")
        if is_moderator is not None and not isinstance(is_moderator, bool):
            raise ChatDataError("The chat row's “user.isModerator” is not a boolean.")
        created = _timestamp(row, "createdAt")
        if created is None:
            raise ChatDataError(f"The chat message {_short(message_id)} has no creation time.")
        text = _text(row, "message", None) or ""
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS]
        reply = row.get("replyToMessage")
        if reply is not None and not isinstance(reply, Mapping):
            raise ChatDataError("The chat row's “replyToMessage” is not an object.")
        reply_to = _identifier(row, "replyToMessageId")
        if reply_to is None and reply:
            reply_to = _identifier(reply, "messageId")
        return cls(
            message_id=message_id,
            sequence=_sequence(row),
            text=text,
            message_type=shared(_text(row, "messageType", _MAX_NAME_CHARS) or DEFAULT_MESSAGE_TYPE),
            sender_name=shared(sender_name or ""),
            sender_role=shared(role),
            sender_user_id=shared(sender_id or ""),
            sender_is_moderator=bool(is_moderator) if is_moderator is not None else role.upper() == "MODERATOR",
            created_at=created,
            edited_at=_timestamp(row, "editedAt"),
            deleted_at=_timestamp(row, "deletedAt"),
            chat_id=shared(_text(row, "chatId", _MAX_NAME_CHARS) or PUBLIC_CHAT_ID),
            reply_to_id=reply_to,
        )


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A classified message, one row of the chat log.

    Edits replace the row's object (the dataclass is frozen, so views may share it safely).

    Attributes:
        id: the server's ``messageId``; ``pending:<n>`` for one of our answers not seen back yet.
        sequence: ``messageSequence`` or None.
        kind: see :class:`MessageKind`.
        author: for audience messages the "First Last" of the ``(First Last)`` prefix, otherwise
            the sender's display name.
        text: what to show: the prefix (and the answer marker) removed, ``b'...'`` unwrapped.
        raw_prefix: what the server's text has before ``text`` ("(Jane Doe) " for an audience
            message, "" when the text is shown as sent); shared between one author's messages.
        created_at: aware datetime.
        is_question: question detection result (FR/EN heuristics, :mod:`desktop.chat.questions`).
        via_gateway: posted by the streaming gateway's user.
        reply_to: id of the message this one answers, or None.
        edited_at, deleted_at: from the server; a deleted message stays as a row, marked.
        sender_name: the server's sender display name (e.g. "streaming" for audience messages).
        status: :class:`DeliveryStatus`; only our own answers are ever PENDING or FAILED.
        raw_other: the server's text when it is *not* ``raw_prefix + text`` (``b'...'``
            unwrapped, an answer marker removed), else None.

    Why the server's text is not a field of its own: for an audience message it is the shown
    text plus Pod's prefix, and keeping both copies cost a second copy of every text for the
    whole live (a 5,000-character message twice).  :attr:`raw_text` rebuilds it on demand; use
    :func:`raw_parts` to build the two fields from a server text and a shown text.
    """

    id: str
    sequence: int | None
    kind: MessageKind
    author: str
    text: str
    raw_prefix: str
    created_at: datetime
    is_question: bool = False
    via_gateway: bool = False
    reply_to: str | None = None
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    sender_name: str = ""
    status: DeliveryStatus = DeliveryStatus.DELIVERED
    raw_other: str | None = None

    @property
    def raw_text(self) -> str:
        """The text exactly as the server sent it."""
        if self.raw_other is not None:
            return self.raw_other
        return self.raw_prefix + self.text if self.raw_prefix else self.text

    def has_raw_text(self, text: str) -> bool:
        """``text == self.raw_text``, without building the raw text."""
        if self.raw_other is not None:
            return text == self.raw_other
        prefix = self.raw_prefix
        return (len(text) == len(prefix) + len(self.text) and text.startswith(prefix)
                and text.endswith(self.text))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_pending(self) -> bool:
        return self.status is not DeliveryStatus.DELIVERED


@dataclass(frozen=True, slots=True)
class ModerationFlags:
    """The presenter's marks on one message (from :class:`~desktop.chat.moderation.ModerationState`).

    Attributes:
        starred: kept for later ("answer this one").
        answered: marked answered (by hand, or because one of our answers replied to it).
        hidden: hidden by hand.
        muted_author: its author is muted.
        blocked: its text contains a blocked word.
    """

    starred: bool = False
    answered: bool = False
    hidden: bool = False
    muted_author: bool = False
    blocked: bool = False

    @property
    def excluded(self) -> bool:
        """True when the message must not be shown in the normal views."""
        return self.hidden or self.muted_author or self.blocked


NO_FLAGS = ModerationFlags()


def raw_parts(raw_text: str, text: str) -> tuple[str, str | None]:
    """``(raw_prefix, raw_other)`` of a :class:`ChatMessage` showing ``text`` for ``raw_text``.

    The prefix is interned: one audience member's thousand messages share one "(Jane Doe) ".
    """
    if raw_text is text:
        return "", None
    if len(raw_text) >= len(text) and raw_text.endswith(text):
        return sys.intern(raw_text[: len(raw_text) - len(text)]), None
    return "", raw_text


def shared(value: str) -> str:
    """``value`` interned: names, roles and ids repeat on every message of a live.

    CPython frees an interned string with its last reference, so this bounds nothing and leaks
    nothing; it only keeps one copy of "streaming" instead of one per message.
    """
    return sys.intern(value) if type(value) is str else value


# -- validation helpers -------------------------------------------------------------------------


def _short(value: str) -> str:
    return repr(value[:40])


def _text(row: Mapping[str, Any], key: str, limit: int | None) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ChatDataError(f"The chat row's “{key}” is a {type(value).__name__}, not a string.")
    if limit is not None and len(value) > limit:
        raise ChatDataError(f"The chat row's “{key}” is {len(value)} characters long.")
    return value


def _identifier(row: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = row.get(key)
    if value is None:
        if required:
            raise ChatDataError(f"A chat row has no “{key}”.")
        return None
    # Some servers may number ids; a bool is never an id.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ChatDataError(f"The chat row's “{key}” is a {type(value).__name__}, not a string.")
    if not value.strip() or len(value) > _MAX_ID_CHARS:
        if required:
            raise ChatDataError(f"The chat row's “{key}” is empty or too long.")
        return None
    return value


def _sequence(row: Mapping[str, Any]) -> int | None:
    value = row.get("messageSequence")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ChatDataError(f"The chat row's “messageSequence” is a {type(value).__name__}, not an integer.")
    if value < 0 or value > 2**53:
        raise ChatDataError(f"The chat row's “messageSequence” ({value}) is out of range.")
    return value


def _timestamp(row: Mapping[str, Any], key: str) -> datetime | None:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ChatDataError(f"The chat row's “{key}” is a boolean, not a time.")
    if isinstance(value, int | float):
        return _from_epoch_ms(value, key)
    if isinstance(value, str):
        return _from_text(value, key)
    raise ChatDataError(f"The chat row's “{key}” is a {type(value).__name__}, not a time.")


def _from_epoch_ms(value: float, key: str) -> datetime:
    if isinstance(value, float) and not math.isfinite(value):
        raise ChatDataError(f"The chat row's “{key}” is not a finite number.")
    if not _MIN_EPOCH_MS <= value <= _MAX_EPOCH_MS:
        raise ChatDataError(f"The chat row's “{key}” ({value}) is not a plausible time in milliseconds.")
    return datetime.fromtimestamp(value / 1000, UTC)


def _from_text(value: str, key: str) -> datetime:
    text = value.strip()
    if text.isdigit() and len(text) <= 16:
        return _from_epoch_ms(int(text), key)
    if len(text) > 64:
        raise ChatDataError(f"The chat row's “{key}” is not a time.")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ChatDataError(f"The chat row's “{key}” ({value[:40]!r}) is not an ISO 8601 time.") from None
    if parsed.tzinfo is None:
        # Hasura's timestamp (without time zone) columns are UTC.
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ChatDataError(f"The chat row's “{key}” ({value[:40]!r}) is out of range.") from None
