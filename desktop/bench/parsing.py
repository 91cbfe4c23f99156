"""Benchmark 5: parsing a getMeetings answer with 2,000 meetings; Pupitre vs peers vs xml.etree.

Method.  The answer is rendered by the lab's own BBB templates (bbb-web's shapes): 2,000
meetings, each with 1–15 present attendees (custom data included) and five metadata entries.
The same bytes are parsed, several times each (median):

* Pupitre: :func:`desktop.bbb.parsing.parse_meetings` (lxml with entity expansion and network
  off, typed ``Meeting`` / ``Attendee`` objects, every field checked);
* baseline: plain ``xml.etree.ElementTree.fromstring`` and a loop building one dict per meeting
  (its fields, attendees and metadata) — what a careless client does, no validation;
* peers installed from PyPI for the benchmark only, each in its own throw-away venv under
  ``/tmp/pupitre-bench-peers`` (never in the project's venv), run in a subprocess by
  :mod:`desktop.bench.peer_probe` on the same bytes: their parse function when it can be
  called alone, else their public getMeetings call against a loopback HTTP server (the plain
  HTTP GET of the same bytes is timed beside it).  A peer counts only if it returns the 2,000
  meetings; the others are listed with the reason.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from desktop.bbb.parsing import parse_meetings
from desktop.bench.report import BenchResult, Row
from desktop.bench.timing import median
from desktop.lab.bbb import responses as R
from desktop.lab.world import LabWorld

PEERS = ("bigbluebutton-api-python", "bbb-client", "bbbctl", "python-sage-bbb")
PROBE = Path(__file__).with_name("peer_probe.py")


def get_meetings_xml(count: int) -> bytes:
    """A getMeetings answer with ``count`` running meetings, in the lab BBB's exact shapes."""
    world = LabWorld(secret="bench")
    root = R.response_root()
    meetings = ET.SubElement(root, "meetings")
    for number in range(count):
        params = {"meetingID": f"bench-{number:05d}", "name": f"Amphi {number} — Cours magistral",
                  "meta_bbb-origin": "Pupitre", "meta_pupitre-webinar": f"uid-{number:08x}",
                  "meta_bbb-context-name": "Licence 1", "meta_bbb-origin-server-name": "pod.example.org",
                  "meta_endcallbackurl": f"https://pod.example.org/meeting/end/{number}/"}
        meeting, _ = world.create_meeting(params)
        for attendee in range(1 + number % 15):
            user = world.register_user(meeting, full_name=f"Participant {attendee} Élève",
                                       role="MODERATOR" if attendee == 0 else "VIEWER",
                                       customdata={"pupitre_room": f"room{number}"} if attendee == 1 else None)
            world.enter(meeting, user)
        R.add_meeting_details(ET.SubElement(meetings, "meeting"), meeting, [])
    world.close()
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def etree_baseline(data: bytes) -> list[dict[str, Any]]:
    root = ET.fromstring(data)
    out: list[dict[str, Any]] = []
    for node in root.iterfind("meetings/meeting"):
        meeting: dict[str, Any] = {}
        for child in node:
            if child.tag == "attendees":
                meeting["attendees"] = [{c.tag: c.text for c in a} for a in child]
            elif child.tag == "metadata":
                meeting["metadata"] = {c.tag: c.text for c in child}
            else:
                meeting[child.tag] = child.text
        out.append(meeting)
    return out


def _times(action: Any, data: bytes, repeats: int) -> tuple[list[float], Any]:
    times: list[float] = []
    value = None
    for _ in range(repeats):
        began = time.perf_counter()
        value = action(data)
        times.append(time.perf_counter() - began)
    return times, value


def peer_python(folder: Path, peer: str) -> Path:
    return folder / peer / "bin" / "python"


def ensure_peer(folder: Path, peer: str, install: bool) -> str:
    """"" when the peer's venv is ready, else why not (install failures are reasons, not errors)."""
    python = peer_python(folder, peer)
    if python.exists():
        check = subprocess.run([str(python), "-m", "pip", "show", "-q", peer], capture_output=True, timeout=60)
        if check.returncode == 0:
            return ""
    if not install:
        return "not installed (--no-install-peers)"
    folder.mkdir(parents=True, exist_ok=True)
    steps = [[sys.executable, "-m", "venv", "--clear", str(folder / peer)],
             [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", peer]]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as error:
            return f"install failed: {error}"
        if done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if "ERROR" in line] or ["?"]
            return f"install failed: {lines[-1][:200]}"
    return ""


async def run_peer(folder: Path, peer: str, xml_path: Path, repeats: int) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        str(peer_python(folder, peer)), str(PROBE), peer, str(xml_path), str(repeats),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 600)
    lines = stdout.decode(errors="replace").strip().splitlines()
    if not lines:
        return {"peer": peer, "ok": False, "error": f"no output (exit {process.returncode}): "
                                                      f"{stderr.decode(errors='replace')[-300:]}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


async def run(config: Any) -> BenchResult:
    result = BenchResult("parsing", f"Parse getMeetings ({config.parse_meetings:,} meetings)")
    result.method = (__doc__ or "").split("Method.", 1)[1].strip()
    count, repeats = config.parse_meetings, config.parse_repeats
    data = get_meetings_xml(count)
    ours_times, ours = _times(parse_meetings, data, repeats)
    base_times, base = _times(etree_baseline, data, repeats)
    if len(ours) != count or len(base) != count:
        raise RuntimeError(f"parsers disagree: Pupitre {len(ours)}, etree {len(base)}, expected {count}")
    attendees = sum(len(m.attendees) for m in ours)
    result.samples = {"bytes": len(data), "meetings": count, "attendees": attendees,
                      "pupitre": ours_times, "etree": base_times, "peers": {}}
    ours_median = median(ours_times)
    base_median = median(base_times)
    result.rows.append(Row("Pupitre parse_meetings (typed, validated)", ours_median, "s",
                           "xml.etree baseline (dicts, no checks)", base_median,
                           note=f"{len(data) / 1e6:.1f} MB, {attendees:,} attendees"))
    folder = Path(config.peers_dir)
    with tempfile.TemporaryDirectory(prefix="pupitre-bench-xml-") as tmp:
        xml_path = Path(tmp) / "getMeetings.xml"
        xml_path.write_bytes(data)
        for peer in PEERS:
            reason = await asyncio.to_thread(ensure_peer, folder, peer, config.install_peers)
            if reason:
                result.samples["peers"][peer] = {"ok": False, "excluded": reason}
                result.notes.append(f"peer {peer} excluded: {reason}")
                continue
            probe = await run_peer(folder, peer, xml_path, repeats)
            result.samples["peers"][peer] = probe
            label = f"{peer} {probe.get('version', '')}".strip()
            if not probe.get("ok"):
                result.notes.append(f"peer {label} excluded: it failed on getMeetings ({probe.get('error')}).")
                continue
            if probe.get("meetings") != count:
                result.notes.append(f"peer {label} excluded: it returned {probe.get('meetings')} meetings "
                                    f"instead of {count:,} (it does not parse getMeetings' meeting list).")
                continue
            peer_median = median(probe["times"])
            note = "its getMeetings call over loopback HTTP" if probe.get("mode") == "loopback" else "its parser"
            result.rows.append(Row(f"{label} ({note})", peer_median, "s", "Pupitre", ours_median))
            if probe.get("mode") == "loopback":
                result.notes.append(f"{label}: the plain loopback GET of the same bytes took "
                                    f"{median(probe.get('http_only_times') or []) or 0:.4f} s of its time "
                                    f"(it parses with xml.etree and returns raw Elements).")
    return result
