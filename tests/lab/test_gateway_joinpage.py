"""The Pod-like join page: URL shape, the "not started yet" page, the form, the signed redirect."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl, urlsplit

import aiohttp
import pytest

from desktop.lab.gateways import AddressMap, JoinPageServer, legacy_target_url
from desktop.lab.gateways.browser import browser_quote, find_join_form
from desktop.lab.world import LabWorld
from tests.lab import gateway_support as support
from tests.lab.gateway_support import start_meeting

world = support.world
bbb_url = support.bbb_url
join_pages = support.join_pages

pytestmark = pytest.mark.lab


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


def fetchable(url: str) -> str:
    resolved = AddressMap().resolve(url)
    assert resolved is not None
    return resolved


def test_the_url_has_pod_s_shape_and_splits_like_pod(join_pages: JoinPageServer) -> None:
    url = join_pages.register_join_page("0042-amphi-l1")
    match = re.fullmatch(r"https://127\.0\.0\.1:\d+/meeting/0042-amphi-l1/([0-9a-f]{54})/([0-9a-f]{10})", url)
    assert match is not None
    assert match.group(1) + match.group(2) == join_pages.hashkey("0042-amphi-l1")
    meeting_base_url = url.removeprefix("https://")
    domain, room = meeting_base_url[:-11], meeting_base_url[-10:]
    assert room == join_pages.room_for("0042-amphi-l1")
    assert legacy_target_url(domain, room) == url
    assert join_pages.register_join_page("0042-amphi-l1") == url  # idempotent
    assert join_pages.register_join_page("0043-other") != url


async def test_before_the_meeting_runs_the_page_has_no_form(join_pages: JoinPageServer, world: LabWorld,
                                                            http: aiohttp.ClientSession) -> None:
    world.create_meeting({"meetingID": "0042-amphi-l1", "name": "Amphi L1"})  # created, nobody in it
    url = fetchable(join_pages.register_join_page("0042-amphi-l1"))
    async with http.get(url) as response:
        html = await response.text()
        assert response.status == 200
    assert "The meeting has not started yet" in html
    assert find_join_form(html) is None
    async with http.get(join_pages.url + "/meeting/status/0042-amphi-l1/") as response:
        assert await response.json() == {"status": False}


async def test_running_meeting_form_redirects_to_a_signed_viewer_join(
        join_pages: JoinPageServer, world: LabWorld, bbb_url: str, http: aiohttp.ClientSession) -> None:
    meeting = start_meeting(world)
    url = fetchable(join_pages.register_join_page(meeting.meeting_id))
    async with http.get(url) as response:
        form = find_join_form(await response.text())
    field = form.name_field() if form is not None else None
    assert field is not None and field["id"] == "id_name"
    async with http.get(join_pages.url + f"/meeting/status/{meeting.meeting_id}/") as response:
        assert await response.json() == {"status": True}

    async with http.post(url, data={"name": "streaming"}, allow_redirects=False) as response:
        assert response.status == 302
        location = response.headers["Location"]
    parts = urlsplit(location)
    assert location.startswith(bbb_url + "/api/join?")
    params = dict(parse_qsl(parts.query))
    assert params | {"checksum": ""} == {"fullName": "streaming", "meetingID": meeting.meeting_id, "role": "VIEWER",
                                         "password": meeting.attendee_pw, "createTime": str(meeting.create_time),
                                         "checksum": ""}
    unsigned = parts.query.rsplit("&checksum=", 1)[0]
    assert params["checksum"] == hashlib.sha256(("join" + unsigned + world.secret).encode()).hexdigest()


async def test_an_empty_name_redisplays_the_form(join_pages: JoinPageServer, world: LabWorld,
                                                 http: aiohttp.ClientSession) -> None:
    meeting = start_meeting(world)
    url = fetchable(join_pages.register_join_page(meeting.meeting_id))
    async with http.post(url, data={"name": "  "}, allow_redirects=False) as response:
        assert response.status == 200
        assert find_join_form(await response.text()) is not None


async def test_a_wrong_hash_is_a_400(join_pages: JoinPageServer, world: LabWorld,
                                     http: aiohttp.ClientSession) -> None:
    start_meeting(world)
    url = fetchable(join_pages.register_join_page("0042-amphi-l1"))
    forged = url[:-1] + ("0" if url[-1] != "0" else "1")
    async with http.get(forged) as response:
        assert response.status == 400


async def test_room_page_for_newer_gateways(join_pages: JoinPageServer, world: LabWorld,
                                            http: aiohttp.ClientSession) -> None:
    meeting = start_meeting(world)
    url = fetchable(join_pages.room_page_url(meeting.meeting_id))
    async with http.get(url) as response:
        form = find_join_form(await response.text())
    field = form.name_field() if form is not None else None
    assert field is not None and field["id"] == "joinFormName"
    async with http.get(join_pages.url + "/0123456789") as response:
        assert response.status == 404


async def test_pages_work_without_registration(world: LabWorld, bbb_url: str, http: aiohttp.ClientSession) -> None:
    pages = JoinPageServer(world, bbb_base_url=bbb_url, page_secret="fixed")
    await pages.start()
    try:
        meeting = start_meeting(world)
        async with http.get(f"{pages.url}/{pages.room_for(meeting.meeting_id)}") as response:
            assert find_join_form(await response.text()) is not None
        key = pages.hashkey(meeting.meeting_id)
        async with http.get(f"{pages.url}/meeting/{meeting.meeting_id}/{key[:54]}/{key[54:]}") as response:
            assert find_join_form(await response.text()) is not None
    finally:
        await pages.stop()


async def test_meeting_titles_are_escaped(join_pages: JoinPageServer, world: LabWorld,
                                          http: aiohttp.ClientSession) -> None:
    meeting = start_meeting(world, "hostile", '<script>alert("x")</script>')
    async with http.get(fetchable(join_pages.register_join_page(meeting.meeting_id))) as response:
        html = await response.text()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_find_join_form() -> None:
    assert find_join_form("<form><input id='id_name' name='name'></form>") is not None
    assert find_join_form("<form><input id='other'></form>") is None
    assert find_join_form("<form><input id='id_name'") is None  # a broken tag is no field
    assert find_join_form("\x00<<>>&#xZZ;") is None


def test_address_map() -> None:
    addresses = AddressMap()
    addresses.add("pod.lab", "http://127.0.0.1:8443")
    assert addresses.resolve("https://pod.lab/meeting/x/y#frag") == "http://127.0.0.1:8443/meeting/x/y"
    assert addresses.resolve("https://127.0.0.1:9/a?b=c") == "http://127.0.0.1:9/a?b=c"
    assert addresses.resolve("https://localhost:9/") == "http://localhost:9/"
    assert addresses.resolve("https://bbb.example.org/") is None
    assert AddressMap(lenient_loopback=False).resolve("https://127.0.0.1:9/") is None


def test_browser_quote_keeps_signed_queries_verbatim() -> None:
    signed = "http://h/api/join?fullName=Jane+Doe&x=%C3%A9&checksum=ab12"
    assert browser_quote(signed) == signed
    assert browser_quote("http://h/a b?n=é") == "http://h/a%20b?n=%C3%A9"
