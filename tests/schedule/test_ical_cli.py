"""``pupitre schedule export`` and ``pupitre schedule import`` as a user runs them: a round trip
through a file and standard input, and every failure one sentence on stderr with nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

FIXTURES = Path(__file__).parent / "fixtures"


def _run(env: dict[str, str], *argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "desktop", *argv], env=env, input=stdin, capture_output=True,
                          timeout=60)


def test_import_then_export_round_trip(cli_env: dict[str, str], tmp_path: Path) -> None:
    proc = _run(cli_env, "schedule", "import", str(FIXTURES / "outlook_weekly_series.ics"), "--json")
    assert proc.returncode == 0, proc.stderr
    (imported,) = json.loads(proc.stdout)
    assert imported["title"] == "Séminaire doctoral" and imported["timezone"] == "Europe/Paris"
    # the same invitation again: recognised, nothing added
    proc = _run(cli_env, "schedule", "import", "-", stdin=(FIXTURES / "outlook_weekly_series.ics").read_bytes())
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == "pupitre: “Séminaire doctoral” is already in the schedule (this " \
                                           "invitation was imported before)."
    target = tmp_path / "out.ics"
    proc = _run(cli_env, "schedule", "export", "-o", str(target))
    assert proc.returncode == 0 and proc.stdout.decode().strip() == f"1 webinar written to {target}."
    event = next(e for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT") if "RRULE" in e)
    assert event["UID"] == imported["uid"]
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20260602T215959Z;BYDAY=TU;WKST=MO"
    assert len(Calendar.from_ical(target.read_bytes()).walk("VEVENT")) == 2  # the moved session


def test_failures_are_one_sentence_and_write_nothing(cli_env: dict[str, str], tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.ics"
    garbage.write_bytes(b"\x00\x1b[2J not a calendar")
    for argv, sentence in (
        (["schedule", "import", str(garbage)], "This file is not an iCalendar file (.ics) that Pupitre can read."),
        (["schedule", "import", str(tmp_path / "missing.ics")], "Cannot read the calendar file"),
        (["schedule", "export", "7"], "There is no webinar number 7."),
        (["schedule", "export", "-o", str(tmp_path / "no" / "such" / "dir.ics")], "Cannot write the calendar file"),
    ):
        proc = _run(cli_env, *argv)
        err = proc.stderr.decode()
        assert proc.returncode == 1, (argv, err)
        assert err.startswith("pupitre: ") and sentence in err and "Traceback" not in err, (argv, err)
    proc = _run(cli_env, "schedule", "list", "--json")
    assert json.loads(proc.stdout) == []
