"""Benchmark 7: app cold start to window shown, idle CPU, RSS idle and with the preview playing.

Method.  On an X display (``$DISPLAY`` or a private Xvfb), ``python -m desktop.bench.app_probe``
starts Pupitre as the ``pupitre`` command does, with the null keyring backend, in two set-ups:
an empty ``PUPITRE_HOME`` (a first start: the welcome page) and a home with one BBB server and
one gateway configured, as "Connect to my servers" leaves it: the BBB shared secret is stored
(handed to the app's secret store, in memory: the null keyring keeps nothing) and the BBB server
is a loopback stand-in run by the benchmark that answers every call with an empty
``getMeetings`` (``noMeetings``), so the console's first refresh really asks it and parses the
answer — the HTTP client, the TLS context and the XML parser are in the idle figure, as on a
presenter's laptop; the gateway's address is a closed loopback port (nothing is live).  Start-up time = from just before the process
is spawned to the first ``Expose`` of a top-level window (written by an event filter installed
from outside: the app is not modified).  The reference is a bare PySide6 ``QMainWindow`` (empty, at
the size of the configured app's main window) started and timed the same way, in the same run: each round starts the welcome set-up, the configured
set-up and the bare window one after the other, and each figure is the median of the rounds.
Each start is a new process, but the OS file cache is warm after the first (every start is in
the JSON).  Budgets (issue 13): each cold start ≤ the bare window's + 0.5 s.

Then the configured instance and the bare one of the last round stay up with nothing live: after
5 s of settling, CPU (utime + stime from ``/proc/<pid>/stat``) over the idle window (60 s by
default) as a percentage of one core (budget ≤ 1 %), and RSS (``VmRSS``; budget ≤ the bare
window's + 45 MiB).  Finally the app's ``PreviewWidget`` opens in the running app and plays the
lab's HLS (640x360); RSS (and CPU over the next 5 s) is read 5 s after the first displayed
picture.  ``--quick`` shortens every window (structure only).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop.bench.report import BenchResult, Row
from desktop.bench.timing import median, proc_cpu_seconds, proc_rss_mib
from desktop.bench.xserver import NoDisplay, x_display

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("welcome", "profile", "bare")
START_BUDGET_SECONDS = 0.5  # over the bare window's cold start
RSS_BUDGET_MIB = 45.0  # over the bare window's idle RSS
CPU_BUDGET_PERCENT = 1.0  # of one core, idle
# a closed port on loopback: the configured gateway answers nothing and nothing is live
NOWHERE = "https://127.0.0.1:9"
BBB_SECRET = "bench-shared-secret-0123456789"
# what BBB answers getMeetings when nothing runs (bigbluebutton-web, GetMeetings: "noMeetings")
NO_MEETINGS = (b"<response><returncode>SUCCESS</returncode><meetings/><messageKey>noMeetings</messageKey>"
               b"<message>no meetings were found on this server</message></response>")


class EmptyBBB:
    """A loopback stand-in for the configured BBB server: every request gets ``NO_MEETINGS``."""

    def __init__(self) -> None:
        self.server: asyncio.Server | None = None
        self.requests = 0

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/bigbluebutton/"

    async def __aenter__(self) -> EmptyBBB:
        self.server = await asyncio.start_server(self._answer, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(10):
                await reader.readuntil(b"\r\n\r\n")  # a GET: no body
            self.requests += 1
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=utf-8\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(NO_MEETINGS), NO_MEETINGS))
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def write_configured_home(home: Path, bbb_url: str = f"{NOWHERE}/bigbluebutton/") -> None:
    """A PUPITRE_HOME with one BBB server and one gateway, as "Connect to my servers" saves them
    (the BBB secret goes to the keyring: see ``PUPITRE_BENCH_SECRETS`` in app_probe)."""
    from desktop.config.paths import AppPaths
    from desktop.config.settings import BBBProfile, GatewayConfig, Settings

    paths = AppPaths(home / "config", home / "data", home / "logs", home / "cache").ensure()
    settings = Settings.load(paths.settings_file)
    settings.put_profile(BBBProfile("campus", bbb_url))
    settings.put_gateway(GatewayConfig(name="gw1", kind="sipmediagw-legacy", url=NOWHERE,
                                       rtmp_url="rtmp://127.0.0.1:9/live/webinar",
                                       hls_url=f"{NOWHERE}/hls/webinar.m3u8"))
    settings.default_profile = "campus"
    settings.save()


class Probe:
    """One app_probe process and its report file."""

    def __init__(self, display: str, folder: Path, *, bare: bool, bbb_url: str | None = None,
                 size: tuple[int, int] | None = None) -> None:
        from desktop.config.settings import bbb_secret_name

        self.folder = folder
        self.report = folder / "report.jsonl"
        self.trigger = folder / "trigger"
        self.trigger.mkdir(parents=True, exist_ok=True)
        self.home = folder / "home"
        self.env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PUPITRE_HOME=str(self.home),
                        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", PYTHONPATH=str(ROOT))
        self.env.pop("WAYLAND_DISPLAY", None)
        self.env.pop("PUPITRE_BENCH_SECRETS", None)
        if bbb_url is not None:  # configured
            write_configured_home(self.home, bbb_url)
            self.env["PUPITRE_BENCH_SECRETS"] = json.dumps({bbb_secret_name("campus"): BBB_SECRET})
        self.bare = bare
        self.size = size  # the bare window's (None: app_probe's default)
        self.process: asyncio.subprocess.Process | None = None
        self.spawned_at = 0.0

    async def start(self) -> None:
        args = [sys.executable, "-m", "desktop.bench.app_probe", str(self.report), str(self.trigger)]
        if self.bare:
            args.append("--bare")
            if self.size is not None:
                args.extend(["--size", str(self.size[0]), str(self.size[1])])
        self.spawned_at = time.time()
        self.process = await asyncio.create_subprocess_exec(
            *args, env=self.env, cwd=str(ROOT), stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL)

    def events(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.report.exists():
            for line in self.report.read_text(encoding="utf-8").splitlines():
                with contextlib.suppress(ValueError):
                    found.update(json.loads(line))
        return found

    async def wait_for(self, key: str, timeout: float) -> float:
        async with asyncio.timeout(timeout):
            while key not in self.events():
                if self.process is not None and self.process.returncode is not None:
                    raise RuntimeError(f"the probe exited ({self.process.returncode}) before '{key}'")
                await asyncio.sleep(0.02)  # reading the probe's report file
        return float(self.events()[key])

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def run(config: Any) -> BenchResult:
    result = BenchResult("startup", "App start-up, idle CPU, memory")
    result.method = (__doc__ or "").split("Method.", 1)[1].strip()
    try:
        async with x_display() as display:
            with tempfile.TemporaryDirectory(prefix="pupitre-bench-start-") as tmp:
                async with EmptyBBB() as bbb:
                    await _measure(result, display, Path(tmp), config, bbb)
    except NoDisplay as error:
        result.skipped = str(error)
    return result


async def _cold_start(display: str, folder: Path, kind: str, bbb_url: str | None = None,
                      size: tuple[int, int] | None = None) -> tuple[Probe, float, float | None]:
    """Start one probe; (probe, spawn → window exposed, spawn → the core settled or None for bare).
    ``bbb_url``: the configured server (kind "profile"; a closed port when not given)."""
    if kind == "profile" and bbb_url is None:
        bbb_url = f"{NOWHERE}/bigbluebutton/"
    probe = Probe(display, folder, bare=kind == "bare", bbb_url=bbb_url if kind == "profile" else None,
                  size=size if kind == "bare" else None)
    await probe.start()
    try:
        shown = await probe.wait_for("shown", 90)
        ready = None if kind == "bare" else await probe.wait_for("ready", 90)
    except BaseException:
        await probe.stop()
        raise
    return probe, shown - probe.spawned_at, None if ready is None else ready - probe.spawned_at


def start_rows(starts: dict[str, list[float]], runs: int) -> list[Row]:
    """The two cold-start rows, each next to the bare window's median of the same rounds."""
    bare = median(starts["bare"])
    rows = []
    for kind, label in (("welcome", "cold start → window shown: first start (welcome page)"),
                        ("profile", "cold start → window shown: a server and a gateway configured")):
        value = median(starts[kind])
        met = None if value is None or bare is None else value <= bare + START_BUDGET_SECONDS
        rows.append(Row(label, value, "s", "bare PySide6 window", bare,
                        budget=f"≤ bare + {START_BUDGET_SECONDS:g} s", met=met,
                        note=f"median of {runs}" if runs > 1 else ""))
    return rows


def idle_rows(cpu: dict[str, float], rss: dict[str, float | None], elapsed: float) -> list[Row]:
    profile, bare = rss["profile"], rss["bare"]
    return [
        Row(f"idle CPU over {elapsed:.0f} s, configured, nothing live", cpu["profile"], "% of a core",
            "bare PySide6 window", cpu["bare"], budget=f"≤ {CPU_BUDGET_PERCENT:g} % of a core",
            met=cpu["profile"] <= CPU_BUDGET_PERCENT),
        Row("RSS idle, configured, nothing live", profile, "MiB", "bare PySide6 window", bare,
            budget=f"≤ bare + {RSS_BUDGET_MIB:g} MiB",
            met=None if profile is None or bare is None else profile <= bare + RSS_BUDGET_MIB,
            note="the bare window at the app's main window's size (pixel buffers cancel out); "
                 "empty, so it loads no font"),
    ]


async def _measure(result: BenchResult, display: str, tmp: Path, config: Any, bbb: EmptyBBB) -> None:
    starts: dict[str, list[float]] = {kind: [] for kind in KINDS}
    filled: list[float] = []  # configured: spawn → the console filled with the user's set-up
    keep: dict[str, Probe] = {}
    runs = max(1, config.startup_runs)
    app_size: tuple[int, int] | None = None  # the configured app's main window, for the bare one
    for number in range(runs):
        for kind in KINDS:
            probe, took, ready = await _cold_start(display, tmp / f"{kind}-{number}", kind, bbb.url, app_size)
            starts[kind].append(took)
            if kind == "profile" and probe.events().get("window"):
                app_size = (int(probe.events()["window"][0]), int(probe.events()["window"][1]))
            if kind == "profile" and ready is not None:
                filled.append(ready)
            if number == runs - 1 and kind != "welcome":
                keep[kind] = probe
            else:
                await probe.stop()
    try:
        await asyncio.sleep(config.settle_seconds)  # let both settle before the idle window
        before = {kind: proc_cpu_seconds(p.pid) for kind, p in keep.items()}
        began = time.monotonic()
        await asyncio.sleep(config.idle_seconds)  # the idle window being measured
        elapsed = time.monotonic() - began
        cpu = {kind: 100.0 * (proc_cpu_seconds(p.pid) - before[kind]) / elapsed for kind, p in keep.items()}
        rss = {kind: proc_rss_mib(p.pid) for kind, p in keep.items()}
        playing = await _rss_playing(keep["profile"], config.settle_seconds)
    finally:
        for probe in keep.values():
            await probe.stop()
    result.samples = {"starts": starts, "console_filled": filled, "idle_cpu_percent": cpu, "idle_seconds": elapsed, "rss_mib": rss,
                      "preview": playing, "bbb_requests": bbb.requests}
    result.rows.extend(start_rows(starts, runs))
    # the window shows before the core opens the set-up; this is when the console is filled
    result.rows.append(Row("cold start → console filled (configured, after the window)", median(filled), "s",
                           "bare PySide6 window", median(starts["bare"]),
                           note=f"median of {runs}" if runs > 1 else ""))
    result.rows.extend(idle_rows(cpu, rss, elapsed))
    if bbb.requests == 0:
        result.notes.append("The configured app never asked the BBB stand-in: "
                            "its idle figure may miss the HTTP client and the XML parser.")
    if playing.get("rss") is not None:
        result.rows.append(Row("RSS with the preview playing", playing["rss"], "MiB", "RSS idle", rss["profile"]))
    else:
        result.notes.append(f"RSS with the preview playing: not measured ({playing.get('error')}).")


async def _rss_playing(probe: Probe, settle: float) -> dict[str, Any]:
    try:
        from desktop.lab.scene import Scene
        from desktop.lab.video.encoder import EncoderSettings
        from desktop.lab.video.origin import HlsOrigin
        from desktop.ui.preview import VlcUnavailable, load_vlc

        load_vlc()
    except (ImportError, VlcUnavailable) as error:
        return {"error": f"libVLC unavailable: {error}"}
    scene = Scene(title="Start-up benchmark", participant_count=1, chat_visible=False, gateway="bench")
    settings = EncoderSettings(width=640, height=360, fallback_size=None, audio=True)
    async with HlsOrigin(settings=settings, cleanup_delay=None) as origin:
        await origin.start("bench", lambda: scene)
        await origin.wait_segments("bench", count=2, timeout=20)
        # written whole, then renamed into place: the probe watches the folder, and a file it sees
        # created but not yet written would be read empty (no later folder event comes)
        pending = probe.trigger / ".play.tmp"
        pending.write_text(origin.hls_url("bench"), encoding="utf-8")
        pending.rename(probe.trigger / "play")
        try:
            playing_at = await probe.wait_for("playing", 60)
        except (TimeoutError, RuntimeError) as error:
            return {"error": f"the preview did not play ({error.__class__.__name__})"}
        await asyncio.sleep(settle)  # let the player reach its steady state
        cpu_before = proc_cpu_seconds(probe.pid)
        began = time.monotonic()
        await asyncio.sleep(settle)  # a short CPU window while playing
        cpu = 100.0 * (proc_cpu_seconds(probe.pid) - cpu_before) / (time.monotonic() - began)
        return {"rss": proc_rss_mib(probe.pid), "cpu_percent": cpu,
                "first_picture_after": playing_at - probe.spawned_at}
