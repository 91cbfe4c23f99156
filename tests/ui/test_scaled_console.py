"""At 200 % (QT_SCALE_FACTOR=2, a 2560×1440 screen seen as 1280×720) the console, in French and
live, still fits the screen and cuts no text: fonts and icons scale, the layout does not break.
Qt's scale factor is read at start, so the console is laid out in a fresh process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_console_at_200_percent_in_french_fits_and_cuts_nothing(tmp_path: Path) -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(ROOT / ".venv" / "bin" / "pyside6-lrelease")
    if not Path(lrelease).exists():
        pytest.skip("pyside6-lrelease not available")
    subprocess.run([lrelease, "-silent", str(ROOT / "resources" / "translations" / "pupitre_fr.ts"),
                    "-qm", str(tmp_path / "pupitre_fr.qm")], check=True, timeout=60)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2",
           "PYTHONPATH": str(ROOT), "PUPITRE_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "tests.ui.scaled_console_probe", str(tmp_path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["dpr"] == 2
    assert measured["on_air"] == "À L’ANTENNE"  # French is in use
    width, height = measured["minimum"]
    assert width <= 1280 and height <= 720 - 32 - 48, measured
    assert measured["clipped"] == []
