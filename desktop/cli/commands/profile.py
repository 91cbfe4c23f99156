"""``pupitre profile add|list|remove``: the BBB servers the presenter uses.

The server address and options go to settings.json; the shared secret goes to the keyring, never
to the settings file and never through argv (other local users can read a process's arguments):
it comes from ``--secret-stdin`` or, on a terminal, from a no-echo prompt.  Each command says
where the secret went.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop.bbb.checksum import ALGORITHMS, DEFAULT_ALGORITHM
from desktop.bbb.urls import normalise_api_base
from desktop.cli.commands._bbb import SECRET_WHAT, prompt_secret, stdin_is_terminal, usage_failure
from desktop.cli.context import CliContext
from desktop.config.settings import BBBProfile, bbb_secret_name
from desktop.errors import ConfigError
from desktop.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("profile", help=_("add, list or remove BBB server profiles"))
    actions = parser.add_subparsers(dest="profile_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("add or update a BBB server profile"))
    add.add_argument("name", metavar="NAME", help=_("short profile name (letters, digits, - and _)"))
    add.add_argument("--url", required=True, help=_("server address, e.g. https://bbb.example.org"))
    add.add_argument("--algorithm", choices=ALGORITHMS, default=DEFAULT_ALGORITHM, help=_("checksum algorithm"))
    add.add_argument("--ca-bundle", metavar="PATH", help=_("PEM file of a campus CA"))
    add.add_argument("--insecure", action="store_true", help=_("do not verify the TLS certificate (not advised)"))
    add.add_argument("--secret-stdin", action="store_true", help=_("read the shared secret from standard input"))
    add.add_argument("--default", action="store_true", help=_("make it the default profile"))
    add.set_defaults(func=run_add)

    listing = actions.add_parser("list", help=_("list the profiles"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(func=run_list)

    remove = actions.add_parser("remove", help=_("remove a profile and its stored secret"))
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(func=run_remove)


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    normalise_api_base(args.url)  # refuse garbage before anything is stored
    profile = BBBProfile(
        name=args.name,
        url=args.url.strip(),
        algorithm=args.algorithm,
        ca_bundle=args.ca_bundle,
        insecure=args.insecure,
    )
    profile.validate()
    secret_name = bbb_secret_name(profile.name)
    if args.secret_stdin:
        secret: str | None = ctx.read_stdin_secret(_(SECRET_WHAT))
    elif stdin_is_terminal():
        secret = prompt_secret()
    elif ctx.secrets.get(secret_name):
        secret = None  # updating a profile whose secret is already stored
    else:
        return usage_failure("profile add", "give the shared secret on standard input with --secret-stdin")
    ctx.settings.put_profile(profile)
    if args.default:
        ctx.settings.default_profile = profile.name
    ctx.save_settings()
    print(_("Profile “{name}” saved ({address}, {algorithm}).").format(
        name=profile.name, address=normalise_api_base(profile.url), algorithm=profile.algorithm))
    if secret is not None:
        where = ctx.secrets.set(secret_name, secret)
        print(where.describe())
    else:
        print(_("The shared secret already stored for it is kept.") + " " + ctx.secrets.backend().describe())
    if profile.insecure:
        print(_("Warning: TLS certificate verification is off for this server."))
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    settings = ctx.settings
    rows: list[dict[str, Any]] = [
        {
            "name": p.name,
            "url": p.url,
            "algorithm": p.algorithm,
            "ca_bundle": p.ca_bundle,
            "insecure": p.insecure,
            "default": p.name == settings.default_profile,
            "has_secret": bool(ctx.secrets.get(bbb_secret_name(p.name))),
        }
        for p in settings.profiles
    ]
    if args.json:
        ctx.print_json(rows)
        return 0
    if not rows:
        print(_("No BBB profile yet. Add one with “pupitre profile add NAME --url URL --secret-stdin”."))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        flags = [r["algorithm"]]
        if r["default"]:
            flags.append(_("default"))
        if not r["has_secret"]:
            flags.append(_("NO SECRET"))
        if r["insecure"]:
            flags.append(_("insecure"))
        print(f"{r['name']:<{width}}  {r['url']}  ({', '.join(flags)})")
    return 0


def run_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.name not in {p.name for p in ctx.settings.profiles}:
        raise ConfigError(_("There is no BBB profile named “{name}”.").format(name=args.name))
    ctx.settings.remove_profile(args.name)
    ctx.save_settings()
    ctx.secrets.delete(bbb_secret_name(args.name))
    print(_("Profile “{name}” and its stored secret removed.").format(name=args.name))
    return 0
