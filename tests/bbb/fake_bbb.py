"""A tiny respx-driven BBB stand-in that checks signatures over the raw query bytes."""

from __future__ import annotations

import httpx

from desktop.bbb.checksum import algorithm_for_checksum_length, split_checksum, verify

BASE = "https://bbb.test/bigbluebutton/api/"
SECRET = "8cd8ef52e8e101574e400365b55e11a6"

FAILED_CHECKSUM = (
    b"<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey>"
    b"<message>Checksums do not match</message></response>"
)
NO_MEETINGS = (
    b"<response><returncode>SUCCESS</returncode><meetings/><messageKey>noMeetings</messageKey>"
    b"<message>no meetings were found on this server</message></response>"
)


class FakeBBB:
    """Answers by call name; refuses bad checksums and algorithms outside ``accepted``."""

    def __init__(self, *, secret: str = SECRET, accepted: tuple[str, ...] = ("sha1", "sha256", "sha384", "sha512")) -> None:
        self.secret = secret
        self.accepted = accepted
        self.answers: dict[str, httpx.Response] = {}
        self.raw_queries: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        call = path.split("/bigbluebutton/api/", 1)[1] if "/bigbluebutton/api/" in path else ""
        query = request.url.query.decode("ascii")
        self.raw_queries.append(request.url.query)
        if call:
            _, digest = split_checksum(query)
            algorithm = algorithm_for_checksum_length(len(digest or ""))
            if algorithm not in self.accepted or not verify(call, query, self.secret):
                return httpx.Response(200, content=FAILED_CHECKSUM)
        if call in self.answers:
            return self.answers[call]
        if call == "getMeetings":
            return httpx.Response(200, content=NO_MEETINGS)
        return httpx.Response(200, content=b"<response><returncode>SUCCESS</returncode></response>")
