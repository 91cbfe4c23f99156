"""``pupitre check``: is everything ready for a live?  The preflight of :mod:`desktop.preflight`.

One line per check — ``✓`` fine, ``!`` works with a limit worth knowing, ``✗`` broken — with the
hint indented under it; ``--json`` prints ``{"ok": …, "checks": [...]}`` with the stable check
names instead.  Exit 0 when nothing is broken, 1 otherwise (a missing profile too), 2 for usage.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.context import CliContext
from desktop.config.settings import GatewayConfig, bbb_secret_name, gateway_secret_name
from desktop.i18n import _
from desktop.preflight import CheckResult, Level, all_ok, report_json, run_preflight

EXIT_OK = 0
EXIT_FAILED = 1

MARKS = {Level.OK: "✓", Level.WARNING: "!", Level.ERROR: "✗"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help=_("check the BBB server, its secret, the gateways and their audience streams"),
        description=_("Check that the BBB server answers and accepts the shared secret, that each "
        "streaming gateway answers and accepts its token, and that each audience stream address "
        "answers."),
    )
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    parser.add_argument("--profile", metavar="NAME", help=_("BBB profile to check (default: the default profile)"))
    parser.add_argument(
        "--gateway", metavar="NAME", nargs="+", action="extend", dest="gateways",
        help=_("gateways to check (default: all configured)"),
    )
    parser.add_argument("--no-hls", action="store_true", help=_("do not check the audience stream addresses"))
    parser.set_defaults(func=run)


async def run(args: argparse.Namespace, ctx: CliContext) -> int:
    profile = ctx.settings.profile(args.profile)  # ConfigError (exit 1) when none is configured
    names = args.gateways or [g.name for g in ctx.settings.gateways]
    configs: list[GatewayConfig] = [ctx.settings.gateway(name) for name in dict.fromkeys(names)]
    results = await run_preflight(
        profile,
        ctx.secrets.get(bbb_secret_name(profile.name)),
        [(cfg, ctx.secrets.get(gateway_secret_name(cfg.name))) for cfg in configs],
        include_hls=not args.no_hls,
        keyring=ctx.secrets.backend(),
    )
    if args.json:
        ctx.print_json(report_json(results))
    else:
        print_results(results)
    return EXIT_OK if all_ok(results) else EXIT_FAILED


def print_results(results: list[CheckResult]) -> None:
    for result in results:
        print(f"{MARKS[result.level]} {result.sentence}")
        if result.hint:
            print(f"    {result.hint}")

