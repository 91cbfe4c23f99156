"""Builders for chat rows and messages, shaped like the lab's ``LabChatMessage.to_graphql``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from desktop.chat.message import RawChatMessage

T0 = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)


def row(
    sequence: int,
    text: str,
    *,
    sender: str = "streaming",
    user_id: str | None = None,
    message_id: str | None = None,
    message_type: str = "default",
    edited: datetime | None = None,
    deleted: datetime | None = None,
    moderator: bool = False,
    seconds: float | None = None,
) -> dict[str, Any]:
    created = T0 + timedelta(seconds=sequence if seconds is None else seconds)
    uid = user_id or f"w_{sender.replace(' ', '_').lower()}"

    def iso(moment: datetime | None) -> str | None:
        return None if moment is None else moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    return {
        "messageId": message_id or f"msg-{sequence}",
        "messageSequence": sequence,
        "messageType": message_type,
        "chatId": "MAIN-PUBLIC-GROUP-CHAT",
        "message": text,
        "messageMetadata": None,
        "senderId": uid,
        "senderName": sender,
        "senderRole": "MODERATOR" if moderator else "VIEWER",
        "createdAt": iso(created),
        "editedAt": iso(edited),
        "deletedAt": iso(deleted),
        "user": {"name": sender, "userId": uid, "isModerator": moderator},
    }


def raw(sequence: int, text: str, **kwargs: Any) -> RawChatMessage:
    return RawChatMessage.from_graphql(row(sequence, text, **kwargs))


def audience(sequence: int, name: str, text: str, **kwargs: Any) -> RawChatMessage:
    """What an audience message looks like once Pod and the gateway have relayed it."""
    return raw(sequence, f"({name}) {text}", **kwargs)
