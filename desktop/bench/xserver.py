"""An X display for the benchmarks that need a real window (the preview, the app's start-up).

Uses ``$DISPLAY`` when there is one; otherwise starts ``Xvfb`` on a free display number and stops
it afterwards.  None (with the reason) when neither works: the benchmark is then skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path


class NoDisplay(Exception):
    """No X display could be had (the message says why)."""


@contextlib.asynccontextmanager
async def x_display() -> AsyncIterator[str]:
    existing = os.environ.get("DISPLAY")
    if existing:
        yield existing
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise NoDisplay("no X display and no Xvfb (install the 'xvfb' package: make setup)")
    number = next((n for n in range(90, 140) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                   and not Path(f"/tmp/.X{n}-lock").exists()), None)
    if number is None:
        raise NoDisplay("no free X display number")
    process = await asyncio.create_subprocess_exec(
        xvfb, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        socket = Path(f"/tmp/.X11-unix/X{number}")
        async with asyncio.timeout(10):
            while not socket.exists():
                if process.returncode is not None:
                    raise NoDisplay(f"Xvfb exited at once ({process.returncode})")
                await asyncio.sleep(0.05)  # waiting for Xvfb's socket to appear
        yield f":{number}"
    except TimeoutError:
        raise NoDisplay("Xvfb did not start within 10 s") from None
    finally:
        if process.returncode is None:
            process.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 5)
            if process.returncode is None:
                process.kill()
                await process.wait()
