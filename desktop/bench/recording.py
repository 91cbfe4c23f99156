"""Recording benchmark: CPU and memory of the recorder while it records a 720p lab live.

Method.  The lab's HLS origin encodes a 1280x720 25 fps live (x264 veryfast, AAC, 1-s segments)
in this process; the recorder runs alone in a child process
(:mod:`desktop.bench.recording_probe`: the playlist polls, the segment downloads, the PyAV
remux into Matroska and the writes).  After its first segments are written, its CPU time
(``/proc/PID/stat``) is read over the measuring window and divided by the window: a share of one
core.  Its RSS is read after the first segment and at the end of the window (growth would be a
leak).  Budget: a few percent of a core (≤ 5 %).  The encoder's own size is reported: on a slow
machine the lab falls back to 960x540, and the row says so.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop.bench.report import BenchResult, Row
from desktop.bench.timing import proc_cpu_seconds, proc_rss_mib

ROOT = Path(__file__).resolve().parents[2]
BUDGET_PERCENT = 5.0


async def run(config: Any) -> BenchResult:
    result = BenchResult("recording", "Recording the live (720p)")
    result.method = (__doc__ or "").split("Method.", 1)[1].strip()
    from desktop.lab.scene import Scene
    from desktop.lab.video.encoder import EncoderSettings
    from desktop.lab.video.origin import HlsOrigin

    window = 4.0 if config.quick else 30.0
    scene = Scene(title="Recording benchmark", participant_count=2, chat_visible=True, gateway="bench")
    with tempfile.TemporaryDirectory(prefix="pupitre-bench-recording-") as folder:
        path = Path(folder) / "bench.mkv"
        async with HlsOrigin(settings=EncoderSettings(), cleanup_delay=None) as origin:
            await origin.start("bench", lambda: scene)
            await origin.wait_segments("bench", count=2, timeout=30)
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "desktop.bench.recording_probe", origin.hls_url("bench"), str(path),
                env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=asyncio.subprocess.PIPE)
            try:
                measured = await _measure(process, window)
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    with_final = await asyncio.wait_for(process.communicate(), 30)
                    final = [json.loads(line) for line in with_final[0].decode().splitlines() if "final" in line]
                    measured["final"] = final[-1] if final else None
            stats = origin.stats("bench")
        size = path.stat().st_size if path.exists() else 0
    encoded = f"{stats.width}x{stats.height}" if stats is not None else "?"
    result.samples = {**measured, "encoded_size": encoded, "file_bytes": size}
    cpu = measured["cpu_percent"]
    result.rows.append(Row(f"recorder CPU while recording a {encoded} live", cpu, "% of a core",
                           budget=f"≤ {BUDGET_PERCENT:g} % of a core", met=cpu <= BUDGET_PERCENT,
                           note=f"{measured['segments']} segments in {measured['window']:.0f} s"))
    result.rows.append(Row("recorder RSS at the end", measured["rss_end"], "MiB",
                           "RSS after its first segments", measured["rss_start"]))
    return result


async def _measure(process: asyncio.subprocess.Process, window: float) -> dict[str, Any]:
    assert process.stdout is not None
    segments = 0

    async def segments_written(count: int) -> None:
        nonlocal segments
        assert process.stdout is not None
        while segments < count:
            line = await process.stdout.readline()
            if not line:
                raise RuntimeError("the recording probe ended early")
            segments = int(json.loads(line).get("segments", segments))

    await asyncio.wait_for(segments_written(2), 60)
    rss_start = proc_rss_mib(process.pid)
    cpu_before, began = proc_cpu_seconds(process.pid), time.monotonic()
    first = segments
    reading = asyncio.ensure_future(segments_written(10**9))
    await asyncio.sleep(window)  # the measuring window itself
    cpu = proc_cpu_seconds(process.pid) - cpu_before
    elapsed = time.monotonic() - began
    rss_end = proc_rss_mib(process.pid)
    reading.cancel()
    return {"cpu_percent": 100.0 * cpu / elapsed, "window": elapsed, "segments": segments - first,
            "rss_start": rss_start, "rss_end": rss_end}
