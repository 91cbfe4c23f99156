"""The start-up benchmark's budget cells (issue 13): each cold start ≤ the bare window's + 0.5 s,
idle RSS ≤ the bare window's + 45 MiB, idle CPU ≤ 1 % of a core; and the configured home it starts."""

from __future__ import annotations

from pathlib import Path

from desktop.bench.startup import idle_rows, start_rows, write_configured_home
from desktop.config.paths import AppPaths
from desktop.config.settings import Settings


def test_cold_starts_are_judged_against_the_bare_window_of_the_same_rounds() -> None:
    rows = start_rows({"welcome": [0.9, 0.8, 1.6], "profile": [1.0, 1.2, 0.95], "bare": [0.4, 0.35, 0.5]}, 3)
    assert [(r.value, r.reference) for r in rows] == [(0.9, 0.4), (1.0, 0.4)]  # medians
    assert [r.met for r in rows] == [True, False]  # 0.9 ≤ 0.4 + 0.5; 1.0 > 0.9
    assert all(r.budget == "≤ bare + 0.5 s" and r.note == "median of 3" for r in rows)
    assert start_rows({"welcome": [1.0], "profile": [1.0], "bare": [0.5]}, 1)[0].note == ""  # one run: no median


def test_idle_budgets() -> None:
    cpu, rss = idle_rows({"profile": 0.4, "bare": 0.0}, {"profile": 100.0, "bare": 58.0}, 60.0)
    assert (cpu.met, rss.met) == (True, True)
    cpu, rss = idle_rows({"profile": 1.5, "bare": 0.0}, {"profile": 104.0, "bare": 58.0}, 60.0)
    assert (cpu.met, rss.met) == (False, False)
    assert rss.budget == "≤ bare + 45 MiB" and cpu.budget == "≤ 1 % of a core"
    _cpu, rss = idle_rows({"profile": 0.0, "bare": 0.0}, {"profile": None, "bare": 58.0}, 60.0)
    assert rss.met is None  # not measured: no verdict


def test_the_configured_home_has_a_server_and_a_gateway(tmp_path: Path) -> None:
    write_configured_home(tmp_path / "home")
    home = tmp_path / "home"
    settings = Settings.load(AppPaths(home / "config", home / "data", home / "logs", home / "cache").settings_file)
    assert settings.is_configured and [g.name for g in settings.gateways] == ["gw1"]
    assert settings.profile().url.startswith("https://127.0.0.1:9/")  # a closed port: nothing answers


async def test_the_configured_server_stand_in_answers_no_meetings(tmp_path: Path) -> None:
    from desktop.bbb.client import BBBClient
    from desktop.bench.startup import BBB_SECRET, EmptyBBB

    async with EmptyBBB() as bbb:
        write_configured_home(tmp_path / "home", bbb.url)
        home = tmp_path / "home"
        settings = Settings.load(AppPaths(home / "config", home / "data", home / "logs", home / "cache").settings_file)
        async with BBBClient.from_profile(settings.profile(), BBB_SECRET) as client:
            assert await client.get_meetings() == []  # "noMeetings" is a success
        assert bbb.requests == 1
