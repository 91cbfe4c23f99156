"""The chat pipeline's data side: message types, classification, the log, moderation, exports.

Plain Python, no Qt: the GUI wraps :class:`ChatLog` in a ``QAbstractListModel`` through
:meth:`ChatLog.add_listener`; network sources feed it :class:`RawChatMessage` values
(:meth:`RawChatMessage.from_graphql`) and answer sinks announce what they send with
:meth:`ChatLog.add_pending`.
"""

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
