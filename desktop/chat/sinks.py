"""Where the presenter's answers go.

Three sinks, one interface (:class:`AnswerSink`):

* :class:`BBBApiSink` — ``sendChatMessage`` (BBB 3.0+): free sender name, 1–500 characters
  checked before sending, no browser in the loop: the default when the server has it;
* :class:`GraphQLSink` — ``chatSendMessage`` as the joined monitoring user;
* :class:`GatewaySink` — the streaming gateway's chat endpoint (typed by its browser as
  ``streaming``): the fallback for BBB 2.x and Scalelite, which have neither of the above.

An answer can quote the message it answers (``@First Last: …``, see
:func:`desktop.chat.classify.quote_reply`); the quoting happens before the sink, so every sink
sends the same text.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import Protocol

from desktop.bbb import BBBClient
from desktop.bbb.client import validate_chat_message
from desktop.chat.graphql_source import GraphQLChatSource
from desktop.i18n import _


class SinkKind(enum.StrEnum):
    BBB_API = "sendChatMessage"
    GRAPHQL = "graphql"
    GATEWAY = "gateway"


class AnswerSink(Protocol):
    kind: SinkKind

    def describe(self) -> str:
        """Plain words for the reply box ("sent with sendChatMessage as “Pupitre”")."""

    async def send(self, text: str) -> None:
        """Send ``text``; raises a PupitreError explaining a refusal."""


class BBBApiSink:
    kind = SinkKind.BBB_API

    def __init__(self, bbb: BBBClient, meeting_id: str, sender_name: str | None = None) -> None:
        self._bbb = bbb
        self._meeting_id = meeting_id
        self.sender_name = sender_name or None

    def describe(self) -> str:
        return _("BBB sendChatMessage, as “{sender}”").format(sender=self.sender_name or "System")

    async def send(self, text: str) -> None:
        validate_chat_message(text, self.sender_name)
        await self._bbb.send_chat_message(self._meeting_id, text, self.sender_name)


class GraphQLSink:
    kind = SinkKind.GRAPHQL

    def __init__(self, source: GraphQLChatSource) -> None:
        self._source = source

    def describe(self) -> str:
        return _("BBB chat, as the monitoring user “{name}”").format(name=self._source.monitor_name)

    async def send(self, text: str) -> None:
        validate_chat_message(text)
        await self._source.send_message(text)


class GatewaySink:
    """Sends through the gateway's browser; ``post`` is the bound gateway chat call."""

    kind = SinkKind.GATEWAY

    def __init__(self, post: Callable[[str], Awaitable[None]], gateway_name: str) -> None:
        self._post = post
        self.gateway_name = gateway_name

    def describe(self) -> str:
        return _("the gateway “{gateway}”, as “streaming”").format(gateway=self.gateway_name)

    async def send(self, text: str) -> None:
        validate_chat_message(text)
        await self._post(text)
