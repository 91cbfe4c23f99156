"""``python -m desktop.bench --quick``: every benchmark runs with tiny sizes and the JSON has the
documented structure.  No timing is asserted: figures depend on the machine."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.bench.__main__ import BENCHMARKS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("bench") / "latest.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PUPITRE_HOME", None)  # the benchmark makes its own throw-away home
    done = subprocess.run([sys.executable, "-m", "desktop.bench", "--quick", "--no-install-peers",
                           "--output", str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


@pytest.mark.slow
@pytest.mark.timeout(320)
def test_every_benchmark_reports_rows_or_a_reason(quick_run: tuple[dict[str, Any], str]) -> None:
    data, stdout = quick_run
    assert data["schema"] == 2
    assert data["load"]["cpu_count"] and data["load"]["loadavg_before"] and data["load"]["loadavg_after"]
    assert data["options"]["quick"] is True
    for key in ("cpu", "cores", "ram_gib", "python", "qt", "libvlc"):
        assert data["machine"][key], key
    assert [r["key"] for r in data["results"]] == list(BENCHMARKS)
    for result in data["results"]:
        assert (result["title"] and result["method"]) or result["skipped"], result["key"]
        assert result["load"]["loadavg_after"], result["key"]  # each benchmark's load is traced
        if result["skipped"]:
            assert not result["skipped"].startswith("failed"), result["skipped"]  # a crash, not a missing tool
            continue
        assert result["rows"], result["key"]
        for row in result["rows"]:
            assert isinstance(row["label"], str) and row["label"]
            assert isinstance(row["unit"], str)
            assert row["value"] is None or math.isfinite(row["value"])
            if row["value"] is not None and row["reference"]:
                assert row["ratio"] == pytest.approx(row["value"] / row["reference"])
            if row["budget"]:
                assert row["met"] in (True, False, None)
    # the printed table has a line per row and names the machine
    assert "| # | measure |" in stdout and "Measured on" in stdout
    rows = sum(len(r["rows"]) or 1 for r in data["results"])
    assert stdout.count("\n| ") >= rows


@pytest.mark.slow
@pytest.mark.timeout(320)
def test_reference_algorithms_were_measured(quick_run: tuple[dict[str, Any], str]) -> None:
    data, _ = quick_run
    by_key = {r["key"]: r for r in data["results"]}
    runs = by_key["end_detection"]["samples"]["runs"]
    # Pod's loop made at least its two consecutive checks; both gateways received /stop
    assert runs and all(r["pod_checks"] >= 2 and r["pupitre_measured"] > 0 and r["pod_measured"] > 0 for r in runs)
    restart = by_key["restart"]["samples"]
    assert restart["pupitre"] and restart["pod"]
    parsing = by_key["parsing"]["samples"]
    assert parsing["meetings"] == 20 and parsing["attendees"] > 0
