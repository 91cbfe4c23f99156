"""Benchmark 3: restart the live with the lab's realistic gateway timings; Pupitre vs Esup-Pod.

Method.  One webinar goes live on the lab with ``LabOptions(realistic=True)``: ``/start`` answers
after 3 s, the gateway's browser joins 8 s later, ``/stop`` answers after 10–20 s (random, like
a real container's cleanup trap).  Then, on the same live and alternately:

* Pupitre: ``LiveSession.restart_live()`` — stop, wait until the gateway reports it is down (or
  the stream stopped advancing), start again (the next free gateway if this one is busy);
* Esup-Pod's ``restart_live`` view (gateway-and-pod.md §7.2): ``/stop`` (synchronous), a fixed
  ``sleep(5)``, ``/start`` on the same gateway — a busy answer is recorded as such (Pod then
  shows an error and the live stays down).

The clock runs from the restart request until the audience stream advances again: once the
gateway emulator reports it stopped, fresh :class:`~desktop.stream.monitor.HlsMonitor` s watch
every lab gateway's audience URL, and the first that sees a new segment stops the clock (the
same neutral observer for both).  Because the stop takes a random 10–20 s, each run's own stop
time is also subtracted ("restart minus the gateway's own stop").
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from typing import Any

from desktop.bench.labkit import LabApp, lab_app, lab_options, wait_live
from desktop.bench.report import BenchResult, Row
from desktop.bench.timing import median
from desktop.errors import PupitreError
from desktop.gateways.errors import GatewayBusy
from desktop.lab.world import WorldEvent
from desktop.stream.monitor import HlsMonitor
from desktop.webinar.session import LiveSession, LiveTimings

POD_SLEEP = 5.0
STREAM_TIMEOUT = 90.0


async def run(config: Any) -> BenchResult:
    runs = config.runs_restart
    result = BenchResult("restart", "Restart the live (realistic gateway timings)")
    result.method = (__doc__ or "").split("Method.", 1)[1].strip()
    timings = LiveTimings(stream_live_timeout=STREAM_TIMEOUT, gateway_down_timeout=60.0)
    samples: dict[str, list[dict[str, Any]]] = {"pupitre": [], "pod": []}
    # --quick checks the structure only: fast gateway timings instead of the realistic ones
    options = lab_options(fast=True) if config.quick else lab_options(realistic=True)
    async with lab_app(options, timings) as app:
        app.watch_stop_requests()
        _webinar, session = app.new_session("Bench restart", timings)
        await session.go_live()
        await wait_live(session, 120)
        for _ in range(runs):
            samples["pupitre"].append(await _measure(app, session, _pupitre_restart))
            samples["pod"].append(await _measure(app, session, _pod_restart))
        await session.end_webinar()
    result.samples = samples
    ours = [s for s in samples["pupitre"] if s["back_after"] is not None]
    theirs = [s for s in samples["pod"] if s["back_after"] is not None]
    busy = sum(1 for s in samples["pod"] if s["outcome"] == "busy")
    pupitre = median([s["back_after"] for s in ours])
    pod = median([s["back_after"] for s in theirs])
    pupitre_net = median([s["back_after"] - s["stop_took"] for s in ours])
    pod_net = median([s["back_after"] - s["stop_took"] for s in theirs])
    how = f"median of {len(ours)}/{len(theirs)} runs" if max(len(ours), len(theirs)) > 1 else "one run"
    result.rows.append(Row("Pupitre: restart → audience stream advances again", pupitre, "s",
                           "stop + sleep(5) + start", pod, note=how))
    result.rows.append(Row("Pupitre: the same minus the gateway's own stop time", pupitre_net, "s",
                           "stop + sleep(5) + start", pod_net, note=how))
    result.rows.append(Row("stop + sleep(5) + start: 'busy' answers", float(busy), f"of {len(samples['pod'])}",
                           note="the slot is free once /stop answers in the lab"))
    if config.quick:
        result.notes.append("--quick: fast lab gateway timings, not the realistic ones.")
    result.notes.append(
        f"{runs} restart(s) each, alternating on one live; Pod busy outcomes: {busy}/{len(samples['pod'])}; "
        f"Pupitre failures: {len(samples['pupitre']) - len(ours)}; Pod failures: {len(samples['pod']) - len(theirs)}.")
    return result


async def _pupitre_restart(app: LabApp, session: LiveSession) -> str:
    await session.restart_live()
    return "ok" if session.acquired is not None else "failed"


async def _pod_restart(app: LabApp, session: LiveSession) -> str:
    acquired = session.acquired
    if acquired is None:
        return "no gateway"
    await acquired.gateway.stop(acquired.session)  # Pod's stop_webinar: synchronous /stop
    await asyncio.sleep(POD_SLEEP)  # Pod's time.sleep(5): the algorithm under test
    try:
        started = await acquired.gateway.start(session._target_for(acquired.config), acquired.config.rtmp_url)
    except GatewayBusy:
        return "busy"
    except PupitreError as error:
        return f"error: {error.sentence}"
    session.acquired = dataclasses.replace(acquired, session=started)
    return "ok"


async def _measure(app: LabApp, session: LiveSession, restart: Any) -> dict[str, Any]:
    gateway = session.acquired.name if session.acquired else ""
    lab_name = gateway.split("-", 1)[1] if "-" in gateway else gateway
    requests = app.stop_requests.setdefault(lab_name, [])
    before = len(requests)
    stopped = asyncio.get_running_loop().create_future()

    def on_event(event: WorldEvent) -> None:
        if event.kind == "gateway_stopped" and event.data.get("gateway") == lab_name and not stopped.done():
            stopped.set_result(time.monotonic())

    unsubscribe = app.lab.world.subscribe(on_event)
    start = time.monotonic()
    task = asyncio.get_running_loop().create_task(restart(app, session))
    back_after: float | None = None
    stop_took = 0.0
    try:
        stopped_at = await asyncio.wait_for(stopped, 60)
        stop_took = stopped_at - requests[before] if len(requests) > before else stopped_at - start
        back = await _first_new_segment([g.hls_url for g in app.lab.gateways], STREAM_TIMEOUT)
        back_after = None if back is None else back - start
    finally:
        unsubscribe()
        outcome = await task
    if outcome != "ok":
        back_after = None
    if session.acquired is not None and outcome == "ok":
        await wait_live(session, STREAM_TIMEOUT)
    return {"outcome": outcome, "back_after": back_after, "stop_took": stop_took, "gateway": gateway}


async def _first_new_segment(urls: list[str], timeout: float) -> float | None:
    """When the first of ``urls`` shows a new segment (monotonic), None after ``timeout``."""
    monitors = [HlsMonitor(url) for url in urls]

    async def watch(monitor: HlsMonitor) -> float:
        await monitor.wait_for(lambda h: h.is_live and h.new_segments >= 1, timeout)
        return time.monotonic()

    tasks = [asyncio.get_running_loop().create_task(watch(m)) for m in monitors]
    try:
        for finished in asyncio.as_completed(tasks):
            with contextlib.suppress(PupitreError):
                return await finished
        return None
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for monitor in monitors:
            await monitor.aclose()
