"""Which SIPMediaGW release an emulated gateway behaves as, and how each one delivers chat.

Every difference below was read in Renater/SIPMediaGW at the tag or commit named; the lab's
gateway servers (:mod:`.legacy`, :mod:`.proxy`) branch on :class:`GatewayVersion` for them:

======================  ==========================  =========================================
version                 API                         what differs for a client
======================  ==========================  =========================================
``v1.6`` (29e35ff)      legacy web.py launcher      no ``/progress``; ``/stop`` is ``compose down``
                                                    without a check; chat ``echo '{json}'``;
                                                    the browser fills Pod's ``#id_name``
``v1.7.0`` (1bfa796)    legacy web.py launcher      ``/progress`` (no ``gw_state`` while running);
                                                    ``/stop`` 400 "no running container"; chat
                                                    as a bytes repr + netstring, backslashes
                                                    stripped; Greenlight's ``#joinFormName``
``v1.8.4`` (8432d73)    proxy + FastAPI launcher    ``/status`` needs the token; ``/start`` does
                                                    not require ``browsing``; ``/command`` is
                                                    forwarded to a path the launcher does not
                                                    serve (404 ``{"detail":"Not Found"}``)
``main`` (564e7a5)      proxy + FastAPI launcher    ``/start`` requires ``browsing``; ``/status``
                                                    open; ``/command`` reaches the launcher,
                                                    chat through ``sh -c … printf … chatFifo``
======================  ==========================  =========================================
"""

from __future__ import annotations

import enum
import json
import logging

from desktop.lab.gateways.shell import GatewayShell, ShellFailed

logger = logging.getLogger(__name__)


class GatewayVersion(enum.Enum):
    V1_6 = "v1.6"
    V1_7 = "v1.7.0"
    V1_8_4 = "v1.8.4"
    MAIN = "main"

    @property
    def legacy(self) -> bool:
        """The web.py API (``GET /start``…) rather than the v1.8 proxy."""
        return self in (GatewayVersion.V1_6, GatewayVersion.V1_7)

    @property
    def join_name_fields(self) -> tuple[str, ...]:
        """The join-form field the gateway's browser types its name into: Pod's ``#id_name`` up to
        v1.6 (``browsing/bigbluebutton.py``), Greenlight's ``#joinFormName`` from v1.7.0 (641b625)
        and in main's ``browsing/assets/bigbluebutton.js``."""
        return ("id_name",) if self is GatewayVersion.V1_6 else ("joinFormName",)

    @classmethod
    def parse(cls, text: str) -> GatewayVersion:
        """``"1.6"``, ``"v1.6.0"``, ``"v1.7"``, ``"1.8.4"``, ``"main"``... (ValueError otherwise)."""
        word = text.strip().lower().removeprefix("v")
        aliases = {"1.6": cls.V1_6, "1.6.0": cls.V1_6, "1.7": cls.V1_7, "1.7.0": cls.V1_7,
                   "1.8": cls.V1_8_4, "1.8.4": cls.V1_8_4, "main": cls.MAIN}
        if word not in aliases:
            choices = ", ".join(v.value for v in cls)
            raise ValueError(f"unknown SIPMediaGW version {text!r} (choose from {choices})")
        return aliases[word]


LEGACY_DEFAULT = GatewayVersion.V1_6
PROXY_DEFAULT = GatewayVersion.MAIN

# v1.6.0 src/eventServer.py: one recv(1024) per push, each chunk re-framed on its own.
V16_RECV_BYTES = 1024


def legacy_message_payload(version: GatewayVersion, msg: str) -> str:
    """``Chat.POST``'s hand-made JSON (the text formatted in, never escaped)."""
    if version is GatewayVersion.V1_7:
        # v1.7.0 formats msg.encode('utf-8') with "{}", which writes the bytes' repr: b'...'
        payload = '{{"event":"message", "type":"CHAT_INPUT", "text": "{}"}}'.format(repr(msg.encode("utf-8")))
        return payload.replace("\n", "\\n").replace("'", '\\"')
    payload = '{{"event":"message", "type":"CHAT_INPUT", "text": "{}" }}'.format(msg)  # noqa: UP032 (upstream's own)
    return payload.replace("\n", "\\n")


LEGACY_TOGGLE_PAYLOAD = '{"event":"action", "type":"CHAT_INPUT", "action": "toggle" }'


def decode_v16_event(sent: bytes) -> dict[str, object] | None:
    """v1.6.0: the event server's ``recv(1024)`` + ``rstrip``, then ``src/netstring.py``
    ``decodeNetString``'s ``json.loads(…, strict=False)``; None where the container drops it."""
    if len(sent) > V16_RECV_BYTES:
        return None  # cut in two chunks, neither is JSON
    try:
        event = json.loads(sent.decode("utf-8").rstrip(), strict=False)
    except (ValueError, UnicodeDecodeError):
        return None
    return event if isinstance(event, dict) else None


def decode_v17_event(sent: bytes) -> dict[str, object] | None:
    """v1.7.0 ``src/netstring.py`` ``decodeNetString``: the length prefix, then ``\\"`` -> ``'`` and
    every backslash deleted before ``json.loads(…, strict=False)``; None where it fails.

    [approximation] When dash's ``echo`` shortened the line (``\\t`` -> a tab), the declared length
    no longer matches and the real reader would wait for bytes of the next command; the lab drops
    this message instead.
    """
    try:
        text = sent.decode("utf-8").rstrip()
    except UnicodeDecodeError:
        return None
    prefix, colon, _rest = text.partition(":")
    if not colon or not prefix.isdigit() or len(text) != len(prefix) + 1 + int(prefix) + 1:
        return None
    resp = text.split(prefix + ":")[1]  # as upstream: a later "N:" in the text cuts it short
    body = resp[0:len(resp) - 1]
    try:
        event = json.loads(body.replace('\\"', "'").replace("\\", ""), strict=False)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


async def deliver_legacy(shell: GatewayShell, version: GatewayVersion, payload: str, room: str
                         ) -> dict[str, object] | None:
    """Run ``forwardCommand`` for ``payload`` and decode it as the container would."""
    try:
        sent = await shell.legacy_forward(payload, room, netstring=version is GatewayVersion.V1_7)
    except ShellFailed as exc:
        logger.warning("lab gateway: %s", exc)
        return None
    return decode_v17_event(sent) if version is GatewayVersion.V1_7 else decode_v16_event(sent)


async def deliver_main_chat(shell: GatewayShell, msg: str) -> list[str]:
    """main: the FIFO reads, each ``data.decode().strip()``-ed into ``window.meeting.sendChat``
    (a read cut inside a UTF-8 character raises there, inside ``try/finally: return``: lost)."""
    try:
        reads = await shell.fifo_chat(msg)
    except ShellFailed as exc:
        logger.warning("lab gateway: %s", exc)
        return []
    texts = []
    for data in reads:
        try:
            texts.append(data.decode().strip())
        except UnicodeDecodeError:
            continue
    return [text for text in texts if text]
