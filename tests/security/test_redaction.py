"""Redaction hides values, not sentences, and covers what a hostile server echoes to stderr."""

from __future__ import annotations

import argparse

import pytest

from desktop.bbb.errors import BBBError
from desktop.cli import main
from desktop.cli.context import CliContext
from desktop.errors import PupitreError
from desktop.logs import redact

CHECKSUM = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize("sentence", [
    "token: The gateway refused the request.",
    "The gateway token: ask the administrator for a new one.",
    "secret: The BBB server's shared secret is wrong.",
    "Authorization: The server wants a login.",
    "checksum: the algorithm is wrong",
])
def test_ordinary_words_after_a_key_are_kept(sentence: str) -> None:
    assert redact(sentence) == sentence


@pytest.mark.parametrize(("text", "leak"), [
    ("token: tok-0123456789", "tok-0123456789"),
    ("token=abc", "abc"),
    ("token:abcdef", "abcdef"),
    ('{"token": "short"}', "short"),
    ('{"secret": "The whole value"}', "The whole"),
    ("sessionToken=zz&meetingID=m", "zz"),
    ("X-Auth-Token: 0123456789abcdef", "0123456789abcdef"),
    ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
    ("Authorization: Bearer tok.en-1", "tok.en-1"),
    (f"checksum={CHECKSUM}", CHECKSUM),
    (f"checksum: {CHECKSUM}", CHECKSUM),
    (f'"checksum": "{CHECKSUM}"', CHECKSUM),
])
def test_values_are_still_redacted(text: str, leak: str) -> None:
    out = redact(text)
    assert leak not in out
    assert "***" in out


def test_a_bbb_error_echoing_a_checksum_is_redacted() -> None:
    error = BBBError("someNewKey", f"Invalid request /api/create?name=x&checksum={CHECKSUM} token=abc123")
    assert CHECKSUM not in error.explain() and "abc123" not in error.explain()
    assert "checksum=***" in error.explain()


def test_the_cli_prints_a_hostile_servers_error_redacted(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import desktop.cli.commands.meetings as meetings

    async def hostile(args: argparse.Namespace, ctx: CliContext) -> int:
        raise BBBError("checksumErrorX", f"You sent checksum={CHECKSUM}, secret: s3cr3t-value-42")

    monkeypatch.setattr(meetings, "run", hostile)
    assert main(["meetings"]) == 1
    err = capsys.readouterr().err
    assert CHECKSUM not in err and "s3cr3t-value-42" not in err
    assert "checksum=***" in err


def test_explain_keeps_ordinary_sentences() -> None:
    error = PupitreError("The gateway refused the token: The token is wrong.", hint="Check it.")
    assert error.explain() == "The gateway refused the token: The token is wrong. Check it."
