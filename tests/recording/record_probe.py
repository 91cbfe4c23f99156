"""Record an HLS URL into a file with :class:`LiveRecorder` until killed; one JSON line per status.

Run by the crash test in a subprocess that the test kills with SIGKILL in the middle of the
recording: what was written must stay playable.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.recording.files import DiskBudget
from desktop.recording.recorder import LiveRecorder, RecordingStatus


def show(status: RecordingStatus) -> None:
    print(json.dumps({"segments": status.segments, "seconds": status.seconds, "state": status.state.value}),
          flush=True)


async def main(url: str, path: Path) -> None:
    recorder = LiveRecorder(url, path, budget=DiskBudget(0), on_change=show)
    await recorder.start()
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
