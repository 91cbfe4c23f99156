"""Issue 12: numbers out of every range (``--days 1000000000``, ids ≥ 2**63) and a closed pipe end in
one sentence, quickly."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from desktop.cli import main

HUGE = str(2**63)


@pytest.fixture
def one_daily_webinar(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "add", "--title", "Daily class", "--start", "2030-01-01T10:00",
                 "--timezone", "UTC", "--repeat", "daily"]) == 0  # fmt: skip
    capsys.readouterr()


@pytest.mark.parametrize(("argv", "code", "words"), [
    (["schedule", "list", "--days", "1000000000"], 2, "at most 36600 days"),
    (["schedule", "list", "--days", "36600", "--from", "9999-06-01T00:00+00:00"], 2, "year 9999"),
    (["schedule", "edit", HUGE, "--title", "Other"], 1, f"no webinar number {HUGE}"),
    (["schedule", "remove", HUGE], 1, f"no webinar number {HUGE}"),
    (["schedule", "edit", "1", "--occurrence", HUGE, "--title", "Other"], 2, f"no occurrence number {HUGE}"),
    (["schedule", "edit", "1", "--occurrence", HUGE, "--cancel"], 2, f"no occurrence number {HUGE}"),
    (["webinar", "start", HUGE], 1, f"no webinar number {HUGE}"),
])
@pytest.mark.usefixtures("one_daily_webinar")
def test_numbers_out_of_range_end_in_one_sentence(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, words: str
) -> None:
    started = time.monotonic()
    assert main(argv) == code
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert time.monotonic() - started < 3


def test_output_piped_to_head_ends_quietly(cli_env: dict[str, str]) -> None:
    run = [sys.executable, "-m", "desktop"]
    add = ["schedule", "add", "--title", "Daily class", "--start", "2030-01-01T10:00", "--repeat", "daily"]
    subprocess.run([*run, *add], env=cli_env, check=True, capture_output=True, timeout=60)
    # a reader that stops after one line, like ``| head -1``
    # (far more than a pipe's buffer, so that the writer meets the closed pipe)
    with subprocess.Popen([*run, "schedule", "list", "--days", "36600", "--json"], env=cli_env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 141
    assert err == ""
