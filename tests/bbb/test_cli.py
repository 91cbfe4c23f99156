"""CLI: profile add/list/remove (secret in the keyring only), bbb url, meetings, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from desktop.bbb.checksum import checksum, split_checksum
from desktop.cli import main
from tests.bbb.fake_bbb import SECRET, FakeBBB
from tests.support.memory_keyring import MemoryKeyring

FIXTURES = Path(__file__).parent / "fixtures"


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


def add_profile(monkeypatch: pytest.MonkeyPatch, name: str = "campus", *extra: str) -> int:
    return run(["profile", "add", name, "--url", "https://bbb.test/bigbluebutton/", "--secret-stdin", *extra],
               monkeypatch, SECRET + "\n")


def test_profile_add_keeps_the_secret_in_the_keyring_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring, pupitre_home: Path
) -> None:
    assert add_profile(monkeypatch) == 0
    out = capsys.readouterr().out
    assert "campus" in out and "keyring" in out.lower()  # says where the secret went
    assert SECRET not in out
    settings_text = (pupitre_home / "config" / "settings.json").read_text()
    assert SECRET not in settings_text
    settings = json.loads(settings_text)
    assert settings["profiles"][0]["url"] == "https://bbb.test/bigbluebutton/"
    assert settings["default_profile"] == "campus"
    assert memory_keyring.get_password("pupitre", "bbb:campus") == SECRET


def test_profile_list_and_remove(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring
) -> None:
    assert add_profile(monkeypatch) == 0
    assert add_profile(monkeypatch, "other", "--algorithm", "sha1", "--default") == 0
    capsys.readouterr()
    assert run(["profile", "list", "--json"], monkeypatch) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["algorithm"], r["default"], r["has_secret"]) for r in rows] == [
        ("campus", "sha256", False, True), ("other", "sha1", True, True)
    ]
    assert run(["profile", "list"], monkeypatch) == 0
    table = capsys.readouterr().out
    assert "campus" in table and "other" in table and SECRET not in table
    assert run(["profile", "remove", "campus"], monkeypatch) == 0
    assert memory_keyring.get_password("pupitre", "bbb:campus") is None
    assert run(["profile", "remove", "campus"], monkeypatch) == 1  # already gone


def test_profile_add_refuses_garbage_url_and_missing_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], pupitre_home: Path
) -> None:
    assert run(["profile", "add", "x", "--url", "bbb.example.org", "--secret-stdin"], monkeypatch, "s\n") == 1
    assert "not a valid BBB server address" in capsys.readouterr().err
    # no TTY and no --secret-stdin: a usage error, nothing saved
    assert run(["profile", "add", "x", "--url", "https://bbb.test"], monkeypatch) == 2
    assert not (pupitre_home / "config" / "settings.json").exists()


def test_profile_add_rejects_a_secret_in_argv(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as info:
        run(["profile", "add", "x", "--url", "https://bbb.test", "--secret", "s3cret"], monkeypatch)
    assert info.value.code == 2


def test_bbb_url_with_server_and_stdin_secret(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        ["bbb", "url", "--server", "https://bbb.test", "--secret-stdin", "--algorithm", "sha512",
         "create", "name=Café d'été (1/2)*~", "meetingID=m-1"],
        monkeypatch, "s3cret\n",
    )
    assert code == 0
    url = capsys.readouterr().out.strip()
    base, _, query = url.partition("?")
    assert base == "https://bbb.test/bigbluebutton/api/create"
    unsigned, digest = split_checksum(query)
    assert digest == checksum("create", unsigned, "s3cret", "sha512")
    assert parse_qsl(unsigned) == [("name", "Café d'été (1/2)*~"), ("meetingID", "m-1")]


def test_bbb_url_from_profile(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert add_profile(monkeypatch) == 0
    capsys.readouterr()
    assert run(["bbb", "url", "getMeetings"], monkeypatch) == 0
    url = capsys.readouterr().out.strip()
    assert url == f"https://bbb.test/bigbluebutton/api/getMeetings?checksum={checksum('getMeetings', '', SECRET)}"


@pytest.mark.parametrize(
    "argv",
    [
        ["bbb", "url", "getMeetings", "--server", "https://bbb.test"],  # secret only from stdin
        ["bbb", "url", "create", "novalue", "--server", "https://bbb.test", "--secret-stdin"],
        ["bbb", "url", "create", "checksum=abc", "--server", "https://bbb.test", "--secret-stdin"],
        ["bbb", "url", "bad call!", "--server", "https://bbb.test", "--secret-stdin"],
    ],
)
def test_bbb_url_bad_usage_exits_2(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(argv, monkeypatch, "s3cret\n") == 2


def test_bbb_url_missing_call_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as info:
        run(["bbb", "url"], monkeypatch)
    assert info.value.code == 2


def test_bbb_url_without_profile_fails_with_sentence(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["bbb", "url", "getMeetings"], monkeypatch) == 1
    assert "No BBB server is configured" in capsys.readouterr().err


def test_meetings_json_and_table(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert add_profile(monkeypatch) == 0
    capsys.readouterr()
    server = FakeBBB()
    server.answers["getMeetings"] = httpx.Response(200, content=(FIXTURES / "get_meetings.xml").read_bytes())
    with respx.mock() as mock:
        mock.route(host="bbb.test").mock(side_effect=server)
        assert run(["meetings", "--json"], monkeypatch) == 0
        data = json.loads(capsys.readouterr().out)
        assert [m["meeting_id"] for m in data] == ["webinar-2026-11", "breakout-room-id-1"]
        first = data[0]
        assert first["participant_count"] == 3 and first["running"] is True
        assert first["create_time"] == 1763712000123
        assert first["attendees"][1] == {
            "user_id": "w_streaming1", "full_name": "streaming", "role": "VIEWER", "is_presenter": False,
            "is_listening_only": True, "has_joined_voice": False, "has_video": False, "client_type": "HTML5",
            "customdata": {},
        }
        assert first["metadata"]["bbb-origin"] == "Pupitre"
        assert "moderator_pw" not in first

        assert run(["meetings", "--running", "--json"], monkeypatch) == 0
        assert [m["meeting_id"] for m in json.loads(capsys.readouterr().out)] == ["webinar-2026-11"]

        assert run(["meetings"], monkeypatch) == 0
        table = capsys.readouterr().out.splitlines()
        assert table[0].split()[:2] == ["MEETING", "ID"]
        assert table[1].startswith("webinar-2026-11") and " yes " in table[1]
        assert len(table) == 3


def test_meetings_with_wrong_secret_exits_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with respx.mock() as mock:
        mock.route(host="bbb.test").mock(side_effect=FakeBBB())
        code = run(["meetings", "--server", "https://bbb.test", "--secret-stdin"], monkeypatch, "not-the-secret-0123\n")
    assert code == 1
    assert "shared secret or the checksum algorithm is wrong" in capsys.readouterr().err


def test_detect_algorithm(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with respx.mock() as mock:
        mock.route(host="bbb.test").mock(side_effect=FakeBBB(accepted=("sha1",)))
        code = run(["bbb", "detect-algorithm", "--server", "https://bbb.test", "--secret-stdin"], monkeypatch, SECRET + "\n")
    assert code == 0
    assert capsys.readouterr().out.strip() == "Accepted: sha1"


def test_profile_add_in_a_subprocess_with_a_file_keyring(cli_env: dict[str, str], pupitre_home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "profile", "add", "lab", "--url", "http://127.0.0.1:8090", "--secret-stdin"],
        input="lab-secret-123\n", env=cli_env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "lab-secret-123" not in (pupitre_home / "config" / "settings.json").read_text()
    keyring_file = Path(cli_env["PUPITRE_TEST_KEYRING_FILE"])
    assert "lab-secret-123" in keyring_file.read_text()
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "bbb", "url", "--profile", "lab", "isMeetingRunning", "meetingID=abc123"],
        env=cli_env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    query = proc.stdout.strip().partition("?")[2]
    unsigned, digest = split_checksum(query)
    assert unsigned == "meetingID=abc123"
    assert digest == checksum("isMeetingRunning", unsigned, "lab-secret-123", "sha256")
