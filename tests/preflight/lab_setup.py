"""The loopback lab the preflight tests run against: BBB, a legacy and a v1.8 gateway, an HLS origin.

Every exchange is real HTTP on 127.0.0.1: the BBB emulator verifies checksums as bbb-web does,
the gateway emulators check Bearer tokens, and the HLS origin answers 404 for a stream that is
not being published — exactly what a gateway's audience address does before a live.

:class:`ThreadedLab` runs the same lab on its own event loop in a thread, so that synchronous
tests can call ``desktop.cli.main`` (which runs ``asyncio.run`` itself) against it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from desktop.config.settings import BBBProfile, GatewayConfig
from desktop.lab.bbb import BBBServer
from desktop.lab.gateways import (
    GatewayTimings,
    GatewayVersion,
    LegacyGatewayServer,
    ProxyGatewayServer,
)
from desktop.lab.scene import SceneSource
from desktop.lab.video.origin import HlsOrigin
from desktop.lab.world import LabWorld

SECRET = "lab-shared-secret-0123456789abcdef"
LEGACY_TOKEN = "legacy-token-4f3a9c"
PROXY_TOKEN = "proxy-token-77b1e0"

T = TypeVar("T")


class NullPublisher:
    """A ``StreamPublisher`` that publishes nothing (preflight never starts a stream)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    async def start(self, stream_name: str, scene: SceneSource) -> None:
        self.names.add(stream_name)

    async def stop(self, stream_name: str) -> None:
        self.names.discard(stream_name)

    def is_publishing(self, stream_name: str) -> bool:
        return stream_name in self.names


def closed_port_url(scheme: str = "http") -> str:
    """An address on loopback where nothing listens (the port was just freed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"{scheme}://127.0.0.1:{port}"


@dataclass
class Lab:
    world: LabWorld
    bbb: BBBServer
    legacy: LegacyGatewayServer
    proxy: ProxyGatewayServer
    origin: HlsOrigin

    def profile(self, algorithm: str = "sha256", name: str = "lab") -> BBBProfile:
        return BBBProfile(name=name, url=self.bbb.url, algorithm=algorithm)

    def legacy_config(self, name: str = "gw1", **changes: Any) -> GatewayConfig:
        values: dict[str, Any] = {
            "name": name,
            "kind": "sipmediagw-legacy",
            "url": self.legacy.url,
            "rtmp_url": f"rtmp://127.0.0.1:1935/live/{name}",
            "hls_url": self.origin.hls_url(name),
        }
        values.update(changes)
        return GatewayConfig(**values)

    def proxy_config(self, name: str = "gw-v18", **changes: Any) -> GatewayConfig:
        values: dict[str, Any] = {
            "name": name,
            "kind": "sipmediagw",
            "url": self.proxy.url,
            "rtmp_url": f"rtmp://127.0.0.1:1935/live/{name}",
            "hls_url": self.origin.hls_url(name),
            "join_mode": "join-page",
            "join_page_url": "https://pod.example.org/video_meeting/join/0042/",
        }
        values.update(changes)
        return GatewayConfig(**values)

    def healthy_gateways(self) -> list[tuple[GatewayConfig, str | None]]:
        return [(self.legacy_config(), LEGACY_TOKEN), (self.proxy_config(), PROXY_TOKEN)]


async def start_lab() -> Lab:
    world = LabWorld(secret=SECRET)
    publisher = NullPublisher()
    bbb = BBBServer(world)
    await bbb.start()
    legacy = LegacyGatewayServer(world, publisher, name="gw1", token=LEGACY_TOKEN,
                                 timings=GatewayTimings.fast(), bbb_base_url=bbb.url, version=GatewayVersion.V1_7)
    proxy = ProxyGatewayServer(world, publisher, name="gw-v18", token=PROXY_TOKEN,
                               timings=GatewayTimings.fast(), bbb_base_url=bbb.url)
    origin = HlsOrigin(cleanup_delay=None)
    await legacy.start()
    await proxy.start()
    await origin.start_server()
    return Lab(world, bbb, legacy, proxy, origin)


async def stop_lab(lab: Lab) -> None:
    await lab.origin.stop_server()
    await lab.proxy.stop()
    await lab.legacy.stop()
    await lab.bbb.stop()


class ThreadedLab:
    """The lab on an event loop of its own thread (for tests that call the CLI in-process)."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="preflight-lab", daemon=True)
        self.lab: Lab | None = None

    def __enter__(self) -> Lab:
        self._thread.start()
        self.lab = self.run(start_lab())
        return self.lab

    def __exit__(self, *exc: object) -> None:
        try:
            if self.lab is not None:
                self.run(stop_lab(self.lab))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 15.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the lab's loop (to flip a fault without racing its handlers)."""

        async def wrapped() -> T:
            return function()

        return self.run(wrapped())
