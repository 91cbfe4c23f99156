"""The command line's framing words in the presenter's language: argparse's own sentences and the
placeholders (metavars) of the usage lines.

argparse translates its own sentences ("usage: ", "options", "the following arguments are
required: %s"...) with :func:`gettext.gettext`, that is in the process's default text domain
(CPython's ``Lib/argparse.py``: ``from gettext import gettext as _, ngettext``; it has no domain of
its own).  :func:`use_pupitre_catalogue` makes Pupitre's catalogue that domain, the usual thing for
a program to do (as GNU programs call ``textdomain``), and :data:`ARGPARSE_SENTENCES` lists those
sentences so that ``make translations-update`` puts them in ``pupitre_core_<lang>.po``.  The
language is the system's, as for every other sentence of the CLI.

:class:`HelpFormatter` translates the placeholders of usage lines (``--title TITLE`` reads
``--title TITRE`` in French); ``--json`` and every option name stay as they are.
"""

from __future__ import annotations

import argparse
import gettext
from collections.abc import Callable, Iterable

from desktop.i18n import DOMAIN, N_, _, locale_dir, ngettext

__all__ = ["ARGPARSE_SENTENCES", "METAVARS", "HelpFormatter", "RawDescriptionHelpFormatter", "use_pupitre_catalogue"]

# Python 3.11 to 3.13's argparse sentences that a user can see (for extraction; looked up by argparse)
ARGPARSE_SENTENCES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)


def _extraction_only() -> None:
    """Never called: marks argparse's one plural sentence for extraction (argparse looks it up)."""
    ngettext("expected %s argument", "expected %s arguments", 2)


# The placeholders of usage lines (explicit metavars, and argparse's defaults: the option's name
# in capitals, a positional's name)
METAVARS = {
    word: word
    for word in (
        N_("ACTION"), N_("AUDIENCE_PAGE_URL"), N_("BROWSING"), N_("CALL"), N_("CA_BUNDLE"), N_("COMMAND"),
        N_("COUNT"), N_("DAYS"), N_("DURATION"), N_("FILE"), N_("GATEWAY"), N_("GATEWAY=VERSION"),
        N_("HLS_URL"), N_("HOME"), N_("HOST"), N_("INTERVAL"), N_("JOIN_PAGE_URL"), N_("MAX_PARTICIPANTS"),
        N_("MODERATOR_MESSAGE"), N_("MSG_ID"), N_("NAME"), N_("OCCURRENCE"), N_("PATH"), N_("PROFILE"),
        N_("RTMP_URL"), N_("SECONDS"), N_("START"), N_("START_FROM"), N_("TARGET=FAULT"), N_("TIMEZONE"),
        N_("TITLE"), N_("UNTIL"), N_("WEEKDAYS"), N_("WELCOME"), N_("id"), N_("key=value"), N_("meeting_id"),
        N_("name"), N_("target"), N_("TEXT"),
    )
}  # fmt: skip


def use_pupitre_catalogue() -> None:
    """Make Pupitre's catalogue the default text domain, where argparse looks its sentences up."""
    gettext.bindtextdomain(DOMAIN, str(locale_dir()))
    gettext.textdomain(DOMAIN)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with the usage placeholders in the presenter's language."""

    def start_section(self, heading: str | None) -> None:
        # argparse writes "heading:"; French wants a no-break space before the colon
        if heading:
            heading = _("{heading}:").format(heading=heading).removesuffix(":")
        super().start_section(heading)

    def _metavar_formatter(
        self, action: argparse.Action, default_metavar: str
    ) -> Callable[[int], tuple[str, ...]]:
        inner = super()._metavar_formatter(action, default_metavar)

        def translated(size: int) -> tuple[str, ...]:
            return tuple(_translate(inner(size)))

        return translated


class RawDescriptionHelpFormatter(HelpFormatter, argparse.RawDescriptionHelpFormatter):
    """:class:`HelpFormatter` keeping the description's and epilog's own line breaks."""


def _translate(words: Iterable[str]) -> Iterable[str]:
    for word in words:
        yield _(METAVARS[word]) if word in METAVARS else word
