"""Benchmark 6: glass-to-glass delay of the embedded libVLC preview vs the HLS edge.

Method.  The lab's HLS origin publishes a 640x360 stream (1-s segments, the burned-in wall clock
top left).  :mod:`desktop.bench.preview_probe` runs the app's ``PreviewWidget`` on an X display
(``$DISPLAY`` or a private Xvfb), waits a warm-up after the first displayed picture, then grabs
the clock box (the renderer's ``clock_rect``) from the screen once a second and reads it with
tesseract: delay = grab time − clock shown.  Meanwhile an :class:`~desktop.stream.monitor.HlsMonitor`
polls the same playlist: the edge delay is its ``latency_estimate`` (now − PROGRAM-DATE-TIME of
the newest segment's start), i.e. what a player showing the newest segment the moment it appears
would show.  Budget: the player's delay ≤ the edge's + one segment.

The preview runs twice on the same stream: as the app ships it (catch-up on: 1.25x for 4 s once
pictures show) and without the catch-up, for comparison; lost pictures and the displayed count
at each grab show whether the catch-up made VLC starve.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from desktop.bench.report import BenchResult, Row
from desktop.bench.timing import median
from desktop.bench.xserver import NoDisplay, x_display
from desktop.stream.health import StreamHealth
from desktop.stream.monitor import HlsMonitor

ROOT = Path(__file__).resolve().parents[2]
SIZE = (640, 360)


async def run(config: Any) -> BenchResult:
    result = BenchResult("preview", "Preview glass-to-glass delay")
    result.method = (__doc__ or "").split("Method.", 1)[1].strip()
    if shutil.which("tesseract") is None:
        result.skipped = "tesseract is not installed (apt-get install tesseract-ocr; make setup installs it)"
        return result
    try:
        from desktop.ui.preview import VlcUnavailable, load_vlc

        load_vlc()
    except VlcUnavailable as error:
        result.skipped = f"libVLC is not installed ({error})"
        return result
    from desktop.lab.scene import Scene
    from desktop.lab.video.encoder import EncoderSettings
    from desktop.lab.video.origin import HlsOrigin

    scene = Scene(title="Preview benchmark", participant_count=2, chat_visible=False, gateway="bench")
    settings = EncoderSettings(width=SIZE[0], height=SIZE[1], fallback_size=None, audio=True)
    samples = max(1, config.preview_samples)
    warmup = 1.0 if config.quick else 8.0
    edge: list[StreamHealth] = []
    try:
        async with x_display() as display, HlsOrigin(settings=settings, cleanup_delay=None) as origin:
            await origin.start("bench", lambda: scene)
            await origin.wait_segments("bench", count=2, timeout=20)
            url = origin.hls_url("bench")
            monitor = HlsMonitor(url)
            monitor.add_listener(edge.append)
            monitor.start()
            try:
                probe = await _run_probe(display, url, samples, warmup)
                plain = await _run_probe(display, url, samples, warmup, "--no-catch-up")
            finally:
                await monitor.aclose()
    except NoDisplay as error:
        result.skipped = str(error)
        return result
    delays = [g["delay"] for g in probe.get("grabs", []) if g.get("delay") is not None]
    edge_delays = [h.latency_estimate for h in edge if h.latency_estimate is not None]
    target = next((h.target_duration for h in reversed(edge) if h.target_duration), 1.0) or 1.0
    plain_delays = [g["delay"] for g in plain.get("grabs", []) if g.get("delay") is not None]
    result.samples = {"probe": probe, "probe_without_catch_up": plain, "edge_latency": edge_delays,
                      "edge_newest_segment_age": [h.newest_segment_age for h in edge],
                      "segment_seconds": target}
    if not delays:
        result.skipped = f"no clock could be read ({probe.get('error') or 'OCR failed on every grab'})"
        return result
    player = median(delays)
    edge_median = median(edge_delays)
    budget_value = None if edge_median is None else edge_median + target
    result.rows.append(Row("embedded libVLC preview: glass-to-glass delay", player, "s",
                           "HLS edge (newest segment)", edge_median, budget="≤ edge + 1 segment",
                           met=None if budget_value is None or player is None else player <= budget_value,
                           note=f"{len(delays)}/{len(probe.get('grabs', []))} clocks read, "
                                f"{probe.get('lost', '?')} lost pictures"))
    plain_player = median(plain_delays)
    result.rows.append(Row("the same without the catch-up", plain_player, "s", "HLS edge (newest segment)",
                           edge_median, note=f"{len(plain_delays)}/{len(plain.get('grabs', []))} clocks read, "
                                              f"{plain.get('lost', '?')} lost pictures"))
    result.notes.append(f"{SIZE[0]}x{SIZE[1]}, {target:g}-s segments; VLC options are the app's "
                        "(network-caching 300 ms); OCR failures are dropped, never guessed.")
    result.notes.append(CAUSE_NOTE)  # one run's met/missed depends on the opening phase: always say why
    return result


CAUSE_NOTE = (
    "Over 11 opens with the catch-up: 2.40–3.40 s (median 3.1 s, 3 of 11 within edge + 1 segment), so "
    "one run's verdict depends on when VLC opened.  Measured cause of the gap: libVLC 3.0.24's HLS module decides where a live starts and "
    "how much it buffers first (≥ 2 s, BUFFERING_LOWEST_LIMIT); without the catch-up the preview "
    "sits 2.0–2.8 s behind the edge whatever the options (one open each, edge ≈ 1.5 s: default "
    "3.4–4.3 s, --adaptive-lowlatency=1 4.0 s, --adaptive-livedelay=1000 3.7 s, "
    "--adaptive-maxbuffer=2000 4.3 s, --network-caching=100 3.8 s, --clock-jitter=0 "
    "--clock-synchro=0 4.2 s: the spread is the opening phase, not the option), and whatever the "
    "playlist: trimmed to the newest 2 segments 4.1 / 3.7 s, EXT-X-START:TIME-OFFSET=-1.0 4.1 / "
    "3.6 s (VLC 3 ignores it), untouched 4.1 / 4.0 s.  The app's catch-up (1.25x for 4 s) takes "
    "back 1 s with no lost picture; taking back 2 s or 3 s made VLC starve (5 and 8 lost pictures, "
    "then it re-buffered to 2.9 and 3.9 s).  get_time() keeps a stable timeline but jumps by up to "
    "1 s and its zero is not a segment boundary (±0.4 s), so it cannot drive a closed-loop "
    "catch-up.  Follow-up: a closed loop needs to know how much VLC holds ahead — a loopback relay "
    "in the app that serves VLC the playlist and segments would see which segment VLC has fetched; "
    "with get_time() deltas that bounds the buffer, so the rate can stay at 1.25x until about one "
    "segment is left.  Otherwise libVLC 4 (new adaptive buffering) or QtMultimedia (3.3 s on "
    "nginx-rtmp in environment.md §5, but +400 MB of wheels)."
)


async def _run_probe(display: str, url: str, samples: int, warmup: float, *extra: str) -> dict[str, Any]:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    env.pop("WAYLAND_DISPLAY", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop.bench.preview_probe", url, "--samples", str(samples),
        "--warmup", str(warmup), "--frame", f"{SIZE[0]}x{SIZE[1]}", *extra,
        env=env, cwd=str(ROOT), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60 + samples * 5 + warmup)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        return {"error": "the preview probe did not finish in time", "grabs": []}
    lines = stdout.decode(errors="replace").strip().splitlines()
    if not lines:
        return {"error": f"the probe printed nothing (exit {process.returncode}): "
                         f"{stderr.decode(errors='replace')[-500:]}", "grabs": []}
    data: dict[str, Any] = json.loads(lines[-1])
    return data
