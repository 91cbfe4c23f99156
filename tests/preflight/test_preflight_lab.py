"""run_preflight against the loopback lab: every answer comes from a real HTTP exchange."""

from __future__ import annotations

import json
import time

import pytest

from desktop.bbb.client import BBBClient
from desktop.config.settings import BBBProfile, GatewayConfig
from desktop.lab.bbb import BBBServer
from desktop.net.http import HttpOptions
from desktop.preflight import (
    BBB_REACHABLE,
    BBB_SECRET,
    CHECK_NAMES,
    GATEWAY_REACHABLE,
    GATEWAY_STATUS,
    GATEWAY_TOKEN,
    GATEWAY_VERSION,
    KEYRING,
    STREAM_REACHABLE,
    CheckResult,
    Level,
    all_ok,
    report_json,
    run_preflight,
)
from desktop.secrets.store import BackendInfo
from tests.preflight.lab_setup import LEGACY_TOKEN, PROXY_TOKEN, SECRET, Lab, closed_port_url

pytestmark = pytest.mark.lab

SYSTEM_KEYRING = BackendInfo("SecretService Keyring", system=True, persistent=True)


def by_name(results: list[CheckResult], name: str, subject: str | None = None) -> CheckResult:
    found = [r for r in results if r.name == name and (subject is None or r.subject == subject)]
    assert len(found) == 1, [r.to_json() for r in results]
    return found[0]


def assert_no_secret(results: list[CheckResult], *secrets: str) -> None:
    text = json.dumps(report_json(results), ensure_ascii=False)
    for secret in (SECRET, LEGACY_TOKEN, PROXY_TOKEN, *secrets):
        assert secret not in text


async def test_a_healthy_setup_is_all_ok_in_a_stable_order(lab: Lab) -> None:
    results = await run_preflight(lab.profile(), SECRET, lab.healthy_gateways(), keyring=SYSTEM_KEYRING)

    assert [(r.name, r.subject) for r in results] == [
        (KEYRING, "SecretService Keyring"),
        (BBB_REACHABLE, "lab"),
        (BBB_SECRET, "lab"),
        (GATEWAY_REACHABLE, "gw1"), (GATEWAY_TOKEN, "gw1"), (GATEWAY_STATUS, "gw1"), (GATEWAY_VERSION, "gw1"),
        (STREAM_REACHABLE, "gw1"),
        (GATEWAY_REACHABLE, "gw-v18"), (GATEWAY_TOKEN, "gw-v18"), (GATEWAY_STATUS, "gw-v18"),
        (STREAM_REACHABLE, "gw-v18"),
    ]
    # gw1 is a SIPMediaGW v1.7 (the only legacy release that reports its state): it works, and
    # says what it does to chat text and what to upgrade to; gw-v18 runs main
    version = by_name(results, GATEWAY_VERSION)
    assert version.level is Level.WARNING and "v1.7" in version.sentence and "upgrade" in version.sentence
    assert [r.level for r in results if r is not version] == [Level.OK] * (len(results) - 1), \
        [r.to_json() for r in results]
    assert all_ok(results)
    reachable = by_name(results, BBB_REACHABLE)
    assert "BBB 3.0.19" in reachable.sentence and "chat can be read" in reachable.sentence
    assert reachable.details["graphql"] is True and reachable.details["bbb_version"] == "3.0.19"
    assert by_name(results, BBB_SECRET).details["algorithm"] == "sha256"
    assert_no_secret(results)


async def test_the_audience_address_answering_404_before_a_live_is_normal(lab: Lab) -> None:
    results = await run_preflight(lab.profile(), SECRET, [(lab.legacy_config(), LEGACY_TOKEN)])

    stream = by_name(results, STREAM_REACHABLE)
    assert stream.level is Level.OK
    assert stream.details["http_status"] == 404
    assert "404 until a live starts" in stream.sentence


async def test_an_unreachable_audience_address_is_an_error(lab: Lab) -> None:
    cfg = lab.legacy_config(hls_url=closed_port_url() + "/hls/gw1.m3u8")
    results = await run_preflight(lab.profile(), SECRET, [(cfg, LEGACY_TOKEN)])

    stream = by_name(results, STREAM_REACHABLE)
    assert stream.level is Level.ERROR
    assert "cannot be reached" in stream.sentence and stream.hint
    assert not all_ok(results)


async def test_no_hls_check_when_asked(lab: Lab) -> None:
    results = await run_preflight(lab.profile(), SECRET, lab.healthy_gateways(), include_hls=False)

    assert STREAM_REACHABLE not in {r.name for r in results}
    assert all_ok(results)


async def test_a_wrong_secret_is_named_as_such(lab: Lab) -> None:
    wrong = "not-the-lab-secret-at-all-9f8e7d"
    results = await run_preflight(lab.profile(), wrong, lab.healthy_gateways())

    secret = by_name(results, BBB_SECRET)
    assert secret.level is Level.ERROR
    assert "the shared secret is wrong" in secret.sentence
    assert secret.details["accepted_algorithms"] == []
    assert secret.hint
    assert by_name(results, BBB_REACHABLE).level is Level.OK  # the API root needs no secret
    assert not all_ok(results)
    assert_no_secret(results, wrong)


async def test_a_refused_algorithm_suggests_the_one_that_works(lab: Lab) -> None:
    lab.world.bbb_faults.accepted_algorithms = ("sha1",)
    results = await run_preflight(lab.profile("sha256"), SECRET, [])

    secret = by_name(results, BBB_SECRET)
    assert secret.level is Level.ERROR
    assert "sha256 is refused but sha1 works" in secret.sentence
    assert "set the profile's checksum algorithm to sha1" in secret.sentence
    assert "--algorithm sha1" in secret.hint
    assert secret.details["accepted_algorithms"] == ["sha1"]


async def test_the_profile_algorithm_that_the_server_accepts_is_ok(lab: Lab) -> None:
    lab.world.bbb_faults.accepted_algorithms = ("sha1",)
    results = await run_preflight(lab.profile("sha1"), SECRET, [])

    assert by_name(results, BBB_SECRET).level is Level.OK
    assert "sha1" in by_name(results, BBB_SECRET).sentence


async def test_a_missing_secret_is_an_error_with_a_hint_and_the_root_is_still_checked(lab: Lab) -> None:
    results = await run_preflight(lab.profile(), None, [])

    secret = by_name(results, BBB_SECRET)
    assert secret.level is Level.ERROR
    assert "No shared secret is stored" in secret.sentence and "“lab”" in secret.sentence
    assert "bbb-conf --secret" in secret.hint
    assert by_name(results, BBB_REACHABLE).level is Level.OK


async def test_a_bbb_server_that_is_down_is_unreachable(lab: Lab) -> None:
    await lab.bbb.set_down(True)
    results = await run_preflight(lab.profile(), SECRET, [])

    reachable = by_name(results, BBB_REACHABLE)
    assert reachable.level is Level.ERROR
    assert reachable.sentence.startswith("The BBB server “lab” cannot be reached")
    assert lab.bbb.url.split("/")[2] in reachable.sentence  # names the host
    secret = by_name(results, BBB_SECRET)
    assert secret.level is Level.ERROR
    assert secret.sentence.startswith("The shared secret could not be checked:")


@pytest.mark.parametrize("mode", ["bbb2_mode", "scalelite_mode"])
async def test_without_graphql_the_chat_cannot_be_read(lab: Lab, mode: str) -> None:
    old = BBBServer(lab.world, bbb2_mode=mode == "bbb2_mode", scalelite_mode=mode == "scalelite_mode")
    await old.start()
    try:
        profile = BBBProfile(name="old", url=old.url)
        results = await run_preflight(profile, SECRET, [])
    finally:
        await old.stop()

    reachable = by_name(results, BBB_REACHABLE)
    assert reachable.level is Level.WARNING
    assert "no GraphQL" in reachable.sentence and "answers go through the gateway" in reachable.sentence
    assert reachable.details["graphql"] is False
    assert by_name(results, BBB_SECRET).level is Level.OK
    assert all_ok(results)  # a warning does not stop a live


@pytest.mark.parametrize("which", ["legacy", "proxy"])
async def test_a_gateway_refusing_the_token_is_a_token_error(lab: Lab, which: str) -> None:
    server = lab.legacy if which == "legacy" else lab.proxy
    cfg = lab.legacy_config() if which == "legacy" else lab.proxy_config()
    server.set_faults(wrong_token=True)
    token = LEGACY_TOKEN if which == "legacy" else PROXY_TOKEN
    results = await run_preflight(lab.profile(), SECRET, [(cfg, token)])

    assert by_name(results, GATEWAY_REACHABLE, cfg.name).level is Level.OK
    refused = by_name(results, GATEWAY_TOKEN, cfg.name)
    assert refused.level is Level.ERROR
    assert f"“{cfg.name}” refused the token" in refused.sentence
    assert "--token-stdin" in refused.hint
    assert not all_ok(results)
    assert_no_secret(results)


async def test_a_wrong_token_is_refused_and_a_missing_one_says_so(lab: Lab) -> None:
    results = await run_preflight(lab.profile(), SECRET, [
        (lab.legacy_config(), "a-token-that-is-wrong"),
        (lab.proxy_config(), None),
    ])

    assert by_name(results, GATEWAY_TOKEN, "gw1").level is Level.ERROR
    missing = by_name(results, GATEWAY_TOKEN, "gw-v18")
    assert missing.level is Level.ERROR
    assert "No token is stored" in missing.hint
    assert by_name(results, GATEWAY_REACHABLE, "gw-v18").details["token_stored"] is False
    assert_no_secret(results, "a-token-that-is-wrong")


async def test_a_gateway_on_a_closed_port_is_unreachable_and_nothing_more_is_claimed(lab: Lab) -> None:
    cfg = lab.legacy_config(url=closed_port_url())
    results = await run_preflight(lab.profile(), SECRET, [(cfg, LEGACY_TOKEN)])

    unreachable = by_name(results, GATEWAY_REACHABLE)
    assert unreachable.level is Level.ERROR
    assert unreachable.sentence.startswith("The gateway “gw1” cannot be reached: could not reach")
    assert unreachable.hint
    assert {r.name for r in results if r.subject == "gw1"} == {GATEWAY_REACHABLE, STREAM_REACHABLE}
    assert by_name(results, STREAM_REACHABLE).level is Level.OK  # its audience origin is another server


async def test_a_hanging_gateway_is_cut_off_by_the_overall_timeout(lab: Lab) -> None:
    lab.legacy.set_faults(hang=True)
    started = time.monotonic()
    results = await run_preflight(lab.profile(), SECRET, lab.healthy_gateways(), timeout=1.0)
    elapsed = time.monotonic() - started

    assert elapsed < 5.0
    late = by_name(results, GATEWAY_REACHABLE, "gw1")
    assert late.level is Level.ERROR
    assert "did not answer within 1 seconds" in late.sentence
    assert late.details["timed_out"] is True
    # the other checks still answered
    assert by_name(results, GATEWAY_TOKEN, "gw-v18").level is Level.OK
    assert by_name(results, BBB_SECRET).level is Level.OK


async def test_the_checks_run_concurrently(lab: Lab) -> None:
    """Two hanging gateways cost one timeout, not two."""
    lab.legacy.set_faults(hang=True)
    lab.proxy.set_faults(hang=True)
    started = time.monotonic()
    results = await run_preflight(lab.profile(), SECRET, lab.healthy_gateways(), include_hls=False,
                                  timeout=1.0)
    elapsed = time.monotonic() - started

    assert elapsed < 2.0
    assert [r.level for r in results if r.name == GATEWAY_REACHABLE] == [Level.ERROR, Level.ERROR]


def test_every_result_name_is_a_stable_name() -> None:
    assert set(CHECK_NAMES) == {
        "keyring", "bbb.reachable", "bbb.secret", "gateway.reachable", "gateway.token", "gateway.status",
        "gateway.version", "stream.reachable",
    }


async def test_a_custom_client_factory_is_used(lab: Lab) -> None:
    made: list[str] = []

    def factory(profile: BBBProfile, secret: str) -> BBBClient:
        made.append(profile.name)
        return BBBClient(profile.url, secret, profile.algorithm, HttpOptions(), retry_attempts=1)

    results = await run_preflight(lab.profile(), SECRET, [], bbb_client_factory=factory)

    assert made == ["lab"]
    assert by_name(results, BBB_SECRET).level is Level.OK


async def test_a_gateway_that_cannot_be_built_is_reported(lab: Lab) -> None:
    cfg = GatewayConfig(name="odd", kind="unknown-kind", url=lab.legacy.url,
                        rtmp_url="rtmp://127.0.0.1/live/odd", hls_url=lab.origin.hls_url("odd"))
    results = await run_preflight(lab.profile(), SECRET, [(cfg, None)], include_hls=False)

    odd = by_name(results, GATEWAY_REACHABLE, "odd")
    assert odd.level is Level.ERROR
    assert "Unknown gateway kind" in odd.sentence
