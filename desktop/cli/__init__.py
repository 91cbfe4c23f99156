"""The ``pupitre`` command line.

Every capability of the app is scriptable: the GUI and these commands drive the same core.
Commands live in :mod:`desktop.cli.commands`, one module per command group; each module exposes
``register(subparsers)`` which adds its parser and sets ``func`` — a callable taking
``(args, ctx)`` and returning an exit code (it may be a coroutine function).

Exit codes: 0 success, 1 the operation failed (the message names the cause), 2 usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import importlib
import inspect
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import Any

from desktop.cli.context import CliContext
from desktop.cli.words import HelpFormatter, use_pupitre_catalogue
from desktop.errors import PupitreError
from desktop.i18n import _

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader went away


class _Parser(argparse.ArgumentParser):
    """argparse's parser speaking the presenter's language (see :mod:`desktop.cli.words`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


def build_parser() -> argparse.ArgumentParser:
    use_pupitre_catalogue()  # before any parser exists: argparse translates as it builds them
    parser = _Parser(
        prog="pupitre",
        description=_("Pupitre, the presenter's console for BigBlueButton webinars."),
    )
    parser.add_argument("--version", action="store_true", help=_("print versions and exit"))
    parser.add_argument("--home", help=_("keep config, data and logs in this folder (PUPITRE_HOME)"))
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log debug details to stderr"))
    parser.add_argument("--lab", action="store_true", help=_("start the app on the loopback lab"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    from desktop.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stderr is not None and not faulthandler.is_enabled():
        faulthandler.enable()  # a native crash (Qt, libVLC, PyAV) prints its stack instead of vanishing
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        os.environ["PUPITRE_HOME"] = os.path.abspath(args.home)
    if args.version:
        from desktop.cli.version import version_report

        print(version_report())
        return EXIT_OK
    func = getattr(args, "func", None)
    if func is None:
        gui = _gui_entry()
        if gui is not None:
            return gui(args)
        parser.print_help()
        return EXIT_OK
    try:
        ctx = CliContext.create(verbose=args.verbose)
        for warning in ctx.settings.problems():
            print(f"pupitre: {warning}", file=sys.stderr)
        result = func(args, ctx)
        if inspect.iscoroutine(result):
            result = asyncio.run(result)
        if sys.stdout is not None:
            sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
        return int(result or 0)
    except PupitreError as error:
        print(f"pupitre: {error.explain()}", file=sys.stderr)
        logger.info("command failed: %s", error.sentence)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _pipe_closed()
    except Exception:
        # the last net: a bug must still end in one sentence; the traceback goes to the log file
        logger.exception("unexpected failure of “pupitre %s”", args.command)
        print("pupitre: " + _("An unexpected error stopped the command (a bug): please report it with the "
                              "details logged in {path}.").format(path=_log_file()), file=sys.stderr)
        return EXIT_FAILED


def _log_file() -> str:
    from desktop.config.paths import AppPaths

    return str(AppPaths.from_environment().log_dir / "pupitre.log")


def _pipe_closed() -> int:
    """The reader of standard output went away (``pupitre … | head``): stop quietly, like Unix tools.

    Standard output is pointed at the null device so that the interpreter's final flush does not
    complain about the closed pipe a second time.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_PIPE_CLOSED


def _gui_entry() -> Any:
    """The GUI's entry point once it exists (``desktop.ui.app.run``), else None."""
    try:
        module = importlib.import_module("desktop.ui.app")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("desktop.ui"):
            return None
        raise
    return getattr(module, "run", None)
