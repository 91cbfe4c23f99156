"""The real thing: libVLC plays a live HLS inside the PreviewWidget on an X display.

The HLS source is the lab's origin (PyAV encoder + aiohttp, in this process); the player runs
in a subprocess on the xcb platform (see preview_probe.py) and reads the stream through the
preview relay, as in the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from aiohttp import web

from desktop.ui.preview import VlcUnavailable, load_vlc

PROBE = Path(__file__).with_name("preview_probe.py")
ROOT = Path(__file__).resolve().parents[2]


def needs_display_and_libvlc() -> None:
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs a real X display (DISPLAY unset; the project's test command runs under xvfb-run)")
    try:
        load_vlc()
    except VlcUnavailable as exc:
        pytest.skip(f"libVLC not installed: {exc}")


@contextlib.asynccontextmanager
async def lab_stream() -> AsyncIterator[str]:
    """The lab's HLS origin encoding a live scene; yields its playlist URL once two segments exist."""
    from desktop.lab.scene import Scene
    from desktop.lab.video.encoder import EncoderSettings
    from desktop.lab.video.origin import HlsOrigin

    scene = Scene(title="Preview probe", participant_count=3, chat_visible=True, gateway="gw-probe")
    settings = EncoderSettings(width=640, height=360, fallback_size=None, audio=True)
    async with HlsOrigin(settings=settings, cleanup_delay=None) as origin:
        await origin.start("probe", lambda: scene)
        await origin.wait_segments("probe", count=2, timeout=15)
        yield origin.hls_url("probe")


async def run_probe(url: str) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(PROBE), url, "--min-pictures", "20", "--timeout", "20",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=40)
    lines = stdout.decode().strip().splitlines()
    assert lines, f"the probe printed nothing (exit {process.returncode}): {stderr.decode()[-2000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    print("probe:", result)
    assert process.returncode == 0, (result, stderr.decode()[-2000:])
    assert result["platform"] == "xcb"
    assert result["displayed"] > 20
    assert result["distinct_colours"] > 5, result
    return result


@pytest.mark.xvfb
@pytest.mark.slow
async def test_embedded_preview_shows_the_live_stream(qapp: object) -> None:
    needs_display_and_libvlc()
    async with lab_stream() as url:
        result = await run_probe(url)
    # it played through the preview relay (MPEG-TS from the live edge), not HLS read by libVLC
    assert result["relayed"] is True and result["relay"]["segments_sent"] >= 1, result


@pytest.mark.xvfb
@pytest.mark.slow
async def test_a_stream_the_relay_cannot_join_plays_as_hls_through_its_redirect(qapp: object) -> None:
    """An encrypted-looking playlist (EXT-X-KEY) makes the relay send libVLC to the HLS itself."""
    needs_display_and_libvlc()
    async with lab_stream() as url:
        async def keyed_playlist(request: web.Request) -> web.Response:
            async with httpx.AsyncClient() as client:
                upstream = await client.get(url)
            lines = upstream.text.splitlines()
            lines.insert(1, "#EXT-X-KEY:METHOD=NONE")
            text = "\n".join(line if line.startswith("#") or not line.strip() else urljoin(url, line)
                             for line in lines)
            return web.Response(text=text + "\n", content_type="application/vnd.apple.mpegurl")

        app = web.Application()
        app.router.add_get("/keyed.m3u8", keyed_playlist)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            result = await run_probe(f"http://127.0.0.1:{port}/keyed.m3u8")
        finally:
            await runner.cleanup()
    assert result["relayed"] is False and "MPEG-TS" in result["relay"]["fallback"], result
