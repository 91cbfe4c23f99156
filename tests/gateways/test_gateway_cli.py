"""``pupitre gateway add|list|remove|check``: the token goes to the keyring, never to settings."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import respx

from desktop.cli import main
from tests.support.memory_keyring import MemoryKeyring

TOKEN = "cli-Token-4242"
ADD = [
    "gateway", "add", "gw1",
    "--kind", "sipmediagw-legacy",
    "--url", "https://gw1.example.org:8080",
    "--rtmp-url", "rtmp://live.example.org/live/gw1",
    "--hls-url", "https://live.example.org/hls/gw1.m3u8",
]


def settings_text(home: Path) -> str:
    return (home / "config" / "settings.json").read_text(encoding="utf-8")


def test_add_stores_the_token_in_the_keyring_only(
    pupitre_home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\n"))
    assert main([*ADD, "--token-stdin"]) == 0
    out = capsys.readouterr().out
    assert "gateway:gw1" in out and "keyring" in out
    assert TOKEN not in out
    assert memory_keyring.data[("pupitre", "gateway:gw1")] == TOKEN
    saved = json.loads(settings_text(pupitre_home))
    assert saved["gateways"][0]["name"] == "gw1"
    assert saved["gateways"][0]["join_mode"] == "bbb-join"
    assert TOKEN not in settings_text(pupitre_home)


def test_list_json_and_remove(
    pupitre_home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\n"))
    assert main([*ADD, "--token-stdin"]) == 0
    assert main([
        "gateway", "add", "gw2", "--kind", "sipmediagw", "--url", "https://proxy.example.org",
        "--rtmp-url", "rtmp://live.example.org/live/gw2", "--hls-url", "https://live.example.org/hls/gw2.m3u8",
        "--join-page-url", "https://gl.univ.fr/rooms/abc-def-ghi", "--browsing", "greenlight",
    ]) == 0
    out = capsys.readouterr().out
    assert "https://gl.univ.fr/rooms/abc-def-ghi (room abc-def-ghi)" in out
    assert "No token is stored" in out
    assert main(["gateway", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["kind"], r["token_stored"]) for r in rows] == [
        ("gw1", "sipmediagw-legacy", True),
        ("gw2", "sipmediagw", False),
    ]
    assert rows[1]["join_mode"] == "join-page" and rows[1]["browsing"] == "greenlight"
    assert TOKEN not in json.dumps(rows)
    assert main(["gateway", "remove", "gw1"]) == 0
    assert ("pupitre", "gateway:gw1") not in memory_keyring.data
    assert "gw1" not in settings_text(pupitre_home)
    assert main(["gateway", "remove", "gw1"]) == 1  # no such gateway: explained failure


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--join-mode", "join-page"], "join page"),
        (["--join-mode", "join-page", "--join-page-url", "https://gl.univ.fr/rooms/ABC"], "room"),
    ],
)
def test_add_refuses_unusable_settings(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*ADD, *extra]) == 1
    assert message in capsys.readouterr().err


def test_add_refuses_signed_join_for_v18(capsys: pytest.CaptureFixture[str]) -> None:
    args = [a if a != "sipmediagw-legacy" else "sipmediagw" for a in ADD]
    assert main([*args, "--join-mode", "bbb-join"]) == 1
    assert "signed BBB join" in capsys.readouterr().err


def test_check_reports_a_refused_token(
    pupitre_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\n"))
    assert main([*ADD, "--token-stdin"]) == 0
    capsys.readouterr()
    with respx.mock() as mock:
        route = mock.get("https://gw1.example.org:8080/progress").mock(
            return_value=httpx.Response(401, json={"Error": "authorization error"})
        )
        assert main(["gateway", "check", "--json"]) == 1
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    [row] = json.loads(capsys.readouterr().out)
    assert row["token_accepted"] is False and row["ok"] is False
    assert "refused the token" in row["detail"]
    assert TOKEN not in (pupitre_home / "logs" / "pupitre.log").read_text(encoding="utf-8")


def test_subprocess_add_keeps_token_out_of_argv_and_settings(
    cli_env: dict[str, str], pupitre_home: Path, tmp_path: Path
) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", *ADD, "--token-stdin"],
        input=TOKEN + "\n", env=cli_env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr
    assert TOKEN in (tmp_path / "keyring.json").read_text()
    assert TOKEN not in settings_text(pupitre_home)
    listing = subprocess.run(
        [sys.executable, "-m", "desktop", "gateway", "list"],
        env=cli_env, capture_output=True, text=True, timeout=60,
    )
    assert listing.returncode == 0
    assert "gw1  sipmediagw-legacy" in listing.stdout and "token stored" in listing.stdout
