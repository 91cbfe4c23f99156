"""The app core takes a webinar live through the lab's v1.8 gateway and its Greenlight-like
room page (``/rooms/<meetingID>``)."""

from __future__ import annotations

import aiohttp
import pytest
from yarl import URL

from desktop.lab.runner import Lab
from tests.lab_surface.support import Surface, running_meeting, wait_stream_advances


async def test_webinar_goes_live_through_the_v18_gateway(app_lab: Surface) -> None:
    lab = app_lab.lab
    await lab.set_fault("gw1", "busy")
    await lab.set_fault("gw2", "busy")
    webinar, session = await app_lab.go_live()
    snap = session.snapshot
    assert snap.gateway == "lab-gw3"
    assert lab.publishing() == ["gw3"]
    run = lab.gateway("gw3").server.gateway.run
    assert run is not None and run.joined is not None
    # only the room travelled; the gateway's own WEBRTC_DOMAINS made the room page's address
    assert lab.join_pages is not None
    assert run.room == webinar.meeting_id
    assert run.target_url == f"https://{lab.join_pages.public_host}/rooms/{webinar.meeting_id}"
    meeting = lab.world.meeting(webinar.meeting_id)
    assert meeting is not None and run.joined.meeting is meeting
    streaming = [u for u in meeting.present_users if u.full_name == "streaming"]
    assert len(streaming) == 1 and streaming[0].role == "VIEWER"
    first, later = await wait_stream_advances(lab.gateway("gw3").hls_url)
    assert later > first
    await session.end_webinar()


async def _get(url: str, *, method: str = "GET", data: dict[str, str] | None = None) -> tuple[int, str, str]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as client, \
            client.request(method, url, data=data, allow_redirects=False) as response:
        return response.status, await response.text(), response.headers.get("Location", "")


@pytest.mark.parametrize("meeting_id", ["0042-amphi", "unknown-yet"])
async def test_room_page_waits_for_the_meeting(lab: Lab, meeting_id: str) -> None:
    assert lab.join_pages is not None
    if meeting_id != "unknown-yet":  # created, nobody in it yet: not running
        lab.world.create_meeting({"meetingID": meeting_id, "name": "Amphi"})
    status, page, _ = await _get(f"{lab.join_pages.url}/rooms/{meeting_id}")
    assert status == 200
    assert "has not started yet" in page and "joinFormName" not in page
    assert f'"/meeting/status/{meeting_id}/"' in page and "10000" in page  # Pod's 10 s poll


async def test_room_page_form_leads_into_the_meeting_as_a_viewer(lab: Lab) -> None:
    assert lab.join_pages is not None
    meeting = running_meeting(lab, "0007-cours", "Cours <b>7</b>")
    url = f"{lab.join_pages.url}/rooms/0007-cours"
    status, page, _ = await _get(url)
    assert status == 200 and 'id="joinFormName"' in page
    assert "Cours &lt;b&gt;7&lt;/b&gt;" in page and "<b>7" not in page
    status, _, location = await _get(url, method="POST", data={"name": "streaming"})
    assert status == 302
    query = URL(location).query
    assert (query["meetingID"], query["role"], query["fullName"]) == ("0007-cours", "VIEWER", "streaming")
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as client, \
            client.get(URL(location, encoded=True), allow_redirects=False) as joined:
        assert joined.status == 302 and "sessionToken=" in joined.headers["Location"]
    assert any(u.full_name == "streaming" for u in meeting.users.values())
    assert lab.join_pages.greenlight_room_url("0007-cours") == f"https://{lab.join_pages.public_host}/rooms/0007-cours"
