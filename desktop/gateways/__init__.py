"""Streaming gateways (RENATER SIPMediaGW): one async interface, two API generations.

* :mod:`.base` — :class:`Gateway`, sessions, status, capabilities, probe results, timeouts.
* :mod:`.legacy` — ``sipmediagw-legacy``, the web.py API Esup-Pod 4 speaks.
* :mod:`.sipmediagw` — ``sipmediagw``, the v1.8 proxy.
* :mod:`.join_target` — what the gateway's browser opens (join page or signed BBB join).
* :mod:`.pool` — picking a free gateway at start time, one webinar per gateway.
* :mod:`.factory` — drivers from settings and the keyring.
* :mod:`.chat_text` — what each generation does to a chat line, and how to send it safely.
* :mod:`.errors` — the typed failures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy_exports import lazy_exports

if TYPE_CHECKING:  # loaded on first use: see desktop.lazy_exports (issue 13)
    from desktop.gateways.base import (
        CallTimeouts,
        Capabilities,
        Gateway,
        GatewaySession,
        GatewayState,
        GatewayStatus,
        ProbeResult,
    )
    from desktop.gateways.chat_text import ChatRelay
    from desktop.gateways.errors import (
        ChatTextRejected,
        GatewayAuthError,
        GatewayBusy,
        GatewayCommandFailed,
        GatewayError,
        GatewayFeatureUnavailable,
        GatewayInUse,
        GatewayLaunchFailed,
        GatewayProtocolError,
        GatewayRequestError,
        NoGatewayAvailable,
    )
    from desktop.gateways.factory import gateway_from_config, pool_from_settings
    from desktop.gateways.join_target import (
        STREAMING_USERDATA,
        JoinTarget,
        room_id,
        signed_join_target,
        streaming_join_params,
    )
    from desktop.gateways.legacy import LegacySipMediaGw
    from desktop.gateways.pool import Acquired, GatewayPool, NamedGateway
    from desktop.gateways.sipmediagw import SipMediaGw

__all__ = [
    "STREAMING_USERDATA",
    "Acquired",
    "CallTimeouts",
    "Capabilities",
    "ChatRelay",
    "ChatTextRejected",
    "Gateway",
    "GatewayAuthError",
    "GatewayBusy",
    "GatewayCommandFailed",
    "GatewayError",
    "GatewayFeatureUnavailable",
    "GatewayInUse",
    "GatewayLaunchFailed",
    "GatewayPool",
    "GatewayProtocolError",
    "GatewayRequestError",
    "GatewaySession",
    "GatewayState",
    "GatewayStatus",
    "JoinTarget",
    "LegacySipMediaGw",
    "NamedGateway",
    "NoGatewayAvailable",
    "ProbeResult",
    "SipMediaGw",
    "gateway_from_config",
    "pool_from_settings",
    "room_id",
    "signed_join_target",
    "streaming_join_params",
]

__getattr__, __dir__ = lazy_exports(globals(), {
    "desktop.gateways.base": ("CallTimeouts", "Capabilities", "Gateway", "GatewaySession", "GatewayState", "GatewayStatus", "ProbeResult"),
    "desktop.gateways.chat_text": ("ChatRelay",),
    "desktop.gateways.errors": ("ChatTextRejected", "GatewayAuthError", "GatewayBusy", "GatewayCommandFailed", "GatewayError", "GatewayFeatureUnavailable", "GatewayInUse", "GatewayLaunchFailed", "GatewayProtocolError", "GatewayRequestError", "NoGatewayAvailable"),
    "desktop.gateways.factory": ("gateway_from_config", "pool_from_settings"),
    "desktop.gateways.join_target": ("STREAMING_USERDATA", "JoinTarget", "room_id", "signed_join_target", "streaming_join_params"),
    "desktop.gateways.legacy": ("LegacySipMediaGw",),
    "desktop.gateways.pool": ("Acquired", "GatewayPool", "NamedGateway"),
    "desktop.gateways.sipmediagw": ("SipMediaGw",),
})
