"""``pupitre lab`` as a user runs it: one JSON document, a clean stop on SIGTERM, faults at start,
``--write-profile`` usable by other commands, usage errors."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.cli.commands.lab import (
    UsageProblem,
    build_options,
    gateway_counts,
    parse_faults,
    parse_size,
)
from tests.lab.signing import encode, signed
from tests.lab_surface.lab_process import pupitre_lab

GATEWAY_FIELDS = {"name", "kind", "version", "url", "token", "rtmp_url", "hls_url", "audience_page_url", "join_mode",
                  "join_page_url"}


async def test_lab_prints_its_description_and_stops_on_sigterm(cli_env: dict[str, str]) -> None:
    async with pupitre_lab(cli_env, "--size", "640x360") as lab:
        doc = lab.document
        assert set(doc) == {"bbb", "join_pages", "gateways", "hls_origin", "audience_pages", "control"}
        assert set(doc["bbb"]) == {"url", "api_url", "secret", "graphql_url"}
        assert [(g["name"], g["kind"]) for g in doc["gateways"]] == [
            ("gw1", "sipmediagw-legacy"), ("gw2", "sipmediagw-legacy"), ("gw3", "sipmediagw")]
        assert all(set(g) == GATEWAY_FIELDS for g in doc["gateways"])
        assert set(doc["control"]) == {"url", "token"}
        async with httpx.AsyncClient(timeout=10) as client:
            # every address answers (all on loopback)
            assert "<returncode>SUCCESS</returncode>" in (await client.get(doc["bbb"]["api_url"])).text
            for gateway in doc["gateways"]:
                assert gateway["url"].startswith("http://127.0.0.1:")
                page = await client.get(gateway["audience_page_url"])
                assert page.status_code == 200 and 'id="player"' in page.text
            headers = {"Authorization": f"Bearer {doc['control']['token']}"}
            state = await client.get(doc["control"]["url"] + "/lab/state", headers=headers)
            assert state.status_code == 200 and state.json()["gateways"] == doc["gateways"]
            assert (await client.get(doc["control"]["url"] + "/lab/state")).status_code == 401
        code, stderr = await lab.terminate()
    assert code == 0, stderr
    assert "Traceback" not in stderr


async def test_faults_and_gateway_counts_at_start(cli_env: dict[str, str]) -> None:
    async with pupitre_lab(cli_env, "--gateways", "4", "--fault", "gw1=busy", "--fault", "bbb=checksum_sha1_only",
                           "--fault", "stream:gw4=not_found") as lab:
        doc = lab.document
        assert [g["kind"] for g in doc["gateways"]] == ["sipmediagw-legacy"] * 3 + ["sipmediagw"]
        async with httpx.AsyncClient(timeout=10) as client:
            headers = {"Authorization": f"Bearer {doc['control']['token']}"}
            faults = (await client.get(doc["control"]["url"] + "/lab/state", headers=headers)).json()["faults"]
            gw1 = doc["gateways"][0]
            start = await client.get(f"{gw1['url']}/start", params={"room": "r1", "domain": "d.invalid",
                                                                     "rtmpDst": gw1["rtmp_url"]},
                                     headers={"Authorization": f"Bearer {gw1['token']}"})
        assert faults["gw1"] == ["busy"] and faults["bbb"] == ["checksum_sha1_only"]
        assert faults["stream:gw4"] == ["not_found"]
        assert start.json()["details"] == {"res": "error", "type": "No free resources found"}
        code, stderr = await lab.terminate()
    assert code == 0, stderr


async def test_write_profile_is_usable_by_other_commands(cli_env: dict[str, str]) -> None:
    async with pupitre_lab(cli_env, "--write-profile", "--gateways", "2") as lab:
        doc = lab.document
        query = signed("create", encode({"name": "Cours <1>", "meetingID": "cli-0001"}), doc["bbb"]["secret"])
        async with httpx.AsyncClient(timeout=10) as client:
            created = await client.get(f"{doc['bbb']['api_url']}create?{query}")
        assert "SUCCESS" in created.text
        meetings = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "desktop", "meetings", "--json"], env=cli_env,
            capture_output=True, text=True, timeout=60)
        assert meetings.returncode == 0, meetings.stderr
        listed = json.loads(meetings.stdout)
        assert [(m["meeting_id"], m["meeting_name"]) for m in listed] == [("cli-0001", "Cours <1>")]
        checked = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "desktop", "gateway", "check", "--json"], env=cli_env,
            capture_output=True, text=True, timeout=60)
        code, stderr = await lab.terminate()
    assert code == 0, stderr
    # the gateways and their tokens (from the keyring) work: each one answers and accepts its token
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "lab-gw1" in checked.stdout and "lab-gw2" in checked.stdout
    assert doc["bbb"]["secret"] not in checked.stdout + checked.stderr
    keyring_text = Path(cli_env["PUPITRE_TEST_KEYRING_FILE"]).read_text(encoding="utf-8")
    assert doc["bbb"]["secret"] in keyring_text and doc["gateways"][0]["token"] in keyring_text
    settings = (Path(cli_env["PUPITRE_HOME"])).rglob("*")
    assert not any(doc["bbb"]["secret"] in p.read_text(errors="replace") for p in settings if p.is_file()
                   and p.suffix in (".json", ".toml", ".ini", ".cfg"))


def namespace(**changes: Any) -> argparse.Namespace:
    args: dict[str, Any] = dict(host="127.0.0.1", port_base=None, gateways=None, legacy=None, proxy=None,
                                audience=0, rate=1.0, realistic=False, write_profile=False, rtmp=None,
                                hls_base=None, fault=[], size="1280x720", gateway_version=[])
    return argparse.Namespace(**{**args, **changes})


@pytest.mark.parametrize("changes, words", [
    ({"fault": ["gw9=busy"]}, "no target"),
    ({"fault": ["gw1=melt"]}, "no fault"),
    ({"fault": ["gw1"]}, "TARGET=FAULT"),
    ({"fault": ["stream:gw1=busy"]}, "no fault"),
    ({"rtmp": "rtmp://127.0.0.1:1935/live"}, "go together"),
    ({"rtmp": "http://x/live", "hls_base": "http://x/hls"}, "rtmp://"),
    ({"gateways": 1, "proxy": 2}, "add up"),
    ({"gateways": 0}, "at least one"),
    ({"size": "big"}, "1280x720"),
    ({"rate": 0.0, "audience": 3}, "--rate"),
    ({"port_base": 80}, "--port-base"),
])
def test_usage_problems(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(UsageProblem, match=re.escape(words)):
        build_options(namespace(**changes))


@pytest.mark.parametrize("args", [["--fault", "gw9=busy"], ["--rtmp", "rtmp://127.0.0.1:1935/live"]])
def test_usage_errors_exit_2_before_starting(cli_env: dict[str, str], args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "desktop", "lab", *args], env=cli_env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("pupitre lab: ") and proc.stdout == ""


@pytest.mark.parametrize("total, legacy, proxy, expected", [
    (None, None, None, (2, 1)), (1, None, None, (1, 0)), (2, None, None, (1, 1)), (6, None, None, (4, 2)),
    (None, 0, 2, (0, 2)), (3, 3, None, (3, 0)), (4, None, 1, (3, 1)),
])
def test_gateway_counts(total: int | None, legacy: int | None, proxy: int | None,
                        expected: tuple[int, int]) -> None:
    assert gateway_counts(total, legacy, proxy) == expected


def test_option_parsing() -> None:
    assert parse_size("960x540") == (960, 540)
    assert parse_faults(["gw1=busy", " stream:gw2 = stalled"]) == (("gw1", "busy"), ("stream:gw2", "stalled"))
    for bad in ("1281x720", "10x10", "x"):
        with pytest.raises(UsageProblem):
            parse_size(bad)
    options = build_options(namespace(audience=20, rate=2.0, fault=["gw3=hang"]))
    assert (options.legacy_gateways, options.proxy_gateways, options.faults) == (2, 1, (("gw3", "hang"),))
    assert options.audience is not None and (options.audience.viewers, options.audience.rate) == (20, 2.0)
    with pytest.raises(UsageProblem, match="built-in HLS origin"):
        build_options(namespace(rtmp="rtmp://h/live", hls_base="http://h/hls", fault=["stream:gw1=stalled"]))


@pytest.mark.parametrize("items, words", [
    (["gw9=v1.6"], "no gateway"),
    (["gw1=v2.0"], "unknown SIPMediaGW version"),
    (["gw1=main"], "is a legacy gateway"),
    (["gw3=v1.6"], "is a v1.8 proxy gateway"),
    (["gw1"], "GATEWAY=VERSION"),
])
def test_gateway_version_problems(items: list[str], words: str) -> None:
    with pytest.raises(UsageProblem, match=words):
        build_options(namespace(gateway_version=items))


def test_gateway_versions_are_parsed() -> None:
    from desktop.lab.gateways import GatewayVersion

    options = build_options(namespace(gateway_version=["gw2=1.7", "gw3=v1.8.4"]))
    assert options.gateway_versions == {"gw2": GatewayVersion.V1_7, "gw3": GatewayVersion.V1_8_4}
