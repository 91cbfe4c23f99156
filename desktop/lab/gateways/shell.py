"""Chat lines through a real ``/bin/sh``, with each SIPMediaGW generation's own command template.

A real gateway never hands a chat line to its browser directly: the launcher pastes it into a
shell command, the container's ``/bin/sh`` (dash, ``debian:12-slim``) runs it, and a reader in
the container decodes what comes out.  The lab does the same with the same templates, so a text
that a real gateway would mangle — or *execute* — is mangled or executed here too, and a client
that forgets to escape fails in the lab as it would in production.

Templates (verbatim, Renater/SIPMediaGW):

* v1.6.0 (29e35ff) ``HTTPLauncher.py`` ``Chat.forwardCommand``:
  ``"echo '{}' | netcat -q 1 {} 4444".format(inDict, room)``;
* v1.7.0 (1bfa796), same function: ``"echo '{}:{},'| netcat -q 1 {} 4444".format(len(inDict),
  inDict, room)`` (a netstring);
* main (564e7a5) ``HTTPLauncher.py`` ``sendCommand`` ``sendChat``:
  ``'if [ -p ./chatFifo ]; then printf "%s\\n" "{}" > ./chatFifo; fi'.format(msg)``.

Upstream runs them in a throw-away or the running container; the lab runs them in a small
sandbox: an empty environment whose ``PATH`` holds only ``netcat`` (a stand-in that writes what it
would send to its standard output) and the harmless ``id``/``whoami``/``uname`` an injection
demonstration needs, in a private temporary directory (where ``chatFifo`` is a real FIFO).  A
text that escapes its quotes can still run shell built-ins there: that is the point — it shows —
but nothing from outside the lab's own chat can reach this shell.

Where there is no POSIX shell (Windows), :attr:`GatewayShell.posix` is False and the commands are
stood in for in Python: the quoting is undone as ``/bin/sh`` would undo it for a text that does
not break out, and nothing is executed [a fallback, less faithful: an injection does not show].
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

SHELL = "/bin/sh"
COMMAND_TIMEOUT = 10.0
FIFO_READ_BYTES = 4096  # main's src/browsing.py chatHandler: os.read(fd, 4096)

LEGACY_V16_TEMPLATE = "echo '{}' | netcat -q 1 {} 4444"
LEGACY_V17_TEMPLATE = "echo '{}:{},'| netcat -q 1 {} 4444"
MAIN_FIFO_TEMPLATE = 'if [ -p ./chatFifo ]; then printf "%s\n" "{}" > ./chatFifo; fi'
_DEMO_COMMANDS = ("id", "whoami", "uname")
_DOUBLE_QUOTED_ESCAPE = re.compile(r'\\([\\"$`])')


class ShellFailed(Exception):
    """The command did not finish (timeout) or could not be run."""


class GatewayShell:
    """One gateway container's shell: a sandbox directory, its ``PATH`` and its chat FIFO."""

    def __init__(self) -> None:
        self.posix = os.path.exists(SHELL) and hasattr(os, "mkfifo")
        self._root: Path | None = None  # the sandbox, made at the first command (none without a shell)
        self._env: dict[str, str] = {}
        self._lock = asyncio.Lock()
        if not self.posix:
            logger.warning("lab gateways: no POSIX shell here; chat quoting is emulated, nothing is executed")

    @property
    def workdir(self) -> Path:
        return self._sandbox() / "work"

    @property
    def fifo(self) -> Path:
        return self.workdir / "chatFifo"

    def _sandbox(self) -> Path:
        if self._root is not None:
            return self._root
        root = Path(tempfile.mkdtemp(prefix="pupitre-lab-gw-"))
        (root / "work").mkdir()
        bin_dir = root / "bin"
        bin_dir.mkdir()
        cat = shutil.which("cat") or "/bin/cat"
        netcat = bin_dir / "netcat"
        # netcat -q 1 <room> 4444: what it would send over TCP goes to stdout instead
        netcat.write_text(f"#!{SHELL}\nexec {cat}\n")
        netcat.chmod(netcat.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        for name in _DEMO_COMMANDS:
            found = shutil.which(name)
            if found:
                (bin_dir / name).symlink_to(found)
        os.mkfifo(root / "work" / "chatFifo")
        self._env = {"PATH": str(bin_dir), "HOME": str(root / "work"), "LC_ALL": "C.UTF-8"}
        self._root = root
        return root

    def close(self) -> None:
        root, self._root = self._root, None
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)

    async def run(self, command: str) -> bytes:
        """``/bin/sh -c command`` in the sandbox; its standard output."""
        workdir = self.workdir  # makes the sandbox (and its env) on first use
        process = await asyncio.create_subprocess_exec(
            SHELL, "-c", command, cwd=workdir, env=self._env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise ShellFailed(f"the gateway's shell did not finish within {COMMAND_TIMEOUT:g} s") from None
        if err:
            logger.info("lab gateway shell: %s", err.decode(errors="replace").strip()[:200])
        return out

    async def legacy_forward(self, payload: str, room: str, *, netstring: bool) -> bytes:
        """What ``forwardCommand``'s netcat sends to the container's event server."""
        if not self.posix:  # echo '<payload>': single quotes keep everything as it is
            line = f"{len(payload)}:{payload}," if netstring else payload
            return (line + "\n").encode()
        if netstring:
            command = LEGACY_V17_TEMPLATE.format(len(payload), payload, room)
        else:
            command = LEGACY_V16_TEMPLATE.format(payload, room)
        return await self.run(command)

    async def fifo_chat(self, msg: str) -> list[bytes]:
        """What main's ``chatHandler`` reads from ``chatFifo`` after ``sendChat``: one item per
        ``os.read(fd, 4096)`` (a longer line comes out in several reads, i.e. several messages)."""
        if not self.posix:  # printf "%s\n" "<msg>": the shell drops the backslash before \ " $ `
            data = (_DOUBLE_QUOTED_ESCAPE.sub(r"\1", msg) + "\n").encode()
            return [data[i:i + FIFO_READ_BYTES] for i in range(0, len(data), FIFO_READ_BYTES)]
        async with self._lock:  # one reader, as in the container
            reader = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
            try:
                await self.run(MAIN_FIFO_TEMPLATE.format(msg))
                reads: list[bytes] = []
                while True:
                    try:
                        data = os.read(reader, FIFO_READ_BYTES)
                    except BlockingIOError:
                        break
                    if not data:
                        break
                    reads.append(data)
                return reads
            finally:
                os.close(reader)
