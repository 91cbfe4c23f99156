"""Checksum and encoding: every vector of bbb-api.md §1.6, plus property tests."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.bbb.checksum import (
    ALGORITHMS,
    algorithm_for_checksum_length,
    checksum,
    encode_query,
    encode_value,
    sign,
    split_checksum,
    verify,
)

DOCS_SECRET = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"
DOCS_QUERY = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"

# §1.6.1 official docs vector and its derived rows
OFFICIAL = [
    ("sha1", "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"),
    ("sha256", "da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e"),
    ("sha384", "891ac633df39d0a1b4f8d597f3e190833216c4b29c4fb51ea3ca72757eeb958d6e7b49a845cf29f5c6019c7d29d029d1"),
    ("sha512", "de73ad61d11a5c801b68d4bd6ec5248546085cefb0b25c85f3c46249ea93a3a4b120f92c0a8a58d7512cb77821884951a3b01245f3435dbbef49fff3cc3988b4"),
]

# §1.6.2 vectors from client-library tests: (call, query, secret, algorithm, checksum)
LIBRARIES = [
    ("join", "param1=value1&param2=value2", "1234567890abcdefghijkl", "sha1", "67882ae54f49600f56f358c10d24697ef7d8c6b2"),
    ("join", "param1=value1&param2=value2", "1234567890abcdefghijkl", "sha256", "0e7b1611809fad890a114dddae1a37fecf14c28971afc10ee3eac432da5b8b41"),
    ("join", "param2=value2&param1=value1", "1234567890abcdefghijkl", "sha1", "85a54e28e4ec18bfdcb214a73f74d35b09a84176"),
    ("getMeetings", "foo=bar&baz=bazinga", "AFFE", "sha1", "8c313ec566a91bb9a409b51a0f515f53216a43ae"),
    ("getMeetings", "foo=bar&baz=bazinga", "AFFE", "sha256", "e93a022a742425259bf3acec803ad8b4e428e7653b66bfecfa60d935a04bcc3b"),
    ("getMeetings", "", "AFFE", "sha1", "e0a2f45a343479c590e64a9bdd673331adff2a75"),
    ("foo", "foo=bar&baz=bazinga", "S3cr3t", "sha1", "694ad46bc5a79a572bab6c8b9a939527c39ac7f6"),
    ("foo", "foo=bar&baz=bazinga", "S3cr3t", "sha256", "0ce0d779a8220be9824c7eab055b36b59ac504ba899a76d7c528b8473960025e"),
    ("getMeetingInfo", "", "test-2", "sha1", "cbf00ea96fae6ff06c2cb311bbde8b26ad66d765"),
]

# §1.6.3 derived vectors with the docs secret: (call, query, {algorithm: checksum})
DERIVED = [
    ("getMeetings", "", {
        "sha1": "2027baa7771026e9e93392f55031535d1444c41f",
        "sha256": "a5370c5f3d97d56d53b435684cdbc429c2898a3bf9f435518b4279e1e0dbfc8c",
        "sha384": "a2caf6ab7a9296f621a58d55f299b6dbd023afcf7ccf4ddfb4245a04eb87a0bc7797ea193baa41f81346330145bd3199",
        "sha512": "456defa5035a4194b8590216805aa0f3b7a7508c2cb74a28bd750d4d2f43d851467acd9b8961cb7f6ffdab0c27e4e83655be9108d4a20ad8702958d6b01a48f4",
    }),
    ("isMeetingRunning", "meetingID=abc123", {
        "sha1": "8478733ccb8695b8aaaff48b3c1e281a75a6f046",
        "sha256": "0d7030d1b5af6624c3e8909540eb2747a33d993a4951fb3bde9462025e41dcdb",
        "sha384": "c4230594502722fd1358a6a0611543c8b5941d88ef87e5ea16de7b4980a9c32bcc20596d72ac68e4735776d60522a4af",
        "sha512": "68b5079059e341dc2492220ad59f01166eee3aa486dce3a1ddc7fa2632765ad9ccfc48189a92b688d80be423162989263261beaa3714a07f9610d1bc9b6b51f9",
    }),
    ("end", "meetingID=abc123", {
        "sha1": "8487e6301244e8f902dc849b0319eaca5e292d78",
        "sha256": "13a3a2f0c18c6fe1b4da6d56703bdabd2229956a0dc51a49ef0159df9d037a06",
        "sha384": "360414008c607f1e6c384badc4e70147718bd04dfbf4adb62be4ca12e8b6f2d3a77283decd3e1eabf8f6657c38e49101",
        "sha512": "6d939a748141d3f46c04e9862fd0cbb5db4dab427ac301707778179e165bdfa03cd892930cec325049b8aadabc50b8eb081aa99354c83908e9896ff37be0a461",
    }),
    ("join", "fullName=Jane+Doe&meetingID=abc123&role=MODERATOR&redirect=false", {
        "sha1": "71fec7f91114d46d0188d1409b6975ac00dd3857",
        "sha256": "479733eee0b6a4deb6ed8d23c8b36f801620a057033556fbe9a26b76d53bd48c",
        "sha384": "1b8b8d227ebca654d27028c480bfcb46d62547d09dc640ba11e4dc9864757f968cc0f271f2307d5eef4c67d6b1e31275",
        "sha512": "bf98c0ba42e63c1a188517031c0f5120237da22130e381f31023e8f72d1fe4243a94a6738aa6ff7a736c62c7683ea7e8890bee185bcb0d926964cf4715b6876a",
    }),
    ("sendChatMessage", "meetingID=random-123&message=my+test&userName=System+Admin", {
        "sha1": "866cbcfaddfb218a222a6fe1a727cf9e8115affd",
        "sha256": "257d29e7438ccb97c9d12786515305c7d19b7ec331a087d29e3e2e3124eff5dd",
        "sha384": "d6a032d8da9f59e20ab1541575e6b9e51434e7ca54bd8a5e840add1280dbc0449b8a732105e2c918cc5adf89c137ca7e",
        "sha512": "87b1e0a418ea78c85841f1a1ef3a6ae004e9c836b9ab278dc7a1016a2c1ebf641e7309390b205d3857d9d08317eee7fe5815d95e311a7560dc1234dc3c58dceb",
    }),
    ("hooks/create", "callbackURL=https%3A%2F%2Fexample.com%2Fhook&meetingID=abc123", {
        "sha1": "16b93eb2a65766d42053526b38e68a1b7f1535d1",
        "sha256": "8a3f32b7a48863bb974db9b4c523674242c0aa4d4272c0029e01783e8fe03b61",
        "sha384": "e67a5917aa2d4823f46e0e59425b201e14cd85cdb532031deb9baf23be0940d5bedb0d93334c139e78bb7390bbafb000",
        "sha512": "540b699fd846f5456605ff356bed0625d12c9f56248d3caed513fc6bb56aba0ab902c801e47e45b12bf00b387ea38064ecd34776355312102b371c9b7b2a4b08",
    }),
    ("getMeetingInfo", "meetingID=abc123", {
        "sha1": "f4a4a2107fae99c5a388a49250a191aab50f3a4a",
        "sha256": "039cf45b0c8a27964c5ed0923f0655147e459a5b9bfb4de181b87d313607118c",
    }),
]
DERIVED_ROWS = [(call, query, algo, digest) for call, query, digests in DERIVED for algo, digest in digests.items()]

# §1.6.4 encoding vectors: (call, params, encoded query, sha1, sha256)
ENCODING = [
    (
        "create",
        [("name", "Café d'été (1/2)*~"), ("meetingID", "0042-cafe-dete")],
        "name=Caf%C3%A9+d%27%C3%A9t%C3%A9+%281%2F2%29*%7E&meetingID=0042-cafe-dete",
        "d8b7e8506f3a4cd67209ab26777308ff9d2b907f",
        "6340d5434b0e7a2ce6554ea93a3f1070faf7e386ba8c45c92dbc6ab51f3855f4",
    ),
    (
        "sendChatMessage",
        [("meetingID", "abc123"), ("message", "(Jane Doe) Bonjour à tous ! ~ 100%"), ("userName", "Pupitre")],
        "meetingID=abc123&message=%28Jane+Doe%29+Bonjour+%C3%A0+tous+%21+%7E+100%25&userName=Pupitre",
        "7091d256fa699e4108039c9c82b43824f69c716e",
        "3d32eb5ee491fa58053bddd898ac910ea4039858f96a0b711a223dd46bd5d0a6",
    ),
]


@pytest.mark.parametrize(("algorithm", "expected"), OFFICIAL)
def test_official_docs_vector(algorithm: str, expected: str) -> None:
    assert checksum("create", DOCS_QUERY, DOCS_SECRET, algorithm) == expected


def test_official_docs_final_url_query() -> None:
    params = [("name", "Test Meeting"), ("meetingID", "abc123"), ("attendeePW", "111222"), ("moderatorPW", "333444")]
    assert sign("create", params, DOCS_SECRET, "sha1") == DOCS_QUERY + "&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"


@pytest.mark.parametrize(("call", "query", "secret", "algorithm", "expected"), LIBRARIES)
def test_client_library_vectors(call: str, query: str, secret: str, algorithm: str, expected: str) -> None:
    assert checksum(call, query, secret, algorithm) == expected


@pytest.mark.parametrize(("call", "query", "algorithm", "expected"), DERIVED_ROWS)
def test_derived_vectors(call: str, query: str, algorithm: str, expected: str) -> None:
    assert checksum(call, query, DOCS_SECRET, algorithm) == expected
    assert algorithm_for_checksum_length(len(expected)) == algorithm


@pytest.mark.parametrize(("call", "params", "query", "sha1", "sha256"), ENCODING)
def test_encoding_vectors(call: str, params: list[tuple[str, str]], query: str, sha1: str, sha256: str) -> None:
    assert encode_query(params) == query
    assert sign(call, params, DOCS_SECRET, "sha1") == f"{query}&checksum={sha1}"
    assert sign(call, params, DOCS_SECRET, "sha256") == f"{query}&checksum={sha256}"


def test_empty_query_signs_as_checksum_only() -> None:
    assert sign("getMeetings", [], "AFFE", "sha1") == "checksum=e0a2f45a343479c590e64a9bdd673331adff2a75"


def test_booleans_and_ints_are_bbb_literals() -> None:
    assert encode_query({"record": True, "muteOnStart": False, "duration": 90}) == "record=true&muteOnStart=false&duration=90"


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [(" ", "+"), ("@$", "%40%24"), ("*", "*"), ("~", "%7E"), ("-._", "-._"), ("+", "%2B"), ("%7E", "%257E"), ("/", "%2F"), ("😀", "%F0%9F%98%80")],
)
def test_java_urlencoder_equivalence(raw: str, encoded: str) -> None:
    assert encode_value(raw) == encoded


def test_insertion_order_is_kept() -> None:
    assert encode_query({"b": "1", "a": "2"}) == "b=1&a=2"
    assert sign("join", {"param2": "value2", "param1": "value1"}, "1234567890abcdefghijkl", "sha1").endswith(
        "85a54e28e4ec18bfdcb214a73f74d35b09a84176"
    )


def test_unknown_algorithm_and_lengths() -> None:
    with pytest.raises(ValueError):
        checksum("getMeetings", "", "x", "md5")
    assert algorithm_for_checksum_length(41) is None
    assert [algorithm_for_checksum_length(n) for n in (40, 64, 96, 128)] == list(ALGORITHMS)


def test_verify_and_split() -> None:
    query = sign("end", {"meetingID": "abc123"}, DOCS_SECRET, "sha512")
    assert split_checksum(query)[0] == "meetingID=abc123"
    assert verify("end", query, DOCS_SECRET)
    assert not verify("end", query, DOCS_SECRET + "x")
    assert not verify("end", "meetingID=abc123", DOCS_SECRET)


# -- properties -------------------------------------------------------------------------------

names = st.text(min_size=1, max_size=80)
ids = st.text(min_size=1, max_size=60)


@given(name=names, meeting_id=ids, algorithm=st.sampled_from(ALGORITHMS), secret=st.text(min_size=1, max_size=40))
def test_sign_round_trips_through_parse_qsl(name: str, meeting_id: str, algorithm: str, secret: str) -> None:
    # lone surrogates cannot be sent as UTF-8 at all; everything else must round-trip
    for text in (name, meeting_id):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return
    params: list[tuple[str, str | bool]] = [("name", name), ("meetingID", meeting_id), ("record", True)]
    query = sign("create", params, secret, algorithm)
    parsed = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    assert parsed[:-1] == [("name", name), ("meetingID", meeting_id), ("record", "true")]
    assert parsed[-1][0] == "checksum"
    unsigned, digest = split_checksum(query)
    assert digest == parsed[-1][1]
    # the server's view: hash the raw query without the checksum
    expected = hashlib.new(algorithm, ("create" + unsigned + secret).encode()).hexdigest()
    assert digest == expected
    assert verify("create", query, secret)
    # only unreserved characters, '*', '+', '%XX', '=' and '&' reach the wire
    assert all(c.isascii() and (c.isalnum() or c in "-._*+%=&") for c in query)


def test_unencodable_value_is_a_typed_error() -> None:
    from desktop.bbb.errors import InvalidParameter

    with pytest.raises(InvalidParameter):
        encode_query({"name": "bad \udcff byte"})
