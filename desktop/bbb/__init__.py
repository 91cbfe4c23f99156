"""The BigBlueButton API client: signing, URLs, typed answers, errors (reference ``bbb-api.md``).

Plain asyncio; no Qt.  Most callers need :class:`BBBClient`, :class:`CreateParams`,
:class:`JoinParams`, the models and :class:`BBBError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy_exports import lazy_exports

if TYPE_CHECKING:  # loaded on first use: see desktop.lazy_exports (issue 13)
    from desktop.bbb.checksum import (
        ALGORITHMS,
        DEFAULT_ALGORITHM,
        algorithm_for_checksum_length,
        checksum,
        encode_query,
        encode_value,
        sign,
        sign_query,
        split_checksum,
        verify,
    )
    from desktop.bbb.client import BBBClient, java_length, validate_chat_message
    from desktop.bbb.errors import (
        BBBError,
        ChatMessageEmpty,
        ChatMessageError,
        ChatMessageTooLong,
        ChatSenderNameTooLong,
        InvalidParameter,
    )
    from desktop.bbb.models import ApiInfo, Attendee, CreateResult, JoinResult, Meeting, to_json
    from desktop.bbb.params import CreateParams, JoinParams, LockSettings
    from desktop.bbb.parsing import MAX_RESPONSE_BYTES
    from desktop.bbb.urls import normalise_api_base, signed_url

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "MAX_RESPONSE_BYTES",
    "ApiInfo",
    "Attendee",
    "BBBClient",
    "BBBError",
    "ChatMessageEmpty",
    "ChatMessageError",
    "ChatMessageTooLong",
    "ChatSenderNameTooLong",
    "CreateParams",
    "CreateResult",
    "InvalidParameter",
    "JoinParams",
    "JoinResult",
    "LockSettings",
    "Meeting",
    "algorithm_for_checksum_length",
    "checksum",
    "encode_query",
    "encode_value",
    "java_length",
    "normalise_api_base",
    "sign",
    "sign_query",
    "signed_url",
    "split_checksum",
    "to_json",
    "validate_chat_message",
    "verify",
]

__getattr__, __dir__ = lazy_exports(globals(), {
    "desktop.bbb.checksum": ("ALGORITHMS", "DEFAULT_ALGORITHM", "algorithm_for_checksum_length", "checksum", "encode_query", "encode_value", "sign", "sign_query", "split_checksum", "verify"),
    "desktop.bbb.client": ("BBBClient", "java_length", "validate_chat_message"),
    "desktop.bbb.errors": ("BBBError", "ChatMessageEmpty", "ChatMessageError", "ChatMessageTooLong", "ChatSenderNameTooLong", "InvalidParameter"),
    "desktop.bbb.models": ("ApiInfo", "Attendee", "CreateResult", "JoinResult", "Meeting", "to_json"),
    "desktop.bbb.params": ("CreateParams", "JoinParams", "LockSettings"),
    "desktop.bbb.parsing": ("MAX_RESPONSE_BYTES",),
    "desktop.bbb.urls": ("normalise_api_base", "signed_url"),
})
