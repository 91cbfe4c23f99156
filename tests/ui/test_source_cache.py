"""PySide6 keeps no module source once the UI is imported (issue 13: idle RSS).

Each check runs in a fresh interpreter: what PySide6's import hook caches depends on what was
imported before.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

IMPORT_TWO_MODULES = """
import json, linecache, sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "ui":
    import desktop.ui
else:
    import PySide6
import uses_qt, plain
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({
    "cached": sorted(name for name in ("uses_qt", "plain")
                     if sys.modules[name].__file__ in linecache.cache),
    "feature": {name: feature.pyside_feature_dict.get(name) for name in ("uses_qt", "plain")},
    "line": linecache.getline(sys.modules["plain"].__file__, 1).strip(),
    "enum_cached": sys.modules["enum"].__file__ in linecache.cache,
}))
"""


def _import_two_modules(tmp_path: Path, first: str) -> dict[str, object]:
    (tmp_path / "uses_qt.py").write_text("import PySide6.QtCore\nVALUE = 1\n", encoding="utf-8")
    (tmp_path / "plain.py").write_text("VALUE = 2\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", IMPORT_TWO_MODULES, str(tmp_path), first],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_pyside_alone_keeps_the_source_of_each_imported_module(tmp_path: Path) -> None:
    # the cost being removed: without the UI's wrapper, both sources stay in linecache
    found = _import_two_modules(tmp_path, "pyside")
    assert found["cached"] == ["plain", "uses_qt"]
    assert found["enum_cached"]  # imported by PySide6 itself, after its hook


def test_the_ui_keeps_no_source_and_the_feature_switches_still_know_qt_modules(tmp_path: Path) -> None:
    found = _import_two_modules(tmp_path, "ui")
    assert found["cached"] == []
    assert not found["enum_cached"]  # kept before the wrapper: dropped once
    # PySide6's answer is unchanged: 0 = a module using PySide (its features switchable), -1 = ignored
    assert found["feature"] == {"uses_qt": 0, "plain": -1}
    # and a source line is still there when asked for (a traceback)
    assert found["line"] == "VALUE = 2"


def test_wrapping_twice_wraps_once() -> None:
    import shibokensupport.feature as feature

    from desktop.ui.source_cache import stop_pyside_keeping_sources

    assert stop_pyside_keeping_sources()
    check = feature._mod_uses_pyside
    assert stop_pyside_keeping_sources()
    assert feature._mod_uses_pyside is check
