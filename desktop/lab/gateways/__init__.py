"""The lab's SIPMediaGW streaming gateways (legacy web.py API and v1.8 proxy) and the Pod-like
join page their browsers fill in.  One server instance = one gateway = one streaming slot."""

from desktop.lab.gateways.browser import AddressMap, JoinFailed, StreamingBrowser
from desktop.lab.gateways.core import GatewayEmulator, GatewayRun, LaunchResult, SlotPhase
from desktop.lab.gateways.joinpage import JoinPageServer, bbb_api_base, sign_join_query
from desktop.lab.gateways.legacy import LegacyGatewayServer, legacy_target_url
from desktop.lab.gateways.proxy import ProxyGatewayServer
from desktop.lab.gateways.settings import GatewayFaults, GatewayTimings
from desktop.lab.gateways.shell import GatewayShell
from desktop.lab.gateways.versions import LEGACY_DEFAULT, PROXY_DEFAULT, GatewayVersion

__all__ = [
    "LEGACY_DEFAULT",
    "PROXY_DEFAULT",
    "AddressMap",
    "GatewayEmulator",
    "GatewayFaults",
    "GatewayRun",
    "GatewayShell",
    "GatewayTimings",
    "GatewayVersion",
    "JoinFailed",
    "JoinPageServer",
    "LaunchResult",
    "LegacyGatewayServer",
    "ProxyGatewayServer",
    "SlotPhase",
    "StreamingBrowser",
    "bbb_api_base",
    "legacy_target_url",
    "sign_join_query",
]
