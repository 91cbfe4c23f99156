"""Time one peer BBB client parsing a getMeetings answer; run with the peer's own venv python.

Standalone on purpose (no ``desktop`` import): it runs in a throw-away venv under /tmp that holds
only the peer from PyPI.  Prints one JSON object: the peer, its version, how it was called
(``parse``: its parse function on the bytes; ``loopback``: its public getMeetings call against
a loopback HTTP server serving the same bytes, because it only parses inside its HTTP call), the
meetings and attendees it produced, and the times of each repetition.

``peer_probe.py PEER FILE REPEATS [URL]``: with URL, a loopback peer calls that server (the one
Pupitre's own getMeetings is timed against, run by ``peer_probe.py --serve FILE`` in a process of
its own), so both sides take the same path; without, the probe serves the bytes itself.
``peer_probe.py --serve FILE`` prints ``{"port": N}`` and serves FILE for any GET until its
standard input closes.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from typing import Any

TIME_CAP = 15.0  # seconds of parsing per peer before the repetitions stop (at least three)


def _serve(data: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/xml;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def bigbluebutton_api_python(data: bytes) -> tuple[int, int | None]:
    from bigbluebutton_api_python.responses.getmeetings import GetMeetingsResponse
    from jxmlease import parse

    raw = parse(data)["response"]  # what BigBlueButton.__send_api_request does with the body
    meetings = GetMeetingsResponse(raw).get_meetings()
    return len(meetings), None


def bbb_client(data: bytes) -> tuple[int, int | None]:
    from bbb_client.domain.meeting_management.model import Bbb

    client = Bbb("http://127.0.0.1/bigbluebutton/api", "secret")
    element = client._Bbb__xml_to_element(data.decode("utf-8"))
    infos = [client._Bbb__element_to_meeting_info(e)
             for e in element.response.meetings.meeting]
    return len(infos), sum(len(i.participants) for i in infos)


def python_sage_bbb(data: bytes) -> tuple[int, int | None]:
    from sage_bbb.services.client import BigBlueButtonClient

    client = BigBlueButtonClient("http://127.0.0.1/bigbluebutton/api/", "secret")
    parsed = client.parse_response(data)  # what Meetings.get_meetings returns
    meetings = parsed.get("meetings")
    return (len(meetings) if isinstance(meetings, list | dict) else 0), None


PARSERS = {"bigbluebutton-api-python": bigbluebutton_api_python, "bbb-client": bbb_client,
           "python-sage-bbb": python_sage_bbb}


def serve_until_stdin_closes(path: str) -> int:
    with open(path, "rb") as handle:
        data = handle.read()
    server, _base = _serve(data)
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    sys.stdin.read()  # the benchmark closes our stdin when it is done
    server.shutdown()
    return 0


def main() -> int:
    if sys.argv[1] == "--serve":
        return serve_until_stdin_closes(sys.argv[2])
    peer, path, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    external = sys.argv[4] if len(sys.argv) > 4 else None
    with open(path, "rb") as handle:
        data = handle.read()
    out: dict[str, Any] = {"peer": peer, "times": [], "ok": False}
    try:
        out["version"] = metadata.version(peer)
        if peer == "bbbctl":
            import urllib.request

            import bbbctl

            server, base = (None, external) if external else _serve(data)
            try:
                client = bbbctl.BBBApiClient(base + "/bigbluebutton/api", "secret")
                out["mode"] = "loopback"
                http_times = []
                for _ in range(repeats):
                    began = time.perf_counter()
                    with urllib.request.urlopen(base + "/bigbluebutton/api/getMeetings") as answer:
                        answer.read()
                    http_times.append(time.perf_counter() - began)
                    began = time.perf_counter()
                    meetings = client.getMeetings()
                    out["times"].append(time.perf_counter() - began)
                out["http_only_times"] = http_times
                out["free_times"] = []
                for _ in range(min(repeats, 3)):  # freeing an answer held while the next was read
                    held, meetings = meetings, client.getMeetings()
                    began = time.perf_counter()
                    del held
                    out["free_times"].append(time.perf_counter() - began)
                out["meetings"] = len(meetings)
                out["attendees"] = sum(len(m.findall("./attendees/attendee")) for m in meetings)
            finally:
                if server is not None:
                    server.shutdown()
        else:
            parse = PARSERS[peer]
            out["mode"] = "parse"
            for _ in range(repeats):
                began = time.perf_counter()
                count, attendees = parse(data)
                out["times"].append(time.perf_counter() - began)
                if len(out["times"]) >= 3 and sum(out["times"]) > TIME_CAP:
                    break  # a slow peer: three runs are enough for its median
            out["meetings"], out["attendees"] = count, attendees
        out["ok"] = True
    except Exception as error:
        out["error"] = f"{error.__class__.__name__}: {error}"
        out["traceback"] = traceback.format_exc(limit=3)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
