"""The audience HLS stream: playlist parsing and the monitor that says whether it is live."""

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
