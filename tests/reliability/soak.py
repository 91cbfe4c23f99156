"""Soak: a long lab live with a busy audience chat and the preview playing; is memory growing?

Run with ``make soak`` (20 minutes, under ``xvfb-run``) or::

    xvfb-run -a .venv/bin/python -m tests.reliability.soak --minutes 3

Not part of the test suite (pytest only collects ``test_*.py``): it takes real minutes.

Two processes, so that only the app is measured:

* the **lab** (``--lab-only``, started by the soak itself): BBB, gateways, the HLS origin
  encoding real video, and a simulated audience posting ``--rate`` messages per second through
  the streaming gateway (Esup-Pod's ``(First Last) text``, 5 % hostile input);
* the **app** (this process): the webinar manager takes the webinar live (the presenter joins,
  the gateway streams, the stream monitor, the live watcher), the chat pipeline reads the chat
  over GraphQL into a :class:`~desktop.chat.model.ChatLog` shown in the
  :class:`~desktop.ui.chat_window.ChatWindow`, and the :class:`~desktop.ui.preview.PreviewWidget`
  plays the audience HLS with libVLC (skipped, and said so, without an X display or libVLC).

Phases, in one run (each split phase lasts ``--phase-minutes``, 2 by default; 0 skips them):

1. ``chat_hidden``: the chat flows into the log, the chat window is hidden, no preview;
2. ``chat_visible``: the same with the chat window shown;
3. ``main`` (``--minutes``): chat window shown and the preview playing — the memory verdict;
4. ``preview_alone``: the chat pipeline stopped and the window hidden, the preview playing.

``cpu_split`` gives each phase's CPU (time-weighted: the process's CPU seconds over the phase's
wall seconds, after ``--settle`` seconds of settling past each switch), so the cost of the chat
view, of the chat ingest and of the preview can be told apart.

Every ``--interval`` seconds, on a fixed schedule (an early wake-up waits for its due time; the
last sample of a phase lands at its end, never a burst of zero-length samples): RSS
(``/proc/self/status``), CPU (``os.times``: user+system over the sample's own wall time, in % of
one core; ``dt`` is that wall time), the chat messages the log holds, and the preview's pictures.
Mean CPU figures are time-weighted.  The verdict is the least-squares slope of RSS over time
after a warm-up (the first 20 % of samples or 60 s, whichever is longer): **growth** when the
slope is above 1 MB/min *and* RSS grew by more than 10 % over that period — chat history is
bounded by the log's capacity, so a healthy app flattens out (``main`` phase only).  Figures are printed and written
to ``bench-results/soak.json``; the exit status is 1 on a growth trend.

What the slope is made of: ``rss_bytes_per_retained_message`` is the least-squares slope of RSS
over the number of chat messages the log holds, after the warm-up — with a busy chat nearly all
of the growth is the retained history (its per-structure breakdown:
``python -m tests.reliability.chat_memory``).  ``--rate 0`` runs the same live without any
audience message, for the growth that has nothing to do with the chat.

The preview's pictures are counted over every reopen (``preview_displayed_pictures``: libVLC's
own counter restarts with each media), with the reopens (``preview_medias``) and the picture rate
per sample, so a stall shows as a dip in the rate and a reopen.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GROWTH_MB_PER_MIN = 1.0
GROWTH_SHARE = 0.10


@dataclass
class Sample:
    t: float  # seconds since the live started
    rss_mb: float
    cpu_percent: float  # of one core, since the previous sample
    chat_messages: int  # rows received by the chat log so far
    stream: str  # the stream health row's level
    chat_retained: int = 0  # rows the chat log holds (its history, what memory pays for)
    preview_pictures: int | None = None  # pictures shown so far, every media added up
    phase: str = "main"
    dt: float = 0.0  # the wall seconds cpu_percent was measured over
    cpu_seconds: float = 0.0  # the process's CPU seconds over dt


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs (0 with fewer than two points)."""
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    return 0.0 if var == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


class PictureCount:
    """The preview's pictures over the whole soak, and its reopens.

    libVLC counts pictures per media and the preview opens a new one on every reopen; the
    widget adds them up (``total_displayed_pictures``) and counts its opens.
    """

    def __init__(self, preview: Any) -> None:
        self.preview = preview
        self.retries = 0  # the preview's retry_scheduled signals (an error, end of stream or a stall)
        preview.retry_scheduled.connect(self._retry)

    def _retry(self, _delay: float) -> None:
        self.retries += 1

    @property
    def medias(self) -> int:
        return int(self.preview.opens)

    def read(self) -> int:
        return int(self.preview.total_displayed_pictures())


def verdict(samples: list[Sample]) -> dict[str, Any]:
    warm = max(len(samples) // 5, next((i for i, s in enumerate(samples) if s.t >= 60), len(samples)))
    steady = samples[warm:] if len(samples) - warm >= 3 else samples
    xs = [s.t / 60 for s in steady]
    ys = [s.rss_mb for s in steady]
    per_min = slope(xs, ys)
    grew = (ys[-1] - ys[0]) / ys[0] if ys and ys[0] else 0.0
    cpu = [s.cpu_percent for s in samples if s.dt > 0] or [0.0]
    retained = [float(s.chat_retained) for s in steady]
    added = retained[-1] - retained[0] if retained else 0.0
    per_message = slope(retained, [y * 1024 * 1024 for y in ys]) if added > 0 else None
    pictures = [(s.t, s.preview_pictures) for s in steady if s.preview_pictures is not None]
    fps = ((pictures[-1][1] - pictures[0][1]) / (pictures[-1][0] - pictures[0][0])
           if len(pictures) >= 2 and pictures[-1][0] > pictures[0][0] else None)
    return {
        "rss_slope_mb_per_min": round(per_min, 3),
        "rss_growth_share": round(grew, 4),
        "rss_first_mb": round(samples[0].rss_mb, 1) if samples else None,
        "rss_last_mb": round(samples[-1].rss_mb, 1) if samples else None,
        "rss_max_mb": round(max(s.rss_mb for s in samples), 1) if samples else None,
        "cpu_mean_percent": cpu_share(samples),
        "cpu_max_percent": round(max(cpu), 1),
        # informative (CPU is noisy on a shared machine): a rising CPU hints at per-message work
        # that grows with the history
        "cpu_slope_percent_per_min": round(slope([s.t / 60 for s in steady], [s.cpu_percent for s in steady]), 2),
        "steady_from_s": round(steady[0].t, 1) if steady else None,
        # what the slope is made of: RSS over the chat history the log holds (None without chat)
        "chat_retained_at_end": samples[-1].chat_retained if samples else 0,
        "chat_retained_after_warmup": int(added),
        "rss_bytes_per_retained_message": None if per_message is None else round(per_message),
        "preview_pictures_per_s_after_warmup": None if fps is None else round(fps, 1),
        "growth_trend": per_min > GROWTH_MB_PER_MIN and grew > GROWTH_SHARE,
    }


def cpu_share(samples: list[Sample]) -> float:
    """Time-weighted CPU of ``samples`` in % of one core: CPU seconds over wall seconds (a short
    sample weighs what it lasted, so it cannot drag the mean)."""
    wall = sum(s.dt for s in samples)
    return round(100 * sum(s.cpu_seconds for s in samples) / wall, 1) if wall > 0 else 0.0


class Sampler:
    """Samples the process on a fixed schedule; one instance for the whole soak."""

    def __init__(self, interval: float, read: Any) -> None:
        self.interval = interval
        self._read = read  # () -> dict of the app's counters for a Sample
        self.started = time.monotonic()
        self._last_wall = self.started
        self._last_cpu = sum(os.times()[:2])
        self.samples: list[Sample] = []

    def restart_clock(self) -> None:
        """Forget the CPU used since the last sample (a phase switch settling)."""
        self._last_wall, self._last_cpu = time.monotonic(), sum(os.times()[:2])

    def take(self, phase: str) -> Sample:
        now, cpu = time.monotonic(), sum(os.times()[:2])
        dt, used = now - self._last_wall, cpu - self._last_cpu
        sample = Sample(t=now - self.started, rss_mb=rss_mb(), cpu_percent=100 * used / dt if dt > 0 else 0.0,
                        phase=phase, dt=dt, cpu_seconds=used, **self._read())
        self._last_wall, self._last_cpu = now, cpu
        previous = self.samples[-1] if self.samples else None
        self.samples.append(sample)
        fps = ""
        if previous is not None and sample.preview_pictures is not None and previous.preview_pictures is not None:
            fps = f"  preview {(sample.preview_pictures - previous.preview_pictures) / max(1e-6, sample.t - previous.t):4.1f} fps"
        print(f"  [{phase}] t={sample.t:6.0f} s  RSS {sample.rss_mb:7.1f} MB  CPU {sample.cpu_percent:5.1f} %  "
              f"chat {sample.chat_messages:6d}  stream {sample.stream}{fps}", flush=True)
        return sample

    async def phase(self, name: str, seconds: float, stop: Any) -> list[Sample]:
        """Sample every ``interval`` for ``seconds`` (the last sample at the phase's end), or until
        ``stop()`` says the live is over.  Due times are fixed: a timer that fires early (qasync
        rounds short delays to whole milliseconds) sleeps again instead of sampling."""
        first = len(self.samples)
        begin = time.monotonic()
        end = begin + seconds
        due = min(begin + self.interval, end)
        while True:
            while (now := time.monotonic()) < due:
                await asyncio.sleep(due - now)  # the sampling period, up to its due time
            self.take(name)
            if now >= end or stop():
                break
            due = min(due + self.interval, end)
        return self.samples[first:]


# -- the lab process ---------------------------------------------------------------------------
async def run_lab(rate: float, viewers: int) -> None:
    from desktop.config.paths import AppPaths
    from desktop.config.settings import Settings
    from desktop.lab.bbb import BBBOptions
    from desktop.lab.live_audience import AudienceSettings
    from desktop.lab.runner import Lab, LabOptions
    from desktop.secrets import secret_store

    options = LabOptions(video_size=(640, 360), bbb=BBBOptions(page_presence_timeout=24 * 3600),
                         audience=AudienceSettings(viewers=viewers, rate=rate, gateway="gw1", seed=7)
                         if rate > 0 else None)  # --rate 0: the live without any chat
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with Lab(options) as lab:
        paths = AppPaths.from_environment().ensure()
        settings = Settings(path=paths.settings_file)
        lab.write_profile(settings, secret_store())
        settings.save()
        print(json.dumps({"ready": True, "audience": lab.audience_stats()}), flush=True)
        await stop.wait()
        print(json.dumps({"audience": await lab.stop_audience()}), flush=True)


# -- the app (measured) ------------------------------------------------------------------------
async def run_app(args: argparse.Namespace, lab_proc: subprocess.Popen[str]) -> dict[str, Any]:
    import httpx

    from desktop.chat.classify import Classifier
    from desktop.chat.model import ChatLog
    from desktop.chat.pipeline import ChatPipeline
    from desktop.config.paths import AppPaths
    from desktop.config.settings import Settings
    from desktop.schedule.models import Webinar, WebinarOptions
    from desktop.secrets import secret_store
    from desktop.ui.chat_window import ChatWindow
    from desktop.webinar.manager import WebinarManager
    from desktop.webinar.state import LiveState

    paths = AppPaths.from_environment().ensure()
    manager = WebinarManager(paths, Settings.load(paths.settings_file), secret_store())
    from datetime import UTC, datetime, timedelta
    webinar = manager.schedule.add(Webinar(
        title="Soak", start=datetime.now(UTC) + timedelta(minutes=1), duration=timedelta(hours=3),
        timezone="Europe/Paris", options=WebinarOptions(preferred_gateway="lab-gw1")))
    session = manager.session(manager.plan_for(webinar.id))
    browser = httpx.AsyncClient(follow_redirects=True, timeout=10)
    joins: list[asyncio.Task[Any]] = []
    session.on_presenter_join_url(lambda url: joins.append(asyncio.ensure_future(browser.get(url))))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 120)
    if snap.state != LiveState.LIVE:
        raise SystemExit(f"the soak live did not start: {snap.failure}")

    log = ChatLog(Classifier())
    window = ChatWindow(log, title="Soak")
    pipeline = ChatPipeline(session.plan.key, session.plan.meeting_id, manager.bbb(), log=log,
                            on_health=session.set_chat_health)
    await pipeline.start()
    await pipeline.wait_connected(30)

    preview: Any = None
    pictures: PictureCount | None = None

    def read() -> dict[str, Any]:
        return {"chat_messages": len(log) + log.dropped_count, "stream": session.snapshot.health.stream.level.value,
                "chat_retained": len(log), "preview_pictures": pictures.read() if pictures is not None else None}

    def live_over() -> bool:
        return session.snapshot.state != LiveState.LIVE or lab_proc.poll() is not None

    sampler = Sampler(args.interval, read)
    split: dict[str, dict[str, Any]] = {}

    async def measured(name: str, minutes: float) -> list[Sample]:
        if args.settle > 0:
            await asyncio.sleep(args.settle)  # let the switch settle (a shown window lays out once)
        sampler.restart_clock()
        before = len(log) + log.dropped_count
        phase_samples = await sampler.phase(name, minutes * 60, live_over)
        split[name] = {"cpu_percent": cpu_share(phase_samples), "seconds": round(sum(x.dt for x in phase_samples), 1),
                       "chat_received": phase_samples[-1].chat_messages - before if phase_samples else 0,
                       "rss_mb_at_end": phase_samples[-1].rss_mb if phase_samples else None}
        return phase_samples

    print(f"soak: live on {snap.gateway}; phases of {args.phase_minutes:g} min around a main phase of "
          f"{args.minutes:g} min; sampling every {args.interval:.0f} s", flush=True)
    if args.phase_minutes > 0 and not live_over():
        await measured("chat_hidden", args.phase_minutes)
    window.show()
    if args.phase_minutes > 0 and not live_over():
        await measured("chat_visible", args.phase_minutes)

    preview_note = "not started"
    if os.environ.get("DISPLAY") and not args.no_preview:
        from desktop.ui.preview import PreviewWidget

        preview = PreviewWidget()
        if preview.available:
            preview.resize(640, 400)
            preview.show()
            preview.set_url(snap.audience_url if snap.audience_url and snap.audience_url.endswith(".m3u8")
                            else manager.pool.get("lab-gw1").config.hls_url)
            preview_note = "playing"
            pictures = PictureCount(preview)
        else:
            preview_note = f"libVLC unavailable: {preview.unavailable_reason}"
    else:
        preview_note = "no X display (run under xvfb-run)" if not args.no_preview else "disabled"

    warm_snapshot: Any = None
    if args.tracemalloc:
        await asyncio.sleep(60)  # the heap after the first minute of the main phase is the reference
        warm_snapshot = tracemalloc.take_snapshot()
    samples = await measured("main", args.minutes)
    state = session.snapshot.state.value
    received = samples[-1].chat_messages if samples else 0
    main_seconds = sum(x.dt for x in samples)

    await pipeline.stop()
    window.hide()
    if args.phase_minutes > 0 and pictures is not None and not live_over():
        await measured("preview_alone", args.phase_minutes)

    displayed = pictures.read() if pictures is not None else None
    python_heap = _python_heap_growth(warm_snapshot, args.top) if warm_snapshot is not None else None
    if preview is not None:
        preview.release()
    window.dispose()
    await session.end_webinar()
    for task in joins:
        with contextlib.suppress(Exception):
            await task
    await browser.aclose()
    await manager.aclose()
    return {
        "minutes": round(main_seconds / 60, 2),
        "phase_minutes": args.phase_minutes,
        "cpu_split": split,
        "interval_s": args.interval,
        "rate_requested_per_s": args.rate,
        "chat_received": received,
        "chat_rate_per_s": round(received / samples[-1].t, 2) if samples and samples[-1].t else 0.0,
        "live_state_at_end": state,
        "preview": preview_note,
        "preview_displayed_pictures": displayed,  # every media added up (see the module docstring)
        "preview_medias": pictures.medias if pictures is not None else None,
        "preview_retries": pictures.retries if pictures is not None else None,
        **verdict(samples),
        **({"python_heap_growth_after_60s": python_heap} if python_heap is not None else {}),
        "samples": [asdict(x) for x in sampler.samples],
    }


def _python_heap_growth(before: Any, top: int) -> dict[str, Any]:
    """What the Python heap gained since ``before``, by source line (``--tracemalloc``)."""
    stats = tracemalloc.take_snapshot().compare_to(before, "lineno")
    return {
        "total_mb": round(sum(stat.size_diff for stat in stats) / 2**20, 2),
        "top": [{"where": f"{stat.traceback[0].filename.replace(str(ROOT) + os.sep, '')}:{stat.traceback[0].lineno}",
                 "kb": round(stat.size_diff / 1024, 1), "blocks": stat.count_diff}
                for stat in stats[:top]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.soak", description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--interval", type=float, default=10.0, help="sampling period in seconds")
    parser.add_argument("--phase-minutes", type=float, default=2.0,
                        help="length of each CPU-split phase (chat hidden, chat visible, preview alone); 0: none")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds left out after each phase switch")
    parser.add_argument("--rate", type=float, default=20.0,
                        help="audience messages per second (0: no audience, the growth without chat)")
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--output", type=Path, default=ROOT / "bench-results" / "soak.json")
    parser.add_argument("--no-preview", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also say what the Python heap gained after the first minute, by source line (slower)")
    parser.add_argument("--top", type=int, default=15, help="lines shown with --tracemalloc")
    parser.add_argument("--lab-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.lab_only:
        asyncio.run(run_lab(args.rate, args.viewers))
        return 0
    if args.tracemalloc:
        tracemalloc.start()

    from desktop.bench.report import load_during, load_snapshot

    load_before = load_snapshot()
    home = Path(tempfile.mkdtemp(prefix="pupitre-soak-"))
    os.environ["PUPITRE_HOME"] = str(home / "home")
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.file_keyring.FileKeyring"
    os.environ["PUPITRE_TEST_KEYRING_FILE"] = str(home / "keyring.json")
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
    lab = subprocess.Popen([sys.executable, "-m", "tests.reliability.soak", "--lab-only", "--rate", str(args.rate),
                            "--viewers", str(args.viewers)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert lab.stdout is not None
        ready = lab.stdout.readline()
        if not ready.strip():
            raise SystemExit("the soak lab did not start")

        import keyring
        import qasync
        from PySide6.QtWidgets import QApplication

        from tests.support.file_keyring import FileKeyring

        keyring.set_keyring(FileKeyring())
        app = QApplication.instance() or QApplication([])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            result = loop.run_until_complete(run_app(args, lab))
    finally:
        lab.send_signal(signal.SIGTERM)
        try:
            out, _ = lab.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            lab.kill()
            out, _ = lab.communicate()
    with contextlib.suppress(ValueError, IndexError):
        result["lab_audience"] = json.loads(out.strip().splitlines()[-1]).get("audience")
    result.update(machine=platform.platform(), cpus=os.cpu_count(), python=platform.python_version(),
                  load=load_during(load_before, load_snapshot()),
                  finished_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    summary = {k: v for k, v in result.items() if k != "samples"}
    print(json.dumps(summary, indent=2))
    print(f"soak: {'GROWTH TREND' if result['growth_trend'] else 'no growth trend'} "
          f"(RSS slope {result['rss_slope_mb_per_min']} MB/min after warm-up); written to {args.output}")
    print("soak: CPU split (% of one core, whole process): " + ", ".join(
        f"{name} {figures['cpu_percent']} %" for name, figures in result["cpu_split"].items()))
    return 1 if result["growth_trend"] else 0


if __name__ == "__main__":
    sys.exit(main())
