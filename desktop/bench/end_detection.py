"""Benchmark 2: the meeting ends → the gateway receives ``/stop``; Pupitre vs Esup-Pod.

Method.  Two webinars go live side by side on the lab, each on its own legacy gateway.  The first
is watched by Pupitre's own live watcher (``live_poll`` 5 s, two misses).  The second's watcher is
switched off and :func:`pod_wait_meeting_is_stopped` watches it instead: Esup-Pod 4's algorithm
(gateway-and-pod.md §7.1) — sleep 60 s, then one ``isMeetingRunning`` every 60 s, stop after two
consecutive "not running" (a failed call counts as "not running", as Pod's
``get_is_meeting_running`` returns False after a non-SUCCESS), then ``/stop``.  After Pod's first
sleep plus a random part of its interval (so the end falls at a random phase of both loops), both
meetings are ended at the same instant (``lab.end_meeting``).  The clock stops when each
gateway's emulator *receives* ``/stop``.

Time compression: waiting a real 60–120 s per run is too slow for ``make bench``, so every
interval of *both* algorithms is divided by the same factor k (default 20: Pupitre polls every
0.25 s, Pod every 3 s).  The real-time equivalent is the measured time × k.  The server calls
themselves and the app's work around them are not compressed (and on a busy machine they take
tens of ms), so only the sleeps are scaled back: the real-time equivalent is ``measured +
(k − 1) × (time the watcher spent in its poll sleeps between the end and the /stop)``, the
sleeps being recorded per task by :class:`~desktop.bench.timing.WaitRecorder`.  The naive
``measured × k`` is in the JSON too.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from desktop.bench.labkit import LabApp, lab_app, lab_options, wait_live
from desktop.bench.report import BenchResult, Row
from desktop.bench.timing import Interval, WaitRecorder, median
from desktop.errors import PupitreError
from desktop.webinar.session import LiveSession, LiveTimings
from desktop.webinar.state import LiveState

POD_FIRST_SLEEP = 60.0
POD_INTERVAL = 60.0
POD_MAX_CHECKS = int(18000 / 60)
BUDGET = 10.0


async def pod_wait_meeting_is_stopped(
    is_running: Callable[[], Awaitable[bool]],
    stop: Callable[[], Awaitable[None]],
    *,
    first_sleep: float = POD_FIRST_SLEEP,
    interval: float = POD_INTERVAL,
    max_checks: int = POD_MAX_CHECKS,
) -> int:
    """Esup-Pod 4's ``stop_webinar_livestream`` thread, as an asyncio function; returns the checks made.

    ``is_running`` is BBB's isMeetingRunning; an exception counts as "not running" (Pod's
    ``get_is_meeting_running`` ends the meeting and returns False on a non-SUCCESS answer).
    The fixed sleeps are the algorithm under test, not a wait for state.
    """
    await asyncio.sleep(first_sleep)  # Pod's time.sleep(60)
    misses = 0
    checks = 0
    for _ in range(max_checks):
        checks += 1
        try:
            running = await is_running()
        except PupitreError:
            running = False
        misses = 0 if running else misses + 1
        if misses >= 2:
            break
        await asyncio.sleep(interval)  # Pod's time.sleep(60) between two checks
    await stop()
    return checks


async def run(config: Any) -> BenchResult:
    k = config.compression
    runs = config.runs_end
    rng = random.Random(config.seed)
    result = BenchResult("end_detection", "Meeting end → gateway /stop")
    result.method = (__doc__ or "").split("Method.", 1)[1].strip()
    base = LiveTimings()
    pupitre_timings = LiveTimings(
        presenter_poll=base.presenter_poll / k, live_poll=base.live_poll / k,
        misses_before_autostop=base.misses_before_autostop, gateway_status_every=base.gateway_status_every / k,
        down_poll=base.down_poll / k)
    watcher_off = LiveTimings(presenter_poll=base.presenter_poll / k, live_poll=1e6, gateway_status_every=1e6)
    samples: list[dict[str, float]] = []
    async with lab_app(lab_options(fast=True), pupitre_timings) as app:
        app.watch_stop_requests()
        for number in range(runs):
            samples.append(await _one_run(app, number, k, pupitre_timings, watcher_off, rng))
    result.samples = {"compression": k, "runs": samples}
    pupitre_runs = [s["pupitre_real"] for s in samples]
    pod_runs = [s["pod_real"] for s in samples]
    pupitre, pod = median(pupitre_runs), median(pod_runs)
    pupitre_max, pod_max = max(pupitre_runs), max(pod_runs)
    how = f"median of {runs} runs" if runs > 1 else "one run"
    result.rows.append(Row("Pupitre: meeting end → /stop (real-time equivalent)", pupitre, "s",
                           "Esup-Pod's algorithm", pod, budget=f"≤ {BUDGET:g} s",
                           met=pupitre is not None and pupitre <= BUDGET, note=how))
    result.rows.append(Row("Pupitre: meeting end → /stop, slowest run", pupitre_max, "s",
                           "Esup-Pod's algorithm, slowest run", pod_max, budget=f"≤ {BUDGET:g} s",
                           met=pupitre_max <= BUDGET, note=f"maximum of {runs} runs" if runs > 1 else "one run"))
    result.rows.append(Row("Esup-Pod's algorithm: meeting end → /stop (real-time equivalent)", pod, "s",
                           "Pupitre", pupitre, note=f"{how}; slowest {pod_max:.1f} s"))
    misses = base.misses_before_autostop
    result.notes.append(f"{runs} run(s), time compressed ×{k:g} (Pupitre polls every {pupitre_timings.live_poll:.3g} s, "
                        f"Pod every {POD_INTERVAL / k:.3g} s during the run); by design (poll intervals, not "
                        f"measured): Pupitre {base.live_poll * (misses - 1):g}–{base.live_poll * misses:g} s plus its "
                        f"calls, Pod {POD_INTERVAL:g}–{2 * POD_INTERVAL:g} s.")
    return result


async def _one_run(app: LabApp, number: int, k: float, pupitre_timings: LiveTimings, watcher_off: LiveTimings,
                   rng: random.Random) -> dict[str, float]:
    web_a, ours = app.new_session(f"Bench end Pupitre {number}", pupitre_timings, gateway="lab-gw1")
    web_b, theirs = app.new_session(f"Bench end Pod {number}", watcher_off, gateway="lab-gw2")
    await asyncio.gather(ours.go_live(), theirs.go_live())
    await asyncio.gather(wait_live(ours, 60), wait_live(theirs, 60))
    acquired = theirs.acquired
    assert acquired is not None
    bbb = theirs.bbb

    async def pod_stop() -> None:
        await acquired.gateway.stop(acquired.session)

    with WaitRecorder() as recorder:
        pod_task = asyncio.get_running_loop().create_task(pod_wait_meeting_is_stopped(
            lambda: bbb.is_meeting_running(web_b.meeting_id), pod_stop,
            first_sleep=POD_FIRST_SLEEP / k, interval=POD_INTERVAL / k))
        gw1 = app.stop_requests.setdefault("gw1", [])
        gw2 = app.stop_requests.setdefault("gw2", [])
        before1, before2 = len(gw1), len(gw2)
        await asyncio.sleep(POD_FIRST_SLEEP / k + rng.uniform(0, POD_INTERVAL / k))  # a random phase
        ended_at = time.monotonic()
        app.lab.end_meeting(web_a.meeting_id)
        app.lab.end_meeting(web_b.meeting_id)
        await ours.wait_for(lambda s: s.state in (LiveState.ENDED, LiveState.FAILED),
                            10 * pupitre_timings.live_poll + 30)
        checks = await asyncio.wait_for(pod_task, 3 * POD_INTERVAL / k + 30)
    watch_task = ours._watch_task
    _release(theirs)
    if len(gw1) <= before1 or len(gw2) <= before2:
        raise RuntimeError("a gateway never received /stop")
    pupitre = gw1[before1] - ended_at
    pod = gw2[before2] - ended_at

    def time_in(kind: str, task: object, until: float) -> float:
        def other(interval: Interval) -> bool:
            return interval.task is not task
        return recorder.waiting(ended_at, until, exclude=other, kinds=(kind,))

    pupitre_sleeps = time_in("sleep", watch_task, gw1[before1])
    pod_sleeps = time_in("sleep", pod_task, gw2[before2])
    return {"pupitre_measured": pupitre, "pod_measured": pod,
            "pupitre_sleeping": pupitre_sleeps, "pod_sleeping": pod_sleeps,
            "pupitre_server_calls": time_in("http", watch_task, gw1[before1]),
            "pod_server_calls": time_in("http", pod_task, gw2[before2]),
            "pupitre_naive": pupitre * k, "pod_naive": pod * k,
            "pupitre_real": pupitre + (k - 1) * pupitre_sleeps,
            "pod_real": pod + (k - 1) * pod_sleeps, "pod_checks": checks}


def _release(session: LiveSession) -> None:
    """Pod's loop stopped this gateway behind the session's back: free the pool slot."""
    if session.acquired is not None:
        session.pool.release(session.acquired)
        session.acquired = None
