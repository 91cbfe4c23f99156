"""The audience HLS stream: playlist parsing and the monitor that says whether it is live."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy_exports import lazy_exports

if TYPE_CHECKING:  # loaded on first use: see desktop.lazy_exports (issue 13)
    from desktop.stream.health import StreamHealth, StreamState
    from desktop.stream.monitor import HlsMonitor, StreamWaitTimeout
    from desktop.stream.playlist import (
        MasterPlaylist,
        MediaPlaylist,
        PlaylistError,
        Segment,
        Variant,
        parse_playlist,
    )
    from desktop.stream.tracker import MonitorSettings

__all__ = [
    "HlsMonitor",
    "MasterPlaylist",
    "MediaPlaylist",
    "MonitorSettings",
    "PlaylistError",
    "Segment",
    "StreamHealth",
    "StreamState",
    "StreamWaitTimeout",
    "Variant",
    "parse_playlist",
]

__getattr__, __dir__ = lazy_exports(globals(), {
    "desktop.stream.health": ("StreamHealth", "StreamState"),
    "desktop.stream.monitor": ("HlsMonitor", "StreamWaitTimeout"),
    "desktop.stream.playlist": ("MasterPlaylist", "MediaPlaylist", "PlaylistError", "Segment", "Variant", "parse_playlist"),
    "desktop.stream.tracker": ("MonitorSettings",),
})
