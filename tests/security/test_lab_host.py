"""``pupitre lab`` listens on loopback only, unless --allow-remote says otherwise."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.cli.commands.lab import UsageProblem, build_options, is_loopback

ROOT = Path(__file__).resolve().parents[2]


def namespace(**changes: Any) -> argparse.Namespace:
    args: dict[str, Any] = dict(host="127.0.0.1", allow_remote=False, port_base=None, gateways=None, legacy=None,
                                proxy=None, audience=0, rate=1.0, realistic=False, write_profile=False, rtmp=None,
                                hls_base=None, fault=[], size="1280x720", gateway_version=[])
    return argparse.Namespace(**{**args, **changes})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts_are_accepted(host: str) -> None:
    assert is_loopback(host)
    assert build_options(namespace(host=host)).host == host


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "lab.example.org", ""])
def test_other_hosts_are_refused_without_the_flag(host: str) -> None:
    with pytest.raises(UsageProblem, match="--allow-remote"):
        build_options(namespace(host=host))


def test_the_flag_allows_every_interface() -> None:
    assert build_options(namespace(host="0.0.0.0", allow_remote=True)).host == "0.0.0.0"


def test_pupitre_lab_host_0000_exits_2_before_listening(tmp_path: Path) -> None:
    env = {**os.environ, "PUPITRE_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), "LANGUAGE": "en"}
    proc = subprocess.run([sys.executable, "-m", "desktop", "lab", "--host", "0.0.0.0"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("pupitre lab: --host 0.0.0.0 is not a loopback address")
    assert proc.stdout == ""
