"""Build gateway drivers from settings and the keyring.

The settings hold a gateway's address, kind and TLS options; its token lives in the keyring under
:func:`desktop.config.settings.gateway_secret_name`.  These two functions are the only place
that joins them, so no other module handles a token.
"""

from __future__ import annotations

import httpx

from desktop.config.settings import GatewayConfig, Settings, gateway_secret_name
from desktop.errors import ConfigError
from desktop.gateways.base import CallTimeouts, Gateway
from desktop.gateways.legacy import LegacySipMediaGw
from desktop.gateways.pool import GatewayPool, NamedGateway
from desktop.gateways.sipmediagw import SipMediaGw
from desktop.i18n import _
from desktop.secrets.store import SecretStore


def gateway_from_config(
    cfg: GatewayConfig,
    token: str | None,
    *,
    timeouts: CallTimeouts | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Gateway:
    """The driver for ``cfg.kind`` (``transport`` is for tests and the loopback lab)."""
    if cfg.kind == LegacySipMediaGw.kind:
        return LegacySipMediaGw(
            cfg.name,
            cfg.url,
            token,
            ca_bundle=cfg.ca_bundle,
            insecure=cfg.insecure,
            timeouts=timeouts,
            transport=transport,
        )
    if cfg.kind == SipMediaGw.kind:
        return SipMediaGw(
            cfg.name,
            cfg.url,
            token,
            browsing=cfg.browsing,
            ca_bundle=cfg.ca_bundle,
            insecure=cfg.insecure,
            timeouts=timeouts,
            transport=transport,
        )
    raise ConfigError(_("Unknown gateway kind “{kind}” for gateway “{gateway}”.").format(
        kind=cfg.kind, gateway=cfg.name))


def pool_from_settings(
    settings: Settings,
    secrets: SecretStore,
    *,
    names: list[str] | None = None,
    timeouts: CallTimeouts | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> GatewayPool:
    """A pool of the configured gateways (or of ``names``, in that order), tokens from the keyring."""
    configs = [settings.gateway(n) for n in names] if names is not None else list(settings.gateways)
    return GatewayPool(
        [
            NamedGateway(
                cfg,
                gateway_from_config(
                    cfg,
                    secrets.get(gateway_secret_name(cfg.name)),
                    timeouts=timeouts,
                    transport=transport,
                ),
            )
            for cfg in configs
        ]
    )
