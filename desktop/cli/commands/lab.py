"""``pupitre lab``: run the loopback lab (BBB 3, SIPMediaGW gateways, HLS, audience pages).

It prints ONE JSON document on standard output once everything listens — :meth:`Lab.describe`:
``bbb`` (url, api_url, secret, graphql_url), ``join_pages``, ``gateways`` (name, kind, url, token,
rtmp_url, hls_url, audience_page_url, join_mode, join_page_url), ``hls_origin``,
``audience_pages``, ``control`` (url and token of the control endpoint) — then runs until Ctrl-C
or SIGTERM and stops cleanly (exit 0).  The document carries the lab's throw-away secrets.

Exit codes: 0 stopped cleanly, 1 could not start (a port in use...), 2 usage.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import re
import signal
import sys
from typing import Any

from desktop.cli.context import CliContext
from desktop.cli.words import RawDescriptionHelpFormatter
from desktop.errors import ConfigError
from desktop.i18n import N_, _
from desktop.lab.live_audience import AudienceSettings

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USAGE = 2
DEFAULT_GATEWAYS = 3

EPILOG = N_("""\
gateways: --gateways N gives N gateways, a third of them (at least one when N >= 2) on the
  SIPMediaGW v1.8 proxy API and the others on the legacy API (default 3: gw1 and gw2 legacy, gw3
  v1.8); --legacy N --proxy M choose exactly.
audience: with --audience N --rate R, N simulated viewers post R messages per second (on
  average, French and English, 5 %% hostile input) through each gateway's chat endpoint as
  Esup-Pod's live page does, from the moment that gateway streams a live until it stops.  The
  control endpoint starts and stops it too (POST /lab/audience).
faults: --fault TARGET=FAULT, repeatable, switched on at start.  TARGET bbb: down,
  checksum_sha1_only, graphql_drop; a gateway (gw1...): launch_fail, busy, hang, http500,
  wrong_token, toggle_lost (a chat-panel toggle is acknowledged, the panel does not move);
  stream:gw1: stalled, not_found.  The control endpoint (POST /lab/fault, with the printed
  token) switches them at run time.
rtmp: --rtmp publishes each gateway's stream to a real nginx-rtmp instead of the built-in
  HLS origin; --hls-base is then nginx's HLS base.  Start one on loopback with
    bash packaging/nginx-rtmp/nginx-rtmp.sh start --rtmp-port 1935 --http-port 8089
  (installs nginx and libnginx-mod-rtmp on Debian if needed) and run
    pupitre lab --rtmp rtmp://127.0.0.1:1935/live --hls-base http://127.0.0.1:8089/hls
--write-profile stores the profile "lab" (the default profile) and the gateways lab-gw1... in
  PUPITRE_HOME, secrets in the keyring; their ports are only valid while this lab runs, so use
  --port-base for a profile that survives restarts.
""")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lab",
        help=_("run the loopback lab: BBB, streaming gateways, HLS stream, audience pages"),
        description=_("Run a loopback world to try Pupitre without real servers: a BigBlueButton 3 "
        "server, SIPMediaGW streaming gateways, an HLS stream of what each gateway streams and "
        "Pod-like audience pages. Prints one JSON document describing it, then runs until Ctrl-C."),
        epilog=_(EPILOG),
        formatter_class=RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help=_("loopback address to listen on (default 127.0.0.1)"))
    parser.add_argument("--allow-remote", action="store_true",
                        help=_("let --host be a non-loopback address (the lab, its secrets and its control "
                        "endpoint are then reachable from other machines)"))
    parser.add_argument("--port-base", type=int, metavar="N",
                        help=_("first port; the lab uses the ports that follow (default: free ports)"))
    parser.add_argument("--gateways", type=int, metavar="N", help=_("gateways in total (default 3)"))
    parser.add_argument("--legacy", type=int, metavar="N", help=_("gateways on the legacy SIPMediaGW API"))
    parser.add_argument("--proxy", type=int, metavar="N", help=_("gateways on the SIPMediaGW v1.8 proxy API"))
    parser.add_argument("--audience", type=int, default=0, metavar="N", help=_("simulated viewers per streaming gateway"))
    parser.add_argument("--rate", type=float, default=1.0, metavar="R",
                        help=_("audience messages per second per streaming gateway (default 1)"))
    parser.add_argument("--realistic", action="store_true",
                        help=_("real gateway timings (start ~10 s, stop 10-20 s) instead of short ones"))
    parser.add_argument("--write-profile", action="store_true",
                        help=_("store the profile 'lab' and its gateways in the settings (secrets in the keyring)"))
    parser.add_argument("--rtmp", metavar="URL", help=_("publish to this nginx-rtmp application (rtmp://host:port/live)"))
    parser.add_argument("--hls-base", metavar="URL", help=_("with --rtmp: nginx's HLS base (http://host:port/hls)"))
    parser.add_argument("--fault", action="append", default=[], metavar="TARGET=FAULT",
                        help=_("switch a fault on at start (repeatable), e.g. gw1=busy, bbb=down, stream:gw2=stalled"))
    parser.add_argument("--size", default="1280x720", metavar="WxH", help=_("video size (default 1280x720)"))
    parser.add_argument("--gateway-version", action="append", default=[], metavar="GATEWAY=VERSION",
                        help=_("which SIPMediaGW release a gateway behaves as (repeatable): legacy gateways "
                        "v1.6 or v1.7.0 (default: gw1 v1.7.0, the others v1.6), proxy gateways main (default) "
                        "or v1.8.4; e.g. gw2=v1.7.0"))
    parser.set_defaults(func=run)


class UsageProblem(Exception):
    """A flag combination that cannot work; the message says why."""


def gateway_counts(total: int | None, legacy: int | None, proxy: int | None) -> tuple[int, int]:
    """(legacy, proxy) from ``--gateways`` / ``--legacy`` / ``--proxy``."""
    for name, value in (("--gateways", total), ("--legacy", legacy), ("--proxy", proxy)):
        if value is not None and not 0 <= value <= 20:
            raise UsageProblem(_("{option} must be between 0 and 20").format(option=name))
    if legacy is None and proxy is None:
        count = DEFAULT_GATEWAYS if total is None else total
        proxies = max(1, count // 3) if count >= 2 else 0
        legacy, proxy = count - proxies, proxies
    else:
        if legacy is None:
            legacy = (total - (proxy or 0)) if total is not None else 0
        if proxy is None:
            proxy = (total - legacy) if total is not None else 0
        if legacy < 0 or proxy < 0 or (total is not None and legacy + proxy != total):
            raise UsageProblem(_("--legacy and --proxy must add up to --gateways"))
    if legacy + proxy < 1:
        raise UsageProblem(_("the lab needs at least one gateway"))
    return legacy, proxy


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2,4})x(\d{2,4})", text.strip())
    if not match:
        raise UsageProblem(_("--size must look like 1280x720"))
    width, height = int(match.group(1)), int(match.group(2))
    if width % 2 or height % 2 or not (160 <= width <= 3840 and 90 <= height <= 2160):
        raise UsageProblem(_("--size needs even numbers between 160x90 and 3840x2160"))
    return width, height


def parse_faults(items: list[str]) -> tuple[tuple[str, str], ...]:
    faults: list[tuple[str, str]] = []
    for item in items:
        target, sep, fault = item.partition("=")
        if not sep or not target.strip() or not fault.strip():
            raise UsageProblem(_("--fault takes TARGET=FAULT (got {value})").format(value=repr(item)))
        faults.append((target.strip(), fault.strip()))
    return tuple(faults)


def parse_gateway_versions(items: list[str], legacy: int, proxy: int) -> dict[str, Any]:
    """``GATEWAY=VERSION`` pairs, checked against each gateway's API generation."""
    from desktop.lab.gateways.versions import GatewayVersion

    versions: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name or not text.strip():
            raise UsageProblem(_("--gateway-version takes GATEWAY=VERSION (got {value})").format(value=repr(item)))
        number = int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0
        if not 1 <= number <= legacy + proxy:
            raise UsageProblem(_("--gateway-version: no gateway {name} (gw1 … gw{last})").format(
                name=repr(name), last=legacy + proxy))
        try:
            version = GatewayVersion.parse(text)
        except ValueError as exc:
            raise UsageProblem(f"--gateway-version: {exc}") from None
        is_legacy = number <= legacy
        if version.legacy != is_legacy:
            sentence = (_("--gateway-version: {name} is a legacy gateway (v1.6, v1.7.0)") if is_legacy
                        else _("--gateway-version: {name} is a v1.8 proxy gateway (v1.8.4, main)"))
            raise UsageProblem(sentence.format(name=name))
        versions[name] = version
    return versions


def check_fault_names(faults: tuple[tuple[str, str], ...], gateway_names: list[str]) -> None:
    """Refuse unknown targets and faults before anything starts."""
    from desktop.lab.runner import BBB_FAULTS, GATEWAY_FAULTS, STREAM_FAULTS

    for target, fault in faults:
        if target == "bbb":
            known: tuple[str, ...] = BBB_FAULTS
        elif target.startswith("stream:") and target[len("stream:"):] in gateway_names:
            known = STREAM_FAULTS
        elif target in gateway_names:
            known = GATEWAY_FAULTS
        else:
            raise UsageProblem(_("--fault: no target {target} (bbb, {gateways}, stream:<gateway>)").format(
                target=repr(target), gateways=", ".join(gateway_names)))
        if fault not in known:
            raise UsageProblem(_("--fault: {target} has no fault {fault} (use {known})").format(
                target=target, fault=repr(fault), known=", ".join(known)))


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1); a name is not checked by resolving it."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, *, allow_remote: bool) -> None:
    """Refuse a non-loopback ``--host`` unless ``--allow-remote`` says so."""
    if not allow_remote and not is_loopback(host):
        raise UsageProblem(_(
            "--host {host} is not a loopback address: the lab, its throw-away secrets and its "
            "control endpoint would be reachable from other machines. Add --allow-remote to do "
            "it anyway.").format(host=host))


def build_options(args: argparse.Namespace) -> Any:
    """The :class:`LabOptions` the flags ask for (raises :class:`UsageProblem`)."""
    from desktop.lab.runner import LabOptions

    check_host(args.host, allow_remote=getattr(args, "allow_remote", False))
    legacy, proxy = gateway_counts(args.gateways, args.legacy, args.proxy)
    if args.port_base is not None and not 1024 <= args.port_base <= 65000:
        raise UsageProblem(_("--port-base must be between 1024 and 65000"))
    if bool(args.rtmp) != bool(args.hls_base):
        raise UsageProblem(_("--rtmp and --hls-base go together"))
    if args.rtmp and not args.rtmp.startswith("rtmp://"):
        raise UsageProblem(_("--rtmp must start with rtmp://"))
    if args.hls_base and not args.hls_base.startswith(("http://", "https://")):
        raise UsageProblem(_("--hls-base must start with http:// or https://"))
    if args.audience < 0:
        raise UsageProblem(_("--audience must be 0 or more"))
    if not 0 < args.rate <= 1000:
        raise UsageProblem(_("--rate must be above 0 (at most 1000 messages per second)"))
    faults = parse_faults(args.fault)
    check_fault_names(faults, [f"gw{n}" for n in range(1, legacy + proxy + 1)])
    if args.rtmp and any(target.startswith("stream:") for target, _ in faults):
        raise UsageProblem(_("stream faults need the built-in HLS origin (not --rtmp)"))
    audience = AudienceSettings(viewers=args.audience, rate=args.rate) if args.audience else None
    versions = parse_gateway_versions(args.gateway_version, legacy, proxy)
    return LabOptions(host=args.host, port_base=args.port_base, legacy_gateways=legacy, proxy_gateways=proxy,
                      realistic=args.realistic, rtmp=args.rtmp, hls_base=args.hls_base,
                      video_size=parse_size(args.size), faults=faults, audience=audience,
                      gateway_versions=versions)


async def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.lab.runner import Lab

    try:
        options = build_options(args)
    except UsageProblem as problem:
        print(f"pupitre lab: {problem}", file=sys.stderr)
        return EXIT_USAGE
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    lab = Lab(options)
    try:
        try:
            await lab.start()
        except OSError as exc:
            raise ConfigError(
                _("The lab could not listen on {host} ({reason}).").format(
                    host=options.host, reason=exc.strerror or exc.__class__.__name__),
                hint=_("Another program may use these ports: choose another --port-base, or leave it out."),
            ) from None
        if args.write_profile:
            lab.write_profile(ctx.settings, ctx.secrets)
            ctx.save_settings()
        ctx.print_json(lab.describe())
        logger.info("lab running; waiting for Ctrl-C or SIGTERM")
        await stop.wait()
    finally:
        for signum in signals:
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signum)
        await lab.stop()
    return EXIT_OK
