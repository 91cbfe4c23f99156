"""The real entry point in subprocesses: the GUI starts, a second launch brings it forward."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_second_launch_brings_the_first_forward_and_exits_0(cli_env: dict[str, str], pupitre_home: Path) -> None:
    env = dict(cli_env, QT_QPA_PLATFORM="offscreen")
    marker = pupitre_home / "data" / "gui-session.json"
    log = pupitre_home / "logs" / "pupitre.log"
    first = subprocess.Popen([sys.executable, "-m", "desktop"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: marker.exists() or first.poll() is not None, 30, "the first instance to start")
        assert first.poll() is None, first.communicate()
        second = subprocess.run([sys.executable, "-m", "desktop"], env=env, capture_output=True,
                                text=True, timeout=30)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        wait_for(lambda: log.exists() and "bring the window forward" in log.read_text(), 10,
                 "the first instance to receive the raise request")
        assert first.poll() is None
    finally:
        first.terminate()
        first.communicate(timeout=10)
