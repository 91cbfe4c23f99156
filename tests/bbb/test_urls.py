"""Server address normalisation."""

from __future__ import annotations

import pytest

from desktop.bbb.checksum import verify
from desktop.bbb.urls import normalise_api_base, signed_url
from desktop.errors import ConfigError


@pytest.mark.parametrize(
    "given",
    [
        "https://bbb.example.org",
        "https://bbb.example.org/",
        "https://bbb.example.org/bigbluebutton",
        "https://bbb.example.org/bigbluebutton/",
        "https://bbb.example.org/bigbluebutton/api",
        "https://bbb.example.org/bigbluebutton/api/",
        "  HTTPS://BBB.Example.org/bigbluebutton/api//  ",
    ],
)
def test_every_accepted_form_gives_one_base(given: str) -> None:
    assert normalise_api_base(given) == "https://bbb.example.org/bigbluebutton/api/"


def test_port_prefix_and_ipv6_are_kept() -> None:
    assert normalise_api_base("http://127.0.0.1:8090/bigbluebutton/api") == "http://127.0.0.1:8090/bigbluebutton/api/"
    assert normalise_api_base("https://lb.example.org/tenant1/bigbluebutton") == "https://lb.example.org/tenant1/bigbluebutton/api/"
    assert normalise_api_base("https://[::1]:8443/") == "https://[::1]:8443/bigbluebutton/api/"


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "bbb.example.org", "ftp://bbb.example.org", "https://", "https:///bigbluebutton",
     "https://user:pw@bbb.example.org", "https://bbb.example.org/bigbluebutton/api?checksum=1",
     "https://bbb.example.org/#x", "https://bbb.example.org:99999/", "https://bbb example.org/",
     "https://bbb.example.org/other/api", "javascript:alert(1)"],
)
def test_garbage_is_a_config_error(garbage: str) -> None:
    with pytest.raises(ConfigError) as info:
        normalise_api_base(garbage)
    assert info.value.sentence.endswith(".")
    assert "pw@" not in info.value.sentence  # credentials are never echoed


def test_signed_url_is_base_call_and_signed_query() -> None:
    url = signed_url("https://h/bigbluebutton/api/", "isMeetingRunning", {"meetingID": "abc123"}, "s3cret", "sha1")
    base, _, query = url.partition("?")
    assert base == "https://h/bigbluebutton/api/isMeetingRunning"
    assert verify("isMeetingRunning", query, "s3cret")
