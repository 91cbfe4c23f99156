"""Running ``pupitre lab`` in a subprocess: read its one JSON document, stop it with SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any


@dataclass
class LabProcess:
    process: asyncio.subprocess.Process
    document: dict[str, Any]

    async def terminate(self, timeout: float = 30.0) -> tuple[int, str]:
        """SIGTERM, then wait for the exit (killed if it does not come); (exit code, stderr)."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"pupitre lab did not stop within {timeout:g} s of SIGTERM") from None
        assert self.process.stderr is not None
        return int(self.process.returncode or 0), (await self.process.stderr.read()).decode(errors="replace")


async def read_document(process: asyncio.subprocess.Process, timeout: float) -> dict[str, Any]:
    """The JSON document on stdout (indented over several lines), within ``timeout`` seconds."""
    assert process.stdout is not None
    text = ""
    decoder = json.JSONDecoder()
    async with asyncio.timeout(timeout):
        while True:
            line = await process.stdout.readline()
            if not line:
                assert process.stderr is not None
                error = (await process.stderr.read()).decode(errors="replace")
                raise AssertionError(f"pupitre lab exited before printing its description: {error[-2000:]}")
            text += line.decode()
            try:
                document, _ = decoder.raw_decode(text.strip())
            except ValueError:
                continue
            assert isinstance(document, dict)
            return document


@asynccontextmanager
async def pupitre_lab(env: dict[str, str], *args: str, start_timeout: float = 60.0) -> AsyncIterator[LabProcess]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", "lab", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    running = LabProcess(process, {})
    try:
        running.document = await read_document(process, start_timeout)
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
