"""Measures whether this machine keeps a lab stream in real time, and prints the figures.

    python -m desktop.lab.video.measure [--size 1280x720] [--fps 25] [--seconds 10] [--no-fallback]

It encodes to the HLS muxer in a temporary folder (no HTTP) and prints the encoder's stats as
JSON every second and at the end: frames, late/dropped frames, lag p99/max, work per frame against
the frame budget, the real-time ratio and whether the size fallback kicked in.  Timing figures
belong here, not in test assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import tempfile
import time
from pathlib import Path

from desktop.lab.scene import ChatLine, Scene
from desktop.lab.video.encoder import EncoderSettings, describe_stats
from desktop.lab.video.origin import HlsOrigin


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


async def measure(settings: EncoderSettings, seconds: float) -> dict[str, object]:
    chat = tuple(ChatLine(f"Viewer {i}", f"a question about slide {i}") for i in range(30))
    scene = Scene("Measuring the lab encoder", 321, True, chat, gateway="gw-measure")
    with tempfile.TemporaryDirectory(prefix="pupitre-measure-") as folder:
        origin = HlsOrigin(Path(folder), settings, cleanup_delay=None)
        started = time.monotonic()
        await origin.start("measure", lambda: scene)
        try:
            while time.monotonic() - started < seconds:
                await asyncio.sleep(1.0)
                stats = origin.stats("measure")
                if stats is None or origin.encoder_error("measure") is not None:
                    raise SystemExit(f"the encoder failed: {origin.encoder_error('measure')}")
                print(json.dumps(describe_stats(stats)), flush=True)
            final = origin.stats("measure")
        finally:
            await origin.stop_server()
    assert final is not None
    figures: dict[str, object] = describe_stats(final)
    figures["budget_ms"] = round(1000 / settings.fps, 2)
    figures["load"] = round(final.work_ms_avg * settings.fps / 1000, 3)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=_size, default=(1280, 720), help="WIDTHxHEIGHT (default 1280x720)")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--no-fallback", action="store_true", help="never switch to 960x540")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    width, height = args.size
    settings = EncoderSettings(
        width=width, height=height, fps=args.fps, preset=args.preset,
        fallback_size=None if args.no_fallback else (960, 540),
    )
    figures = asyncio.run(measure(settings, args.seconds))
    print("final", json.dumps(figures))


if __name__ == "__main__":
    main()
