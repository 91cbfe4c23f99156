"""``pupitre check`` in-process against the lab (run on its own loop in a thread): marks, exit
codes, the JSON shape, the options."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from desktop.cli import main
from desktop.config.paths import AppPaths
from desktop.config.settings import Settings, bbb_secret_name, gateway_secret_name
from desktop.preflight import CHECK_NAMES
from tests.preflight.lab_setup import LEGACY_TOKEN, PROXY_TOKEN, SECRET, Lab, ThreadedLab
from tests.support.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.lab

KEYS = {"name", "subject", "level", "sentence", "hint", "details"}


@pytest.fixture
def threaded() -> Iterator[ThreadedLab]:
    runner = ThreadedLab()
    with runner:
        yield runner


@pytest.fixture
def configured(threaded: ThreadedLab, memory_keyring: MemoryKeyring) -> Lab:
    """Settings with the lab's BBB as profile “lab” and both gateways, secrets in the keyring."""
    lab = threaded.lab
    assert lab is not None
    settings = Settings.load(AppPaths.from_environment().ensure().settings_file)
    settings.put_profile(lab.profile())
    settings.put_gateway(lab.legacy_config())
    settings.put_gateway(lab.proxy_config())
    settings.save()
    memory_keyring.set_password("pupitre", bbb_secret_name("lab"), SECRET)
    memory_keyring.set_password("pupitre", gateway_secret_name("gw1"), LEGACY_TOKEN)
    memory_keyring.set_password("pupitre", gateway_secret_name("gw-v18"), PROXY_TOKEN)
    return lab


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["check", "--json", *argv])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_a_healthy_setup_exits_0_with_a_check_mark_per_line(
    configured: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    checks = [line for line in lines if not line.startswith(" ")]  # indented lines are hints
    assert len(checks) == 12, lines  # keyring, 2 BBB, 4 per gateway, the v1.7 gateway's limitation
    warnings = [line for line in checks if not line.startswith("✓ ")]
    assert len(warnings) == 1 and warnings[0].startswith("! ") and "SIPMediaGW v1.7" in warnings[0], lines
    assert any("BBB 3.0.19" in line for line in lines)


def test_json_shape_and_stable_names(configured: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys)

    assert code == 0
    assert set(report) == {"ok", "checks"} and report["ok"] is True
    checks = report["checks"]
    assert isinstance(checks, list) and checks
    for check in checks:
        assert set(check) == KEYS
        assert check["name"] in CHECK_NAMES
        assert check["level"] in ("ok", "warning", "error")
        assert isinstance(check["details"], dict)
    assert [c["subject"] for c in checks if c["name"] == "gateway.token"] == ["gw1", "gw-v18"]
    text = json.dumps(report)
    for secret in (SECRET, LEGACY_TOKEN, PROXY_TOKEN):
        assert secret not in text


def test_a_refused_token_exits_1_with_a_cross_and_an_indented_hint(
    configured: Lab, threaded: ThreadedLab, capsys: pytest.CaptureFixture[str]
) -> None:
    threaded.call(lambda: configured.proxy.set_faults(wrong_token=True))

    assert main(["check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    refused = lines.index("✗ The gateway “gw-v18” refused the token.")
    assert lines[refused + 1].startswith("    Store the right token")


def test_a_wrong_secret_exits_1_in_json_too(
    configured: Lab, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    memory_keyring.set_password("pupitre", bbb_secret_name("lab"), "a-wrong-secret-value")
    code, report = run_json(capsys, "--no-hls")

    assert code == 1 and report["ok"] is False
    checks = report["checks"]
    assert isinstance(checks, list)
    levels = {c["name"]: c["level"] for c in checks if c["subject"] == "lab"}
    assert levels == {"bbb.reachable": "ok", "bbb.secret": "error"}


def test_gateway_selection_and_no_hls(configured: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, "--gateway", "gw1", "--no-hls")

    assert code == 0
    checks = report["checks"]
    assert isinstance(checks, list)
    assert {c["subject"] for c in checks if c["name"].startswith("gateway.")} == {"gw1"}
    assert not [c for c in checks if c["name"] == "stream.reachable"]


def test_a_missing_gateway_token_is_reported_not_raised(
    configured: Lab, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    memory_keyring.delete_password("pupitre", gateway_secret_name("gw1"))
    code, report = run_json(capsys, "--gateway", "gw1", "--no-hls")

    assert code == 1
    checks = report["checks"]
    assert isinstance(checks, list)
    token = next(c for c in checks if c["name"] == "gateway.token")
    assert token["level"] == "error" and "No token is stored" in token["hint"]


def test_no_profile_configured_exits_1_with_the_sentence_and_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "No BBB server is configured." in err
    assert "pupitre profile add" in err


def test_an_unknown_profile_or_gateway_exits_1(configured: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--profile", "nope"]) == 1
    assert "no BBB profile named “nope”" in capsys.readouterr().err
    assert main(["check", "--gateway", "nope"]) == 1
    assert "no gateway named “nope”" in capsys.readouterr().err


def test_a_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["check", "--frobnicate"])
    assert exited.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err
