"""The lab's BBB HTTP API over real loopback HTTP: checksums, every call and messageKey, join
redirects and cookies, lifecycle, end callbacks, sendChatMessage, modes and the down fault."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, unquote, urlsplit

import aiohttp
import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.bbb.checksum import remove_checksum_from_query_string, verify_checksum
from desktop.lab.bbb.responses import add, response_root
from desktop.lab.world import LabWorld, LifecycleTimings
from tests.lab.conftest import Api
from tests.lab.signing import DOCS_SECRET, digest, encode, signed

DOCS_QUERY = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"
DOCS_VECTORS = {  # bbb-bbb_api.md §1.6.1
    "sha1": "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17",
    "sha256": "da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e",
    "sha384": "891ac633df39d0a1b4f8d597f3e190833216c4b29c4fb51ea3ca72757eeb958d6e7b49a845cf29f5c6019c7d29d029d1",
    "sha512": "de73ad61d11a5c801b68d4bd6ec5248546085cefb0b25c85f3c46249ea93a3a4b120f92c0a8a58d7512cb77821884951a3b01245f3435dbbef49fff3cc3988b4",
}
GET_MEETINGS_VECTORS = {  # bbb-bbb_api.md §1.6.3
    "sha1": "2027baa7771026e9e93392f55031535d1444c41f",
    "sha256": "a5370c5f3d97d56d53b435684cdbc429c2898a3bf9f435518b4279e1e0dbfc8c",
    "sha384": "a2caf6ab7a9296f621a58d55f299b6dbd023afcf7ccf4ddfb4245a04eb87a0bc7797ea193baa41f81346330145bd3199",
    "sha512": "456defa5035a4194b8590216805aa0f3b7a7508c2cb74a28bd750d4d2f43d851467acd9b8961cb7f6ffdab0c27e4e83655be9108d4a20ad8702958d6b01a48f4",
}
IS_RUNNING_VECTORS = {
    "sha1": "8478733ccb8695b8aaaff48b3c1e281a75a6f046",
    "sha256": "0d7030d1b5af6624c3e8909540eb2747a33d993a4951fb3bde9462025e41dcdb",
    "sha384": "c4230594502722fd1358a6a0611543c8b5941d88ef87e5ea16de7b4980a9c32bcc20596d72ac68e4735776d60522a4af",
    "sha512": "68b5079059e341dc2492220ad59f01166eee3aa486dce3a1ddc7fa2632765ad9ccfc48189a92b688d80be423162989263261beaa3714a07f9610d1bc9b6b51f9",
}
ENCODED_CREATE = "name=Caf%C3%A9+d%27%C3%A9t%C3%A9+%281%2F2%29*%7E&meetingID=0042-cafe-dete"  # §1.6.4
HOSTILE = '<script>alert("x")</script> & <b>'


# -- checksum verification (unit) ------------------------------------------------------------------
@pytest.mark.parametrize(("algorithm", "value"), DOCS_VECTORS.items())
def test_docs_vectors_verify_with_the_algorithm_their_length_selects(algorithm: str, value: str) -> None:
    query = f"{DOCS_QUERY}&checksum={value}"
    assert verify_checksum("create", query, value, DOCS_SECRET, accepted=[algorithm])
    others = [a for a in DOCS_VECTORS if a != algorithm]
    assert not verify_checksum("create", query, value, DOCS_SECRET, accepted=others)


def test_ruby_vectors_show_that_the_order_is_part_of_the_signed_string() -> None:
    secret = "1234567890abcdefghijkl"  # §1.6.2
    ok = "67882ae54f49600f56f358c10d24697ef7d8c6b2"
    swapped = "85a54e28e4ec18bfdcb214a73f74d35b09a84176"
    assert verify_checksum("join", f"param1=value1&param2=value2&checksum={ok}", ok, secret, accepted=["sha1"])
    assert verify_checksum("join", f"param2=value2&param1=value1&checksum={swapped}", swapped, secret,
                           accepted=["sha1"])
    assert not verify_checksum("join", f"param2=value2&param1=value1&checksum={ok}", ok, secret, accepted=["sha1"])


def test_remove_checksum_deletes_it_wherever_it_stands() -> None:
    for query in (f"checksum=ab&{DOCS_QUERY}", f"{DOCS_QUERY}&checksum=ab",
                  DOCS_QUERY.replace("&meetingID", "&checksum=ab&meetingID")):
        assert remove_checksum_from_query_string(query, "ab") == DOCS_QUERY
    assert remove_checksum_from_query_string("checksum=ab", "ab") == ""


@given(st.text(max_size=40), st.text(max_size=40), st.sampled_from(list(DOCS_VECTORS)))
def test_any_value_signed_by_the_rule_verifies(name: str, meeting_id: str, algorithm: str) -> None:
    query = encode({"name": name, "meetingID": meeting_id})
    assert verify_checksum("create", signed("create", query, "s3cr3t", algorithm),
                           digest("create", query, "s3cr3t", algorithm), "s3cr3t", accepted=[algorithm])


@given(st.text())
def test_xml_text_survives_any_user_string(text: str) -> None:
    root = response_root()
    add(root, "meetingName", text)
    parsed = ET.fromstring(ET.tostring(root, encoding="unicode"))
    assert parsed.findtext("meetingName") is not None


# -- checksum over HTTP ------------------------------------------------------------------------------
@pytest.mark.parametrize(("algorithm", "value"), GET_MEETINGS_VECTORS.items())
async def test_get_meetings_vectors_accepted_by_length(bbb_api: Api, algorithm: str, value: str) -> None:
    reply = await bbb_api.raw("getMeetings", f"checksum={value}")
    assert (reply.status, reply.returncode, reply.key) == (200, "SUCCESS", "noMeetings")
    assert reply.xml.find("meetings") is not None


@pytest.mark.parametrize(("algorithm", "value"), IS_RUNNING_VECTORS.items())
async def test_is_meeting_running_vectors(bbb_api: Api, algorithm: str, value: str) -> None:
    reply = await bbb_api.raw("isMeetingRunning", f"meetingID=abc123&checksum={value}")
    assert reply.returncode == "SUCCESS"
    assert reply.get("running") == "false"


@pytest.mark.parametrize(("algorithm", "value"), DOCS_VECTORS.items())
async def test_official_create_vector_creates_with_every_algorithm(bbb_api: Api, algorithm: str, value: str) -> None:
    reply = await bbb_api.raw("create", f"{DOCS_QUERY}&checksum={value}")
    assert reply.returncode == "SUCCESS", reply.text
    assert (reply.get("meetingID"), reply.get("attendeePW"), reply.get("moderatorPW")) == ("abc123", "111222", "333444")


async def test_checksum_may_come_first(bbb_api: Api) -> None:
    reply = await bbb_api.raw("create", f"checksum={DOCS_VECTORS['sha1']}&{DOCS_QUERY}")
    assert reply.returncode == "SUCCESS"


async def test_uppercase_checksum_accepted_by_bbb(bbb_api: Api) -> None:
    reply = await bbb_api.raw("create", f"{DOCS_QUERY}&checksum={DOCS_VECTORS['sha1'].upper()}")
    assert reply.returncode == "SUCCESS"


@pytest.mark.parametrize("checksum", ["", "abc", "0" * 39, "0" * 41, "0" * 63, "0" * 127, "0" * 40, "0" * 128])
async def test_wrong_or_bad_length_checksum_is_a_checksum_error(bbb_api: Api, checksum: str) -> None:
    reply = await bbb_api.raw("getMeetings", f"checksum={checksum}")
    assert (reply.status, reply.returncode, reply.key) == (200, "FAILED", "checksumError")
    assert reply.get("message")


async def test_missing_checksum_is_a_checksum_error(bbb_api: Api) -> None:
    for call, query in (("getMeetings", ""), ("isMeetingRunning", "meetingID=abc123")):
        reply = await bbb_api.raw(call, query)
        assert reply.key == "checksumError"


async def test_wrong_secret_is_a_checksum_error(bbb_api: Api) -> None:
    reply = await bbb_api.raw("getMeetings", signed("getMeetings", "", "not-the-secret"))
    assert reply.key == "checksumError"


async def test_reencoded_or_reordered_query_is_refused(bbb_api: Api) -> None:
    checksum = DOCS_VECTORS["sha256"]
    reencoded = DOCS_QUERY.replace("Test+Meeting", "Test%20Meeting")
    reordered = "meetingID=abc123&name=Test+Meeting&attendeePW=111222&moderatorPW=333444"
    for query in (reencoded, reordered):
        reply = await bbb_api.raw("create", f"{query}&checksum={checksum}")
        assert reply.key == "checksumError"


async def test_the_raw_bytes_are_hashed_not_a_decoded_copy(bbb_api: Api, bbb_world: LabWorld) -> None:
    reply = await bbb_api.raw("create", signed("create", ENCODED_CREATE, DOCS_SECRET))
    assert reply.returncode == "SUCCESS"
    meeting = bbb_world.meeting("0042-cafe-dete")
    assert meeting is not None and meeting.name == "Café d'été (1/2)*~"
    # the same values, percent-encoded in lower case: still fine when signed that way ...
    lower = ENCODED_CREATE.replace("%C3%A9", "%c3%a9")
    assert (await bbb_api.raw("create", signed("create", lower, DOCS_SECRET))).key == "duplicateWarning"
    # ... but a checksum of the upper-case bytes does not sign the lower-case ones
    assert (await bbb_api.raw("create", f"{lower}&checksum={digest('create', ENCODED_CREATE, DOCS_SECRET)}")).key == "checksumError"


async def test_raw_socket_request_is_verified_byte_for_byte(bbb_server: BBBServer) -> None:
    query = "meetingID=abc%7e123"  # a lower-case escape that a normalising client would rewrite
    line = f"GET /bigbluebutton/api/isMeetingRunning?{signed('isMeetingRunning', query, DOCS_SECRET)} HTTP/1.1\r\n"
    reader, writer = await asyncio.open_connection("127.0.0.1", bbb_server.port)
    writer.write((line + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").encode())
    await writer.drain()
    answer = (await asyncio.wait_for(reader.read(), 5)).decode()
    writer.close()
    await writer.wait_closed()
    assert "<returncode>SUCCESS</returncode>" in answer


async def test_accepted_algorithms_restrict_and_change_at_runtime(bbb_api: Api, bbb_world: LabWorld) -> None:
    bbb_world.bbb_faults.accepted_algorithms = ("sha512",)
    assert (await bbb_api.call("getMeetings", algorithm="sha256")).key == "checksumError"
    assert (await bbb_api.call("getMeetings", algorithm="sha512")).key == "noMeetings"
    bbb_world.bbb_faults.accepted_algorithms = ("sha1", "sha256")
    assert (await bbb_api.call("getMeetings", algorithm="sha512")).key == "checksumError"
    assert (await bbb_api.call("getMeetings", algorithm="sha1")).key == "noMeetings"


async def test_form_post_without_query_is_verified_over_sorted_body(bbb_api: Api) -> None:
    body = {"name": "Test Meeting", "meetingID": "abc123"}
    sorted_query = "meetingID=abc123&name=Test+Meeting"
    form = {**body, "checksum": digest("create", sorted_query, DOCS_SECRET)}
    reply = await bbb_api.raw("create", "", method="POST", data=form)
    assert reply.returncode == "SUCCESS", reply.text
    bad = {**body, "checksum": digest("create", "name=Test+Meeting&meetingID=abc123", DOCS_SECRET)}
    assert (await bbb_api.raw("create", "", method="POST", data=bad)).key == "checksumError"
    assert (await bbb_api.raw("getMeetings", "", method="POST", data=b"x")).key == "unsupportedContentType"


# -- root ----------------------------------------------------------------------------------------------
async def test_root_announces_bbb3_and_graphql(bbb_server: BBBServer, bbb_http: aiohttp.ClientSession) -> None:
    for url in (bbb_server.api_url, bbb_server.api_url.rstrip("/")):
        async with bbb_http.get(url) as response:
            root = ET.fromstring(await response.text())
        assert root.findtext("returncode") == "SUCCESS"
        assert root.findtext("version") == "2.0"
        assert (root.findtext("bbbVersion") or "").startswith("3.0.")
        assert root.findtext("graphqlWebsocketUrl") == f"ws://127.0.0.1:{bbb_server.port}/graphql"
        assert root.findtext("graphqlApiUrl") == f"http://127.0.0.1:{bbb_server.port}/api/rest"
    async with bbb_http.get(bbb_server.api_url, headers={"Content-Type": "application/json"}) as response:
        data = await response.json()
    assert data["response"]["graphqlWebsocketUrl"] == bbb_server.graphql_url
    assert bbb_server.url == f"http://127.0.0.1:{bbb_server.port}/bigbluebutton/"


# -- create --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("params", "key"), [
    ({"name": "Room"}, "missingParamMeetingID"),
    ({"name": "Room", "meetingID": ""}, "missingParamMeetingID"),
    ({"name": "Room", "meetingID": "x"}, "validationError"),
    ({"name": "Room", "meetingID": "x" * 257}, "validationError"),
    ({"name": "Room", "meetingID": "a,b"}, "validationError"),
    ({"meetingID": "room-1"}, "validationError"),
    ({"name": "R", "meetingID": "room-1"}, "validationError"),
    ({"name": "R" * 257, "meetingID": "room-1"}, "validationError"),
])
async def test_create_validation(bbb_api: Api, bbb_world: LabWorld, params: dict[str, str], key: str) -> None:
    reply = await bbb_api.call("create", params)
    assert (reply.status, reply.returncode, reply.key) == (200, "FAILED", key)
    assert not bbb_world.meetings


async def test_create_bounds_are_inclusive(bbb_api: Api) -> None:
    await bbb_api.create("ab", "cd")
    await bbb_api.create("x" * 256, "y" * 256)


async def test_create_is_idempotent_and_detects_other_passwords(bbb_api: Api) -> None:
    first = await bbb_api.create("room-1", "Room", attendeePW="ap", moderatorPW="mp", meta_endCallbackUrl="http://x/")
    assert first.key == ""
    assert first.get("parentMeetingID") == "bbb-none"
    again = await bbb_api.create("room-1", "Room", attendeePW="ap", moderatorPW="mp")
    assert again.key == "duplicateWarning"
    for tag in ("internalMeetingID", "createTime", "voiceBridge", "attendeePW", "moderatorPW"):
        assert again.get(tag) == first.get(tag)
    other = await bbb_api.call("create", {"name": "Room", "meetingID": "room-1", "attendeePW": "other"})
    assert (other.returncode, other.key) == ("FAILED", "idNotUnique")


async def test_create_stores_params_and_echoes_meta_lowercased(bbb_api: Api, bbb_world: LabWorld) -> None:
    await bbb_api.create("room-1", "Room", meta_endCallbackUrl="https://lms/ended", **{"meta_BBB-Origin": "Pupitre"},
                     welcome="Hi", record="true", duration="90")
    meeting = bbb_world.meeting("room-1")
    assert meeting is not None and meeting.params["welcome"] == "Hi" and "checksum" not in meeting.params
    info = await bbb_api.call("getMeetingInfo", {"meetingID": "room-1"})
    metadata = info.xml.find("metadata")
    assert metadata is not None
    assert metadata.findtext("endcallbackurl") == "https://lms/ended"
    assert metadata.findtext("bbb-origin") == "Pupitre"
    assert info.get("duration") == "90"


# -- join ----------------------------------------------------------------------------------------------
async def test_join_xml_sets_the_session_cookie(bbb_api: Api, bbb_world: LabWorld, bbb_server: BBBServer) -> None:
    created = await bbb_api.create()
    reply = await bbb_api.join_xml(full_name="Jane Doe", role="viewer", userID="ext-7", params={"userdata-bbb_x": "1"})
    assert reply.get("meeting_id") == created.get("internalMeetingID")
    assert reply.get("guestStatus") == "ALLOW"
    token = reply.get("session_token")
    assert token and reply.get("auth_token") and (reply.get("user_id") or "").startswith("w_")
    assert reply.get("url") == f"http://127.0.0.1:{bbb_server.port}/html5client/join?sessionToken={token}"
    set_cookie = reply.headers["Set-Cookie"]
    assert set_cookie.startswith("JSESSIONID=") and "Path=/" in set_cookie and "HttpOnly" in set_cookie
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    user = meeting.user_by_session(token)
    assert user is not None and user.role == "VIEWER" and user.external_user_id == "ext-7"
    assert user.customdata == {"bbb_x": "1"} and reply.cookies["JSESSIONID"] == user.jsessionid
    assert not user.present  # registered, not yet in the meeting


async def test_join_redirects_to_the_client_page_with_cookie(bbb_api: Api, bbb_server: BBBServer) -> None:
    await bbb_api.create()
    reply = await bbb_api.call("join", {"fullName": "Jane", "meetingID": "lab-room", "role": "MODERATOR"})
    assert reply.status == 302
    location = urlsplit(reply.headers["Location"])
    assert (location.netloc, location.path) == (f"127.0.0.1:{bbb_server.port}", "/html5client/join")
    assert parse_qs(location.query)["sessionToken"][0]
    assert reply.cookies["JSESSIONID"]


def _errors_of(location: str) -> list[dict[str, str]]:
    query = urlsplit(location).query
    return json.loads(unquote(query.split("errors=", 1)[1]))


@pytest.mark.parametrize(("params", "key"), [
    ({"fullName": "J", "meetingID": "nope-nope", "role": "VIEWER"}, "invalidMeetingIdentifier"),
    ({"meetingID": "lab-room", "role": "VIEWER"}, "missingParamFullName"),
    ({"fullName": "J", "role": "VIEWER"}, "missingParamMeetingID"),
    ({"fullName": "J", "meetingID": "lab-room", "role": "VIEWER", "createTime": "1"}, "mismatchCreateTimeParam"),
])
async def test_join_validation_failures_redirect_even_with_redirect_false(bbb_api: Api, params: dict[str, str],
                                                                         key: str) -> None:
    await bbb_api.create()
    reply = await bbb_api.call("join", {**params, "redirect": "false", "errorRedirectUrl": "https://lms/error?x=1"})
    assert reply.status == 302
    assert reply.headers["Location"].startswith("https://lms/error?x=1&errors=")
    assert [e["key"] for e in _errors_of(reply.headers["Location"])] == [key]


async def test_join_checksum_error_redirects_to_logout_url(bbb_api: Api, bbb_server: BBBServer) -> None:
    await bbb_api.create(logoutURL="https://lms/bye")
    query = encode({"fullName": "J", "meetingID": "lab-room", "role": "VIEWER", "redirect": "false"})
    reply = await bbb_api.raw("join", signed("join", query, "wrong-secret"))
    assert reply.status == 302 and reply.headers["Location"].startswith("https://lms/bye?errors=")
    assert _errors_of(reply.headers["Location"])[0]["key"] == "checksumError"
    unknown = await bbb_api.call("join", {"fullName": "J", "meetingID": "other-room", "role": "VIEWER"})
    assert unknown.headers["Location"].startswith(f"http://127.0.0.1:{bbb_server.port}/?errors=")


async def test_join_role_and_password_rules(bbb_api: Api, bbb_world: LabWorld) -> None:
    await bbb_api.create(attendeePW="ap", moderatorPW="mp")
    for params in ({}, {"role": "ADMIN"}, {"password": "wrong"}):
        reply = await bbb_api.call("join", {"fullName": "J", "meetingID": "lab-room", "redirect": "false", **params})
        assert (reply.returncode, reply.key) == ("FAILED", "Params required")
    reply = await bbb_api.call("join", {"fullName": "J", "meetingID": "lab-room", "password": "mp", "redirect": "false"})
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    user = meeting.user_by_session(reply.get("session_token") or "")
    assert user is not None and user.role == "MODERATOR"


async def test_join_limits_guests_and_ended_meetings(bbb_api: Api, bbb_world: LabWorld) -> None:
    await bbb_api.create(maxParticipants="1", guestPolicy="ALWAYS_DENY")
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    first = await bbb_api.join_xml()
    bbb_world.enter(meeting, meeting.user_by_session(first.get("session_token") or ""))  # type: ignore[arg-type]
    full = await bbb_api.call("join", {"fullName": "K", "meetingID": "lab-room", "role": "VIEWER", "redirect": "false"})
    assert full.key == "maxParticipantsReached"
    meeting.params["maxParticipants"] = "0"
    guest = await bbb_api.call("join", {"fullName": "G", "meetingID": "lab-room", "role": "VIEWER", "guest": "true",
                                    "redirect": "false"})
    assert guest.key == "guestDeniedAccess"
    assert (await bbb_api.call("end", {"meetingID": "lab-room"})).key == "sentEndMeetingRequest"
    late = await bbb_api.call("join", {"fullName": "L", "meetingID": "lab-room", "role": "VIEWER", "redirect": "false"})
    assert late.status == 302 and _errors_of(late.headers["Location"])[0]["key"] == "meetingForciblyEnded"


# -- running / info / meetings ---------------------------------------------------------------------------
async def test_running_only_after_a_user_entered(bbb_api: Api, bbb_world: LabWorld) -> None:
    async def running() -> str | None:
        return (await bbb_api.call("isMeetingRunning", {"meetingID": "lab-room"})).get("running")

    assert await running() == "false"  # unknown meeting: SUCCESS, false
    await bbb_api.create()
    assert await running() == "false"
    joined = await bbb_api.join_xml()
    assert await running() == "false"  # a join alone does not start it
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    bbb_world.enter(meeting, meeting.user_by_session(joined.get("session_token") or ""))  # type: ignore[arg-type]
    assert await running() == "true"
    assert (await bbb_api.call("isMeetingRunning", {})).key == "missingParamMeetingID"


async def test_get_meeting_info_fields_counts_and_attendees(bbb_api: Api, bbb_world: LabWorld) -> None:
    assert (await bbb_api.call("getMeetingInfo", {"meetingID": "lab-room"})).key == "notFound"
    await bbb_api.create(name=HOSTILE, meta_presenter="Ada")
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    for name, role in (("Mod", "MODERATOR"), (HOSTILE, "VIEWER")):
        reply = await bbb_api.join_xml(full_name=name, role=role, params={"userdata-bbb_custom_style": ":root{}"})
        bbb_world.enter(meeting, meeting.user_by_session(reply.get("session_token") or ""))  # type: ignore[arg-type]
    info = await bbb_api.call("getMeetingInfo", {"meetingID": "lab-room"})
    assert "<script>" not in info.text
    assert info.get("meetingName") == HOSTILE
    assert (info.get("running"), info.get("hasUserJoined"), info.get("participantCount"),
            info.get("moderatorCount")) == ("true", "true", "2", "1")
    for tag in ("internalMeetingID", "createTime", "createDate", "voiceBridge", "dialNumber", "attendeePW",
                "moderatorPW", "duration", "recording", "hasBeenForciblyEnded", "startTime", "endTime",
                "listenerCount", "voiceParticipantCount", "videoCount", "maxUsers", "isBreakout"):
        assert info.get(tag) is not None, tag
    attendees = info.xml.findall("attendees/attendee")
    assert [a.findtext("fullName") for a in attendees] == ["Mod", HOSTILE]
    assert attendees[1].findtext("customdata/bbb_custom_style") == ":root{}"
    assert attendees[0].findtext("clientType") == "HTML5"
    assert info.xml.findtext("metadata/presenter") == "Ada"


async def test_get_meetings_lists_live_meetings(bbb_api: Api) -> None:
    await bbb_api.create("room-1", "One")
    await bbb_api.create("room-2", "Two")
    reply = await bbb_api.call("getMeetings")
    assert reply.returncode == "SUCCESS" and reply.key is None
    assert sorted(m.findtext("meetingID") or "" for m in reply.xml.findall("meetings/meeting")) == ["room-1", "room-2"]
    assert reply.xml.find("meetings/meeting/attendees") is not None


# -- end and lifecycle ---------------------------------------------------------------------------------------
async def test_end_is_asynchronous_and_calls_the_end_callback(bbb_api: Api, bbb_world: LabWorld) -> None:
    received: asyncio.Queue[dict[str, str]] = asyncio.Queue()

    async def callback(request: web.Request) -> web.Response:
        received.put_nowait(dict(request.query))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/ended", callback)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        assert (await bbb_api.call("end", {"meetingID": "lab-room"})).key == "notFound"
        await bbb_api.create(meta_endCallbackUrl=f"http://127.0.0.1:{port}/ended?room=lab")
        meeting = bbb_world.meeting("lab-room")
        assert meeting is not None
        joined = await bbb_api.join_xml()
        bbb_world.enter(meeting, meeting.user_by_session(joined.get("session_token") or ""))  # type: ignore[arg-type]
        ended = asyncio.ensure_future(bbb_world.next_event(lambda e: e.kind == "meeting_ended", timeout=5))
        reply = await bbb_api.call("end", {"meetingID": "lab-room"})
        assert (reply.returncode, reply.key) == ("SUCCESS", "sentEndMeetingRequest")
        assert not meeting.ended  # the reply comes before the meeting is gone
        await ended
        assert (await bbb_api.call("isMeetingRunning", {"meetingID": "lab-room"})).get("running") == "false"
        assert (await bbb_api.call("getMeetingInfo", {"meetingID": "lab-room"})).key == "notFound"
        assert await asyncio.wait_for(received.get(), 5) == {"room": "lab", "recordingmarks": "false"}
    finally:
        await runner.cleanup()


async def test_unreachable_end_callback_is_logged_not_raised(bbb_api: Api, bbb_world: LabWorld, bbb_server: BBBServer) -> None:
    await bbb_api.create(meta_endCallbackUrl="http://127.0.0.1:9/nothing-listens-here")
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    bbb_world.finish_meeting(meeting, "test")
    for _ in range(200):
        if bbb_server.state.callbacks_done:
            break
        await asyncio.sleep(0.01)
    assert bbb_server.state.callbacks_done == [("http://127.0.0.1:9/nothing-listens-here", None)]


@pytest.fixture
def bbb_short_timings() -> LifecycleTimings:
    return LifecycleTimings(end_delay=0.05, last_user_left_delay=0.1, no_user_joined_delay=0.1)


async def test_meeting_expires_when_nobody_joins(bbb_short_timings: LifecycleTimings, bbb_http: aiohttp.ClientSession) -> None:
    bbb_world = LabWorld(secret=DOCS_SECRET, timings=bbb_short_timings)
    bbb_server = BBBServer(bbb_world)
    await bbb_server.start()
    try:
        bbb_api = Api(bbb_server, bbb_http, DOCS_SECRET)
        ended = asyncio.ensure_future(bbb_world.next_event(lambda e: e.kind == "meeting_ended", timeout=5))
        await bbb_api.create()
        assert (await ended).data["reason"] == "nobody joined"
        assert (await bbb_api.call("getMeetings")).key == "noMeetings"
    finally:
        await bbb_server.stop()
        bbb_world.close()


async def test_meeting_expires_after_the_last_user_left(bbb_short_timings: LifecycleTimings,
                                                        bbb_http: aiohttp.ClientSession) -> None:
    bbb_world = LabWorld(secret=DOCS_SECRET, timings=bbb_short_timings)
    bbb_server = BBBServer(bbb_world)
    await bbb_server.start()
    try:
        bbb_api = Api(bbb_server, bbb_http, DOCS_SECRET)
        await bbb_api.create()
        meeting = bbb_world.meeting("lab-room")
        assert meeting is not None
        user = meeting.user_by_session((await bbb_api.join_xml()).get("session_token") or "")
        assert user is not None
        bbb_world.enter(meeting, user)
        ended = asyncio.ensure_future(bbb_world.next_event(lambda e: e.kind == "meeting_ended", timeout=5))
        bbb_world.leave(meeting, user)
        assert (await ended).data["reason"] == "last user left"
        assert (await bbb_api.call("isMeetingRunning", {"meetingID": "lab-room"})).get("running") == "false"
    finally:
        await bbb_server.stop()
        bbb_world.close()


# -- sendChatMessage ------------------------------------------------------------------------------------------
async def test_send_chat_message_rules(bbb_api: Api, bbb_world: LabWorld) -> None:
    assert (await bbb_api.call("sendChatMessage", {"meetingID": "lab-room", "message": "hi"})).key == "meetingNotFound"
    await bbb_api.create()
    assert (await bbb_api.call("sendChatMessage", {"meetingID": "lab-room", "message": "hi"})).key == "meetingNotFound"
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    bbb_world.enter(meeting, meeting.user_by_session((await bbb_api.join_xml()).get("session_token") or ""))  # type: ignore[arg-type]
    for params in ({"message": ""}, {"message": "x" * 501}, {"message": "ok", "userName": "u" * 256}):
        reply = await bbb_api.call("sendChatMessage", {"meetingID": "lab-room", **params})
        assert (reply.returncode, reply.key) == ("FAILED", "validationError")
    assert (await bbb_api.call("sendChatMessage", {"message": "hi"})).key == "missingParamMeetingID"
    assert (await bbb_api.call("sendChatMessage", {"meetingID": "lab-room", "message": "x" * 500})).returncode == "SUCCESS"
    reply = await bbb_api.call("sendChatMessage", {"meetingID": "lab-room", "message": HOSTILE, "userName": "u" * 255})
    assert reply.returncode == "SUCCESS"
    assert (await bbb_api.call("sendChatMessage", {"meetingID": "lab-room", "message": "bye"})).returncode == "SUCCESS"
    assert [(m.sender_name, m.text) for m in meeting.chat] == [("System", "x" * 500), ("u" * 255, HOSTILE),
                                                               ("System", "bye")]
    post = await bbb_api.raw("sendChatMessage", signed("sendChatMessage", "meetingID=lab-room&message=hi", DOCS_SECRET),
                         method="POST", data={"a": "b"})
    assert post.status == 405


# -- modes -----------------------------------------------------------------------------------------------
async def _mode_server(bbb_world: LabWorld, **bbb_options: bool) -> BBBServer:
    bbb_server = BBBServer(bbb_world, BBBOptions(**bbb_options))  # type: ignore[arg-type]
    await bbb_server.start()
    return bbb_server


async def test_scalelite_mode(bbb_world: LabWorld, bbb_http: aiohttp.ClientSession) -> None:
    bbb_server = await _mode_server(bbb_world, scalelite_mode=True)
    try:
        bbb_api = Api(bbb_server, bbb_http, DOCS_SECRET)
        async with bbb_http.get(bbb_server.api_url) as response:
            root = ET.fromstring(await response.text())
        assert [c.tag for c in root] == ["returncode", "version"]
        upper = await bbb_api.raw("create", f"{DOCS_QUERY}&checksum={DOCS_VECTORS['sha1'].upper()}")
        assert (upper.key, upper.get("message")) == ("checksumError", "You did not pass the checksum security check")
        assert (await bbb_api.raw("create", f"{DOCS_QUERY}&checksum={DOCS_VECTORS['sha384']}")).key == "checksumError"
        assert (await bbb_api.raw("create", f"{DOCS_QUERY}&checksum={DOCS_VECTORS['sha512']}")).returncode == "SUCCESS"
        for call in ("sendChatMessage", "getJoinUrl", "hooks/create", "hooks/list", "enter"):
            reply = await bbb_api.call(call, {"meetingID": "abc123", "message": "hi"})
            assert (reply.returncode, reply.key) == ("FAILED", "unsupportedRequest"), call
        assert (await bbb_api.call("getMeetingInfo", {"meetingID": "zz-unknown"})).key == "notFound"
        assert (await bbb_api.call("isMeetingRunning", {"meetingID": "zz-unknown"})).get("running") == "false"
        async with bbb_http.get(bbb_server.graphql_url.replace("ws://", "http://")) as response:
            assert response.status == 404
    finally:
        await bbb_server.stop()


async def test_bbb2_mode(bbb_world: LabWorld, bbb_http: aiohttp.ClientSession) -> None:
    bbb_server = await _mode_server(bbb_world, bbb2_mode=True)
    try:
        bbb_api = Api(bbb_server, bbb_http, DOCS_SECRET)
        async with bbb_http.get(bbb_server.api_url) as response:
            root = ET.fromstring(await response.text())
        assert root.find("graphqlWebsocketUrl") is None and (root.findtext("bbbVersion") or "").startswith("2.")
        reply = await bbb_api.call("sendChatMessage", {"meetingID": "abc123", "message": "hi"})
        assert reply.status == 404
        assert (await bbb_api.raw("create", f"{DOCS_QUERY}&checksum={DOCS_VECTORS['sha384']}")).returncode == "SUCCESS"
    finally:
        await bbb_server.stop()


# -- down fault ------------------------------------------------------------------------------------------
async def test_down_fault_refuses_connections_then_recovers(bbb_api: Api, bbb_server: BBBServer, bbb_world: LabWorld,
                                                            bbb_http: aiohttp.ClientSession) -> None:
    port = bbb_server.port
    assert (await bbb_api.call("getMeetings")).key == "noMeetings"
    await bbb_server.set_down(True)
    assert bbb_world.bbb_faults.down
    with pytest.raises(aiohttp.ClientConnectionError):
        await bbb_api.call("getMeetings")
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)
    await bbb_server.set_down(False)
    assert bbb_server.port == port
    assert (await bbb_api.call("getMeetings")).key == "noMeetings"


async def test_down_fault_follows_the_world_flag(bbb_api: Api, bbb_server: BBBServer, bbb_world: LabWorld) -> None:
    down = asyncio.ensure_future(bbb_world.next_event(
        lambda e: e.kind == "fault_changed" and e.data.get("what") == "down" and e.data.get("down") is True, 5))
    bbb_world.bbb_faults.down = True
    bbb_world.fault_changed("down")
    await down
    assert bbb_server.is_down
    with pytest.raises(aiohttp.ClientConnectionError):
        await bbb_api.call("getMeetings")
    up = asyncio.ensure_future(bbb_world.next_event(
        lambda e: e.kind == "fault_changed" and e.data.get("what") == "down" and e.data.get("down") is False, 5))
    bbb_world.bbb_faults.down = False
    bbb_world.fault_changed("down")
    await up
    assert (await bbb_api.call("getMeetings")).key == "noMeetings"
