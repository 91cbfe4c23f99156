"""``pupitre gateway add|list|remove|check``: the streaming gateways and their tokens.

The token never appears on the command line (other users can read argv): ``--token-stdin``
reads it from standard input and it goes to the keyring under ``gateway:<name>``; the command
says where it went (a system keyring, or this session's memory when none works).
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import asdict
from typing import Any

from desktop.cli.context import CliContext
from desktop.config.settings import GATEWAY_KINDS, JOIN_MODES, GatewayConfig, gateway_secret_name
from desktop.errors import ConfigError
from desktop.gateways.base import ProbeResult
from desktop.gateways.factory import gateway_from_config
from desktop.gateways.join_target import JoinTarget
from desktop.gateways.sipmediagw import SipMediaGw
from desktop.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("gateway", help=_("manage the streaming gateways (SIPMediaGW)"))
    actions = parser.add_subparsers(dest="gateway_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("add or replace a gateway"))
    add.add_argument("name", help=_("short name (letters, digits, - and _)"))
    add.add_argument("--kind", required=True, choices=GATEWAY_KINDS,
                     help=_("sipmediagw-legacy: the API Esup-Pod 4 speaks; sipmediagw: the v1.8 proxy"))
    add.add_argument("--url", required=True, help=_("base URL of the gateway API"))
    add.add_argument("--rtmp-url", required=True, help=_("RTMP address the gateway publishes to"))
    add.add_argument("--hls-url", required=True, help=_("the audience's HLS playlist address"))
    add.add_argument("--audience-page-url", help=_("the audience's web page, if any"))
    add.add_argument("--join-mode", choices=JOIN_MODES, default=None,
                     help=_("bbb-join (default for legacy) or join-page (required for sipmediagw)"))
    add.add_argument("--join-page-url", help=_("for join-page: the page the gateway opens"))
    add.add_argument("--browsing", default="bigbluebutton",
                     help=_("v1.8: the WEBRTC_DOMAINS key of the gateway (default bigbluebutton)"))
    add.add_argument("--ca-bundle", help=_("PEM file of the CA that signed the gateway's certificate"))
    add.add_argument("--insecure", action="store_true",
                     help=_("do not verify the gateway's TLS certificate (not recommended)"))
    add.add_argument("--token-stdin", action="store_true",
                     help=_("read the gateway token from standard input and store it in the keyring"))
    add.set_defaults(func=_add)

    listing = actions.add_parser("list", help=_("list the gateways"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.set_defaults(func=_list)

    remove = actions.add_parser("remove", help=_("remove a gateway and its token"))
    remove.add_argument("name")
    remove.set_defaults(func=_remove)

    check = actions.add_parser("check", help=_("check that gateways answer and accept their token"))
    check.add_argument("names", nargs="*", metavar="NAME", help=_("gateways to check (default: all)"))
    check.add_argument("--json", action="store_true", help=_("machine-readable output"))
    check.set_defaults(func=_check)


def _add(args: argparse.Namespace, ctx: CliContext) -> int:
    join_mode = args.join_mode or ("join-page" if args.kind == SipMediaGw.kind else "bbb-join")
    cfg = GatewayConfig(
        name=args.name,
        kind=args.kind,
        url=args.url,
        rtmp_url=args.rtmp_url,
        hls_url=args.hls_url,
        audience_page_url=args.audience_page_url,
        join_mode=join_mode,
        join_page_url=args.join_page_url,
        browsing=args.browsing,
        ca_bundle=args.ca_bundle,
        insecure=args.insecure,
    )
    cfg.validate()
    if cfg.kind == SipMediaGw.kind and cfg.join_mode == "bbb-join":
        raise ConfigError(
            _("A SIPMediaGW v1.8 gateway takes its join domain from its own configuration and "
              "cannot open a signed BBB join."),
            hint=_("Use --join-mode join-page --join-page-url https://…"),
        )
    if cfg.join_mode == "join-page" and cfg.join_page_url:
        target = JoinTarget.from_join_page(cfg.join_page_url)  # fails early on an unusable page
    else:
        target = None
    token = ctx.read_stdin_secret(_("the gateway token")) if args.token_stdin else None
    ctx.settings.put_gateway(cfg)
    ctx.save_settings()
    print(_("Gateway “{name}” saved in {path}.").format(name=cfg.name, path=ctx.paths.settings_file))
    if target is not None:
        print(_("Its browser will open {address} (room {room}).").format(address=target.url, room=target.room))
    if token is not None:
        where = ctx.secrets.set(gateway_secret_name(cfg.name), token)
        print(_("Token stored as “{name}”.").format(name=gateway_secret_name(cfg.name)) + " " + where.describe())
    elif ctx.secrets.get(gateway_secret_name(cfg.name)) is None:
        print(_("No token is stored for it; add one with --token-stdin if the gateway needs it."))
    if cfg.insecure:
        print(_("Warning: TLS certificates of this gateway will not be verified."))
    return 0


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = []
    for cfg in ctx.settings.gateways:
        row = asdict(cfg)
        row["token_stored"] = ctx.secrets.get(gateway_secret_name(cfg.name)) is not None
        rows.append(row)
    if args.json:
        ctx.print_json(rows)
        return 0
    if not rows:
        print(_("No gateway is configured; add one with “pupitre gateway add”."))
        return 0
    for row in rows:
        token = _("token stored") if row["token_stored"] else _("no token")
        print(f"{row['name']}  {row['kind']}  {row['url']}  ({row['join_mode']}, {token})")
        print(f"    RTMP {row['rtmp_url']}")
        print(f"    HLS  {row['hls_url']}")
    return 0


def _remove(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.settings.remove_gateway(args.name)
    ctx.save_settings()
    ctx.secrets.delete(gateway_secret_name(args.name))
    print(_("Gateway “{name}” and its token were removed.").format(name=args.name))
    return 0


async def _check(args: argparse.Namespace, ctx: CliContext) -> int:
    names = args.names or [g.name for g in ctx.settings.gateways]
    if not names:
        raise ConfigError(_("No gateway is configured."), hint=_("Add one with “pupitre gateway add”."))
    configs = [ctx.settings.gateway(name) for name in names]
    gateways = [
        gateway_from_config(cfg, ctx.secrets.get(gateway_secret_name(cfg.name))) for cfg in configs
    ]
    results: list[ProbeResult] = await asyncio.gather(*(g.probe() for g in gateways))
    if args.json:
        ctx.print_json(
            [
                {
                    "name": cfg.name,
                    "ok": r.ok,
                    "reachable": r.reachable,
                    "token_accepted": r.token_accepted,
                    "has_status": r.has_status,
                    "detail": r.detail,
                }
                for cfg, r in zip(configs, results, strict=True)
            ]
        )
    else:
        for cfg, r in zip(configs, results, strict=True):
            line = _("ok     {name}: {detail}") if r.ok else _("FAILED {name}: {detail}")
            print(line.format(name=cfg.name, detail=r.detail))
    return 0 if all(r.ok for r in results) else 1
