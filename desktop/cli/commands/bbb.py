"""``pupitre bbb url|detect-algorithm``: low-level BBB API helpers.

``bbb url`` prints a signed API URL like API Mate does (nothing is sent), for debugging with curl
or a browser.  ``bbb detect-algorithm`` probes which checksum algorithms the server accepts.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from desktop.bbb.urls import signed_url
from desktop.cli.commands._bbb import UsageError, add_server_options, resolve_target, usage_failure
from desktop.cli.context import CliContext
from desktop.i18n import _

_CALL = re.compile(r"[A-Za-z][A-Za-z0-9]*(/[A-Za-z][A-Za-z0-9]*)?")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("bbb", help=_("low-level BBB API helpers (signed URLs, algorithm probe)"))
    actions = parser.add_subparsers(dest="bbb_action", metavar="ACTION", required=True)

    url = actions.add_parser(
        "url",
        help=_("print a signed API URL (nothing is sent)"),
        description=_("Print the signed URL of an API call, e.g. “pupitre bbb url getMeetingInfo meetingID=abc”."),
    )
    url.add_argument("call", metavar="CALL", help=_("API call name (create, join, getMeetings, hooks/list...)"))
    url.add_argument("params", metavar="key=value", nargs="*", help=_("parameters, in this order"))
    add_server_options(url)
    url.set_defaults(func=run_url)

    detect = actions.add_parser(
        "detect-algorithm", help=_("find the checksum algorithms the server accepts with this secret")
    )
    add_server_options(detect)
    detect.set_defaults(func=run_detect)


def _parse_params(items: list[str]) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"parameter “{item}” is not key=value")
        if key == "checksum":
            raise UsageError("the checksum is computed, do not pass it")
        params.append((key, value))
    return params


def run_url(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        if not _CALL.fullmatch(args.call):
            raise UsageError(f"“{args.call}” is not an API call name")
        params = _parse_params(args.params)
        target = resolve_target(args, ctx)
    except UsageError as error:
        return usage_failure("bbb url", str(error))
    print(signed_url(target.api_base, args.call, params, target.secret, target.algorithm))
    return 0


async def run_detect(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        target = resolve_target(args, ctx)
    except UsageError as error:
        return usage_failure("bbb detect-algorithm", str(error))
    async with target.client() as bbb:
        accepted = await bbb.detect_algorithm()
    if not accepted:
        print(_("No checksum algorithm was accepted: the shared secret is probably wrong "
                "(BBB answers a wrong secret and a refused algorithm the same way)."))
        return 1
    print(_("Accepted: {algorithms}").format(algorithms=", ".join(accepted)))
    return 0
