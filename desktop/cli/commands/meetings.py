"""``pupitre meetings``: the meetings on the BBB server (``getMeetings``).

``--json`` prints field names after the BBB XML elements in snake_case (``meeting_name``,
``participant_count``, ``attendees[].full_name``...), without the deprecated join passwords.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from desktop.bbb.models import Meeting, to_json
from desktop.cli.commands._bbb import UsageError, add_server_options, resolve_target, usage_failure
from desktop.cli.context import CliContext
from desktop.cli.terminal import terminal_safe
from desktop.i18n import N_, _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("meetings", help=_("list the meetings on the BBB server"))
    parser.add_argument("--running", action="store_true", help=_("only meetings that are running"))
    parser.add_argument("--json", action="store_true", help=_("print JSON"))
    add_server_options(parser)
    parser.set_defaults(func=run)


async def run(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        target = resolve_target(args, ctx)
    except UsageError as error:
        return usage_failure("meetings", str(error))
    async with target.client() as bbb:
        meetings = await bbb.get_meetings()
    if args.running:
        meetings = [m for m in meetings if m.running]
    if args.json:
        ctx.print_json(to_json(meetings))
        return 0
    print(format_table(meetings))
    return 0


# the table's column headings (English; translated with _() where shown)
COLUMNS = (N_("MEETING ID"), N_("NAME"), N_("RUNNING"), N_("USERS"), N_("MODS"), N_("CREATED"))


def format_table(meetings: list[Meeting]) -> str:
    if not meetings:
        return _("No meetings.")
    header = tuple(_(column) for column in COLUMNS)
    rows = [
        (
            _clip(terminal_safe(m.meeting_id), 40),
            _clip(terminal_safe(m.meeting_name), 40),
            _("yes") if m.running else _("no"),
            str(m.participant_count),
            str(m.moderator_count),
            _created(m.create_time),
        )
        for m in meetings
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in (header, *rows)]
    return "\n".join(lines)


def _created(create_time_ms: int) -> str:
    if create_time_ms <= 0:
        return "-"
    try:
        return datetime.fromtimestamp(create_time_ms / 1000).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return "-"


def _clip(text: str, limit: int) -> str:
    # one line per meeting, whatever the name holds
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
