"""The HLS monitor and the preview relay against a trickling origin on loopback: a playlist, and
each upstream segment, must come within the request's total deadline.

Every read succeeds well within the 10 s read timeout (one byte every 0.5 s); only the total
deadline can end the request.  Each test is bounded by asyncio.timeout.
"""

from __future__ import annotations

import asyncio

import httpx

from desktop.net.http import HttpOptions, Timeouts
from desktop.stream.health import StreamState
from desktop.stream.monitor import HlsMonitor
from desktop.stream.relay import PreviewRelay
from tests.support.trickle import TrickleServer

DEADLINE = 1.0
BOUND = DEADLINE + 4.0
OPTIONS = HttpOptions(timeouts=Timeouts(connect=5.0, read=10.0, total=DEADLINE))
PLAYLIST = (b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n"
            b"#EXTINF:1.000,\nseg-0.ts\n#EXTINF:1.000,\nseg-1.ts\n")
M3U8 = "application/vnd.apple.mpegurl"


async def test_the_monitor_reports_a_trickling_playlist_as_unreachable_at_the_deadline() -> None:
    async with TrickleServer(content_type=M3U8) as server, \
            HlsMonitor(server.url("/live/index.m3u8"), OPTIONS) as monitor, asyncio.timeout(BOUND):
        health = await monitor.check_once()
    assert health.state is StreamState.UNREACHABLE
    assert health.last_error == f"127.0.0.1:{server.port} sent its answer too slowly (over 1 s)."


async def test_the_relay_skips_a_trickling_segment_at_the_deadline() -> None:
    fast = {"/live/index.m3u8": (PLAYLIST, M3U8)}
    async with TrickleServer(content_type="video/mp2t", fast=fast) as server, \
            PreviewRelay(server.url("/live/index.m3u8"), OPTIONS, first_segment_wait=0.0,
                         stall_timeout=30.0) as relay, \
            httpx.AsyncClient(timeout=BOUND) as player, asyncio.timeout(BOUND), \
            player.stream("GET", relay.url) as stream:
        assert stream.status_code == 200
        while relay.stats.late_segments == 0:  # a condition, bounded by asyncio.timeout
            await asyncio.sleep(0.05)
    assert "/live/seg-1.ts" in server.paths  # the live edge, asked once and given up on
    assert relay.stats.segments_sent == 0
