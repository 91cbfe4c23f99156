"""The recorder alone in a process, for the recording benchmark: ``python -m
desktop.bench.recording_probe URL PATH`` records until SIGTERM, printing one JSON line per
segment written (``{"segments": N, "seconds": S}``) and a last one with the final status."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

from desktop.recording.files import DiskBudget
from desktop.recording.recorder import LiveRecorder, RecordingStatus


def _show(status: RecordingStatus) -> None:
    print(json.dumps({"segments": status.segments, "seconds": status.seconds, "missed": status.missed}), flush=True)


async def _main(url: str, path: Path) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    recorder = LiveRecorder(url, path, budget=DiskBudget(0), on_change=_show)
    await recorder.start()
    await stop.wait()
    status = await recorder.stop()
    print(json.dumps({"final": status.state.value, "chapters": status.chapters, "seconds": status.seconds}),
          flush=True)


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1], Path(sys.argv[2])))
