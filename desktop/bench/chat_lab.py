"""The chat benchmark's lab, in its own process: a BBB emulator with one meeting and an audience.

``python -m desktop.bench.chat_lab`` starts the lab's BBB emulator (API + GraphQL, no video) on
loopback, creates a meeting, lets a presenter join it (so the monitoring user can read its chat),
prints one JSON line ``{"url", "secret", "meeting_id"}`` and then obeys lines on stdin:

* ``post RATE SECONDS TAG``: post RATE messages a second for SECONDS, in 10-ms ticks on the
  loop's clock, through ``LabWorld.post_chat`` (what a gateway's ``chatSendMessage`` ends in); one
  message in ten is a question.  Prints ``{"done": TAG, "posted": N, "seconds": S}``;
* ``quit``.

The lab runs apart from the app so that the app's CPU figure is the app's alone; how the lab's
GraphQL server pushes what was posted (BBB's batching, or one push per message) is the lab's
business (:mod:`desktop.lab.bbb.graphql`).  Post times are the messages' ``createdAt``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections.abc import AsyncIterator

import httpx

from desktop.bbb import BBBClient, CreateParams, JoinParams
from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.world import LabMeeting, LabWorld

MEETING = "bench-chat"
TICK = 0.01
AUTHORS = 300


def text_of(number: int) -> str:
    """Pod's ``(First Last) text``; one in ten a question."""
    author = f"Viewer {number % AUTHORS}"
    if number % 10 == 0:
        return f"({author}) Could you say more about slide {number % 40}?"
    return f"({author}) message {number}: the sound is fine here, thanks for the talk"


async def post(world: LabWorld, meeting: LabMeeting, rate: float, seconds: float, first: int) -> int:
    loop = asyncio.get_running_loop()
    start = loop.time()
    sent = 0
    while True:
        elapsed = loop.time() - start
        if elapsed >= seconds:
            break
        due = min(int(elapsed * rate) + 1, int(seconds * rate))
        while sent < due:
            world.post_chat(meeting, text=text_of(first + sent), sender_name="streaming", sender_id="w_streaming")
            sent += 1
        await asyncio.sleep(TICK)  # the audience's pace: the next tick
    return sent


@contextlib.asynccontextmanager
async def lab_meeting(meeting_id: str, name: str, options: BBBOptions
                      ) -> AsyncIterator[tuple[LabWorld, BBBServer, LabMeeting, BBBClient]]:
    """A lab BBB server with a running meeting its presenter has joined (so the chat can be read),
    closed on exit: the set-up of the chat benchmarks."""
    world = LabWorld()
    server = BBBServer(world, options)
    await server.start()
    bbb = BBBClient(server.url, world.secret)
    try:
        await bbb.create(CreateParams(name=name, meeting_id=meeting_id))
        url = bbb.join_url(JoinParams("Presenter", meeting_id, role="MODERATOR"))
        async with httpx.AsyncClient(follow_redirects=True, timeout=10) as browser:
            await browser.get(url)
        meeting = world.meeting(meeting_id)
        assert meeting is not None
        yield world, server, meeting, bbb
    finally:
        await bbb.aclose()
        await server.stop()
        world.close()


async def main() -> int:
    async with lab_meeting(MEETING, "Chat bench", BBBOptions(page_presence_timeout=3600)) as (
            world, server, meeting, _bbb):
        print(json.dumps({"url": server.url, "secret": world.secret, "meeting_id": MEETING}), flush=True)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        number = 0
        while True:
            line = (await reader.readline()).decode().split()
            if not line or line[0] == "quit":
                return 0
            if line[0] == "post" and len(line) == 4:
                began = time.perf_counter()
                sent = await post(world, meeting, float(line[1]), float(line[2]), number)
                number += sent
                print(json.dumps({"done": line[3], "posted": sent, "seconds": time.perf_counter() - began}),
                      flush=True)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
