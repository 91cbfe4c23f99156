"""The chat pipeline's data side: message types, classification, the log, moderation, exports.

Plain Python, no Qt: the GUI wraps :class:`ChatLog` in a ``QAbstractListModel`` through
:meth:`ChatLog.add_listener`; network sources feed it :class:`RawChatMessage` values
(:meth:`RawChatMessage.from_graphql`) and answer sinks announce what they send with
:meth:`ChatLog.add_pending`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy_exports import lazy_exports

if TYPE_CHECKING:  # loaded on first use: see desktop.lazy_exports (issue 13)
    from desktop.chat.classify import (
        Classifier,
        parse_audience_prefix,
        parse_reply,
        quote_reply,
        unwrap_gateway_bytes,
    )
    from desktop.chat.filters import ChatFilter, View, select
    from desktop.chat.message import (
        ChatDataError,
        ChatMessage,
        DeliveryStatus,
        MessageKind,
        ModerationFlags,
        RawChatMessage,
    )
    from desktop.chat.model import ChatLog, IngestOutcome, IngestSummary, ResumePoint
    from desktop.chat.moderation import ModerationState, ModerationStorageError
    from desktop.chat.questions import is_question

__all__ = [
    "ChatDataError",
    "ChatFilter",
    "ChatLog",
    "ChatMessage",
    "Classifier",
    "DeliveryStatus",
    "IngestOutcome",
    "IngestSummary",
    "MessageKind",
    "ModerationFlags",
    "ModerationState",
    "ModerationStorageError",
    "RawChatMessage",
    "ResumePoint",
    "View",
    "is_question",
    "parse_audience_prefix",
    "parse_reply",
    "quote_reply",
    "select",
    "unwrap_gateway_bytes",
]

__getattr__, __dir__ = lazy_exports(globals(), {
    "desktop.chat.classify": ("Classifier", "parse_audience_prefix", "parse_reply", "quote_reply", "unwrap_gateway_bytes"),
    "desktop.chat.filters": ("ChatFilter", "View", "select"),
    "desktop.chat.message": ("ChatDataError", "ChatMessage", "DeliveryStatus", "MessageKind", "ModerationFlags", "RawChatMessage"),
    "desktop.chat.model": ("ChatLog", "IngestOutcome", "IngestSummary", "ResumePoint"),
    "desktop.chat.moderation": ("ModerationState", "ModerationStorageError"),
    "desktop.chat.questions": ("is_question",),
})
