"""The chat window measured where the presenter looks: run on an X display by :mod:`desktop.bench.chat`.

``python -m desktop.bench.chat_probe live --phase RATE:SECONDS ...`` (QT_QPA_PLATFORM=xcb) starts
:mod:`desktop.bench.chat_lab` in its own process and runs the app's real chat path against it on
one qasync loop: :class:`~desktop.chat.pipeline.ChatPipeline` (the GraphQL reader as the monitoring
user, classification, the log, the SQLite archive), the SQLite
:class:`~desktop.chat.moderation.ModerationState`, the :class:`~desktop.ui.chat_window.ChatWindow`
shown, and a :class:`~desktop.ui.notifications.Notifier` told of every audience question as the
console's hub does.  For each phase the lab posts RATE messages a second for SECONDS, and the
probe measures:

* CPU: user + system time of this whole process (every thread) over the posting period, as a
  share of one core (the lab's own CPU is in its process, not counted);
* lost: posted − received, 30 s after the last post at most;
* arrival → painted: for each message, the first frame that shows it — the first paint whose
  last visible row is that message or a later one (while following, a frame shows the newest
  rows; a message scrolled past within a frame counts as shown by that frame) — minus its post
  time in the lab (``createdAt``); and minus its arrival in the app's log, apart;
* GUI loop latency: a 10-ms QTimer's lateness (timer probe), in the phases of at least
  ``LOOP_PROBE_FROM`` messages a second only (its own wake-ups would count in the CPU rows);
* notifications delivered for the questions.

``python -m desktop.bench.chat_probe scroll --messages N``: an empty window's RSS, then N
messages fed in result sets of 500 (the loop running between them), its RSS again; then frame
times (input → painted, ``QApplication.processEvents`` included) of wheel notches (3 lines each,
at 20 places spread over the history) and of a scroll-bar drag from the newest message to the
oldest (500 steps).  Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop.bench.timing import percentile

LOOP_PROBE_FROM = 1000


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _figures(values: list[float]) -> dict[str, float | None]:
    return {"p50": percentile(values, 50), "p99": percentile(values, 99),
            "max": max(values) if values else None, "count": len(values)}


class LoopProbe:
    """Lateness of a 10-ms QTimer: how long the GUI loop kept a due timer waiting."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.samples: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.samples = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, now - self._last - 0.010))
        self._last = now

    def take(self) -> list[float]:
        samples, self.samples = self.samples, []
        return samples


async def live(phases: list[tuple[float, float]]) -> dict[str, Any]:
    from desktop.bbb import BBBClient
    from desktop.chat.archive import ChatArchive
    from desktop.chat.message import MessageKind
    from desktop.chat.model import ChatLog
    from desktop.chat.moderation import ModerationState
    from desktop.chat.pipeline import ChatPipeline
    from desktop.ui.chat_window import ChatWindow
    from desktop.ui.notifications import NotificationBanner, NotificationKind, Notifier

    lab = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop.bench.chat_lab", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE)
    assert lab.stdin is not None and lab.stdout is not None
    results: dict[str, Any] = {"phases": []}
    with tempfile.TemporaryDirectory(prefix="pupitre-chat-bench-") as home:
        try:
            async with asyncio.timeout(60):
                document = json.loads(await lab.stdout.readline())
            moderation = ModerationState(document["meeting_id"], Path(home) / "moderation.sqlite")
            archive = ChatArchive(Path(home) / "archive.sqlite")
            log = ChatLog(moderation=moderation)
            bbb = BBBClient(document["url"], document["secret"])
            pipeline = ChatPipeline("bench:0", document["meeting_id"], bbb, log=log, archive=archive)
            window = ChatWindow(log, pipeline, title="Chat benchmark")
            window.resize(460, 720)
            window.show()
            banner = NotificationBanner()
            notifier = Notifier(None, banner)
            delivered: list[str] = []
            notifier.delivered.connect(lambda _kind, title, _text: delivered.append(title))
            received: dict[int, float] = {}  # absolute log position -> time.time() of its arrival
            painted: dict[int, float] = {}
            painted_upto = [-1]

            def appended(first: int, count: int) -> None:
                now = time.time()
                base = log.dropped_count
                for index in range(first, first + count):
                    received[base + index] = now
                    message = log[index]
                    if message.kind is MessageKind.AUDIENCE and message.is_question:
                        notifier.notify(NotificationKind.QUESTION, f"Question from {message.author}", message.text)

            def paint_probe(_first: int, last: int) -> None:
                now = time.time()
                message = window.rows.message_at(last)
                index = log.index_of(message.id)
                if index is None:
                    return
                upto = index + log.dropped_count
                for absolute in range(painted_upto[0] + 1, upto + 1):
                    painted.setdefault(absolute, now)
                painted_upto[0] = max(painted_upto[0], upto)

            log.add_listener(appended, lambda _index: None)
            window.view.paint_probe = paint_probe
            await pipeline.start()
            await pipeline.wait_connected(30)
            probe = LoopProbe()
            for rate, seconds in phases:
                tag = f"{rate:g}"
                first = log.dropped_count + len(log)
                delivered.clear()
                if rate >= LOOP_PROBE_FROM:
                    probe.start()
                rss_before = _rss()
                cpu_before, wall_before = _cpu(), time.perf_counter()
                lab.stdin.write(f"post {rate:g} {seconds:g} {tag}\n".encode())
                await lab.stdin.drain()
                async with asyncio.timeout(seconds + 120):
                    done = json.loads(await lab.stdout.readline())
                cpu, wall = _cpu() - cpu_before, time.perf_counter() - wall_before
                probe.stop()
                loop_lateness = probe.take()
                posted = done["posted"]

                def arrived(first: int = first, posted: int = posted) -> bool:
                    return log.dropped_count + len(log) - first >= posted and painted_upto[0] >= first + posted - 1

                with contextlib.suppress(TimeoutError):
                    await pipeline.wait_until(arrived, 30)
                # the frame that shows the last ones comes after the log has them
                deadline = time.perf_counter() + 5
                while painted_upto[0] < first + posted - 1 and time.perf_counter() < deadline:
                    await asyncio.sleep(0.02)  # waiting for the next frame (bounded)
                end = log.dropped_count + len(log)
                base = log.dropped_count
                post_to_paint, receipt_to_paint = [], []
                for absolute in range(first, end):
                    shown = painted.get(absolute)
                    if shown is None:
                        continue
                    post_to_paint.append(shown - log[absolute - base].created_at.timestamp())
                    receipt_to_paint.append(shown - received[absolute])
                questions = sum(1 for absolute in range(first, end) if log[absolute - base].is_question)
                results["phases"].append({
                    "rate": rate, "seconds": seconds, "posted": posted, "received": end - first,
                    "lost": max(0, posted - (end - first)), "cpu_seconds": cpu, "wall_seconds": wall,
                    "cpu_percent": 100.0 * cpu / wall if wall > 0 else None,
                    "post_to_paint": _figures(post_to_paint), "receipt_to_paint": _figures(receipt_to_paint),
                    "unpainted": (end - first) - len(post_to_paint),
                    "loop_lateness": _figures(loop_lateness),
                    "rss_before": rss_before, "rss_after": _rss(),
                    "questions": questions, "notifications": len(delivered),
                    "view_passes": window.rows.passes, "paints": window.view.paints,
                })
                print(f"[chat probe] {rate:g} msg/s done", file=sys.stderr, flush=True)
            window.dispose()
            window.close()
            await pipeline.stop()
            await bbb.aclose()
            archive.close()
            log.close()
            moderation.close()
        finally:
            if lab.returncode is None:
                with contextlib.suppress(Exception):
                    lab.stdin.write(b"quit\n")
                    await lab.stdin.drain()
                try:
                    await asyncio.wait_for(lab.wait(), 10)
                except TimeoutError:
                    lab.kill()
                    await lab.wait()
    return results


def scroll(messages: int) -> dict[str, Any]:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from desktop.chat.memory import synthetic_messages
    from desktop.chat.model import ChatLog
    from desktop.chat.moderation import ModerationState
    from desktop.ui.chat_window import ChatWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def settle(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)  # idle between event batches while the window settles

    moderation = ModerationState("bench-scroll", None)
    log = ChatLog(moderation=moderation)
    window = ChatWindow(log, title="Chat benchmark")
    window.resize(460, 720)
    window.show()
    settle(1.0)
    gc.collect()
    rss_empty = _rss()
    batch: list[Any] = []
    started = time.perf_counter()
    for raw in synthetic_messages(messages):
        batch.append(raw)
        if len(batch) == 500:
            log.ingest_many(batch)
            batch = []
            app.processEvents()
    if batch:
        log.ingest_many(batch)
    window.rows.flush()
    app.processEvents()
    feed_seconds = time.perf_counter() - started
    settle(1.0)
    gc.collect()
    rss_full = _rss()
    view = window.view
    bar = view.verticalScrollBar()
    viewport = view.viewport()

    def frame(action: Any) -> float:
        began = time.perf_counter()
        action()
        app.processEvents()
        return time.perf_counter() - began

    wheel: list[float] = []
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    for place in range(20):
        bar.setValue(bar.maximum() * place // 19)
        app.processEvents()
        for _notch in range(25):
            event = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120),
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                                False)
            wheel.append(frame(lambda event=event: QApplication.sendEvent(viewport, event)))
    drag: list[float] = []
    bar.setValue(bar.maximum())
    app.processEvents()
    bar.setSliderDown(True)
    steps = 500
    for step in range(steps + 1):
        position = bar.maximum() - bar.maximum() * step // steps
        drag.append(frame(lambda position=position: bar.setSliderPosition(position)))
    bar.setSliderDown(False)
    reached_top = view.visible_rows().start == 0
    result = {"messages": messages, "rows": len(window.rows), "rss_empty": rss_empty, "rss_full": rss_full,
              "memory_bytes": rss_full - rss_empty, "feed_seconds": feed_seconds,
              "wheel": _figures(wheel), "drag": _figures(drag), "reached_top": reached_top,
              "paints": view.paints, "layouts_built": view.painter.layouts_built}
    window.dispose()
    window.close()
    log.close()
    moderation.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.bench.chat_probe")
    sub = parser.add_subparsers(dest="mode", required=True)
    live_parser = sub.add_parser("live")
    live_parser.add_argument("--phase", action="append", default=[], help="RATE:SECONDS")
    scroll_parser = sub.add_parser("scroll")
    scroll_parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(["pupitre-chat-bench"])
    if args.mode == "scroll":
        output = scroll(args.messages)
    else:
        phases = [(float(rate), float(seconds)) for rate, seconds in (p.split(":") for p in args.phase)]
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            output = loop.run_until_complete(live(phases))
    output["platform"] = app.platformName()
    print(json.dumps(output), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
