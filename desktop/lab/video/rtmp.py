"""Publishing lab scenes over RTMP, like a real SIPMediaGW: FLV pushed to nginx-rtmp, whose HLS
output is then the audience stream (``packaging/nginx-rtmp/nginx-rtmp.sh`` runs one).

The frames are the same as the built-in origin's; only the output differs (``format="flv"`` to
``rtmp://host:port/live/NAME``).  nginx-rtmp writes no PROGRAM-DATE-TIME and its playlists
start with a discontinuity (environment.md §3a).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from desktop.lab.publishing import StreamPublisher
from desktop.lab.scene import SceneSource
from desktop.lab.video.encoder import (
    EncoderSettings,
    EncoderStats,
    FlvOutput,
    LiveEncoder,
    PublishError,
)
from desktop.lab.video.origin import JOIN_TIMEOUT, STREAM_NAME
from desktop.lab.video.renderer import ensure_qt_application

logger = logging.getLogger(__name__)


class RtmpPublisher:
    """A :class:`~desktop.lab.publishing.StreamPublisher` pushing each stream to
    ``{base_url}/{stream_name}``.

    Args:
        base_url: the RTMP application, e.g. ``rtmp://127.0.0.1:1935/live``.
        settings: the encoder settings for every stream.
        connect_timeout: seconds to wait for the RTMP server to accept the publish.
    """

    def __init__(
        self,
        base_url: str = "rtmp://127.0.0.1:1935/live",
        settings: EncoderSettings | None = None,
        *,
        connect_timeout: float = 5.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.settings = settings or EncoderSettings()
        self.connect_timeout = connect_timeout
        self._encoders: dict[str, LiveEncoder] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def rtmp_url(self, stream_name: str) -> str:
        return f"{self.base_url}/{stream_name}"

    async def start(self, stream_name: str, scene: SceneSource) -> None:
        """Connect and start pushing (no-op if already publishing).

        Raises:
            ValueError: the name is not ``[A-Za-z0-9_-]{1,64}``.
            PublishError: the RTMP server refused or did not answer within ``connect_timeout``.
        """
        if not STREAM_NAME.fullmatch(stream_name):
            raise ValueError(f"invalid stream name {stream_name!r}")
        ensure_qt_application()
        async with self._lock(stream_name):
            await self._start_locked(stream_name, scene)

    async def _start_locked(self, stream_name: str, scene: SceneSource) -> None:
        if self.is_publishing(stream_name):
            return
        previous = self._encoders.pop(stream_name, None)
        if previous is not None:  # a crashed encoder
            await self._join(previous)
        output = FlvOutput(self.rtmp_url(stream_name), timeout=self.connect_timeout)
        encoder = LiveEncoder(stream_name, output, scene, self.settings)
        self._encoders[stream_name] = encoder
        encoder.start()
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, encoder.wait_opened, self.connect_timeout + JOIN_TIMEOUT)
        except PublishError:
            self._encoders.pop(stream_name, None)
            await self._join(encoder)
            raise

    async def stop(self, stream_name: str) -> None:
        async with self._lock(stream_name):
            encoder = self._encoders.pop(stream_name, None)
            if encoder is not None:
                await self._join(encoder)

    def _lock(self, stream_name: str) -> asyncio.Lock:
        """Start and stop of one stream never interleave (no two pushes of one name)."""
        return self._locks.setdefault(stream_name, asyncio.Lock())

    async def stop_all(self) -> None:
        for name in list(self._encoders):
            await self.stop(name)

    def is_publishing(self, stream_name: str) -> bool:
        encoder = self._encoders.get(stream_name)
        return encoder is not None and encoder.running

    def stats(self, stream_name: str) -> EncoderStats | None:
        encoder = self._encoders.get(stream_name)
        return encoder.stats() if encoder else None

    def encoder_error(self, stream_name: str) -> BaseException | None:
        encoder = self._encoders.get(stream_name)
        return encoder.error if encoder else None

    async def _join(self, encoder: LiveEncoder) -> None:
        encoder.request_stop()
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(None, encoder.join, JOIN_TIMEOUT):
            logger.error("lab stream %s: the RTMP encoder did not stop within %g s", encoder.name, JOIN_TIMEOUT)


if TYPE_CHECKING:  # mypy checks that the publisher honours the protocol
    _publisher: StreamPublisher = RtmpPublisher()
