"""``pupitre schedule export`` and ``pupitre schedule import``: iCalendar files (RFC 5545).

``export [ID ...] [-o FILE]`` writes the whole schedule, or the webinars named, as one ``.ics``
(to standard output without ``-o``); ``import FILE`` reads an invitation (Outlook, Thunderbird,
Moodle...) into the schedule, with its cancelled and changed occurrences.  See
:mod:`desktop.schedule.ical_export` and :mod:`desktop.schedule.ical_import`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli.context import CliContext
from desktop.cli.terminal import echo
from desktop.errors import ConfigError
from desktop.i18n import _, ngettext
from desktop.schedule.localtime import system_timezone
from desktop.schedule.serialization import webinar_to_json
from desktop.schedule.store import ScheduleStore


def register_calendar_actions(actions: Any) -> None:
    export = actions.add_parser(
        "export", help=_("write webinars as an iCalendar file (.ics) for calendar applications"),
        description=_("Write the whole schedule, or the webinars named, as one iCalendar file (.ics): "
                      "repeats, cancelled and changed occurrences, time zone and audience link included."))
    export.add_argument("ids", type=int, nargs="*", metavar="ID", help=_("webinar number (default: every webinar)"))
    export.add_argument("-o", "--output", metavar=_("FILE"), help=_("write to this file (default: standard output)"))
    export.set_defaults(func=run_export)

    reading = actions.add_parser(
        "import", help=_("add the webinars of an iCalendar invitation (.ics)"),
        description=_("Add the events of an iCalendar file (an invitation from Outlook, Thunderbird, Moodle…) "
                      "to the schedule, with their repeats and their cancelled and changed occurrences."))
    reading.add_argument("file", metavar=_("FILE"), help=_("the .ics file (- for standard input)"))
    reading.add_argument("--timezone", help=_("zone of times written without one (default: this computer’s)"))
    reading.add_argument("--json", action="store_true", help=_("print the webinars as JSON"))
    reading.set_defaults(func=run_import)


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    # icalendar takes 50 ms to import: only the commands that use it pay for it
    from desktop.schedule.ical_export import audience_link, calendar_bytes

    with ScheduleStore(ctx.paths.database_file) as store:
        webinars = [store.get(number) for number in args.ids] if args.ids else store.webinars()
        entries = [(webinar, store.overrides(webinar.id), audience_link(ctx.settings, webinar))
                   for webinar in webinars]
    data = calendar_bytes(entries)
    if args.output in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    path = Path(args.output)
    try:
        path.write_bytes(data)
    except OSError as error:
        raise ConfigError(_("Cannot write the calendar file {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from None
    print(ngettext("{count} webinar written to {path}.", "{count} webinars written to {path}.",
                   len(entries)).format(count=len(entries), path=path))
    return 0


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.schedule.ical_import import add_to_schedule, read_invitation

    data = _read(args.file)
    imported = read_invitation(data, default_timezone=args.timezone or system_timezone())
    with ScheduleStore(ctx.paths.database_file) as store:
        saved = add_to_schedule(store, imported)
        shown = [(webinar, store.occurrences(webinar.id, None, None, 10)) for webinar in saved]
    if args.json:
        ctx.print_json([webinar_to_json(webinar, coming) for webinar, coming in shown])
        return 0
    for item, (webinar, _coming) in zip(imported, shown, strict=True):
        echo(_("Imported webinar {number}: {title}").format(number=webinar.id, title=webinar.title))
        for change in item.overrides:
            sentence = (_("   occurrence {index} cancelled") if change.cancelled
                        else _("   occurrence {index} changed"))
            print(sentence.format(index=change.index))
        for note in item.notes:
            echo("   " + note)
    return 0


def _read(name: str) -> bytes:
    from desktop.schedule.ical_import import MAX_FILE_BYTES, CalendarFileError

    if name == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    path = Path(name)
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CalendarFileError(_("Cannot read the calendar file {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from None
