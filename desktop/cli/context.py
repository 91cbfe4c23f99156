"""What every CLI command gets: paths, settings, secrets, output helpers."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.logs import setup_logging
from desktop.secrets import SecretStore, secret_store


@dataclass
class CliContext:
    paths: AppPaths
    settings: Settings
    secrets: SecretStore

    @classmethod
    def create(cls, *, verbose: bool = False) -> CliContext:
        paths = AppPaths.from_environment().ensure()
        setup_logging(paths.log_dir, verbose=verbose, console=verbose)
        return cls(paths=paths, settings=Settings.load(paths.settings_file), secrets=secret_store())

    def save_settings(self) -> None:
        self.settings.save(self.paths.settings_file)

    @staticmethod
    def print_json(data: Any) -> None:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
        sys.stdout.flush()

    @staticmethod
    def read_stdin_secret(what: str) -> str:
        """One line from standard input (never from argv, which other users can see).

        ``what`` names the secret with its article, translated ("the BBB shared secret")."""
        from desktop.errors import ConfigError
        from desktop.i18n import _

        if sys.stdin is None:
            raise ConfigError(_("No standard input to read {what} from.").format(what=what))
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise ConfigError(_("{what} read from standard input is empty.").format(what=what[:1].upper() + what[1:]))
        return value
