"""``pupitre schedule`` in-process through ``desktop.cli.main``, plus the parsers it relies on."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.config.paths import AppPaths
from desktop.config.settings import GatewayConfig, Settings
from desktop.schedule.errors import ValidationError
from desktop.schedule.localtime import system_timezone
from desktop.schedule.parsing import parse_datetime_text, parse_duration, parse_weekdays

WEBINAR_KEYS = {
    "id", "uid", "title", "meeting_id", "room", "start", "end", "duration_minutes", "timezone",
    "recurrence", "options", "created_at", "updated_at", "occurrences",
}  # fmt: skip
OCCURRENCE_KEYS = {"index", "start", "end", "overridden", "cancelled", "title"}
RECURRENCE_KEYS = {"freq", "interval", "weekdays", "monthly_type", "until", "count"}
OPTION_KEYS = {
    "chat_enabled", "chat_in_stream", "record", "welcome", "moderator_only_message",
    "max_participants", "guest_policy", "preferred_gateway", "profile",
}  # fmt: skip


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def add_weekly(capsys: pytest.CaptureFixture[str], *extra: str) -> Any:
    return run_json(
        capsys, "schedule", "add", "--title", "Amphi L1", "--start", "2026-12-01T10:00",
        "--timezone", "Europe/Paris", "--duration", "1h30", "--repeat", "weekly", "--count", "4", "--json", *extra,
    )  # fmt: skip


def listing(capsys: pytest.CaptureFixture[str], *extra: str) -> Any:
    return run_json(capsys, "schedule", "list", "--json", "--from", "2026-11-30T00:00+01:00", "--days", "60", *extra)


def test_add_prints_the_stable_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    data = add_weekly(capsys, "--no-chat", "--hide-chat-in-stream", "--record", "--welcome", "Bienvenue",
                      "--moderator-message", "Audience: https://live.example/amphi", "--max-participants", "20")  # fmt: skip
    assert set(data) == WEBINAR_KEYS
    assert set(data["recurrence"]) == RECURRENCE_KEYS and set(data["options"]) == OPTION_KEYS
    assert (data["id"], data["meeting_id"], data["title"]) == (1, "0001-amphi-l1", "Amphi L1")
    assert (data["start"], data["end"], data["duration_minutes"]) == (
        "2026-12-01T10:00:00+01:00", "2026-12-01T11:30:00+01:00", 90,
    )  # fmt: skip
    assert data["recurrence"] == {"freq": "weekly", "interval": 1, "weekdays": [], "monthly_type": "date_day",
                                  "until": None, "count": 4}  # fmt: skip
    assert data["options"] == {
        "chat_enabled": False, "chat_in_stream": False, "record": True, "welcome": "Bienvenue",
        "moderator_only_message": "Audience: https://live.example/amphi", "max_participants": 20,
        "guest_policy": "ALWAYS_ACCEPT", "preferred_gateway": None, "profile": None,
    }  # fmt: skip
    assert len(data["room"]) == 10


def test_start_with_an_offset_is_that_moment_shown_in_the_zone(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "schedule", "add", "--title", "Offset", "--start", "2026-12-01T10:00+01:00",
                    "--timezone", "America/Montreal", "--duration", "45m", "--json")  # fmt: skip
    assert (data["start"], data["duration_minutes"]) == ("2026-12-01T04:00:00-05:00", 45)


def test_local_start_without_timezone_uses_the_system_zone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    data = run_json(capsys, "schedule", "add", "--title", "Tokyo", "--start", "2026-12-01T10:00", "--json")
    assert (data["timezone"], data["start"], data["duration_minutes"]) == (
        "Asia/Tokyo", "2026-12-01T10:00:00+09:00", 120,
    )  # fmt: skip


def test_list_json_shows_occurrences_in_the_window(capsys: pytest.CaptureFixture[str]) -> None:
    add_weekly(capsys)
    run_json(capsys, "schedule", "add", "--title", "Monthly", "--start", "2027-01-20T18:00",
             "--timezone", "Europe/Paris", "--repeat", "monthly", "--monthly-by", "date", "--json")  # fmt: skip
    data = listing(capsys)
    assert [w["id"] for w in data] == [1, 2]
    weekly, monthly = data
    assert set(weekly["occurrences"][0]) == OCCURRENCE_KEYS
    assert [(o["index"], o["start"]) for o in weekly["occurrences"]] == [
        (0, "2026-12-01T10:00:00+01:00"), (1, "2026-12-08T10:00:00+01:00"),
        (2, "2026-12-15T10:00:00+01:00"), (3, "2026-12-22T10:00:00+01:00"),
    ]  # fmt: skip
    assert [o["start"] for o in monthly["occurrences"]] == ["2027-01-20T18:00:00+01:00"]  # the 60 days end on 29 January
    assert [o["index"] for o in listing(capsys, "--days", "7")[0]["occurrences"]] == [0]


def test_list_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "list"]) == 0
    assert "No webinar is scheduled" in capsys.readouterr().out
    add_weekly(capsys)
    assert main(["schedule", "list", "--from", "2026-11-30T00:00+01:00"]) == 0
    out = capsys.readouterr().out
    assert "1. Amphi L1" in out and "0001-amphi-l1" in out
    assert "#0  Tue 2026-12-01 10:00–11:30 CET" in out and "every week on Tuesday, 4 times" in out


def test_edit_one_occurrence_then_the_series(capsys: pytest.CaptureFixture[str]) -> None:
    add_weekly(capsys)
    moved = run_json(capsys, "schedule", "edit", "1", "--occurrence", "1", "--start", "2026-12-09T14:00",
                     "--title", "Moved", "--json")  # fmt: skip
    assert moved == {"index": 1, "start": "2026-12-09T14:00:00+01:00", "end": "2026-12-09T15:30:00+01:00",
                     "overridden": True, "cancelled": False, "title": "Moved"}  # fmt: skip
    assert main(["schedule", "edit", "1", "--occurrence", "3", "--cancel"]) == 0
    occurrences = listing(capsys)[0]["occurrences"]
    assert [(o["index"], o["overridden"], o["cancelled"]) for o in occurrences] == [
        (0, False, False), (1, True, False), (2, False, False), (3, True, True),
    ]  # fmt: skip
    # series edit: new title, fewer occurrences; the meeting ID stays, the cancelled one is dropped
    edited = run_json(capsys, "schedule", "edit", "1", "--title", "Renamed", "--count", "3", "--json")
    assert (edited["title"], edited["meeting_id"], edited["dropped_overrides"]) == ("Renamed", "0001-amphi-l1", [3])
    after = listing(capsys)[0]
    assert [(o["index"], o["title"]) for o in after["occurrences"]] == [(0, "Renamed"), (1, "Moved"), (2, "Renamed")]
    restored = run_json(capsys, "schedule", "edit", "1", "--occurrence", "1", "--restore", "--json")
    assert (restored["start"], restored["overridden"]) == ("2026-12-08T10:00:00+01:00", False)


def test_edit_series_options_and_clearing(capsys: pytest.CaptureFixture[str]) -> None:
    add_weekly(capsys, "--max-participants", "20")
    edited = run_json(capsys, "schedule", "edit", "1", "--count", "none", "--until", "2027-01-31",
                      "--weekdays", "tue,thu", "--chat", "--show-chat-in-stream", "--max-participants", "none",
                      "--duration", "1:00", "--json")  # fmt: skip
    assert edited["recurrence"]["count"] is None and edited["recurrence"]["until"] == "2027-01-31"
    assert edited["recurrence"]["weekdays"] == [1, 3] and edited["duration_minutes"] == 60
    assert edited["options"]["max_participants"] is None and edited["options"]["chat_in_stream"] is True
    single = run_json(capsys, "schedule", "edit", "1", "--repeat", "none", "--json")
    assert single["recurrence"] is None
    moved_zone = run_json(capsys, "schedule", "edit", "1", "--timezone", "America/Montreal", "--json")
    assert moved_zone["start"] == "2026-12-01T10:00:00-05:00"  # the wall-clock time is kept


def test_remove(capsys: pytest.CaptureFixture[str]) -> None:
    add_weekly(capsys)
    assert main(["schedule", "remove", "1"]) == 0
    assert "Removed webinar 1: Amphi L1" in capsys.readouterr().out
    assert listing(capsys) == []
    assert main(["schedule", "remove", "1"]) == 1
    assert "There is no webinar number 1." in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--duration", "an hour", "is not a duration"),
        ("--duration", "0", "at least one minute"),
        ("--duration", "1h75", "below 60"),
        ("--start", "tomorrow", "is not a date and time"),
        ("--start", "2026-12-01", "is not a date and time"),
        ("--weekdays", "mon,funday", "not a day of the week"),
        ("--until", "31/12/2026", "is not a date"),
        ("--repeat", "hourly", "invalid choice"),
    ],
)
def test_unreadable_values_are_usage_errors(
    capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    argv = ["schedule", "add", "--title", "Amphi L1", "--start", "2026-12-01T10:00", "--repeat", "weekly"]
    argv = [*argv, option, value] if option not in argv else [*argv[: argv.index(option) + 1], value, *argv[argv.index(option) + 2 :]]
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert option in err and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--title", "x"], "--title"),
        (["--timezone", "Mars/Olympus"], "--timezone"),
        (["--duration", "25h"], "--duration"),
        (["--repeat", "weekly", "--weekdays", "mon"], "--weekdays"),  # 1 Dec 2026 is a Tuesday
        (["--repeat", "daily", "--interval", "0"], "--interval"),
        (["--count", "3"], "--repeat"),
        (["--repeat", "daily", "--until", "2026-11-01"], "--until"),
        (["--repeat", "weekly", "--monthly-by", "weekday"], "--monthly-by"),
        (["--max-participants", "2"], "--max-participants"),
        (["--gateway", "nowhere"], "--gateway"),
        (["--profile", "nowhere"], "--profile"),
    ],
)
def test_unacceptable_values_exit_2_naming_the_option(
    capsys: pytest.CaptureFixture[str], argv: list[str], option: str
) -> None:
    base = {"--title": "Amphi L1", "--start": "2026-12-01T10:00", "--timezone": "Europe/Paris"}
    for name in argv[::2]:
        base.pop(name, None)
    flat = [word for pair in base.items() for word in pair]
    assert main(["schedule", "add", *flat, *argv]) == 2
    err = capsys.readouterr().err
    assert f"error: {option}: " in err and "Traceback" not in err
    assert main(["schedule", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_occurrence_edits_refuse_series_options(capsys: pytest.CaptureFixture[str]) -> None:
    add_weekly(capsys)
    assert main(["schedule", "edit", "1", "--occurrence", "1", "--record"]) == 2
    assert "--record changes the whole series" in capsys.readouterr().err
    assert main(["schedule", "edit", "1", "--occurrence", "9", "--cancel"]) == 2
    assert "no occurrence number 9" in capsys.readouterr().err
    assert main(["schedule", "edit", "1", "--cancel"]) == 2
    assert main(["schedule", "edit", "1", "--occurrence", "1"]) == 2
    assert main(["schedule", "edit", "7", "--title", "Nobody"]) == 1


def test_known_gateway_and_profile_names_are_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    paths = AppPaths.from_environment().ensure()
    settings = Settings.load(paths.settings_file)
    settings.put_gateway(GatewayConfig(name="campus", kind="sipmediagw-legacy", url="https://gw.example",
                                       rtmp_url="rtmp://live.example/live/a", hls_url="https://live.example/a.m3u8"))  # fmt: skip
    settings.save(paths.settings_file)
    data = add_weekly(capsys, "--gateway", "campus")
    assert data["options"]["preferred_gateway"] == "campus"
    cleared = run_json(capsys, "schedule", "edit", "1", "--gateway", "none", "--json")
    assert cleared["options"]["preferred_gateway"] is None


def test_the_store_file_is_the_app_database(capsys: pytest.CaptureFixture[str], pupitre_home: Path) -> None:
    add_weekly(capsys)
    assert AppPaths.from_environment().database_file.is_file()
    assert str(AppPaths.from_environment().database_file).startswith(str(pupitre_home))


# -- parsers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90", 90), ("1h30", 90), ("1h", 60), ("45m", 45), ("1:30", 90), (" 2H 15m ", 135), ("1h05", 65), ("30 min", 30)],
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "abc", "1.5h", "-30", "1h60", "1:75", "h30", "0", "0:00", "1d"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_duration(text)
    assert raised.value.field == "duration"


def test_parse_weekdays_and_datetimes() -> None:
    assert parse_weekdays("mon,wed") == {0, 2}
    assert parse_weekdays("Tuesday thursday, 6") == {1, 3, 6}
    assert parse_datetime_text("2026-12-01T10:00").tzinfo is None
    assert parse_datetime_text("2026-12-01T10:00Z").utcoffset() == timedelta(0)
    assert parse_datetime_text("2026-12-01 10:00+01:00").utcoffset() == timedelta(hours=1)
    with pytest.raises(ValidationError):
        parse_weekdays(" , ")


def test_system_timezone_sources(tmp_path: Path) -> None:
    etc = tmp_path / "etc"
    etc.mkdir()
    assert system_timezone(environ={"TZ": ":Europe/Paris"}, etc=etc) == "Europe/Paris"
    assert system_timezone(environ={"TZ": "/usr/share/zoneinfo/America/Montreal"}, etc=etc) == "America/Montreal"
    (etc / "timezone").write_text("Asia/Tokyo\n", encoding="utf-8")
    assert system_timezone(environ={"TZ": "CET-1CEST,M3.5.0,M10.5.0/3"}, etc=etc) == "Asia/Tokyo"
    (etc / "timezone").unlink()
    os.symlink("../usr/share/zoneinfo/Australia/Sydney", etc / "localtime")
    assert system_timezone(environ={}, etc=etc) == "Australia/Sydney"
    fallback = system_timezone(environ={}, etc=tmp_path / "missing")
    from zoneinfo import ZoneInfo

    assert ZoneInfo(fallback) is not None  # time.tzname or UTC, always a loadable zone
