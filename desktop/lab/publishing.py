"""The contract between the lab's gateways and its HLS origin.

A gateway emulator that has joined a meeting "publishes RTMP" to its ``rtmpDst``; in the lab that
means asking a :class:`StreamPublisher` to start encoding the gateway's scene under the stream
name taken from the RTMP URL (``rtmp://host/live/NAME`` -> ``NAME``), served as
``/hls/NAME.m3u8`` by the lab's origin, or pushed to a real nginx-rtmp.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from desktop.lab.scene import SceneSource


class StreamPublisher(Protocol):
    async def start(self, stream_name: str, scene: SceneSource) -> None:
        """Begin publishing ``scene`` as ``stream_name`` (idempotent per name)."""

    async def stop(self, stream_name: str) -> None:
        """Stop publishing ``stream_name`` (no error if it is not publishing)."""

    def is_publishing(self, stream_name: str) -> bool:
        """Whether ``stream_name`` is being published now."""


def stream_name_from_rtmp(rtmp_url: str) -> str:
    """``rtmp://127.0.0.1:1935/live/gw1`` -> ``gw1`` (the last path segment)."""
    path = urlsplit(rtmp_url).path.rstrip("/")
    name = path.rsplit("/", 1)[-1]
    if not name:
        raise ValueError(f"no stream name in {rtmp_url!r}")
    return name
