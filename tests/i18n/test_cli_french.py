"""The command line follows the system's language (``LANG=fr_FR.UTF-8 pupitre check``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NBSP = "\u00a0"


def _run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *argv], env=env, capture_output=True,
                          text=True, timeout=60)


def test_check_speaks_the_system_language(cli_env: dict[str, str], core_locale_dir: Path) -> None:
    env = {k: v for k, v in cli_env.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "fr_FR.UTF-8"
    env["PUPITRE_LOCALE_DIR"] = str(core_locale_dir)
    proc = _run(env, "check")
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"pupitre: Aucun serveur BBB n’est configuré. Ajoutez-en un avec "
                                   f"«{NBSP}pupitre profile add{NBSP}».")

    env["LANG"] = "C.UTF-8"
    proc = _run(env, "check")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "pupitre: No BBB server is configured. Add one with “pupitre profile add”."


def test_the_webinar_commands_own_lines_speak_it_too(cli_env: dict[str, str], core_locale_dir: Path) -> None:
    env = {k: v for k, v in cli_env.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "fr_FR.UTF-8"
    env["PUPITRE_LOCALE_DIR"] = str(core_locale_dir)
    proc = _run(env, "webinar", "recover")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"Rien à reprendre{NBSP}: aucun direct inachevé."
    env["LANG"] = "C.UTF-8"
    assert _run(env, "webinar", "recover").stdout.strip() == "Nothing to recover: no unfinished live."
