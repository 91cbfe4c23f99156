"""One terminal-safe printer: bidi overrides and control characters in titles and meeting names
print as visible escapes in ``schedule list``, ``webinar status`` and ``meetings``, as in the chat."""

from __future__ import annotations

import pytest

from desktop.bbb.models import Meeting
from desktop.cli import main
from desktop.cli.commands.meetings import format_table
from desktop.cli.commands.webinar import _print_snapshot_json
from desktop.cli.terminal import echo, json_line, terminal_safe

HOSTILE = "Amphi \u202eevil.exe\u202c \x1b[2J\x07\x85 end"
RAW = ("\u202e", "\u202c", "\x1b", "\x07", "\x85")


def assert_safe(out: str) -> None:
    for char in RAW:
        assert char not in out, repr(char)
    assert "\\u202eevil.exe\\u202c" in out and "\\e[2J" in out and "\\x07" in out and "\\x85" in out


def test_the_printer_escapes_bidi_and_controls(capsys: pytest.CaptureFixture[str]) -> None:
    assert terminal_safe("a\u202eb\x1b[31mc\nd\u2066") == "a\\u202eb\\e[31mc\\nd\\u2066"
    assert terminal_safe("Réunion — été 🎓") == "Réunion — été 🎓"
    echo("title:", HOSTILE)
    out = capsys.readouterr().out
    assert out.startswith("title: Amphi ") and out.endswith(" end\n")
    assert_safe(out)
    assert "\u202e" not in json_line({"title": HOSTILE})


def test_schedule_list_and_add_escape_the_title(capsys: pytest.CaptureFixture[str]) -> None:
    # the schedule refuses control characters in a title, not the bidi ones
    title = "Amphi \u202eevil.exe\u202c \u2066end\u2069"
    add = ["schedule", "add", "--title", title, "--start", "2026-12-01T10:00", "--timezone", "Europe/Paris",
           "--duration", "1h"]
    assert main([*add, "--gateway", "gw\u202e1"]) == 2  # no such gateway: the error escapes the name
    err = capsys.readouterr().err
    assert "gw\\u202e1" in err and "\u202e" not in err
    assert main(add) == 0
    assert "Amphi \\u202eevil.exe\\u202c \\u2066end\\u2069" in capsys.readouterr().out
    assert main(["schedule", "list", "--from", "2026-11-30T00:00+01:00"]) == 0
    out = capsys.readouterr().out
    assert "1. Amphi \\u202eevil.exe\\u202c \\u2066end\\u2069" in out
    assert not any(char in out for char in "\u202e\u202c\u2066\u2069")


def test_meetings_table_escapes_names_and_ids() -> None:
    meeting = Meeting(meeting_name=HOSTILE, meeting_id="id\u202e42", internal_meeting_id="x", create_time=0)
    table = format_table([meeting])
    for char in RAW:
        assert char not in table
    assert "\\u202eevil.exe" in table and "id\\u202e42" in table
    assert len(table.splitlines()) == 2


def test_webinar_status_escapes_title_and_notice(capsys: pytest.CaptureFixture[str]) -> None:
    _print_snapshot_json({"title": HOSTILE, "state": "live", "notice": "gateway says \u202ekcab\x1b[2J"}, False)
    out = capsys.readouterr().out
    assert_safe(out)
    assert "\\u202ekcab" in out and out.count("\n") == 1
