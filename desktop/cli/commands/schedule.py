"""``pupitre schedule``: plan webinars — add, list, edit, remove.

Times: ``--start`` takes ISO 8601.  With an offset (``2026-12-01T10:00+01:00``) it is that exact
moment; without one (``2026-12-01T10:00``) it is wall time in ``--timezone``, which defaults to
this computer's zone (see :func:`desktop.schedule.localtime.system_timezone`).  Repeats follow
the wall clock of ``--timezone`` across daylight-saving changes.

Occurrences are numbered from 0, as in ``list --json``; ``edit ID --occurrence N`` changes that
one only (``--cancel`` cancels it, ``--restore`` undoes every change made to it).

A value that cannot be accepted is a usage error (exit code 2) whose message names the option.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop.cli.commands._calendar import register_calendar_actions
from desktop.cli.context import CliContext
from desktop.cli.terminal import echo, terminal_safe
from desktop.i18n import N_, _, ngettext
from desktop.schedule.errors import ValidationError
from desktop.schedule.localtime import load_zone, resolve_local, system_timezone
from desktop.schedule.models import (
    WEEKDAY_NAMES,
    Frequency,
    MonthlyType,
    Recurrence,
    Webinar,
    WebinarOptions,
)
from desktop.schedule.occurrences import Occurrence
from desktop.schedule.parsing import (
    parse_date,
    parse_datetime_text,
    parse_duration,
    parse_weekdays,
    resolve_datetime,
)
from desktop.schedule.rules import nth_of_month
from desktop.schedule.serialization import occurrence_to_json, webinar_to_json
from desktop.schedule.store import ScheduleStore

EXIT_USAGE = 2
DEFAULT_DURATION = timedelta(hours=2)  # Pod's default expected_duration
DEFAULT_LIST_DAYS = 30
MAX_LIST_DAYS = 36_600  # a hundred years: more is a typo, and dates end at year 9999
PREVIEW_COUNT = 10

# Model field -> the option that sets it, to name the option in error messages.
OPTION_OF_FIELD = {
    "title": "--title",
    "start": "--start",
    "duration": "--duration",
    "timezone": "--timezone",
    "freq": "--repeat",
    "recurrence": "--repeat",
    "interval": "--interval",
    "weekdays": "--weekdays",
    "monthly_type": "--monthly-by",
    "until": "--until",
    "count": "--count",
    "welcome": "--welcome",
    "moderator_only_message": "--moderator-message",
    "max_participants": "--max-participants",
    "preferred_gateway": "--gateway",
    "profile": "--profile",
    "occurrence": "--occurrence",
}
MONTHLY_BY = {"date": MonthlyType.DATE_DAY, "weekday": MonthlyType.NTH_DAY}
NONE_WORDS = ("none", "never", "")


class _Clear:
    """What ``--until none`` (and the like) parses to: remove the value, unlike "not given"."""

    def __repr__(self) -> str:
        return "CLEAR"


CLEAR = _Clear()

# Options that describe the whole series; they cannot go with --occurrence.
SERIES_ONLY = (
    "timezone", "repeat", "interval", "weekdays", "monthly_by", "until", "count", "chat_enabled",
    "chat_in_stream", "record", "welcome", "moderator_message", "max_participants", "gateway",
    "profile",
)  # fmt: skip


# -- argument types: a ValidationError becomes argparse's usage error (exit 2) -----------------


def _argument_type(parse: Any, name: str) -> Any:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValidationError as error:
            raise argparse.ArgumentTypeError(error.explain()) from None

    convert.__name__ = name  # argparse names the type in its messages
    return convert


def _optional(parse: Any) -> Any:
    """``none`` clears the value (for edit): :data:`CLEAR`; anything else goes to ``parse``."""

    def convert(text: str) -> Any:
        return CLEAR if text.strip().lower() in NONE_WORDS else parse(text)

    return convert


def _positive_int(field: str) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValidationError(field, _("“{text}” is not a whole number.").format(text=text)) from None
        return value

    return parse


def _occurrence_number(text: str) -> int:
    value = _positive_int("occurrence")(text)
    if value < 0:
        raise ValidationError("occurrence", _("Occurrences are numbered from 0."))
    return value


# -- registration --------------------------------------------------------------------------


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help=_("plan webinars: add, list, edit, remove"),
        description=_("Plan webinars: add, list, edit (a series or one occurrence), remove."),
    )
    actions = parser.add_subparsers(dest="schedule_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("schedule a webinar (or a series)"))
    add.add_argument("--title", required=True, help=_("title (2 to 250 characters)"))
    add.add_argument("--start", required=True, type=_argument_type(parse_datetime_text, _("date and time")),
                     help=_("first start, ISO 8601: 2026-12-01T10:00 (in --timezone) or 2026-12-01T10:00+01:00"))
    _add_series_options(add, adding=True)
    add.add_argument("--json", action="store_true", help=_("print the webinar as JSON"))
    add.set_defaults(func=run_add)

    listing = actions.add_parser("list", help=_("list webinars and their coming occurrences"))
    listing.add_argument("--from", dest="start_from", type=_argument_type(parse_datetime_text, _("date and time")),
                         help=_("show occurrences from this moment (default: now)"))
    listing.add_argument("--days", type=int, default=DEFAULT_LIST_DAYS,
                         help=_("how many days of occurrences to show (default {days})").format(days=DEFAULT_LIST_DAYS))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(func=run_list)

    edit = actions.add_parser("edit", help=_("change a webinar, or one occurrence of a series"))
    edit.add_argument("id", type=int, help=_("webinar number (see list)"))
    edit.add_argument("--occurrence", type=_argument_type(_occurrence_number, _("occurrence number")),
                      help=_("change only this occurrence (numbered from 0)"))
    edit.add_argument("--cancel", action="store_true", help=_("with --occurrence: cancel that occurrence"))
    edit.add_argument("--restore", action="store_true", help=_("with --occurrence: undo every change to it"))
    edit.add_argument("--title", help=_("new title (the meeting ID does not change)"))
    edit.add_argument("--start", type=_argument_type(parse_datetime_text, _("date and time")),
                      help=_("new start, ISO 8601"))
    _add_series_options(edit, adding=False)
    edit.add_argument("--json", action="store_true", help=_("print the webinar as JSON"))
    edit.set_defaults(func=run_edit)

    remove = actions.add_parser("remove", help=_("delete a webinar and all its occurrences"))
    remove.add_argument("id", type=int, help=_("webinar number (see list)"))
    remove.set_defaults(func=run_remove)

    register_calendar_actions(actions)


def _add_series_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    clear = "" if adding else _(" (“none” removes it)")
    parser.add_argument("--timezone", help=_("IANA time zone, e.g. Europe/Paris (default: this computer's)"))
    parser.add_argument("--duration", type=_argument_type(parse_duration, _("duration")),
                        help=_("90, 1h30, 45m or 1:30") + (" (default 2h)" if adding else ""))
    repeats = [str(f) for f in Frequency] + ([] if adding else ["none"])
    parser.add_argument("--repeat", choices=repeats, help=_("repeat the webinar"))
    parser.add_argument("--interval", type=_argument_type(_positive_int("interval"), _("interval")),
                        help=_("every N days/weeks/months/years (1 to 100)"))
    parser.add_argument("--weekdays", type=_argument_type(parse_weekdays, _("weekdays")),
                        help=_("weekly: days such as mon,wed (default: the start's day)"))
    parser.add_argument("--monthly-by", choices=sorted(MONTHLY_BY),
                        help=_("monthly: same date (the 31st) or same weekday (3rd Tuesday)"))
    parser.add_argument("--until", type=_argument_type(_optional(parse_date), _("date")),
                        help=_("last day of the series, inclusive (YYYY-MM-DD)") + clear)
    parser.add_argument("--count", type=_argument_type(_optional(_positive_int("count")), _("count")),
                        help=_("number of occurrences") + clear)
    parser.add_argument("--chat", dest="chat_enabled", action=argparse.BooleanOptionalAction, default=None,
                        help=_("accept audience chat messages (default yes)"))
    parser.add_argument("--show-chat-in-stream", dest="chat_in_stream", action="store_const", const=True,
                        help=_("show the BBB chat panel in the video (default)"))
    parser.add_argument("--hide-chat-in-stream", dest="chat_in_stream", action="store_const", const=False,
                        help=_("hide the BBB chat panel from the video"))
    parser.add_argument("--record", action=argparse.BooleanOptionalAction, default=None,
                        help=_("ask BBB to record (default no)"))
    parser.add_argument("--welcome", help=_("BBB welcome message"))
    parser.add_argument("--moderator-message", help=_("message shown to moderators only"))
    parser.add_argument("--max-participants", type=_argument_type(_optional(_positive_int("max_participants")), _("number")),
                        help=_("BBB seat limit") + clear)
    parser.add_argument("--gateway", help=_("preferred gateway name") + clear)
    parser.add_argument("--profile", help=_("BBB profile name") + clear)


# -- commands --------------------------------------------------------------------------------


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        timezone = args.timezone or system_timezone()
        webinar = Webinar(
            title=args.title,
            start=resolve_datetime(args.start, timezone),
            duration=args.duration or DEFAULT_DURATION,
            timezone=timezone,
            recurrence=_recurrence(None, args),
            options=_options(WebinarOptions(), args, ctx),
        )
        with ScheduleStore(ctx.paths.database_file) as store:
            saved = store.add(webinar)
            coming = store.occurrences(saved.id, _now(), None, PREVIEW_COUNT)
    except ValidationError as error:
        return _usage_error("add", error)
    if args.json:
        ctx.print_json(webinar_to_json(saved, coming))
    else:
        echo(_("Scheduled webinar {number}: {title}").format(number=saved.id, title=terminal_safe(saved.title)))
        _print_webinar_details(saved, coming)
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.days < 0:
        return _usage_error("list", ValidationError("days", _("The number of days cannot be negative.")))
    if args.days > MAX_LIST_DAYS:
        return _usage_error("list", ValidationError("days", _(
            "{days} days is too far ahead: list at most {limit} days.").format(days=args.days, limit=MAX_LIST_DAYS)))
    try:
        start_from = (
            resolve_datetime(args.start_from, system_timezone()) if args.start_from is not None else _now()
        )
    except ValidationError as error:
        return _usage_error("list", error)
    try:
        until = start_from + timedelta(days=args.days)
    except OverflowError:
        return _usage_error("list", ValidationError("days", _(
            "The listing would end after the year 9999: start earlier or list fewer days.")))
    with ScheduleStore(ctx.paths.database_file) as store:
        listed = [(webinar, store.occurrences(webinar.id, start_from, until)) for webinar in store.webinars()]
    if args.json:
        ctx.print_json([webinar_to_json(webinar, coming) for webinar, coming in listed])
        return 0
    if not listed:
        print(_("No webinar is scheduled. Add one with “pupitre schedule add”."))
    for webinar, coming in listed:
        echo(f"{webinar.id}. {terminal_safe(webinar.title)}")
        _print_webinar_details(webinar, coming, days=args.days)
    return 0


def run_edit(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        with ScheduleStore(ctx.paths.database_file) as store:
            if args.occurrence is not None:
                return _edit_occurrence(args, ctx, store)
            if args.cancel or args.restore:
                raise ValidationError("occurrence", _("--cancel and --restore need --occurrence N."))
            current = store.get(args.id)
            update = store.update(_edited_webinar(current, args, ctx))
            coming = store.occurrences(update.webinar.id, _now(), None, PREVIEW_COUNT)
    except ValidationError as error:
        return _usage_error("edit", error)
    if args.json:
        data = webinar_to_json(update.webinar, coming)
        data["dropped_overrides"] = [change.index for change in update.dropped]
        ctx.print_json(data)
        return 0
    echo(_("Updated webinar {number}: {title}").format(number=update.webinar.id,
                                                        title=terminal_safe(update.webinar.title)))
    for change in update.dropped:
        if change.original_date:
            print(_("  Occurrence {index} is no longer on {date}: its own changes were dropped.").format(
                index=change.index, date=change.original_date.isoformat()))
        else:
            print(_("  Occurrence {index} is no longer on its old date: its own changes were dropped.").format(
                index=change.index))
    _print_webinar_details(update.webinar, coming)
    return 0


def run_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    with ScheduleStore(ctx.paths.database_file) as store:
        webinar = store.get(args.id)
        store.remove(args.id)
    echo(_("Removed webinar {number}: {title}").format(number=webinar.id, title=terminal_safe(webinar.title)))
    return 0


def _edit_occurrence(args: argparse.Namespace, ctx: CliContext, store: ScheduleStore) -> int:
    given = [name for name in SERIES_ONLY if getattr(args, name, None) is not None]
    if given:
        option = "--" + given[0].replace("_", "-")
        raise ValidationError(
            "occurrence", _("{option} changes the whole series; with --occurrence only --title, --start, "
                            "--duration, --cancel and --restore apply.").format(option=option)
        )
    if args.restore and (args.cancel or args.title or args.start or args.duration):
        raise ValidationError("occurrence", _("--restore undoes every change to the occurrence; give it alone."))
    webinar = store.get(args.id)
    if args.restore:
        had = store.restore_occurrence(args.id, args.occurrence)
        message = (_("Occurrence {index} of webinar {number} restored to the series.") if had
                   else _("Occurrence {index} of webinar {number} already follows the series."))
    else:
        if not (args.cancel or args.title or args.start or args.duration):
            raise ValidationError("occurrence", _("Say what to change: --title, --start, --duration or --cancel."))
        store.edit_occurrence(
            args.id,
            args.occurrence,
            start=resolve_datetime(args.start, webinar.timezone) if args.start is not None else None,
            duration=args.duration,
            title=args.title,
            cancelled=True if args.cancel else None,
        )
        message = (_("Occurrence {index} of webinar {number} cancelled.") if args.cancel
                   else _("Occurrence {index} of webinar {number} changed."))
    occurrence = store.occurrence(args.id, args.occurrence)
    if args.json:
        ctx.print_json(occurrence_to_json(occurrence) if occurrence else None)
    else:
        print(message.format(index=args.occurrence, number=webinar.id))
        if occurrence is not None:
            print("   " + _describe_occurrence(occurrence))
    return 0


# -- building models from options ------------------------------------------------------------


def _edited_webinar(current: Webinar, args: argparse.Namespace, ctx: CliContext) -> Webinar:
    timezone = args.timezone or current.timezone
    if args.start is not None:
        start = resolve_datetime(args.start, timezone)
    elif timezone != current.timezone:
        # A new zone alone corrects the zone, keeping the wall-clock time: 10:00 stays 10:00.
        start = resolve_local(current.local_start().replace(tzinfo=None), load_zone(timezone))
    else:
        start = current.start
    return replace(
        current,
        title=args.title if args.title is not None else current.title,
        start=start,
        duration=args.duration or current.duration,
        timezone=timezone,
        recurrence=_recurrence(current.recurrence, args),
        options=_options(current.options, args, ctx),
    )


def _recurrence(current: Recurrence | None, args: argparse.Namespace) -> Recurrence | None:
    """The repeat rule after applying the options to ``current`` (None: no repeat)."""
    rule_options = {
        "interval": args.interval,
        "weekdays": args.weekdays,
        "monthly_by": args.monthly_by,
        "until": args.until,
        "count": args.count,
    }
    given = [name for name, value in rule_options.items() if value is not None]
    if args.repeat == "none":
        if given:
            raise ValidationError("recurrence", _("--repeat none removes the repeat; leave out the other repeat options."))
        return None
    if args.repeat is None and current is None:
        if given:
            option = "--" + given[0].replace("_", "-")
            raise ValidationError("freq", _("{option} needs --repeat daily, weekly, monthly or yearly.").format(
                option=option))
        return None
    freq = Frequency(args.repeat) if args.repeat is not None else current.freq if current else Frequency.DAILY
    base = current if current is not None and current.freq == freq else None
    rule = Recurrence(
        freq=freq,
        interval=base.interval if base else (current.interval if current else 1),
        weekdays=base.weekdays if base else frozenset(),
        monthly_type=base.monthly_type if base else MonthlyType.DATE_DAY,
        until=current.until if current else None,
        count=current.count if current else None,
    )
    changes: dict[str, Any] = {}
    if args.interval is not None:
        changes["interval"] = args.interval
    if args.weekdays is not None:
        changes["weekdays"] = args.weekdays
    if args.monthly_by is not None:
        changes["monthly_type"] = MONTHLY_BY[args.monthly_by]
    for name in ("until", "count"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = None if value is CLEAR else value
    return replace(rule, **changes)


def _options(current: WebinarOptions, args: argparse.Namespace, ctx: CliContext) -> WebinarOptions:
    changes: dict[str, Any] = {}
    for option, name in (("chat_enabled", "chat_enabled"), ("chat_in_stream", "chat_in_stream"),
                         ("record", "record"), ("welcome", "welcome"),
                         ("moderator_message", "moderator_only_message"),
                         ("max_participants", "max_participants")):  # fmt: skip
        value = getattr(args, option)
        if value is not None:
            changes[name] = None if value is CLEAR else value
    for option, name, known in (
        ("gateway", "preferred_gateway", [gateway.name for gateway in ctx.settings.gateways]),
        ("profile", "profile", [profile.name for profile in ctx.settings.profiles]),
    ):
        value = getattr(args, option)
        if value is None:
            continue
        if value.strip().lower() in NONE_WORDS:
            changes[name] = None
        elif value not in known:
            choices = ", ".join(known) if known else _("none is configured yet")
            sentence = (_("There is no gateway named “{value}” ({choices}).") if option == "gateway"
                        else _("There is no BBB profile named “{value}” ({choices})."))
            raise ValidationError(name, sentence.format(value=value, choices=choices))
        else:
            changes[name] = value
    return replace(current, **changes)


# -- output ----------------------------------------------------------------------------------


def _usage_error(action: str, error: ValidationError) -> int:
    option = OPTION_OF_FIELD.get(error.field)
    message = _("{option}: {message}").format(option=option, message=error.explain()) if option else error.explain()
    line = _("%(prog)s: error: %(message)s\n") % {"prog": f"pupitre schedule {action}", "message": message}
    echo(line.rstrip("\n"), file=sys.stderr)
    return EXIT_USAGE


def _now() -> datetime:
    return datetime.now(UTC)


# English; translated with _() where shown
WEEKDAY_ABBREVIATIONS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
ORDINAL_SUFFIXES = {"st": N_("{number}st"), "nd": N_("{number}nd"), "rd": N_("{number}rd"), "th": N_("{number}th")}


def _describe_recurrence(rule: Recurrence | None, start: datetime) -> str:
    if rule is None:
        return _("once")
    n = rule.interval
    once_a = n == 1  # "every day" has no number: a sentence of its own, not a plural form
    if rule.freq == Frequency.DAILY:
        text = _("every day") if once_a else ngettext("every {n} day", "every {n} days", n).format(n=n)
    elif rule.freq == Frequency.WEEKLY:
        days = ", ".join(_(WEEKDAY_NAMES[day]) for day in sorted(rule.days_of_week(start)))
        text = (_("every week on {days}").format(days=days) if once_a else
                ngettext("every {n} week on {days}", "every {n} weeks on {days}", n).format(n=n, days=days))
    elif rule.freq == Frequency.MONTHLY and rule.monthly_type == MonthlyType.NTH_DAY:
        ordinal, weekday = _ordinal(nth_of_month(start.date())), _(WEEKDAY_NAMES[start.weekday()])
        text = (_("every month on the {ordinal} {weekday}").format(ordinal=ordinal, weekday=weekday) if once_a else
                ngettext("every {n} month on the {ordinal} {weekday}", "every {n} months on the {ordinal} {weekday}",
                         n).format(n=n, ordinal=ordinal, weekday=weekday))
    elif rule.freq == Frequency.MONTHLY:
        ordinal = _ordinal(start.day)
        text = (_("every month on the {ordinal}").format(ordinal=ordinal) if once_a else
                ngettext("every {n} month on the {ordinal}", "every {n} months on the {ordinal}", n).format(
                    n=n, ordinal=ordinal))
    else:
        text = _("every year") if once_a else ngettext("every {n} year", "every {n} years", n).format(n=n)
    if rule.count is not None:
        text += ngettext(", {count} time", ", {count} times", rule.count).format(count=rule.count)
    if rule.until is not None:
        text += _(", until {date}").format(date=rule.until.isoformat())
    return text


def _ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th... in the current language (1er, 2e, 3e... in French)."""
    if number == 1:
        return _("1st")
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return _(ORDINAL_SUFFIXES[suffix]).format(number=number)


def _describe_occurrence(occurrence: Occurrence) -> str:
    start, end = occurrence.start, occurrence.end.astimezone(occurrence.start.tzinfo)
    end_text = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
    day = _(WEEKDAY_ABBREVIATIONS[start.weekday()])
    text = f"#{occurrence.index}  {day} {start.strftime('%Y-%m-%d %H:%M')}–{end_text} {start.strftime('%Z')}"
    if occurrence.cancelled:
        text += _("  (cancelled)")
    elif occurrence.overridden:
        text += _("  (changed)")
    return text


def _print_webinar_details(webinar: Webinar, coming: list[Occurrence], *, days: int | None = None) -> None:
    start = webinar.local_start()
    minutes = int(webinar.duration.total_seconds() // 60)
    echo(_("   meeting ID {meeting_id}, room {room}").format(meeting_id=terminal_safe(webinar.meeting_id),
                                                              room=terminal_safe(webinar.room)))
    print(f"   {start.strftime('%Y-%m-%d %H:%M')} {terminal_safe(webinar.timezone)}, {minutes // 60}h{minutes % 60:02d}, "
          f"{_describe_recurrence(webinar.recurrence, start)}")
    flags = [
        _("audience chat on") if webinar.options.chat_enabled else _("audience chat off"),
        _("chat panel shown in the video") if webinar.options.chat_in_stream else _("chat panel hidden in the video"),
        _("recorded") if webinar.options.record else _("not recorded"),
    ]
    if webinar.options.preferred_gateway:
        flags.append(_("gateway {name}").format(name=terminal_safe(webinar.options.preferred_gateway)))
    if webinar.options.profile:
        flags.append(_("profile {name}").format(name=terminal_safe(webinar.options.profile)))
    print("   " + ", ".join(flags))
    if not coming:
        print("   " + (ngettext("no occurrence in the next {days} day", "no occurrence in the next {days} days",
                                  days).format(days=days) if days is not None else _("no occurrence to come")))
    for occurrence in coming:
        print("   " + _describe_occurrence(occurrence))

