"""Pupitre's secrets against a real Secret Service: gnome-keyring in a private D-Bus session.

Every other test uses the in-memory backend; these run the same :class:`SecretStore` against the
keyring a Linux desktop really has (``keyring.backends.SecretService`` over D-Bus to
gnome-keyring-daemon), in a throw-away session (``dbus-run-session``, a temporary HOME, the
keyring unlocked with a throw-away password), each action in its own process.  The project's
set-up script installs ``gnome-keyring`` and ``dbus`` (packaging/dev.sh); without them the tests
are skipped with that reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEEDED = ("dbus-run-session", "gnome-keyring-daemon")
pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in NEEDED),
    reason="needs dbus-run-session and gnome-keyring-daemon (bash packaging/dev.sh setup installs them)")

SECRET = "s3cr3t-ÉTÉ-🎉-" + "x" * 40


def in_keyring_session(tmp_path: Path, *actions: list[str]) -> tuple[list[dict[str, object]], str]:
    """Run each action as its own process inside one D-Bus session with an unlocked keyring."""
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    home.mkdir(exist_ok=True)
    runtime.mkdir(mode=0o700, exist_ok=True)
    python = sys.executable
    steps = " && ".join(
        f"{python} -m tests.system_keyring.keyring_session " + " ".join(_quote(a) for a in action) for action in actions)
    script = ("printf %s throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && " + steps)
    # no display: gnome-keyring would otherwise wait for its unlock prompt to be answered on it
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DBUS_", "PYTHON_KEYRING")) and k not in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY")}
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), XDG_DATA_HOME=str(home / "data"),
               PYTHONPATH=str(ROOT))
    done = subprocess.run(["dbus-run-session", "--", "sh", "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and len(lines) == len(actions), (done.returncode, done.stdout, done.stderr)
    return lines, done.stderr


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def test_store_and_read_back_in_the_system_keyring(tmp_path: Path) -> None:
    (stored, read), _ = in_keyring_session(tmp_path, ["set", "bbb:campus", SECRET], ["get", "bbb:campus"])
    assert stored["persistent"] is True and stored["system"] is True
    assert read["value"] == SECRET  # read by a second process: it really is in the keyring


def test_replace_remove_and_missing_items(tmp_path: Path) -> None:
    results, _ = in_keyring_session(
        tmp_path,
        ["get", "gateway:gw1"],
        ["set", "gateway:gw1", "first"], ["set", "gateway:gw1", "second"], ["get", "gateway:gw1"],
        ["delete", "gateway:gw1"], ["get", "gateway:gw1"], ["delete", "gateway:gw1"])
    assert [r.get("value") for r in results if r["action"] == "get"] == [None, "second", None]


def test_a_locked_collection_keeps_the_secret_in_memory_and_says_so(tmp_path: Path) -> None:
    (_, _, stored), stderr = in_keyring_session(
        tmp_path, ["set", "bbb:campus", SECRET], ["lock"], ["set", "bbb:other", "fresh"])
    # no prompt can unlock it here: the secret stays in this session's memory, never on disk
    assert stored["persistent"] is False
    assert "keeping it in memory" in stderr and SECRET not in stderr and "fresh" not in stderr


def test_the_app_names_the_system_keyring_it_uses(tmp_path: Path) -> None:
    (described,), _ = in_keyring_session(tmp_path, ["describe"])
    assert described["system"] is True and described["persistent"] is True
    assert described["sentence"] == f"Secrets are stored in your system keyring ({described['name']})."
