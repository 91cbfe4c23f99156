"""The lab's video: real H.264/AAC live streams showing the gateway's scene (title, a big wall
clock for latency probes, participants, public chat), served as HLS by :class:`HlsOrigin` or
pushed over RTMP to nginx-rtmp by :class:`RtmpPublisher`.

Importing this package imports Qt (QtGui) for the renderer; the app's core never imports it.
"""

from desktop.lab.video.encoder import EncoderSettings, EncoderStats, PublishError
from desktop.lab.video.origin import HlsOrigin, StreamFault
from desktop.lab.video.renderer import CHAT_RECT, CLOCK_RECT, chat_rect, clock_rect
from desktop.lab.video.rtmp import RtmpPublisher

__all__ = [
    "CHAT_RECT",
    "CLOCK_RECT",
    "EncoderSettings",
    "EncoderStats",
    "HlsOrigin",
    "PublishError",
    "RtmpPublisher",
    "StreamFault",
    "chat_rect",
    "clock_rect",
]
