"""The owner's control channel: the claim (an OS lock), the hello handshake, hostile requests."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.webinar.control import (
    AlreadyOwned,
    ControlServer,
    claim,
    claimed,
    endpoint_file,
    find_owner,
    release,
    send_intent,
)

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
from pathlib import Path
from desktop.webinar.control import claim
assert claim(Path(sys.argv[1]), "4:0")
print("held", flush=True)
sys.stdin.readline()
"""


async def _handler(key: str, intent: str) -> dict[str, Any]:
    return {"snapshot": {"key": key, "intent": intent}}


async def _raw(port: int, payload: bytes) -> dict[str, Any]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload + b"\n")
    await writer.drain()
    line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    reply: dict[str, Any] = json.loads(line)
    return reply


async def test_an_owner_answers_hello_and_intents_and_refuses_hostile_requests(tmp_path: Path) -> None:
    server = ControlServer(tmp_path, _handler)
    await server.start()
    try:
        server.announce("3:0")
        owner = await find_owner(tmp_path, "3:0")
        assert owner is not None and owner.answering and owner.pid is not None
        reply = await send_intent(tmp_path, "3:0", "status")
        assert reply is not None and reply["snapshot"] == {"key": "3:0", "intent": "status"}
        token = json.loads(endpoint_file(tmp_path, "3:0").read_text())["token"]
        # a non-ASCII token, a list as the key: refused, never an uncaught TypeError in the owner
        assert await _raw(server.port, json.dumps({"token": "jeton-é", "key": "3:0", "intent": "status"}).encode()) \
            == {"ok": False, "error": "refused"}
        assert (await _raw(server.port, json.dumps({"token": token, "key": ["3:0"], "intent": "status"}).encode()))[
            "ok"] is False
        assert (await _raw(server.port, json.dumps({"token": token, "key": "3:0", "intent": "rm -rf"}).encode()))[
            "ok"] is False
        assert (await _raw(server.port, json.dumps({"token": token, "key": "3:0", "intent": "status"}).encode()))[
            "ok"] is True
    finally:
        await server.close()
    assert not endpoint_file(tmp_path, "3:0").exists() and not claimed(tmp_path, "3:0")
    assert await find_owner(tmp_path, "3:0") is None


async def test_a_stale_endpoint_file_names_no_owner_even_when_its_pid_lives(tmp_path: Path) -> None:
    endpoint_file(tmp_path, "5:0").write_text(json.dumps({"port": 9, "token": "x", "pid": 1, "key": "5:0"}))
    assert await find_owner(tmp_path, "5:0") is None
    assert not endpoint_file(tmp_path, "5:0").exists()  # removed: nothing holds the claim


async def test_the_claim_is_exclusive_across_processes_and_dies_with_its_holder(tmp_path: Path) -> None:
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], cwd=ROOT, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as holder:
        await _while_held(tmp_path, holder)
    assert not claimed(tmp_path, "4:0")
    assert claim(tmp_path, "4:0")
    release(tmp_path, "4:0")


async def _while_held(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert claimed(tmp_path, "4:0")
        assert not claim(tmp_path, "4:0", patience=2)
        # held but no endpoint file (a start still setting up): an owner that cannot be asked
        owner = await find_owner(tmp_path, "4:0")
        assert owner is not None and not owner.answering
        with pytest.raises(AlreadyOwned, match="does not answer"):
            await send_intent(tmp_path, "4:0", "status")
        server = ControlServer(tmp_path, _handler)
        await server.start()
        with pytest.raises(AlreadyOwned):
            server.announce("4:0")
        assert not endpoint_file(tmp_path, "4:0").exists()  # refused: nothing overwritten
        await server.close()
    finally:
        holder.kill()  # SIGKILL: the kernel drops the lock
        holder.wait()
