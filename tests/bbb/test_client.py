"""The async client against respx: wire bytes, retries, errors, join, chat, algorithm probing."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
import respx

from desktop.bbb import parsing
from desktop.bbb.checksum import sign, verify
from desktop.bbb.client import BBBClient
from desktop.bbb.errors import BBBError, ChatMessageEmpty, ChatMessageTooLong, ChatSenderNameTooLong
from desktop.bbb.params import CreateParams, JoinParams, LockSettings
from desktop.errors import HTTPStatusError, ProtocolError, TimeoutError_, UnreachableError
from tests.bbb.fake_bbb import BASE, SECRET, FakeBBB

JOIN_XML = (
    b"<response><returncode>SUCCESS</returncode><messageKey>successfullyJoined</messageKey>"
    b"<message>You have joined successfully.</message><meeting_id>int-1</meeting_id><user_id>w_bot</user_id>"
    b"<auth_token>authtok123</auth_token><session_token>sesstok456</session_token>"
    b"<guestStatus>ALLOW</guestStatus><url>https://bbb.test/html5client/join?sessionToken=sesstok456</url></response>"
)


@pytest.fixture
def fake() -> Iterator[FakeBBB]:
    server = FakeBBB()
    with respx.mock(assert_all_called=False) as mock:
        mock.route(host="bbb.test").mock(side_effect=server)
        yield server


def client(**kwargs: object) -> BBBClient:
    return BBBClient("https://bbb.test", SECRET, retry_first_delay=0.0, **kwargs)  # type: ignore[arg-type]


TRICKY = ["a*b", "t~ilde", "%7E", "1+1", "it's", "(paren", "smile 😀", "a/b", "é=&?#", "  ", "\u2028"]


@pytest.mark.parametrize("value", TRICKY)
async def test_wire_query_is_byte_identical_to_the_signed_one(fake: FakeBBB, value: str) -> None:
    params = CreateParams(name=value, meeting_id="m-1", welcome=value, meta={"note": value}, extra={"x": value})
    async with client() as bbb:
        with pytest.raises(ProtocolError):  # the fake answers a bare SUCCESS without meetingID
            await bbb.create(params)
    expected = sign("create", params.to_params(), SECRET, "sha256")
    assert fake.raw_queries == [expected.encode("ascii")]


async def test_create_sends_only_set_parameters_in_order(fake: FakeBBB) -> None:
    fake.answers["create"] = httpx.Response(200, content=(parsing_fixture := b"""<response><returncode>SUCCESS</returncode>
        <meetingID>m-1</meetingID><internalMeetingID>i-1</internalMeetingID><createTime>17</createTime></response>"""))
    assert parsing_fixture
    params = CreateParams(
        name="Webinar",
        meeting_id="m-1",
        record=False,
        guest_policy="ALWAYS_ACCEPT",
        max_participants=500,
        disabled_features=["privateChat", "polls"],
        lock_settings=LockSettings(disable_cam=True, disable_private_chat=True),
        meta={"bbb-origin": "Pupitre"},
        end_callback_url="https://p.example/ended?x=1",
    )
    async with client() as bbb:
        result = await bbb.create(params)
    assert result.meeting_id == "m-1" and result.create_time == 17 and not result.duplicate
    sent = fake.raw_queries[0].decode()
    assert sent.startswith(
        "name=Webinar&meetingID=m-1&record=false&guestPolicy=ALWAYS_ACCEPT&maxParticipants=500"
        "&disabledFeatures=privateChat%2Cpolls&lockSettingsDisableCam=true&lockSettingsDisablePrivateChat=true"
        "&meta_bbb-origin=Pupitre&meta_endCallbackUrl=https%3A%2F%2Fp.example%2Fended%3Fx%3D1&checksum="
    )
    assert "welcome" not in sent and "duration" not in sent


@pytest.mark.parametrize(
    ("call", "invoke"),
    [
        ("api", lambda b: b.api_info()),
        ("isMeetingRunning", lambda b: b.is_meeting_running("m")),
        ("getMeetings", lambda b: b.get_meetings()),
        ("getMeetingInfo", lambda b: b.get_meeting_info("m")),
    ],
)
async def test_idempotent_reads_are_retried(call: str, invoke) -> None:  # type: ignore[no-untyped-def]
    with respx.mock() as mock:
        route = mock.route(host="bbb.test").mock(side_effect=httpx.ConnectError("connection refused"))
        async with client(retry_attempts=3) as bbb:
            with pytest.raises(UnreachableError) as info:
                await invoke(bbb)
        assert route.call_count == 3
        assert "bbb.test" in str(info.value)


@pytest.mark.parametrize(
    ("call", "invoke"),
    [
        ("create", lambda b: b.create(CreateParams(name="n", meeting_id="m"))),
        ("end", lambda b: b.end("m")),
        ("sendChatMessage", lambda b: b.send_chat_message("m", "hello")),
        ("join", lambda b: b.join_api(JoinParams(full_name="bot", meeting_id="m"))),
    ],
)
async def test_calls_with_side_effects_are_sent_once(call: str, invoke) -> None:  # type: ignore[no-untyped-def]
    with respx.mock() as mock:
        route = mock.route(host="bbb.test").mock(side_effect=httpx.ConnectError("connection refused"))
        async with client(retry_attempts=3) as bbb:
            with pytest.raises(UnreachableError):
                await invoke(bbb)
        assert route.call_count == 1


async def test_retry_recovers_after_transient_failures() -> None:
    with respx.mock() as mock:
        route = mock.route(host="bbb.test").mock(
            side_effect=[httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.Response(200, content=b"<response><returncode>SUCCESS</returncode><running>true</running></response>")]
        )
        async with client(retry_attempts=3) as bbb:
            assert await bbb.is_meeting_running("m") is True
        assert route.call_count == 3


@pytest.mark.parametrize("exc", [httpx.ConnectTimeout("t"), httpx.ReadTimeout("t")])
async def test_timeouts_become_timeout_errors(exc: Exception) -> None:
    with respx.mock() as mock:
        mock.route(host="bbb.test").mock(side_effect=exc)
        async with client(retry_attempts=1) as bbb:
            with pytest.raises(TimeoutError_) as info:
                await bbb.get_meetings()
    assert info.value.host == "bbb.test"


async def test_send_chat_message_validates_before_any_request(fake: FakeBBB) -> None:
    async with client() as bbb:
        with pytest.raises(ChatMessageTooLong) as info:
            await bbb.send_chat_message("m", "x" * 501)
        assert info.value.length == 501
        with pytest.raises(ChatMessageTooLong):
            await bbb.send_chat_message("m", "😀" * 251)  # 502 UTF-16 units, as Java counts
        with pytest.raises(ChatMessageEmpty):
            await bbb.send_chat_message("m", " \n ")
        with pytest.raises(ChatSenderNameTooLong):
            await bbb.send_chat_message("m", "hi", user_name="n" * 256)
        assert fake.raw_queries == []
        await bbb.send_chat_message("m", "😀" * 250, user_name="n" * 255)
        await bbb.send_chat_message("m", "x" * 500)
    assert len(fake.raw_queries) == 2
    assert b"userName=" + b"n" * 255 in fake.raw_queries[0]


async def test_send_chat_message_failure_is_bbb_error(fake: FakeBBB) -> None:
    fake.answers["sendChatMessage"] = httpx.Response(
        200, content=b"<response><returncode>FAILED</returncode><messageKey>meetingNotFound</messageKey><message>Meeting not found</message></response>"
    )
    async with client() as bbb:
        with pytest.raises(BBBError) as info:
            await bbb.send_chat_message("m", "(Jane) hello")
    assert info.value.message_key == "meetingNotFound"


async def test_join_api_returns_result_and_jsessionid(fake: FakeBBB) -> None:
    fake.answers["join"] = httpx.Response(
        200, content=JOIN_XML, headers={"Set-Cookie": "JSESSIONID=ABCDEF0123456789; Path=/bigbluebutton; HttpOnly"}
    )
    async with client() as bbb:
        result, cookie = await bbb.join_api(JoinParams(full_name="Pupitre", meeting_id="m", role="viewer"))
        assert bbb._client().cookies.get("JSESSIONID") is None  # not kept for later calls
    assert cookie == "ABCDEF0123456789"
    assert (result.session_token, result.auth_token, result.user_id) == ("sesstok456", "authtok123", "w_bot")
    sent = fake.raw_queries[0].decode()
    assert sent.startswith("fullName=Pupitre&meetingID=m&role=VIEWER&redirect=false&checksum=")


async def test_join_api_302_with_errors_is_bbb_error(fake: FakeBBB) -> None:
    fake.answers["join"] = httpx.Response(
        302, headers={"Location": 'https://bbb.test/logout?errors=%5B%7B%22key%22%3A%22invalidMeetingIdentifier%22%2C%22message%22%3A%22no%22%7D%5D'}
    )
    async with client() as bbb:
        with pytest.raises(BBBError) as info:
            await bbb.join_api(JoinParams(full_name="bot", meeting_id="nope"))
    assert info.value.message_key == "invalidMeetingIdentifier"


async def test_join_api_follows_a_load_balancer_redirect() -> None:
    backend_query = sign("join", [("fullName", "bot"), ("meetingID", "m"), ("role", "VIEWER"), ("redirect", False)], "backend-secret")
    with respx.mock() as mock:
        front = mock.route(host="bbb.test").mock(
            return_value=httpx.Response(302, headers={"Location": f"https://node1.test/bigbluebutton/api/join?{backend_query}"})
        )
        back = mock.route(host="node1.test").mock(
            return_value=httpx.Response(200, content=JOIN_XML, headers={"Set-Cookie": "JSESSIONID=NODE1; Path=/"})
        )
        async with client() as bbb:
            result, cookie = await bbb.join_api(JoinParams(full_name="bot", meeting_id="m"))
        assert front.call_count == 1 and back.call_count == 1
        assert back.calls.last.request.url.query == backend_query.encode()
    assert cookie == "NODE1" and result.session_token == "sesstok456"


async def test_join_api_redirect_to_client_is_protocol_error(fake: FakeBBB) -> None:
    fake.answers["join"] = httpx.Response(302, headers={"Location": "https://bbb.test/html5client/join?sessionToken=abc"})
    async with client() as bbb:
        with pytest.raises(ProtocolError, match="redirected the join"):
            await bbb.join_api(JoinParams(full_name="bot", meeting_id="m"))


def test_join_url_is_signed_for_the_browser() -> None:
    bbb = client()
    url = bbb.join_url(
        JoinParams(full_name="Jeanne Martin", meeting_id="m-1", role="MODERATOR", create_time=1763712000123,
                   userdata={"bbb_auto_join_audio": "false", "bbb_show_public_chat_on_login": True})
    )
    base, _, query = url.partition("?")
    assert base == BASE + "join"
    assert query.startswith(
        "fullName=Jeanne+Martin&meetingID=m-1&role=MODERATOR&createTime=1763712000123"
        "&userdata-bbb_auto_join_audio=false&userdata-bbb_show_public_chat_on_login=true&checksum="
    )
    assert verify("join", query, SECRET)
    assert "redirect" not in query


async def test_detect_algorithm_reports_the_accepted_ones() -> None:
    server = FakeBBB(accepted=("sha512", "sha1"))
    with respx.mock() as mock:
        mock.route(host="bbb.test").mock(side_effect=server)
        async with client() as bbb:
            assert await bbb.detect_algorithm() == ["sha512", "sha1"]
    wrong = FakeBBB(secret="another-secret")
    with respx.mock() as mock:
        mock.route(host="bbb.test").mock(side_effect=wrong)
        async with client() as bbb:
            assert await bbb.detect_algorithm() == []


async def test_wrong_secret_gives_the_checksum_sentence(fake: FakeBBB) -> None:
    async with BBBClient("https://bbb.test", "wrong-secret") as bbb:
        with pytest.raises(BBBError) as info:
            await bbb.get_meetings()
    assert info.value.message_key == "checksumError"
    assert "shared secret or the checksum algorithm is wrong" in str(info.value)


async def test_huge_body_is_refused(monkeypatch: pytest.MonkeyPatch, fake: FakeBBB) -> None:
    monkeypatch.setattr(parsing, "MAX_RESPONSE_BYTES", 10_000)
    fake.answers["getMeetings"] = httpx.Response(200, content=b"<response>" + b" " * 20_000 + b"</response>")
    async with client() as bbb:
        with pytest.raises(ProtocolError, match="larger than"):
            await bbb.get_meetings()


async def test_http_status_errors(fake: FakeBBB) -> None:
    fake.answers["getMeetings"] = httpx.Response(404, content=b"<html>Not Found</html>")
    fake.answers["getMeetingInfo"] = httpx.Response(
        500, content=b"<response><returncode>FAILED</returncode><messageKey>internalError</messageKey><message>Unable to access server.</message></response>"
    )
    fake.answers["end"] = httpx.Response(502, content=b"Bad gateway")
    async with client() as bbb:
        with pytest.raises(HTTPStatusError) as info:
            await bbb.get_meetings()
        assert info.value.status == 404 and "no BBB API" in str(info.value)
        with pytest.raises(BBBError) as bbb_info:
            await bbb.get_meeting_info("m")
        assert bbb_info.value.message_key == "internalError"
        with pytest.raises(HTTPStatusError, match="server error"):
            await bbb.end("m")


async def test_logs_name_calls_but_never_secret_or_checksum(fake: FakeBBB, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # raw records: no redacting filter to hide a leak
    async with client() as bbb:
        await bbb.get_meetings()
        await bbb.send_chat_message("m", "hello")
    # httpx's own INFO line carries the URL: setup_logging() mutes httpx and redacts every handler;
    # here we check that Pupitre's own records never need that protection
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("desktop"))
    assert "getMeetings" in text and "sendChatMessage" in text
    assert SECRET not in text
    for query in fake.raw_queries:
        digest = query.decode().rpartition("checksum=")[2]
        assert digest not in text


def test_invalid_role_and_guest_policy_are_typed_errors() -> None:
    from desktop.bbb.errors import InvalidParameter

    with pytest.raises(InvalidParameter, match="neither MODERATOR nor VIEWER"):
        client().join_url(JoinParams(full_name="x", meeting_id="m", role="ADMIN"))
    with pytest.raises(InvalidParameter):
        CreateParams(name="n", meeting_id="m", guest_policy="SOMETIMES").to_params()


class _BrokenBody(httpx.AsyncByteStream):
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        yield b"<response><returncode>SUC"
        raise self.exc


@pytest.mark.parametrize(
    ("exc", "expected"),
    [(httpx.ReadTimeout("slow"), TimeoutError_), (httpx.RemoteProtocolError("cut"), UnreachableError)],
)
async def test_failure_in_the_middle_of_a_body_is_typed(exc: Exception, expected: type[Exception]) -> None:
    with respx.mock() as mock:
        mock.route(host="bbb.test").mock(return_value=httpx.Response(200, stream=_BrokenBody(exc)))
        async with client(retry_attempts=1) as bbb:
            with pytest.raises(expected):
                await bbb.get_meetings()
