"""What the BBB commands share: resolving a server, its secret and its algorithm."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import dataclass

from desktop.bbb.checksum import ALGORITHMS, DEFAULT_ALGORITHM
from desktop.bbb.client import BBBClient
from desktop.bbb.urls import normalise_api_base
from desktop.cli.context import CliContext
from desktop.config.settings import bbb_secret_name
from desktop.errors import ConfigError
from desktop.i18n import N_, _
from desktop.logs import redact
from desktop.net.http import HttpOptions

SECRET_WHAT = N_("the BBB shared secret")  # English; translated with _() where used


class UsageError(Exception):
    """Bad combination of options: the command prints it and exits with 2."""


@dataclass(frozen=True)
class ServerTarget:
    """A resolved server: API base, secret, algorithm and TLS options."""

    api_base: str
    secret: str
    algorithm: str
    http: HttpOptions

    def client(self) -> BBBClient:
        return BBBClient(self.api_base, self.secret, self.algorithm, self.http)


def add_server_options(parser: argparse.ArgumentParser, *, allow_server: bool = True) -> None:
    parser.add_argument("--profile", metavar="NAME", help=_("saved BBB profile (default: the default profile)"))
    if allow_server:
        parser.add_argument("--server", metavar="URL", help=_("BBB server address, instead of a profile"))
        parser.add_argument("--insecure", action="store_true", help=_("do not verify the TLS certificate"))
        parser.add_argument("--ca-bundle", metavar="PATH", help=_("PEM file of a campus CA"))
    parser.add_argument(
        "--secret-stdin", action="store_true", help=_("read the shared secret from standard input (one line)")
    )
    parser.add_argument("--algorithm", choices=ALGORITHMS, help=_("checksum algorithm (default: the profile's)"))


def resolve_target(args: argparse.Namespace, ctx: CliContext) -> ServerTarget:
    """The server from ``--server`` (needs ``--secret-stdin``) or from a saved profile."""
    server = getattr(args, "server", None)
    if server:
        if args.profile:
            raise UsageError("use either --server or --profile, not both")
        if not args.secret_stdin:
            raise UsageError("--server needs --secret-stdin (secrets are never taken from the command line)")
        return ServerTarget(
            api_base=normalise_api_base(server),
            secret=ctx.read_stdin_secret(_(SECRET_WHAT)),
            algorithm=args.algorithm or DEFAULT_ALGORITHM,
            http=HttpOptions(ca_bundle=getattr(args, "ca_bundle", None), insecure=getattr(args, "insecure", False)),
        )
    profile = ctx.settings.profile(args.profile)
    if args.secret_stdin:
        secret = ctx.read_stdin_secret(_(SECRET_WHAT))
    else:
        stored = ctx.secrets.get(bbb_secret_name(profile.name))
        if not stored:
            raise ConfigError(
                _("No shared secret is stored for the BBB profile “{name}”.").format(name=profile.name),
                hint=_("Store it with “pupitre profile add {name} --url … --secret-stdin”.").format(name=profile.name),
            )
        secret = stored
    return ServerTarget(
        api_base=normalise_api_base(profile.url),
        secret=secret,
        algorithm=args.algorithm or profile.algorithm,
        http=HttpOptions(ca_bundle=profile.ca_bundle, insecure=profile.insecure),
    )


def prompt_secret() -> str:
    """Ask for the secret on the terminal without echo."""
    value = getpass.getpass(_("BBB shared secret: "))
    if not value:
        raise ConfigError(_("The BBB shared secret is empty."))
    return value


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def usage_failure(prog: str, message: str) -> int:
    print(_("%(prog)s: error: %(message)s\n") % {"prog": f"pupitre {prog}", "message": redact(message)},
          end="", file=sys.stderr)
    return 2
