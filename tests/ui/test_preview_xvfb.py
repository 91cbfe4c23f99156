"""The real thing: libVLC plays a live HLS inside the PreviewWidget on an X display.

The HLS source is the lab's origin (PyAV encoder + aiohttp, in this process); the player runs
in a subprocess on the xcb platform (see preview_probe.py) and reads the stream through the
preview relay, as in the app.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from desktop.ui.preview import VlcUnavailable, load_vlc

PROBE = Path(__file__).with_name("preview_probe.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.xvfb
@pytest.mark.slow
async def test_embedded_preview_shows_the_live_stream(qapp: object) -> None:
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs a real X display (DISPLAY unset; the project's test command runs under xvfb-run)")
    try:
        load_vlc()
    except VlcUnavailable as exc:
        pytest.skip(f"libVLC not installed: {exc}")
    from desktop.lab.scene import Scene
    from desktop.lab.video.encoder import EncoderSettings
    from desktop.lab.video.origin import HlsOrigin

    scene = Scene(title="Preview probe", participant_count=3, chat_visible=True, gateway="gw-probe")
    settings = EncoderSettings(width=640, height=360, fallback_size=None, audio=True)
    async with HlsOrigin(settings=settings, cleanup_delay=None) as origin:
        await origin.start("probe", lambda: scene)
        await origin.wait_segments("probe", count=2, timeout=15)
        env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(PROBE), origin.hls_url("probe"), "--min-pictures", "20", "--timeout", "20",
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=40)
    lines = stdout.decode().strip().splitlines()
    assert lines, f"the probe printed nothing (exit {process.returncode}): {stderr.decode()[-2000:]}"
    result = json.loads(lines[-1])
    print("probe:", result)
    assert process.returncode == 0, (result, stderr.decode()[-2000:])
    assert result["platform"] == "xcb"
    assert result["displayed"] > 20
    assert result["distinct_colours"] > 5, result
    # it played through the preview relay (MPEG-TS from the live edge), not HLS read by libVLC
    assert result["relayed"] is True and result["relay"]["segments_sent"] >= 1, result
