"""The CLI's framing text (argparse's help, usage lines, headings) follows the system language.

Under ``LANG=fr_FR.UTF-8`` every command's and sub-command's help reads in French, argparse's own
words included ("usage:", "options:", "positional arguments"...), while option names and the
``--json`` field names do not change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.catalogues import ROOT

# Dumps every parser's help and every action's help text, as the CLI builds them.
WALK = r"""
import argparse, json, sys
from desktop.cli import build_parser
out = {"helps": {}, "texts": []}
def walk(name, parser):
    out["helps"][name] = parser.format_help()
    if parser.description:
        out["texts"].append(parser.description)
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            out["texts"].append(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                out["texts"].append(choice.help)
            for sub, child in action.choices.items():
                walk(name + " " + sub, child)
walk("pupitre", build_parser())
json.dump(out, sys.stdout)
"""

# the same in both languages on purpose
SAME_IN_FRENCH: set[str] = set()


def _env(cli_env: dict[str, str], core_locale_dir: Path, lang: str) -> dict[str, str]:
    env = {k: v for k, v in cli_env.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    env["PUPITRE_LOCALE_DIR"] = str(core_locale_dir)
    return env


def _walk(env: dict[str, str]) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", WALK], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_every_help_reads_in_french(cli_env: dict[str, str], core_locale_dir: Path) -> None:
    english = _walk(_env(cli_env, core_locale_dir, "C.UTF-8"))
    french = _walk(_env(cli_env, core_locale_dir, "fr_FR.UTF-8"))
    assert english["helps"].keys() == french["helps"].keys()  # type: ignore[union-attr]
    assert len(french["helps"]) > 30  # type: ignore[arg-type]
    for name, text in french["helps"].items():  # type: ignore[union-attr]
        assert text.startswith("utilisation\u00a0: "), name
        for word in ("usage:", "options:", "positional arguments", "show this help message", " TITLE",
                     "COMMAND ...", "default:"):
            assert word not in text, (name, word)
    untranslated = [e for e, f in zip(english["texts"], french["texts"], strict=True)  # type: ignore[call-overload]
                    if e == f and e not in SAME_IN_FRENCH]
    assert untranslated == []
    # option names are not translated
    assert "--title" in french["helps"]["pupitre schedule add"]  # type: ignore[index]
    assert "--json" in french["helps"]["pupitre schedule list"]  # type: ignore[index]


def test_usage_errors_read_in_french(cli_env: dict[str, str], core_locale_dir: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "desktop", "schedule", "add"], capture_output=True, text=True,
                          env=_env(cli_env, core_locale_dir, "fr_FR.UTF-8"), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("utilisation\u00a0: pupitre schedule add")
    assert "pupitre schedule add\u00a0: erreur\u00a0: les arguments suivants sont obligatoires\u00a0: --title, --start" \
        in proc.stderr


def test_json_field_names_do_not_follow_the_language(cli_env: dict[str, str], core_locale_dir: Path) -> None:
    fixture = ROOT / "tests" / "schedule" / "fixtures" / "thunderbird_monthly_nth.ics"
    french = _env(cli_env, core_locale_dir, "fr_FR.UTF-8")
    proc = subprocess.run([sys.executable, "-m", "desktop", "schedule", "import", str(fixture), "--json"],
                          capture_output=True, text=True, env=french, timeout=60, check=True)
    (imported,) = json.loads(proc.stdout)
    english = _env(cli_env, core_locale_dir, "C.UTF-8")
    proc = subprocess.run([sys.executable, "-m", "desktop", "schedule", "list", "--json", "--from",
                           "2026-01-01T00:00", "--days", "400"],
                          capture_output=True, text=True, env=english, timeout=60, check=True)
    (listed,) = json.loads(proc.stdout)
    assert set(imported) == set(listed) and "title" in imported and "occurrences" in imported
