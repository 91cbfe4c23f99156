"""``pupitre stream URL``: is the audience HLS stream really live?

One check (the default) polls until it has a verdict worth trusting: a playlist that is there
but was not yet seen advancing is polled again until a new segment appears or the stall window
passes, so "live" means "segments are arriving".  Exit 0 when LIVE, 1 otherwise; the sentence
(or the snapshot with ``--json``) goes to standard output.

``--watch`` prints one line per poll (one JSON object per line with ``--json``) until Ctrl-C.

``--relay`` serves the stream to any local player the way the app's preview reads it (one
MPEG-TS stream from the live edge, paced by its clock: see :mod:`desktop.stream.relay`): it
prints the loopback address to open (``vlc --network-caching=600 ADDRESS``) and relays until
Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from desktop.cli.context import CliContext
from desktop.i18n import _
from desktop.net.http import HttpOptions
from desktop.stream.health import StreamHealth, StreamState
from desktop.stream.monitor import HlsMonitor, StreamWaitTimeout, check_stream_url
from desktop.stream.relay import PreviewRelay
from desktop.stream.tracker import MonitorSettings

EXIT_OK = 0
EXIT_FAILED = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stream",
        help=_("check the audience HLS stream (live, stalled, ended...)"),
        description=_("Check whether the audience HLS stream at URL is live and advancing."),
    )
    parser.add_argument("url", metavar="URL", help=_("the audience .m3u8 address (master or media)"))
    parser.add_argument("--json", action="store_true", help=_("print the snapshot as JSON"))
    parser.add_argument("--watch", action="store_true", help=_("keep polling, one line per poll"))
    parser.add_argument("--relay", action="store_true",
                        help=_("serve the stream to a local player with the preview's low delay, until Ctrl-C"))
    parser.add_argument(
        "--insecure", action="store_true", help=_("do not verify the server's TLS certificate")
    )
    parser.add_argument("--ca-bundle", metavar="PATH", help=_("PEM file of a campus CA"))
    parser.add_argument(
        "--interval", type=_positive, metavar="SECONDS",
        help=_("seconds between polls (default: half the segment duration, 0.5-5 s)"),
    )
    parser.set_defaults(func=run)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text} is not a number").format(text=repr(text))) from None
    if not value > 0:
        raise argparse.ArgumentTypeError(_("must be a positive number of seconds"))
    return value


async def run(args: argparse.Namespace, ctx: CliContext) -> int:
    options = HttpOptions(ca_bundle=args.ca_bundle, insecure=args.insecure)
    if args.relay:
        return await _relay(args.url, options, as_json=args.json)
    settings = MonitorSettings(poll_interval=args.interval)
    async with HlsMonitor(args.url, options, settings) as monitor:
        if args.watch:
            return await _watch(monitor, as_json=args.json)
        health = await _verdict(monitor)
    _print(health, as_json=args.json, ctx=ctx)
    return EXIT_OK if health.state is StreamState.LIVE else EXIT_FAILED


async def _verdict(monitor: HlsMonitor) -> StreamHealth:
    """One check; a LIVE-but-not-yet-advancing answer is confirmed by polling a little longer."""
    health = await monitor.check_once()
    if health.state is not StreamState.LIVE or health.advancing:
        return health
    target = health.target_duration or 1.0
    # the tracker turns LIVE into STALLED after the stall window, so this wait always ends;
    # the timeout only guards against a server that stops answering mid-way
    budget = monitor.settings.stall_threshold(target) + 2 * monitor.next_interval() + 5
    try:
        return await monitor.wait_for(lambda h: h.state is not StreamState.LIVE or h.advancing, budget)
    except StreamWaitTimeout as timeout:
        return timeout.health or health


async def _watch(monitor: HlsMonitor, *, as_json: bool) -> int:
    async for health in monitor.watch():
        if as_json:
            sys.stdout.write(json.dumps(health.to_dict(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_line(health) + "\n")
        sys.stdout.flush()
    return EXIT_OK  # pragma: no cover - watch() only ends with Ctrl-C


async def _relay(url: str, options: HttpOptions, *, as_json: bool) -> int:
    check_stream_url(url)
    async with PreviewRelay(url, options) as relay:
        if as_json:
            sys.stdout.write(json.dumps({"relay_url": relay.url, "upstream": url}) + "\n")
        else:
            sys.stdout.write(_("Open {address} in a player (for VLC: --network-caching=600); Ctrl-C stops.")
                             .format(address=relay.url) + "\n")
        sys.stdout.flush()
        await asyncio.Event().wait()  # until Ctrl-C cancels the command
    return EXIT_OK  # pragma: no cover - only Ctrl-C ends it


def _line(health: StreamHealth) -> str:
    parts = [f"[{health.state.value.upper()}]", health.describe()]
    if health.media_sequence is not None:
        parts.append(f"seq={health.media_sequence}")
    if health.latency_estimate is not None:
        parts.append(f"latency~{health.latency_estimate:.1f}s")
    if health.bitrate_bps is not None:
        parts.append(f"{health.bitrate_bps / 1000:.0f} kbit/s")
    return " ".join(parts)


def _print(health: StreamHealth, *, as_json: bool, ctx: CliContext) -> None:
    if as_json:
        ctx.print_json(health.to_dict())
    else:
        print(_line(health))
