"""The app's start path imports no lab, no benchmark, no aiohttp and no PyAV (issue 13).

The lab (emulators, aiohttp servers, the FFmpeg encoder) is loaded only when it is asked for
(``pupitre --lab``, ``pupitre lab``, *Try it with the lab*); a presenter's tray app does not carry it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

def test_importing_the_app_loads_no_lab_code() -> None:
    probe = ("import json, sys; import desktop.cli, desktop.ui.app; "
             f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {('aiohttp', 'av')!r} "
             f"or m.startswith({('desktop.lab', 'desktop.bench')!r}))))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert json.loads(done.stdout) == []

