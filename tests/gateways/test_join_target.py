"""Join targets: Pod's split (reference §6.1 worked example), Greenlight links, signed BBB joins."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.errors import ConfigError
from desktop.gateways.join_target import (
    ROOM_PARAM,
    ROOM_PATTERN,
    STREAMING_USERDATA,
    JoinTarget,
    room_id,
    signed_join_target,
    streaming_join_params,
)
from desktop.logs import redact

# Reference gateway-and-pod.md §6.1 (derived worked example)
POD_SECRET_KEY = "django-insecure-example"
POD_HASHKEY = "ae50a5f4951f5a245f4a806cf99c9d34b919cea3033eff6e322c99967ae002d1"
POD_ROOM = "967ae002d1"
POD_DOMAIN = "pod.univ.fr/meeting/0042-amphi-l1/ae50a5f4951f5a245f4a806cf99c9d34b919cea3033eff6e322c99"
POD_GATEWAY_URL = f"https://{POD_DOMAIN}/{POD_ROOM}"

BBB_SECRET = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"
JOIN_ENDPOINT = "https://bbb.example.org/bigbluebutton/api/join"


def test_pod_hashkey_of_the_worked_example() -> None:
    # the example's hash key really is sha256("SECRET_KEY-id-attendee_password")
    assert hashlib.sha256(f"{POD_SECRET_KEY}-42-qwertyui".encode()).hexdigest() == POD_HASHKEY


def test_pod_direct_access_link_is_split_like_pod() -> None:
    target = JoinTarget.from_join_page(f"https://pod.univ.fr/meeting/0042-amphi-l1/{POD_HASHKEY}")
    assert target.room == POD_ROOM
    assert target.domain == POD_DOMAIN
    assert target.url == POD_GATEWAY_URL
    assert not target.is_signed_join


def test_pod_gateway_url_itself_splits_to_the_same_pair() -> None:
    target = JoinTarget.from_join_page(POD_GATEWAY_URL)
    assert (target.domain, target.room) == (POD_DOMAIN, POD_ROOM)


@pytest.mark.parametrize(
    ("url", "domain", "room"),
    [
        ("https://gl.univ.fr/rooms/abc-def-ghi/join", "gl.univ.fr/rooms/abc-def-ghi", "join"),
        ("https://gl.univ.fr/rooms/abc-def-ghi", "gl.univ.fr/rooms", "abc-def-ghi"),
        ("https://gl.univ.fr/rooms/abc-def-ghi/", "gl.univ.fr/rooms", "abc-def-ghi"),
        ("https://gl.univ.fr:8443/b/abc-xyz", "gl.univ.fr:8443/b", "abc-xyz"),
    ],
)
def test_greenlight_links_split_at_the_last_segment(url: str, domain: str, room: str) -> None:
    target = JoinTarget.from_join_page(url)
    assert (target.domain, target.room) == (domain, room)
    assert target.url == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://gl.univ.fr/rooms/abc",  # the gateway always opens https
        "https://gl.univ.fr",  # nothing to use as a room
        "https://gl.univ.fr/rooms/abc?x=1",
        "https://gl.univ.fr/rooms/abc#top",
        "https://gl.univ.fr/rooms/ABC-def",  # not a compose project name
        "https://gl.univ.fr/rooms/a%20b",
        "https://user@gl.univ.fr/rooms/abc",
        "not a url",
    ],
)
def test_unusable_join_pages_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        JoinTarget.from_join_page(url)


def test_room_must_be_a_short_identifier() -> None:
    with pytest.raises(ConfigError):
        JoinTarget("pod.univ.fr/x", "a" * 64)
    with pytest.raises(ConfigError):
        JoinTarget("https://pod.univ.fr/x", "abc")
    with pytest.raises(ConfigError):
        JoinTarget("pod.univ.fr/x/", "abc")


def bbb_sha256(call: str, query: str) -> str:
    return hashlib.sha256(f"{call}{query}{BBB_SECRET}".encode()).hexdigest()


def bbb_accepts(url: str) -> bool:
    """What bbb-web does with a GET (bbb-api.md §1.2): delete the literal checksum, hash the rest."""
    parts = urlsplit(url)
    assert parts.path.endswith("/join")
    query = parts.query  # raw, as the browser sends it (the fragment never goes out)
    match = re.search(r"checksum=([0-9a-f]+)", query)
    assert match is not None
    value = match.group(1)
    for pattern in (f"&checksum={value}", f"checksum={value}&", f"checksum={value}"):
        if pattern in query:
            query = query.replace(pattern, "", 1)
            break
    return bbb_sha256("join", query) == value


def test_signed_join_round_trip_is_exactly_a_validly_signed_url() -> None:
    room = room_id("webinar-uuid-1")
    params = streaming_join_params("amphi L1 (2026)", create_time="1531155809613")
    target = signed_join_target(lambda q: bbb_sha256("join", q), JOIN_ENDPOINT, params, room)
    assert target.room == room
    assert target.is_signed_join
    url = f"https://{target.domain}/{target.room}"
    assert url == target.url
    assert url.startswith(JOIN_ENDPOINT + "?")
    assert bbb_accepts(url)
    # the parameters BBB will read are the ones we asked for, plus our room tag
    got = parse_qsl(urlsplit(url).query)
    assert ("fullName", "streaming") in got
    assert ("role", "VIEWER") in got
    assert ("meetingID", "amphi L1 (2026)") in got
    assert got[-1] == (ROOM_PARAM, f"/{room}")
    for key, value in STREAMING_USERDATA.items():
        assert (f"userdata-{key}", value) in got
    # and a tampered URL does not verify (the check above is not vacuous)
    assert not bbb_accepts(url.replace("role=VIEWER", "role=MODERATOR"))


def test_from_bbb_join_is_the_inverse_of_signed_join_target() -> None:
    target = signed_join_target(
        lambda q: bbb_sha256("join", q), JOIN_ENDPOINT, streaming_join_params("m1"), "abc123"
    )
    assert JoinTarget.from_bbb_join(target.url) == target


def test_plain_signed_join_urls_are_refused_with_a_reason() -> None:
    query = "fullName=streaming&meetingID=m1&role=VIEWER"
    plain = f"{JOIN_ENDPOINT}?{query}&checksum={bbb_sha256('join', query)}"
    with pytest.raises(ConfigError, match="signed_join_target"):
        JoinTarget.from_bbb_join(plain)
    with pytest.raises(ConfigError, match="not signed"):
        JoinTarget.from_bbb_join(f"{JOIN_ENDPOINT}?{query}")


def test_signed_target_never_shows_its_checksum_in_repr_or_logs() -> None:
    target = signed_join_target(
        lambda q: bbb_sha256("join", q), JOIN_ENDPOINT, streaming_join_params("m1"), "abc123"
    )
    checksum = re.search(r"checksum=([0-9a-f]+)", target.domain)
    assert checksum is not None
    assert checksum.group(1) not in repr(target)
    assert checksum.group(1) not in target.describe()
    # registered as a secret: even URL-encoded inside another query it is redacted
    assert checksum.group(1) not in redact(f"GET /start?domain={target.domain.replace('=', '%3D')}")


def test_signed_join_refuses_bad_inputs() -> None:
    sign = lambda q: bbb_sha256("join", q)  # noqa: E731
    with pytest.raises(ConfigError):
        signed_join_target(sign, "http://bbb.example.org/bigbluebutton/api/join", [], "abc")
    with pytest.raises(ConfigError):
        signed_join_target(sign, JOIN_ENDPOINT + "?x=1", [], "abc")
    with pytest.raises(ConfigError):
        signed_join_target(sign, JOIN_ENDPOINT, [("checksum", "x")], "abc")
    with pytest.raises(ConfigError):
        signed_join_target(sign, JOIN_ENDPOINT, [], "Not A Room")
    with pytest.raises(ConfigError):
        signed_join_target(lambda q: "NOT-HEX", JOIN_ENDPOINT, [("a", "b")], "abc")


_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30
)


@given(
    params=st.lists(st.tuples(st.from_regex(r"[A-Za-z][A-Za-z_-]{0,15}", fullmatch=True), _text), max_size=6),
    room=st.from_regex(ROOM_PATTERN, fullmatch=True),
)
def test_any_parameters_and_room_round_trip_and_verify(params: list[tuple[str, str]], room: str) -> None:
    params = [(k, v) for k, v in params if k not in ("checksum", ROOM_PARAM)]
    target = signed_join_target(lambda q: bbb_sha256("join", q), JOIN_ENDPOINT, params, room)
    assert target.url == f"https://{target.domain}/{room}"
    assert bbb_accepts(target.url)
    assert parse_qsl(urlsplit(target.url).query, keep_blank_values=True)[: len(params)] == params
    assert JoinTarget.from_bbb_join(target.url) == target


def test_room_id_is_pod_shaped_stable_and_distinct() -> None:
    assert re.fullmatch(r"[0-9a-f]{10}", room_id())
    assert room_id("uuid-1") == room_id("uuid-1")
    assert room_id("uuid-1") != room_id("uuid-2")
    assert len({room_id() for _ in range(50)}) == 50
